"""The lägesbild engine: counts, filters, change, hot spots, darkness, cameras,
composite and privacy, on a hand-made store whose answers are computed by hand."""

from __future__ import annotations

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W
from numpy.testing import assert_allclose
from shapely import Point, box

from geo.analysis.lagesbild import emerging_hotspot_classes
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.analysis.snapshots import compare_snapshots, save_lagesbild
from geo.demo import planted
from geo.privacy import build_lagesbild, compute_lagesbild
from geo.store import GeoPackageStore, open_store

TZ = "Europe/Stockholm"
X0, Y0 = 660000, 6590000  # the hand-made kommun: 2 km x 2 km, 8 x 8 cells of 250 m


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def incidents_frame() -> gpd.GeoDataFrame:
    rows = [
        # id, x, y, local time, category, precision
        ("a1", 660100, 6590100, "2026-01-05 23:30", "stold", "exact"),  # Monday night
        ("a2", 660100, 6590100, "2026-01-12 23:30", "stold", "exact"),
        ("a3", 660100, 6590100, "2026-01-19 23:30", "misshandel", "exact"),
        ("b1", 660250, 6590100, "2026-01-07 12:00", "stold", "exact"),  # on the x = 660250 border
        ("c1", 660250, 6590250, "2026-01-07 12:00", "stold", "exact"),  # on a cell corner
        ("d1", 661520, 6591520, "2026-01-09 21:00", "ran", "exact"),  # Friday evening
        ("d2", 661520, 6591520, "2026-01-10 02:00", "ran", "exact"),  # Saturday night
        ("p1", 660100, 6590100, "2026-01-06 12:00", "vald_i_nara_relation", "exact"),  # protected
        ("k1", 661000, 6591000, "2026-01-08 12:00", "stold", "kommun"),  # kommun-level only
        # previous period (December 2025)
        ("e1", 660100, 6590100, "2025-12-15 12:00", "stold", "exact"),
        ("e2", 660100, 6590100, "2025-12-16 12:00", "stold", "exact"),
        *[(f"f{i}", 661520, 6591520, f"2025-12-{10 + i} 12:00", "ran", "exact") for i in range(6)],
    ]
    ids, xs, ys, times, cats, prec = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "occurred_at": pd.to_datetime(list(times)).tz_localize(TZ),
            "category": cats,
            "source": "test",
            "location_precision": prec,
        },
        geometry=[Point(x, y) for x, y in zip(xs, ys, strict=True)],
        crs="EPSG:3006",
    )


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory):
    store = GeoPackageStore(tmp_path_factory.mktemp("hand") / "hand.gpkg")
    areas = gpd.GeoDataFrame(
        {
            "id": ["k", "w", "e"],
            "code": ["0000", "W", "E"],
            "name": ["Kommunen", "Väst", "Öst"],
            "kind": ["kommun", "kommundel", "kommundel"],
            "population": [5000, 1000, 4000],
        },
        geometry=[box(X0, Y0, X0 + 2000, Y0 + 2000), box(X0, Y0, X0 + 1000, Y0 + 2000),
                  box(X0 + 1000, Y0, X0 + 2000, Y0 + 2000)],
        crs="EPSG:3006",
    )
    store.write("areas", areas)
    store.write("incidents", incidents_frame())
    lamps = gpd.GeoDataFrame(
        {"id": ["l1", "l2", "l3"], "status": ["working", "broken", "working"]},
        geometry=[Point(660100, 6590130), Point(660100, 6590101), Point(661520, 6591560)],
        crs="EPSG:3006",
    )
    store.write("lighting", lamps)
    cameras = gpd.GeoDataFrame(
        {"id": ["c1"], "status": ["active"], "direction_deg": [45.0], "angle_deg": [90.0],
         "range_m": [100.0]},
        geometry=[Point(661500, 6591500)], crs="EPSG:3006")
    store.write("cameras", cameras)
    return store


@pytest.fixture(scope="module")
def prep(hand_store):
    return prepare(hand_store)


def params(**kw) -> LagesbildParams:
    base = {"date_from": "2026-01-01", "date_to": "2026-01-31", "audience": "staff"}
    base.update(kw)
    return LagesbildParams.from_text(**base)


def by_unit(frame, column="incidents") -> dict:
    values = frame.set_index("unit_id")[column]
    return {k: v for k, v in values.items() if not pd.isna(v) and v != 0}


