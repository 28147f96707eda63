"""Darkness: working and broken lamps, open faults, distance to light (action 9).

:func:`lamp_states`, :func:`working_lamps`, :func:`broken_lamps` and
:func:`open_faults` read the lighting layer at a moment;
:func:`distance_to_working_lamp` and :func:`in_the_dark` place points against
it. The lägesbild engine uses this module in two phases:

PREPARE (once per store state)
    :func:`distance_to_working_lamp` (or
    :func:`geo.analysis.nearest.nearest_distance` on raw coordinates) gives
    every incident its distance to the nearest working lamp;
    :func:`darkness_order` sorts the points by unit and distance once, so
    that medians later need no sort.
COMPUTE (per filter change)
    :func:`darkness_by_unit` and :func:`lamps_by_unit` aggregate those arrays
    under a boolean mask with :func:`numpy.bincount`, in milliseconds for a
    million points.

A *unit index* is an integer array with, per point, the position of its
unit in the ``units`` frame (``-1`` for a point outside every unit).
Distances are in metres: every frame must be in a projected CRS
(EPSG:3006), which is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import nearest
from geo.analysis.indicators._common import check_mask as _check_mask
from geo.analysis.indicators._common import check_n_units as _check_n_units
from geo.analysis.indicators._common import check_unit_index as _check_unit_index
from geo.crs import check_same_crs, require_projected
from layers.lighting import SPEC as LIGHTING_SPEC

LAMP_STATUSES: tuple[str, ...] = tuple(c.code for c in LIGHTING_SPEC.column("status").choices)
"""Allowed lamp statuses, from the lighting layer spec."""

DEFAULT_DARK_THRESHOLD_M: float = 50.0
"""Distance in metres beyond which a point counts as dark."""


# --------------------------------------------------------------------------- lamps and points


def working_lamps(lamps: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the lamps whose status is ``"working"``.

    Parameters
    ----------
    lamps : geopandas.GeoDataFrame
        The lighting layer.

    Returns
    -------
    geopandas.GeoDataFrame
        The working lamps, index and CRS kept.

    Raises
    ------
    ValueError
        If ``lamps`` has no ``status`` column or a status outside
        :data:`LAMP_STATUSES`.

    See Also
    --------
    broken_lamps
    """
    return lamps[_lamp_status(lamps) == "working"]


