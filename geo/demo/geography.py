"""The generator's geography: the outline, its built-up parts, roads and water, and the build context.

The outline is the generator's own (:data:`geo.demo.planted.OUTLINE`) or a
boundary file's (:func:`read_boundary`). :class:`Context` carries the
outline and what later layers need from earlier ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import require_crs
from geo.demo.planted import (
    CARE_HOME_XY,
    DEMO_CRS,
    OUTLINE,
    PLANTED_CAMERAS,
    PLANTED_DARK_PLACE,
    PLANTED_FLOOD_EXPOSED,
    PLANTED_HOTSPOTS,
    SKYFALL_PRESCHOOL_XY,
)


class Cluster(NamedTuple):
    """A built-up part: where people live and lamps stand (a street grid turned ``grid_deg``)."""

    name: str
    trakt: str
    x: float
    y: float
    radius_m: float
    population: int
    grid_deg: float


#: Urban clusters: the built-up parts where people live and lamps stand.
CLUSTERS: tuple[Cluster, ...] = (
    Cluster("Barkarby", "Barkarby", 662_700, 6_588_500, 750, 9_000, 28),
    Cluster("Skälby", "Skälby", 662_800, 6_590_400, 550, 8_000, 10),
    Cluster("Jakobsberg", "Jakobsberg", 660_700, 6_590_900, 1_000, 24_000, 35),
    Cluster("Söderhöjden", "Säby", 661_050, 6_589_500, 600, 11_000, 20),
    Cluster("Viksjö", "Viksjö", 659_500, 6_589_350, 900, 13_000, 12),
    Cluster("Fjällen", "Fjällen", 658_200, 6_588_700, 550, 4_000, 0),
    Cluster("Kallhäll", "Kallhäll", 659_200, 6_594_000, 800, 10_000, 25),
    Cluster("Stäket", "Stäket", 659_300, 6_598_200, 500, 5_000, 40),
)

#: Main roads between the clusters; lamps stand along them outside the clusters.
ROADS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((659_200, 6_594_000), (660_000, 6_592_300), (660_700, 6_590_900)),
    ((660_700, 6_590_900), (661_800, 6_589_600), (662_700, 6_588_500)),
    ((659_500, 6_589_350), (660_700, 6_590_900)),
    ((659_300, 6_598_200), (659_600, 6_596_000), (659_200, 6_594_000)),
    ((662_800, 6_590_400), (660_700, 6_590_900)),
)

#: A Bällstaån-like creek in the south-east; ``flode_200`` zones run along it.
CREEK: tuple[tuple[float, float], ...] = (
    (663_500, 6_591_300), (663_350, 6_590_300), (663_200, 6_589_300),
    (663_050, 6_588_400), (662_750, 6_587_300), (662_300, 6_586_200),
)
#: The box that cuts the Mälaren shore (the outline's west side) for its ``flode_200`` zones.
SHORE_BOX: tuple[float, float, float, float] = (640_000, 6_587_600, 658_000, 6_594_000)


class Context:
    """What later layers need from earlier ones, built once per outline."""

    def __init__(self, outline: shapely.Geometry, incidents: int) -> None:
        shapely.prepare(outline)
        self.outline = outline
        self.incidents = incidents
        weights = np.array([c.population for c in CLUSTERS], dtype=float)
        self.cluster_p = weights / weights.sum()
        self.kommun_xy = kommun_point(outline)
        self.flood: gpd.GeoDataFrame | None = None
        self.facilities: gpd.GeoDataFrame | None = None

    def inside(self, xy: np.ndarray) -> np.ndarray:
        """Return whether each point of an (n, 2) array lies inside the outline."""
        return shapely.contains_xy(self.outline, xy[:, 0], xy[:, 1])


def kommun_point(outline: shapely.Geometry) -> tuple[float, float]:
    """Return the outline's centroid in whole metres, or a point on its surface."""
    c = outline.centroid
    x, y = float(round(c.x)), float(round(c.y))
    if shapely.contains_xy(outline, x, y):
        return x, y
    p = outline.point_on_surface()
    return float(p.x), float(p.y)


def own_outline() -> shapely.Polygon:
    """Return the generator's own outline of Järfälla (:data:`geo.demo.planted.OUTLINE`)."""
    return shapely.Polygon(OUTLINE)


def read_boundary(path: Path) -> shapely.Polygon | shapely.MultiPolygon:
    """Return the polygons of a boundary file in EPSG:3006, unioned."""
    if not path.exists():
        msg = f"boundary={str(path)!r} does not exist; give a polygon file (GeoJSON, GPKG, ...)"
        raise ValueError(msg)
    frame = gpd.read_file(path)
    require_crs(frame, name=f"boundary {path}")
    geoms = frame.to_crs(DEMO_CRS).geometry.make_valid()
    outline = polygonal(shapely.union_all(geoms.to_numpy()))
    if outline is None:
        msg = f"boundary={str(path)!r} holds no polygon; give the kommun outline as a polygon"
        raise ValueError(msg)
    return outline


def polygonal(geom: shapely.Geometry) -> shapely.Polygon | shapely.MultiPolygon | None:
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


def check_planted_inside(outline: shapely.Geometry) -> None:
    """Refuse an outline that does not contain every planted place."""
    places = [(h.name, h.x, h.y) for h in PLANTED_HOTSPOTS]
    places.append((PLANTED_DARK_PLACE.name, PLANTED_DARK_PLACE.x, PLANTED_DARK_PLACE.y))
    places.extend((c.camera_id, c.x, c.y) for c in PLANTED_CAMERAS)
    places.append((PLANTED_FLOOD_EXPOSED[0].name, *CARE_HOME_XY))
    places.append((PLANTED_FLOOD_EXPOSED[2].name, *SKYFALL_PRESCHOOL_XY))
    xy = np.array([(x, y) for _, x, y in places])
    outside = ~shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
    if outside.any():
        names = ", ".join(p[0] for p, out in zip(places, outside, strict=True) if out)
        msg = (
            f"boundary does not contain the planted places {names}; "
            "give an outline of Järfälla in any CRS"
        )
        raise ValueError(msg)


def check_points_inside(layer: str, frame: gpd.GeoDataFrame, outline: shapely.Geometry) -> None:
    """Refuse a generated layer with a point outside the outline."""
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

