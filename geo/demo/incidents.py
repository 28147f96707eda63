"""The demo's ``incidents`` layer: hot spots, the dark place, kommun-level events and the background."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.demo.geography import Context
from geo.demo.planted import PLANTED_DARK_PLACE, PLANTED_HOTSPOTS
from geo.demo.sampling import (
    DAYS_GENERAL,
    DAYS_WEEKEND_NIGHTS,
    HOURS_CENTRE,
    HOURS_GENERAL,
    HOURS_NIGHT,
    fill,
    from_ns,
    gaussian,
    layer_frame,
    local_times,
    make_ids,
    near,
    pick_text,
    to_ns,
    to_points,
    uniform,
    urban,
    weighted_choice,
)

_CATEGORIES_BACKGROUND: dict[str, float] = {
    "stold": 20, "inbrott": 9, "skadegorelse": 13, "misshandel": 7, "ran": 2, "narkotika": 6,
    "ordningsstorning": 9, "fordonsbrott": 10, "brand": 3, "hot": 5, "trafik": 6, "ovrigt": 6,
    "vald_i_nara_relation": 3.3, "hedersrelaterat_vald": 0.7,
}
_HOTSPOT_PROFILES: dict[str, tuple[dict[str, float], np.ndarray, np.ndarray]] = {
    "Jakobsbergs centrum": (
        {"stold": 40, "ran": 6, "misshandel": 10, "narkotika": 12, "ordningsstorning": 18,
         "skadegorelse": 8, "hot": 6},
        HOURS_CENTRE, DAYS_GENERAL,
    ),
    "Barkarby station": (
        {"stold": 35, "fordonsbrott": 20, "skadegorelse": 20, "ordningsstorning": 10, "ran": 5,
         "hot": 5, "narkotika": 5},
        HOURS_GENERAL, DAYS_GENERAL,
    ),
    "Kallhälls centrum": (
        {"misshandel": 20, "narkotika": 20, "ordningsstorning": 25, "skadegorelse": 20,
         "hot": 10, "ran": 5},
        HOURS_NIGHT, DAYS_WEEKEND_NIGHTS,
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


def build_incidents(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``incidents``: hot spots, the dark place, kommun-level and background."""
    n = ctx.incidents
    blocks: list[tuple[np.ndarray, np.ndarray, pd.DatetimeIndex, np.ndarray]] = []
    for spot in PLANTED_HOTSPOTS:
        k = round(spot.share * n)
        cats, hours, days = _HOTSPOT_PROFILES[spot.name]
        xy = fill(ctx, k, gaussian(rng, spot.x, spot.y, spot.sd_m))
        blocks.append((xy, weighted_choice(rng, cats, k), local_times(rng, k, hours=hours, weekdays=days),
                       np.full(k, "exact", dtype=object)))
    dark = PLANTED_DARK_PLACE
    k = max(8, n // 500)
    xy = fill(ctx, k, gaussian(rng, dark.x, dark.y, 60.0),
               keep=lambda b: near(b, dark.x, dark.y, 150.0))
    blocks.append((xy, weighted_choice(rng, _CATEGORIES_DARK, k),
                   local_times(rng, k, hours=HOURS_NIGHT, weekdays=DAYS_GENERAL),
                   np.full(k, "exact", dtype=object)))
    k = round(0.02 * n)
    blocks.append((np.tile(ctx.kommun_xy, (k, 1)), weighted_choice(rng, _CATEGORIES_BACKGROUND, k),
                   local_times(rng, k, hours=HOURS_GENERAL, weekdays=DAYS_GENERAL),
                   np.full(k, "kommun", dtype=object)))
    k = n - sum(len(b[0]) for b in blocks)
    k_rural = round(0.06 * k)
    xy = np.vstack([fill(ctx, k - k_rural, urban(rng, ctx)), fill(ctx, k_rural, uniform(rng, ctx))])
    xy, precision = _coarsen(ctx, rng, xy)
    blocks.append((xy, weighted_choice(rng, _CATEGORIES_BACKGROUND, k),
                   local_times(rng, k, hours=HOURS_GENERAL, weekdays=DAYS_GENERAL), precision))
    xy = np.vstack([b[0] for b in blocks])
    category = np.concatenate([b[1] for b in blocks])
    times = from_ns(np.concatenate([to_ns(b[2]) for b in blocks]))
    precision = np.concatenate([b[3] for b in blocks])
    order = np.argsort(to_ns(times), kind="stable")
    return layer_frame(
        {
            "id": make_ids("inc", n, 6),
            "occurred_at": times[order],
            "category": category[order],
            "source": np.full(n, "demo", dtype=object),
            "location_precision": precision[order],
            "description": pick_text(rng, category[order], _INCIDENT_TEXTS),
        },
        to_points(xy[order]),
    )


def _coarsen(
    ctx: Context, rng: np.random.Generator, xy: np.ndarray, share: float = 0.04
) -> tuple[np.ndarray, np.ndarray]:
    """Round a share of the points to 50 m ("street" precision) where that stays inside."""
    precision = np.full(len(xy), "exact", dtype=object)
    pick = rng.random(len(xy)) < share
    rounded = np.round(xy / 50.0) * 50.0
    pick &= ctx.inside(rounded)
    out = np.where(pick[:, None], rounded, xy)
    precision[pick] = "street"
    return out, precision