def broken_lamps(lamps: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the lamps whose status is ``"broken"``.

    The counterpart of :func:`working_lamps`: the same parameter, result
    (index and CRS kept) and errors.
    """
    return lamps[_lamp_status(lamps) == "broken"]


def distance_to_working_lamp(points: gpd.GeoDataFrame, lamps: gpd.GeoDataFrame) -> np.ndarray:
    """Return each point's distance in metres to the nearest working lamp.

    Broken and planned lamps give no light and are ignored.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Point features (incidents, unsafe places) in a projected CRS.
    lamps : geopandas.GeoDataFrame
        The lighting layer, in the same CRS.

    Returns
    -------
    numpy.ndarray of float64, shape (len(points),)
        Distance per point, aligned with ``points``; ``inf`` when no lamp
        works, ``NaN`` for a missing or empty geometry.

    Raises
    ------
    CRSError
        If either frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a geometry is not a point, or ``lamps`` lacks a valid ``status``.

    Examples
    --------
    >>> from shapely import Point
    >>> lamps = gpd.GeoDataFrame({"status": ["working", "broken"]},
    ...                          geometry=[Point(0, 0), Point(1, 0)], crs="EPSG:3006")
    >>> points = gpd.GeoDataFrame(geometry=[Point(3, 4)], crs="EPSG:3006")
    >>> distance_to_working_lamp(points, lamps)
    array([5.])
    """
    require_projected(points, name="points")
    require_projected(lamps, name="lamps")
    check_same_crs(points, lamps, left_name="points", right_name="lamps")
    working = working_lamps(lamps)
    return nearest.nearest_distance(nearest.points_xy(points, name="points"),
                                    nearest.points_xy(working, name="lamps"))


def open_fault_mask(lamps: pd.DataFrame, *, at: pd.Timestamp) -> np.ndarray:
    """Return, per lamp, whether a fault is open at time ``at``.

    A fault is open when ``fault_reported_at <= at`` and ``fault_fixed_at``
    is missing or later than ``at``. Times are compared as instants, so
    daylight-saving changes do not matter.

    Parameters
    ----------
    lamps : pandas.DataFrame
        The lighting layer, with tz-aware ``fault_reported_at`` and
        ``fault_fixed_at`` columns.
    at : pandas.Timestamp
        The moment of the picture; tz-aware.

    Returns
    -------
    numpy.ndarray of bool, shape (len(lamps),)
        True for a lamp with an open fault.

    Raises
    ------
    ValueError
        If ``at`` is naive or not a timestamp, or a fault column is missing
        or holds naive times.

    See Also
    --------
    open_faults
    """
    at = _check_at(at, "at")
    reported = _tz_column(lamps, "fault_reported_at")
    fixed = _tz_column(lamps, "fault_fixed_at")
    is_open = (reported <= at) & (fixed.isna() | (fixed > at))
    return is_open.to_numpy(dtype=bool)


def open_faults(lamps: gpd.GeoDataFrame, *, at: pd.Timestamp) -> gpd.GeoDataFrame:
    """Return the lamps with a fault open at time ``at`` (index and CRS kept).

    The rows :func:`open_fault_mask` marks: the same parameters and errors.

    Examples
    --------
    >>> from shapely import Point
    >>> t = pd.to_datetime(["2026-03-28 12:00", "2026-03-30 12:00"]).tz_localize("Europe/Stockholm")
    >>> lamps = gpd.GeoDataFrame(
    ...     {"status": ["broken"], "fault_reported_at": t[:1], "fault_fixed_at": t[1:]},
    ...     geometry=[Point(0, 0)], crs="EPSG:3006")
    >>> len(open_faults(lamps, at=pd.Timestamp("2026-03-29 12:00", tz="Europe/Stockholm")))
    1
    """
    return lamps[open_fault_mask(lamps, at=at)]


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
    status = _lamp_status(lamps).astype(object)
    working = (status == "working").to_numpy(dtype=bool)
    broken = (status == "broken").to_numpy(dtype=bool)
    if {"fault_reported_at", "fault_fixed_at"} <= set(lamps.columns):
        fault = open_fault_mask(lamps, at=at)
    else:
        _check_at(at, "at")
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
        If the threshold is negative, a lamp is not a point, or a lamp column
        is not allowed.

    Examples
    --------
    >>> from shapely import Point
    >>> lamps = gpd.GeoDataFrame({"status": ["working", "broken"]},
    ...     geometry=[Point(0, 0), Point(40, 0)], crs="EPSG:3006")
    >>> xy = np.array([[10.0, 0.0], [38.0, 0.0], [0.0, 80.0]])
    >>> in_the_dark(xy, lamps, at=pd.Timestamp("2026-10-01", tz="Europe/Stockholm")).tolist()
    [False, True, True]
    """
    threshold = nearest.check_metres(dark_threshold_m, "dark_threshold_m")
    points = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    if len(lamps) == 0:
        return np.isfinite(points).all(axis=1)
    require_projected(lamps, name="lamps")
    lit, out = lamp_states(lamps, at=at)
    lamp_xy = nearest.points_xy(lamps, name="lamps")
    to_lit = nearest.nearest_distance(points, lamp_xy[lit])
    to_out = nearest.nearest_distance(points, lamp_xy[out])
    with np.errstate(invalid="ignore"):
        return (to_lit > threshold) | (to_out < to_lit)


# --------------------------------------------------------------------------- unit level


@dataclass(frozen=True, eq=False)
class DarknessOrder:
    """Points sorted by unit, then distance, built once by :func:`darkness_order`.

    Only points inside a unit and with a distance (not ``NaN``) are kept.

    Parameters
    ----------
    positions : numpy.ndarray of int64
        Positions of the kept points in the original arrays, in sorted order.
    units : numpy.ndarray of int64
        Unit of each kept point, ascending.
    distances : numpy.ndarray of float64
        Distance of each kept point, ascending within a unit.
    n_points : int
        Length of the original arrays, checked against later calls.
    """

    positions: np.ndarray
    units: np.ndarray
    distances: np.ndarray
    n_points: int


def darkness_order(unit_index: np.ndarray, distances: np.ndarray) -> DarknessOrder:
    """Sort the countable points by unit, then distance, once (PREPARE phase).

    Parameters
    ----------
    unit_index : numpy.ndarray of int, shape (n,)
        Position of each point's unit, ``-1`` outside every unit.
    distances : numpy.ndarray of float, shape (n,)
        Distance of each point to the nearest working lamp.

    Returns
    -------
    DarknessOrder
        The points inside a unit and with a distance (not ``NaN``), ordered
        by unit, then distance. Pass it as ``order`` to
        :func:`darkness_by_unit` with the same two arrays.

    Raises
    ------
    ValueError
        If the arrays differ in length, or ``unit_index`` is not integer or
        below ``-1``.

    Examples
    --------
    >>> darkness_order(np.array([1, 0, 0, -1]), np.array([5.0, 9.0, 2.0, 1.0])).positions
    array([2, 1, 0])
    """
    index = _check_unit_index(unit_index, None)
    dist = _check_values(distances, "distances", len(index))
    return _sort_points(index, dist, (index >= 0) & ~np.isnan(dist))


def darkness_by_unit(
    unit_index: np.ndarray,
    distances: np.ndarray,
    n_units: int,
    *,
    mask: np.ndarray | None = None,
    dark_threshold_m: float = DEFAULT_DARK_THRESHOLD_M,
    order: DarknessOrder | None = None,
) -> pd.DataFrame:
    """Aggregate point distances to the nearest working lamp per unit (COMPUTE phase).

    Parameters
    ----------
    unit_index : numpy.ndarray of int, shape (n,)
        Position of each point's unit in ``units``, ``-1`` outside.
    distances : numpy.ndarray of float, shape (n,)
        Each point's distance to the nearest working lamp (from
        :func:`distance_to_working_lamp`); ``NaN`` points are not counted,
        ``inf`` (no working lamp at all) counts as dark.
    n_units : int
        Number of units; the result has this many rows.
    mask : numpy.ndarray of bool, shape (n,), optional
        The points selected by the user's filters; all when omitted.
    dark_threshold_m : float, default 50.0
        A point farther than this from a working lamp is dark.
    order : DarknessOrder, optional
        From :func:`darkness_order` on the same ``unit_index`` and
        ``distances`` (only their length is checked again). With it a call
        needs no sort and takes milliseconds for a million points; without
        it the selected points are sorted on every call.

    Returns
    -------
    pandas.DataFrame
        One row per unit, indexed ``0 .. n_units - 1``, with columns

        ``dark_median_m``
            Median distance of the unit's selected points (``NaN`` when the
            unit has none).
        ``dark_share_far``
            Share of those points farther than ``dark_threshold_m`` from
            a working lamp (``NaN`` when none).
        ``points_counted``
            Number of points the figures are based on.

        ``attrs["dark_threshold_m"]`` holds the threshold.

    Raises
    ------
    ValueError
        If the arrays differ in length, ``unit_index`` is not integer or out
        of ``[-1, n_units)``, ``mask`` is not boolean, the threshold is
        negative, or ``order`` was built for other points.

    Examples
    --------
    >>> out = darkness_by_unit(np.array([0, 0, 0, 1, -1]),
    ...                        np.array([10.0, 70.0, 40.0, 5.0, 99.0]), 3)
    >>> out["dark_median_m"].tolist()
    [40.0, 5.0, nan]
    >>> out["dark_share_far"].round(3).tolist()
    [0.333, 0.0, nan]
    """
    n_units = _check_n_units(n_units)
    index = _check_unit_index(unit_index, n_units)
    dist = _check_values(distances, "distances", len(index))
    selected = _check_mask(mask, len(index))
    threshold = nearest.check_metres(dark_threshold_m, "dark_threshold_m")
    if order is None:
        keep = (index >= 0) & ~np.isnan(dist)
        order = _sort_points(index, dist, keep if selected is None else keep & selected)
        selected = None
    else:
        _check_order(order, len(index), n_units)
    median, dark, counts = _aggregate_sorted(order, selected, n_units, threshold)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counts > 0, dark / counts, np.nan)
    out = pd.DataFrame(
        {"dark_median_m": median, "dark_share_far": share, "points_counted": counts},
        index=pd.RangeIndex(n_units),
    )
    out.attrs["dark_threshold_m"] = threshold
    return out


