"""The work lists on the seeded demo store find the planted truths (geo/demo.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis.prepared import prepare
from geo.demo.planted import DEMO_END, DEMO_START, PLANTED_DARK_PLACE, PLANTED_HOTSPOTS
from geo.errors import PrivacyError
from geo.store import open_store
from geo.worklists import build_worklists

JAKOBSBERG, BARKARBY = PLANTED_HOTSPOTS[0].unit_id, PLANTED_HOTSPOTS[1].unit_id


@pytest.fixture(scope="module")
def prep(demo_path):
    return prepare(open_store(demo_path, must_exist=True))


@pytest.fixture(scope="module")
def cameras(prep):
    return build_worklists(prep, "cameras", at=DEMO_END, audience="staff")


class TestCameras:
    def test_barkarby_is_a_candidate_and_jakobsberg_is_not(self, cameras):
        candidates = cameras["candidates"]
        assert BARKARBY == "6627506588500"
        assert BARKARBY in candidates["unit_id"].tolist()
        assert JAKOBSBERG not in candidates["unit_id"].tolist()  # cam-001 sees its centre

    def test_barkarby_near_the_top(self, cameras):
        row = cameras["candidates"].set_index("unit_id").loc[BARKARBY]
        assert row["rank"] <= 3
        assert row["gi_class"] == "hot_99"

    def test_four_permits_run_out_within_six_months(self, cameras):
        permits = cameras["permits"]
        assert len(permits) == 4
        assert (permits["days_left"] >= 0).all()
        assert (permits["status"] == "active").all()

    def test_coverage_lists_sectors(self, cameras):
        coverage = cameras["coverage"].set_index("id")
        assert coverage.loc["cam-001", "hotspots_seen"] >= 1
        assert coverage.loc["cam-025", "status"] == "planned"
        assert "cam-028" not in coverage.index or coverage.loc["cam-028", "status"] != "removed"


@pytest.fixture(scope="module")
def flood(prep):
    return build_worklists(prep, "flood", at=DEMO_END, audience="staff")


class TestFlood:
    def test_care_home_first_in_flode_200(self, flood):
        first = flood["facilities_flode_200"].iloc[0]
        assert first["id"] == "fac-001"
        assert first["rank"] == 1
        assert bool(first["critical"])
        assert first["reserve_power"] is not pd.NA
        assert not first["reserve_power"]  # known to have no reserve power
        assert first["in_zone"]

    def test_water_works_on_the_edge_at_distance_zero(self, flood):
        row = flood["facilities_flode_200"].set_index("id").loc["fac-002"]
        assert row["distance_m"] == 0.0
        assert row["in_zone"]

    def test_edge_counts_without_a_search_distance(self, prep):
        touching = build_worklists(prep, "flood", at=DEMO_END, distance_m=0, scenarios=["flode_200"],
                                   audience="staff")
        assert list(touching.lists) == ["facilities_flode_200", "areas", "exposure"]
        assert touching["facilities_flode_200"]["id"].tolist() == ["fac-001", "fac-002"]

    def test_preschool_in_skyfall_100(self, flood):
        assert "fac-003" in flood["facilities_skyfall_100"]["id"].tolist()

    def test_exposure_and_areas(self, flood):
        exposure = flood["exposure"]
        row = exposure[(exposure["scenario"] == "flode_200") & (exposure["kind"] == "care_home")].iloc[0]
        assert row["exposed"] >= 1
        assert row["without_reserve_power"] >= 1
        assert set(flood["areas"]["scenario"]) == {"skyfall_100", "flode_200"}
        assert flood["areas"]["flooded_share"].between(0, 1).all()

    def test_public_may_not_have_the_facilities(self, prep):
        with pytest.raises(PrivacyError, match="'facilities' is internal"):
            build_worklists(prep, "flood", at=DEMO_END, audience="public")


class TestLighting:
    def test_the_dark_place_ranks_at_the_top(self, prep):
        places = build_worklists(prep, "lighting", at=DEMO_END, audience="staff")["places"]
        near = (
            np.hypot(
                places["x"].astype(float) - PLANTED_DARK_PLACE.x,
                places["y"].astype(float) - PLANTED_DARK_PLACE.y,
            )
            <= PLANTED_DARK_PLACE.radius_m
        )
        assert places.loc[near, "rank"].min() == 1
        top = places.head(5)["place_id"].tolist()
        assert {"ups-001", "ups-002"} <= set(top)

    def test_sun_puts_it_at_the_top_too(self, prep):
        places = build_worklists(prep, "lighting", at=DEMO_END, sun=True, audience="staff")["places"]
        assert places["place_id"].iloc[0] in {"ups-001", "ups-002"}

    def test_faults_and_repairs(self, prep):
        lists = build_worklists(prep, "lighting", at=DEMO_END, audience="staff")
        assert len(lists["faults"]) >= 200  # the demo's broken lamps, all still open
        assert lists["faults"]["age_days"].is_monotonic_decreasing
        assert len(lists["repairs"]) == 12


class TestGraffiti:
    def test_the_demo_counts(self, prep):
        lists = build_worklists(prep, "graffiti", at=DEMO_END, date_from=DEMO_START, audience="staff")
        assert len(lists["queue"]) == 20  # still open
        reports = lists["reports"]
        assert len(reports) == 600
        assert int(reports["within_72h"].sum()) == 490
        assert int((reports["within_72h"] == False).sum()) == 90  # noqa: E712
        months = lists["compliance"]
        total = months[(months["period_kind"] == "month") & (months["object_kind"] == "all")]
        assert total["reports"].sum() == 600
        assert total["removed_within_72h"].sum() == 490
        assert len(lists["late"]) >= 90  # late against the program's deadline, and offensive ones past 24 h

    def test_priority_objects_first(self, prep):
        queue = build_worklists(prep, "graffiti", at=DEMO_END, audience="staff")["queue"]
        flags = queue["priority"].tolist()
        assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize("kind", ["lighting", "graffiti", "cameras", "flood"])
def test_every_list_is_ranked_and_has_no_incident_points(prep, kind):
    lists = build_worklists(prep, kind, at=DEMO_END, lang="en", audience="staff")
    assert lists.kind == kind
    for key, table in lists.lists.items():
        assert table.columns[0] == "rank", key
        assert table["rank"].tolist() == list(range(1, len(table) + 1)), key
        assert "geometry" not in table.columns or key == "coverage", key
        if "why" in table.columns and len(table):
            assert table["why"].str.len().min() > 0, key
