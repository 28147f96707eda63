"""Append-only product tables: history kept whole, the latest row per key wins.

The action follow-up, the walks, their findings and decisions, and the
residents' reports are product tables of the store (``tk_…``) that rows are
only ever appended to (:meth:`geo.store.base.Store.append_records`): a
change is a new row, so the whole history is kept. This module reads them
back the same way for every user:

- :func:`read_history`: every row in the order appended, the given columns
  with canonical dtypes, also for a table that does not exist yet.
- :func:`latest_rows`: the last row per key, i.e. the current state.
- :func:`default_user`: who a row is recorded by when no one is named.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.store import open_store
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> store.append_records("tk_demo", pd.DataFrame({"id": ["a", "b", "a"], "n": [1, 2, 3]}))
>>> history = read_history(store, "tk_demo", ("id", "n", "note"), integers=("n",))
>>> latest_rows(history, "id")[["id", "n"]].to_dict("records")
[{'id': 'b', 'n': 2}, {'id': 'a', 'n': 3}]
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from geo import settings
from geo.errors import DataStoreError
from geo.timeutil import to_local

if TYPE_CHECKING:
    from geo.store.base import Store


def read_history(
    store: Store,
    table: str,
    columns: Sequence[str],
    *,
    integers: Sequence[str] = (),
    times: Sequence[str] = (),
    required: bool = False,
) -> pd.DataFrame:
    """Return every row of an append-only table, in the order appended, with canonical dtypes.

    Parameters
    ----------
    store : Store
        The store.
    table : str
        The product table, e.g. ``"tk_action_followup"``.
    columns : sequence of str
        The columns to return, in order.
    integers : sequence of str, default ()
        Columns read as ``int64``; a missing value is 0.
    times : sequence of str, default ()
        Columns read as tz-aware times in Europe/Stockholm
        (``datetime64[ns, Europe/Stockholm]``), stored as UTC or with an offset.
    required : bool, default False
        Refuse a stored table that lacks one of ``columns``. Otherwise a
        column the table does not have yet (a table written before the
        column was added) is filled: 0, ``NaT`` or ``""``.

    Returns
    -------
    pandas.DataFrame
        Exactly ``columns``, index 0 to n-1. Every other column is text
        (``str``), a missing value ``""``. A table that does not exist yet
        gives an empty frame with the same columns and dtypes.

    Raises
    ------
    DataStoreError
        If ``required`` and the stored table lacks a column; the message
        names the table, the store and the columns.

    See Also
    --------
    latest_rows : The current state: the last row per key.
    """
    raw = store.read_records(table)
    missing = [c for c in columns if c not in raw.columns]
    if required and len(raw.columns) and missing:
        msg = f"{table} in {store.location} lacks columns {missing}; expected {', '.join(columns)}"
        raise DataStoreError(msg)
    return pd.DataFrame(
        {c: _column(raw, c, integers=integers, times=times) for c in columns}, index=pd.RangeIndex(len(raw))
    )


def latest_rows(history: pd.DataFrame, key: str | Sequence[str]) -> pd.DataFrame:
    """Return the last row per key of a history in the order appended: the current state.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`read_history` (or sorted oldest first).
    key : str or sequence of str
        The column(s) that name one thing, e.g. ``"finding_id"``.

    Returns
    -------
    pandas.DataFrame
        One row per key, in the order of each key's last row; the index of
        ``history`` is kept.

    Examples
    --------
    >>> history = pd.DataFrame({"nr": [7, 9, 7], "status": ["ongoing", "done", "done"]})
    >>> latest_rows(history, "nr")["status"].tolist()
    ['done', 'done']
    """
    return history.drop_duplicates(key, keep="last")


def default_user() -> str:
    """Return who a row is recorded by when no one is named: the operating-system user.

    Returns
    -------
    str
        The login name, or ``"unknown"`` when the system cannot tell.

    Examples
    --------
    >>> isinstance(default_user(), str)
    True
    """
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _column(raw: pd.DataFrame, column: str, *, integers: Sequence[str], times: Sequence[str]) -> pd.Series:
    """Return one column with its canonical dtype (filled when the table lacks it)."""
    values = raw[column] if column in raw.columns else pd.Series([None] * len(raw), dtype=object)
    values = values.reset_index(drop=True)
    if column in integers:
        return values.fillna(0).astype("int64")
    if column in times:
        dtype = f"datetime64[ns, {settings.timezone}]"
        present = values.dropna()
        if not len(present):
            return pd.Series(pd.NaT, index=values.index, dtype=dtype)
        return to_local(values).astype(dtype)
    return values.fillna("").astype(str)


__all__ = ["default_user", "latest_rows", "read_history"]
