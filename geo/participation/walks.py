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

:func:`publish_walk` writes the findings to the ``unsafe_places`` layer
(``source="walk"``, ``status="approved"``, id ``walk-<walk_id>-<n>``), so they
count in the lägesbild, the lighting work list and the action register.
After that the walk's findings are locked; decisions can still be recorded.

Examples
--------
>>> import tempfile, pathlib
>>> from shapely import LineString, Point
>>> from geo.store import open_store
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> walk = save_walk(store, walk_id="viksjo-1", walk_date="2026-03-01", area="Viksjö centrum",
...                  route=LineString([(659000, 6589700), (659300, 6589900)]),
...                  participants={"residents": 9, "police": 1, "municipality": 3},
...                  findings=[Finding("lighting", 3, Point(659150, 6589800), "Släckta lampor")],
...                  user="anna")
>>> walk.walk_id, len(walk_findings(store, "viksjo-1"))
('viksjo-1', 1)
>>> table = findings_table(store, reference="2026-09-02")
>>> table[["finding_id", "overdue"]].to_dict("records")
[{'finding_id': 'walk-viksjo-1-1', 'overdue': True}]
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from geo import settings
from geo.actions.program import BODIES
from geo.errors import TrygghetskartanError
from geo.participation.texts import walk_text
from geo.timeutil import to_local
from layers.unsafe_places import REASONS as _REASON_CHOICES

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
#: Reasons of a finding: those of the ``unsafe_places`` layer.
REASONS: tuple[str, ...] = tuple(c.code for c in _REASON_CHOICES)
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
_WKT_DECIMALS = 2
_TIME_DTYPE = f"datetime64[ns, {settings.timezone}]"


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
        Stable problem code; ``err_<code>`` in :data:`geo.participation.texts.WALK_TEXTS`.
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
        text = walk_text(f"err_{self.code}", lang, **self.values)
        if self.row is None:
            return text
        return f"{walk_text('finding', lang)} {self.row}: {text}"


