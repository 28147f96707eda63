"""Lighting work lists (action 9): places to light, open lamp faults, time to repair.

``places``
    Unsafe places still open (``new``, ``approved``, ``in_progress``) and
    clusters of incidents after dark, ranked for lighting. A place is on the
    list when it lies more than ``dark_threshold_m`` from a working lamp, or
    within ``near_m`` of a lamp that is out (status ``broken`` or a fault
    open at ``at``). Its score adds up four documented factors
    (:data:`DEFAULT_WEIGHTS`), and ``why`` spells out each factor's points:

    - *distance*: ``distance / dark_threshold_m`` points beyond the
      threshold, at most :data:`MAX_DISTANCE_POINTS` (and that many when no
      lamp works at all);
    - *night*: one point per incident after dark *in the dark* within
      ``radius_m`` (see :func:`in_the_dark`);
    - *reports*: per open unsafe-place report within ``radius_m``,
      :data:`LIGHTING_REPORT_POINTS` when its reason is lighting, else one;
    - *broken*: one point per lamp out within ``near_m``.
``faults``
    Lamps with a fault open at ``at`` (and broken lamps without a fault
    date), oldest first.
``repairs``
    Per calendar month of the period: faults fixed, and the median and
    longest days from report to repair.

"After dark" is either a local time window (``dark_hours=(18, 6)``) or the
real sun (``sun=True``): from sunset to sunrise at Järfälla's latitude on
the incident's date (:mod:`geo.worklists.sun`).

An incident is *in the dark* when it lies farther than ``dark_threshold_m``
from a working lamp, or when the lamp nearest to it is out: an incident in
a lit street with one broken lamp further along does not count. Incident
clusters are single-linkage groups of after-dark incidents in the dark at
most ``cluster_m`` apart, with at
least ``min_cluster`` members (``settings.min_count`` by default, so a
cluster's centre never stands for fewer incidents than a published count).
The centre is the members' mean, rounded to whole metres; incident
geometries themselves never leave this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from geo import settings
from geo.analysis.filters import hour_mask
from geo.analysis.indicators import darkness
from geo.analysis.prepared import Prepared
from geo.crs import check_same_crs, require_projected
from geo.i18n import format_date, format_number
from geo.privacy import check_audience, suppress_small_counts
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists.sun import JARFALLA_LATITUDE, JARFALLA_LONGITUDE, is_dark
from geo.worklists.texts import worklist_text as _t

DEFAULT_DARK_HOURS: tuple[int, int] = (18, 6)
"""Local hours counted as after dark when the sun is not used: 18:00 to 06:00."""

DEFAULT_DARK_THRESHOLD_M: float = darkness.DEFAULT_DARK_THRESHOLD_M
"""A place farther than this from a working lamp is dark (50 m)."""

DEFAULT_NEAR_M: float = 50.0
"""Lamps that are out within this distance of a place count against it."""

DEFAULT_RADIUS_M: float = 100.0
"""Incidents after dark and reports within this distance count for a place."""

DEFAULT_CLUSTER_M: float = 100.0
"""Largest gap between two incidents of one cluster."""

MAX_DISTANCE_POINTS: float = 4.0
"""Most points distance alone can give (4 = four times the dark threshold)."""

LIGHTING_REPORT_POINTS: float = 2.0
"""Points of a report whose reason is lighting (other reasons give one)."""

DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"distance": 1.0, "night": 1.0, "reports": 1.0, "broken": 1.0}
)
"""Weight of each factor's points in the score."""

OPEN_UNSAFE_STATUSES: tuple[str, ...] = ("new", "approved", "in_progress")
"""Statuses of an unsafe place that still asks for action."""

PLACE_SOURCES: tuple[str, ...] = ("unsafe_place", "incident_cluster")
"""Values of ``source`` in the ``places`` list."""

PLACE_COLUMNS: tuple[str, ...] = (
    "rank", "place_id", "source", "description", "distance_m", "night_incidents", "reports",
    "reports_lighting", "broken_lamps", "score", "why", "x", "y",
)
"""Columns of the ``places`` list, in order."""

FAULT_COLUMNS: tuple[str, ...] = (
    "rank", "id", "lamp_id", "status", "fault_reported_at", "age_days", "why", "x", "y",
)
"""Columns of the ``faults`` list, in order."""

REPAIR_COLUMNS: tuple[str, ...] = ("rank", "month", "repairs", "median_days", "max_days")
"""Columns of the ``repairs`` list, in order."""

_DAY = pd.Timedelta(days=1)

