"""The demo's infrastructure layers: ``facilities``, ``lighting``, ``cameras`` and ``graffiti``."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demo.geography import CLUSTERS, ROADS, Context
from geo.demo.planted import (
    CARE_HOME_XY,
    DEMO_END,
    DEMO_START,
    GORVALN_TARGET,
    PLANTED_CAMERAS,
    PLANTED_DARK_PLACE,
    PLANTED_FLOOD_EXPOSED,
    PLANTED_HOTSPOTS,
    SKYFALL_PRESCHOOL_XY,
)
from geo.demo.sampling import (
    DAYS_OFFICE,
    HOURS_OFFICE,
    fill,
    from_ns,
    layer_frame,
    local_dates,
    local_times,
    make_ids,
    near,
    pick_text,
    to_ns,
    to_points,
    urban,
    utc_seconds,
    weighted_choice,
)

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


def build_facilities(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``facilities`` with the three planted flood-exposed ones first."""
    flood = shapely.union_all(ctx.flood.geometry.to_numpy())
    shapely.prepare(flood)
    total = sum(count for _, count, _ in _FACILITY_KINDS)
    xy = fill(ctx, total, urban(rng, ctx, 0.6),
               keep=lambda b: ~shapely.dwithin(flood, to_points(b), 25.0))
    kinds = np.concatenate([[k] * c for k, c, _ in _FACILITY_KINDS])
    critical = np.concatenate([[crit] * c for _, c, crit in _FACILITY_KINDS])
    names = np.concatenate([_FACILITY_NAMES[k][:c] for k, c, _ in _FACILITY_KINDS])
    power = np.full(total, None, dtype=object)
    draw = rng.random(total)
    power[critical & (draw < 0.6)] = True
    power[critical & (draw >= 0.6) & (draw < 0.85)] = False
    power[~critical & (draw < 0.1)] = False
    planted = PLANTED_FLOOD_EXPOSED
    gorvaln = _touching_vertex(ctx.flood, GORVALN_TARGET)
    planted_xy = np.array([CARE_HOME_XY, gorvaln, SKYFALL_PRESCHOOL_XY])
    frame = layer_frame(
        {
            "id": make_ids("fac", total + len(planted), 3),
            "name": [p.name for p in planted] + list(names),
            "kind": [p.kind for p in planted] + list(kinds),
            "critical": pd.array([True, True, False, *critical], dtype="boolean"),
            "reserve_power": pd.array([p.reserve_power for p in planted] + list(power),
                                      dtype="boolean"),
        },
        to_points(np.vstack([planted_xy, xy])),
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

def build_lighting(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``lighting``: street grids and roads, none working at the dark place."""
    xy = np.vstack([_street_grid(), _road_lamps()])
    xy = xy + rng.uniform(-2.0, 2.0, xy.shape)
    dark = PLANTED_DARK_PLACE
    xy = xy[ctx.inside(xy) & ~near(xy, dark.x, dark.y, dark.radius_m)]
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
    return layer_frame(
        {
            "id": make_ids("lamp", total, 5),
            "lamp_id": [f"JF-{10_000 + i}" for i in range(1, total + 1)],
            "status": status,
            "fault_reported_at": utc_seconds(np.round(reported)),
            "fault_fixed_at": utc_seconds(np.round(fixed)),
        },
        to_points(np.vstack([xy, planted])),
    )


def _street_grid(spacing: float = 130.0, step: float = 40.0) -> np.ndarray:
    """Lamps along a rotated street grid in each cluster; each point kept by its nearest cluster."""
    centres = np.array([(c.x, c.y) for c in CLUSTERS])
    radii = np.array([c.radius_m for c in CLUSTERS])
    out = []
    for i, c in enumerate(CLUSTERS):
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
    centres = np.array([(c.x, c.y) for c in CLUSTERS])
    radii = np.array([c.radius_m for c in CLUSTERS])
    out = []
    for road in ROADS:
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


def build_cameras(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``cameras`` with the two planted ones."""
    bark = PLANTED_HOTSPOTS[1]
    fixed = np.array([(x, y) for x, y, _ in _CAMERA_SITES])
    fixed_dir = np.array([d for _, _, d in _CAMERA_SITES], dtype=float)
    fixed_ok = ctx.inside(fixed)
    n_random = 23 - int(fixed_ok.sum())
    loose = fill(ctx, n_random, urban(rng, ctx, 0.4),
                  keep=lambda b: ~near(b, bark.x, bark.y, 150.0))
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
    return layer_frame(
        {
            "id": make_ids("cam", total, 3),
            "status": status,
            "direction_deg": direction,
            "angle_deg": angle.astype(float),
            "range_m": reach.astype(float),
            "permit_valid_until": local_dates(permit),
        },
        to_points(xy),
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


def build_graffiti(ctx: Context, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Generate ``graffiti`` reports at schools, preschools, tunnels and elsewhere."""
    total = _GRAFFITI_N
    kind = weighted_choice(rng, {"school": 25, "preschool": 15, "pedestrian_tunnel": 20, "other": 40},
                   total)
    fac = ctx.facilities
    fac_xy = shapely.get_coordinates(fac.geometry.to_numpy())
    xy = np.empty((total, 2))
    tunnels = fill(ctx, 12, urban(rng, ctx, 0.5))
    for code, pool in (("school", fac_xy[fac["kind"].to_numpy() == "school"]),
                       ("preschool", fac_xy[fac["kind"].to_numpy() == "preschool"]),
                       ("pedestrian_tunnel", tunnels)):
        mask = kind == code
        xy[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    other = kind == "other"
    xy[other] = fill(ctx, int(other.sum()), urban(rng, ctx))
    moved = xy + rng.uniform(-25, 25, xy.shape) * (kind != "pedestrian_tunnel")[:, None]
    xy = np.where(ctx.inside(moved)[:, None], moved, xy)
    open_ = np.zeros(total, dtype=bool)
    open_[rng.choice(total, _GRAFFITI_OPEN, replace=False)] = True
    late = np.zeros(total, dtype=bool)
    late[rng.choice(np.flatnonzero(~open_), _GRAFFITI_LATE, replace=False)] = True
    offensive = rng.random(total) < 0.10
    offensive[late] = False
    early = local_times(rng, total, hours=HOURS_OFFICE, weekdays=DAYS_OFFICE,
                         end=DEMO_END - pd.Timedelta(days=25))
    recent = local_times(rng, total, hours=HOURS_OFFICE, weekdays=DAYS_OFFICE,
                          start=DEMO_END - pd.Timedelta(days=21))
    reported = from_ns(np.where(open_, to_ns(recent), to_ns(early)))
    hours = rng.uniform(2.0, 71.5, total)
    hours[offensive] = rng.uniform(1.0, 24.0, offensive.sum())
    hours[late] = 72.0 + rng.exponential(96.0, late.sum()).clip(1.0, 430.0)
    removed = to_ns(reported) // 10**9 + np.round(hours * 3600)
    removed[open_] = np.nan
    text = pick_text(rng, kind, _GRAFFITI_TEXTS)
    text[offensive] = text[offensive] + ", kränkande innehåll"
    return layer_frame(
        {
            "id": make_ids("gra", total, 5),
            "reported_at": reported,
            "removed_at": utc_seconds(removed),
            "object_kind": kind,
            "property": _properties(rng, xy),
            "offensive": pd.array(offensive, dtype="boolean"),
            "description": text,
        },
        to_points(xy),
    )


def _properties(rng: np.random.Generator, xy: np.ndarray) -> np.ndarray:
    """Fastighetsbeteckningar such as ``"Viksjö 4:118"`` from the nearest cluster's trakt."""
    centres = np.array([(c.x, c.y) for c in CLUSTERS])
    nearest = np.argmin(np.hypot(xy[:, None, 0] - centres[:, 0], xy[:, None, 1] - centres[:, 1]),
                        axis=1)
    trakt = np.array([c.trakt for c in CLUSTERS], dtype=object)[nearest]
    block = rng.integers(1, 40, len(xy)).astype(str)
    unit = rng.integers(1, 300, len(xy)).astype(str)
    return trakt + " " + block.astype(object) + ":" + unit.astype(object)

