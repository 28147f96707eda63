"""Save, publish and read trygghetsvandringar and their findings.

A walk is saved as a new row of :data:`~geo.participation.walks.WALKS_TABLE`
and its findings as rows of :data:`~geo.participation.walks.FINDINGS_TABLE`;
the latest row per id wins. :func:`publish_walk` writes the findings to the
``unsafe_places`` layer and locks them.

Examples
--------
>>> import tempfile, pathlib
>>> from shapely import LineString, Point
>>> from geo.participation.walks import Finding
>>> from geo.store import open_store
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> walk = save_walk(store, walk_id="viksjo-1", walk_date="2026-03-01", area="Viksjö centrum",
...                  route=LineString([(659000, 6589700), (659300, 6589900)]),
...                  participants={"residents": 9, "police": 1, "municipality": 3},
...                  findings=[Finding("lighting", 3, Point(659150, 6589800), "Släckta lampor")],
...                  user="anna")
>>> walk.walk_id, len(walk_findings(store, "viksjo-1"))
('viksjo-1', 1)
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.errors import WalkError
from geo.participation.places import kommun_outline, unsafe_place_features
from geo.participation.records import local_time, os_user, read_table
from geo.participation.walk_input import check_findings, check_walk, check_walk_id
from geo.participation.walks import (
    FINDING_COLUMNS,
    FINDINGS_TABLE,
    ROLES,
    WALK_COLUMNS,
    WALKS_TABLE,
    WKT_DECIMALS,
    Finding,
    Walk,
    finding_id,
    problem,
    to_date,
)


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
        The area walked (1 to :data:`~geo.participation.walks.MAX_AREA_LENGTH` characters).
    route : shapely.LineString or str
        The route: a line in EPSG:3006, or WKT/GeoJSON text for
        :func:`~geo.participation.walk_input.parse_route`.
    participants : mapping of str to int
        Count per role of :data:`~geo.participation.walks.ROLES`; at least one participant.
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
    day, area_text, line, counts, problems = check_walk(walk_date, area, route, participants)
    if walk_id is not None:
        walk_id = check_walk_id(walk_id)
        previous = latest_walks(store)
        if walk_id in previous.index and str(previous.at[walk_id, "published_at"]):
            raise WalkError([problem(None, "walk_id", "published",
                                     f"walk {walk_id!r} is published; its findings are locked")])
    problems += check_findings(findings, line, kommun_outline(store))
    if problems:
        raise WalkError(problems)
    walk_id = walk_id or f"{day:%Y%m%d}-{uuid.uuid4().hex[:6]}"
    who, when = user or os_user(), local_time(at)
    rows = [_finding_row(walk_id, n, f, who, when) for n, f in enumerate(findings, start=1)]
    old = latest_findings(store)
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
        raise WalkError([problem(None, "walk_id", "published", f"walk {walk_id!r} is published already")])
    frame = to_unsafe_places(walk, walk_findings(store, walk_id))
    if len(frame) and "unsafe_places" in store.list_layers():
        done = set(store.read("unsafe_places")["id"])  # after an interrupted publication
        frame = frame[~frame["id"].isin(done)]
    written = store.write("unsafe_places", frame, mode="append", source=f"trygghetsvandring {walk_id}",
                          note="walk findings") if len(frame) else 0
    published = Walk(walk.walk_id, walk.walk_date, walk.area, walk.route, walk.participants, walk.note,
                     published_at=local_time(at))
    store.append_records(WALKS_TABLE, pd.DataFrame([_walk_row(published, user or os_user(),
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
    return unsafe_place_features(
        [finding_id(walk.walk_id, n) for n in range(1, len(findings) + 1)],
        [f.reason for f in findings],
        [reported] * len(findings),
        [f.description for f in findings],
        [f.point for f in findings],
        source="walk",
        crs=settings.analysis_crs,
    )


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
    walks = latest_walks(store)
    findings = latest_findings(store)
    live = findings[findings["removed"] == 0]
    counts = live.groupby("walk_id").size() if len(live) else pd.Series(dtype="int64")
    out = pd.DataFrame({
        "walk_id": walks.index.to_numpy(dtype=object),
        "walk_date": [to_date(v, "walk_date") for v in walks["walk_date"]],
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
    walks = latest_walks(store)
    if walk_id not in walks.index:
        raise WalkError([problem(None, "walk_id", "unknown_walk", f"{walk_id!r} does not exist; "
                                 f"walks: {', '.join(walks.index) or 'none yet'}", walk_id=walk_id)])
    row = walks.loc[walk_id]
    published = str(row["published_at"] or "")
    return Walk(
        walk_id=walk_id,
        walk_date=to_date(row["walk_date"], "walk_date"),
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
    findings = latest_findings(store)
    rows = findings[(findings["walk_id"] == walk_id) & (findings["removed"] == 0)].sort_values("n")
    return [Finding(r["reason"], int(r["severity"]), shapely.from_wkt(r["point_wkt"]), r["description"],
                    r["photo"]) for r in rows.to_dict("records")]


def latest_walks(store) -> pd.DataFrame:
    """Return every walk's latest row, indexed by ``walk_id``.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~geo.participation.walks.WALK_COLUMNS` as stored (text).
    """
    walks = read_table(store, WALKS_TABLE, WALK_COLUMNS, times=("recorded_at",))
    return walks.drop_duplicates("walk_id", keep="last").set_index("walk_id")


def latest_findings(store) -> pd.DataFrame:
    """Return every finding's latest row (removed ones too, ``removed`` 1).

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~geo.participation.walks.FINDING_COLUMNS`; ``n``,
        ``severity`` and ``removed`` as ``int64``.
    """
    findings = read_table(store, FINDINGS_TABLE, FINDING_COLUMNS, times=("recorded_at",),
                          integers=("n", "severity", "removed"))
    return findings.drop_duplicates("finding_id", keep="last").reset_index(drop=True)


def _participants(text: str) -> dict[str, int]:
    counts = json.loads(text or "{}")
    return {role: int(counts[role]) for role in (*ROLES, *sorted(counts)) if role in counts}


def _wkt(geom: shapely.Geometry) -> str:
    return shapely.to_wkt(geom, rounding_precision=WKT_DECIMALS, trim=True)


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

