"""Graffiti work lists (action 7): the removal queue and the 72-hour follow-up.

The program's deadline is removal within 72 hours of the report
(``settings.graffiti_deadline_hours``). Deadlines can be shorter per object
kind and for offensive content (racist, sexist, threats), which many
kommuner clear within 24 hours; see
:func:`geo.analysis.indicators.graffiti.deadline_hours_for`. Hours are *real elapsed*
hours: across the spring DST change a removal at the same wall-clock time
three days later took 71 hours, across the autumn change 73.

``queue``
    Reports open at ``at``: priority objects first (schools, preschools and
    pedestrian tunnels by object kind, and any report within ``facility_m``
    of a school or preschool in the facilities layer), then by deadline,
    with the hours left or the hours late.
``compliance``
    Per calendar month and quarter, the share removed within 72 hours and
    within the report's own deadline (:mod:`geo.worklists.graffiti_compliance`).
``late``
    Removals after the report's own deadline, most overdue first.
``reports``
    Every report of the period with ``hours_to_removal`` (real elapsed
    hours, empty while open) and ``within_72h``.

A removal recorded after ``at`` is treated as not yet done, so a list made
for an earlier date shows what was open then.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo import settings
from geo.analysis.indicators import graffiti as graffiti_ind
from geo.analysis.nearest import check_metres
from geo.analysis.prepared import Prepared
from geo.audiences import DEFAULT_AUDIENCE
from geo.crs import check_same_crs, require_projected
from geo.i18n import format_number, t
from geo.privacy import check_audience, may_see_layer
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists._common import check_at, check_hours, text_column
from geo.worklists._common import place_xy as _xy
from geo.worklists._common import tz_aware as _tz
from geo.worklists.graffiti_compliance import compliance_table
from layers import get_spec

OBJECT_KIND_CODES: tuple[str, ...] = graffiti_ind.OBJECT_KIND_CODES
"""Object kinds of the graffiti layer."""

PRIORITY_KINDS: tuple[str, ...] = ("school", "preschool", "pedestrian_tunnel")
"""Object kinds that go first in the queue."""

PRIORITY_FACILITY_KINDS: tuple[str, ...] = ("school", "preschool")
"""Facility kinds whose neighbourhood makes a report a priority."""

DEFAULT_FACILITY_M: float = 50.0
"""A report this close to a school or preschool is treated as one."""

DEFAULT_OFFENSIVE_HOURS: float = graffiti_ind.DEFAULT_OFFENSIVE_HOURS
"""Deadline of offensive content, hours (24)."""

REPORT_COLUMNS: tuple[str, ...] = (
    "id", "object_kind", "offensive", "property", "description", "status", "priority", "priority_reason",
    "near_facility", "reported_at", "removed_at", "deadline_hours", "deadline_at", "hours_to_removal",
    "within_72h", "within_deadline", "hours_open", "hours_left", "hours_late", "x", "y",
)
"""Columns of :func:`report_table`, in order."""

QUEUE_COLUMNS: tuple[str, ...] = (
    "rank", "id", "object_kind", "priority", "offensive", "property", "description", "reported_at",
    "deadline_hours", "deadline_at", "hours_open", "hours_left", "hours_late", "hours_to_removal",
    "within_72h", "why", "x", "y",
)
"""Columns of the ``queue`` list, in order."""

LATE_COLUMNS: tuple[str, ...] = (
    "rank", "id", "object_kind", "offensive", "property", "reported_at", "removed_at", "deadline_hours",
    "hours_to_removal", "hours_late", "within_72h", "why", "x", "y",
)
"""Columns of the ``late`` list, in order."""

REPORTS_LIST_COLUMNS: tuple[str, ...] = (
    "rank", "id", "object_kind", "offensive", "property", "status", "reported_at", "removed_at",
    "deadline_hours", "hours_to_removal", "within_72h", "within_deadline", "x", "y",
)
"""Columns of the ``reports`` list, in order."""

_HOUR = pd.Timedelta(hours=1)

__all__ = [
    "DEFAULT_FACILITY_M",
    "DEFAULT_OFFENSIVE_HOURS",
    "LATE_COLUMNS",
    "OBJECT_KIND_CODES",
    "PRIORITY_FACILITY_KINDS",
    "PRIORITY_KINDS",
    "QUEUE_COLUMNS",
    "REPORTS_LIST_COLUMNS",
    "REPORT_COLUMNS",
    "graffiti_worklists",
    "late_removals",
    "removal_queue",
    "report_table",
]


def report_table(
    graffiti: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp,
    deadline_hours: float | None = None,
    per_kind: Mapping[str, float] | None = None,
    offensive_hours: float | None = DEFAULT_OFFENSIVE_HOURS,
    facilities: gpd.GeoDataFrame | None = None,
    facility_m: float = DEFAULT_FACILITY_M,
) -> pd.DataFrame:
    """Return every report made by ``at`` with its deadline, removal time and priority.

    Parameters
    ----------
    graffiti : geopandas.GeoDataFrame
        The graffiti layer: ``id``, tz-aware ``reported_at`` and
        ``removed_at``, ``object_kind``, optionally ``offensive``,
        ``property`` and ``description``; points in a projected CRS.
    at : pandas.Timestamp
        Reference time, tz-aware. Reports made later are left out; removals
        recorded later count as not done.
    deadline_hours : float, optional
        The general deadline; ``settings.graffiti_deadline_hours`` (72)
        when omitted. ``within_72h`` is measured against it.
    per_kind : mapping of str to float, optional
        Deadlines by object kind, e.g. ``{"school": 24}``.
    offensive_hours : float or None, default 24.0
        Deadline of offensive content; None for no special deadline.
    facilities : geopandas.GeoDataFrame, optional
        The facilities layer (``kind``, ``name``), same CRS; a report within
        ``facility_m`` of a school or preschool is a priority.
    facility_m : float, default 50.0
        Distance to a school or preschool, metres.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REPORT_COLUMNS`, in the order of ``graffiti``:
        ``status`` (``open``/``removed``), ``deadline_hours`` (own
        deadline), ``deadline_at`` (local), ``hours_to_removal`` (real
        elapsed hours, NaN while open), ``within_72h`` (against the general
        deadline) and ``within_deadline`` (against the own one; both ``<NA>``
        while open), ``hours_open`` (real hours since the report, while
        open), ``hours_left`` (open and not yet due), ``hours_late``
        (past the own deadline: open, or removed late), ``priority`` and
        ``priority_reason`` (``school``, ``preschool``,
        ``pedestrian_tunnel``, ``near_school``, ``near_preschool`` or
        ``""``), ``near_facility`` (its name) and ``x``/``y``.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one.
    ValueError
        If a time is naive, a removal precedes its report, a deadline or a
        kind is not allowed, or a column is missing.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> reports = gpd.GeoDataFrame({
    ...     "id": ["g1"], "object_kind": ["other"],
    ...     "reported_at": pd.to_datetime(["2026-03-28 20:00"]).tz_localize(tz),
    ...     "removed_at": pd.to_datetime(["2026-03-31 20:30"]).tz_localize(tz)},
    ...     geometry=[Point(0, 0)], crs="EPSG:3006")
    >>> row = report_table(reports, at=pd.Timestamp("2026-04-01", tz=tz)).iloc[0]
    >>> float(row["hours_to_removal"]), bool(row["within_72h"])
    (71.5, True)
    """
    moment = check_at(at)
    require_projected(graffiti, name="graffiti")
    missing = [c for c in ("id", "reported_at", "removed_at", "object_kind") if c not in graffiti.columns]
    if missing:
        msg = (f"graffiti lacks column(s) {', '.join(missing)}; required: id, reported_at, removed_at, "
               "object_kind")
        raise ValueError(msg)
    general = check_hours(deadline_hours, "deadline_hours", default=settings.graffiti_deadline_hours)
    frame = graffiti.copy()
    if "offensive" not in frame.columns:
        frame["offensive"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    own = graffiti_ind.deadline_hours_for(frame, default=general, per_kind=per_kind,
                                          offensive_hours=offensive_hours)
    reported = _tz(frame["reported_at"], "reported_at")
    removed = _tz(frame["removed_at"], "removed_at")
    made = (reported <= moment).to_numpy(dtype=bool, na_value=False)
    frame, reported, removed, own = frame[made], reported[made], removed[made], own[made]
    removed = removed.where(removed <= moment)
    hours = graffiti_ind.hours_to_removal(reported, removed)
    is_open = np.isnan(hours)
    deadline_at = (reported + pd.to_timedelta(own, unit="h")).dt.tz_convert(settings.timezone)
    waited = ((moment - reported) / _HOUR).to_numpy(dtype=float)
    late = np.where(is_open, waited - own, hours - own)
    priority, reason, near = _priorities(frame, facilities, facility_m)
    xy = _xy(frame)
    out = pd.DataFrame({
        "id": frame["id"].astype(str).to_numpy(),
        "object_kind": frame["object_kind"].astype(object).to_numpy(),
        "offensive": frame["offensive"].astype("boolean").fillna(False).to_numpy(dtype=bool),
        "property": text_column(frame, "property"),
        "description": text_column(frame, "description"),
        "status": np.where(is_open, "open", "removed"),
        "priority": priority,
        "priority_reason": reason,
        "near_facility": near,
        "reported_at": reported.dt.tz_convert(settings.timezone).to_numpy(),
        "removed_at": removed.dt.tz_convert(settings.timezone).to_numpy(),
        "deadline_hours": own,
        "deadline_at": deadline_at.to_numpy(),
        "hours_to_removal": np.round(hours, 2),
        "within_72h": graffiti_ind.within_deadline(hours, general),
        "within_deadline": graffiti_ind.within_deadline(hours, own),
        "hours_open": np.where(is_open, np.round(waited, 2), np.nan),
        "hours_left": np.where(is_open & (late <= 0), np.round(-late, 2) + 0.0, np.nan),
        "hours_late": np.where(late > 0, np.round(late, 2), np.nan),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })
    for column in ("reported_at", "removed_at", "deadline_at"):
        out[column] = pd.Series(out[column].to_numpy(), dtype="datetime64[ns, UTC]").dt.tz_convert(
            settings.timezone)
    return out[list(REPORT_COLUMNS)]


def removal_queue(reports: pd.DataFrame, *, lang: str = "sv") -> pd.DataFrame:
    """Order the open reports: priority objects first, then by deadline.

    Parameters
    ----------
    reports : pandas.DataFrame
        From :func:`report_table`.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        The open reports, columns :data:`QUEUE_COLUMNS`: priority first,
        then the earliest deadline, then the earliest report, then ``id``.

    Raises
    ------
    ValueError
        If ``reports`` lacks a column of :data:`REPORT_COLUMNS`.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> layer = gpd.GeoDataFrame({
    ...     "id": ["a", "b"], "object_kind": ["other", "school"],
    ...     "reported_at": pd.to_datetime(["2026-09-27 08:00", "2026-09-30 08:00"]).tz_localize(tz),
    ...     "removed_at": pd.to_datetime([None, None]).tz_localize(tz)},
    ...     geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:3006")
    >>> table = report_table(layer, at=pd.Timestamp("2026-10-01 08:00", tz=tz))
    >>> removal_queue(table, lang="en")[["rank", "id", "hours_left", "hours_late"]].values.tolist()
    [[1, 'b', 48.0, nan], [2, 'a', nan, 24.0]]
    """
    _check_reports(reports)
    queue = reports[reports["status"] == "open"].sort_values(
        ["priority", "deadline_at", "reported_at", "id"], ascending=[False, True, True, True], kind="stable")
    queue = with_rank(queue)
    queue["why"] = [_why_queue(row, lang) for row in queue.itertuples(index=False)]
    return queue[list(QUEUE_COLUMNS)]


def late_removals(
    reports: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    lang: str = "sv",
) -> pd.DataFrame:
    """List the reports of the period removed after their own deadline, most overdue first.

    Parameters
    ----------
    reports : pandas.DataFrame
        From :func:`report_table`.
    start, end : pandas.Timestamp
        The period ``[start, end)`` of the reports.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LATE_COLUMNS`, ordered by ``hours_late`` (largest
        first), then ``id``.

    Raises
    ------
    ValueError
        If ``reports`` lacks a column, or a time is naive.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> layer = gpd.GeoDataFrame({
    ...     "id": ["a", "b"], "object_kind": ["other", "other"],
    ...     "reported_at": pd.to_datetime(["2026-10-24 20:00", "2026-10-01 08:00"]).tz_localize(tz),
    ...     "removed_at": pd.to_datetime(["2026-10-27 19:30", "2026-10-02 08:00"]).tz_localize(tz)},
    ...     geometry=[Point(0, 0)] * 2, crs="EPSG:3006")
    >>> table = report_table(layer, at=pd.Timestamp("2026-11-01", tz=tz))
    >>> late_removals(table, start=pd.Timestamp("2026-10-01", tz=tz),
    ...               end=pd.Timestamp("2026-11-01", tz=tz))[["id", "hours_to_removal", "hours_late"]]
      id  hours_to_removal  hours_late
    0  a              72.5         0.5
    """
    _check_reports(reports)
    first, last = check_at(start, "start"), check_at(end, "end")
    reported = reports["reported_at"]
    late = reports[((reported >= first) & (reported < last) & (reports["status"] == "removed")
                    & (reports["hours_late"] > 0)).to_numpy(dtype=bool)]
    late = with_rank(late.sort_values(["hours_late", "id"], ascending=[False, True], kind="stable"))
    late["why"] = [
        t("worklists.why_late", lang, hours=format_number(row.hours_to_removal, lang, decimals=1),
          over=format_number(row.hours_late, lang, decimals=1),
          deadline=format_number(row.deadline_hours, lang))
        for row in late.itertuples(index=False)
    ]
    return late[list(LATE_COLUMNS)]


def graffiti_worklists(
    prep: Prepared,
    *,
    at: pd.Timestamp,
    start: pd.Timestamp,
    end: pd.Timestamp,
    deadline_hours: float | None = None,
    per_kind: Mapping[str, float] | None = None,
    offensive_hours: float | None = DEFAULT_OFFENSIVE_HOURS,
    facility_m: float = DEFAULT_FACILITY_M,
    audience: str = DEFAULT_AUDIENCE,
    lang: str = "sv",
) -> Worklists:
    """Build the graffiti lists: ``queue``, ``compliance``, ``late`` and ``reports``.

    Parameters
    ----------
    prep : Prepared
        The store's layers (:func:`geo.analysis.prepared.prepare`).
    at : pandas.Timestamp
        Reference time: the queue is what is open then.
    start, end : pandas.Timestamp
        Period of the follow-up, the late removals and the report list.
    deadline_hours : float, optional
        General deadline (72 by default, from settings).
    per_kind : mapping of str to float, optional
        Deadlines by object kind.
    offensive_hours : float or None, default 24.0
        Deadline of offensive content.
    facility_m : float, default 50.0
        Reports this close to a school or preschool go first. The
        facilities layer is used only when the audience may see it.
    audience : {"public", "staff", "protected"}, default "public"
        Who the lists are for.
    lang : {"sv", "en"}, default "sv"
        Language of the ``why`` texts.

    Returns
    -------
    Worklists
        Kind ``graffiti``.

    Raises
    ------
    ValueError
        If an argument cannot be used (the message names it).
    """
    check_audience(audience)
    facilities = prep.frame("facilities") if may_see_layer(get_spec("facilities"), audience) else None
    table = report_table(prep.frame("graffiti"), at=at, deadline_hours=deadline_hours, per_kind=per_kind,
                         offensive_hours=offensive_hours, facilities=facilities, facility_m=facility_m)
    reported = table["reported_at"]
    in_period = table[((reported >= start) & (reported < end)).to_numpy(dtype=bool)]
    listed = with_rank(in_period.sort_values(["reported_at", "id"], kind="stable"))
    general = check_hours(deadline_hours, "deadline_hours", default=settings.graffiti_deadline_hours)
    options = {
        "deadline_hours": general,
        "offensive_hours": offensive_hours,
        "per_kind": dict(per_kind or {}),
        "facility_m": facility_m if facilities is not None else None,
    }
    return Worklists(
        kind="graffiti", at=at, start=start, end=end, audience=audience,
        lists={
            "queue": removal_queue(table, lang=lang),
            "compliance": compliance_table(table, start=start, end=end, deadline_hours=general),
            "late": late_removals(table, start=start, end=end, lang=lang),
            "reports": listed[list(REPORTS_LIST_COLUMNS)],
        },
        options=options,
    )


# --------------------------------------------------------------------------- helpers


def _priorities(frame: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame | None,
                facility_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = frame["object_kind"].astype(object).to_numpy()
    reason = np.where(np.isin(kind, PRIORITY_KINDS), kind, "").astype(object)
    near = np.full(len(frame), "", dtype=object)
    if facilities is not None and len(facilities) and len(frame):
        reach = check_metres(facility_m, "facility_m")
        require_projected(facilities, name="facilities")
        check_same_crs(frame, facilities, left_name="graffiti", right_name="facilities")
        chosen = facilities[facilities["kind"].isin(PRIORITY_FACILITY_KINDS).to_numpy(dtype=bool)]
        if len(chosen):
            distance, nearest = cKDTree(_xy(chosen)).query(_xy(frame), k=1)
            hit = (distance <= reach) & (reason == "")
            kinds = chosen["kind"].astype(object).to_numpy()
            names = chosen["name"].astype(object).fillna("").to_numpy() if "name" in chosen else kinds
            reason[hit] = np.char.add("near_", kinds[nearest[hit]].astype(str)).astype(object)
            close = distance <= reach
            near[close] = names[nearest[close]]
    return reason != "", reason, near


def _why_queue(row: object, lang: str) -> str:
    parts = []
    if row.priority:
        what = t(f"worklists.priority_{row.priority_reason}", lang)
        if row.near_facility and str(row.priority_reason).startswith("near_"):
            what = f"{what} ({row.near_facility})"
        parts.append(t("worklists.why_priority", lang, what=what))
    if row.offensive:
        parts.append(t("worklists.why_offensive", lang, hours=format_number(row.deadline_hours, lang)))
    elif row.deadline_hours != settings.graffiti_deadline_hours:
        parts.append(t("worklists.why_deadline", lang, hours=format_number(row.deadline_hours, lang)))
    if pd.notna(row.hours_late):
        parts.append(t("worklists.why_hours_late", lang,
                       hours=format_number(row.hours_late, lang, decimals=1)))
    else:
        parts.append(t("worklists.why_hours_left", lang,
                       hours=format_number(row.hours_left, lang, decimals=1)))
    return "; ".join(parts)


def _check_reports(reports: pd.DataFrame) -> None:
    missing = [c for c in REPORT_COLUMNS if c not in reports.columns]
    if missing:
        msg = f"reports lacks column(s) {', '.join(missing)}; pass a table from report_table()"
        raise ValueError(msg)
