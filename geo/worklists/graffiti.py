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
    Per calendar month and quarter of the report, overall and per object
    kind: reports, removals, the share removed within 72 hours and within
    the report's own deadline. The base of a share is every report whose
    outcome is known at ``at``: those removed, and those still open past
    their deadline (they can no longer be in time). Reports still open and
    not yet due are counted as ``open_pending`` and left out of the share.
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
from geo.analysis.prepared import Prepared
from geo.crs import check_same_crs, require_projected
from geo.i18n import format_number
from geo.privacy import check_audience, may_see_layer
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists._common import place_xy as _xy
from geo.worklists._common import tz_aware as _tz
from geo.worklists.texts import worklist_text as _t
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

COMPLIANCE_COLUMNS: tuple[str, ...] = (
    "rank", "period_kind", "period", "object_kind", "reports", "removed", "removed_within_72h",
    "removed_late", "open_overdue", "open_pending", "share_within_72h", "share_within_deadline",
)
"""Columns of the ``compliance`` list, in order."""

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

ALL_KINDS: str = "all"
"""``object_kind`` of the compliance rows over every kind."""

_HOUR = pd.Timedelta(hours=1)

__all__ = [
    "ALL_KINDS",
    "COMPLIANCE_COLUMNS",
    "DEFAULT_FACILITY_M",
    "DEFAULT_OFFENSIVE_HOURS",
    "LATE_COLUMNS",
    "OBJECT_KIND_CODES",
    "PRIORITY_FACILITY_KINDS",
    "PRIORITY_KINDS",
    "QUEUE_COLUMNS",
    "REPORTS_LIST_COLUMNS",
    "REPORT_COLUMNS",
    "compliance_table",
    "graffiti_worklists",
    "key_figures",
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
    moment = _check_at(at)
    require_projected(graffiti, name="graffiti")
    missing = [c for c in ("id", "reported_at", "removed_at", "object_kind") if c not in graffiti.columns]
    if missing:
        msg = (f"graffiti lacks column(s) {', '.join(missing)}; required: id, reported_at, removed_at, "
               "object_kind")
        raise ValueError(msg)
    general = _check_hours(deadline_hours, "deadline_hours")
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
        "property": _text(frame, "property"),
        "description": _text(frame, "description"),
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


def compliance_table(
    reports: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    deadline_hours: float | None = None,
) -> pd.DataFrame:
    """Return the deadline follow-up per month and quarter, overall and per object kind.

    Parameters
    ----------
    reports : pandas.DataFrame
        From :func:`report_table` (made at the list's reference time).
    start, end : pandas.Timestamp
        The period ``[start, end)``; a report belongs to the local month
        and quarter it was made in.
    deadline_hours : float, optional
        The general deadline the table was made with (72 by default, from
        settings): an open report waiting longer counts as overdue.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPLIANCE_COLUMNS`: first every month touched by
        the period, then every quarter, oldest first, each with one row for
        all kinds (``object_kind == "all"``) and one per object kind.
        ``share_within_72h`` is ``removed_within_72h / (removed +
        open_overdue)``, with ``open_overdue`` the reports still open past
        the general deadline; ``share_within_deadline`` is the same against
        each report's own deadline. Shares are NaN when nothing is decided.

    Raises
    ------
    ValueError
        If ``reports`` lacks a column, or ``end <= start``.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> layer = gpd.GeoDataFrame({
    ...     "id": ["a", "b", "c"], "object_kind": ["school", "other", "other"],
    ...     "reported_at": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-20"]).tz_localize(tz),
    ...     "removed_at": pd.to_datetime(["2026-03-03", "2026-03-10", None]).tz_localize(tz)},
    ...     geometry=[Point(0, 0)] * 3, crs="EPSG:3006")
    >>> table = report_table(layer, at=pd.Timestamp("2026-04-01", tz=tz))
    >>> out = compliance_table(table, start=pd.Timestamp("2026-03-01", tz=tz),
    ...                        end=pd.Timestamp("2026-04-01", tz=tz))
    >>> out.loc[out["object_kind"] == "all", ["period", "removed", "open_overdue"]].values.tolist()
    [['2026-03', 2, 1], ['2026-Q1', 2, 1]]
    >>> round(float(out["share_within_72h"].iloc[0]), 3)
    0.333
    """
    _check_reports(reports)
    first, last = _check_at(start, "start"), _check_at(end, "end")
    if last <= first:
        msg = f"end={end!r} must be after start={start!r}"
        raise ValueError(msg)
    general = _check_hours(deadline_hours, "deadline_hours")
    reported = reports["reported_at"]
    chosen = reports[((reported >= first) & (reported < last)).to_numpy(dtype=bool)]
    local = chosen["reported_at"].dt.tz_convert(settings.timezone).dt.tz_localize(None)
    first_local = first.tz_convert(settings.timezone).tz_localize(None)
    last_local = (last - pd.Timedelta(1, "ns")).tz_convert(settings.timezone).tz_localize(None)
    rows = []
    for period_kind, freq in (("month", "M"), ("quarter", "Q")):
        labels = local.dt.to_period(freq)
        for period in pd.period_range(first_local.to_period(freq), last_local.to_period(freq), freq=freq):
            in_period = (labels == period).to_numpy(dtype=bool)
            for kind in (ALL_KINDS, *OBJECT_KIND_CODES):
                mask = in_period if kind == ALL_KINDS else in_period & (
                    chosen["object_kind"] == kind).to_numpy(dtype=bool)
                rows.append({"period_kind": period_kind, "period": _period_label(period),
                             "object_kind": kind, **_outcomes(chosen[mask], general)})
    table = pd.DataFrame(rows, columns=[c for c in COMPLIANCE_COLUMNS if c != "rank"])
    return with_rank(table)[list(COMPLIANCE_COLUMNS)]


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
    first, last = _check_at(start, "start"), _check_at(end, "end")
    reported = reports["reported_at"]
    late = reports[((reported >= first) & (reported < last) & (reports["status"] == "removed")
                    & (reports["hours_late"] > 0)).to_numpy(dtype=bool)]
    late = with_rank(late.sort_values(["hours_late", "id"], ascending=[False, True], kind="stable"))
    late["why"] = [
        _t("why_late", lang, hours=format_number(row.hours_to_removal, lang, decimals=1),
           over=format_number(row.hours_late, lang, decimals=1),
           deadline=format_number(row.deadline_hours, lang))
        for row in late.itertuples(index=False)
    ]
    return late[list(LATE_COLUMNS)]


def key_figures(compliance: pd.DataFrame, *, at: pd.Timestamp) -> dict[str, dict[str, object]]:
    """Return the 72-hour share of the last complete month and quarter before ``at``.

    Parameters
    ----------
    compliance : pandas.DataFrame
        From :func:`compliance_table`.
    at : pandas.Timestamp
        The list's reference time.

    Returns
    -------
    dict
        ``{"month": {...}, "quarter": {...}}``, each with ``period`` (label),
        ``share`` (``share_within_72h`` over all kinds, NaN when nothing was
        decided or the period is not in the table) and ``decided``
        (removed + open overdue).

    Raises
    ------
    ValueError
        If ``at`` is naive.

    Examples
    --------
    >>> table = pd.DataFrame({"period_kind": ["month"], "period": ["2026-09"], "object_kind": ["all"],
    ...                       "removed": [9], "open_overdue": [1], "share_within_72h": [0.8]})
    >>> key_figures(table, at=pd.Timestamp("2026-10-01", tz="Europe/Stockholm"))["month"]
    {'period': '2026-09', 'share': 0.8, 'decided': 10}
    """
    local = _check_at(at).tz_convert(settings.timezone).tz_localize(None)
    wanted = {"month": _period_label(local.to_period("M") - 1),
              "quarter": _period_label(local.to_period("Q") - 1)}
    out: dict[str, dict[str, object]] = {}
    for kind, label in wanted.items():
        row = compliance[(compliance["period_kind"] == kind) & (compliance["period"] == label)
                         & (compliance["object_kind"] == ALL_KINDS)]
        if row.empty:
            out[kind] = {"period": label, "share": np.nan, "decided": 0}
            continue
        first = row.iloc[0]
        out[kind] = {"period": label, "share": float(first["share_within_72h"]),
                     "decided": int(first["removed"] + first["open_overdue"])}
    return out


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
    audience: str = "staff",
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
    audience : {"public", "staff", "protected"}, default "staff"
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
    general = _check_hours(deadline_hours, "deadline_hours")
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


def _outcomes(rows: pd.DataFrame, general: float) -> dict[str, object]:
    removed = (rows["status"] == "removed").to_numpy(dtype=bool)
    within = rows["within_72h"].fillna(False).to_numpy(dtype=bool)
    within_own = rows["within_deadline"].fillna(False).to_numpy(dtype=bool)
    waited = rows["hours_open"].to_numpy(dtype=float, na_value=np.nan)
    open_ = ~removed
    with np.errstate(invalid="ignore"):
        past_general = open_ & (waited > general)
    past_own = open_ & (rows["hours_late"].fillna(0) > 0).to_numpy(dtype=bool)
    decided = int(removed.sum() + past_general.sum())
    decided_own = int(removed.sum() + past_own.sum())
    return {
        "reports": len(rows),
        "removed": int(removed.sum()),
        "removed_within_72h": int(within.sum()),
        "removed_late": int((removed & ~within).sum()),
        "open_overdue": int(past_general.sum()),
        "open_pending": int((open_ & ~past_general).sum()),
        "share_within_72h": within.sum() / decided if decided else np.nan,
        "share_within_deadline": within_own.sum() / decided_own if decided_own else np.nan,
    }


def _priorities(frame: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame | None,
                facility_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = frame["object_kind"].astype(object).to_numpy()
    reason = np.where(np.isin(kind, PRIORITY_KINDS), kind, "").astype(object)
    near = np.full(len(frame), "", dtype=object)
    if facilities is not None and len(facilities) and len(frame):
        reach = float(facility_m)
        if not np.isfinite(reach) or reach < 0:
            msg = f"facility_m={facility_m!r} is not allowed; expected a finite number of metres >= 0"
            raise ValueError(msg)
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
        what = _t(f"priority_{row.priority_reason}", lang)
        if row.near_facility and str(row.priority_reason).startswith("near_"):
            what = f"{what} ({row.near_facility})"
        parts.append(_t("why_priority", lang, what=what))
    if row.offensive:
        parts.append(_t("why_offensive", lang, hours=format_number(row.deadline_hours, lang)))
    elif row.deadline_hours != settings.graffiti_deadline_hours:
        parts.append(_t("why_deadline", lang, hours=format_number(row.deadline_hours, lang)))
    if pd.notna(row.hours_late):
        parts.append(_t("why_hours_late", lang, hours=format_number(row.hours_late, lang, decimals=1)))
    else:
        parts.append(_t("why_hours_left", lang, hours=format_number(row.hours_left, lang, decimals=1)))
    return "; ".join(parts)


def _period_label(period: pd.Period) -> str:
    if period.freqstr.startswith("Q"):
        return f"{period.year}-Q{period.quarter}"
    return f"{period.year}-{period.month:02d}"


def _check_reports(reports: pd.DataFrame) -> None:
    missing = [c for c in REPORT_COLUMNS if c not in reports.columns]
    if missing:
        msg = f"reports lacks column(s) {', '.join(missing)}; pass a table from report_table()"
        raise ValueError(msg)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").to_numpy()




def _check_hours(value: float | None, name: str) -> float:
    """Return a deadline in hours, positive and finite; None gives the program's (settings)."""
    if value is None:
        return float(settings.graffiti_deadline_hours)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or number <= 0:
        msg = f"{name}={value!r} is not allowed; expected a positive number of hours, e.g. 72"
        raise ValueError(msg)
    return number


def _check_at(value: pd.Timestamp, name: str = "at") -> pd.Timestamp:
    if not isinstance(value, pd.Timestamp) or value.tzinfo is None:
        msg = (f"{name}={value!r} is not allowed; expected a tz-aware pandas.Timestamp, "
               "e.g. pd.Timestamp('2026-10-01', tz='Europe/Stockholm')")
        raise ValueError(msg)
    return value