__all__ = [
    "DEFAULT_CLUSTER_M",
    "DEFAULT_DARK_HOURS",
    "DEFAULT_DARK_THRESHOLD_M",
    "DEFAULT_NEAR_M",
    "DEFAULT_RADIUS_M",
    "DEFAULT_WEIGHTS",
    "FAULT_COLUMNS",
    "LIGHTING_REPORT_POINTS",
    "MAX_DISTANCE_POINTS",
    "OPEN_UNSAFE_STATUSES",
    "PLACE_COLUMNS",
    "PLACE_SOURCES",
    "REPAIR_COLUMNS",
    "after_dark",
    "in_the_dark",
    "incident_clusters",
    "lamp_states",
    "lighting_worklists",
    "open_fault_list",
    "rank_dark_places",
    "repair_times",
]


# --------------------------------------------------------------------------- building blocks


def lamp_states(lamps: pd.DataFrame, *, at: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Return, per lamp, whether it gives light and whether it is out at ``at``.

    Parameters
    ----------
    lamps : pandas.DataFrame
        The lighting layer: ``status`` and, optionally, tz-aware
        ``fault_reported_at`` and ``fault_fixed_at``.
    at : pandas.Timestamp
        The moment, tz-aware.

    Returns
    -------
    lit : numpy.ndarray of bool
        Status ``working`` and no fault open at ``at``.
    out : numpy.ndarray of bool
        Status ``broken``, or a fault open at ``at``. Planned lamps are
        neither.

    Raises
    ------
    ValueError
        If a status is unknown, ``at`` is naive, or a fault column is naive.

    Examples
    --------
    >>> tz = "Europe/Stockholm"
    >>> lamps = pd.DataFrame({
    ...     "status": ["working", "working", "broken", "planned"],
    ...     "fault_reported_at": pd.to_datetime([None, "2026-09-01", None, None]).tz_localize(tz),
    ...     "fault_fixed_at": pd.to_datetime([None, None, None, None]).tz_localize(tz)})
    >>> lit, out = lamp_states(lamps, at=pd.Timestamp("2026-10-01", tz=tz))
    >>> lit.tolist(), out.tolist()
    ([True, False, False, False], [False, True, True, False])
    """
    darkness.working_lamps(lamps)  # checks the column and its values
    status = lamps["status"].astype(object)
    working = (status == "working").to_numpy(dtype=bool)
    broken = (status == "broken").to_numpy(dtype=bool)
    if {"fault_reported_at", "fault_fixed_at"} <= set(lamps.columns):
        fault = darkness.open_fault_mask(lamps, at=at)
    else:
        _check_at(at)
        fault = np.zeros(len(lamps), dtype=bool)
    planned = ~working & ~broken
    return working & ~fault, (broken | fault) & ~planned


def in_the_dark(
    points_xy: np.ndarray,
    lamps: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp,
    dark_threshold_m: float = DEFAULT_DARK_THRESHOLD_M,
) -> np.ndarray:
    """Return, per point, whether it is in the dark at ``at``.

    A point is in the dark when it lies farther than ``dark_threshold_m``
    from a lamp that gives light, or when the lamp nearest to it is out.

    Parameters
    ----------
    points_xy : numpy.ndarray, shape (n, 2)
        Coordinates in the lamps' CRS; a non-finite row is not in the dark.
    lamps : geopandas.GeoDataFrame
        The lighting layer in a projected CRS.
    at : pandas.Timestamp
        The moment, tz-aware (see :func:`lamp_states`).
    dark_threshold_m : float, default 50.0
        Distance beyond which a point is dark, metres.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True in the dark.

    Raises
    ------
    CRSError
        If ``lamps`` has no CRS or a geographic one.
    ValueError
        If the threshold is negative or a lamp column is not allowed.

    Examples
    --------
    >>> from shapely import Point
    >>> lamps = gpd.GeoDataFrame({"status": ["working", "broken"]},
    ...     geometry=[Point(0, 0), Point(40, 0)], crs="EPSG:3006")
    >>> xy = np.array([[10.0, 0.0], [38.0, 0.0], [0.0, 80.0]])
    >>> in_the_dark(xy, lamps, at=pd.Timestamp("2026-10-01", tz="Europe/Stockholm")).tolist()
    [False, True, True]
    """
    threshold = _check_non_negative(dark_threshold_m, "dark_threshold_m")
    points = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    if len(lamps) == 0:
        return np.isfinite(points).all(axis=1)
    require_projected(lamps, name="lamps")
    lit, out = lamp_states(lamps, at=at)
    lamp_xy = _surface_xy(lamps)
    to_lit = darkness.nearest_distance(points, lamp_xy[lit])
    to_out = darkness.nearest_distance(points, lamp_xy[out])
    with np.errstate(invalid="ignore"):
        return (to_lit > threshold) | (to_out < to_lit)


def after_dark(
    times: pd.Series,
    *,
    dark_hours: tuple[int, int] | None = DEFAULT_DARK_HOURS,
    sun: bool = False,
    latitude: float = JARFALLA_LATITUDE,
    longitude: float = JARFALLA_LONGITUDE,
) -> np.ndarray:
    """Return, per moment, whether it is after dark.

    Parameters
    ----------
    times : pandas.Series
        Tz-aware moments.
    dark_hours : tuple of int, default (18, 6)
        Local window ``[start, end)`` in whole hours, may cross midnight;
        ignored when ``sun`` is True.
    sun : bool, default False
        Use the real sunset and sunrise at ``latitude``/``longitude``.
    latitude, longitude : float
        Where the sun is computed; Järfälla by default.

    Returns
    -------
    numpy.ndarray of bool
        True after dark; ``NaT`` gives False.

    Raises
    ------
    ValueError
        If ``times`` is naive, or neither a window nor ``sun`` is given.

    Examples
    --------
    >>> t = pd.Series(pd.to_datetime(["2026-06-21 20:00", "2026-12-21 16:00"]).tz_localize(
    ...     "Europe/Stockholm"))
    >>> after_dark(t).tolist(), after_dark(t, sun=True).tolist()
    ([True, False], [False, True])
    """
    if sun:
        return is_dark(times, latitude=latitude, longitude=longitude)
    if dark_hours is None:
        msg = "dark_hours=None is not allowed without sun=True; give a window such as (18, 6)"
        raise ValueError(msg)
    series = times if isinstance(times, pd.Series) else pd.Series(times)
    if not isinstance(series.dtype, pd.DatetimeTZDtype):
        msg = f"times has dtype {series.dtype}; expected tz-aware datetimes"
        raise ValueError(msg)
    local = series.dt.tz_convert(settings.timezone)
    hours = local.dt.hour.to_numpy(dtype=float, na_value=-1).astype(np.int64)
    return hour_mask(hours, tuple(dark_hours)) & series.notna().to_numpy()


def incident_clusters(
    points_xy: np.ndarray,
    *,
    cluster_m: float = DEFAULT_CLUSTER_M,
    min_size: int | None = None,
) -> pd.DataFrame:
    """Group points into single-linkage clusters and return the large ones.

    Two points are in one cluster when a chain of points at most
    ``cluster_m`` apart joins them.

    Parameters
    ----------
    points_xy : numpy.ndarray, shape (n, 2)
        Coordinates in metres; rows with a non-finite value are ignored.
    cluster_m : float, default 100.0
        Largest link length, metres, > 0.
    min_size : int, optional
        Fewest points of a cluster that is returned; defaults to
        ``settings.min_count``.

    Returns
    -------
    pandas.DataFrame
        One row per cluster, ordered by size (largest first), then ``x``,
        ``y``: ``cluster_id`` (``"cluster-001"`` …), ``size``, and the
        centre ``x``, ``y`` (mean, rounded to whole metres).

    Raises
    ------
    ValueError
        If ``points_xy`` is not (n, 2), ``cluster_m`` is not positive or
        ``min_size`` is below 1.

    Examples
    --------
    >>> xy = np.array([[0, 0], [60, 0], [120, 0], [500, 0], [900, 0]], dtype=float)
    >>> incident_clusters(xy, cluster_m=70, min_size=3)
        cluster_id  size     x    y
    0  cluster-001     3  60.0  0.0
    """
    xy = np.asarray(points_xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        msg = f"points_xy must have shape (n, 2); received shape {xy.shape}"
        raise ValueError(msg)
    link = _check_positive(cluster_m, "cluster_m")
    smallest = settings.min_count if min_size is None else min_size
    if isinstance(smallest, bool) or not isinstance(smallest, int | np.integer) or smallest < 1:
        msg = f"min_size={min_size!r} is not allowed; expected an integer >= 1"
        raise ValueError(msg)
    xy = xy[np.isfinite(xy).all(axis=1)]
    empty = pd.DataFrame({"cluster_id": pd.Series([], dtype=object), "size": pd.Series([], dtype="int64"),
                          "x": pd.Series([], dtype=float), "y": pd.Series([], dtype=float)})
    if len(xy) == 0:
        return empty
    pairs = cKDTree(xy).query_pairs(r=link, output_type="ndarray")
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy), len(xy)))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    cx = np.round(np.bincount(labels, weights=xy[:, 0]) / sizes)
    cy = np.round(np.bincount(labels, weights=xy[:, 1]) / sizes)
    keep = sizes >= smallest
    if not keep.any():
        return empty
    found = pd.DataFrame({"size": sizes[keep].astype("int64"), "x": cx[keep], "y": cy[keep]})
    found = found.sort_values(["size", "x", "y"], ascending=[False, True, True], ignore_index=True)
    found.insert(0, "cluster_id", [f"cluster-{i:03d}" for i in range(1, len(found) + 1)])
    return found


def rank_dark_places(
    places: gpd.GeoDataFrame,
    lamps: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp,
    night_xy: np.ndarray | None = None,
    reports: gpd.GeoDataFrame | None = None,
    dark_threshold_m: float = DEFAULT_DARK_THRESHOLD_M,
    near_m: float = DEFAULT_NEAR_M,
    radius_m: float = DEFAULT_RADIUS_M,
    weights: Mapping[str, float] | None = None,
    audience: str = "staff",
    lang: str = "sv",
) -> pd.DataFrame:
    """Rank candidate places for lighting, with the reasons.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Candidates in a projected CRS: ``place_id``, optionally ``source``
        (one of :data:`PLACE_SOURCES`, default ``unsafe_place``) and
        ``description``; points or polygons (a polygon counts from a point
        on its surface).
    lamps : geopandas.GeoDataFrame
        The lighting layer, in the same CRS.
    at : pandas.Timestamp
        Reference time: which lamps work and which faults are open.
    night_xy : numpy.ndarray, shape (n, 2), optional
        Coordinates of the incidents after dark that may be counted
        (already filtered by period, category and audience); those in the
        dark (:func:`in_the_dark`) within ``radius_m`` count.
    reports : geopandas.GeoDataFrame, optional
        Open unsafe-place reports with a ``reason`` column, counted within
        ``radius_m`` (a candidate that is itself a report counts itself).
    dark_threshold_m : float, default 50.0
        A place farther than this from a working lamp is dark.
    near_m : float, default 50.0
        Lamps out within this distance make a place eligible and add points.
    radius_m : float, default 100.0
        Radius for incidents after dark and reports.
    weights : mapping of str to float, optional
        Weights of the factors ``distance``, ``night``, ``reports``,
        ``broken``; missing keys keep :data:`DEFAULT_WEIGHTS`.
    audience : {"public", "staff", "protected"}, default "staff"
        For ``public``, incident counts from 1 to k-1 are blanked (and
        weigh as one incident).
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        The eligible places, columns :data:`PLACE_COLUMNS`, ranked by score
        (highest first), then incidents after dark, distance and
        ``place_id``. ``distance_m`` is ``inf`` when no lamp works.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a column is missing, a distance or weight is negative, or a
        source is unknown.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> lamps = gpd.GeoDataFrame({"status": ["working", "broken"]},
    ...     geometry=[Point(0, 0), Point(300, 20)], crs="EPSG:3006")
    >>> places = gpd.GeoDataFrame({"place_id": ["a", "b", "c"]},
    ...     geometry=[Point(30, 40), Point(300, 0), Point(0, 200)], crs="EPSG:3006")
    >>> out = rank_dark_places(places, lamps, at=pd.Timestamp("2026-10-01", tz=tz), lang="en")
    >>> out[["rank", "place_id", "distance_m", "broken_lamps", "score"]].values.tolist()
    [[1, 'b', 300.0, 1, 5.0], [2, 'c', 200.0, 0, 4.0]]
    """
    check_audience(audience)
    threshold = _check_non_negative(dark_threshold_m, "dark_threshold_m")
    near = _check_non_negative(near_m, "near_m")
    radius = _check_non_negative(radius_m, "radius_m")
    weight = _check_weights(weights)
    require_projected(places, name="places")
    require_projected(lamps, name="lamps")
    if "place_id" not in places.columns:
        msg = f"places lacks column 'place_id'; columns: {', '.join(map(str, places.columns))}"
        raise ValueError(msg)
    check_same_crs(places, lamps, left_name="places", right_name="lamps")
    sources = (places["source"].astype(object).fillna("unsafe_place") if "source" in places.columns
               else pd.Series("unsafe_place", index=places.index, dtype=object))
    unknown = sorted(set(sources) - set(PLACE_SOURCES))
    if unknown:
        msg = f"places.source holds {', '.join(map(repr, unknown))}; allowed: {', '.join(PLACE_SOURCES)}"
        raise ValueError(msg)

    xy = _surface_xy(places)
    lit, out = lamp_states(lamps, at=at)
    lamp_xy = _surface_xy(lamps)
    distance = darkness.nearest_distance(xy, lamp_xy[lit])
    broken = darkness.count_within(xy, lamp_xy[out], near)
    night = np.zeros(len(xy), dtype=np.int64)
    if night_xy is not None and len(night_xy):
        incidents = np.asarray(night_xy, dtype=float).reshape(-1, 2)
        dark = in_the_dark(incidents, lamps, at=at, dark_threshold_m=threshold)
        night = darkness.count_within(xy, incidents[dark], radius)
    n_reports, n_lighting = _reports_near(xy, reports, radius)

    eligible = (distance > threshold) | (broken > 0)
    table = pd.DataFrame({
        "place_id": places["place_id"].astype(str).to_numpy(),
        "source": sources.to_numpy(),
        "description": (places["description"].astype(object).fillna("").to_numpy()
                        if "description" in places.columns else ""),
        "distance_m": np.round(distance, 0),
        "night_incidents": night,
        "reports": n_reports,
        "reports_lighting": n_lighting,
        "broken_lamps": broken,
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })[eligible]
    shown_night = suppress_small_counts(table["night_incidents"], audience)
    points = {
        "distance": np.where(table["distance_m"] > threshold,
                             np.minimum(table["distance_m"] / max(threshold, 1.0), MAX_DISTANCE_POINTS), 0.0),
        "night": shown_night.fillna(1).to_numpy(dtype=float),
        "reports": (table["reports"] - table["reports_lighting"]
                    + LIGHTING_REPORT_POINTS * table["reports_lighting"]).to_numpy(dtype=float),
        "broken": table["broken_lamps"].to_numpy(dtype=float),
    }
    weighted = {name: weight[name] * value for name, value in points.items()}
    table["score"] = np.round(sum(weighted.values()), 2)
    table["night_incidents"] = shown_night.array
    table["why"] = _why_places(table, weighted, threshold=threshold, near=near, radius=radius,
                               lang=lang)
    table = table.sort_values(
        ["score", "night_incidents", "distance_m", "place_id"],
        ascending=[False, False, False, True], na_position="last", kind="stable")
    return with_rank(table)[list(PLACE_COLUMNS)]


def open_fault_list(lamps: gpd.GeoDataFrame, *, at: pd.Timestamp, lang: str = "sv") -> pd.DataFrame:
    """List the lamps out at ``at``, oldest fault first.

    Parameters
    ----------
    lamps : geopandas.GeoDataFrame
        The lighting layer (``id``, ``lamp_id``, ``status``,
        ``fault_reported_at``, ``fault_fixed_at``).
    at : pandas.Timestamp
        Reference time, tz-aware.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FAULT_COLUMNS`: lamps with a fault open at ``at``
        ordered by age (days since reported, real elapsed time), then broken
        lamps without a fault date (age empty), by ``id``.

    Raises
    ------
    ValueError
        If ``at`` is naive or a column is missing or naive.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> lamps = gpd.GeoDataFrame({
    ...     "id": ["l1", "l2"], "lamp_id": ["JF-1", "JF-2"], "status": ["broken", "broken"],
    ...     "fault_reported_at": pd.to_datetime(["2026-09-21", "2026-08-02"]).tz_localize(tz),
    ...     "fault_fixed_at": pd.to_datetime([None, None]).tz_localize(tz)},
    ...     geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:3006")
    >>> open_fault_list(lamps, at=pd.Timestamp("2026-10-01", tz=tz))[["rank", "id", "age_days"]]
       rank  id  age_days
    0     1  l2      60.0
    1     2  l1      10.0
    """
    moment = _check_at(at)
    _, out = lamp_states(lamps, at=moment)
    chosen = lamps[out]
    reported = chosen["fault_reported_at"]
    age = (moment - reported) / _DAY
    xy = _surface_xy(chosen) if len(chosen) else np.empty((0, 2))
    table = pd.DataFrame({
        "id": chosen["id"].astype(str).to_numpy(),
        "lamp_id": chosen["lamp_id"].astype(object).fillna("").to_numpy() if "lamp_id" in chosen else "",
        "status": chosen["status"].astype(str).to_numpy(),
        "fault_reported_at": reported.to_numpy(),
        "age_days": np.round(age.to_numpy(dtype=float, na_value=np.nan), 1),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })
    table["fault_reported_at"] = pd.Series(reported.to_numpy(), dtype=reported.dtype)
    table["why"] = [
        _t("why_fault", lang, date=format_date(when, lang), days=format_number(days, lang))
        if pd.notna(when) else _t("why_fault_undated", lang)
        for when, days in zip(table["fault_reported_at"], table["age_days"], strict=True)
    ]
    table = table.sort_values(["age_days", "id"], ascending=[False, True], na_position="last", kind="stable")
    return with_rank(table)[list(FAULT_COLUMNS)]


def repair_times(
    lamps: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Return, per calendar month, the faults fixed and the days they took.

    Parameters
    ----------
    lamps : pandas.DataFrame
        The lighting layer with tz-aware ``fault_reported_at`` and
        ``fault_fixed_at``.
    start, end : pandas.Timestamp
        The period ``[start, end)``; a repair belongs to the local month it
        was fixed in.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REPAIR_COLUMNS`, one row per month touched by the
        period (oldest first, months without repairs included):
        ``month`` (``"2026-03"``), ``repairs``, ``median_days`` and
        ``max_days`` (real elapsed days, empty without repairs).

    Raises
    ------
    ValueError
        If a time is naive, a column is missing, or ``end <= start``.

    Examples
    --------
    >>> tz = "Europe/Stockholm"
    >>> lamps = pd.DataFrame({
    ...     "fault_reported_at": pd.to_datetime(["2026-03-01", "2026-03-10", "2026-04-01"]).tz_localize(tz),
    ...     "fault_fixed_at": pd.to_datetime(["2026-03-03", "2026-03-14", "2026-04-02"]).tz_localize(tz)})
    >>> repair_times(lamps, start=pd.Timestamp("2026-03-01", tz=tz), end=pd.Timestamp("2026-05-01", tz=tz))
       rank    month  repairs  median_days  max_days
    0     1  2026-03        2          3.0       4.0
    1     2  2026-04        1          1.0       1.0
    """
    first, last = _check_at(start, "start"), _check_at(end, "end")
    if last <= first:
        msg = f"end={end!r} must be after start={start!r}"
        raise ValueError(msg)
    for column in ("fault_reported_at", "fault_fixed_at"):
        if column not in lamps.columns:
            msg = f"lamps lacks column {column!r}, needed for repair times"
            raise ValueError(msg)
    reported = _tz_column(lamps, "fault_reported_at")
    fixed = _tz_column(lamps, "fault_fixed_at")
    done = (fixed >= first) & (fixed < last) & reported.notna()
    days = ((fixed[done] - reported[done]) / _DAY).astype(float)
    months = fixed[done].dt.tz_convert(settings.timezone).dt.strftime("%Y-%m")
    local_first = first.tz_convert(settings.timezone)
    local_last = (last - pd.Timedelta(1, "ns")).tz_convert(settings.timezone)
    every = pd.period_range(local_first.strftime("%Y-%m"), local_last.strftime("%Y-%m"), freq="M")
    labels = [str(p) for p in every]
    grouped = days.groupby(months.to_numpy())
    table = pd.DataFrame({
        "month": labels,
        "repairs": grouped.size().reindex(labels, fill_value=0).to_numpy(dtype="int64"),
        "median_days": np.round(grouped.median().reindex(labels).to_numpy(dtype=float), 2),
        "max_days": np.round(grouped.max().reindex(labels).to_numpy(dtype=float), 2),
    })
    return with_rank(table)[list(REPAIR_COLUMNS)]


# --------------------------------------------------------------------------- from the store


def lighting_worklists(
    prep: Prepared,
    *,
    at: pd.Timestamp,
    start: pd.Timestamp,
    end: pd.Timestamp,
    dark_hours: tuple[int, int] | None = DEFAULT_DARK_HOURS,
    sun: bool = False,
    dark_threshold_m: float = DEFAULT_DARK_THRESHOLD_M,
    near_m: float = DEFAULT_NEAR_M,
    radius_m: float = DEFAULT_RADIUS_M,
    cluster_m: float = DEFAULT_CLUSTER_M,
    min_cluster: int | None = None,
    weights: Mapping[str, float] | None = None,
    audience: str = "staff",
    lang: str = "sv",
) -> Worklists:
    """Build the lighting lists: ``places``, ``faults`` and ``repairs``.

    Parameters
    ----------
    prep : Prepared
        The store's layers (:func:`geo.analysis.prepared.prepare`).
    at : pandas.Timestamp
        Reference time: lamps and faults as they are then, unsafe places
        reported by then.
    start, end : pandas.Timestamp
        Period of the incidents after dark and of the repairs.
    dark_hours : tuple of int, default (18, 6)
        Local window counted as after dark (ignored with ``sun``).
    sun : bool, default False
        Count after dark from the real sunset to sunrise.
    dark_threshold_m, near_m, radius_m : float
        See :func:`rank_dark_places`.
    cluster_m : float, default 100.0
        Largest gap between incidents of one cluster.
    min_cluster : int, optional
        Fewest incidents of a cluster; ``settings.min_count`` by default.
    weights : mapping of str to float, optional
        Factor weights, see :func:`rank_dark_places`.
    audience : {"public", "staff", "protected"}, default "staff"
        Protected incident categories count only for ``protected``.
    lang : {"sv", "en"}, default "sv"
        Language of the ``why`` texts.

    Returns
    -------
    Worklists
        Kind ``lighting`` with the lists ``places``, ``faults``, ``repairs``.

    Raises
    ------
    ValueError
        If an argument cannot be used (the message names it).
    """
    check_audience(audience)
    lamps = prep.frame("lighting")
    night_xy = _night_incidents_xy(prep, start=start, end=end, dark_hours=dark_hours, sun=sun,
                                   audience=audience)
    if lamps.crs is None:
        lamps = lamps.set_crs(settings.analysis_crs)
    in_dark = in_the_dark(night_xy, lamps, at=at, dark_threshold_m=dark_threshold_m)
    clusters = incident_clusters(night_xy[in_dark], cluster_m=cluster_m, min_size=min_cluster)
    reports = _open_reports(prep.frame("unsafe_places"), at=at)
    places = _candidate_places(reports, clusters, crs=lamps.crs, lang=lang)
    ranked = rank_dark_places(
        places, lamps, at=at,
        night_xy=night_xy, reports=reports, dark_threshold_m=dark_threshold_m, near_m=near_m,
        radius_m=radius_m, weights=weights, audience=audience, lang=lang)
    options = {
        "dark": _t("option_sun", lang) if sun else _t("option_dark_hours", lang,
                                                       hours=_hours_text(dark_hours)),
        "dark_threshold_m": dark_threshold_m,
        "radius_m": radius_m,
    }
    return Worklists(
        kind="lighting", at=at, start=start, end=end, audience=audience,
        lists={
            "places": ranked,
            "faults": open_fault_list(lamps, at=at, lang=lang) if len(lamps) else _empty(FAULT_COLUMNS),
            "repairs": repair_times(lamps, start=start, end=end),
        },
        options=options,
    )


# --------------------------------------------------------------------------- helpers


def _night_incidents_xy(prep: Prepared, *, start: pd.Timestamp, end: pd.Timestamp,
                        dark_hours: tuple[int, int] | None, sun: bool, audience: str) -> np.ndarray:
    """Coordinates of the located incidents after dark in the period (never returned as points)."""
    inc = prep.incidents
    keep = inc.located & (inc.time_ns >= _check_at(start, "start").value) & (
        inc.time_ns < _check_at(end, "end").value)
    if audience != "protected":
        keep &= ~inc.protected
    if not keep.any():
        return np.empty((0, 2))
    times = pd.Series(pd.to_datetime(inc.time_ns[keep], utc=True))
    dark = after_dark(times, dark_hours=dark_hours, sun=sun)
    return np.column_stack([inc.x[keep], inc.y[keep]])[dark]


def _open_reports(unsafe: gpd.GeoDataFrame, *, at: pd.Timestamp) -> gpd.GeoDataFrame:
    if unsafe.empty:
        return unsafe
    reported = _tz_column(unsafe, "reported_at")
    keep = unsafe["status"].isin(OPEN_UNSAFE_STATUSES) & (reported <= at)
    return unsafe[keep.to_numpy(dtype=bool)]


def _candidate_places(reports: gpd.GeoDataFrame, clusters: pd.DataFrame, *, crs: object,
                      lang: str) -> gpd.GeoDataFrame:
    report_places = gpd.GeoDataFrame(
        {
            "place_id": reports["id"].astype(str).to_numpy() if len(reports) else [],
            "source": "unsafe_place",
            "description": (reports["description"].astype(object).fillna("").to_numpy()
                            if len(reports) else []),
        },
        geometry=reports.geometry.to_numpy() if len(reports) else [],
        crs=crs,
    )
    cluster_places = gpd.GeoDataFrame(
        {
            "place_id": clusters["cluster_id"].to_numpy(),
            "source": "incident_cluster",
            "description": [_t("cluster_description", lang, n=int(n)) for n in clusters["size"]],
        },
        geometry=shapely.points(clusters["x"].to_numpy(), clusters["y"].to_numpy()),
        crs=crs,
    )
    return pd.concat([report_places, cluster_places], ignore_index=True)


def _reports_near(xy: np.ndarray, reports: gpd.GeoDataFrame | None,
                  radius: float) -> tuple[np.ndarray, np.ndarray]:
    zeros = np.zeros(len(xy), dtype=np.int64)
    if reports is None or len(reports) == 0:
        return zeros, zeros.copy()
    if "reason" not in reports.columns:
        msg = f"reports lacks column 'reason'; columns: {', '.join(map(str, reports.columns))}"
        raise ValueError(msg)
    report_xy = _surface_xy(reports)
    lighting = (reports["reason"] == "lighting").to_numpy(dtype=bool, na_value=False)
    return (darkness.count_within(xy, report_xy, radius),
            darkness.count_within(xy, report_xy[lighting], radius))


def _why_places(table: pd.DataFrame, weighted: dict[str, np.ndarray], *, threshold: float, near: float,
                radius: float, lang: str) -> list[str]:
    """One sentence per place: each factor with its points, the largest first."""
    k = settings.min_count
    texts = []
    for i, row in enumerate(table.itertuples(index=False)):
        parts: list[tuple[float, str]] = []
        distance = row.distance_m
        if np.isinf(distance):
            parts.append((weighted["distance"][i], _t("why_no_lamp", lang)))
        elif distance > threshold:
            parts.append((weighted["distance"][i], _t("why_distance", lang, m=format_number(distance, lang))))
        night = row.night_incidents
        if pd.isna(night):
            parts.append((weighted["night"][i],
                          _t("why_night_few", lang, k=k, r=format_number(radius, lang))))
        elif night > 0:
            parts.append((weighted["night"][i], _t("why_night", lang, n=format_number(night, lang),
                                                   r=format_number(radius, lang))))
        if row.reports > 0:
            parts.append((weighted["reports"][i], _t(
                "why_reports", lang, n=format_number(row.reports, lang),
                lighting=format_number(row.reports_lighting, lang), r=format_number(radius, lang))))
        if row.broken_lamps > 0:
            parts.append((weighted["broken"][i], _t(
                "why_broken", lang, n=format_number(row.broken_lamps, lang), r=format_number(near, lang))))
        parts.sort(key=lambda item: -item[0])
        texts.append("; ".join(f"{text} (+{format_number(points, lang, decimals=1)})"
                               for points, text in parts))
    return texts


def _hours_text(hours: tuple[int, int] | None) -> str:
    return "" if hours is None else f"{hours[0]:02d}–{hours[1]:02d}"


def _surface_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    if len(frame) == 0:
        return np.empty((0, 2))
    geoms = np.asarray(frame.geometry.array, dtype=object)
    points = shapely.get_type_id(geoms) == shapely.GeometryType.POINT
    surface = geoms.copy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    other = present & ~points
    surface[other] = shapely.point_on_surface(geoms[other])
    out = np.full((len(geoms), 2), np.nan)
    out[present] = shapely.get_coordinates(surface[present])
    return out


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _tz_column(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    if values.isna().all():
        return pd.Series(pd.NaT, index=frame.index, dtype=f"datetime64[ns, {settings.timezone}]")
    msg = f"{column} has dtype {values.dtype}; expected tz-aware datetimes"
    raise ValueError(msg)


def _check_at(value: pd.Timestamp, name: str = "at") -> pd.Timestamp:
    if not isinstance(value, pd.Timestamp) or value.tzinfo is None:
        msg = (f"{name}={value!r} is not allowed; expected a tz-aware pandas.Timestamp, "
               "e.g. pd.Timestamp('2026-10-01', tz='Europe/Stockholm')")
        raise ValueError(msg)
    return value


def _check_positive(value: float, name: str) -> float:
    number = _check_non_negative(value, name)
    if number == 0:
        msg = f"{name}={value!r} is not allowed; expected a number of metres > 0"
        raise ValueError(msg)
    return number


def _check_non_negative(value: float, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or number < 0:
        msg = f"{name}={value!r} is not allowed; expected a finite number of metres >= 0"
        raise ValueError(msg)
    return number


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    if weights:
        unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
        if unknown:
            msg = (f"weights has unknown factor(s) {', '.join(map(repr, unknown))}; "
                   f"allowed: {', '.join(DEFAULT_WEIGHTS)}")
            raise ValueError(msg)
        for name, value in weights.items():
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = np.nan
            if not np.isfinite(number) or number < 0:
                msg = f"weights[{name!r}]={value!r} is not allowed; expected a finite number >= 0"
                raise ValueError(msg)
            merged[name] = number
    return merged
