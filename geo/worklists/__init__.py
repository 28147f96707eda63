"""TEN's and the crisis planners' work lists: what to light, clean, watch and protect.

Four kinds, one module each, every one built from a
:class:`geo.analysis.prepared.Prepared` store at a reference time ``at``:

=========  ====================================  =====================================
kind       lists (first is the main list)        action
=========  ====================================  =====================================
lighting   ``places``, ``faults``, ``repairs``   9: light the places people fear
graffiti   ``queue``, ``compliance``, ``late``,  7: remove graffiti within 72 hours
           ``reports``
cameras    ``candidates``, ``permits``,          6: cameras where they matter
           ``coverage``
flood      ``facilities_<scenario>``, ``areas``, 26-27, 37-38: flood risk and
           ``exposure``                          samhällsviktig verksamhet
=========  ====================================  =====================================

Every list is a :class:`pandas.DataFrame` whose first column is ``rank``
(1..n, the order to work in); lists of places carry ``x`` and ``y`` in
EPSG:3006, and lists that rank say why in a ``why`` column in the user's
language. :func:`build_worklists` dispatches to the kind's builder;
:mod:`geo.worklists.export` writes XLSX and CSV, :mod:`geo.cli.worklists`
is the ``trygghetskartan worklist`` command.

Privacy: incident counts leave only as aggregates, never as points, and
count protected categories only for the ``protected`` audience; for the
``public`` audience counts from 1 to k-1 are suppressed. Layers the
audience may not see raise :class:`geo.errors.PrivacyError`.

Examples
--------
>>> at = reference_time("2026-10-01")
>>> at.isoformat()
'2026-10-01T00:00:00+02:00'
>>> [t.isoformat() for t in list_period(at)]
['2025-10-01T00:00:00+02:00', '2026-10-01T00:00:00+02:00']
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.filters import parse_date
from geo.audiences import DEFAULT_AUDIENCE
from geo.errors import WorklistError
from geo.privacy import check_audience

if TYPE_CHECKING:
    from geo.analysis.prepared import Prepared
    from geo.store.base import Store

KINDS: tuple[str, ...] = ("lighting", "graffiti", "cameras", "flood")
"""The kinds of work list, in the order the app shows them."""

DEFAULT_PERIOD_MONTHS: int = 12
"""Length of the default period, ending at the list's reference time."""

"""Work lists are for municipal staff unless told otherwise."""

_BUILDERS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "lighting": ("geo.worklists.lighting", "lighting_worklists"),
        "graffiti": ("geo.worklists.graffiti", "graffiti_worklists"),
        "cameras": ("geo.worklists.cameras", "camera_worklists"),
        "flood": ("geo.worklists.flood", "flood_worklists"),
    }
)

__all__ = [
    "DEFAULT_AUDIENCE",
    "DEFAULT_PERIOD_MONTHS",
    "KINDS",
    "WorklistError",
    "Worklists",
    "build_worklists",
    "check_kind",
    "list_period",
    "reference_time",
    "whole_metres",
    "with_rank",
]


@dataclass(frozen=True)
class Worklists:
    """The lists of one kind, made at one reference time.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    at : pandas.Timestamp
        The lists' reference time (tz-aware): what is open, due or valid then.
    start, end : pandas.Timestamp
        The period ``[start, end)`` that counts and shares cover.
    audience : str
        Who the lists are for (``public``, ``staff`` or ``protected``).
    lists : mapping of str to pandas.DataFrame
        The lists by key, the main list first.
    options : mapping of str to object, optional
        The settings the lists were made with (deadline, dark hours …),
        shown under the title of an exported sheet.
    """

    kind: str
    at: pd.Timestamp
    start: pd.Timestamp
    end: pd.Timestamp
    audience: str
    lists: Mapping[str, pd.DataFrame]
    options: Mapping[str, object] = field(default_factory=dict)

    def __getitem__(self, key: str) -> pd.DataFrame:
        """Return the list ``key``.

        Parameters
        ----------
        key : str
            A key of :attr:`lists`.

        Returns
        -------
        pandas.DataFrame
            The list.

        Raises
        ------
        KeyError
            If there is no such list; the message names the lists there are.
        """
        if key not in self.lists:
            msg = f"no list {key!r} among the {self.kind} lists; lists: {', '.join(self.lists)}"
            raise KeyError(msg)
        return self.lists[key]

    @property
    def main(self) -> pd.DataFrame:
        """The main (first) list."""
        return next(iter(self.lists.values()))


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is a kind of work list.

    Parameters
    ----------
    kind : str
        ``lighting``, ``graffiti``, ``cameras`` or ``flood``.

    Returns
    -------
    str
        The kind.

    Raises
    ------
    WorklistError
        For any other value; the message lists the kinds.

    Examples
    --------
    >>> check_kind("graffiti")
    'graffiti'
    """
    if kind not in KINDS:
        msg = f"kind={kind!r} is not a work list; allowed: {', '.join(KINDS)}"
        raise WorklistError(msg)
    return kind


def reference_time(at: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """Return the reference time of a list: ``at`` in Europe/Stockholm, or now.

    Parameters
    ----------
    at : str or pandas.Timestamp, optional
        ``"2026-10-01"``, ``"2026-10-01 08:00"`` or a timestamp; naive values
        are local time. Defaults to now.

    Returns
    -------
    pandas.Timestamp
        Tz-aware, Europe/Stockholm.

    Raises
    ------
    ValueError
        If ``at`` is not a date or time.

    Examples
    --------
    >>> reference_time("2026-03-29 12:00").isoformat()
    '2026-03-29T12:00:00+02:00'
    """
    if at is None:
        return pd.Timestamp.now(tz=settings.timezone)
    return parse_date(at, argument="at")


def list_period(
    at: pd.Timestamp,
    date_from: str | pd.Timestamp | None = None,
    date_to: str | pd.Timestamp | None = None,
    *,
    months: int = DEFAULT_PERIOD_MONTHS,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the period ``[start, end)`` a list counts over.

    Parameters
    ----------
    at : pandas.Timestamp
        The list's reference time, tz-aware.
    date_from : str or pandas.Timestamp, optional
        First day; defaults to ``months`` before the end.
    date_to : str or pandas.Timestamp, optional
        Last day, inclusive when given as a date (``"2026-09-30"`` ends at
        the following midnight); defaults to ``at``.
    months : int, default 12
        Length of the default period.

    Returns
    -------
    tuple of pandas.Timestamp
        ``(start, end)``, tz-aware, Europe/Stockholm.

    Raises
    ------
    ValueError
        If a date cannot be read, ``at`` is naive, or the period is empty.

    Examples
    --------
    >>> at = reference_time("2026-10-01")
    >>> [t.date().isoformat() for t in list_period(at, "2026-01-01", "2026-03-31")]
    ['2026-01-01', '2026-04-01']
    """
    if not isinstance(at, pd.Timestamp) or at.tzinfo is None:
        msg = f"at={at!r} is not allowed; expected a tz-aware pandas.Timestamp (see reference_time())"
        raise ValueError(msg)
    if date_to is None:
        end = at
    elif isinstance(date_to, str) and len(date_to.strip()) == 10:
        end = parse_date(pd.Timestamp(date_to.strip()) + pd.Timedelta(days=1), argument="to")
    else:
        end = parse_date(date_to, argument="to")
    start = (parse_date(date_from, argument="from") if date_from is not None
             else end - pd.DateOffset(months=int(months)))
    if not start < end:
        msg = f"the period must start before it ends; received from {start} to {end}"
        raise ValueError(msg)
    return start, end


