"""Layers loaded once and turned into arrays, so a new lägesbild costs milliseconds.

:func:`prepare` reads the store (the slow part: I/O and per-point spatial
work that no filter changes: nearest working lamp, inside a camera
sector). :meth:`Prepared.units_context` builds, once per geography, the
units, every point's unit position, the spatial weights and the indicators
that depend only on geometry. The lägesbild then works on boolean masks.

For a PostGIS store, :func:`prepare` leaves the incidents in the database
by default (``incidents_in_db``): every other layer is read as usual, and
the lägesbild asks :mod:`geo.analysis.sql.lagesbild` for its incident figures
per unit. Code that still wants the incidents as points or arrays
(:attr:`Prepared.incidents`, ``prep.frame("incidents")``,
:attr:`UnitsContext.incident_pos`) gets them: they are read from the store
on first access, once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.analysis import nearest
from geo.analysis.indicators import cameras as camera_ind
from geo.analysis.indicators import darkness
from geo.analysis.indicators import flood as flood_ind
from geo.analysis.units import GRID_SIZE_OF, build_units, locate_points
from geo.errors import DataStoreError
from geo.store.base import Store
from layers import get_spec

LOCATED_PRECISIONS: tuple[str, ...] = ("exact", "street")
_UNSET = object()


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
class IncidentPositions:
    """Per-incident figures of one geography for the in-memory path.

    Attributes
    ----------
    incident_pos : numpy.ndarray of int64
        Each incident's unit position (-1 outside every unit or not located).
    dark_positions : numpy.ndarray of int64
        Unit positions of the incidents, then of the unsafe places.
    dark_distances : numpy.ndarray of float64
        Their distances to the nearest working lamp, in the same order.
    dark_order : geo.analysis.indicators.darkness.DarknessOrder
        The two arrays above sorted once by unit and distance.
    """

    incident_pos: np.ndarray
    dark_positions: np.ndarray
    dark_distances: np.ndarray
    dark_order: darkness.DarknessOrder


@dataclass(eq=False)
class UnitsContext:
    """Everything about one geography that no filter changes.

    The per-incident positions (:attr:`incident_pos` and the ``dark_*``
    arrays) are computed when the context is built for in-memory incidents,
    and on first access when the incidents stay in the database (which then
    reads them from the store).
    """

    unit: str
    units: gpd.GeoDataFrame
    unsafe_pos: np.ndarray
    lamp_pos: np.ndarray
    graffiti_pos: np.ndarray
    facility_pos: np.ndarray
    weights: object
    static: pd.DataFrame
    prep: Prepared = field(repr=False)
    _points: IncidentPositions | None = field(default=None, repr=False)

    @property
    def points(self) -> IncidentPositions:
        """The per-incident positions (read from the store first if the incidents are in the database)."""
        if self._points is None:
            self._points = _incident_positions(self.prep, self.units, self.unit, self.unsafe_pos)
        return self._points

    @property
    def incident_pos(self) -> np.ndarray:
        """Each incident's unit position, -1 outside every unit or not located."""
        return self.points.incident_pos

    @property
    def dark_positions(self) -> np.ndarray:
        """Unit positions of the incidents, then of the unsafe places."""
        return self.points.dark_positions

    @property
    def dark_distances(self) -> np.ndarray:
        """Distances to the nearest working lamp, aligned with :attr:`dark_positions`."""
        return self.points.dark_distances

    @property
    def dark_order(self) -> darkness.DarknessOrder:
        """:attr:`dark_positions` and :attr:`dark_distances` sorted by unit and distance."""
        return self.points.dark_order


@dataclass(frozen=True)
class IncidentSummary:
    """The incidents layer in a few numbers (for the provenance of a lägesbild).

    Attributes
    ----------
    rows : int
        Stored incidents.
    first, last : pandas.Timestamp or None
        Earliest and latest ``occurred_at`` (Europe/Stockholm), None when no
        incident has a time.
    located : int
        Incidents located exactly or to the street.
    """

    rows: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    located: int


