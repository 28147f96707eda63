"""The demo's layers of the safety work.

Unsafe places, safety offices, guard areas, neighbourhood watch, vehicle
barriers and unauthorised settlements.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

from geo.demo.geography import CLUSTERS, Context, polygonal
from geo.demo.planted import DEMO_END, DEMO_TZ, PLANTED_DARK_PLACE, PLANTED_HOTSPOTS
from geo.demo.sampling import (
    DAYS_GENERAL,
    DAYS_OFFICE,
    HOURS_GENERAL,
    HOURS_OFFICE,
    fill,
    gaussian,
    layer_frame,
    local_dates,
    local_times,
    make_ids,
    pick_text,
    to_points,
    uniform,
    urban,
    weighted_choice,
)

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


def build_unsafe_places(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``unsafe_places`` with the two planted at the dark place."""
    dark = PLANTED_DARK_PLACE
    n_points, n_polygons, n_hot = 54, 4, 6
    planted = np.array([(dark.x + 30, dark.y - 40), (dark.x - 70, dark.y + 60)])
    hot = np.vstack([fill(ctx, 2, gaussian(rng, h.x, h.y, 80.0)) for h in PLANTED_HOTSPOTS])
    loose = fill(ctx, n_points - n_hot, urban(rng, ctx, 0.6))
    parks = fill(ctx, n_polygons, urban(rng, ctx, 0.6))
    blobs = [affinity.rotate(affinity.scale(shapely.Point(x, y).buffer(rng.uniform(50, 90), 6),
                                            rng.uniform(1.2, 2.0), 1.0), rng.uniform(0, 180))
             for x, y in parks]
    polygons = [polygonal(shapely.intersection(b, ctx.outline)) for b in blobs]
    geoms = [*to_points(np.vstack([planted, hot, loose])), *polygons]
    total = len(geoms)
    reason = np.concatenate([
        ["lighting", "lighting"], ["people"] * n_hot,
        weighted_choice(rng, {"lighting": 25, "vegetation": 15, "visibility": 12, "littering": 10,
                      "graffiti": 10, "people": 13, "traffic": 10, "other": 5},
                n_points - n_hot),
        weighted_choice(rng, {"vegetation": 2, "lighting": 1, "other": 1}, n_polygons),
    ])
    source = np.concatenate([["walk", "walk"], weighted_choice(rng, {"walk": 50, "report": 30,
                                                              "survey": 20}, total - 2)])
    status = np.concatenate([["approved", "approved"], weighted_choice(
        rng, {"approved": 60, "new": 12, "in_progress": 10, "resolved": 10, "rejected": 8},
        total - 2)])
    reported = local_times(rng, total, hours=HOURS_GENERAL, weekdays=DAYS_GENERAL)
    reported = pd.Series(reported)
    for code, dates in (("walk", _WALK_DATES), ("survey", _SURVEY_DATES)):
        mask = source == code
        days = pd.to_datetime(np.array(dates)[rng.integers(0, len(dates), mask.sum())])
        at = days + pd.to_timedelta(rng.integers(17 * 60, 20 * 60, mask.sum()), unit="m")
        reported[mask] = at.tz_localize(DEMO_TZ).as_unit("ns")
    reported.iloc[:2] = pd.Timestamp("2025-10-14 18:30", tz=DEMO_TZ)
    text = pick_text(rng, reason, _UNSAFE_TEXTS)
    text[:2] = ("Mörkt parkstråk, alla lampor släckta", "Ingen belysning på gångvägen genom parken")
    return layer_frame(
        {
            "id": make_ids("ups", total, 3),
            "reason": reason,
            "reported_at": reported,
            "status": status,
            "source": source,
            "description": text,
        },
        np.array(geoms, dtype=object),
    )


