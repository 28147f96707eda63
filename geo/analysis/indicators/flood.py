"""Flood risk: share of each unit in a flood scenario and facilities exposed (actions 26-27, 37-38).

Zones of one scenario may overlap (several depth classes, several
sources); they are merged before areas are measured, so no ground is counted
twice. A facility is *exposed* when it lies within ``distance_m`` of a zone of
the scenario; with the default ``0`` it must touch a zone, so a facility
exactly on a zone's edge counts. Lists put critical facilities first, then
those without reserve power (unknown counts as without), then the nearest.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.indicators._common import covered_share
from geo.crs import check_same_crs, require_projected
from layers.flood_risk import SCENARIOS

SCENARIO_CODES: tuple[str, ...] = tuple(c.code for c in SCENARIOS)
"""Allowed flood scenarios, from the flood_risk layer spec."""

EXPOSED_COLUMNS: tuple[str, ...] = (
    "id", "name", "kind", "critical", "reserve_power", "distance_m", "depth_m",
)
"""Columns of :func:`facilities_exposed`, in order."""

_FACILITY_REQUIRED = ("id", "name", "kind", "critical")


def flood_share_by_unit(units: gpd.GeoDataFrame, flood: gpd.GeoDataFrame, *, scenario: str) -> np.ndarray:
    """Return the share of each unit's area inside the zones of one flood scenario.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Grid cells or area polygons, in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer (polygons with a ``scenario`` column), in the
        same CRS.
    scenario : str
        One of :data:`SCENARIO_CODES`. A valid scenario without zones gives
        zeros.

    Returns
    -------
    numpy.ndarray of float64, shape (len(units),)
        Share in ``[0, 1]``, aligned with ``units``; ``NaN`` for a unit
        with no area.

    Raises
    ------
    CRSError
        If either frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If ``scenario`` is unknown or ``flood`` has no ``scenario`` column.

    Examples
    --------
    >>> from shapely import box
    >>> units = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> flood = gpd.GeoDataFrame({"scenario": ["bhf", "bhf"]},
    ...                          geometry=[box(0, 0, 50, 100), box(25, 0, 75, 100)], crs="EPSG:3006")
    >>> flood_share_by_unit(units, flood, scenario="bhf")
    array([0.75])
    """
    _check_scenario(scenario)
    _check_crs(units, flood, "units")
    zones, _ = _zones(flood, scenario)
    return covered_share(np.asarray(units.geometry.array, dtype=object), shapely.union_all(zones))


def flood_exposure(
    facilities: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    *,
    scenario: str,
    distance_m: float = 0.0,
) -> pd.DataFrame:
    """Return, for every facility, whether a zone of the scenario reaches it.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        Facilities (points or polygons), in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer, in the same CRS; ``depth_m`` is optional.
    scenario : str
        One of :data:`SCENARIO_CODES`.
    distance_m : float, default 0.0
        Search distance in metres; ``0`` means the facility must intersect a
        zone (its edge included).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``facilities``, with ``exposed`` (bool), ``distance_m``
        (to the nearest zone, ``0`` inside or on the edge, ``NaN`` when not
        exposed) and ``depth_m`` (largest depth of the zones within reach,
        ``NaN`` when unknown or not exposed).

    Raises
    ------
    CRSError
        If either frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If ``scenario`` is unknown, ``distance_m`` is negative or not
        finite, or ``flood`` has no ``scenario`` column.

    See Also
    --------
    facilities_exposed : the exposed facilities only, with their attributes, ranked.
    """
    _check_scenario(scenario)
    reach = _check_distance(distance_m)
    _check_crs(facilities, flood, "facilities")
    zones, depth = _zones(flood, scenario)
    geoms = np.asarray(facilities.geometry.array, dtype=object)
    out = pd.DataFrame(
        {"exposed": np.zeros(len(geoms), dtype=bool), "distance_m": np.nan, "depth_m": np.nan},
        index=facilities.index,
    )
    if len(zones) == 0 or len(geoms) == 0:
        return out
    tree = shapely.STRtree(zones)
    if reach == 0:
        hit_facility, hit_zone = tree.query(geoms, predicate="intersects")
    else:
        hit_facility, hit_zone = tree.query(geoms, predicate="dwithin", distance=reach)
    pairs = pd.DataFrame({
        "facility": hit_facility,
        "distance_m": shapely.distance(geoms[hit_facility], zones[hit_zone]),
        "depth_m": depth[hit_zone],
    })
    if reach == 0:
        pairs["distance_m"] = 0.0
    nearest = pairs.groupby("facility").agg(distance_m=("distance_m", "min"), depth_m=("depth_m", "max"))
    rows = nearest.index.to_numpy()
    out.iloc[rows, out.columns.get_loc("exposed")] = True
    out.iloc[rows, out.columns.get_loc("distance_m")] = nearest["distance_m"].to_numpy()
    out.iloc[rows, out.columns.get_loc("depth_m")] = nearest["depth_m"].to_numpy()
    return out


def facilities_exposed(
    facilities: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    *,
    scenario: str,
    distance_m: float = 0.0,
) -> pd.DataFrame:
    """List the facilities a flood scenario reaches, most urgent first.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        The facilities layer: ``id``, ``name``, ``kind``, ``critical`` and
        optionally ``reserve_power``, in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer, in the same CRS.
    scenario : str
        One of :data:`SCENARIO_CODES`.
    distance_m : float, default 0.0
        Search distance in metres; ``0`` means touching a zone.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPOSED_COLUMNS`, one row per exposed facility,
        keeping the facilities' index labels. Ordered critical first, then
        without reserve power (missing counts as without), then by
        distance, then by id.

    Raises
    ------
    CRSError
        If either frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If ``scenario`` is unknown, ``distance_m`` is negative, or a required
        column is missing.

    Examples
    --------
    >>> from shapely import Point, box
    >>> flood = gpd.GeoDataFrame({"scenario": ["skyfall_100"], "depth_m": [0.4]},
    ...                          geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> facilities = gpd.GeoDataFrame(
    ...     {"id": ["a", "b"], "name": ["Skola", "Vattenverk"], "kind": ["school", "water_works"],
    ...      "critical": [False, True], "reserve_power": [False, True]},
    ...     geometry=[Point(50, 50), Point(100, 20)], crs="EPSG:3006")
    >>> facilities_exposed(facilities, flood, scenario="skyfall_100")["id"].tolist()
    ['b', 'a']
    """
    missing = [c for c in _FACILITY_REQUIRED if c not in facilities.columns]
    if missing:
        msg = (f"facilities lacks column(s) {', '.join(missing)}; required: "
               f"{', '.join(_FACILITY_REQUIRED)} (reserve_power optional)")
        raise ValueError(msg)
    exposure = flood_exposure(facilities, flood, scenario=scenario, distance_m=distance_m)
    hit = exposure["exposed"].to_numpy(dtype=bool)
    out = pd.DataFrame(facilities.loc[hit, list(_FACILITY_REQUIRED)])
    reserve = (facilities["reserve_power"] if "reserve_power" in facilities.columns
               else pd.Series(pd.NA, index=facilities.index))
    out["reserve_power"] = reserve[hit].astype("boolean")
    out["distance_m"] = exposure.loc[hit, "distance_m"]
    out["depth_m"] = exposure.loc[hit, "depth_m"]
    critical = out["critical"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    powered = out["reserve_power"].fillna(False).to_numpy(dtype=bool)
    order = np.lexsort((out["id"].astype(str).to_numpy(), out["distance_m"].to_numpy(), powered, ~critical))
    return out.iloc[order][list(EXPOSED_COLUMNS)]


def exposed_by_unit(
    unit_index_of_facilities: np.ndarray,
    exposed_mask: np.ndarray,
    n_units: int,
) -> np.ndarray:
    """Count exposed facilities per unit.

    Parameters
    ----------
    unit_index_of_facilities : numpy.ndarray of int, shape (k,)
        Position of each facility's unit in ``units``, ``-1`` outside.
    exposed_mask : numpy.ndarray of bool, shape (k,)
        ``flood_exposure(...)["exposed"].to_numpy()``.
    n_units : int
        Number of units.

    Returns
    -------
    numpy.ndarray of int64, shape (n_units,)
        Exposed facilities per unit.

    Raises
    ------
    ValueError
        If the arrays differ in length or are of the wrong type, or an
        index is out of ``[-1, n_units)``.

    Examples
    --------
    >>> exposed_by_unit(np.array([0, 0, 2, -1]), np.array([True, True, False, True]), 3)
    array([2, 0, 0])
    """
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 0:
        msg = f"n_units={n_units!r} is not allowed; expected an integer >= 0 (len(units))"
        raise ValueError(msg)
    index = np.asarray(unit_index_of_facilities)
    if index.ndim != 1 or index.dtype.kind not in "iu":
        msg = (f"unit_index_of_facilities must be a 1-D integer array (-1 outside); "
               f"received dtype {index.dtype} with shape {index.shape}")
        raise ValueError(msg)
    if len(index) and (int(index.min()) < -1 or int(index.max()) >= n_units):
        msg = (f"unit_index_of_facilities holds values from {int(index.min())} to {int(index.max())}; "
               f"allowed: -1 to {n_units - 1} (n_units={n_units})")
        raise ValueError(msg)
    exposed = np.asarray(exposed_mask)
    if exposed.dtype != bool or exposed.shape != index.shape:
        msg = (f"exposed_mask must be a boolean array of shape {index.shape}; "
               f"received {exposed.dtype} {exposed.shape}")
        raise ValueError(msg)
    return np.bincount(index[(index >= 0) & exposed], minlength=int(n_units)).astype(np.int64)


# --------------------------------------------------------------------------- helpers


def _check_scenario(scenario: str) -> None:
    if scenario not in SCENARIO_CODES:
        msg = f"scenario={scenario!r} is unknown; allowed: {', '.join(SCENARIO_CODES)}"
        raise ValueError(msg)


def _check_crs(frame: gpd.GeoDataFrame, flood: gpd.GeoDataFrame, name: str) -> None:
    require_projected(frame, name=name)
    require_projected(flood, name="flood")
    check_same_crs(frame, flood, left_name=name, right_name="flood")


def _check_distance(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or number < 0:
        msg = f"distance_m={value!r} is not allowed; expected a finite number of metres >= 0"
        raise ValueError(msg)
    return number


def _zones(flood: gpd.GeoDataFrame, scenario: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the scenario's zone geometries (valid, none missing) and their depths."""
    if "scenario" not in flood.columns:
        msg = f"flood has no 'scenario' column; columns: {', '.join(map(str, flood.columns))}"
        raise ValueError(msg)
    chosen = (flood["scenario"] == scenario).to_numpy(dtype=bool, na_value=False)
    geoms = np.asarray(flood.geometry.array, dtype=object)[chosen]
    depth = (pd.to_numeric(flood["depth_m"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)[chosen]
             if "depth_m" in flood.columns else np.full(len(geoms), np.nan))
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms, depth = geoms[present], depth[present]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    return geoms, depth




__all__ = [
    "EXPOSED_COLUMNS",
    "SCENARIO_CODES",
    "exposed_by_unit",
    "facilities_exposed",
    "flood_exposure",
    "flood_share_by_unit",
]