def lamps_by_unit(
    unit_index_of_lamps: np.ndarray,
    status_array: np.ndarray,
    n_units: int,
    open_fault_mask: np.ndarray,
) -> pd.DataFrame:
    """Count working and broken lamps and open faults per unit.

    Parameters
    ----------
    unit_index_of_lamps : numpy.ndarray of int, shape (m,)
        Position of each lamp's unit, ``-1`` outside.
    status_array : array-like of str, shape (m,)
        Each lamp's status, one of :data:`LAMP_STATUSES` (missing values
        count in no column).
    n_units : int
        Number of units.
    open_fault_mask : numpy.ndarray of bool, shape (m,)
        From :func:`open_fault_mask`.

    Returns
    -------
    pandas.DataFrame
        One row per unit, indexed ``0 .. n_units - 1``, with int64 columns
        ``lamps_working``, ``lamps_broken`` and ``lamp_faults_open``.

    Raises
    ------
    ValueError
        If the arrays differ in length, a status is unknown, or
        ``unit_index_of_lamps`` is not integer or out of ``[-1, n_units)``.

    Examples
    --------
    >>> lamps_by_unit(np.array([0, 0, 1]), np.array(["working", "broken", "broken"]), 2,
    ...               np.array([False, True, False]))["lamps_broken"].tolist()
    [1, 1]
    """
    n_units = _check_n_units(n_units)
    index = _check_unit_index(unit_index_of_lamps, n_units, name="unit_index_of_lamps")
    status = pd.Series(np.asarray(status_array, dtype=object))
    if len(status) != len(index):
        msg = f"status_array has {len(status)} values; expected {len(index)} (one per lamp)"
        raise ValueError(msg)
    _check_statuses(status, "status_array")
    faults = _check_mask(open_fault_mask, len(index), name="open_fault_mask")
    inside = index >= 0
    status = status.to_numpy()

    def count(selected: np.ndarray) -> np.ndarray:
        return np.bincount(index[inside & selected], minlength=n_units).astype(np.int64)

    return pd.DataFrame(
        {
            "lamps_working": count(status == "working"),
            "lamps_broken": count(status == "broken"),
            "lamp_faults_open": count(faults),
        },
        index=pd.RangeIndex(n_units),
    )