@dataclass(frozen=True)
class UnitAggregates:
    """The incident-derived figures of one lägesbild, per unit (from arrays or from SQL).

    Attributes
    ----------
    current, previous : numpy.ndarray of int64
        Selected, located incidents per unit in the period and in the
        previous period.
    in_camera : numpy.ndarray of int64
        Of ``current``, those inside a camera view sector.
    dark_median_m, dark_share_far : numpy.ndarray of float64
        Median distance to the nearest working lamp over the unit's
        ``current`` incidents and counted unsafe places, and the share of
        them beyond the dark threshold (NaN for a unit with none).
    kommun_level : int
        Selected incidents of the period located only to the kommun (not
        counted in any unit).
    summary : IncidentSummary
        The whole incidents layer, for the provenance.
    """

    current: np.ndarray
    previous: np.ndarray
    in_camera: np.ndarray
    dark_median_m: np.ndarray
    dark_share_far: np.ndarray
    kommun_level: int
    summary: IncidentSummary


class LayerFrames(Mapping[str, gpd.GeoDataFrame]):
    """The store's layers by name; a deferred layer is read from the store on first access.

    Membership, iteration and length never read a deferred layer; indexing
    it, ``get``, ``items`` and ``values`` do (once, thread-safe).

    Parameters
    ----------
    store : Store
        The store.
    names : iterable of str
        The layers present in the store.
    deferred : iterable of str, default ()
        Layers not read now.
    """

    def __init__(self, store: Store, names: Iterable[str], *, deferred: Iterable[str] = ()) -> None:
        self._store = store
        self._names = list(names)
        later = set(deferred)
        self._frames = {name: store.read(name) for name in self._names if name not in later}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._frames:
            with self._lock:
                if name not in self._frames:
                    self._frames[name] = self._store.read(name)
        return self._frames[name]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def is_loaded(self, name: str) -> bool:
        """Tell whether a layer has been read into memory.

        Parameters
        ----------
        name : str
            A layer name.

        Returns
        -------
        bool
            True once the layer is in memory.
        """
        return name in self._frames


@dataclass(eq=False)
class Prepared:
    """The store's layers, loaded and precomputed for fast lägesbilder.

    Attributes
    ----------
    token : str
        The store's state token when it was read.
    location : str
        The store's location.
    frames : LayerFrames
        Every stored layer by name (the incidents read on first access when
        they stay in the database).
    boundary : geopandas.GeoDataFrame
        The kommun polygon.
    unsafe_distance : numpy.ndarray
        Each unsafe place's distance to the nearest working lamp.
    working_xy : numpy.ndarray, shape (m, 2)
        Coordinates of the working lamps.
    sectors : geopandas.GeoSeries or None
        The camera view sectors (None without cameras).
    store : Store
        The store read.
    incidents_in_db : bool
        True when the lägesbild counts incidents in the database
        (:mod:`geo.analysis.sql.lagesbild`) instead of in memory.
    """

    token: str
    location: str
    frames: LayerFrames
    boundary: gpd.GeoDataFrame
    unsafe_distance: np.ndarray
    working_xy: np.ndarray
    sectors: gpd.GeoSeries | None
    store: Store = field(repr=False)
    incidents_in_db: bool = False
    _incidents: IncidentArrays | None = field(default=None, repr=False)
    _cover: object = field(default=_UNSET, repr=False)
    _contexts: dict[str, UnitsContext] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def incidents(self) -> IncidentArrays:
        """Incidents as arrays; read from the store on first access when they are in the database."""
        if self._incidents is None:
            with self._lock:
                if self._incidents is None:
                    self._incidents = _incident_arrays(self.frames.get("incidents"), self.working_xy,
                                                       self.sectors)
        return self._incidents

    @property
    def camera_cover(self) -> shapely.Geometry | None:
        """The union of the camera view sectors (None without cameras), built once."""
        if self._cover is _UNSET:
            if self.sectors is None or len(self.sectors) == 0:
                self._cover = None
            else:
                # the same union as camera_ind.points_in_sectors tests points against
                self._cover = camera_ind._union(np.asarray(self.sectors.array, dtype=object))
        return self._cover  # type: ignore[return-value]

    def frame(self, layer: str) -> gpd.GeoDataFrame:
        """Return a stored layer (an empty frame with its columns if absent)."""
        from layers.dtypes import empty_frame

        if layer in self.frames:
            return self.frames[layer]
        return empty_frame(get_spec(layer))

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