def with_rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the rows in their order, numbered 1..n in a first column ``rank``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows already sorted in the order to work in.

    Returns
    -------
    pandas.DataFrame
        A copy with a fresh 0..n-1 index and ``rank`` (int64) first; an
        existing ``rank`` column is replaced.

    Examples
    --------
    >>> with_rank(pd.DataFrame({"id": ["b", "a"]}, index=[7, 3]))
       rank id
    0     1  b
    1     2  a
    """
    out = frame.drop(columns=["rank"], errors="ignore").reset_index(drop=True)
    out.insert(0, "rank", pd.RangeIndex(1, len(out) + 1).to_numpy(dtype="int64"))
    return out


def whole_metres(values: object) -> pd.arrays.IntegerArray:
    """Return coordinates or distances rounded to whole metres, missing as ``<NA>``.

    Parameters
    ----------
    values : array-like of float
        Metres; NaN and infinite values become ``<NA>``.

    Returns
    -------
    pandas.arrays.IntegerArray
        ``Int64`` values.

    Examples
    --------
    >>> whole_metres([659080.4, float("nan")]).tolist()
    [659080, <NA>]
    """
    array = np.asarray(values, dtype=float)
    rounded = np.where(np.isfinite(array), np.round(array), np.nan)
    return pd.array(rounded, dtype="Float64").astype("Int64")


def build_worklists(
    source: Store | Prepared,
    kind: str,
    *,
    at: str | pd.Timestamp | None = None,
    date_from: str | pd.Timestamp | None = None,
    date_to: str | pd.Timestamp | None = None,
    audience: str = DEFAULT_AUDIENCE,
    lang: str = "sv",
    **options: object,
) -> Worklists:
    """Build the lists of one kind from a store.

    Parameters
    ----------
    source : Store or Prepared
        The store, or its layers already prepared by
        :func:`geo.analysis.prepared.prepare` (the app keeps one per store state).
    kind : str
        One of :data:`KINDS`.
    at : str or pandas.Timestamp, optional
        Reference time; naive is local; defaults to now.
    date_from, date_to : str or pandas.Timestamp, optional
        The period counts cover; defaults to the 12 months before ``at``.
    audience : {"public", "staff", "protected"}, default "public"
        Who the lists are for.
    lang : {"sv", "en"}, default "sv"
        Language of the ``why`` texts.
    **options
        Options of the kind's builder, e.g. ``deadline_hours=72`` for
        graffiti; see :func:`~geo.worklists.lighting.lighting_worklists`,
        :func:`~geo.worklists.graffiti.graffiti_worklists`,
        :func:`~geo.worklists.cameras.camera_worklists` and
        :func:`~geo.worklists.flood.flood_worklists`.

    Returns
    -------
    Worklists
        The lists.

    Raises
    ------
    WorklistError
        If ``kind`` is unknown.
    TypeError
        If an option is not one of the kind's builder.
    ValueError
        If an argument cannot be used (the message names it).
    PrivacyError
        If the audience may not see a layer the lists show.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.demo import build_demo
    >>> store = build_demo(pathlib.Path(tempfile.mkdtemp()) / "d.gpkg", incidents=100)
    >>> lists = build_worklists(store, "graffiti", at="2026-10-01")
    >>> int(lists["queue"]["rank"].max())
    20
    """
    builder = _builder(check_kind(kind))
    check_audience(audience)
    moment = reference_time(at)
    start, end = list_period(moment, date_from, date_to)
    prep = _prepared(source)
    return builder(prep, at=moment, start=start, end=end, audience=audience, lang=lang, **options)


def _builder(kind: str):
    module, name = _BUILDERS[kind]
    return getattr(importlib.import_module(module), name)


def _prepared(source: Store | Prepared) -> Prepared:
    from geo.analysis.prepared import Prepared, prepare

    return source if isinstance(source, Prepared) else prepare(source)
