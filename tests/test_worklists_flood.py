"""Flood work lists: a facility on a zone's edge, the order of urgency, flooded shares, the crisis table."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

from geo.worklists.flood import (
    EXPOSURE_COLUMNS,
    FACILITY_COLUMNS,
    area_shares,
    exposed_facilities,
    exposure_table,
    scenarios_in,
)

CRS = "EPSG:3006"


@pytest.fixture
def flood() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["z1", "z2"], "scenario": ["flode_200", "skyfall_100"], "depth_m": [0.8, np.nan]},
        geometry=[box(0, 0, 100, 100), box(300, 0, 400, 100)],
        crs=CRS,
    )


@pytest.fixture
def facilities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["edge", "inside", "near", "far", "unknown"],
            "name": ["Vårdboendet", "Skolan", "Vattenverket", "Idrottshallen", "Pumpstationen"],
            "kind": ["care_home", "school", "water_works", "sports_centre", "sewage_works"],
            "critical": [True, False, True, False, True],
            "reserve_power": pd.array([False, None, True, None, None], dtype="boolean"),
        },
        geometry=[Point(100, 50), Point(50, 50), Point(130, 50), Point(200, 50), Point(50, 140)],
        crs=CRS,
    )


class TestExposedFacilities:
    def test_facility_on_the_edge_is_in_at_distance_zero(self, facilities, flood):
        out = exposed_facilities(facilities, flood, scenario="flode_200", distance_m=0)
        assert out["id"].tolist() == ["edge", "inside"]
        row = out.set_index("id").loc["edge"]
        assert row["distance_m"] == 0.0
        assert row["in_zone"]
        assert row["depth_m"] == 0.8

    def test_order_critical_then_no_reserve_then_distance(self, facilities, flood):
        out = exposed_facilities(facilities, flood, scenario="flode_200", distance_m=50)
        # critical without reserve power (edge 0 m, unknown 40 m), critical with (near 30 m), the rest
        assert out["id"].tolist() == ["edge", "unknown", "near", "inside"]
        assert out["rank"].tolist() == [1, 2, 3, 4]
        assert out.set_index("id")["distance_m"].to_dict() == {
            "edge": 0.0,
            "unknown": 40.0,
            "near": 30.0,
            "inside": 0.0,
        }
        assert list(out.columns) == list(FACILITY_COLUMNS)
        assert (out["scenario"] == "flode_200").all()

    def test_why(self, facilities, flood):
        out = exposed_facilities(facilities, flood, scenario="flode_200", distance_m=50, lang="sv")
        why = out.set_index("id")["why"]
        assert why["edge"] == (
            "samhällsviktig verksamhet; saknar reservkraft; i zonen eller på dess kant; vattendjup 0,80 m"
        )
        assert (
            why["unknown"]
            == "samhällsviktig verksamhet; reservkraft okänd; 40,0 m från zonen; vattendjup 0,80 m"
        )
        en = exposed_facilities(facilities, flood, scenario="skyfall_100", distance_m=100, lang="en")
        assert (
            en.set_index("id").loc["far", "why"]
            == "not critical; reserve power unknown; 100.0 m from the zone"
        )

    def test_errors(self, facilities, flood):
        with pytest.raises(ValueError, match="scenario='tsunami' is unknown"):
            exposed_facilities(facilities, flood, scenario="tsunami")
        with pytest.raises(ValueError, match="distance_m=-5 is not allowed"):
            exposed_facilities(facilities, flood, scenario="bhf", distance_m=-5)


class TestAreasAndExposure:
    def test_share_of_each_area(self, flood):
        areas = gpd.GeoDataFrame(
            {
                "code": ["K", "A", "B"],
                "name": ["Kommun", "Väst", "Öst"],
                "kind": ["kommun", "kommundel", "kommundel"],
            },
            geometry=[box(0, 0, 400, 200), box(0, 0, 200, 200), box(200, 0, 400, 200)],
            crs=CRS,
        )
        out = area_shares(areas, flood, scenarios=["skyfall_100", "flode_200"])
        # largest share first; ties in the spec's order of scenarios, then by code
        assert out[["code", "scenario", "flooded_share"]].values.tolist() == [
            ["B", "skyfall_100", 0.25],
            ["A", "flode_200", 0.25],
            ["A", "skyfall_100", 0.0],
            ["B", "flode_200", 0.0],
        ]
        assert out["flooded_km2"].iloc[0] == 0.01
        with pytest.raises(ValueError, match="no areas of kind 'deso'; kinds present: kommun, kommundel"):
            area_shares(areas, flood, scenarios=["bhf"], area_kind="deso")

    def test_exposure_table(self, facilities, flood):
        out = exposure_table(facilities, flood, scenarios=["flode_200"], distance_m=50)
        assert list(out.columns) == list(EXPOSURE_COLUMNS)
        rows = out.set_index("kind")
        assert rows["exposed"].to_dict() == {
            "school": 1,
            "care_home": 1,
            "water_works": 1,
            "sewage_works": 1,
            "sports_centre": 0,
        }
        assert rows["without_reserve_power"].sum() == 2  # the care home and the pump of unknown power
        assert rows.loc["care_home", "max_depth_m"] == 0.8
        assert np.isnan(rows.loc["sports_centre", "max_depth_m"])

    def test_scenarios_in(self, flood):
        assert scenarios_in(flood) == ("skyfall_100", "flode_200")
        assert scenarios_in(flood, ["bhf", "skyfall_100"]) == ("skyfall_100", "bhf")
        with pytest.raises(ValueError, match="scenario 'x' is unknown; allowed: skyfall_100, flode_200, bhf"):
            scenarios_in(flood, ["x"])