# --------------------------------------------------------------------------- helpers


def _sort_points(index: np.ndarray, dist: np.ndarray, keep: np.ndarray) -> DarknessOrder:
    positions = np.flatnonzero(keep)
    positions = positions[np.lexsort((dist[positions], index[positions]))]
    return DarknessOrder(positions=positions, units=index[positions], distances=dist[positions],
                         n_points=len(index))


def _aggregate_sorted(order: DarknessOrder, selected: np.ndarray | None, n_units: int,
                      threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, dark count and count per unit, by prefix sums over the sorted points.

    No boolean compress of the million points: the selected points are
    counted with a cumulative sum, and the k-th selected point of a unit is
    found by binary search in it.
    """
    units, values = order.units, order.distances
    bounds = np.searchsorted(units, np.arange(n_units + 1))  # unit g is bounds[g]:bounds[g + 1]
    starts, ends = bounds[:-1], bounds[1:]
    # points at or below the threshold come first within their unit
    first_dark = starts + np.bincount(units, weights=values <= threshold,
                                      minlength=n_units).astype(np.int64)
    if selected is None:
        counts, dark = ends - starts, ends - first_dark
    else:
        taken = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(selected[order.positions], out=taken[1:])
        counts, dark = taken[ends] - taken[starts], taken[ends] - taken[first_dark]
    median = np.full(n_units, np.nan)
    has = np.flatnonzero(counts > 0)
    low_rank, high_rank = (counts[has] - 1) // 2, counts[has] // 2
    if selected is None:
        low, high = starts[has] + low_rank, starts[has] + high_rank
    else:
        low = np.searchsorted(taken, taken[starts[has]] + low_rank + 1) - 1
        high = np.searchsorted(taken, taken[starts[has]] + high_rank + 1) - 1
    with np.errstate(invalid="ignore"):
        median[has] = np.where(low == high, values[low], (values[low] + values[high]) / 2.0)
    return median, dark.astype(np.int64), counts.astype(np.int64)


def _check_values(values: np.ndarray, name: str, length: int) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != (length,):
        msg = f"{name} has shape {array.shape}; expected ({length},), one value per point"
        raise ValueError(msg)
    return array


def _check_order(order: DarknessOrder, n_points: int, n_units: int) -> None:
    if not isinstance(order, DarknessOrder):
        msg = f"order must be a DarknessOrder from darkness_order(); received {type(order).__name__}"
        raise ValueError(msg)
    if order.n_points != n_points or (len(order.units) and order.units[-1] >= n_units):
        msg = (f"order was built for {order.n_points} points in at least "
               f"{int(order.units[-1]) + 1 if len(order.units) else 0} units, not for these "
               f"{n_points} points in {n_units} units; build it again with darkness_order()")
        raise ValueError(msg)


def _lamp_status(lamps: pd.DataFrame) -> pd.Series:
    if "status" not in lamps.columns:
        msg = f"lamps has no 'status' column; columns: {', '.join(map(str, lamps.columns))}"
        raise ValueError(msg)
    _check_statuses(lamps["status"], "lamps.status")
    return lamps["status"]


def _check_statuses(status: pd.Series, name: str) -> None:
    unknown = sorted({str(s) for s in status.dropna().unique()} - set(LAMP_STATUSES))
    if unknown:
        msg = (f"{name} holds unknown status {', '.join(map(repr, unknown))}; "
               f"allowed: {', '.join(LAMP_STATUSES)}")
        raise ValueError(msg)


def _check_at(at: pd.Timestamp, name: str) -> pd.Timestamp:
    if not isinstance(at, pd.Timestamp) or at.tz is None:
        msg = (f"{name}={at!r} is not allowed; expected a tz-aware pandas.Timestamp, "
               "e.g. pd.Timestamp('2026-03-29 12:00', tz='Europe/Stockholm')")
        raise ValueError(msg)
    return at


def _tz_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        msg = f"lamps has no {column!r} column; columns: {', '.join(map(str, frame.columns))}"
        raise ValueError(msg)
    values = frame[column]
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    if values.isna().all():
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, UTC]")
    msg = f"lamps.{column} has dtype {values.dtype}; expected tz-aware datetimes (naive times are refused)"
    raise ValueError(msg)


__all__ = [
    "DEFAULT_DARK_THRESHOLD_M",
    "LAMP_STATUSES",
    "DarknessOrder",
    "broken_lamps",
    "darkness_by_unit",
    "darkness_order",
    "distance_to_working_lamp",
    "in_the_dark",
    "lamp_states",
    "lamps_by_unit",
    "open_fault_mask",
    "open_faults",
    "working_lamps",
]
