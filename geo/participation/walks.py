"""Trygghetsvandringar: walks, their findings on the route, and the decision on each (actions 2, 3, 9).

A safety walk with residents, police and the kommun has a date, an area, a
route and participants counted by role (no names). Its findings are points
on the route, numbered in walking order, each with a reason (the reasons of
the ``unsafe_places`` layer), a severity from 1 to 3, a photo file name and
a short description. Every finding is followed to a decision: the
responsible nämnd or bolag, the decision and its date. A finding whose walk
lies more than :data:`OVERDUE_MONTHS` calendar months before the reference
date and that still has no decision is *overdue*.

Storage: three append-only product tables of the store, where the latest
row per id wins and the history is kept. Geometry is WKT text in EPSG:3006.

- :data:`WALKS_TABLE` (``tk_walks``): one row per save or publication of a walk.
- :data:`FINDINGS_TABLE` (``tk_walk_findings``): one row per save of a finding.
- :data:`DECISIONS_TABLE` (``tk_finding_decisions``): one row per decision entry.

:func:`~geo.participation.walk_store.publish_walk` writes the findings to the
``unsafe_places`` layer (``source="walk"``, ``status="approved"``, id
``walk-<walk_id>-<n>``), so they count in the lägesbild, the lighting work
list and the action register. After that the walk's findings are locked;
decisions can still be recorded.

This module holds what a walk *is*: its tables, limits and types, the ids,
and the overdue rule. The work is done by :mod:`geo.participation.walk_input`
(routes and findings as staff give them, and their checks),
:mod:`geo.participation.walk_store` (save, publish and read walks) and
:mod:`geo.participation.walk_decisions` (decisions and the follow-up table).

Examples
--------
>>> import datetime as dt
>>> finding_id("viksjo-1", 1)
'walk-viksjo-1-1'
>>> is_overdue(dt.date(2026, 3, 1), decided=False, reference="2026-09-02")
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd
import shapely

from geo import settings
from geo.actions.program import BODIES
from geo.i18n import t

#: Store tables (append-only; the latest row per id wins).
WALKS_TABLE: str = "tk_walks"
FINDINGS_TABLE: str = "tk_walk_findings"
DECISIONS_TABLE: str = "tk_finding_decisions"

WALK_COLUMNS: tuple[str, ...] = (
    "walk_id", "walk_date", "area", "route_wkt", "participants", "note", "published_at",
    "recorded_by", "recorded_at",
)
FINDING_COLUMNS: tuple[str, ...] = (
    "finding_id", "walk_id", "n", "reason", "severity", "description", "photo", "point_wkt",
    "removed", "recorded_by", "recorded_at",
)
DECISION_COLUMNS: tuple[str, ...] = (
    "finding_id", "responsible", "decision", "decided_on", "recorded_by", "recorded_at",
)

#: Participant roles, counted per walk (no names are kept).
ROLES: tuple[str, ...] = ("residents", "police", "municipality", "property_owners", "associations",
                          "other")
SEVERITIES: tuple[int, ...] = (1, 2, 3)
#: The program's nämnder and bolag that can be responsible for a finding.
RESPONSIBLE: tuple[str, ...] = tuple(b for b in BODIES if " " not in b)
#: A finding without a decision this many calendar months after its walk is overdue.
OVERDUE_MONTHS: int = 6
#: Findings are points on the route: at most this far from it.
MAX_ROUTE_DISTANCE_M: float = 250.0
MAX_AREA_LENGTH: int = 100
MAX_DESCRIPTION_LENGTH: int = 500
MAX_DECISION_LENGTH: int = 2000
PHOTO_PATTERN = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f]{1,120}\.(jpe?g|png|heic|heif|webp|tiff?)$",
                           re.IGNORECASE)
WALK_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
#: Plausible SWEREF 99 TM coordinates (Sweden), to catch degrees given as metres.
SWEREF_BOUNDS: tuple[float, float, float, float] = (200_000.0, 6_100_000.0, 1_000_000.0, 7_700_000.0)
#: Coordinates are kept to this many decimals (centimetres in EPSG:3006).
WKT_DECIMALS: int = 2


@dataclass(frozen=True)
class WalkProblem:
    """One problem in a walk, a finding or a decision.

    Attributes
    ----------
    row : int or None
        The finding's number (1-based, in walking order), or None for the walk.
    field : str
        The field, e.g. ``"severity"``.
    code : str
        Stable problem code; ``walks.err_<code>`` in :data:`geo.i18n.TEXTS`.
    message : str
        English message naming what was received and what is allowed.
    values : dict
        Placeholder values for the translated text.
    """

    row: int | None
    field: str
    code: str
    message: str
    values: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"finding {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"

    def text(self, lang: str = "sv") -> str:
        """Return the problem for a user, in ``lang``.

        Parameters
        ----------
        lang : {"sv", "en"}, default "sv"
            The language.

        Returns
        -------
        str
            E.g. ``"Fynd 2: Allvar ska vara 1, 2 eller 3."``.
        """
        text = t(f"walks.err_{self.code}", lang, **self.values)
        if self.row is None:
            return text
        return f"{t('walks.finding', lang)} {self.row}: {text}"


@dataclass(frozen=True)
class Finding:
    """One finding of a walk.

    Parameters
    ----------
    reason : str
        One of :data:`geo.participation.places.REASONS`.
    severity : int
        1 (low) to 3 (high).
    point : shapely.Point or None
        Position in EPSG:3006 (None only before validation refuses it).
    description : str, default ""
        What was found (at most :data:`MAX_DESCRIPTION_LENGTH` characters).
    photo : str, default ""
        A photo's file name, e.g. ``IMG_0412.jpg``.
    """

    reason: str
    severity: int
    point: shapely.Point | None
    description: str = ""
    photo: str = ""


@dataclass(frozen=True)
class Walk:
    """A saved walk.

    Attributes
    ----------
    walk_id : str
        Stable id: lowercase letters, digits and ``-``.
    walk_date : datetime.date
        The day of the walk.
    area : str
        The area walked, e.g. ``"Viksjö centrum"``.
    route : shapely.LineString
        The route in EPSG:3006.
    participants : dict of str to int
        Count per role of :data:`ROLES` (roles with none left out).
    note : str
        Free text.
    published_at : pandas.Timestamp or None
        When the findings were written to ``unsafe_places``.
    """

    walk_id: str
    walk_date: dt.date
    area: str
    route: shapely.LineString
    participants: dict[str, int]
    note: str = ""
    published_at: pd.Timestamp | None = None

    @property
    def published(self) -> bool:
        """Whether the findings are in the ``unsafe_places`` layer."""
        return self.published_at is not None


def finding_id(walk_id: str, n: int) -> str:
    """Return the stable id of a walk's n-th finding (also its ``unsafe_places`` id).

    Parameters
    ----------
    walk_id : str
        The walk.
    n : int
        The finding's number, from 1.

    Returns
    -------
    str
        ``walk-<walk_id>-<n>``.

    Examples
    --------
    >>> finding_id("20260301-viksjo", 3)
    'walk-20260301-viksjo-3'
    """
    return f"walk-{walk_id}-{int(n)}"


def reference_date(reference: dt.date | pd.Timestamp | str | None = None) -> dt.date:
    """Return the reference day for the overdue flag: given, or today in Europe/Stockholm.

    Parameters
    ----------
    reference : datetime.date, pandas.Timestamp or str, optional
        A day or time; tz-aware times are converted to Europe/Stockholm.

    Returns
    -------
    datetime.date
        The day.

    Raises
    ------
    ValueError
        If ``reference`` is not a date.

    Examples
    --------
    >>> reference_date("2026-09-02")
    datetime.date(2026, 9, 2)
    """
    if reference is None:
        return pd.Timestamp.now(tz=settings.timezone).date()
    return to_date(reference, "reference")


def is_overdue(walk_date: dt.date, *, decided: bool, reference: dt.date | str | None = None) -> bool:
    """Return whether a finding is overdue: no decision, walk more than six months back.

    Parameters
    ----------
    walk_date : datetime.date
        The day of the walk.
    decided : bool
        Whether the finding has a decision.
    reference : datetime.date or str, optional
        The day to judge by; default today in Europe/Stockholm.

    Returns
    -------
    bool
        True if ``reference`` lies more than :data:`OVERDUE_MONTHS` calendar
        months after ``walk_date`` and there is no decision.

    Examples
    --------
    >>> import datetime as dt
    >>> walk = dt.date(2026, 3, 1)
    >>> is_overdue(walk, decided=False, reference="2026-09-02")
    True
    >>> is_overdue(walk, decided=False, reference="2026-09-01")
    False
    >>> is_overdue(walk, decided=True, reference="2027-01-01")
    False
    """
    if decided:
        return False
    deadline = (pd.Timestamp(walk_date) + pd.DateOffset(months=OVERDUE_MONTHS)).date()
    return reference_date(reference) > deadline


def to_date(value: object, argument: str) -> dt.date:
    """Return a day from a date, a time (tz-aware times in Europe/Stockholm) or ISO text.

    Parameters
    ----------
    value : datetime.date, datetime.datetime, pandas.Timestamp or str
        The value.
    argument : str
        Its name, for the error.

    Returns
    -------
    datetime.date
        The day.

    Raises
    ------
    ValueError
        If ``value`` is not a date.

    Examples
    --------
    >>> to_date("2026-03-01", "walk_date")
    datetime.date(2026, 3, 1)
    """
    if isinstance(value, dt.datetime | pd.Timestamp):
        stamp = pd.Timestamp(value)
        return (stamp.tz_convert(settings.timezone) if stamp.tzinfo else stamp).date()
    if isinstance(value, dt.date):
        return value
    try:
        stamp = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError) as exc:
        msg = f"{argument}={value!r} is not a date; allowed: e.g. 2026-03-01"
        raise ValueError(msg) from exc
    if pd.isna(stamp):
        msg = f"{argument}={value!r} is not a date; allowed: e.g. 2026-03-01"
        raise ValueError(msg)
    return (stamp.tz_convert(settings.timezone) if stamp.tzinfo else stamp).date()


def problem(row: int | None, field_name: str, code: str, message: str, **values: object) -> WalkProblem:
    """Return a :class:`WalkProblem`, its text's placeholder values given as keywords.

    Parameters
    ----------
    row : int or None
        The finding's number, or None for the walk.
    field_name : str
        The field.
    code : str
        The problem code.
    message : str
        The English message.
    **values
        Placeholder values for the translated text.

    Returns
    -------
    WalkProblem
        The problem.
    """
    return WalkProblem(row, field_name, code, message, dict(values))