class WalkError(TrygghetskartanError):
    """A walk, finding or decision was refused; every problem is listed.

    Parameters
    ----------
    problems : list of WalkProblem
        What is wrong.
    """

    def __init__(self, problems: Sequence[WalkProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Finding:
    """One finding of a walk.

    Parameters
    ----------
    reason : str
        One of :data:`REASONS`.
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


# --- ids and dates ---------------------------------------------------------------------


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
    return _to_date(reference, "reference")


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


# --- geometry --------------------------------------------------------------------------


def parse_route(text: str, *, crs: str | None = None) -> shapely.LineString:
    """Read a route from WKT or GeoJSON text.

    Parameters
    ----------
    text : str
        ``LINESTRING (...)`` WKT, or GeoJSON (a geometry, Feature or
        FeatureCollection holding one line). A MultiLineString whose parts
        join end to end is merged into one line.
    crs : str, optional
        CRS of the coordinates. Defaults to EPSG:3006 for WKT and, as
        RFC 7946 says, EPSG:4326 (longitude, latitude) for GeoJSON.

    Returns
    -------
    shapely.LineString
        The route in EPSG:3006.

    Raises
    ------
    WalkError
        If the text is neither, holds no single line, or lies outside Sweden
        once in EPSG:3006 (e.g. degrees given as metres).

    Examples
    --------
    >>> round(parse_route("LINESTRING (659000 6589700, 659300 6589900)").length, 1)
    360.6
    """
    source = (text or "").strip()
    if not source:
        raise _route_error("the route is empty")
    try:
        if source.startswith("{"):
            geom = _geojson_geometry(json.loads(source))
            crs = crs or settings.web_crs
        else:
            geom = shapely.from_wkt(source)
            crs = crs or settings.analysis_crs
    except (ValueError, TypeError, KeyError, shapely.errors.GEOSException) as exc:
        raise _route_error(f"not WKT or GeoJSON ({exc})") from exc
    return _as_route(geom, crs)


def route_from_lonlat(points: Sequence[Sequence[float]]) -> shapely.LineString:
    """Build a route from points drawn on a web map (longitude, latitude in WGS 84).

    Parameters
    ----------
    points : sequence of (lon, lat)
        At least two points, in walking order.

    Returns
    -------
    shapely.LineString
        The route in EPSG:3006.

    Raises
    ------
    WalkError
        If there are fewer than two points or they lie outside Sweden.
    """
    coords = [tuple(float(v) for v in p[:2]) for p in points]
    if len(coords) < 2:
        raise _route_error(f"a route needs at least 2 points; received {len(coords)}")
    return _as_route(shapely.LineString(coords), settings.web_crs)


def point_from_latlon(lat: float, lon: float) -> shapely.Point | None:
    """Convert a WGS 84 latitude/longitude to an EPSG:3006 point.

    Parameters
    ----------
    lat, lon : float
        Degrees.

    Returns
    -------
    shapely.Point or None
        The point, or None if either value is missing or out of range.

    Examples
    --------
    >>> round(point_from_latlon(59.42, 17.83).x, -2)
    660600.0
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (np.isfinite(lat_f) and np.isfinite(lon_f) and -90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        return None
    point = gpd.GeoSeries([shapely.Point(lon_f, lat_f)], crs=settings.web_crs).to_crs(settings.analysis_crs)
    return point.iloc[0]


def kommun_outline(store) -> shapely.Geometry | None:
    """Return the kommun polygon of the ``areas`` layer (kind ``kommun``), if stored.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    shapely.Geometry or None
        The union of the ``kommun`` polygons in EPSG:3006, or None when there is none.
    """
    if "areas" not in store.list_layers():
        return None
    areas = store.read("areas", categories=["kommun"])
    if areas.empty:
        return None
    return shapely.union_all(areas.geometry.to_numpy())


def findings_from_table(table: pd.DataFrame) -> list[Finding]:
    """Turn an edited findings table into findings (positions in WGS 84 latitude/longitude).

    Rows with every cell empty are skipped. Values are taken as given;
    :func:`save_walk` checks them and reports every problem at once.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``reason``, ``severity``, ``description``, ``photo``, ``lat``, ``lon``.

    Returns
    -------
    list of Finding
        In table order; a missing or invalid position gives ``point=None``.

    Raises
    ------
    ValueError
        If a column is missing; the message lists the columns needed.
    """
    needed = ("reason", "severity", "description", "photo", "lat", "lon")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        msg = f"the findings table lacks columns {missing}; needed: {', '.join(needed)}"
        raise ValueError(msg)
    out = []
    for record in table[list(needed)].to_dict("records"):
        if all(_blank(v) for v in record.values()):
            continue
        severity = record["severity"]
        out.append(Finding(
            reason="" if _blank(record["reason"]) else str(record["reason"]),
            severity=severity if _blank(severity) else _maybe_int(severity),
            point=point_from_latlon(record["lat"], record["lon"]),
            description="" if _blank(record["description"]) else str(record["description"]).strip(),
            photo="" if _blank(record["photo"]) else str(record["photo"]).strip(),
        ))
    return out


# --- saving ------------------------------------------------------------------------------


def save_walk(
    store,
    *,
    walk_date: dt.date | str,
    area: str,
    route: shapely.LineString | str,
    participants: Mapping[str, int],
    findings: Sequence[Finding] = (),
    note: str = "",
    walk_id: str | None = None,
    user: str | None = None,
    at: pd.Timestamp | str | None = None,
) -> Walk:
    """Check and save a walk with its findings (a new walk, or a new version of one).

    The findings replace the walk's earlier findings: they are numbered
    1..k in the order given, and earlier findings numbered above k are marked
    removed. Nothing is written when any check fails.

    Parameters
    ----------
    store : Store
        The store.
    walk_date : datetime.date or str
        The day of the walk (``"2026-03-01"``).
    area : str
        The area walked (1 to :data:`MAX_AREA_LENGTH` characters).
    route : shapely.LineString or str
        The route: a line in EPSG:3006, or WKT/GeoJSON text for :func:`parse_route`.
    participants : mapping of str to int
        Count per role of :data:`ROLES`; at least one participant.
    findings : sequence of Finding, default ()
        The findings in walking order.
    note : str, default ""
        Free text.
    walk_id : str, optional
        Save a new version of this walk; default a new id ``YYYYMMDD-xxxxxx``.
    user : str, optional
        Who saves; default the operating-system user.
    at : pandas.Timestamp or str, optional
        When; default now.

    Returns
    -------
    Walk
        The walk as saved.

    Raises
    ------
    WalkError
        If anything is wrong (every problem listed), or the walk is published.
    DataStoreError
        If the store cannot be written.

    See Also
    --------
    publish_walk : Write the findings to the ``unsafe_places`` layer.
    """
    problems: list[WalkProblem] = []
    day = _check_date(walk_date, problems)
    area_text = str(area or "").strip()
    if not 1 <= len(area_text) <= MAX_AREA_LENGTH:
        problems.append(_problem(None, "area", "area", f"{len(area_text)} characters; allowed: 1 to "
                                 f"{MAX_AREA_LENGTH}", limit=MAX_AREA_LENGTH))
    line = _check_route(route, problems)
    counts = _check_participants(participants, problems)
    if walk_id is not None:
        walk_id = _check_walk_id(walk_id)
        previous = _latest_walks(store)
        if walk_id in previous.index and str(previous.at[walk_id, "published_at"]):
            raise WalkError([_problem(None, "walk_id", "published",
                                      f"walk {walk_id!r} is published; its findings are locked")])
    problems += _check_findings(findings, line, kommun_outline(store))
    if problems:
        raise WalkError(problems)
    walk_id = walk_id or f"{day:%Y%m%d}-{uuid.uuid4().hex[:6]}"
    who, when = user or _os_user(), _when(at)
    rows = [_finding_row(walk_id, n, f, who, when) for n, f in enumerate(findings, start=1)]
    old = _latest_findings(store)
    old = old[(old["walk_id"] == walk_id) & (old["n"] > len(findings)) & (old["removed"] == 0)]
    for record in old.to_dict("records"):
        rows.append({**record, "removed": 1, "recorded_by": who, "recorded_at": when})
    if rows:
        store.append_records(FINDINGS_TABLE, pd.DataFrame(rows, columns=list(FINDING_COLUMNS)))
    walk = Walk(walk_id, day, area_text, line, counts, str(note or "").strip())
    store.append_records(WALKS_TABLE, pd.DataFrame([_walk_row(walk, who, when)], columns=list(WALK_COLUMNS)))
    return walk


def publish_walk(
    store, walk_id: str, *, user: str | None = None, at: pd.Timestamp | str | None = None
) -> int:
    """Write a walk's findings to the ``unsafe_places`` layer and lock them.

    Each finding becomes an unsafe place with id ``walk-<walk_id>-<n>``,
    ``source="walk"``, ``status="approved"`` and ``reported_at`` the walk's
    day (00:00 Europe/Stockholm). The write is all-or-nothing.

    Parameters
    ----------
    store : Store
        The store.
    walk_id : str
        The walk.
    user : str, optional
        Who publishes; default the operating-system user.
    at : pandas.Timestamp or str, optional
        When; default now.

    Returns
    -------
    int
        The number of unsafe places written.

    Raises
    ------
    WalkError
        If the walk does not exist or is already published.
    ValidationError
        If the store refuses the features (nothing is written).
    """
    walk = get_walk(store, walk_id)
    if walk.published:
        raise WalkError([_problem(None, "walk_id", "published", f"walk {walk_id!r} is published already")])
    frame = to_unsafe_places(walk, walk_findings(store, walk_id))
    if len(frame) and "unsafe_places" in store.list_layers():
        done = set(store.read("unsafe_places")["id"])  # after an interrupted publication
        frame = frame[~frame["id"].isin(done)]
    written = store.write("unsafe_places", frame, mode="append", source=f"trygghetsvandring {walk_id}",
                          note="walk findings") if len(frame) else 0
    published = Walk(walk.walk_id, walk.walk_date, walk.area, walk.route, walk.participants, walk.note,
                     published_at=_when(at))
    store.append_records(WALKS_TABLE, pd.DataFrame([_walk_row(published, user or _os_user(),
                                                              published.published_at)],
                                                   columns=list(WALK_COLUMNS)))
    return written


def to_unsafe_places(walk: Walk, findings: Sequence[Finding]) -> gpd.GeoDataFrame:
    """Return a walk's findings as features of the ``unsafe_places`` layer.

    Parameters
    ----------
    walk : Walk
        The walk.
    findings : sequence of Finding
        Its findings in walking order (numbered from 1).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of the ``unsafe_places`` spec in EPSG:3006: ``id``
        ``walk-<walk_id>-<n>``, ``reason``, ``reported_at`` (the walk's day,
        00:00 Europe/Stockholm), ``status`` ``approved``, ``source`` ``walk``,
        ``description``.
    """
    reported = pd.Timestamp(walk.walk_date).tz_localize(settings.timezone)
    return gpd.GeoDataFrame(
        {
            "id": [finding_id(walk.walk_id, n) for n in range(1, len(findings) + 1)],
            "reason": [f.reason for f in findings],
            "reported_at": pd.Series([reported] * len(findings), dtype=_TIME_DTYPE),
            "status": ["approved"] * len(findings),
            "source": ["walk"] * len(findings),
            "description": [f.description for f in findings],
        },
        geometry=[f.point for f in findings],
        crs=settings.analysis_crs,
    )


def record_decision(
    store,
    finding: str,
    *,
    responsible: str,
    decision: str = "",
    decided_on: dt.date | str | None = None,
    user: str | None = None,
    at: pd.Timestamp | str | None = None,
) -> dict[str, object]:
    """Record who is responsible for a finding and, when made, the decision and its date.

    Parameters
    ----------
    store : Store
        The store.
    finding : str
        A finding id, ``walk-<walk_id>-<n>``.
    responsible : str
        One of :data:`RESPONSIBLE` (KS, KDN, KON, TEN, SON, ÄN, BUN, JHAB, JNAB).
    decision : str, default ""
        The decision; empty while only the responsible body is known.
    decided_on : datetime.date or str, optional
        The decision's date; default today when a decision is given. Not
        before the walk, and only with a decision.
    user : str, optional
        Who records it; default the operating-system user.
    at : pandas.Timestamp or str, optional
        When; default now.

    Returns
    -------
    dict
        The row appended (keys :data:`DECISION_COLUMNS`).

    Raises
    ------
    WalkError
        If the finding does not exist or a value is not allowed.
    """
    findings = _latest_findings(store)
    match = findings[(findings["finding_id"] == finding) & (findings["removed"] == 0)]
    if match.empty:
        raise WalkError([_problem(None, "finding", "unknown_finding", f"{finding!r} does not exist",
                                  finding_id=finding)])
    walk = get_walk(store, str(match["walk_id"].iloc[0]))
    problems: list[WalkProblem] = []
    if responsible not in RESPONSIBLE:
        problems.append(_problem(None, "responsible", "responsible",
                                 f"{responsible!r} is not allowed; allowed: {', '.join(RESPONSIBLE)}"))
    text = str(decision or "").strip()
    if len(text) > MAX_DECISION_LENGTH:
        problems.append(_problem(None, "decision", "description",
                                 f"{len(text)} characters; allowed: at most {MAX_DECISION_LENGTH}",
                                 limit=MAX_DECISION_LENGTH))
    day = None
    if decided_on is not None and str(decided_on).strip():
        day = _check_date(decided_on, problems, field_name="decided_on")
        if not text or (day is not None and day < walk.walk_date):
            problems.append(_problem(None, "decided_on", "decision_date",
                                     f"{decided_on!r} needs a decision and must not be before the walk "
                                     f"({walk.walk_date.isoformat()})"))
    elif text:
        day = reference_date(None)
    if problems:
        raise WalkError(problems)
    row = {
        "finding_id": finding,
        "responsible": responsible,
        "decision": text,
        "decided_on": day.isoformat() if day else "",
        "recorded_by": user or _os_user(),
        "recorded_at": _when(at),
    }
    store.append_records(DECISIONS_TABLE, pd.DataFrame([row], columns=list(DECISION_COLUMNS)))
    return row


# --- reading -----------------------------------------------------------------------------


def list_walks(store) -> pd.DataFrame:
    """Return every walk as last saved, newest walk first.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    pandas.DataFrame
        Columns ``walk_id``, ``walk_date`` (date), ``area``, ``participants``
        (dict), ``findings`` (count), ``published`` (bool), ``published_at``.
    """
    walks = _latest_walks(store)
    findings = _latest_findings(store)
    live = findings[findings["removed"] == 0]
    counts = live.groupby("walk_id").size() if len(live) else pd.Series(dtype="int64")
    out = pd.DataFrame({
        "walk_id": walks.index.to_numpy(dtype=object),
        "walk_date": [_to_date(v, "walk_date") for v in walks["walk_date"]],
        "area": walks["area"].to_numpy(dtype=object),
        "participants": [_participants(v) for v in walks["participants"]],
        "findings": [int(counts.get(w, 0)) for w in walks.index],
        "published": [bool(v) for v in walks["published_at"]],
        "published_at": [v or "" for v in walks["published_at"]],
    })
    return out.sort_values(["walk_date", "walk_id"], ascending=[False, True], kind="stable") \
        .reset_index(drop=True)


def get_walk(store, walk_id: str) -> Walk:
    """Return a walk as last saved.

    Parameters
    ----------
    store : Store
        The store.
    walk_id : str
        The walk.

    Returns
    -------
    Walk
        The walk.

    Raises
    ------
    WalkError
        If there is no such walk.
    """
    walks = _latest_walks(store)
    if walk_id not in walks.index:
        raise WalkError([_problem(None, "walk_id", "unknown_walk", f"{walk_id!r} does not exist; "
                                  f"walks: {', '.join(walks.index) or 'none yet'}", walk_id=walk_id)])
    row = walks.loc[walk_id]
    published = str(row["published_at"] or "")
    return Walk(
        walk_id=walk_id,
        walk_date=_to_date(row["walk_date"], "walk_date"),
        area=str(row["area"]),
        route=shapely.from_wkt(row["route_wkt"]),
        participants=_participants(row["participants"]),
        note=str(row["note"] or ""),
        published_at=pd.Timestamp(published).tz_convert(settings.timezone) if published else None,
    )


def walk_findings(store, walk_id: str) -> list[Finding]:
    """Return a walk's findings in walking order.

    Parameters
    ----------
    store : Store
        The store.
    walk_id : str
        The walk.

    Returns
    -------
    list of Finding
        Numbered from 1 by position.
    """
    findings = _latest_findings(store)
    rows = findings[(findings["walk_id"] == walk_id) & (findings["removed"] == 0)].sort_values("n")
    return [Finding(r["reason"], int(r["severity"]), shapely.from_wkt(r["point_wkt"]), r["description"],
                    r["photo"]) for r in rows.to_dict("records")]


def findings_table(
    store, *, walk_id: str | None = None, reference: dt.date | pd.Timestamp | str | None = None
) -> gpd.GeoDataFrame:
    """Return every finding with its walk, latest decision and overdue flag.

    Parameters
    ----------
    store : Store
        The store.
    walk_id : str, optional
        Only this walk's findings.
    reference : datetime.date, pandas.Timestamp or str, optional
        The day the overdue flag is judged by; default today (Europe/Stockholm).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per finding, by walk date and number, in EPSG:3006: ``finding_id``,
        ``walk_id``, ``n``, ``walk_date``, ``area``, ``reason``, ``severity``,
        ``description``, ``photo``, ``responsible``, ``decision``,
        ``decided_on`` (date or None), ``decided``, ``overdue``, ``published``.
    """
    day = reference_date(reference)
    walks = _latest_walks(store)
    findings = _latest_findings(store)
    findings = findings[(findings["removed"] == 0) & findings["walk_id"].isin(walks.index)]
    if walk_id is not None:
        findings = findings[findings["walk_id"] == walk_id]
    decisions = _latest_decisions(store)
    rows = []
    for record in findings.to_dict("records"):
        walk = walks.loc[record["walk_id"]]
        walk_day = _to_date(walk["walk_date"], "walk_date")
        decision = decisions.loc[record["finding_id"]] if record["finding_id"] in decisions.index else None
        text = "" if decision is None else str(decision["decision"] or "")
        decided_on = None if decision is None or not decision["decided_on"] else \
            _to_date(decision["decided_on"], "decided_on")
        rows.append({
            "finding_id": record["finding_id"],
            "walk_id": record["walk_id"],
            "n": int(record["n"]),
            "walk_date": walk_day,
            "area": str(walk["area"]),
            "reason": record["reason"],
            "severity": int(record["severity"]),
            "description": record["description"],
            "photo": record["photo"],
            "responsible": "" if decision is None else str(decision["responsible"]),
            "decision": text,
            "decided_on": decided_on,
            "decided": bool(text),
            "overdue": is_overdue(walk_day, decided=bool(text), reference=day),
            "published": bool(walk["published_at"]),
            "geometry": shapely.from_wkt(record["point_wkt"]),
        })
    columns = ["finding_id", "walk_id", "n", "walk_date", "area", "reason", "severity", "description",
               "photo", "responsible", "decision", "decided_on", "decided", "overdue", "published"]
    frame = pd.DataFrame(rows, columns=[*columns, "geometry"])
    frame = frame.sort_values(["walk_date", "walk_id", "n"], kind="stable").reset_index(drop=True)
    for name in ("decided", "overdue", "published"):
        frame[name] = frame[name].astype(bool)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.analysis_crs)


def overdue_findings(store, *, reference: dt.date | pd.Timestamp | str | None = None) -> gpd.GeoDataFrame:
    """Return the findings that have no decision more than six months after their walk.

    Parameters
    ----------
    store : Store
        The store.
    reference : datetime.date, pandas.Timestamp or str, optional
        The day to judge by; default today (Europe/Stockholm).

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of :func:`findings_table` with ``overdue`` true.
    """
    table = findings_table(store, reference=reference)
    return table[table["overdue"].to_numpy(dtype=bool)].reset_index(drop=True)


# --- private helpers ------------------------------------------------------------------------


def _problem(row: int | None, field_name: str, code: str, message: str, **values: object) -> WalkProblem:
    return WalkProblem(row, field_name, code, message, dict(values))


def _route_error(detail: str) -> WalkError:
    return WalkError([_problem(None, "route", "route", detail, detail=detail)])


def _geojson_geometry(data: dict) -> shapely.Geometry:
    kind = data.get("type")
    if kind == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in data.get("features", []) if f.get("geometry")]
        lines = [g for g in geoms if g.geom_type in ("LineString", "MultiLineString")]
        if len(lines) != 1:
            msg = f"the FeatureCollection must hold exactly one line; it holds {len(lines)}"
            raise ValueError(msg)
        return lines[0]
    if kind == "Feature":
        return shape(data["geometry"])
    return shape(data)


def _as_route(geom: shapely.Geometry, crs: str) -> shapely.LineString:
    if geom is None or geom.is_empty:
        raise _route_error("the route is empty")
    if geom.geom_type == "MultiLineString":
        geom = shapely.line_merge(geom)
    if geom.geom_type != "LineString":
        raise _route_error(f"received a {geom.geom_type}; allowed: LineString (or joined MultiLineString)")
    try:
        line = gpd.GeoSeries([geom], crs=crs).to_crs(settings.analysis_crs).iloc[0]
    except Exception as exc:  # pyproj raises several types for a bad CRS
        raise _route_error(f"crs={crs!r} cannot be used ({exc})") from exc
    minx, miny, maxx, maxy = line.bounds
    lo_x, lo_y, hi_x, hi_y = SWEREF_BOUNDS
    if not (lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y) or not line.length > 0:
        raise _route_error(
            f"the route lies outside Sweden in {settings.analysis_crs} "
            f"(bounds {tuple(round(b) for b in line.bounds)}); "
            "WKT is read as SWEREF 99 TM metres and GeoJSON as WGS 84 degrees")
    return shapely.set_precision(line, 10**-_WKT_DECIMALS)


def _check_route(route: shapely.LineString | str, problems: list[WalkProblem]) -> shapely.LineString | None:
    try:
        if isinstance(route, str):
            return parse_route(route)
        if not isinstance(route, shapely.Geometry):
            raise _route_error(f"received {type(route).__name__}; allowed: a LineString or WKT/GeoJSON text")
        return _as_route(route, settings.analysis_crs)
    except WalkError as exc:
        problems.extend(exc.problems)
        return None


def _check_participants(participants: Mapping[str, int], problems: list[WalkProblem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    bad = []
    for role, value in dict(participants or {}).items():
        number = _maybe_int(value)
        if role not in ROLES or not isinstance(number, int) or number < 0:
            bad.append(f"{role}={value!r}")
        elif number:
            counts[role] = number
    if bad or not counts:
        received = ", ".join(bad) if bad else "no participants"
        problems.append(_problem(None, "participants", "participants",
                                 f"{received}; allowed: whole numbers >= 0 for roles {', '.join(ROLES)}, "
                                 "at least one participant"))
    return {role: counts[role] for role in ROLES if role in counts}


def _check_findings(
    findings: Sequence[Finding], route: shapely.LineString | None, kommun: shapely.Geometry | None
) -> list[WalkProblem]:
    problems = []
    for n, finding in enumerate(findings, start=1):
        if finding.reason not in REASONS:
            problems.append(_problem(n, "reason", "reason",
                                     f"{finding.reason!r} is not allowed; allowed: {', '.join(REASONS)}"))
        if finding.severity not in SEVERITIES or isinstance(finding.severity, bool):
            problems.append(_problem(n, "severity", "severity",
                                     f"{finding.severity!r} is not allowed; allowed: 1, 2, 3"))
        if len(finding.description) > MAX_DESCRIPTION_LENGTH:
            problems.append(_problem(n, "description", "description",
                                     f"{len(finding.description)} characters; allowed: at most "
                                     f"{MAX_DESCRIPTION_LENGTH}", limit=MAX_DESCRIPTION_LENGTH))
        if finding.photo and not PHOTO_PATTERN.match(finding.photo):
            problems.append(_problem(n, "photo", "photo",
                                     f"{finding.photo!r} is not a photo file name; allowed: a name without "
                                     "a path, ending .jpg, .jpeg, .png, .heic, .heif, .webp or .tif"))
        problems += _check_position(n, finding.point, route, kommun)
    return problems


def _check_position(
    n: int, point: shapely.Point | None, route: shapely.LineString | None, kommun: shapely.Geometry | None
) -> list[WalkProblem]:
    if not isinstance(point, shapely.Point) or point.is_empty:
        return [_problem(n, "position", "position", f"received {point!r}; allowed: a point (lat, lon)")]
    if kommun is not None and not kommun.covers(point):
        return [_problem(n, "position", "outside_kommun",
                         f"({point.x:.0f}, {point.y:.0f}) lies outside the kommun polygon of the "
                         "areas layer")]
    if route is not None:
        distance = float(route.distance(point))
        if distance > MAX_ROUTE_DISTANCE_M:
            return [_problem(n, "position", "far_from_route",
                             f"{distance:.0f} m from the route; allowed: at most "
                             f"{MAX_ROUTE_DISTANCE_M:.0f} m",
                             distance=round(distance), limit=round(MAX_ROUTE_DISTANCE_M))]
    return []


def _check_date(
    value: object, problems: list[WalkProblem], *, field_name: str = "walk_date"
) -> dt.date | None:
    try:
        return _to_date(value, field_name)
    except ValueError as exc:
        problems.append(_problem(None, field_name, "date", str(exc)))
        return None


def _check_walk_id(walk_id: str) -> str:
    if not isinstance(walk_id, str) or not WALK_ID_PATTERN.match(walk_id):
        raise WalkError([_problem(None, "walk_id", "walk_id",
                                  f"{walk_id!r} is not allowed; allowed: 1-40 lowercase letters, digits "
                                  "or '-', starting with a letter or digit")])
    return walk_id


def _to_date(value: object, argument: str) -> dt.date:
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


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _maybe_int(value: object) -> object:
    """Return a whole number as int (``2``, ``2.0``, ``"2"``); anything else unchanged."""
    if isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if np.isfinite(number) and number == int(number) else value


def _when(at: pd.Timestamp | str | None) -> pd.Timestamp:
    if at is None:
        return pd.Timestamp.now(tz=settings.timezone)
    stamp = pd.Timestamp(at)
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone)
    return stamp.tz_convert(settings.timezone)


def _participants(text: str) -> dict[str, int]:
    counts = json.loads(text or "{}")
    return {role: int(counts[role]) for role in (*ROLES, *sorted(counts)) if role in counts}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _wkt(geom: shapely.Geometry) -> str:
    return shapely.to_wkt(geom, rounding_precision=_WKT_DECIMALS, trim=True)


def _walk_row(walk: Walk, who: str, when: pd.Timestamp) -> dict[str, object]:
    return {
        "walk_id": walk.walk_id,
        "walk_date": walk.walk_date.isoformat(),
        "area": walk.area,
        "route_wkt": _wkt(walk.route),
        "participants": json.dumps(walk.participants, sort_keys=True),
        "note": walk.note,
        "published_at": walk.published_at.isoformat() if walk.published_at is not None else "",
        "recorded_by": who,
        "recorded_at": when,
    }


def _finding_row(walk_id: str, n: int, finding: Finding, who: str, when: pd.Timestamp) -> dict[str, object]:
    return {
        "finding_id": finding_id(walk_id, n),
        "walk_id": walk_id,
        "n": n,
        "reason": finding.reason,
        "severity": int(finding.severity),
        "description": finding.description,
        "photo": finding.photo,
        "point_wkt": _wkt(finding.point),
        "removed": 0,
        "recorded_by": who,
        "recorded_at": when,
    }


def _read(store, table: str, columns: tuple[str, ...]) -> pd.DataFrame:
    raw = store.read_records(table)
    if raw.empty and not len(raw.columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = raw[[c for c in columns if c in raw.columns]].copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
        elif column == "recorded_at":
            frame[column] = to_local(frame[column])
        elif column in ("n", "severity", "removed"):
            frame[column] = frame[column].fillna(0).astype("int64")
        else:
            frame[column] = frame[column].fillna("").astype(object)
    return frame[list(columns)]


def _latest_walks(store) -> pd.DataFrame:
    walks = _read(store, WALKS_TABLE, WALK_COLUMNS)
    return walks.drop_duplicates("walk_id", keep="last").set_index("walk_id")


def _latest_findings(store) -> pd.DataFrame:
    findings = _read(store, FINDINGS_TABLE, FINDING_COLUMNS)
    if findings.empty:
        findings = findings.astype({"n": "int64", "severity": "int64", "removed": "int64"})
    return findings.drop_duplicates("finding_id", keep="last").reset_index(drop=True)


def _latest_decisions(store) -> pd.DataFrame:
    decisions = _read(store, DECISIONS_TABLE, DECISION_COLUMNS)
    return decisions.drop_duplicates("finding_id", keep="last").set_index("finding_id")