class TestCounts:
    def test_grid_counts_by_hand(self, prep):
        out = compute_lagesbild(prep, params())
        assert len(out) == 64  # every cell, zeros kept
        assert by_unit(out) == {
            "6600006590000": 3,  # a1-a3 (p1 is protected, not counted for staff)
            "6602506590000": 1,  # b1 on the border goes to the cell on its right
            "6602506590250": 1,  # c1 on the corner goes to the upper-right cell
            "6615006591500": 2,
        }
        assert out["incidents"].sum() == 7
        assert out.attrs["kommun_level_incidents"] == 1

    def test_unit_ids_are_corner_easting_then_northing(self, prep):
        out = compute_lagesbild(prep, params())
        assert out["unit_id"].str.len().eq(13).all()
        assert "6617506591750" in set(out["unit_id"])

    def test_time_window_across_midnight(self, prep):
        out = compute_lagesbild(prep, params(hours="22-05"))
        assert by_unit(out) == {"6600006590000": 3, "6615006591500": 1}

    def test_weekdays(self, prep):
        out = compute_lagesbild(prep, params(weekdays="fri,sat"))
        assert by_unit(out) == {"6615006591500": 2}

    def test_categories(self, prep):
        out = compute_lagesbild(prep, params(categories="misshandel,ran"))
        assert by_unit(out) == {"6600006590000": 1, "6615006591500": 2}

    def test_areas_with_rate(self, prep):
        out = compute_lagesbild(prep, params(unit="areas"))
        table = out.set_index("unit_id")
        assert table.loc["W", "incidents"] == 5
        assert table.loc["E", "incidents"] == 2
        assert table.loc["W", "incidents_rate"] == pytest.approx(5.0)
        assert table.loc["E", "incidents_rate"] == pytest.approx(0.5)

    def test_grid1000(self, prep):
        out = compute_lagesbild(prep, params(unit="grid1000"))
        assert len(out) == 4
        assert by_unit(out) == {"6600006590000": 5, "6610006591000": 2}


class TestChange:
    def test_previous_period_of_equal_length(self, prep):
        p = params()
        assert p.previous == (stamp("2025-12-01"), stamp("2026-01-01"))
        out = compute_lagesbild(prep, p).set_index("unit_id")
        west, east = out.loc["6600006590000"], out.loc["6615006591500"]
        assert (west["incidents_prev"], west["change_abs"]) == (2, 1)
        assert np.isnan(west["change_pct"])  # base of 2 is too small for a percentage
        assert (east["incidents_prev"], east["change_abs"]) == (6, -4)
        assert east["change_pct"] == pytest.approx(-66.6667, abs=1e-3)


class TestHotSpots:
    def test_gi_star_equals_esda_on_the_lattice(self, prep):
        out = compute_lagesbild(prep, params())
        # our cells run row by row from the south-west corner, like lat2W's ids
        order = out.assign(row=out["unit_id"].str[6:], col=out["unit_id"].str[:6]).sort_values(["row", "col"])
        counts = order["incidents"].to_numpy(dtype=float)
        expected = esda.G_Local(counts, lat2W(8, 8, rook=False), transform="B", star=True,
                                permutations=0)
        assert_allclose(order["gi_z"].to_numpy(), expected.Zs, rtol=1e-9, atol=1e-9)

    def test_demo_planted_hot_spots_found_at_99(self, demo_path):
        out = build_lagesbild(open_store(demo_path),
                              LagesbildParams.from_text(date_from="2023-10-01", date_to="2026-09-30",
                                                        audience="staff"))
        classes = out.set_index("unit_id")["gi_class"]
        assert {spot.name: classes[spot.unit_id] for spot in planted.PLANTED_HOTSPOTS} == dict.fromkeys(
            ["Jakobsbergs centrum", "Barkarby station", "Kallhälls centrum"], "hot_99")

    def test_emerging_classes_on_demo(self, demo_path):
        prep = prepare(open_store(demo_path))
        classes = emerging_hotspot_classes(
            prep, LagesbildParams.from_text(date_from="2023-10-01", date_to="2026-09-30", audience="staff"))
        assert classes[planted.PLANTED_HOTSPOTS[0].unit_id] in ("persistent", "intensifying")

    def test_emerging_needs_two_quarters(self, prep):
        with pytest.raises(ValueError, match="at least two whole quarters"):
            emerging_hotspot_classes(prep, params())


class TestDarknessAndCameras:
    def test_distance_to_nearest_working_lamp(self, prep):
        out = compute_lagesbild(prep, params()).set_index("unit_id")
        # the broken lamp at 1 m is ignored
        assert out.loc["6600006590000", "dark_median_m"] == pytest.approx(30.0)
        assert out.loc["6615006591500", "dark_median_m"] == pytest.approx(40.0)
        assert out.loc["6600006590000", "lamps_broken"] == 1

    def test_camera_sector_share_and_incidents_inside(self, prep):
        out = compute_lagesbild(prep, params()).set_index("unit_id")
        # a 90 degree sector of radius 100 m from the cell's corner, wholly inside the cell
        quarter_disc = np.pi * 100**2 / 4
        assert out.loc["6615006591500", "camera_share"] == pytest.approx(quarter_disc / 250**2, rel=0.01)
        assert out.loc["6615006591500", "incidents_in_camera_share"] == 1.0
        assert out.loc["6600006590000", "incidents_in_camera_share"] == 0.0


