"""The demo's ``areas`` (the kommun and its kommundelar) and ``flood_risk`` layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely import affinity

from geo.demo.geography import CREEK, SHORE_BOX, Context, polygonal
from geo.demo.planted import (
    KOMMUN_CODE,
    KOMMUN_NAME,
    KOMMUN_POPULATION,
    KOMMUNDELAR,
    PARTS_BOX,
    SKYFALL_PRESCHOOL_XY,
)
from geo.demo.sampling import layer_frame, make_ids


def build_areas(ctx: Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate the ``areas`` layer: the kommun and its four kommundelar."""
    parts = [polygonal(shapely.intersection(ctx.outline, shapely.Polygon(k.part)))
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
    return layer_frame(data, np.array([ctx.outline, *parts], dtype=object))


_FLOOD_SKYFALL_SPOTS: tuple[tuple[float, float], ...] = (
    SKYFALL_PRESCHOOL_XY,
    (660_450, 6_591_150), (661_600, 6_590_100), (662_400, 6_588_900), (662_950, 6_590_650),
    (659_800, 6_589_000), (658_450, 6_588_950), (659_450, 6_594_300), (658_950, 6_593_600),
    (659_450, 6_598_050),
)


def build_flood_risk(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``flood_risk``: cloudburst spots, the Mälaren shore and the creek."""
    skyfall = []
    for x, y in _FLOOD_SKYFALL_SPOTS:
        r = rng.uniform(45, 110)
        blob = affinity.scale(shapely.Point(x, y).buffer(r, quad_segs=8), rng.uniform(1.0, 1.8), 1.0)
        skyfall.append(affinity.rotate(blob, rng.uniform(0, 180)))
    skyfall_depth = np.round(rng.uniform(0.1, 0.5, len(skyfall)), 2)
    shore = shapely.intersection(ctx.outline.boundary, shapely.box(*SHORE_BOX)).buffer(150)
    creek = shapely.LineString(CREEK).buffer(80)
    bands = [
        (shore, (6_580_000, 6_589_300, 6_591_000, 6_600_000), (1.4, 0.9, 0.6)),
        (creek, (6_580_000, 6_587_800, 6_588_900, 6_590_000, 6_600_000), (1.5, 1.1, 0.8, 0.3)),
    ]
    flode, flode_depth = [], []
    for zone, cuts, depths in bands:
        for lo, hi, depth in zip(cuts[:-1], cuts[1:], depths, strict=True):
            piece = shapely.intersection(zone, shapely.box(PARTS_BOX[0], lo, PARTS_BOX[2], hi))
            piece = polygonal(shapely.intersection(piece, ctx.outline))
            if piece is not None:
                flode.append(piece)
                flode_depth.append(depth)
    skyfall = [polygonal(shapely.intersection(s, ctx.outline)) for s in skyfall]
    keep = [g is not None for g in skyfall]
    geoms = [g for g in skyfall if g is not None] + flode
    frame = layer_frame(
        {
            "id": make_ids("fr", len(geoms), 2),
            "scenario": ["skyfall_100"] * sum(keep) + ["flode_200"] * len(flode),
            "depth_m": [*skyfall_depth[keep], *flode_depth],
        },
        np.array(geoms, dtype=object),
    )
    ctx.flood = frame
    return frame


