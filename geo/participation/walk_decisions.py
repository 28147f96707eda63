"""Decisions on walk findings, and the follow-up table with the overdue flag (action 9).

Every finding is followed to a decision: the responsible nämnd or bolag,
the decision and its date, appended to
:data:`~geo.participation.walks.DECISIONS_TABLE` (the latest entry per finding
wins). A finding with no decision more than
:data:`~geo.participation.walks.OVERDUE_MONTHS` calendar months after its
walk is overdue.

Examples
--------
>>> import tempfile, pathlib
>>> from shapely import LineString, Point
>>> from geo.participation.walk_store import save_walk
>>> from geo.participation.walks import Finding
>>> from geo.store import open_store
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> _ = save_walk(store, walk_id="viksjo-1", walk_date="2026-03-01", area="Viksjö centrum",
...               route=LineString([(659000, 6589700), (659300, 6589900)]),
...               participants={"residents": 9}, findings=[Finding("lighting", 3, Point(659150, 6589800))])
>>> table = findings_table(store, reference="2026-09-02")
>>> table[["finding_id", "overdue"]].to_dict("records")
[{'finding_id': 'walk-viksjo-1-1', 'overdue': True}]
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.errors import WalkError
from geo.participation.records import local_time, os_user, read_table
from geo.participation.walk_input import check_date
from geo.participation.walk_store import get_walk, latest_findings, latest_walks
from geo.participation.walks import (
    DECISION_COLUMNS,
    DECISIONS_TABLE,
    MAX_DECISION_LENGTH,
    RESPONSIBLE,
    WalkProblem,
    is_overdue,
    problem,
    reference_date,
    to_date,
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
        One of :data:`~geo.participation.walks.RESPONSIBLE` (KS, KDN, KON, TEN, SON, ÄN, BUN, JHAB, JNAB).
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
        The row appended (keys :data:`~geo.participation.walks.DECISION_COLUMNS`).

    Raises
    ------
    WalkError
        If the finding does not exist or a value is not allowed.
    """
    findings = latest_findings(store)
    match = findings[(findings["finding_id"] == finding) & (findings["removed"] == 0)]
    if match.empty:
        raise WalkError([problem(None, "finding", "unknown_finding", f"{finding!r} does not exist",
                                 finding_id=finding)])
    walk = get_walk(store, str(match["walk_id"].iloc[0]))
    problems: list[WalkProblem] = []
    if responsible not in RESPONSIBLE:
        problems.append(problem(None, "responsible", "responsible",
                                f"{responsible!r} is not allowed; allowed: {', '.join(RESPONSIBLE)}"))
    text = str(decision or "").strip()
    if len(text) > MAX_DECISION_LENGTH:
        problems.append(problem(None, "decision", "description",
                                f"{len(text)} characters; allowed: at most {MAX_DECISION_LENGTH}",
                                limit=MAX_DECISION_LENGTH))
    day = None
    if decided_on is not None and str(decided_on).strip():
        day = check_date(decided_on, problems, field_name="decided_on")
        if not text or (day is not None and day < walk.walk_date):
            problems.append(problem(None, "decided_on", "decision_date",
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
        "recorded_by": user or os_user(),
        "recorded_at": local_time(at),
    }
    store.append_records(DECISIONS_TABLE, pd.DataFrame([row], columns=list(DECISION_COLUMNS)))
    return row


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
    walks = latest_walks(store)
    findings = latest_findings(store)
    findings = findings[(findings["removed"] == 0) & findings["walk_id"].isin(walks.index)]
    if walk_id is not None:
        findings = findings[findings["walk_id"] == walk_id]
    decisions = _latest_decisions(store)
    rows = []
    for record in findings.to_dict("records"):
        walk = walks.loc[record["walk_id"]]
        walk_day = to_date(walk["walk_date"], "walk_date")
        decision = decisions.loc[record["finding_id"]] if record["finding_id"] in decisions.index else None
        text = "" if decision is None else str(decision["decision"] or "")
        decided_on = None if decision is None or not decision["decided_on"] else \
            to_date(decision["decided_on"], "decided_on")
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


def _latest_decisions(store) -> pd.DataFrame:
    decisions = read_table(store, DECISIONS_TABLE, DECISION_COLUMNS, times=("recorded_at",))
    return decisions.drop_duplicates("finding_id", keep="last").set_index("finding_id")
