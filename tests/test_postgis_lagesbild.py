"""The lägesbild with the incidents left in PostGIS equals the in-memory one, and never reads them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

from geo.analysis.lagesbild import _unsafe_mask, emerging_hotspot_classes, incident_aggregates, provenance
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.analysis.sql.lagesbild import quarter_counts, unit_aggregates
from geo.privacy import compute_lagesbild
from geo.store import GeoPackageStore
from geo.store.copy import copy_store
from geo.store.postgis import PostGISStore

pytest_plugins = ["postgis_server"]

UNITS = ["grid250", "grid1000", "areas"]
AUDIENCES = ["public", "staff", "protected"]
FILTERS = {
    "everything": {},
    "night-across-midnight": {"hours": "22-05"},
    "weekend-office-hours-violence": {"hours": "08-17", "weekdays": "fri,sat,sun",
                                      "categories": "misshandel,ran,hot,vald_i_nara_relation"},
    "dst-summer-evenings": {"date_from": "2025-03-30", "date_to": "2025-10-26", "hours": "20-24"},
}
FLOAT_RTOL = 1e-12
TZ = "Europe/Stockholm"


@pytest.fixture(scope="module")
def memory(demo_path):
    return prepare(GeoPackageStore(demo_path))


@pytest.fixture(scope="module")
def database(postgis_demo_url):
    prep = prepare(PostGISStore(postgis_demo_url))
    assert prep.incidents_in_db
    return prep


def params_for(unit: str, name: str, audience: str = "staff") -> LagesbildParams:
    options = {"date_from": "2024-01-01", "date_to": "2026-06-30", "audience": audience, **FILTERS[name]}
    return LagesbildParams.from_text(unit=unit, **options)


def assert_same_lagesbild(got: gpd.GeoDataFrame, expected: gpd.GeoDataFrame) -> None:
    """Every column equal (NaN where NaN; integers exactly, floats to 1e-12), and the attrs."""
    assert list(got.columns) == list(expected.columns)
    assert got.crs == expected.crs
    for column in expected.columns:
        a, b = got[column], expected[column]
        assert a.dtype == b.dtype, column
        if column == "geometry":
            assert a.geom_equals_exact(b, tolerance=0).all()
        elif pd.api.types.is_float_dtype(b.dtype):
            np.testing.assert_allclose(a.to_numpy(float, na_value=np.nan), b.to_numpy(float, na_value=np.nan),
                                       rtol=FLOAT_RTOL, atol=0, equal_nan=True, err_msg=column)
        else:
            pd.testing.assert_series_equal(a, b, check_exact=True, obj=column)
    assert nan_equal(got.attrs, expected.attrs), (got.attrs, expected.attrs)


def nan_equal(a: object, b: object) -> bool:
    """Equality of nested dicts and lists in which NaN equals NaN."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(nan_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(nan_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("unit", UNITS)
def test_lagesbild_in_database_equals_in_memory(memory, database, unit, audience, name):
    params = params_for(unit, name, audience)
    expected = compute_lagesbild(memory, params)
    got = compute_lagesbild(database, params)
    assert_same_lagesbild(got, expected)
    assert not database.frames.is_loaded("incidents")


@pytest.mark.parametrize("unit", UNITS)
def test_the_comparison_is_not_vacuous(memory, database, unit):
    """The demo data exercise every incident-derived figure of the database path."""
    params = params_for(unit, "everything")
    ctx = memory.units_context(unit)
    unsafe_only = _unsafe_mask(memory, params)
    got = incident_aggregates(database, database.units_context(unit), params)
    assert got.current.sum() > 100
    assert got.previous.sum() > 100
    assert 0 < got.in_camera.sum() < got.current.sum()
    assert got.kommun_level > 0
    has_dark = ~np.isnan(got.dark_median_m)
    assert has_dark.sum() > 3
    assert (got.dark_share_far[has_dark] > 0).any()
    assert (got.dark_share_far[has_dark] < 1).any()
    # unsafe places take part in the darkness figures
    assert (ctx.unsafe_pos[unsafe_only] >= 0).any()
    # the medians agree to the last bit (the distances are the same doubles)
    expected = incident_aggregates(memory, ctx, params)
    np.testing.assert_array_equal(got.dark_median_m, expected.dark_median_m)


