"""Flood shares and exposed facilities (actions 26-27, 37-38): known answers by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely import Point, box

from geo.analysis.indicators.flood import (
    EXPOSED_COLUMNS,
    exposed_by_unit,
    facilities_exposed,
    flood_exposure,
    flood_share_by_unit,
)
from geo.errors import CRSError

X0, Y0 = 660_000.0, 6_590_000.0  # a corner in Järfälla, EPSG:3006


def square(x0: float, y0: float, x1: float, y1: float):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def at(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    """Unit 0 is [0, 100]², unit 1 is [100, 200] x [0, 100], unit 2 far away."""
    return gpd.GeoDataFrame(
        {"unit_id": ["u0", "u1", "u2"]},
        geometry=[square(0, 0, 100, 100), square(100, 0, 200, 100), square(5000, 0, 5100, 100)],
        crs="EPSG:3006",
    )


@pytest.fixture
def flood() -> gpd.GeoDataFrame:
    # skyfall_100: two overlapping zones, [0, 60] x [0, 100] (0.3 m) and [40, 100] x [0, 50]
    #              (1.2 m): union area in unit 0 = 6000 + 3000 - 1000 (overlap) = 8000
    # bhf: the left half of unit 0, depth unknown
    # flode_200: a zone that touches no unit
    return gpd.GeoDataFrame(
        {
            "id": ["z1", "z2", "z3", "z4"],
            "scenario": ["skyfall_100", "skyfall_100", "bhf", "flode_200"],
            "depth_m": [0.3, 1.2, np.nan, 2.0],
        },
        geometry=[square(0, 0, 60, 100), square(40, 0, 100, 50), square(0, 0, 50, 100),
                  square(9000, 0, 9100, 100)],
        crs="EPSG:3006",
    )


class TestFloodShare:
    def test_half_covered_unit(self, units, flood):
        assert_allclose(flood_share_by_unit(units, flood, scenario="bhf"), [0.5, 0.0, 0.0])

    def test_overlapping_zones_not_double_counted(self, units, flood):
        # 8000 / 10000, not (6000 + 3000) / 10000; the zone edge at x = 100 adds nothing to unit 1
        assert_allclose(flood_share_by_unit(units, flood, scenario="skyfall_100"), [0.8, 0.0, 0.0])

    def test_scenario_without_zones_here(self, units, flood):
        assert flood_share_by_unit(units, flood, scenario="flode_200").tolist() == [0.0, 0.0, 0.0]
        empty = flood.iloc[:0]
        assert flood_share_by_unit(units, empty, scenario="bhf").tolist() == [0.0, 0.0, 0.0]

    def test_clipped_unit_and_missing_geometry(self, units, flood):
        units.loc[1, "geometry"] = square(0, 0, 20, 10)  # small clipped cell, all inside bhf
        units.loc[2, "geometry"] = None
        share = flood_share_by_unit(units, flood, scenario="bhf")
        assert share[:2].tolist() == [0.5, 1.0]
        assert np.isnan(share[2])

    def test_invalid_zone_is_repaired(self, units, flood):
        bowtie = gpd.GeoSeries.from_wkt(
            [f"POLYGON (({X0} {Y0}, {X0 + 100} {Y0 + 100}, {X0 + 100} {Y0}, {X0} {Y0 + 100}, {X0} {Y0}))"],
            crs="EPSG:3006",
        )
        zones = gpd.GeoDataFrame({"scenario": ["bhf"]}, geometry=bowtie, crs="EPSG:3006")
        assert_allclose(flood_share_by_unit(units, zones, scenario="bhf"), [0.5, 0.0, 0.0])

    def test_unknown_scenario_lists_codes(self, units, flood):
        expected = r"^scenario='100yr' is unknown; allowed: skyfall_100, flode_200, bhf$"
        with pytest.raises(ValueError, match=expected):
            flood_share_by_unit(units, flood, scenario="100yr")

    def test_geographic_units_refused(self, units, flood):
        with pytest.raises(CRSError, match=r"units is in a geographic CRS"):
            flood_share_by_unit(units.to_crs("EPSG:4326"), flood, scenario="bhf")

    def test_crs_mismatch_refused(self, units, flood):
        with pytest.raises(CRSError, match=r"CRS mismatch: units is EPSG:3006 and flood is EPSG:3011"):
            flood_share_by_unit(units, flood.to_crs("EPSG:3011"), scenario="bhf")

    def test_missing_scenario_column_refused(self, units, flood):
        with pytest.raises(ValueError, match=r"flood has no 'scenario' column"):
            flood_share_by_unit(units, flood.drop(columns="scenario"), scenario="bhf")


def facilities_at(*rows: tuple, crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    """Rows of (id, kind, critical, reserve_power, geometry)."""
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [f"Verksamhet {r[0]}" for r in rows],
            "kind": [r[1] for r in rows],
            "critical": [r[2] for r in rows],
            "reserve_power": pd.array([r[3] for r in rows], dtype="boolean"),
        },
        geometry=[r[4] for r in rows],
        crs=crs,
    )


class TestExposure:
    # bhf zone is [0, 50] x [0, 100] relative to the corner.
    def test_point_on_the_edge_is_exposed_at_distance_zero(self, flood):
        facilities = facilities_at(("edge", "school", False, False, at(50, 40)))
        out = flood_exposure(facilities, flood, scenario="bhf")
        assert out.loc[0, "exposed"]
        assert out.loc[0, "distance_m"] == 0.0
        assert np.isnan(out.loc[0, "depth_m"])  # bhf depth unknown

    @pytest.mark.parametrize(("distance_m", "exposed"),
                             [(0.0, False), (29.9, False), (30.0, True), (50.0, True)])
    def test_point_30m_outside(self, flood, distance_m, exposed):
        facilities = facilities_at(("near", "care_home", True, False, at(80, 40)))
        out = flood_exposure(facilities, flood, scenario="bhf", distance_m=distance_m)
        assert bool(out.loc[0, "exposed"]) is exposed
        if exposed:
            assert out.loc[0, "distance_m"] == pytest.approx(30.0)
        else:
            assert np.isnan(out.loc[0, "distance_m"])

    def test_depth_is_the_deepest_zone_within_reach(self, flood):
        facilities = facilities_at(
            ("both", "school", False, False, at(50, 25)),  # inside z1 (0.3 m) and z2 (1.2 m)
            ("one", "school", False, False, at(10, 90)),  # inside z1, 50 m from z2 (dx 30, dy 40)
            ("dry", "school", False, False, at(-50, 90)),  # 50 m from z1, 94 m from z2
        )
        touching = flood_exposure(facilities, flood, scenario="skyfall_100")
        assert touching["exposed"].tolist() == [True, True, False]
        assert_allclose(touching["depth_m"], [1.2, 0.3, np.nan])
        near = flood_exposure(facilities, flood, scenario="skyfall_100", distance_m=60.0)
        assert near["exposed"].tolist() == [True, True, True]
        assert_allclose(near["distance_m"], [0.0, 0.0, 50.0])
        assert_allclose(near["depth_m"], [1.2, 1.2, 0.3])

    def test_polygon_facility_overlapping_a_zone(self, flood):
        facilities = facilities_at(("site", "water_works", True, True, square(45, 10, 70, 20)))
        out = facilities_exposed(facilities, flood, scenario="bhf")
        assert out["distance_m"].tolist() == [0.0]

    def test_index_kept_and_aligned(self, flood):
        facilities = facilities_at(("a", "school", False, False, at(500, 500)),
                                   ("b", "school", False, False, at(10, 10)))
        facilities.index = ["x", "y"]
        out = flood_exposure(facilities, flood, scenario="bhf")
        assert out.index.tolist() == ["x", "y"]
        assert out["exposed"].tolist() == [False, True]

    def test_ordering_critical_then_no_reserve_power_then_distance(self, flood):
        facilities = facilities_at(
            ("A", "water_works", True, True, at(10, 10)),  # critical, reserve power, inside
            ("B", "school", False, False, at(10, 20)),  # not critical, inside
            ("C", "care_home", True, False, at(60, 50)),  # critical, no power, 10 m out
            ("D", "health_centre", True, None, at(55, 50)),  # critical, power unknown, 5 m out
            ("E", "fire_station", True, False, at(20, 20)),  # critical, no power, inside
            ("F", "school", True, False, at(300, 50)),  # 250 m out: not exposed
        )
        out = facilities_exposed(facilities, flood, scenario="bhf", distance_m=20.0)
        assert out["id"].tolist() == ["E", "D", "C", "A", "B"]
        assert out.columns.tolist() == list(EXPOSED_COLUMNS)
        assert_allclose(out["distance_m"], [0.0, 5.0, 10.0, 0.0, 0.0])
        assert out["reserve_power"].isna().tolist() == [False, True, False, False, False]
        assert out.index.tolist() == [4, 3, 2, 0, 1]  # the facilities' own labels

    def test_reserve_power_column_optional(self, flood):
        facilities = facilities_at(("A", "school", True, True, at(10, 10))).drop(columns="reserve_power")
        out = facilities_exposed(facilities, flood, scenario="bhf")
        assert out["reserve_power"].isna().all()

    def test_nothing_exposed(self, flood):
        facilities = facilities_at(("A", "school", True, True, at(10, 10)))
        out = facilities_exposed(facilities, flood, scenario="flode_200")
        assert out.empty
        assert out.columns.tolist() == list(EXPOSED_COLUMNS)

    def test_missing_column_refused(self, flood):
        facilities = facilities_at(("A", "school", True, True, at(10, 10))).drop(columns="critical")
        with pytest.raises(ValueError, match=r"facilities lacks column\(s\) critical; required: id, name"):
            facilities_exposed(facilities, flood, scenario="bhf")

    @pytest.mark.parametrize("distance_m", [-1.0, np.nan, "near", True])
    def test_bad_distance_refused(self, flood, distance_m):
        facilities = facilities_at(("A", "school", True, True, at(10, 10)))
        with pytest.raises(ValueError, match=r"distance_m=.* is not allowed; expected a finite number"):
            flood_exposure(facilities, flood, scenario="bhf", distance_m=distance_m)

    def test_unknown_scenario_refused(self, flood):
        facilities = facilities_at(("A", "school", True, True, at(10, 10)))
        with pytest.raises(ValueError, match=r"scenario='BHF' is unknown; allowed: skyfall_100"):
            facilities_exposed(facilities, flood, scenario="BHF")

    def test_crs_checked(self, flood):
        facilities = facilities_at(("A", "school", True, True, at(10, 10)), crs="EPSG:3011")
        with pytest.raises(CRSError, match=r"CRS mismatch: facilities is EPSG:3011 and flood is EPSG:3006"):
            facilities_exposed(facilities, flood, scenario="bhf")


class TestExposedByUnit:
    def test_counts(self, flood):
        facilities = facilities_at(("a", "school", True, True, at(10, 10)),
                                   ("b", "school", True, True, at(20, 10)),
                                   ("c", "school", True, True, at(150, 10)),
                                   ("d", "school", True, True, at(-500, 10)))
        exposed = flood_exposure(facilities, flood, scenario="bhf")["exposed"].to_numpy()
        assert exposed_by_unit(np.array([0, 0, 1, -1]), exposed, 3).tolist() == [2, 0, 0]

    @pytest.mark.parametrize(
        ("index", "mask", "n_units", "match"),
        [
            (np.array([0.0]), np.array([True]), 1, r"unit_index_of_facilities must be a 1-D integer array"),
            (np.array([3]), np.array([True]), 2, r"holds values from 3 to 3; allowed: -1 to 1"),
            (np.array([0]), np.array([1]), 1, r"exposed_mask must be a boolean array of shape \(1,\)"),
            (np.array([0]), np.array([True]), -2, r"n_units=-2 is not allowed"),
        ],
    )
    def test_bad_arguments_refused(self, index, mask, n_units, match):
        with pytest.raises(ValueError, match=match):
            exposed_by_unit(index, mask, n_units)
