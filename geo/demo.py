"""The seeded demo store: every layer of Trygghetskartan for a Järfälla-shaped kommun.

:func:`build_demo` writes all 13 layers into a GeoPackage store. The data is
synthetic but shaped like Järfälla (kommunkod 0123): an outline elongated
north-south with Mälaren on the west, four kommundelar with their population,
urban clusters with a street grid, and a three-year period of incidents with
evening, night and weekend peaks. The same ``seed`` and arguments always give
the same data; nothing depends on today's date. Tests, notebooks and the app
share the store through :func:`get_path` and :func:`ensure_demo`.

Every coordinate is SWEREF 99 TM (EPSG:3006). The outline is the generator's
own rounded sketch (about 62 km²), not a surveyed boundary; pass
``boundary=`` to build inside a real one (the four kommundelar are then the
generator's own parts clipped to it).

Planted truths
--------------
Known answers that tests and worked examples can check. Ids are stable for
every seed; counts are for the generator's own outline.

Hot spots (:data:`PLANTED_HOTSPOTS`; Gaussian spread around the centre, the
250 m ``unit_id`` is the SCB-style cell holding the centre):

============================  =========  ===========  =====  ====  ===============
name                          E          N            share  sd m  unit_id
============================  =========  ===========  =====  ====  ===============
Jakobsbergs centrum           660 870    6 590 630    0.12   100   6607506590500
Barkarby station              662 870    6 588 620    0.08   90    6627506588500
Kallhälls centrum             659 120    6 593 870    0.05   80    6590006593750
============================  =========  ===========  =====  ====  ===============

Together they hold 25 % of the incidents. Jakobsberg peaks in the afternoon
and evening (theft, disorder, drugs), Barkarby is bicycle and vehicle crime,
and about 85 % of the Kallhäll incidents happen between 22:00 and 05:00,
most of them Friday and Saturday nights.

Dark place (:data:`PLANTED_DARK_PLACE`): *Parkstråket norr om Viksjö
centrum*, E 659 150 N 6 589 800, radius 250 m. No working lamp lies within
the radius (two broken lamps and one planned lamp do); ``max(8, n // 500)``
night-time incidents (robbery, assault, threats, disorder) and the two
unsafe places ``ups-001`` and ``ups-002`` (reason ``lighting``) lie within
150 m of the centre.

Cameras (:data:`PLANTED_CAMERAS`): the active camera ``cam-001`` at
E 660 870 N 6 590 585, looking north (0°) with a 90° opening and 70 m range,
sees the Jakobsberg hot spot centre. No active camera sees the Barkarby hot
spot centre; the planned camera ``cam-025`` would. Four active permits run
out within six months after :data:`DEMO_END`.

Flood exposure (:data:`PLANTED_FLOOD_EXPOSED`): the care home ``fac-001``
*Bällstaängens vård- och omsorgsboende* (E 663 200 N 6 589 300, no reserve
power) lies inside a ``flode_200`` zone along the Bällstaån-like creek; the
water works ``fac-002`` *Görvälnverket* lies exactly on the edge of a
``flode_200`` zone along the Mälaren shore (a vertex of the zone, about
E 656 042 N 6 590 636 for the own outline; distance 0 m: it intersects the
zone but is not within it); the preschool ``fac-003`` *Förskolan Dammen* lies
inside a ``skyfall_100`` zone. No other facility lies within 25 m of a flood
zone.

Other fixed facts: incidents with ``location_precision == "kommun"`` (2 %)
all lie on one point, the outline's centroid rounded to whole metres
(E 660 081 N 6 591 637 for the own outline), as police events that only say
"Järfälla"; about 4 % have ``"street"`` precision (rounded to 50 m). The two
protected categories make up about 3 % of the incidents.

Counts per layer for the default seed and size (``incidents=6000``, own
outline): areas 5 (1 kommun, 4 kommundelar), incidents 6 000 (5 693 exact,
187 street, 120 kommun), lighting 5 124 (4 865 working, 207 broken, 52
planned), cameras 28 (24 active, 3 planned, 1 removed), graffiti 600 (490
removed within 72 hours, 90 late, 20 still open), flood_risk 17 (10
skyfall_100, 7 flode_200), unsafe_places 60 (56 points, 4 polygons),
facilities 87 (25 schools, 40 preschools, 8 care homes, 5 health centres,
3 sewage pumping stations, 3 sports centres, 2 water works, 1 fire station),
safety_offices 3, guard_areas 2, neighbourhood_watch 15 (12 polygons, 3
points), vehicle_barriers 20, unauthorised_settlements 5. With the default
seed the three hot spot cells hold 477, 356 and 249 of the exact incidents,
against a median of 4 per non-empty 250 m cell. Only the counts of
incidents and lamps depend on ``incidents`` and ``seed`` (lamps by a few,
through jitter at the outline).

Examples
--------
>>> import tempfile, pathlib
>>> store = build_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.gpkg", incidents=500)
>>> store.count("incidents"), store.count("areas")
(500, 5)
>>> cell_id(*PLANTED_HOTSPOTS[0][1:3])
'6607506590500'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

from geo import settings
from geo.crs import require_crs
from geo.store import Store, open_store

DEFAULT_SEED: int = 20190401
"""The seed of the shipped demo store (the program's first year, 2019-04-01)."""
DEFAULT_INCIDENTS: int = 6000
"""Incidents in the shipped demo store."""
MIN_INCIDENTS: int = 100
"""Fewest incidents :func:`build_demo` accepts; fewer cannot carry the planted truths."""
DEMO_CRS: str = "EPSG:3006"
"""CRS of every generated coordinate (SWEREF 99 TM)."""
DEMO_TZ: str = "Europe/Stockholm"
"""Time zone of every generated timestamp."""
DEMO_START: pd.Timestamp = pd.Timestamp("2023-10-01 00:00", tz=DEMO_TZ)
"""First instant of the demo period (inclusive)."""
DEMO_END: pd.Timestamp = pd.Timestamp("2026-10-01 00:00", tz=DEMO_TZ)
"""End of the demo period (exclusive); the data describes the world as of then."""
KOMMUN_CODE: str = "0123"
"""Järfälla's kommunkod."""
KOMMUN_NAME: str = "Järfälla"
KOMMUN_POPULATION: int = 84_000
"""Demo population of the kommun, the sum of the kommundelar."""

OUTLINE: tuple[tuple[float, float], ...] = (
    (658700, 6600000),
    (659500, 6600100),
    (659800, 6599100),
    (660800, 6598300),
    (660500, 6596900),
    (660600, 6595400),
    (662200, 6594500),
    (663000, 6593200),
    (663300, 6591600),
    (664400, 6590300),
    (664300, 6589100),
    (663500, 6588400),
    (663200, 6587300),
    (662600, 6586100),
    (661300, 6586000),
    (660700, 6587000),
    (658800, 6587500),
    (656800, 6587700),
    (655700, 6589300),
    (655900, 6590700),
    (657000, 6592000),
    (657700, 6593600),
    (658600, 6594600),
    (658500, 6597300),
    (658200, 6598800),
)
"""The generator's own outline of Järfälla, clockwise from the north tip (EPSG:3006)."""

DATASETS: dict[str, str] = {
    "demo": "Seeded demo store of every layer for Järfälla (seed 20190401, 6 000 incidents).",
}
"""Names :func:`get_path` knows, with what each holds."""


class Kommundel(NamedTuple):
    """One of the four demo kommundelar.

    Attributes
    ----------
    code : str
        Area code, ``"0123-KD1"`` to ``"0123-KD4"``.
    name : str
        Name of the kommundel.
    population : int
        Demo population.
    part : tuple of (float, float)
        A polygon of the plane partition; the kommundel is the outline
        clipped to it. The four parts tile a box around the kommun exactly.
    """

    code: str
    name: str
    population: int
    part: tuple[tuple[float, float], ...]


_N, _S, _W, _E = 6_615_000, 6_570_000, 640_000, 680_000
KOMMUNDELAR: tuple[Kommundel, ...] = (
    Kommundel(
        "0123-KD1", "Barkarby-Skälby", 17_000,
        ((662300, 6592700), (_E, 6592700), (_E, _S), (660400, _S), (660400, 6587600),
         (661800, 6588300), (662100, 6590000)),
    ),
    Kommundel(
        "0123-KD2", "Jakobsberg", 35_000,
        ((660200, 6592500), (662300, 6592700), (662100, 6590000), (661800, 6588300),
         (661000, 6588600), (660500, 6589700), (660150, 6590800)),
    ),
    Kommundel(
        "0123-KD3", "Viksjö", 17_000,
        ((_W, _S), (660400, _S), (660400, 6587600), (661800, 6588300), (661000, 6588600),
         (660500, 6589700), (660150, 6590800), (660200, 6592500), (658500, 6592300),
         (_W, 6592300)),
    ),
    Kommundel(
        "0123-KD4", "Kallhäll-Stäket", 15_000,
        ((_W, 6592300), (658500, 6592300), (660200, 6592500), (662300, 6592700),
         (_E, 6592700), (_E, _N), (_W, _N)),
    ),
)
"""The four kommundelar: Barkarby-Skälby (south-east), Jakobsberg (centre),
Viksjö (south-west) and Kallhäll-Stäket (north); populations sum to 84 000."""


class Hotspot(NamedTuple):
    """A planted incident hot spot.

    Attributes
    ----------
    name : str
        Place name.
    x, y : float
        Centre, EPSG:3006.
    share : float
        Share of all incidents drawn around the centre.
    sd_m : float
        Standard deviation of the Gaussian spread, metres.
    unit_id : str
        The 250 m grid cell holding the centre (see :func:`cell_id`).
    """

    name: str
    x: float
    y: float
    share: float
    sd_m: float
    unit_id: str


PLANTED_HOTSPOTS: tuple[Hotspot, ...] = (
    Hotspot("Jakobsbergs centrum", 660_870, 6_590_630, 0.12, 100, "6607506590500"),
    Hotspot("Barkarby station", 662_870, 6_588_620, 0.08, 90, "6627506588500"),
    Hotspot("Kallhälls centrum", 659_120, 6_593_870, 0.05, 80, "6590006593750"),
)
"""The three planted hot spots, 25 % of the incidents together."""


class DarkPlace(NamedTuple):
    """A planted dark place: no working lamp within ``radius_m`` of the centre.

    Attributes
    ----------
    name : str
        Place name.
    x, y : float
        Centre, EPSG:3006.
    radius_m : float
        Radius without a working lamp, metres.
    """

    name: str
    x: float
    y: float
    radius_m: float


PLANTED_DARK_PLACE: DarkPlace = DarkPlace("Parkstråket norr om Viksjö centrum", 659_150, 6_589_800, 250)
"""The planted dark place in Viksjö, with night-time incidents and two unsafe places."""


class PlantedCamera(NamedTuple):
    """A camera whose coverage is a known answer.

    Attributes
    ----------
    camera_id : str
        The camera's ``id``.
    status : str
        ``"active"`` or ``"planned"``.
    x, y : float
        Position, EPSG:3006.
    direction_deg : float
        View direction, degrees clockwise from north.
    angle_deg : float
        Opening angle, degrees.
    range_m : float
        Range, metres.
    covers : str
        The hot spot whose centre lies in the view sector.
    """

    camera_id: str
    status: str
    x: float
    y: float
    direction_deg: float
    angle_deg: float
    range_m: float
    covers: str


PLANTED_CAMERAS: tuple[PlantedCamera, ...] = (
    PlantedCamera("cam-001", "active", 660_870, 6_590_585, 0.0, 90.0, 70.0,
                  "Jakobsbergs centrum"),
    PlantedCamera("cam-025", "planned", 662_870, 6_588_570, 0.0, 90.0, 60.0,
                  "Barkarby station"),
)
"""``cam-001`` (active) sees the Jakobsberg hot spot; only the planned ``cam-025``
would see the Barkarby one, which no active camera covers."""


class PlantedFacility(NamedTuple):
    """A facility whose flood exposure is a known answer.

    Attributes
    ----------
    facility_id : str
        The facility's ``id``.
    name : str
        Its name.
    kind : str
        Facility kind code.
    scenario : str
        The flood scenario it relates to.
    relation : str
        ``"inside"`` (within a zone) or ``"touching"`` (on a zone's edge,
        distance exactly 0 m, not within).
    reserve_power : bool
        Whether it has reserve power.
    """

    facility_id: str
    name: str
    kind: str
    scenario: str
    relation: str
    reserve_power: bool


PLANTED_FLOOD_EXPOSED: tuple[PlantedFacility, ...] = (
    PlantedFacility("fac-001", "Bällstaängens vård- och omsorgsboende", "care_home",
                    "flode_200", "inside", False),
    PlantedFacility("fac-002", "Görvälnverket", "water_works", "flode_200", "touching", True),
    PlantedFacility("fac-003", "Förskolan Dammen", "preschool", "skyfall_100", "inside", False),
)
"""The only facilities within 25 m of a flood zone."""


def cell_id(x: float, y: float, size: int = 250) -> str:
    """Return the id of the grid cell that holds a point.

    The convention is SCB's for grid statistics in SWEREF 99 TM: cells are
    aligned to multiples of ``size`` and named by the lower-left corner,
    easting in 6 digits then northing in 7. A point on a cell edge belongs to
    the cell above or to the right. The lägesbild engine has its own grid;
    this helper documents the ids in :data:`PLANTED_HOTSPOTS`.

    Parameters
    ----------
    x, y : float
        Easting and northing in EPSG:3006, metres.
    size : int, default 250
        Cell size in metres.

    Returns
    -------
    str
        The 13-character cell id.

    Raises
    ------
    ValueError
        If ``size`` is not a positive whole number of metres.

    Examples
    --------
    >>> cell_id(660870, 6590630)
    '6607506590500'
    >>> cell_id(660870, 6590630, size=1000)
    '6600006590000'
    """
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        msg = f"size={size!r} is not allowed; give a positive whole number of metres (e.g. 250)"
        raise ValueError(msg)
    return f"{math.floor(x / size) * size:06d}{math.floor(y / size) * size:07d}"


def get_path(name: str) -> Path:
    """Return the path of a named demo dataset.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS` (``"demo"``).

    Returns
    -------
    pathlib.Path
        Where the dataset lives; it may not be built yet (see
        :func:`ensure_demo`).

    Raises
    ------
    ValueError
        If ``name`` is unknown; the message lists the valid names.

    Examples
    --------
    >>> get_path("demo").name
    'demo.gpkg'
    """
    if name not in DATASETS:
        msg = f"name={name!r} is not a demo dataset; valid names: {', '.join(DATASETS)}"
        raise ValueError(msg)
    return settings.PROJECT_ROOT / "data" / f"{name}.gpkg"


def ensure_demo(path: str | Path | None = None) -> Path:
    """Build the default demo store unless it exists already.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Where the store lives. Defaults to ``get_path("demo")``.

    Returns
    -------
    pathlib.Path
        The store's path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ensure_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.gpkg").exists()
    True
    """
    target = get_path("demo") if path is None else Path(path)
    if not target.exists():
        build_demo(target)
    return target


def build_demo(
    path: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    incidents: int = DEFAULT_INCIDENTS,
    boundary: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Store:
    """Write every layer of seeded demo data into a GeoPackage store.

    Every layer is generated first, then each replaces what the store held
    (``mode="replace"``) and is validated against its spec by the store, so
    bad arguments leave an existing store untouched. The same ``seed`` and
    arguments always give the same data. The planted truths are listed in
    the module docstring.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.gpkg`` file; created if missing.
    seed : int, default 20190401
        Seed of the random streams: each layer draws from its own
        :func:`numpy.random.default_rng` spawned from this seed, so changing
        ``incidents`` leaves the other layers as they were.
    incidents : int, default 6000
        Number of incidents over the three-year period; at least 100.
    boundary : str or pathlib.Path, optional
        A file of polygons in any CRS (e.g. Lantmäteriet's kommun outline).
        When given, it replaces the generator's own outline: the kommundelar
        are clipped to it and every generated point lies inside it. It must
        contain the planted places.
    progress : callable, optional
        Called with a short Swedish message before each layer is built and
        before the store is written (``"Skapar händelser …"``).

    Returns
    -------
    Store
        The opened store.

    Raises
    ------
    ValueError
        If ``seed`` or ``incidents`` is not allowed, or ``boundary`` holds no
        polygon or does not contain the planted places.
    CRSError
        If the boundary file has no CRS.
    ValidationError
        If a generated layer breaks its spec (a bug in this module).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = build_demo(pathlib.Path(tempfile.mkdtemp()) / "d.gpkg", incidents=200)
    >>> len(store.list_layers())
    13
    """
    _check_int("seed", seed, minimum=0)
    _check_int("incidents", incidents, minimum=MIN_INCIDENTS)
    say = progress or _silent
    outline = _own_outline() if boundary is None else _read_boundary(Path(boundary))
    _check_planted_inside(outline)
    streams = dict(zip(_LAYER_ORDER, np.random.SeedSequence(seed).spawn(len(_LAYER_ORDER)),
                       strict=True))
    ctx = _Context(outline, incidents)
    frames = {}
    for layer in _LAYER_ORDER:
        say(f"Skapar {_LAYER_SV[layer]} …")
        frames[layer] = _BUILDERS[layer](ctx, np.random.default_rng(streams[layer]))
        _check_points_inside(layer, frames[layer], outline)
    say(f"Sparar i {path} …")
    store = open_store(path)
    for layer, frame in frames.items():
        store.write(layer, frame, mode="replace", source="demo", note=f"seed={seed}")
    say("Klart.")
    return store


# -- arguments and geometry ---------------------------------------------------------------------


def _silent(_message: str) -> None:
    return None


def _check_int(argument: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        msg = f"{argument}={value!r} is not allowed; give a whole number >= {minimum}"
        raise ValueError(msg)


def _own_outline() -> shapely.Polygon:
    return shapely.Polygon(OUTLINE)


def _read_boundary(path: Path) -> shapely.Polygon | shapely.MultiPolygon:
    if not path.exists():
        msg = f"boundary={str(path)!r} does not exist; give a polygon file (GeoJSON, GPKG, ...)"
        raise ValueError(msg)
    frame = gpd.read_file(path)
    require_crs(frame, name=f"boundary {path}")
    geoms = frame.to_crs(DEMO_CRS).geometry.make_valid()
    outline = _polygonal(shapely.union_all(geoms.to_numpy()))
    if outline is None:
        msg = f"boundary={str(path)!r} holds no polygon; give the kommun outline as a polygon"
        raise ValueError(msg)
    return outline


def _polygonal(geom: shapely.Geometry) -> shapely.Polygon | shapely.MultiPolygon | None:
    """Keep the polygons of a geometry (overlays may add points or lines)."""
    parts = shapely.get_parts(geom)
    while True:
        nested = np.isin(shapely.get_type_id(parts), (4, 6, 7))  # multi types and collections
        if not nested.any():
            break
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    polys = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    if len(polys) == 0:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(list(polys))


def _check_planted_inside(outline: shapely.Geometry) -> None:
    places = [(h.name, h.x, h.y) for h in PLANTED_HOTSPOTS]
    places.append((PLANTED_DARK_PLACE.name, PLANTED_DARK_PLACE.x, PLANTED_DARK_PLACE.y))
    places.extend((c.camera_id, c.x, c.y) for c in PLANTED_CAMERAS)
    places.append((PLANTED_FLOOD_EXPOSED[0].name, *_CARE_HOME_XY))
    places.append((PLANTED_FLOOD_EXPOSED[2].name, *_SKYFALL_PRESCHOOL_XY))
    xy = np.array([(x, y) for _, x, y in places])
    outside = ~shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
    if outside.any():
        names = ", ".join(p[0] for p, out in zip(places, outside, strict=True) if out)
        msg = (
            f"boundary does not contain the planted places {names}; "
            "give an outline of Järfälla in any CRS"
        )
        raise ValueError(msg)


def _check_points_inside(layer: str, frame: gpd.GeoDataFrame, outline: shapely.Geometry) -> None:
    geoms = frame.geometry.to_numpy()
    points = shapely.get_type_id(geoms) == 0
    outside = points.copy()
    outside[points] = ~shapely.contains(outline, geoms[points])
    if outside.any():
        msg = (
            f"{int(outside.sum())} generated {layer} points fall outside the boundary; "
            "give an outline that holds Järfälla's built-up parts"
        )
        raise ValueError(msg)


class _Cluster(NamedTuple):
    name: str
    trakt: str
    x: float
    y: float
    radius_m: float
    population: int
    grid_deg: float


#: Urban clusters: the built-up parts where people live and lamps stand.
_CLUSTERS: tuple[_Cluster, ...] = (
    _Cluster("Barkarby", "Barkarby", 662_700, 6_588_500, 750, 9_000, 28),
    _Cluster("Skälby", "Skälby", 662_800, 6_590_400, 550, 8_000, 10),
    _Cluster("Jakobsberg", "Jakobsberg", 660_700, 6_590_900, 1_000, 24_000, 35),
    _Cluster("Söderhöjden", "Säby", 661_050, 6_589_500, 600, 11_000, 20),
    _Cluster("Viksjö", "Viksjö", 659_500, 6_589_350, 900, 13_000, 12),
    _Cluster("Fjällen", "Fjällen", 658_200, 6_588_700, 550, 4_000, 0),
    _Cluster("Kallhäll", "Kallhäll", 659_200, 6_594_000, 800, 10_000, 25),
    _Cluster("Stäket", "Stäket", 659_300, 6_598_200, 500, 5_000, 40),
)

#: Main roads between the clusters; lamps stand along them outside the clusters.
_ROADS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((659_200, 6_594_000), (660_000, 6_592_300), (660_700, 6_590_900)),
    ((660_700, 6_590_900), (661_800, 6_589_600), (662_700, 6_588_500)),
    ((659_500, 6_589_350), (660_700, 6_590_900)),
    ((659_300, 6_598_200), (659_600, 6_596_000), (659_200, 6_594_000)),
    ((662_800, 6_590_400), (660_700, 6_590_900)),
)

_CREEK: tuple[tuple[float, float], ...] = (
    (663_500, 6_591_300), (663_350, 6_590_300), (663_200, 6_589_300),
    (663_050, 6_588_400), (662_750, 6_587_300), (662_300, 6_586_200),
)
_CARE_HOME_XY: tuple[float, float] = (663_200, 6_589_300)
_SKYFALL_PRESCHOOL_XY: tuple[float, float] = (661_300, 6_589_900)
_GORVALN_TARGET: tuple[float, float] = (656_400, 6_590_200)
_SHORE_BOX: tuple[float, float, float, float] = (640_000, 6_587_600, 658_000, 6_594_000)


class _Context:
    """What later layers need from earlier ones, built once per outline."""

    def __init__(self, outline: shapely.Geometry, incidents: int) -> None:
        shapely.prepare(outline)
        self.outline = outline
        self.incidents = incidents
        weights = np.array([c.population for c in _CLUSTERS], dtype=float)
        self.cluster_p = weights / weights.sum()
        self.kommun_xy = _kommun_point(outline)
        self.flood: gpd.GeoDataFrame | None = None
        self.facilities: gpd.GeoDataFrame | None = None

    def inside(self, xy: np.ndarray) -> np.ndarray:
        return shapely.contains_xy(self.outline, xy[:, 0], xy[:, 1])


def _kommun_point(outline: shapely.Geometry) -> tuple[float, float]:
    """Return the outline's centroid in whole metres, or a point on its surface."""
    c = outline.centroid
    x, y = float(round(c.x)), float(round(c.y))
    if shapely.contains_xy(outline, x, y):
        return x, y
    p = outline.point_on_surface()
    return float(p.x), float(p.y)


# -- sampling -----------------------------------------------------------------------------------


def _fill(
    ctx: _Context,
    n: int,
    draw: Callable[[int], np.ndarray],
    *,
    keep: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Draw points in batches until ``n`` lie inside the outline (and pass ``keep``)."""
    out = np.empty((0, 2))
    for _ in range(200):
        if len(out) >= n:
            return out[:n]
        batch = draw(max(2 * (n - len(out)), 16))
        ok = ctx.inside(batch)
        if keep is not None:
            ok &= keep(batch)
        out = np.vstack([out, batch[ok]])
    msg = f"could not place {n} points inside the outline; is the boundary too small?"
    raise ValueError(msg)


def _gaussian(rng: np.random.Generator, x: float, y: float, sd: float) -> Callable:
    return lambda k: np.column_stack([rng.normal(x, sd, k), rng.normal(y, sd, k)])


def _urban(rng: np.random.Generator, ctx: _Context, spread: float = 0.55) -> Callable:
    """Draw around the clusters, weighted by population."""
    centres = np.array([(c.x, c.y) for c in _CLUSTERS])
    sds = np.array([c.radius_m for c in _CLUSTERS]) * spread

    def draw(k: int) -> np.ndarray:
        which = rng.choice(len(_CLUSTERS), size=k, p=ctx.cluster_p)
        return centres[which] + rng.normal(0.0, 1.0, (k, 2)) * sds[which, None]

    return draw


def _uniform(rng: np.random.Generator, ctx: _Context) -> Callable:
    minx, miny, maxx, maxy = ctx.outline.bounds
    return lambda k: np.column_stack([rng.uniform(minx, maxx, k), rng.uniform(miny, maxy, k)])


def _near(xy: np.ndarray, x: float, y: float, radius: float) -> np.ndarray:
    return np.hypot(xy[:, 0] - x, xy[:, 1] - y) < radius


def _points(xy: np.ndarray) -> np.ndarray:
    return shapely.points(xy[:, 0], xy[:, 1])


def _ids(prefix: str, n: int, width: int) -> list[str]:
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


def _choice(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    codes = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def _pick_text(rng: np.random.Generator, keys: np.ndarray, texts: Mapping[str, tuple]) -> np.ndarray:
    """For each key pick one of its texts, vectorised."""
    out = np.empty(len(keys), dtype=object)
    for key, options in texts.items():
        mask = keys == key
        out[mask] = np.array(options, dtype=object)[rng.integers(0, len(options), mask.sum())]
    return out


def _frame(data: Mapping[str, object], geometry: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(dict(data), geometry=list(geometry), crs=DEMO_CRS)


# -- time -----------------------------------------------------------------------------------------

#: Relative frequency per hour of day (index 0 = 00:00-00:59).
_HOURS_GENERAL = np.array([3.0, 2.5, 2.0, 1.5, 1.0, 0.8, 1.0, 1.5, 2.0, 2.5, 3.0, 3.3,
                           3.5, 3.5, 3.8, 4.2, 4.8, 5.2, 5.5, 5.8, 5.8, 5.5, 5.0, 4.0])
_HOURS_CENTRE = np.array([1.0, 0.8, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0,
                          6.0, 6.0, 6.5, 7.0, 7.5, 7.5, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0])
#: 85 % of the weight between 22:00 and 05:00.
_HOURS_NIGHT = np.array([85 / 7] * 5 + [15 / 17] * 17 + [85 / 7] * 2)
_HOURS_OFFICE = np.array([0.2] * 7 + [3, 5, 5, 5, 4, 4, 4, 3, 2]
                         + [1.5, 1.0, 0.6, 0.5, 0.4, 0.3, 0.2, 0.2])
#: Relative frequency per weekday (index 0 = Monday).
_DAYS_GENERAL = np.array([0.85, 0.85, 0.9, 0.95, 1.25, 1.35, 1.0])
_DAYS_WEEKEND_NIGHTS = np.array([0.5, 0.5, 0.6, 0.8, 2.0, 2.4, 1.0])
_DAYS_OFFICE = np.array([1.2, 1.2, 1.2, 1.2, 1.1, 0.4, 0.3])


def _local_times(
    rng: np.random.Generator,
    n: int,
    *,
    hours: np.ndarray,
    weekdays: np.ndarray,
    start: pd.Timestamp = DEMO_START,
    end: pd.Timestamp = DEMO_END,
    summer: float = 0.15,
) -> pd.DatetimeIndex:
    """Draw wall-clock times in [start, end) with hour, weekday and season patterns."""
    days = pd.date_range(start.tz_localize(None).normalize(), end.tz_localize(None).normalize(),
                         freq="D", inclusive="left")
    season = 1.0 + summer * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 196) / 365.25)
    p_day = weekdays[days.day_of_week.to_numpy()] * season
    day = rng.choice(len(days), size=n, p=p_day / p_day.sum())
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    second = rng.integers(0, 3600, size=n)
    naive = days.to_numpy()[day] + (hour * 3600 + second).astype("timedelta64[s]")
    local = pd.DatetimeIndex(naive).tz_localize(
        DEMO_TZ, ambiguous=rng.random(n) < 0.5, nonexistent="shift_forward"
    )
    return local.as_unit("ns")


def _local_dates(values: list[str | None]) -> pd.Series:
    """Dates as local midnight; ``None`` becomes NaT."""
    return pd.Series(pd.to_datetime(values)).dt.tz_localize(DEMO_TZ).dt.as_unit("ns")


def _utc_seconds(seconds: np.ndarray) -> pd.Series:
    """Seconds since the epoch (NaN for none) as local timestamps."""
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert(DEMO_TZ)


def _ns(times: pd.DatetimeIndex) -> np.ndarray:
    """Nanoseconds since the epoch, whatever the index's unit."""
    return times.as_unit("ns").asi8


def _from_ns(values: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(values, unit="ns", utc=True)).tz_convert(DEMO_TZ)


# -- layers -----------------------------------------------------------------------------------


def _build_areas(ctx: _Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    parts = [_polygonal(shapely.intersection(ctx.outline, shapely.Polygon(k.part)))
             for k in KOMMUNDELAR]
    missing = [k.name for k, g in zip(KOMMUNDELAR, parts, strict=True) if g is None]
    if missing:
        msg = f"boundary does not reach the kommundelar {', '.join(missing)}"
        raise ValueError(msg)
    data = {
        "id": ["area-" + KOMMUN_CODE, *("area-" + k.code for k in KOMMUNDELAR)],
        "code": [KOMMUN_CODE, *(k.code for k in KOMMUNDELAR)],
        "name": [KOMMUN_NAME, *(k.name for k in KOMMUNDELAR)],
        "kind": ["kommun"] + ["kommundel"] * len(KOMMUNDELAR),
        "population": [KOMMUN_POPULATION, *(k.population for k in KOMMUNDELAR)],
    }
    return _frame(data, np.array([ctx.outline, *parts], dtype=object))


_FLOOD_SKYFALL_SPOTS: tuple[tuple[float, float], ...] = (
    _SKYFALL_PRESCHOOL_XY,
    (660_450, 6_591_150), (661_600, 6_590_100), (662_400, 6_588_900), (662_950, 6_590_650),
    (659_800, 6_589_000), (658_450, 6_588_950), (659_450, 6_594_300), (658_950, 6_593_600),
    (659_450, 6_598_050),
)


def _build_flood_risk(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    skyfall = []
    for x, y in _FLOOD_SKYFALL_SPOTS:
        r = rng.uniform(45, 110)
        blob = affinity.scale(shapely.Point(x, y).buffer(r, quad_segs=8), rng.uniform(1.0, 1.8), 1.0)
        skyfall.append(affinity.rotate(blob, rng.uniform(0, 180)))
    skyfall_depth = np.round(rng.uniform(0.1, 0.5, len(skyfall)), 2)
    shore = shapely.intersection(ctx.outline.boundary, shapely.box(*_SHORE_BOX)).buffer(150)
    creek = shapely.LineString(_CREEK).buffer(80)
    bands = [
        (shore, (6_580_000, 6_589_300, 6_591_000, 6_600_000), (1.4, 0.9, 0.6)),
        (creek, (6_580_000, 6_587_800, 6_588_900, 6_590_000, 6_600_000), (1.5, 1.1, 0.8, 0.3)),
    ]
    flode, flode_depth = [], []
    for zone, cuts, depths in bands:
        for lo, hi, depth in zip(cuts[:-1], cuts[1:], depths, strict=True):
            piece = shapely.intersection(zone, shapely.box(_W, lo, _E, hi))
            piece = _polygonal(shapely.intersection(piece, ctx.outline))
            if piece is not None:
                flode.append(piece)
                flode_depth.append(depth)
    skyfall = [_polygonal(shapely.intersection(s, ctx.outline)) for s in skyfall]
    keep = [g is not None for g in skyfall]
    geoms = [g for g in skyfall if g is not None] + flode
    frame = _frame(
        {
            "id": _ids("fr", len(geoms), 2),
            "scenario": ["skyfall_100"] * sum(keep) + ["flode_200"] * len(flode),
            "depth_m": [*skyfall_depth[keep], *flode_depth],
        },
        np.array(geoms, dtype=object),
    )
    ctx.flood = frame
    return frame


#: Facility kinds: (kind, count, critical); names come from _FACILITY_NAMES.
_FACILITY_KINDS: tuple[tuple[str, int, bool], ...] = (
    ("school", 25, False),
    ("preschool", 39, False),
    ("care_home", 7, True),
    ("water_works", 1, True),
    ("fire_station", 1, True),
    ("health_centre", 5, True),
    ("sewage_works", 3, True),
    ("sports_centre", 3, False),
)
_FACILITY_NAMES: dict[str, tuple[str, ...]] = {
    "school": tuple(f"{p}skolan" for p in (
        "Asp", "Berg", "Björk", "Dal", "Ek", "Fjäll", "Gran", "Hag", "Hassel", "Kastanj",
        "Kvarn", "Lind", "Lönn", "Mal", "Norr", "Rönn", "Sjö", "Skogs", "Sol", "Stens",
        "Säby", "Tall", "Vall", "Vik", "Ängs")),
    "preschool": tuple(f"Förskolan {w}" for w in (
        "Ekorren", "Myran", "Humlan", "Nyckelpigan", "Blåklockan", "Solrosen", "Vitsippan",
        "Lärkan", "Svalan", "Ugglan", "Igelkotten", "Räven", "Haren", "Trollet", "Regnbågen",
        "Stjärnan", "Månen", "Äppelträdet", "Päronet", "Smultronet", "Blåbäret", "Lingonet",
        "Hallonet", "Vinbäret", "Kotten", "Stubben", "Mossan", "Gläntan", "Backen", "Stigen",
        "Bäcken", "Viken", "Udden", "Holmen", "Sjöstjärnan", "Snäckan", "Fjärilen",
        "Sländan", "Gräshoppan")),
    "care_home": ("Tallbohovs äldreboende", "Säbyhemmet", "Kallhälls äldreboende",
                  "Viksjögårdens vård- och omsorgsboende", "Skälbyhemmet",
                  "Björkgårdens äldreboende", "Hemgårdens korttidsboende"),
    "water_works": ("Reservvattenverk Kallhäll",),
    "fire_station": ("Brandstation Jakobsberg",),
    "health_centre": ("Vårdcentral Jakobsberg", "Vårdcentral Kallhäll", "Vårdcentral Viksjö",
                      "Vårdcentral Barkarby", "Vårdcentral Skälby"),
    "sewage_works": ("Avloppspumpstation Stäket", "Avloppspumpstation Skälby",
                     "Avloppspumpstation Viksjö"),
    "sports_centre": ("Järfällahallen", "Kallhälls idrottsplats", "Barkarby sporthall"),
}


def _build_facilities(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    flood = shapely.union_all(ctx.flood.geometry.to_numpy())
    shapely.prepare(flood)
    total = sum(count for _, count, _ in _FACILITY_KINDS)
    xy = _fill(ctx, total, _urban(rng, ctx, 0.6),
               keep=lambda b: ~shapely.dwithin(flood, _points(b), 25.0))
    kinds = np.concatenate([[k] * c for k, c, _ in _FACILITY_KINDS])
    critical = np.concatenate([[crit] * c for _, c, crit in _FACILITY_KINDS])
    names = np.concatenate([_FACILITY_NAMES[k][:c] for k, c, _ in _FACILITY_KINDS])
    power = np.full(total, None, dtype=object)
    draw = rng.random(total)
    power[critical & (draw < 0.6)] = True
    power[critical & (draw >= 0.6) & (draw < 0.85)] = False
    power[~critical & (draw < 0.1)] = False
    planted = PLANTED_FLOOD_EXPOSED
    gorvaln = _touching_vertex(ctx.flood, _GORVALN_TARGET)
    planted_xy = np.array([_CARE_HOME_XY, gorvaln, _SKYFALL_PRESCHOOL_XY])
    frame = _frame(
        {
            "id": _ids("fac", total + len(planted), 3),
            "name": [p.name for p in planted] + list(names),
            "kind": [p.kind for p in planted] + list(kinds),
            "critical": pd.array([True, True, False, *critical], dtype="boolean"),
            "reserve_power": pd.array([p.reserve_power for p in planted] + list(power),
                                      dtype="boolean"),
        },
        _points(np.vstack([planted_xy, xy])),
    )
    ctx.facilities = frame
    return frame


def _touching_vertex(flood: gpd.GeoDataFrame, target: tuple[float, float]) -> tuple[float, float]:
    """Return the flode_200 vertex nearest ``target`` that no zone contains."""
    zones = flood.geometry[flood["scenario"] == "flode_200"].to_numpy()
    coords = shapely.get_coordinates(zones)
    order = np.argsort(np.hypot(coords[:, 0] - target[0], coords[:, 1] - target[1]))
    union = shapely.union_all(flood.geometry.to_numpy())
    for i in order[:200]:
        x, y = coords[i]
        if not shapely.contains_xy(union, x, y):
            return float(x), float(y)
    msg = "no flood zone vertex found for the touching facility"
    raise ValueError(msg)


_CATEGORIES_BACKGROUND: dict[str, float] = {
    "stold": 20, "inbrott": 9, "skadegorelse": 13, "misshandel": 7, "ran": 2, "narkotika": 6,
    "ordningsstorning": 9, "fordonsbrott": 10, "brand": 3, "hot": 5, "trafik": 6, "ovrigt": 6,
    "vald_i_nara_relation": 3.3, "hedersrelaterat_vald": 0.7,
}
_HOTSPOT_PROFILES: dict[str, tuple[dict[str, float], np.ndarray, np.ndarray]] = {
    "Jakobsbergs centrum": (
        {"stold": 40, "ran": 6, "misshandel": 10, "narkotika": 12, "ordningsstorning": 18,
         "skadegorelse": 8, "hot": 6},
        _HOURS_CENTRE, _DAYS_GENERAL,
    ),
    "Barkarby station": (
        {"stold": 35, "fordonsbrott": 20, "skadegorelse": 20, "ordningsstorning": 10, "ran": 5,
         "hot": 5, "narkotika": 5},
        _HOURS_GENERAL, _DAYS_GENERAL,
    ),
    "Kallhälls centrum": (
        {"misshandel": 20, "narkotika": 20, "ordningsstorning": 25, "skadegorelse": 20,
         "hot": 10, "ran": 5},
        _HOURS_NIGHT, _DAYS_WEEKEND_NIGHTS,
    ),
}
_CATEGORIES_DARK: dict[str, float] = {"ran": 30, "misshandel": 30, "hot": 25,
                                      "ordningsstorning": 15}
_INCIDENT_TEXTS: dict[str, tuple[str, ...]] = {
    "stold": ("Cykelstöld", "Butiksstöld", "Ficktjuveri", "Stöld från person"),
    "inbrott": ("Inbrott i lägenhet", "Inbrott i källarförråd", "Inbrott i villa"),
    "skadegorelse": ("Krossad ruta", "Skadegörelse på busskur", "Klotter på fasad"),
    "misshandel": ("Misshandel på allmän plats", "Misshandel utanför restaurang"),
    "ran": ("Personrån", "Rån mot butik"),
    "narkotika": ("Eget bruk av narkotika", "Innehav av narkotika"),
    "ordningsstorning": ("Bråk mellan ungdomar", "Störande fest", "Berusad person"),
    "fordonsbrott": ("Stöld ur bil", "Bilstöld", "Inbrott i bil"),
    "brand": ("Brand i papperskorg", "Bilbrand", "Brand i container"),
    "hot": ("Olaga hot på allmän plats", "Hot mot personal"),
    "trafik": ("Rattfylleri", "Olovlig körning", "Vårdslöshet i trafik"),
    "ovrigt": ("Övrig händelse", "Upphittat gods"),
    "vald_i_nara_relation": ("Skyddad uppgift",),
    "hedersrelaterat_vald": ("Skyddad uppgift",),
}


def _build_incidents(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    n = ctx.incidents
    blocks: list[tuple[np.ndarray, np.ndarray, pd.DatetimeIndex, np.ndarray]] = []
    for spot in PLANTED_HOTSPOTS:
        k = round(spot.share * n)
        cats, hours, days = _HOTSPOT_PROFILES[spot.name]
        xy = _fill(ctx, k, _gaussian(rng, spot.x, spot.y, spot.sd_m))
        blocks.append((xy, _choice(rng, cats, k), _local_times(rng, k, hours=hours, weekdays=days),
                       np.full(k, "exact", dtype=object)))
    dark = PLANTED_DARK_PLACE
    k = max(8, n // 500)
    xy = _fill(ctx, k, _gaussian(rng, dark.x, dark.y, 60.0),
               keep=lambda b: _near(b, dark.x, dark.y, 150.0))
    blocks.append((xy, _choice(rng, _CATEGORIES_DARK, k),
                   _local_times(rng, k, hours=_HOURS_NIGHT, weekdays=_DAYS_GENERAL),
                   np.full(k, "exact", dtype=object)))
    k = round(0.02 * n)
    blocks.append((np.tile(ctx.kommun_xy, (k, 1)), _choice(rng, _CATEGORIES_BACKGROUND, k),
                   _local_times(rng, k, hours=_HOURS_GENERAL, weekdays=_DAYS_GENERAL),
                   np.full(k, "kommun", dtype=object)))
    k = n - sum(len(b[0]) for b in blocks)
    k_rural = round(0.06 * k)
    xy = np.vstack([_fill(ctx, k - k_rural, _urban(rng, ctx)), _fill(ctx, k_rural, _uniform(rng, ctx))])
    xy, precision = _coarsen(ctx, rng, xy)
    blocks.append((xy, _choice(rng, _CATEGORIES_BACKGROUND, k),
                   _local_times(rng, k, hours=_HOURS_GENERAL, weekdays=_DAYS_GENERAL), precision))
    xy = np.vstack([b[0] for b in blocks])
    category = np.concatenate([b[1] for b in blocks])
    times = _from_ns(np.concatenate([_ns(b[2]) for b in blocks]))
    precision = np.concatenate([b[3] for b in blocks])
    order = np.argsort(_ns(times), kind="stable")
    return _frame(
        {
            "id": _ids("inc", n, 6),
            "occurred_at": times[order],
            "category": category[order],
            "source": np.full(n, "demo", dtype=object),
            "location_precision": precision[order],
            "description": _pick_text(rng, category[order], _INCIDENT_TEXTS),
        },
        _points(xy[order]),
    )


def _coarsen(
    ctx: _Context, rng: np.random.Generator, xy: np.ndarray, share: float = 0.04
) -> tuple[np.ndarray, np.ndarray]:
    """Round a share of the points to 50 m ("street" precision) where that stays inside."""
    precision = np.full(len(xy), "exact", dtype=object)
    pick = rng.random(len(xy)) < share
    rounded = np.round(xy / 50.0) * 50.0
    pick &= ctx.inside(rounded)
    out = np.where(pick[:, None], rounded, xy)
    precision[pick] = "street"
    return out, precision


def _build_lighting(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    xy = np.vstack([_street_grid(), _road_lamps()])
    xy = xy + rng.uniform(-2.0, 2.0, xy.shape)
    dark = PLANTED_DARK_PLACE
    xy = xy[ctx.inside(xy) & ~_near(xy, dark.x, dark.y, dark.radius_m)]
    planted = np.array([(dark.x - 60, dark.y + 40), (dark.x + 90, dark.y - 70),
                        (dark.x + 20, dark.y + 120)])
    total = len(xy) + len(planted)
    status = np.full(total, "working", dtype=object)
    order = rng.permutation(len(xy))
    n_broken, n_planned = round(0.04 * len(xy)), round(0.01 * len(xy))
    status[order[:n_broken]] = "broken"
    status[order[n_broken:n_broken + n_planned]] = "planned"
    status[len(xy):] = ("broken", "broken", "planned")
    start, end = DEMO_START.timestamp(), DEMO_END.timestamp()
    reported = np.full(total, np.nan)
    fixed = np.full(total, np.nan)
    broken = status == "broken"
    reported[broken] = end - rng.exponential(30 * 86_400, broken.sum()).clip(3_600, 300 * 86_400)
    repaired = (status == "working") & (rng.random(total) < 0.10)
    reported[repaired] = rng.uniform(start, end - 40 * 86_400, repaired.sum())
    fixed[repaired] = reported[repaired] + rng.uniform(0.5, 30, repaired.sum()) * 86_400
    return _frame(
        {
            "id": _ids("lamp", total, 5),
            "lamp_id": [f"JF-{10_000 + i}" for i in range(1, total + 1)],
            "status": status,
            "fault_reported_at": _utc_seconds(np.round(reported)),
            "fault_fixed_at": _utc_seconds(np.round(fixed)),
        },
        _points(np.vstack([xy, planted])),
    )


def _street_grid(spacing: float = 130.0, step: float = 40.0) -> np.ndarray:
    """Lamps along a rotated street grid in each cluster; each point kept by its nearest cluster."""
    centres = np.array([(c.x, c.y) for c in _CLUSTERS])
    radii = np.array([c.radius_m for c in _CLUSTERS])
    out = []
    for i, c in enumerate(_CLUSTERS):
        lines = np.arange(-c.radius_m, c.radius_m + 1, spacing)
        along = np.arange(-c.radius_m, c.radius_m + 1, step) + step / 2
        u, v = np.meshgrid(lines, along)
        local = np.vstack([np.column_stack([u.ravel(), v.ravel()]),
                           np.column_stack([v.ravel(), u.ravel()])])
        local = local[np.hypot(local[:, 0], local[:, 1]) <= c.radius_m]
        a = np.radians(c.grid_deg)
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        world = local @ rot.T + (c.x, c.y)
        dist = np.hypot(world[:, None, 0] - centres[:, 0], world[:, None, 1] - centres[:, 1])
        out.append(world[np.argmin(dist / radii, axis=1) == i])
    return np.vstack(out)


def _road_lamps(step: float = 40.0) -> np.ndarray:
    centres = np.array([(c.x, c.y) for c in _CLUSTERS])
    radii = np.array([c.radius_m for c in _CLUSTERS])
    out = []
    for road in _ROADS:
        line = shapely.LineString(road)
        pts = shapely.line_interpolate_point(line, np.arange(0.0, line.length, step))
        xy = shapely.get_coordinates(pts)
        dist = np.hypot(xy[:, None, 0] - centres[:, 0], xy[:, None, 1] - centres[:, 1])
        out.append(xy[(dist > radii).all(axis=1)])
    return np.vstack(out)


#: Fixed active cameras besides cam-001: (x, y, direction) near the centres and stations.
_CAMERA_SITES: tuple[tuple[float, float, float], ...] = (
    (660_950, 6_590_700, 250), (660_780, 6_590_560, 45), (660_700, 6_590_750, 120),
    (661_050, 6_590_480, 300), (659_120, 6_593_930, 200), (659_200, 6_593_800, 330),
    (659_050, 6_594_050, 90), (659_520, 6_589_380, 180), (659_430, 6_589_300, 30),
    (662_780, 6_590_380, 270),
)


def _build_cameras(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    bark = PLANTED_HOTSPOTS[1]
    fixed = np.array([(x, y) for x, y, _ in _CAMERA_SITES])
    fixed_dir = np.array([d for _, _, d in _CAMERA_SITES], dtype=float)
    fixed_ok = ctx.inside(fixed)
    n_random = 23 - int(fixed_ok.sum())
    loose = _fill(ctx, n_random, _urban(rng, ctx, 0.4),
                  keep=lambda b: ~_near(b, bark.x, bark.y, 150.0))
    active_xy = np.vstack([fixed[fixed_ok], loose])
    active_dir = np.concatenate([fixed_dir[fixed_ok], rng.uniform(0, 360, n_random).round()])
    k = len(active_xy)
    c1, c26 = PLANTED_CAMERAS
    # Two more planned cameras and one removed one; sites outside a boundary are left out.
    others = np.array([(661_500, 6_589_700), (659_300, 6_598_150), (659_350, 6_594_250)])
    other_status = np.array(["planned", "planned", "removed"], dtype=object)
    other_permit = np.array([None, None, "2025-06-30"], dtype=object)
    ok = ctx.inside(others)
    xy = np.vstack([[(c1.x, c1.y)], active_xy, [(c26.x, c26.y)], others[ok]])
    total, m = len(xy), int(ok.sum())
    status = ["active"] * (k + 1) + ["planned"] + list(other_status[ok])
    direction = np.concatenate([[c1.direction_deg], active_dir, [c26.direction_deg],
                                rng.uniform(0, 360, 3).round()[ok]])
    angle = np.concatenate([[c1.angle_deg], rng.choice([60, 75, 90, 110], k),
                            [c26.angle_deg], rng.choice([60, 75, 90, 110], 3)[ok]])
    reach = np.concatenate([[c1.range_m], rng.integers(30, 81, k), [c26.range_m],
                            rng.integers(30, 81, 3)[ok]])
    months = rng.integers(7, 37, k + 1)
    months[rng.choice(np.arange(1, k + 1), 4, replace=False)] = rng.integers(1, 6, 4)
    permit = [(DEMO_END + pd.DateOffset(months=int(mo))).strftime("%Y-%m-%d") for mo in months]
    permit += [None, *other_permit[ok]]
    if len(permit) != total or len(status) != total or m > 3:
        msg = "camera columns out of step"
        raise RuntimeError(msg)
    return _frame(
        {
            "id": _ids("cam", total, 3),
            "status": status,
            "direction_deg": direction,
            "angle_deg": angle.astype(float),
            "range_m": reach.astype(float),
            "permit_valid_until": _local_dates(permit),
        },
        _points(xy),
    )


_GRAFFITI_TEXTS: dict[str, tuple[str, ...]] = {
    "school": ("Klotter på skolans fasad", "Taggar på skolgårdens förråd",
               "Klotter på cykelställets tak"),
    "preschool": ("Klotter på förskolans staket", "Taggar på lekstugan",
                  "Klotter på förskolans entrédörr"),
    "pedestrian_tunnel": ("Klotter i gångtunneln", "Taggar på tunnelns väggar",
                          "Stora målningar i gångtunneln"),
    "other": ("Klotter på elskåp", "Taggar på busskur", "Klotter på bullerplank",
              "Klotter på återvinningsstation", "Taggar på parkbänk"),
}
_GRAFFITI_N, _GRAFFITI_OPEN, _GRAFFITI_LATE = 600, 20, 90


def _build_graffiti(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    total = _GRAFFITI_N
    kind = _choice(rng, {"school": 25, "preschool": 15, "pedestrian_tunnel": 20, "other": 40},
                   total)
    fac = ctx.facilities
    fac_xy = shapely.get_coordinates(fac.geometry.to_numpy())
    xy = np.empty((total, 2))
    tunnels = _fill(ctx, 12, _urban(rng, ctx, 0.5))
    for code, pool in (("school", fac_xy[fac["kind"].to_numpy() == "school"]),
                       ("preschool", fac_xy[fac["kind"].to_numpy() == "preschool"]),
                       ("pedestrian_tunnel", tunnels)):
        mask = kind == code
        xy[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    other = kind == "other"
    xy[other] = _fill(ctx, int(other.sum()), _urban(rng, ctx))
    moved = xy + rng.uniform(-25, 25, xy.shape) * (kind != "pedestrian_tunnel")[:, None]
    xy = np.where(ctx.inside(moved)[:, None], moved, xy)
    open_ = np.zeros(total, dtype=bool)
    open_[rng.choice(total, _GRAFFITI_OPEN, replace=False)] = True
    late = np.zeros(total, dtype=bool)
    late[rng.choice(np.flatnonzero(~open_), _GRAFFITI_LATE, replace=False)] = True
    offensive = rng.random(total) < 0.10
    offensive[late] = False
    early = _local_times(rng, total, hours=_HOURS_OFFICE, weekdays=_DAYS_OFFICE,
                         end=DEMO_END - pd.Timedelta(days=25))
    recent = _local_times(rng, total, hours=_HOURS_OFFICE, weekdays=_DAYS_OFFICE,
                          start=DEMO_END - pd.Timedelta(days=21))
    reported = _from_ns(np.where(open_, _ns(recent), _ns(early)))
    hours = rng.uniform(2.0, 71.5, total)
    hours[offensive] = rng.uniform(1.0, 24.0, offensive.sum())
    hours[late] = 72.0 + rng.exponential(96.0, late.sum()).clip(1.0, 430.0)
    removed = _ns(reported) // 10**9 + np.round(hours * 3600)
    removed[open_] = np.nan
    text = _pick_text(rng, kind, _GRAFFITI_TEXTS)
    text[offensive] = text[offensive] + ", kränkande innehåll"
    return _frame(
        {
            "id": _ids("gra", total, 5),
            "reported_at": reported,
            "removed_at": _utc_seconds(removed),
            "object_kind": kind,
            "property": _properties(rng, xy),
            "offensive": pd.array(offensive, dtype="boolean"),
            "description": text,
        },
        _points(xy),
    )


def _properties(rng: np.random.Generator, xy: np.ndarray) -> np.ndarray:
    """Fastighetsbeteckningar such as ``"Viksjö 4:118"`` from the nearest cluster's trakt."""
    centres = np.array([(c.x, c.y) for c in _CLUSTERS])
    nearest = np.argmin(np.hypot(xy[:, None, 0] - centres[:, 0], xy[:, None, 1] - centres[:, 1]),
                        axis=1)
    trakt = np.array([c.trakt for c in _CLUSTERS], dtype=object)[nearest]
    block = rng.integers(1, 40, len(xy)).astype(str)
    unit = rng.integers(1, 300, len(xy)).astype(str)
    return trakt + " " + block.astype(object) + ":" + unit.astype(object)


_UNSAFE_TEXTS: dict[str, tuple[str, ...]] = {
    "lighting": ("Mörkt gångstråk utan fungerande belysning",
                 "Trasig belysning vid busshållplatsen", "Dålig belysning i gångtunneln"),
    "vegetation": ("Igenvuxna buskar skymmer gångvägen", "Tät vegetation längs cykelbanan"),
    "visibility": ("Skymd sikt runt hörnet vid garaget", "Otydlig entré, svårt att se vem som kommer"),
    "littering": ("Mycket skräp och krossat glas", "Nedskräpning vid återvinningsstationen"),
    "graffiti": ("Mycket klotter på väggar och skyltar", "Klotter i trappuppgången"),
    "people": ("Grupper som samlas kvällstid", "Upplevd narkotikaförsäljning",
               "Berusade personer vid stationen"),
    "traffic": ("Bilar kör fort förbi skolan", "Osäker passage över vägen"),
    "other": ("Känns ödsligt kvällstid", "Få människor i rörelse efter att affärerna stängt"),
}
#: Dates of the trygghetsvandringar and trygghetsundersökningar in the period.
_WALK_DATES = ("2023-10-17", "2024-04-23", "2024-10-15", "2025-04-22", "2025-10-14",
               "2026-04-21")
_SURVEY_DATES = ("2024-03-15", "2026-03-13")


def _build_unsafe_places(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    dark = PLANTED_DARK_PLACE
    n_points, n_polygons, n_hot = 54, 4, 6
    planted = np.array([(dark.x + 30, dark.y - 40), (dark.x - 70, dark.y + 60)])
    hot = np.vstack([_fill(ctx, 2, _gaussian(rng, h.x, h.y, 80.0)) for h in PLANTED_HOTSPOTS])
    loose = _fill(ctx, n_points - n_hot, _urban(rng, ctx, 0.6))
    parks = _fill(ctx, n_polygons, _urban(rng, ctx, 0.6))
    blobs = [affinity.rotate(affinity.scale(shapely.Point(x, y).buffer(rng.uniform(50, 90), 6),
                                            rng.uniform(1.2, 2.0), 1.0), rng.uniform(0, 180))
             for x, y in parks]
    polygons = [_polygonal(shapely.intersection(b, ctx.outline)) for b in blobs]
    geoms = [*_points(np.vstack([planted, hot, loose])), *polygons]
    total = len(geoms)
    reason = np.concatenate([
        ["lighting", "lighting"], ["people"] * n_hot,
        _choice(rng, {"lighting": 25, "vegetation": 15, "visibility": 12, "littering": 10,
                      "graffiti": 10, "people": 13, "traffic": 10, "other": 5},
                n_points - n_hot),
        _choice(rng, {"vegetation": 2, "lighting": 1, "other": 1}, n_polygons),
    ])
    source = np.concatenate([["walk", "walk"], _choice(rng, {"walk": 50, "report": 30,
                                                              "survey": 20}, total - 2)])
    status = np.concatenate([["approved", "approved"], _choice(
        rng, {"approved": 60, "new": 12, "in_progress": 10, "resolved": 10, "rejected": 8},
        total - 2)])
    reported = _local_times(rng, total, hours=_HOURS_GENERAL, weekdays=_DAYS_GENERAL)
    reported = pd.Series(reported)
    for code, dates in (("walk", _WALK_DATES), ("survey", _SURVEY_DATES)):
        mask = source == code
        days = pd.to_datetime(np.array(dates)[rng.integers(0, len(dates), mask.sum())])
        at = days + pd.to_timedelta(rng.integers(17 * 60, 20 * 60, mask.sum()), unit="m")
        reported[mask] = at.tz_localize(DEMO_TZ).as_unit("ns")
    reported.iloc[:2] = pd.Timestamp("2025-10-14 18:30", tz=DEMO_TZ)
    text = _pick_text(rng, reason, _UNSAFE_TEXTS)
    text[:2] = ("Mörkt parkstråk, alla lampor släckta", "Ingen belysning på gångvägen genom parken")
    return _frame(
        {
            "id": _ids("ups", total, 3),
            "reason": reason,
            "reported_at": reported,
            "status": status,
            "source": source,
            "description": text,
        },
        np.array(geoms, dtype=object),
    )


def _build_safety_offices(ctx: _Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    j, b, k = PLANTED_HOTSPOTS
    sites = np.array([(j.x + 60, j.y + 80), (k.x - 70, k.y + 50), (b.x - 120, b.y + 90)])
    rows = (("Trygghetskontoret Jakobsberg", "2020-09-01", "open"),
            ("Trygghetskontoret Kallhäll", "2022-03-01", "open"),
            ("Trygghetskontoret Barkarby", None, "planned"))
    keep = ctx.inside(sites)
    kept = [r for r, ok in zip(rows, keep, strict=True) if ok]
    return _frame(
        {
            "id": _ids("tko", len(kept), 2),
            "name": [r[0] for r in kept],
            "opened_at": _local_dates([r[1] for r in kept]),
            "status": [r[2] for r in kept],
        },
        _points(sites[keep]),
    )


def _build_guard_areas(ctx: _Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    j, b, _ = PLANTED_HOTSPOTS
    boxes = (affinity.rotate(shapely.box(j.x - 320, j.y - 220, j.x + 320, j.y + 220), 35),
             affinity.rotate(shapely.box(b.x - 260, b.y - 200, b.x + 260, b.y + 200), 28))
    geoms = [_polygonal(shapely.intersection(g, ctx.outline)) for g in boxes]
    return _frame(
        {
            "id": ["ova-01", "ova-02"],
            "name": ["Jakobsbergs centrum", "Barkarby station"],
            "decided_at": _local_dates(["2024-02-01", "2025-05-15"]),
            "valid_until": _local_dates(["2027-01-31", "2027-05-14"]),
        },
        np.array(geoms, dtype=object),
    )


_WATCH_NAMES = ("Ekbacken", "Granvägen", "Lönnstigen", "Tallbacken", "Björkhagen", "Rönnvägen",
                "Hasselgränd", "Ängsvägen", "Kvarnbacken", "Solvändan", "Vallmovägen",
                "Sjöutsikten", "Skogsbrynet", "Bergsgläntan", "Lindallén")


def _build_neighbourhood_watch(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    total, n_points = len(_WATCH_NAMES), 3
    xy = _fill(ctx, total, _urban(rng, ctx, 0.7))
    geoms: list[shapely.Geometry] = []
    for i, (x, y) in enumerate(xy):
        if i < total - n_points:
            w, h = rng.uniform(60, 150, 2)
            block = affinity.rotate(shapely.box(x - w, y - h, x + w, y + h), rng.uniform(0, 90))
            geoms.append(_polygonal(shapely.intersection(block, ctx.outline)))
        else:
            geoms.append(shapely.Point(x, y))
    started = [f"{y}-{m:02d}-01" for y, m in zip(rng.integers(2012, 2026, total),
                                                 rng.integers(1, 13, total), strict=True)]
    return _frame(
        {
            "id": _ids("gsv", total, 2),
            "name": [f"Grannsamverkan {name}" for name in _WATCH_NAMES],
            "started_at": _local_dates(started),
            "households": rng.integers(12, 181, total),
        },
        np.array(geoms, dtype=object),
    )


def _build_vehicle_barriers(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    j, b, k = PLANTED_HOTSPOTS
    viksjo = _CLUSTERS[4]
    plan = ((j.x, j.y, 8, 150.0), (b.x, b.y, 5, 120.0), (k.x, k.y, 4, 100.0),
            (viksjo.x, viksjo.y, 3, 100.0))
    xy = np.vstack([_fill(ctx, count, _gaussian(rng, x, y, sd)) for x, y, count, sd in plan])
    total = len(xy)
    status = np.full(total, "existing", dtype=object)
    status[rng.choice(total, 4, replace=False)] = "planned"
    return _frame(
        {
            "id": _ids("pks", total, 2),
            "kind": _choice(rng, {"bollard": 45, "planter": 25, "block": 20, "gate": 10}, total),
            "status": status,
        },
        _points(xy),
    )


_SETTLEMENT_TEXTS = ("Tält och presenning i skogsdungen", "Enkel koja av lastpallar",
                     "Husvagn uppställd utan tillstånd", "Sovplats under presenning vid bäcken",
                     "Tält i skogsbrynet nära motionsspåret")


def _build_unauthorised_settlements(ctx: _Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    centres = np.array([(c.x, c.y) for c in _CLUSTERS])
    radii = np.array([c.radius_m for c in _CLUSTERS])

    def outside_town(b: np.ndarray) -> np.ndarray:
        d = np.hypot(b[:, None, 0] - centres[:, 0], b[:, None, 1] - centres[:, 1])
        return (d > radii).all(axis=1)

    total = len(_SETTLEMENT_TEXTS)
    xy = _fill(ctx, total, _uniform(rng, ctx), keep=outside_town)
    observed = _local_times(rng, total, hours=_HOURS_OFFICE, weekdays=_DAYS_OFFICE,
                            start=DEMO_END - pd.Timedelta(days=365))
    return _frame(
        {
            "id": _ids("otb", total, 2),
            "observed_at": observed,
            "status": ["observed", "notified", "removed", "removed", "observed"],
            "description": list(_SETTLEMENT_TEXTS),
        },
        _points(xy),
    )


#: Build order: later layers read what earlier ones left in the context.
_LAYER_ORDER: tuple[str, ...] = (
    "areas", "flood_risk", "facilities", "incidents", "lighting", "cameras", "graffiti",
    "unsafe_places", "safety_offices", "guard_areas", "neighbourhood_watch",
    "vehicle_barriers", "unauthorised_settlements",
)
_LAYER_SV: dict[str, str] = {
    "areas": "områden", "flood_risk": "översvämningsytor", "facilities": "verksamheter",
    "incidents": "händelser", "lighting": "belysning", "cameras": "kameror",
    "graffiti": "klotter", "unsafe_places": "otrygga platser", "safety_offices": "trygghetskontor",
    "guard_areas": "ordningsvaktsområden", "neighbourhood_watch": "grannsamverkan",
    "vehicle_barriers": "påkörningsskydd", "unauthorised_settlements": "otillåtna bosättningar",
}
_BUILDERS: dict[str, Callable[[_Context, np.random.Generator], gpd.GeoDataFrame]] = {
    "areas": _build_areas,
    "flood_risk": _build_flood_risk,
    "facilities": _build_facilities,
    "incidents": _build_incidents,
    "lighting": _build_lighting,
    "cameras": _build_cameras,
    "graffiti": _build_graffiti,
    "unsafe_places": _build_unsafe_places,
    "safety_offices": _build_safety_offices,
    "guard_areas": _build_guard_areas,
    "neighbourhood_watch": _build_neighbourhood_watch,
    "vehicle_barriers": _build_vehicle_barriers,
    "unauthorised_settlements": _build_unauthorised_settlements,
}