class TestComposite:
    def test_recomputed_by_hand(self, prep):
        out = compute_lagesbild(prep, params(weights={"incidents": 3, "darkness": 1}))
        table = out.set_index("unit_id")
        # incidents: max 3 -> scaled 1; darkness: max 40 m (cells with no points are NaN -> 0)
        west = table.loc["6600006590000"]
        east = table.loc["6615006591500"]
        dark_max = table["dark_median_m"].max()
        expected_west = 100 * (3 * (3 / 3) + 1 * (30 / dark_max)) / 4
        expected_east = 100 * (3 * (2 / 3) + 1 * (40 / dark_max)) / 4
        assert west["composite_index"] == pytest.approx(expected_west)
        assert east["composite_index"] == pytest.approx(expected_east)
        assert west["drivers"].startswith("Händelser 75,0")
        assert west["contrib_incidents"] + west["contrib_darkness"] == pytest.approx(west["composite_index"])

    def test_unknown_weight_is_refused(self):
        with pytest.raises(ValueError, match=r"unknown weight factor\(s\) \['beauty'\]"):
            params(weights={"beauty": 1})


class TestPrivacy:
    def test_protected_counted_only_for_protected_audience(self, prep):
        out = compute_lagesbild(prep, params(audience="protected"))
        assert by_unit(out)["6600006590000"] == 4

    def test_public_suppresses_small_counts(self, prep):
        out = compute_lagesbild(prep, params(audience="public"))
        counts = out.set_index("unit_id")["incidents"]
        assert counts.isna().sum() == 4  # 3, 1, 1 and 2 are all below k = 4
        assert counts.dropna().eq(0).all()
        assert out.attrs["suppressed"] == 4
        table = out.set_index("unit_id")
        assert pd.isna(table.loc["6600006590000", "dark_median_m"])
        assert pd.isna(table.loc["6615006591500", "change_abs"])


    def test_a_total_that_would_reveal_a_suppressed_cell_is_suppressed(self, prep):
        out = compute_lagesbild(prep, params(categories="ran", audience="public"))
        assert out["incidents"].isna().sum() == 1  # the one cell with 2 robberies
        assert out.attrs["incidents_total"] is None
        staff = compute_lagesbild(prep, params(categories="ran"))
        assert staff.attrs["incidents_total"] == 2

    def test_public_gets_classes_not_z_scores(self, prep):
        out = compute_lagesbild(prep, params(audience="public"))
        assert out["gi_z"].isna().all()
        assert out["gi_p"].isna().all()
        assert set(out["gi_class"]) <= {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90",
                                        "not_significant"}


class TestSnapshots:
    def test_save_and_compare(self, tmp_path):
        store = GeoPackageStore(tmp_path / "s.gpkg")
        frame = incidents_frame()
        store.write("incidents", frame)
        areas = gpd.GeoDataFrame({"id": ["k"], "code": ["0"], "name": ["K"], "kind": ["kommun"],
                                  "population": [1]}, geometry=[box(X0, Y0, X0 + 2000, Y0 + 2000)],
                                 crs="EPSG:3006")
        store.write("areas", areas)
        prep = prepare(store)
        dec = compute_lagesbild(prep, LagesbildParams.from_text(date_from="2025-12-01", date_to="2025-12-31",
                                                                audience="staff"))
        jan = compute_lagesbild(prep, params())
        save_lagesbild(store, "december", dec)
        save_lagesbild(store, "januari", jan)
        cmp = compare_snapshots(store, "december", "januari", audience="staff").set_index("unit_id")
        assert cmp.loc["6615006591500", "incidents_before"] == 6
        assert cmp.loc["6615006591500", "incidents_after"] == 2
        assert cmp.loc["6615006591500", "change_abs"] == -4
        _, meta = store.read_snapshot("januari")
        assert meta["params"]["start"] == "2026-01-01T00:00:00+01:00"

    def test_compare_refuses_different_units(self, hand_store, prep):
        save_lagesbild(hand_store, "grid", compute_lagesbild(prep, params()))
        save_lagesbild(hand_store, "areas", compute_lagesbild(prep, params(unit="areas")))
        with pytest.raises(ValueError, match="use different units"):
            compare_snapshots(hand_store, "grid", "areas", audience="staff")


class TestParams:
    @pytest.mark.parametrize(
        ("kw", "message"),
        [
            ({"hours": "25-3"}, "hours must be"),
            ({"weekdays": "funday"}, "weekday 'funday' is unknown"),
            ({"unit": "hexagons"}, "unit='hexagons' is not allowed"),
            ({"categories": "jaywalking"}, r"unknown categories \['jaywalking'\]"),
            ({"date_from": "2026-02-01"}, "must start before it ends"),
            ({"audience": "everyone"}, "audience='everyone' is not allowed"),
        ],
    )
    def test_bad_parameters(self, kw, message):
        with pytest.raises(ValueError, match=message):
            params(**kw)
