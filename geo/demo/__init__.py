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

The generator is split by job: :mod:`geo.demo.planted` (the planted
truths and the demo period), :mod:`geo.demo.geography` (outline, built-up
parts, build context), :mod:`geo.demo.sampling` (drawing points and times)
and one module per group of layers (:mod:`geo.demo.areas`,
:mod:`geo.demo.incidents`, :mod:`geo.demo.infrastructure`,
:mod:`geo.demo.safety`).

Planted truths
--------------
Known answers that tests and worked examples can check. Ids are stable for
every seed; counts are for the generator's own outline.

Hot spots (:data:`~geo.demo.planted.PLANTED_HOTSPOTS`; Gaussian spread around the centre, the
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

Dark place (:data:`~geo.demo.planted.PLANTED_DARK_PLACE`): *Parkstråket norr om Viksjö
centrum*, E 659 150 N 6 589 800, radius 250 m. No working lamp lies within
the radius (two broken lamps and one planned lamp do); ``max(8, n // 500)``
night-time incidents (robbery, assault, threats, disorder) and the two
unsafe places ``ups-001`` and ``ups-002`` (reason ``lighting``) lie within
150 m of the centre.

Cameras (:data:`~geo.demo.planted.PLANTED_CAMERAS`): the active camera ``cam-001`` at
E 660 870 N 6 590 585, looking north (0°) with a 90° opening and 70 m range,
sees the Jakobsberg hot spot centre. No active camera sees the Barkarby hot
spot centre; the planned camera ``cam-025`` would. Four active permits run
out within six months after :data:`~geo.demo.planted.DEMO_END`.

Flood exposure (:data:`~geo.demo.planted.PLANTED_FLOOD_EXPOSED`): the care home ``fac-001``
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
>>> from geo.demo.planted import PLANTED_HOTSPOTS, cell_id
>>> cell_id(*PLANTED_HOTSPOTS[0][1:3])
'6607506590500'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np

from geo import settings
from geo.demo.areas import build_areas, build_flood_risk
from geo.demo.geography import Context, check_planted_inside, check_points_inside, own_outline, read_boundary
from geo.demo.incidents import build_incidents
from geo.demo.infrastructure import build_cameras, build_facilities, build_graffiti, build_lighting
from geo.demo.safety import (
    build_guard_areas,
    build_neighbourhood_watch,
    build_safety_offices,
    build_unauthorised_settlements,
    build_unsafe_places,
    build_vehicle_barriers,
)
from geo.store import Store, open_store

DEFAULT_SEED: int = 20190401
"""The seed of the shipped demo store (the program's first year, 2019-04-01)."""
DEFAULT_INCIDENTS: int = 6000
"""Incidents in the shipped demo store."""
MIN_INCIDENTS: int = 100
"""Fewest incidents :func:`build_demo` accepts; fewer cannot carry the planted truths."""

DATASETS: dict[str, str] = {
    "demo": "Seeded demo store of every layer for Järfälla (seed 20190401, 6 000 incidents).",
}
"""Names :func:`get_path` knows, with what each holds."""


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
    outline = own_outline() if boundary is None else read_boundary(Path(boundary))
    check_planted_inside(outline)
    streams = dict(zip(_LAYER_ORDER, np.random.SeedSequence(seed).spawn(len(_LAYER_ORDER)),
                       strict=True))
    ctx = Context(outline, incidents)
    frames = {}
    for layer in _LAYER_ORDER:
        say(f"Skapar {_LAYER_SV[layer]} …")
        frames[layer] = _BUILDERS[layer](ctx, np.random.default_rng(streams[layer]))
        check_points_inside(layer, frames[layer], outline)
    say(f"Sparar i {path} …")
    store = open_store(path)
    for layer, frame in frames.items():
        store.write(layer, frame, mode="replace", source="demo", note=f"seed={seed}")
    say("Klart.")
    return store

def _silent(_message: str) -> None:
    return None


def _check_int(argument: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        msg = f"{argument}={value!r} is not allowed; give a whole number >= {minimum}"
        raise ValueError(msg)


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
_BUILDERS: dict[str, Callable[[Context, np.random.Generator], gpd.GeoDataFrame]] = {
    "areas": build_areas,
    "flood_risk": build_flood_risk,
    "facilities": build_facilities,
    "incidents": build_incidents,
    "lighting": build_lighting,
    "cameras": build_cameras,
    "graffiti": build_graffiti,
    "unsafe_places": build_unsafe_places,
    "safety_offices": build_safety_offices,
    "guard_areas": build_guard_areas,
    "neighbourhood_watch": build_neighbourhood_watch,
    "vehicle_barriers": build_vehicle_barriers,
    "unauthorised_settlements": build_unauthorised_settlements,
}