@pytest.mark.parametrize("ratio", [0.0, float("inf")], ids=["hash-join", "knn-only"])
@pytest.mark.parametrize("unit", UNITS)
def test_both_nearest_lamp_strategies_equal_in_memory(memory, database, monkeypatch, unit, ratio):
    """The nearest working lamp by hash join (+ KNN for the far ones) or by KNN alone: same figures."""
    from geo.analysis.sql import lagesbild as sql_lagesbild

    monkeypatch.setattr(sql_lagesbild, "HASH_JOIN_MIN_RATIO", ratio)
    for name in ("everything", "night-across-midnight"):
        params = params_for(unit, name, "protected")
        ctx = database.units_context(unit)
        got = incident_aggregates(database, ctx, params)
        expected = incident_aggregates(memory, memory.units_context(unit), params)
        np.testing.assert_array_equal(got.dark_median_m, expected.dark_median_m)
        np.testing.assert_array_equal(got.dark_share_far, expected.dark_share_far)
        # units whose median lies among the lit points and (cells) units whose median needs the
        # distance of a dark incident (a KNN probe with the hash join)
        assert (got.dark_median_m < 50).any()
        if unit != "areas":
            assert (got.dark_median_m > 50).any()


@pytest.mark.parametrize("audience", ["staff", "protected"])
@pytest.mark.parametrize("unit", UNITS)
def test_emerging_classes_equal(memory, database, unit, audience):
    params = LagesbildParams.from_text(unit=unit, date_from="2023-02-15", date_to="2026-06-30",
                                       hours="18-06", audience=audience)
    expected = emerging_hotspot_classes(memory, params)
    got = emerging_hotspot_classes(database, params)
    pd.testing.assert_series_equal(got, expected)


@pytest.mark.parametrize("unit", UNITS)
def test_quarter_counts_equal_the_arrays(memory, database, unit):
    params = LagesbildParams.from_text(unit=unit, date_from="2023-01-01", date_to="2026-07-01",
                                       weekdays="mon,tue,wed", categories="stold,skadegorelse,misshandel",
               audience="staff")
    first, last = 2023 * 4, 2026 * 4 + 1
    inc, ctx = memory.incidents, memory.units_context(unit)
    codes = [inc.categories.index(c) for c in params.categories]
    keep = (np.isin(inc.weekday, params.weekdays) & np.isin(inc.category, codes) & (ctx.incident_pos >= 0)
            & (inc.quarter >= first) & (inc.quarter <= last))
    expected = np.zeros((len(ctx.units), last - first + 1), dtype=np.int64)
    np.add.at(expected, (ctx.incident_pos[keep], inc.quarter[keep] - first), 1)
    got = quarter_counts(database.store, params, ctx.units, unit=unit, first=first, last=last)
    np.testing.assert_array_equal(got, expected)
    assert expected.sum() > 0


def test_provenance_equal(memory, database):
    params = params_for("grid250", "everything")
    assert provenance(database, params) == provenance(memory, params)
    assert provenance(database, params)["incidents"]["rows"] == len(memory.incidents.x)


def test_database_path_never_reads_the_incidents(postgis_demo_url, monkeypatch):
    store = PostGISStore(postgis_demo_url)
    original = PostGISStore._read_layer

    def refuse_incidents(self, spec, **kwargs):
        if spec.name == "incidents":
            raise AssertionError("the database path read the incidents layer")
        return original(self, spec, **kwargs)

    monkeypatch.setattr(PostGISStore, "_read_layer", refuse_incidents)
    prep = prepare(store)
    for unit in UNITS:
        for audience in AUDIENCES:
            picture = compute_lagesbild(prep, params_for(unit, "night-across-midnight", audience))
            assert len(picture) == len(prep.units_context(unit).units)
        emerging_hotspot_classes(prep, params_for(unit, "everything"))
    assert not prep.frames.is_loaded("incidents")
    assert prep._incidents is None
    with pytest.raises(AssertionError, match="read the incidents layer"):
        _ = prep.incidents  # the fallback of other callers does read them


def test_other_callers_fall_back_to_loading(memory, postgis_demo_url):
    prep = prepare(PostGISStore(postgis_demo_url))
    assert "incidents" in prep.frames
    assert not prep.frames.is_loaded("incidents")
    for name in ("x", "y", "time_ns", "category", "located", "protected", "in_camera"):
        np.testing.assert_array_equal(getattr(prep.incidents, name), getattr(memory.incidents, name))
    np.testing.assert_allclose(prep.incidents.lamp_distance, memory.incidents.lamp_distance, rtol=0)
    np.testing.assert_array_equal(prep.units_context("areas").incident_pos,
                                  memory.units_context("areas").incident_pos)
    assert len(prep.frame("incidents")) == len(memory.incidents.x)
    assert prep.frames.is_loaded("incidents")
    # still computed in the database after the fallback
    params = params_for("areas", "everything")
    assert_same_lagesbild(compute_lagesbild(prep, params), compute_lagesbild(memory, params))


