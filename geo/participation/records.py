"""The append-only record tables of walks and residents' reports: reading them, and when and who.

Walks, findings, decisions, reports and moderation decisions are rows of
product tables of the store (:meth:`~geo.store.base.Store.append_records`);
nothing is changed in place, and the latest row per id wins.
:func:`read_table` reads one with the given columns and types;
:func:`local_time` and :func:`os_user` give a row's time and author.
"""

from __future__ import annotations

import getpass
from collections.abc import Collection

import pandas as pd

from geo import settings
from geo.timeutil import to_local

#: dtype of the record tables' times (tz-aware, Europe/Stockholm).
TIME_DTYPE: str = f"datetime64[ns, {settings.timezone}]"


def read_table(
    store,
    table: str,
    columns: tuple[str, ...],
    *,
    times: Collection[str] = (),
    integers: Collection[str] = (),
) -> pd.DataFrame:
    """Return the rows of a record table with exactly ``columns``, in the order appended.

    Parameters
    ----------
    store : Store
        The store.
    table : str
        The product table; a table not written yet reads as no rows.
    columns : tuple of str
        The columns to return, in this order. A column the stored rows lack
        is filled with ``""``.
    times : collection of str, default ()
        Columns of tz-aware times, returned in :data:`TIME_DTYPE`.
    integers : collection of str, default ()
        Columns of whole numbers, returned as ``int64`` (missing → 0).

    Returns
    -------
    pandas.DataFrame
        Every other column as text (``object``, missing → ``""``), on a
        fresh 0..n-1 index.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> frame = read_table(store, "tk_none", ("id", "n", "at"), times=("at",), integers=("n",))
    >>> len(frame), [str(t) for t in frame.dtypes]
    (0, ['object', 'int64', 'datetime64[ns, Europe/Stockholm]'])
    """
    raw = store.read_records(table)
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns}) if raw.empty else raw.copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
        elif column in times:
            frame[column] = to_local(frame[column]) if len(frame) else pd.Series(dtype=TIME_DTYPE)
        elif column in integers:
            frame[column] = frame[column].fillna(0).astype("int64")
        else:
            frame[column] = frame[column].fillna("").astype(object)
    return frame[list(columns)].reset_index(drop=True)


def local_time(at: pd.Timestamp | str | None = None) -> pd.Timestamp:
    """Return a time in Europe/Stockholm: given (naive times are local), or now.

    Parameters
    ----------
    at : pandas.Timestamp or str, optional
        The time; default now.

    Returns
    -------
    pandas.Timestamp
        Tz-aware, Europe/Stockholm.

    Examples
    --------
    >>> local_time("2026-05-01 12:00")
    Timestamp('2026-05-01 12:00:00+0200', tz='Europe/Stockholm')
    >>> local_time("2026-05-01 10:00Z")
    Timestamp('2026-05-01 12:00:00+0200', tz='Europe/Stockholm')
    """
    if at is None:
        return pd.Timestamp.now(tz=settings.timezone)
    stamp = pd.Timestamp(at)
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone)
    return stamp.tz_convert(settings.timezone)


def os_user() -> str:
    """Return the operating-system user, the default author of a record (``"unknown"`` if none).

    Returns
    -------
    str
        The login name.
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
