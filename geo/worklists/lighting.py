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
      ``radius_m`` (see :func:`geo.analysis.indicators.darkness.in_the_dark`);
    - *reports*: per open unsafe-place report within ``radius_m``,
      :data:`LIGHTING_REPORT_POINTS` when its reason is lighting, else one;
    - *broken*: one point per lamp out within ``near_m``.
``faults``, ``repairs``
    Open lamp faults, oldest first, and repair times per month
    (:mod:`geo.worklists.lighting_faults`).

"After dark" is either a local time window (``dark_hours=(18, 6)``) or the
real sun (``sun=True``): from sunset to sunrise at Järfälla's latitude on
the incident's date (:mod:`geo.worklists.sun`).

An incident is *in the dark* when it lies farther than ``dark_threshold_m``
from a working lamp, or when the lamp nearest to it is out: an incident in
a lit street with one broken lamp further along does not count. Incident
clusters are single-linkage groups of after-dark incidents in the dark at
most ``cluster_m`` apart, with at least ``min_cluster`` members (``settings.min_count`` by default, so a
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
from geo.analysis.nearest import check_metres, count_within, nearest_distance
from geo.analysis.prepared import Prepared
from geo.audiences import DEFAULT_AUDIENCE
from geo.crs import check_same_crs, require_projected
from geo.i18n import format_number, t
from geo.privacy import check_audience, suppress_small_counts
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists._common import check_at, empty_table, place_xy, text_column, tz_aware
from geo.worklists.lighting_faults import FAULT_COLUMNS, open_fault_list, repair_times
from geo.worklists.sun import JARFALLA_LATITUDE, JARFALLA_LONGITUDE, is_dark

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

__all__ = [
    "DEFAULT_CLUSTER_M",
    "DEFAULT_DARK_HOURS",
    "DEFAULT_DARK_THRESHOLD_M",
    "DEFAULT_NEAR_M",
    "DEFAULT_RADIUS_M",
    "DEFAULT_WEIGHTS",
    "LIGHTING_REPORT_POINTS",
    "MAX_DISTANCE_POINTS",
    "OPEN_UNSAFE_STATUSES",
    "PLACE_COLUMNS",
    "PLACE_SOURCES",
    "after_dark",
    "incident_clusters",
    "lighting_worklists",
    "rank_dark_places",
]


# --------------------------------------------------------------------------- building blocks


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
    audience: str = DEFAULT_AUDIENCE,
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
        dark (:func:`~geo.analysis.indicators.darkness.in_the_dark`) within
        ``radius_m`` count.
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
    audience : {"public", "staff", "protected"}, default "public"
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
    threshold = check_metres(dark_threshold_m, "dark_threshold_m")
    near = check_metres(near_m, "near_m")
    radius = check_metres(radius_m, "radius_m")
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

    xy = place_xy(places)
    lit, out = darkness.lamp_states(lamps, at=at)
    lamp_xy = place_xy(lamps)
    distance = nearest_distance(xy, lamp_xy[lit])
    broken = count_within(xy, lamp_xy[out], near)
    night = np.zeros(len(xy), dtype=np.int64)
    if night_xy is not None and len(night_xy):
        incidents = np.asarray(night_xy, dtype=float).reshape(-1, 2)
        dark = darkness.in_the_dark(incidents, lamps, at=at, dark_threshold_m=threshold)
        night = count_within(xy, incidents[dark], radius)
    n_reports, n_lighting = _reports_near(xy, reports, radius)

    eligible = (distance > threshold) | (broken > 0)
    table = pd.DataFrame({
        "place_id": places["place_id"].astype(str).to_numpy(),
        "source": sources.to_numpy(),
        "description": text_column(places, "description"),
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
    audience: str = DEFAULT_AUDIENCE,
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
    audience : {"public", "staff", "protected"}, default "public"
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
    in_dark = darkness.in_the_dark(night_xy, lamps, at=at, dark_threshold_m=dark_threshold_m)
    clusters = incident_clusters(night_xy[in_dark], cluster_m=cluster_m, min_size=min_cluster)
    reports = _open_reports(prep.frame("unsafe_places"), at=at)
    places = _candidate_places(reports, clusters, crs=lamps.crs, lang=lang)
    ranked = rank_dark_places(
        places, lamps, at=at,
        night_xy=night_xy, reports=reports, dark_threshold_m=dark_threshold_m, near_m=near_m,
        radius_m=radius_m, weights=weights, audience=audience, lang=lang)
    options = {
        "dark": t("worklists.option_sun", lang) if sun else t("worklists.option_dark_hours", lang,
                                                              hours=_hours_text(dark_hours)),
        "dark_threshold_m": dark_threshold_m,
        "radius_m": radius_m,
    }
    return Worklists(
        kind="lighting", at=at, start=start, end=end, audience=audience,
        lists={
            "places": ranked,
            "faults": open_fault_list(lamps, at=at, lang=lang) if len(lamps) else empty_table(FAULT_COLUMNS),
            "repairs": repair_times(lamps, start=start, end=end),
        },
        options=options,
    )


# --------------------------------------------------------------------------- helpers


def _night_incidents_xy(prep: Prepared, *, start: pd.Timestamp, end: pd.Timestamp,
                        dark_hours: tuple[int, int] | None, sun: bool, audience: str) -> np.ndarray:
    """Coordinates of the located incidents after dark in the period (never returned as points)."""
    inc = prep.incidents
    keep = inc.located & (inc.time_ns >= check_at(start, "start").value) & (
        inc.time_ns < check_at(end, "end").value)
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
    reported = tz_aware(unsafe["reported_at"], "reported_at")
    keep = unsafe["status"].isin(OPEN_UNSAFE_STATUSES) & (reported <= at)
    return unsafe[keep.to_numpy(dtype=bool)]


def _candidate_places(reports: gpd.GeoDataFrame, clusters: pd.DataFrame, *, crs: object,
                      lang: str) -> gpd.GeoDataFrame:
    report_places = gpd.GeoDataFrame(
        {
            "place_id": reports["id"].astype(str).to_numpy() if len(reports) else [],
            "source": "unsafe_place",
            "description": text_column(reports, "description"),
        },
        geometry=reports.geometry.to_numpy() if len(reports) else [],
        crs=crs,
    )
    cluster_places = gpd.GeoDataFrame(
        {
            "place_id": clusters["cluster_id"].to_numpy(),
            "source": "incident_cluster",
            "description": [t("worklists.cluster_description", lang, n=int(n)) for n in clusters["size"]],
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
    report_xy = place_xy(reports)
    lighting = (reports["reason"] == "lighting").to_numpy(dtype=bool, na_value=False)
    return count_within(xy, report_xy, radius), count_within(xy, report_xy[lighting], radius)


def _why_places(table: pd.DataFrame, weighted: dict[str, np.ndarray], *, threshold: float, near: float,
                radius: float, lang: str) -> list[str]:
    """One sentence per place: each factor with its points, the largest first."""
    k = settings.min_count
    texts = []
    for i, row in enumerate(table.itertuples(index=False)):
        parts: list[tuple[float, str]] = []
        distance = row.distance_m
        if np.isinf(distance):
            parts.append((weighted["distance"][i], t("worklists.why_no_lamp", lang)))
        elif distance > threshold:
            parts.append((weighted["distance"][i],
                          t("worklists.why_distance", lang, m=format_number(distance, lang))))
        night = row.night_incidents
        if pd.isna(night):
            parts.append((weighted["night"][i],
                          t("worklists.why_night_few", lang, k=k, r=format_number(radius, lang))))
        elif night > 0:
            parts.append((weighted["night"][i], t("worklists.why_night", lang, n=format_number(night, lang),
                                                  r=format_number(radius, lang))))
        if row.reports > 0:
            parts.append((weighted["reports"][i],
                          t("worklists.why_reports", lang, n=format_number(row.reports, lang),
                            lighting=format_number(row.reports_lighting, lang),
                            r=format_number(radius, lang))))
        if row.broken_lamps > 0:
            parts.append((weighted["broken"][i],
                          t("worklists.why_broken", lang, n=format_number(row.broken_lamps, lang),
                            r=format_number(near, lang))))
        parts.sort(key=lambda item: -item[0])
        texts.append("; ".join(f"{text} (+{format_number(points, lang, decimals=1)})"
                               for points, text in parts))
    return texts


def _hours_text(hours: tuple[int, int] | None) -> str:
    return "" if hours is None else f"{hours[0]:02d}–{hours[1]:02d}"


def _check_positive(value: float, name: str) -> float:
    number = check_metres(value, name)
    if number == 0:
        msg = f"{name}={value!r} is not allowed; expected a number of metres > 0"
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