def test_incidents_in_db_is_chosen_per_store(demo_path, postgis_demo_url):
    in_memory = prepare(PostGISStore(postgis_demo_url), incidents_in_db=False)
    assert not in_memory.incidents_in_db
    assert in_memory.frames.is_loaded("incidents")
    assert not prepare(GeoPackageStore(demo_path)).incidents_in_db
    with pytest.raises(TypeError, match="incidents_in_db=True needs a PostGIS store, got GeoPackageStore"):
        prepare(GeoPackageStore(demo_path), incidents_in_db=True)


# -- a hand-made store: points on borders and corners, kommun-level, no lamp, unsafe places ---------------
X0, Y0 = 660000, 6590000


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def hand_layers(*, lamps: bool = True) -> dict[str, gpd.GeoDataFrame]:
    areas = gpd.GeoDataFrame(
        {"id": ["k", "w", "e"], "code": ["0000", "W", "E"], "name": ["Kommunen", "Väst", "Öst"],
         "kind": ["kommun", "kommundel", "kommundel"], "population": [5000, 1000, 4000]},
        geometry=[box(X0, Y0, X0 + 2000, Y0 + 2000), box(X0, Y0, X0 + 1000, Y0 + 2000),
                  box(X0 + 1000, Y0, X0 + 2000, Y0 + 2000)], crs="EPSG:3006")
    rows = [
        ("a1", 660100, 6590100, "2026-01-05 23:30", "stold", "exact"),
        ("a2", 660100, 6590100, "2026-01-12 23:30", "stold", "street"),
        ("a3", 660100, 6590160, "2026-01-19 23:30", "misshandel", "exact"),
        ("b1", 660250, 6590100, "2026-01-07 12:00", "stold", "exact"),  # on a cell border
        ("c1", 660250, 6590250, "2026-01-07 12:00", "stold", "exact"),  # on a cell corner
        ("m1", 661000, 6590500, "2026-01-08 12:00", "ran", "exact"),  # on the border of two areas
        ("d1", 661520, 6591520, "2026-01-09 21:00", "ran", "exact"),
        ("d2", 661530, 6591540, "2026-01-10 02:00", "ran", "exact"),
        ("d3", 661700, 6591700, "2026-01-10 03:00", "hot", "exact"),
        ("p1", 660100, 6590100, "2026-01-06 12:00", "vald_i_nara_relation", "exact"),  # protected
        ("k1", 661000, 6591000, "2026-01-08 12:00", "stold", "kommun"),
        ("k2", 661000, 6591000, "2026-01-08 13:00", "hedersrelaterat_vald", "county"),
        ("o1", 670000, 6600000, "2026-01-08 12:00", "stold", "exact"),  # outside the kommun
        ("e1", 660100, 6590100, "2025-12-15 12:00", "stold", "exact"),
        ("e2", 661520, 6591520, "2025-12-16 12:00", "ran", "exact"),
    ]
    ids, xs, ys, times, cats, prec = zip(*rows, strict=True)
    incidents = gpd.GeoDataFrame(
        {"id": ids, "occurred_at": pd.to_datetime(list(times)).tz_localize(TZ), "category": cats,
         "source": "test", "location_precision": prec},
        geometry=[Point(x, y) for x, y in zip(xs, ys, strict=True)], crs="EPSG:3006")
    unsafe = gpd.GeoDataFrame(
        {"id": ["u1", "u2", "u3", "u4"], "reason": ["lighting"] * 4,
         "reported_at": [stamp("2025-11-01"), stamp("2025-11-02"), stamp("2025-11-03"), stamp("2026-03-01")],
         "status": ["approved", "new", "in_progress", "approved"], "source": "walk"},
        geometry=[Point(660120, 6590120), Point(660130, 6590130), box(661500, 6591500, 661560, 6591560),
                  Point(660140, 6590140)], crs="EPSG:3006")
    layers = {"areas": areas, "incidents": incidents, "unsafe_places": unsafe}
    if lamps:
        layers["lighting"] = gpd.GeoDataFrame(
            {"id": ["l1", "l2", "l3"], "status": ["working", "broken", "working"]},
            geometry=[Point(660100, 6590130), Point(660100, 6590101), Point(661520, 6591560)],
            crs="EPSG:3006")
        layers["cameras"] = gpd.GeoDataFrame(
            {"id": ["c1"], "status": ["active"], "direction_deg": [45.0], "angle_deg": [90.0],
             "range_m": [100.0]}, geometry=[Point(661500, 6591500)], crs="EPSG:3006")
    return layers