def prepare(store: Store, *, incidents_in_db: bool | None = None) -> Prepared:
    """Read the layers of the store and precompute what filters never change.

    Parameters
    ----------
    store : Store
        The store.
    incidents_in_db : bool, optional
        Leave the incidents in the database and compute the lägesbild's
        incident figures there (:mod:`geo.analysis.sql.lagesbild`). Default:
        True for a :class:`~geo.store.postgis.PostGISStore`, False otherwise.

    Returns
    -------
    Prepared
        Ready for :func:`geo.privacy.compute_lagesbild`.

    Raises
    ------
    DataStoreError
        If the store has no areas layer to take the kommun boundary from.
    TypeError
        If ``incidents_in_db`` is True for a store that is not PostGIS.
    """
    from geo.store.postgis import PostGISStore

    is_postgis = isinstance(store, PostGISStore)
    in_db = is_postgis if incidents_in_db is None else bool(incidents_in_db)
    if in_db and not is_postgis:
        msg = f"incidents_in_db=True needs a PostGIS store, got {type(store).__name__}"
        raise TypeError(msg)
    token = store.state_token()
    frames = LayerFrames(store, store.list_layers(), deferred=("incidents",) if in_db else ())
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
    unsafe = frames.get("unsafe_places", empty)
    unsafe_distance = nearest.nearest_distance(_xy(unsafe, representative=True), working_xy)
    prep = Prepared(token, store.location, frames, boundary.reset_index(drop=True), unsafe_distance,
                    working_xy, sectors, store, incidents_in_db=in_db)
    if not in_db:
        _ = prep.incidents  # the arrays are built now, so every lägesbild is fast
    return prep


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
        lamp_distance=nearest.nearest_distance(xy, working_xy),
        in_camera=np.asarray(in_camera, dtype=bool),
    )


def _build_context(prep: Prepared, unit: str, area_kind: str) -> UnitsContext:
    from geo.analysis.weights import unit_weights

    units = build_units(unit, boundary=prep.boundary, areas=prep.frames.get("areas"), area_kind=area_kind)

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
    context = UnitsContext(
        unit=unit,
        units=units,
        unsafe_pos=positions("unsafe_places"),
        lamp_pos=positions("lighting"),
        graffiti_pos=positions("graffiti"),
        facility_pos=facility_pos,
        # a sparse matrix: Gi* needs nothing else, and a libpysal W costs seconds of imports
        weights=unit_weights(units, kind=kind, cell_size=GRID_SIZE_OF.get(unit), as_sparse=True),
        static=static,
        prep=prep,
    )
    if not prep.incidents_in_db:
        _ = context.points  # located once now, so every lägesbild is fast
    return context


def _incident_positions(prep: Prepared, units: gpd.GeoDataFrame, unit: str,
                        unsafe_pos: np.ndarray) -> IncidentPositions:
    """Locate every incident in the units and sort the darkness points (the in-memory path)."""
    inc = prep.incidents
    incident_pos = locate_points(units, inc.x, inc.y, unit=unit)
    incident_pos[~inc.located] = -1  # kommun-level positions are never counted in a unit
    dark_positions = np.concatenate([incident_pos, unsafe_pos])
    dark_distances = np.concatenate([inc.lamp_distance, prep.unsafe_distance])
    return IncidentPositions(
        incident_pos=incident_pos,
        dark_positions=dark_positions,
        dark_distances=dark_distances,
        dark_order=darkness.darkness_order(dark_positions, dark_distances),
    )
