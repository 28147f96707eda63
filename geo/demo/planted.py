"""The planted truths of the demo store: its period, its kommun, and the known answers.

Everything here is a fixed fact that the generator builds the layers around
and that tests and worked examples check (see :mod:`geo.demo`): the period
:data:`DEMO_START` to :data:`DEMO_END`, the outline and the four
kommundelar, the hot spots, the dark place, the cameras and the
flood-exposed facilities, and :func:`cell_id` naming the 250 m cells.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import pandas as pd

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
#: The box around the kommun that the four parts of :data:`KOMMUNDELAR` tile.
PARTS_BOX: tuple[float, float, float, float] = (_W, _S, _E, _N)
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

#: Where the planted facilities of :data:`PLANTED_FLOOD_EXPOSED` stand (Görvälnverket: near here,
#: on the nearest vertex of a ``flode_200`` zone that no zone contains).
CARE_HOME_XY: tuple[float, float] = (663_200, 6_589_300)
SKYFALL_PRESCHOOL_XY: tuple[float, float] = (661_300, 6_589_900)
GORVALN_TARGET: tuple[float, float] = (656_400, 6_590_200)


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