@pytest.mark.parametrize("lamps", [True, False], ids=["lamps-and-camera", "no-lighting"])
def test_hand_store_in_database_equals_in_memory(tmp_path, fresh_postgis_url, lamps):
    gpkg = GeoPackageStore(tmp_path / "hand.gpkg")
    for name, frame in hand_layers(lamps=lamps).items():
        gpkg.write(name, frame)
    copy_store(gpkg, PostGISStore(fresh_postgis_url))
    memory, database = prepare(gpkg), prepare(PostGISStore(fresh_postgis_url))
    for unit in UNITS:
        for audience in AUDIENCES:
            params = LagesbildParams.from_text(unit=unit, date_from="2026-01-01", date_to="2026-01-31",
                                               audience=audience)
            got, expected = compute_lagesbild(database, params), compute_lagesbild(memory, params)
            assert_same_lagesbild(got, expected)
            assert got["unsafe_places"].sum() > 0
    staff = compute_lagesbild(database, LagesbildParams.from_text(unit="areas", date_from="2026-01-01",
                                                                  date_to="2026-01-31", audience="staff"))
    assert staff.attrs["kommun_level_incidents"] == 1  # k2 is protected
    if not lamps:
        dark = staff["dark_median_m"].dropna()
        assert len(dark) > 0
        assert np.isinf(dark).all()


def test_store_without_incidents(tmp_path, fresh_postgis_url):
    layers = hand_layers()
    del layers["incidents"]
    gpkg = GeoPackageStore(tmp_path / "empty.gpkg")
    for name, frame in layers.items():
        gpkg.write(name, frame)
    copy_store(gpkg, PostGISStore(fresh_postgis_url))
    memory, database = prepare(gpkg), prepare(PostGISStore(fresh_postgis_url))
    params = LagesbildParams.from_text(unit="grid250", date_from="2026-01-01", date_to="2026-01-31",
                                       audience="staff")
    got = compute_lagesbild(database, params)
    assert_same_lagesbild(got, compute_lagesbild(memory, params))
    assert got["incidents"].sum() == 0
    assert got["dark_median_m"].notna().sum() == 2  # the two counted unsafe places


def test_unit_aggregates_checks_its_input(memory, database):
    units = memory.units_context("grid1000").units
    params = params_for("grid1000", "everything")
    with pytest.raises(TypeError, match="must be a PostGISStore"):
        unit_aggregates(memory.store, params, units, unit="grid1000")
    with pytest.raises(ValueError, match="must lie in a unit"):
        unit_aggregates(database.store, params, units, unit="grid1000", extra_dark_pos=np.array([len(units)]),
                        extra_dark_distance=np.array([1.0]))
    with pytest.raises(ValueError, match="must be a distance of 0 m or more"):
        unit_aggregates(database.store, params, units, unit="grid1000", dark_threshold_m=-1.0)
    with pytest.raises(ValueError, match="1-d of one length"):
        unit_aggregates(database.store, params, units, unit="grid1000", extra_dark_pos=np.array([0, 1]),
                        extra_dark_distance=np.array([1.0]))


@pytest.mark.parametrize("in_db", [False, True], ids=["loaded", "in_db"])
def test_lagesbild_page_on_postgis_shows_what_it_shows_on_geopackage(postgis_demo_url, demo_path, monkeypatch,
                                                                      in_db):
    """The app's Lägesbild page on a PostGIS store, with the incidents loaded or counted in SQL."""
    from streamlit.testing.v1 import AppTest

    from geo import settings

    monkeypatch.setattr(settings, "app_incidents_in_db", in_db)
    tables = {}
    for name, location in (("gpkg", str(demo_path)), ("postgis", postgis_demo_url)):
        monkeypatch.setenv("TRYGGHETSKARTAN_STORE", location)
        page = settings.PROJECT_ROOT / "app_pages" / "lagesbild.py"
        app = AppTest.from_file(str(page), default_timeout=180)
        app.run()
        assert not app.exception
        app.sidebar.checkbox(key="f_limit_hours").check().run()  # 22-05
        assert not app.exception
        tables[name] = app.dataframe[0].value
    assert len(tables["gpkg"]) == 500
    pd.testing.assert_frame_equal(tables["postgis"], tables["gpkg"], check_exact=False, rtol=1e-9)