def build_safety_offices(ctx: Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``safety_offices`` near the hot spots."""
    j, b, k = PLANTED_HOTSPOTS
    sites = np.array([(j.x + 60, j.y + 80), (k.x - 70, k.y + 50), (b.x - 120, b.y + 90)])
    rows = (("Trygghetskontoret Jakobsberg", "2020-09-01", "open"),
            ("Trygghetskontoret Kallhäll", "2022-03-01", "open"),
            ("Trygghetskontoret Barkarby", None, "planned"))
    keep = ctx.inside(sites)
    kept = [r for r, ok in zip(rows, keep, strict=True) if ok]
    return layer_frame(
        {
            "id": make_ids("tko", len(kept), 2),
            "name": [r[0] for r in kept],
            "opened_at": local_dates([r[1] for r in kept]),
            "status": [r[2] for r in kept],
        },
        to_points(sites[keep]),
    )


def build_guard_areas(ctx: Context, _rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``guard_areas`` around the Jakobsberg and Barkarby hot spots."""
    j, b, _ = PLANTED_HOTSPOTS
    boxes = (affinity.rotate(shapely.box(j.x - 320, j.y - 220, j.x + 320, j.y + 220), 35),
             affinity.rotate(shapely.box(b.x - 260, b.y - 200, b.x + 260, b.y + 200), 28))
    geoms = [polygonal(shapely.intersection(g, ctx.outline)) for g in boxes]
    return layer_frame(
        {
            "id": ["ova-01", "ova-02"],
            "name": ["Jakobsbergs centrum", "Barkarby station"],
            "decided_at": local_dates(["2024-02-01", "2025-05-15"]),
            "valid_until": local_dates(["2027-01-31", "2027-05-14"]),
        },
        np.array(geoms, dtype=object),
    )


_WATCH_NAMES = ("Ekbacken", "Granvägen", "Lönnstigen", "Tallbacken", "Björkhagen", "Rönnvägen",
                "Hasselgränd", "Ängsvägen", "Kvarnbacken", "Solvändan", "Vallmovägen",
                "Sjöutsikten", "Skogsbrynet", "Bergsgläntan", "Lindallén")


def build_neighbourhood_watch(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``neighbourhood_watch`` areas and points."""
    total, n_points = len(_WATCH_NAMES), 3
    xy = fill(ctx, total, urban(rng, ctx, 0.7))
    geoms: list[shapely.Geometry] = []
    for i, (x, y) in enumerate(xy):
        if i < total - n_points:
            w, h = rng.uniform(60, 150, 2)
            block = affinity.rotate(shapely.box(x - w, y - h, x + w, y + h), rng.uniform(0, 90))
            geoms.append(polygonal(shapely.intersection(block, ctx.outline)))
        else:
            geoms.append(shapely.Point(x, y))
    started = [f"{y}-{m:02d}-01" for y, m in zip(rng.integers(2012, 2026, total),
                                                 rng.integers(1, 13, total), strict=True)]
    return layer_frame(
        {
            "id": make_ids("gsv", total, 2),
            "name": [f"Grannsamverkan {name}" for name in _WATCH_NAMES],
            "started_at": local_dates(started),
            "households": rng.integers(12, 181, total),
        },
        np.array(geoms, dtype=object),
    )


def build_vehicle_barriers(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``vehicle_barriers`` around the hot spots and Viksjö."""
    j, b, k = PLANTED_HOTSPOTS
    viksjo = CLUSTERS[4]
    plan = ((j.x, j.y, 8, 150.0), (b.x, b.y, 5, 120.0), (k.x, k.y, 4, 100.0),
            (viksjo.x, viksjo.y, 3, 100.0))
    xy = np.vstack([fill(ctx, count, gaussian(rng, x, y, sd)) for x, y, count, sd in plan])
    total = len(xy)
    status = np.full(total, "existing", dtype=object)
    status[rng.choice(total, 4, replace=False)] = "planned"
    return layer_frame(
        {
            "id": make_ids("pks", total, 2),
            "kind": weighted_choice(rng, {"bollard": 45, "planter": 25, "block": 20, "gate": 10}, total),
            "status": status,
        },
        to_points(xy),
    )


_SETTLEMENT_TEXTS = ("Tält och presenning i skogsdungen", "Enkel koja av lastpallar",
                     "Husvagn uppställd utan tillstånd", "Sovplats under presenning vid bäcken",
                     "Tält i skogsbrynet nära motionsspåret")


def build_unauthorised_settlements(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``unauthorised_settlements`` outside the built-up parts."""
    centres = np.array([(c.x, c.y) for c in CLUSTERS])
    radii = np.array([c.radius_m for c in CLUSTERS])

    def outside_town(b: np.ndarray) -> np.ndarray:
        d = np.hypot(b[:, None, 0] - centres[:, 0], b[:, None, 1] - centres[:, 1])
        return (d > radii).all(axis=1)

    total = len(_SETTLEMENT_TEXTS)
    xy = fill(ctx, total, uniform(rng, ctx), keep=outside_town)
    observed = local_times(rng, total, hours=HOURS_OFFICE, weekdays=DAYS_OFFICE,
                            start=DEMO_END - pd.Timedelta(days=365))
    return layer_frame(
        {
            "id": make_ids("otb", total, 2),
            "observed_at": observed,
            "status": ["observed", "notified", "removed", "removed", "observed"],
            "description": list(_SETTLEMENT_TEXTS),
        },
        to_points(xy),
    )


