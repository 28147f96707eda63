"""Layers loaded once and turned into arrays, so a new lägesbild costs milliseconds.

:func:`prepare` reads the store (the slow part: I/O and per-point spatial
work that no filter changes: nearest working lamp, inside a camera
sector). :meth:`Prepared.units_context` builds, once per geography, the
units, every point's unit position, the spatial weights and the indicators
that depend only on geometry. The lägesbild then works on boolean masks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import DataStoreError
from geo.indicators import cameras as camera_ind
from geo.indicators import darkness
from geo.indicators import flood as flood_ind
from geo.store.base import Store
from geo.units import GRID_SIZE_OF, build_units, locate_points
from layers import get_spec

LOCATED_PRECISIONS: tuple[str, ...] = ("exact", "street")


@dataclass
class IncidentArrays:
    """Incidents as aligned arrays (one entry per incident)."""

    x: np.ndarray
    y: np.ndarray
    time_ns: np.ndarray  # UTC nanoseconds
    local_hour: np.ndarray
    weekday: np.ndarray
    quarter: np.ndarray  # local year * 4 + quarter - 1
    category: np.ndarray  # codes into ``categories``
    categories: tuple[str, ...]
    located: np.ndarray  # exact or street-level position
    protected: np.ndarray
    lamp_distance: np.ndarray
    in_camera: np.ndarray


@dataclass
class UnitsContext:
    """Everything about one geography that no filter changes."""

    unit: str
    units: gpd.GeoDataFrame
    incident_pos: np.ndarray
    unsafe_pos: np.ndarray
    lamp_pos: np.ndarray
    graffiti_pos: np.ndarray
    facility_pos: np.ndarray
    weights: object
    static: pd.DataFrame
    dark_positions: np.ndarray  # incidents then unsafe places
    dark_distances: np.ndarray
    dark_order: darkness.DarknessOrder


@dataclass
class Prepared:
    """The store's layers, loaded and precomputed for fast lägesbilder.

    Attributes
    ----------
    token : str
        The store's state token when it was read.
    location : str
        The store's location.
    frames : dict of str to geopandas.GeoDataFrame
        Every stored layer as read.
    boundary : geopandas.GeoDataFrame
        The kommun polygon.
    incidents : IncidentArrays
        Incidents as arrays.
    unsafe_distance : numpy.ndarray
        Each unsafe place's distance to the nearest working lamp.
    """

    token: str
    location: str
    frames: dict[str, gpd.GeoDataFrame]
    boundary: gpd.GeoDataFrame
    incidents: IncidentArrays
    unsafe_distance: np.ndarray
    _contexts: dict[str, UnitsContext] = field(default_factory=dict, repr=False)

    def frame(self, layer: str) -> gpd.GeoDataFrame:
        """Return a stored layer (an empty frame with its columns if absent)."""
        from layers.dtypes import empty_frame

        return self.frames.get(layer, empty_frame(get_spec(layer)))

    def units_context(self, unit: str, *, area_kind: str = "kommundel") -> UnitsContext:
        """Return (building once) the units of a geography and their static indicators.

        Parameters
        ----------
        unit : {"grid250", "grid1000", "areas"}
            The geography.
        area_kind : str, default "kommundel"
            For ``unit="areas"``.

        Returns
        -------
        UnitsContext
            Units, unit positions of every point layer, weights, static indicators.
        """
        key = unit if unit != "areas" else f"areas:{area_kind}"
        if key not in self._contexts:
            self._contexts[key] = _build_context(self, unit, area_kind)
        return self._contexts[key]


def prepare(store: Store) -> Prepared:
    """Read every layer of the store and precompute what filters never change.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    Prepared
        Ready for :func:`geo.lagesbild.compute_lagesbild`.

    Raises
    ------
    DataStoreError
        If the store has no areas layer to take the kommun boundary from.
    """
    token = store.state_token()
    frames = {name: store.read(name) for name in store.list_layers()}
    if "areas" not in frames or frames["areas"].empty:
        msg = f"{store.location} has no areas layer; the lägesbild needs the kommun boundary"
        raise DataStoreError(msg)
    areas = frames["areas"]
    kommun = areas[areas["kind"] == "kommun"]
    boundary = kommun if len(kommun) else gpd.GeoDataFrame(
        geometry=[shapely.union_all(areas.geometry.to_numpy())], crs=areas.crs)
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=settings.analysis_crs))
    lamps = frames.get("lighting", empty)
    working = darkness.working_lamps(lamps) if len(lamps) else lamps
    working_xy = _xy(working)
    sectors = camera_ind.view_sectors(frames["cameras"]) if len(frames.get("cameras", [])) else None
    incidents = _incident_arrays(frames.get("incidents"), working_xy, sectors)
    unsafe = frames.get("unsafe_places", empty)
    unsafe_distance = darkness.nearest_distance(_xy(unsafe, representative=True), working_xy)
    return Prepared(token, store.location, frames, boundary.reset_index(drop=True), incidents,
                    unsafe_distance)


def _xy(frame: gpd.GeoDataFrame, *, representative: bool = False) -> np.ndarray:
    if frame is None or len(frame) == 0:
        return np.empty((0, 2))
    geoms = frame.geometry.to_numpy()
    if representative:
        geoms = shapely.point_on_surface(geoms)
    return np.column_stack([shapely.get_x(geoms), shapely.get_y(geoms)])


def _incident_arrays(frame: gpd.GeoDataFrame | None, working_xy: np.ndarray,
                     sectors: gpd.GeoSeries | None) -> IncidentArrays:
    spec = get_spec("incidents")
    categories = spec.column("category").allowed
    if frame is None or len(frame) == 0:
        z = np.empty(0)
        return IncidentArrays(
            z, z, z.astype(np.int64), z.astype(np.int8), z.astype(np.int8), z.astype(np.int32),
            z.astype(np.int16),
            categories, z.astype(bool), z.astype(bool), z, z.astype(bool),
        )
    xy = _xy(frame)
    local = frame["occurred_at"].dt.tz_convert(settings.timezone)
    codes = pd.Categorical(frame["category"], categories=categories).codes.astype(np.int16)
    protected_codes = [categories.index(c) for c in spec.column("category").protected_values]
    in_camera = (camera_ind.points_in_sectors(xy, sectors) if sectors is not None and len(sectors)
                 else np.zeros(len(frame), dtype=bool))
    return IncidentArrays(
        x=xy[:, 0],
        y=xy[:, 1],
        time_ns=local.dt.tz_convert("UTC").astype("datetime64[ns, UTC]").array.asi8,
        local_hour=local.dt.hour.to_numpy(np.int8),
        weekday=local.dt.day_of_week.to_numpy(np.int8),
        quarter=(local.dt.year * 4 + local.dt.quarter - 1).to_numpy(np.int32),
        category=codes,
        categories=categories,
        located=frame["location_precision"].isin(LOCATED_PRECISIONS).to_numpy(),
        protected=np.isin(codes, protected_codes),
        lamp_distance=darkness.nearest_distance(xy, working_xy),
        in_camera=np.asarray(in_camera, dtype=bool),
    )


def _build_context(prep: Prepared, unit: str, area_kind: str) -> UnitsContext:
    from geo.hotspots import unit_weights

    units = build_units(unit, boundary=prep.boundary, areas=prep.frames.get("areas"), area_kind=area_kind)
    inc = prep.incidents
    incident_pos = locate_points(units, inc.x, inc.y, unit=unit)
    incident_pos[~inc.located] = -1  # kommun-level positions are never counted in a unit

    def positions(layer: str) -> np.ndarray:
        xy = _xy(prep.frames.get(layer), representative=True)
        if len(xy) == 0:
            return np.empty(0, dtype=np.int64)
        return locate_points(units, xy[:, 0], xy[:, 1], unit=unit)

    static = pd.DataFrame(index=units.index)
    cameras = prep.frame("cameras")
    if len(cameras):
        static["camera_share"] = camera_ind.covered_share(units, camera_ind.view_sectors(cameras))
    else:
        static["camera_share"] = 0.0
    static["camera_gap"] = 1.0 - static["camera_share"]
    flood = prep.frame("flood_risk")
    facilities = prep.frame("facilities")
    facility_pos = positions("facilities")
    scenario_cols = []
    for scenario in get_spec("flood_risk").column("scenario").allowed:
        if len(flood) and (flood["scenario"] == scenario).any():
            col = f"flood_share_{scenario}"
            static[col] = flood_ind.flood_share_by_unit(units, flood, scenario=scenario)
            scenario_cols.append(col)
            if len(facilities):
                exposure = flood_ind.flood_exposure(facilities, flood, scenario=scenario)
                static[f"facilities_exposed_{scenario}"] = flood_ind.exposed_by_unit(
                    facility_pos, exposure["exposed"].to_numpy(dtype=bool), len(units))
    static["flood_share_max"] = static[scenario_cols].max(axis=1) if scenario_cols else 0.0
    kind = "grid" if unit != "areas" else "areas"
    unsafe_pos = positions("unsafe_places")
    dark_positions = np.concatenate([incident_pos, unsafe_pos])
    dark_distances = np.concatenate([inc.lamp_distance, prep.unsafe_distance])
    return UnitsContext(
        unit=unit,
        units=units,
        incident_pos=incident_pos,
        unsafe_pos=unsafe_pos,
        lamp_pos=positions("lighting"),
        graffiti_pos=positions("graffiti"),
        facility_pos=facility_pos,
        weights=unit_weights(units, kind=kind, cell_size=GRID_SIZE_OF.get(unit)),
        static=static,
        dark_positions=dark_positions,
        dark_distances=dark_distances,
        dark_order=darkness.darkness_order(dark_positions, dark_distances),
    )
