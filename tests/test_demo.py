"""Known-answer tests of the seeded demo store (geo.demo).

The store is built once per session (3 000 incidents, the default seed); the
planted truths of the module docstring are checked on the data as re-read
from the GeoPackage.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import DEMO_INCIDENTS, SHARED, require_file
from geopandas.testing import assert_geodataframe_equal

from geo import demo, settings
from geo.demo import planted
from geo.errors import CRSError
from geo.store import Store, open_store
from layers import get_spec, layer_names, validate_frame

SESSION_INCIDENTS = DEMO_INCIDENTS
REAL_BOUNDARY = SHARED / "data" / "real" / "kommuner_lantmateriet" / "jarfalla.geojson"
PROTECTED = ("vald_i_nara_relation", "hedersrelaterat_vald")


# -- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def store(demo_path: Path) -> Store:
    return open_store(demo_path, must_exist=True)


@pytest.fixture(scope="session")
def layers(store: Store) -> dict[str, gpd.GeoDataFrame]:
    return {name: store.read(name) for name in layer_names()}


@pytest.fixture(scope="session")
def boundary() -> shapely.Geometry:
    require_file(REAL_BOUNDARY, "Lantmäteriet's outline of Järfälla")
    frame = gpd.read_file(REAL_BOUNDARY).to_crs("EPSG:3006")
    return shapely.union_all(frame.geometry.to_numpy())


@pytest.fixture(scope="session")
def bounded(tmp_path_factory: pytest.TempPathFactory, boundary: shapely.Geometry) -> Store:
    path = tmp_path_factory.mktemp("bounded") / "demo.gpkg"
    return demo.build_demo(path, incidents=1000, boundary=REAL_BOUNDARY)


def sector(x: float, y: float, direction: float, angle: float, reach: float) -> shapely.Polygon:
    """Return the view wedge of a camera; direction in degrees clockwise from north."""
    if angle >= 360:
        return shapely.Point(x, y).buffer(reach)
    azimuth = np.radians(np.linspace(direction - angle / 2, direction + angle / 2, 64))
    arc = np.column_stack([x + reach * np.sin(azimuth), y + reach * np.cos(azimuth)])
    return shapely.Polygon([(x, y), *arc])


def sectors(cameras: gpd.GeoDataFrame) -> list[shapely.Polygon]:
    return [
        sector(p.x, p.y, d, a, r)
        for p, d, a, r in zip(
            cameras.geometry, cameras["direction_deg"], cameras["angle_deg"],
            cameras["range_m"], strict=True,
        )
    ]


def cells(frame: gpd.GeoDataFrame, size: int = 250) -> pd.Series:
    x, y = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
    ex = (np.floor(x / size) * size).astype(np.int64)
    ny = (np.floor(y / size) * size).astype(np.int64)
    return pd.Series([f"{a:06d}{b:07d}" for a, b in zip(ex, ny, strict=True)], index=frame.index)


def by_id(frame: gpd.GeoDataFrame, ident: str) -> pd.Series:
    match = frame[frame["id"] == ident]
    assert len(match) == 1, f"expected one row with id {ident!r}, found {len(match)}"
    return match.iloc[0]


# -- the store as a whole ---------------------------------------------------------------------


class TestStore:
    def test_every_layer_present(self, store: Store) -> None:
        assert store.list_layers() == list(layer_names())

    @pytest.mark.parametrize("name", layer_names())
    def test_layer_passes_its_spec(self, layers: dict, name: str) -> None:
        frame = layers[name]
        assert len(frame) > 0
        assert validate_frame(frame, get_spec(name)) == []

    @pytest.mark.parametrize("name", layer_names())
    def test_layer_is_sweref99tm(self, layers: dict, name: str) -> None:
        assert layers[name].crs.to_epsg() == 3006

    @pytest.mark.parametrize(
        ("name", "count"),
        [
            ("areas", 5),
            ("incidents", SESSION_INCIDENTS),
            ("cameras", 28),
            ("graffiti", 600),
            ("flood_risk", 17),
            ("unsafe_places", 60),
            ("facilities", 87),
            ("safety_offices", 3),
            ("guard_areas", 2),
            ("neighbourhood_watch", 15),
            ("vehicle_barriers", 20),
            ("unauthorised_settlements", 5),
        ],
    )
    def test_known_counts(self, store: Store, name: str, count: int) -> None:
        assert store.count(name) == count

    def test_lighting_count_is_about_five_thousand(self, store: Store) -> None:
        assert 4500 <= store.count("lighting") <= 5500

    def test_rebuild_replaces_layers(self, tmp_path: Path) -> None:
        path = tmp_path / "again.gpkg"
        demo.build_demo(path, incidents=200)
        store = demo.build_demo(path, incidents=300, seed=7)
        assert store.count("incidents") == 300
        assert store.count("areas") == 5

    def test_progress_reports_in_swedish(self, tmp_path: Path) -> None:
        messages: list[str] = []
        demo.build_demo(tmp_path / "p.gpkg", incidents=150, progress=messages.append)
        assert "Skapar händelser …" in messages
        assert len(messages) == len(layer_names()) + 2
        assert messages[-1] == "Klart."


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, gpd.GeoDataFrame]:
    root = tmp_path_factory.mktemp("determinism")
    out = {}
    for key, seed in (("a", 11), ("b", 11), ("c", 12)):
        store = demo.build_demo(root / f"{key}.gpkg", seed=seed, incidents=400)
        out[key] = store.read("incidents")
        out[f"{key}_lighting"] = store.read("lighting")
    return out


class TestDeterminism:
    def test_same_seed_same_incidents(self, builds: dict) -> None:
        assert_geodataframe_equal(builds["a"], builds["b"])

    def test_same_seed_same_lamps(self, builds: dict) -> None:
        assert_geodataframe_equal(builds["a_lighting"], builds["b_lighting"])

    def test_other_seed_other_incidents(self, builds: dict) -> None:
        same_times = builds["a"]["occurred_at"].equals(builds["c"]["occurred_at"])
        same_places = builds["a"].geometry.geom_equals(builds["c"].geometry).all()
        assert not same_times
        assert not same_places


# -- areas ------------------------------------------------------------------------------------


class TestAreas:
    def test_kommun_row(self, layers: dict) -> None:
        kommun = layers["areas"][layers["areas"]["kind"] == "kommun"]
        assert kommun[["code", "name"]].values.tolist() == [["0123", "Järfälla"]]
        assert kommun["population"].iloc[0] == 84_000

    def test_kommundelar(self, layers: dict) -> None:
        parts = layers["areas"][layers["areas"]["kind"] == "kommundel"]
        assert dict(zip(parts["name"], parts["population"], strict=True)) == {
            "Barkarby-Skälby": 17_000,
            "Jakobsberg": 35_000,
            "Viksjö": 17_000,
            "Kallhäll-Stäket": 15_000,
        }
        assert parts["population"].sum() == 84_000
        assert sorted(parts["code"]) == ["0123-KD1", "0123-KD2", "0123-KD3", "0123-KD4"]

    def test_outline_is_plausible(self, layers: dict) -> None:
        outline = layers["areas"].geometry[layers["areas"]["kind"] == "kommun"].iloc[0]
        minx, miny, maxx, maxy = outline.bounds
        assert minx >= 655_000
        assert maxx <= 664_500
        assert miny >= 6_585_900
        assert maxy <= 6_600_100
        assert 55e6 < outline.area < 70e6
        assert maxy - miny > maxx - minx  # elongated north-south

    @pytest.mark.parametrize(
        ("name", "x", "y"),
        [
            ("Barkarby-Skälby", 662_900, 6_588_700),
            ("Jakobsberg", 660_760, 6_590_650),
            ("Viksjö", 659_500, 6_589_350),
            ("Kallhäll-Stäket", 659_000, 6_593_970),
        ],
    )
    def test_kommundel_holds_its_centre(self, layers: dict, name: str, x: float, y: float) -> None:
        areas = layers["areas"]
        part = areas.geometry[(areas["kind"] == "kommundel") & (areas["name"] == name)].iloc[0]
        assert part.contains(shapely.Point(x, y))


def assert_tiles(areas: gpd.GeoDataFrame) -> None:
    outline = areas.geometry[areas["kind"] == "kommun"].iloc[0]
    parts = list(areas.geometry[areas["kind"] == "kommundel"])
    assert len(parts) == 4
    assert shapely.union_all(parts).area == pytest.approx(outline.area, abs=1.0)
    assert sum(p.area for p in parts) == pytest.approx(outline.area, abs=1.0)
    for a, b in itertools.combinations(parts, 2):
        assert a.intersection(b).area < 1.0


def test_kommundelar_tile_the_outline(layers: dict) -> None:
    assert_tiles(layers["areas"])


# -- incidents --------------------------------------------------------------------------------


class TestIncidents:
    def test_period_and_time_zone(self, layers: dict) -> None:
        times = layers["incidents"]["occurred_at"]
        assert str(times.dt.tz) == "Europe/Stockholm"
        assert times.min() >= planted.DEMO_START
        assert times.max() < planted.DEMO_END
        assert times.min() < planted.DEMO_START + pd.Timedelta(days=7)
        assert times.max() > planted.DEMO_END - pd.Timedelta(days=7)

    def test_ids_and_source(self, layers: dict) -> None:
        inc = layers["incidents"]
        assert inc["id"].iloc[0] == "inc-000001"
        assert inc["id"].iloc[-1] == f"inc-{SESSION_INCIDENTS:06d}"
        assert set(inc["source"]) == {"demo"}
        assert inc["occurred_at"].is_monotonic_increasing

    def test_protected_categories_present(self, layers: dict) -> None:
        category = layers["incidents"]["category"]
        assert set(PROTECTED) <= set(category)
        assert 0.02 <= category.isin(PROTECTED).mean() <= 0.04

    def test_kommun_precision_on_one_point(self, layers: dict) -> None:
        inc = layers["incidents"]
        kommun = inc[inc["location_precision"] == "kommun"]
        assert 0.015 <= len(kommun) / len(inc) <= 0.025
        assert len(set(zip(kommun.geometry.x, kommun.geometry.y, strict=True))) == 1
        outline = layers["areas"].geometry[layers["areas"]["kind"] == "kommun"].iloc[0]
        assert outline.contains(kommun.geometry.iloc[0])

    def test_mostly_exact(self, layers: dict) -> None:
        assert (layers["incidents"]["location_precision"] == "exact").mean() > 0.9

    @pytest.mark.parametrize("spot", planted.PLANTED_HOTSPOTS, ids=lambda h: h.name)
    def test_unit_id_is_the_cell_of_the_centre(self, spot: planted.Hotspot) -> None:
        assert planted.cell_id(spot.x, spot.y) == spot.unit_id

    @pytest.mark.parametrize("spot", planted.PLANTED_HOTSPOTS, ids=lambda h: h.name)
    def test_hotspot_cell_stands_out(self, layers: dict, spot: planted.Hotspot) -> None:
        inc = layers["incidents"]
        counts = cells(inc[inc["location_precision"] == "exact"]).value_counts()
        assert counts[spot.unit_id] > 10 * counts.median()

    def test_hotspots_hold_a_quarter(self) -> None:
        assert sum(h.share for h in planted.PLANTED_HOTSPOTS) == pytest.approx(0.25)

    def test_evenings_and_weekends(self, layers: dict) -> None:
        times = layers["incidents"]["occurred_at"]
        hour, weekday = times.dt.hour, times.dt.day_of_week
        evening = hour.between(18, 23).mean() / 6
        morning = hour.between(6, 11).mean() / 6
        assert evening > 1.5 * morning
        assert weekday.isin([4, 5]).mean() / 2 > weekday.isin([0, 1]).mean() / 2 * 1.2

    def test_kallhall_is_a_night_spot(self, layers: dict) -> None:
        inc = layers["incidents"]
        kallhall = planted.PLANTED_HOTSPOTS[2]
        near = inc[inc.geometry.distance(shapely.Point(kallhall.x, kallhall.y)) < 100]
        hour = near["occurred_at"].dt.hour
        assert ((hour >= 22) | (hour < 5)).mean() > 0.6


# -- lighting and the dark place --------------------------------------------------------------


class TestDarkPlace:
    @pytest.fixture
    def centre(self) -> shapely.Point:
        return shapely.Point(planted.PLANTED_DARK_PLACE.x, planted.PLANTED_DARK_PLACE.y)

    def test_no_working_lamp_within_radius(self, layers: dict, centre: shapely.Point) -> None:
        lamps = layers["lighting"]
        working = lamps[lamps["status"] == "working"]
        assert working.geometry.distance(centre).min() > planted.PLANTED_DARK_PLACE.radius_m

    def test_lamps_around_it(self, layers: dict, centre: shapely.Point) -> None:
        lamps = layers["lighting"]
        working = lamps[lamps["status"] == "working"]
        assert (working.geometry.distance(centre) < 400).sum() > 10
        inside = lamps[lamps.geometry.distance(centre) <= planted.PLANTED_DARK_PLACE.radius_m]
        assert sorted(inside["status"]) == ["broken", "broken", "planned"]

    def test_night_incidents(self, layers: dict, centre: shapely.Point) -> None:
        inc = layers["incidents"]
        here = inc[inc.geometry.distance(centre) < 150]
        hour = here["occurred_at"].dt.hour
        assert ((hour >= 22) | (hour < 5)).sum() >= 8

    @pytest.mark.parametrize("ident", ["ups-001", "ups-002"])
    def test_unsafe_places(self, layers: dict, centre: shapely.Point, ident: str) -> None:
        row = by_id(layers["unsafe_places"], ident)
        assert row.geometry.distance(centre) < 150
        assert row["reason"] == "lighting"


class TestLighting:
    def test_statuses(self, layers: dict) -> None:
        share = layers["lighting"]["status"].value_counts(normalize=True)
        assert 0.03 <= share["broken"] <= 0.05
        assert 0.005 <= share["planned"] <= 0.015

    def test_fault_times(self, layers: dict) -> None:
        lamps = layers["lighting"]
        broken = lamps[lamps["status"] == "broken"]
        assert broken["fault_reported_at"].notna().all()
        assert broken["fault_fixed_at"].isna().all()
        repaired = lamps[lamps["fault_fixed_at"].notna()]
        assert len(repaired) > 0
        assert (repaired["status"] == "working").all()
        assert (repaired["fault_fixed_at"] > repaired["fault_reported_at"]).all()
        assert lamps["fault_fixed_at"].max() < planted.DEMO_END

    def test_ids(self, layers: dict) -> None:
        lamps = layers["lighting"]
        assert lamps["id"].iloc[0] == "lamp-00001"
        assert lamps["lamp_id"].iloc[0] == "JF-10001"


# -- cameras ----------------------------------------------------------------------------------


class TestCameras:
    def test_planted_camera_sees_jakobsberg(self, layers: dict) -> None:
        cams = layers["cameras"]
        camera = planted.PLANTED_CAMERAS[0]
        row = cams[cams["id"] == camera.camera_id]
        assert row["status"].iloc[0] == "active"
        spot = planted.PLANTED_HOTSPOTS[0]
        assert sectors(row)[0].contains(shapely.Point(spot.x, spot.y))

    def test_no_active_camera_sees_barkarby(self, layers: dict) -> None:
        cams = layers["cameras"]
        spot = shapely.Point(planted.PLANTED_HOTSPOTS[1].x, planted.PLANTED_HOTSPOTS[1].y)
        active = cams[cams["status"] == "active"]
        assert not any(s.contains(spot) for s in sectors(active))
        planned = cams[cams["id"] == planted.PLANTED_CAMERAS[1].camera_id]
        assert planned["status"].iloc[0] == "planned"
        assert sectors(planned)[0].contains(spot)

    def test_status_counts(self, layers: dict) -> None:
        status = layers["cameras"]["status"].value_counts().to_dict()
        assert status == {"active": 24, "planned": 3, "removed": 1}

    def test_view_parameters(self, layers: dict) -> None:
        cams = layers["cameras"]
        assert cams["angle_deg"].between(60, 110).all()
        assert cams["range_m"].between(30, 80).all()

    def test_permits_expiring_soon(self, layers: dict) -> None:
        active = layers["cameras"][layers["cameras"]["status"] == "active"]
        until = active["permit_valid_until"]
        soon = (until >= planted.DEMO_END) & (until < planted.DEMO_END + pd.DateOffset(months=6))
        assert soon.sum() == 4
        assert until.notna().all()


# -- graffiti ---------------------------------------------------------------------------------


class TestGraffiti:
    @pytest.fixture
    def hours(self, layers: dict) -> pd.Series:
        g = layers["graffiti"]
        return (g["removed_at"] - g["reported_at"]).dt.total_seconds() / 3600

    def test_open_reports(self, layers: dict) -> None:
        g = layers["graffiti"]
        still_open = g[g["removed_at"].isna()]
        assert len(still_open) == 20
        assert (still_open["reported_at"] >= planted.DEMO_END - pd.Timedelta(days=21)).all()

    def test_removal_within_72_hours(self, hours: pd.Series) -> None:
        done = hours.dropna()
        assert (done > 0).all()
        assert 0.80 <= (done <= 72).mean() <= 0.88
        assert (done > 72).sum() == 90

    def test_times_in_period(self, layers: dict) -> None:
        g = layers["graffiti"]
        assert g["reported_at"].min() >= planted.DEMO_START
        assert g["removed_at"].max() < planted.DEMO_END
        assert str(g["reported_at"].dt.tz) == "Europe/Stockholm"

    def test_kinds_and_offensive(self, layers: dict) -> None:
        g = layers["graffiti"]
        assert set(g["object_kind"]) == {"school", "preschool", "pedestrian_tunnel", "other"}
        assert 0.05 <= g["offensive"].mean() <= 0.15
        assert g["property"].str.match(r"^\w+ \d+:\d+$").all()


# -- flood risk and facilities ----------------------------------------------------------------


class TestFlood:
    @pytest.fixture
    def zones(self, layers: dict) -> dict[str, shapely.Geometry]:
        flood = layers["flood_risk"]
        return {
            s: shapely.union_all(flood.geometry[flood["scenario"] == s].to_numpy())
            for s in ("skyfall_100", "flode_200")
        }

    def test_scenarios_and_depths(self, layers: dict) -> None:
        flood = layers["flood_risk"]
        skyfall = flood[flood["scenario"] == "skyfall_100"]
        flode = flood[flood["scenario"] == "flode_200"]
        assert len(skyfall) >= 5
        assert skyfall["depth_m"].between(0.1, 0.5).all()
        assert flode["depth_m"].between(0.3, 1.5).all()

    def test_care_home_inside_flode_200(self, layers: dict, zones: dict) -> None:
        care_home = planted.PLANTED_FLOOD_EXPOSED[0]
        row = by_id(layers["facilities"], care_home.facility_id)
        assert row["kind"] == "care_home"
        assert not row["reserve_power"]
        assert zones["flode_200"].contains(row.geometry)

    def test_water_works_touches_flode_200(self, layers: dict, zones: dict) -> None:
        works = planted.PLANTED_FLOOD_EXPOSED[1]
        row = by_id(layers["facilities"], works.facility_id)
        assert row["kind"] == "water_works"
        assert zones["flode_200"].distance(row.geometry) == 0.0
        assert not zones["flode_200"].contains(row.geometry)
        assert zones["flode_200"].intersects(row.geometry)

    def test_preschool_inside_skyfall(self, layers: dict, zones: dict) -> None:
        row = by_id(layers["facilities"], planted.PLANTED_FLOOD_EXPOSED[2].facility_id)
        assert zones["skyfall_100"].contains(row.geometry)

    def test_no_other_facility_near_a_zone(self, layers: dict, zones: dict) -> None:
        fac = layers["facilities"]
        exposed = {p.facility_id for p in planted.PLANTED_FLOOD_EXPOSED}
        others = fac[~fac["id"].isin(exposed)]
        every = shapely.union_all(list(zones.values()))
        assert not shapely.dwithin(every, others.geometry.to_numpy(), 25.0).any()


class TestFacilities:
    def test_kinds(self, layers: dict) -> None:
        kinds = layers["facilities"]["kind"].value_counts().to_dict()
        assert kinds["school"] == 25
        assert kinds["preschool"] == 40
        assert kinds["care_home"] == 8
        assert kinds["water_works"] == 2
        assert kinds["fire_station"] == 1

    def test_reserve_power_is_three_valued(self, layers: dict) -> None:
        power = layers["facilities"]["reserve_power"]
        assert power.isna().any()
        assert (power == True).any()  # noqa: E712
        assert (power == False).any()  # noqa: E712

    def test_names_unique(self, layers: dict) -> None:
        assert layers["facilities"]["name"].is_unique


# -- registry and arguments -------------------------------------------------------------------


class TestRegistry:
    def test_get_path(self) -> None:
        assert demo.get_path("demo") == settings.PROJECT_ROOT / "data" / "demo.gpkg"

    def test_unknown_name_lists_valid_names(self) -> None:
        with pytest.raises(ValueError, match=r"name='nope'.*valid names: demo"):
            demo.get_path("nope")

    def test_ensure_demo_builds_once(self, tmp_path: Path) -> None:
        path = tmp_path / "ensured.gpkg"
        assert demo.ensure_demo(path) == path
        token = open_store(path).state_token()
        demo.ensure_demo(path)
        assert open_store(path).state_token() == token
        assert open_store(path).count("incidents") == demo.DEFAULT_INCIDENTS


class TestArguments:
    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"incidents": 10}, r"incidents=10 is not allowed; give a whole number >= 100"),
            ({"incidents": 1000.0}, r"incidents=1000\.0 is not allowed"),
            ({"seed": -1}, r"seed=-1 is not allowed; give a whole number >= 0"),
            ({"seed": True}, r"seed=True is not allowed"),
            ({"boundary": "/no/such/file.geojson"}, r"boundary='/no/such/file.geojson' does not"),
        ],
    )
    def test_bad_arguments(self, tmp_path: Path, kwargs: dict, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            demo.build_demo(tmp_path / "x.gpkg", **kwargs)
        assert not (tmp_path / "x.gpkg").exists()

    def test_boundary_missing_the_planted_places(self, tmp_path: Path) -> None:
        small = gpd.GeoDataFrame(geometry=[shapely.box(655_000, 6_596_000, 661_000, 6_600_000)],
                                 crs="EPSG:3006")
        small.to_file(tmp_path / "small.geojson")
        with pytest.raises(ValueError, match="does not contain the planted places"):
            demo.build_demo(tmp_path / "x.gpkg", boundary=tmp_path / "small.geojson")

    def test_boundary_without_crs(self, tmp_path: Path) -> None:
        frame = gpd.GeoDataFrame(geometry=[shapely.box(655_000, 6_586_000, 664_500, 6_600_100)])
        with pytest.warns(UserWarning, match="'crs' was not provided"):
            frame.to_file(tmp_path / "nocrs.gpkg")
        with pytest.raises(CRSError, match="has no CRS"):
            demo.build_demo(tmp_path / "x.gpkg", boundary=tmp_path / "nocrs.gpkg")

    @pytest.mark.parametrize(
        ("x", "y", "size", "expected"),
        [
            (660_870, 6_590_630, 250, "6607506590500"),
            (660_750, 6_590_500, 250, "6607506590500"),
            (660_749.9, 6_590_499.9, 250, "6605006590250"),
            (660_870, 6_590_630, 1000, "6600006590000"),
        ],
    )
    def test_cell_id(self, x: float, y: float, size: int, expected: str) -> None:
        assert planted.cell_id(x, y, size) == expected

    @pytest.mark.parametrize("size", [0, -250, 2.5, True])
    def test_cell_id_bad_size(self, size: object) -> None:
        with pytest.raises(ValueError, match=rf"size={size!r} is not allowed"):
            planted.cell_id(660_000, 6_590_000, size)  # type: ignore[arg-type]


# -- a real boundary --------------------------------------------------------------------------


class TestBoundary:
    @pytest.mark.parametrize("name", layer_names())
    def test_every_feature_inside(self, bounded: Store, boundary: shapely.Geometry,
                                  name: str) -> None:
        frame = bounded.read(name)
        assert len(frame) > 0
        geoms = frame.geometry.to_numpy()
        points = shapely.get_type_id(geoms) == 0
        assert shapely.contains(boundary, geoms[points]).all()
        assert shapely.covers(boundary.buffer(0.01), geoms[~points]).all()

    def test_outline_is_the_boundary(self, bounded: Store, boundary: shapely.Geometry) -> None:
        areas = bounded.read("areas")
        outline = areas.geometry[areas["kind"] == "kommun"].iloc[0]
        assert outline.symmetric_difference(boundary).area < 1.0
        assert_tiles(areas)

    def test_planted_truths_hold(self, bounded: Store) -> None:
        lamps = bounded.read("lighting")
        dark = planted.PLANTED_DARK_PLACE
        working = lamps[lamps["status"] == "working"]
        assert working.geometry.distance(shapely.Point(dark.x, dark.y)).min() > dark.radius_m
        flood = bounded.read("flood_risk")
        zone = shapely.union_all(flood.geometry[flood["scenario"] == "flode_200"].to_numpy())
        fac = bounded.read("facilities")
        assert zone.contains(by_id(fac, "fac-001").geometry)
        assert zone.distance(by_id(fac, "fac-002").geometry) == 0.0
