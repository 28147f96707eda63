"""Lighting work lists: places to light with known distances, faults, repair times, privacy."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

from geo.analysis.indicators.darkness import in_the_dark, lamp_states
from geo.errors import CRSError
from geo.store import GeoPackageStore
from geo.worklists import build_worklists
from geo.worklists.lighting import PLACE_COLUMNS, after_dark, incident_clusters, rank_dark_places
from geo.worklists.lighting_faults import open_fault_list, repair_times

TZ = "Europe/Stockholm"
CRS = "EPSG:3006"
AT = pd.Timestamp("2026-10-01", tz=TZ)


def times(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), format="ISO8601").tz_localize(TZ))


@pytest.fixture
def lamps() -> gpd.GeoDataFrame:
    """Six lamps: two working, one broken, one working with an open fault, one planned, one repaired."""
    return gpd.GeoDataFrame(
        {
            "id": ["L1", "L2", "L3", "L4", "L5", "L6"],
            "lamp_id": ["JF-1", "JF-2", "JF-3", "JF-4", "JF-5", "JF-6"],
            "status": ["working", "working", "broken", "working", "planned", "working"],
            "fault_reported_at": times(None, None, "2026-09-01", "2026-09-20", None, "2026-08-01").array,
            "fault_fixed_at": times(None, None, None, None, None, "2026-08-03").array,
        },
        geometry=[
            Point(0, 0),
            Point(1000, 0),
            Point(500, 0),
            Point(0, 1000),
            Point(2000, 2000),
            Point(3000, 0),
        ],
        crs=CRS,
    )


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"place_id": ["P1", "P2", "P3", "P4", "P5"], "description": ["lit", "", "", "", ""]},
        geometry=[Point(30, 40), Point(500, 30), Point(0, 960), Point(3000, 80), Point(2000, 2010)],
        crs=CRS,
    )


@pytest.fixture
def reports() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["P2", "r2"], "reason": ["lighting", "people"]},
        geometry=[Point(500, 30), Point(520, 60)],
        crs=CRS,
    )


NIGHT = np.array(
    [
        [2000, 2020],
        [2010, 2000],
        [1990, 2005],  # around P5, in the dark
        [10, 10],
        [12, 8],  # next to the working L1: lit
        [505, 5],
    ],
    dtype=float,
)  # beside the broken L3: in the dark


class TestLampStates:
    def test_lit_and_out(self, lamps):
        lit, out = lamp_states(lamps, at=AT)
        assert lit.tolist() == [True, True, False, False, False, True]
        assert out.tolist() == [False, False, True, True, False, False]

    def test_before_the_fault_the_lamp_was_lit(self, lamps):
        lit, _ = lamp_states(lamps, at=pd.Timestamp("2026-09-10", tz=TZ))
        assert lit[3]

    def test_in_the_dark(self, lamps):
        dark = in_the_dark(NIGHT, lamps, at=AT)
        assert dark.tolist() == [True, True, True, False, False, True]


class TestRankDarkPlaces:
    def test_known_distances_and_order(self, places, lamps, reports):
        out = rank_dark_places(places, lamps, at=AT, night_xy=NIGHT, reports=reports, audience="staff")
        assert list(out.columns) == list(PLACE_COLUMNS)
        assert out["place_id"].tolist() == ["P2", "P5", "P3", "P4"]  # P1 lies 50 m from L1: lit
        assert out["rank"].tolist() == [1, 2, 3, 4]
        row = out.set_index("place_id")
        assert row["distance_m"].tolist() == [501.0, 2245.0, 960.0, 80.0]
        assert row["night_incidents"].tolist() == [1, 3, 0, 0]
        assert row["reports"].tolist() == [2, 0, 0, 0]
        assert row["reports_lighting"].tolist() == [1, 0, 0, 0]
        assert row["broken_lamps"].tolist() == [1, 0, 1, 0]
        assert row["score"].tolist() == [9.0, 7.0, 5.0, 1.6]
        assert row.loc["P2", ["x", "y"]].tolist() == [500, 30]

    def test_why_says_each_factor(self, places, lamps, reports):
        out = rank_dark_places(places, lamps, at=AT, night_xy=NIGHT, reports=reports,
                               audience="staff").set_index("place_id")
        assert out.loc["P2", "why"] == (
            "501 m till närmaste fungerande lampa (+4,0); "
            "rapporter om otrygghet inom 100 m: 2, varav om belysning: 1 (+3,0); "
            "händelser i mörker efter mörkrets inbrott inom 100 m: 1 (+1,0); "
            "trasiga lampor inom 50 m: 1 (+1,0)"
        )
        en = rank_dark_places(places, lamps, at=AT, lang="en", audience="staff").set_index("place_id")
        assert en.loc["P4", "why"] == "80 m to the nearest working lamp (+1.6)"

    def test_weights(self, places, lamps, reports):
        out = rank_dark_places(places, lamps, at=AT, night_xy=NIGHT, reports=reports, weights={"night": 2.0},
                               audience="staff")
        assert out["place_id"].tolist()[:2] == ["P5", "P2"]  # 10 each; more incidents first
        assert out["score"].tolist()[:2] == [10.0, 10.0]

    def test_threshold(self, places, lamps):
        out = rank_dark_places(places, lamps, at=AT, dark_threshold_m=100, audience="staff")
        assert "P4" not in out["place_id"].tolist()

    def test_no_working_lamp(self, places, lamps):
        out = rank_dark_places(places, lamps[lamps["status"] != "working"], at=AT, lang="en",
                               audience="staff")
        assert np.isinf(out["distance_m"]).all()
        assert out["why"].str.startswith("no working lamp").all()

    def test_public_small_counts_blanked(self, places, lamps, reports):
        out = rank_dark_places(places, lamps, at=AT, night_xy=NIGHT, reports=reports, audience="public")
        row = out.set_index("place_id")
        assert row.loc["P5", "night_incidents"] is pd.NA
        assert row.loc["P5", "score"] == 5.0  # a blanked count weighs as one incident
        assert "färre än 4" in row.loc["P5", "why"]

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"near_m": -1}, "near_m=-1 is not allowed"),
            ({"weights": {"moon": 1}}, "weights has unknown factor"),
            ({"weights": {"night": -2}}, r"weights\['night'\]=-2 is not allowed"),
            ({"audience": "everyone"}, "audience='everyone' is not allowed"),
        ],
    )
    def test_bad_arguments(self, places, lamps, kwargs, match):
        with pytest.raises(ValueError, match=match):
            rank_dark_places(places, lamps, at=AT, **kwargs)

    def test_geographic_crs_refused(self, places, lamps):
        with pytest.raises(ValueError, match="geographic CRS"):
            rank_dark_places(places.to_crs("EPSG:4326"), lamps, at=AT, audience="staff")

    def test_crs_mismatch(self, places, lamps):
        with pytest.raises(CRSError, match="CRS mismatch: places is EPSG:3011 and lamps is EPSG:3006"):
            rank_dark_places(places.to_crs("EPSG:3011"), lamps, at=AT, audience="staff")

    def test_unknown_source(self, places, lamps):
        with pytest.raises(ValueError, match=r"places\.source holds 'rumour'"):
            rank_dark_places(places.assign(source="rumour"), lamps, at=AT, audience="staff")


class TestClustersAndDark:
    def test_single_linkage_chain(self):
        xy = np.array([[0, 0], [90, 0], [180, 0], [270, 0], [1000, 0], [1050, 0]], dtype=float)
        out = incident_clusters(xy, cluster_m=100)
        assert out[["cluster_id", "size", "x", "y"]].values.tolist() == [["cluster-001", 4, 135.0, 0.0]]
        assert incident_clusters(xy, cluster_m=100, min_size=2)["size"].tolist() == [4, 2]

    def test_empty(self):
        assert incident_clusters(np.empty((0, 2))).empty

    def test_after_dark_window_crosses_midnight(self):
        moments = times("2026-06-21 17:59", "2026-06-21 18:00", "2026-06-22 05:59", "2026-06-22 06:00", None)
        assert after_dark(moments).tolist() == [False, True, True, False, False]
        assert after_dark(moments, dark_hours=(22, 5)).tolist() == [False, False, False, False, False]

    def test_after_dark_by_the_sun(self):
        moments = times("2026-06-21 21:30", "2026-06-21 22:45", "2026-12-21 15:30")
        assert after_dark(moments, sun=True).tolist() == [False, True, True]
        assert after_dark(moments).tolist() == [True, True, False]

    def test_window_needed(self):
        with pytest.raises(ValueError, match="dark_hours=None is not allowed without sun=True"):
            after_dark(times("2026-06-21 21:30"), dark_hours=None)


class TestFaultsAndRepairs:
    def test_open_faults_oldest_first(self, lamps):
        undated = lamps.iloc[[2]].copy()
        undated["id"] = "L7"
        undated["fault_reported_at"] = pd.Series(
            pd.NaT, index=undated.index, dtype=lamps["fault_reported_at"].dtype
        )
        out = open_fault_list(pd.concat([lamps, undated]), at=AT, lang="sv")
        assert out["id"].tolist() == ["L3", "L4", "L7"]
        assert out["age_days"].tolist()[:2] == [30.0, 11.0]
        assert np.isnan(out["age_days"].iloc[2])
        assert out["why"].tolist() == [
            "felanmäld 2026-09-01, dagar öppet: 30",
            "felanmäld 2026-09-20, dagar öppet: 11",
            "trasig, inget datum för felanmälan",
        ]

    def test_median_per_local_month(self):
        lamps = pd.DataFrame(
            {
                "fault_reported_at": times(
                    "2026-03-28 23:30", "2026-03-01", "2026-03-10", "2026-03-31 00:30", "2026-04-20"
                ).array,
                "fault_fixed_at": times(
                    "2026-03-30 23:30", "2026-03-02", "2026-03-20", "2026-04-01 00:30", None
                ).array,
            }
        )
        out = repair_times(
            lamps, start=pd.Timestamp("2026-03-01", tz=TZ), end=pd.Timestamp("2026-06-01", tz=TZ)
        )
        assert out["month"].tolist() == ["2026-03", "2026-04", "2026-05"]
        # 1 April 00:30 local is still 31 March in UTC: the local month counts
        assert out["repairs"].tolist() == [3, 1, 0]
        # 28 March 23:30 to 30 March 23:30 spans the spring change: 47 real hours
        assert out["median_days"].iloc[0] == pytest.approx(47 / 24, abs=0.005)
        assert out["max_days"].iloc[0] == 10.0
        assert out["median_days"].iloc[1] == 1.0
        assert np.isnan(out["median_days"].iloc[2])

    def test_repair_period_must_not_be_empty(self):
        with pytest.raises(ValueError, match="must be after start"):
            repair_times(pd.DataFrame({"fault_reported_at": [], "fault_fixed_at": []}), start=AT, end=AT)


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory) -> GeoPackageStore:
    """A kommun with one lamp, one unsafe place far from it and night incidents there."""
    store = GeoPackageStore(tmp_path_factory.mktemp("lighting") / "tiny.gpkg")
    store.write(
        "areas",
        gpd.GeoDataFrame(
            {"id": ["a1"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"], "population": [100]},
            geometry=[box(0, 0, 5000, 5000)],
            crs=CRS,
        ),
        source="test",
    )
    store.write(
        "lighting",
        gpd.GeoDataFrame({"id": ["l1"], "status": ["working"]}, geometry=[Point(100, 100)], crs=CRS),
        source="test",
    )
    store.write(
        "unsafe_places",
        gpd.GeoDataFrame(
            {
                "id": ["u1"],
                "reason": ["lighting"],
                "reported_at": times("2026-05-01").array,
                "status": ["approved"],
                "source": ["walk"],
            },
            geometry=[Point(3000, 3000)],
            crs=CRS,
        ),
        source="test",
    )
    xy = [(3010, 3000), (3000, 3020), (2990, 2985), (3020, 3015), (3005, 2995), (3000, 3000)]
    categories = ["vald_i_nara_relation"] * 4 + ["ran", "ran"]
    occurred = times(*["2026-09-10 23:00"] * 5, "2026-09-10 12:00")
    store.write(
        "incidents",
        gpd.GeoDataFrame(
            {
                "id": [f"i{i}" for i in range(6)],
                "occurred_at": occurred.array,
                "category": categories,
                "source": ["test"] * 6,
                "location_precision": ["exact"] * 6,
            },
            geometry=[Point(x, y) for x, y in xy],
            crs=CRS,
        ),
        source="test",
    )
    return store


class TestFromTheStore:
    def test_protected_incidents_count_only_for_protected(self, tiny_store):
        staff = build_worklists(tiny_store, "lighting", at="2026-10-01", audience="staff")
        protected = build_worklists(tiny_store, "lighting", at="2026-10-01", audience="protected")
        assert staff["places"].set_index("place_id").loc["u1", "night_incidents"] == 1
        assert protected["places"].set_index("place_id").loc["u1", "night_incidents"] == 5
        assert staff["places"]["source"].tolist() == ["unsafe_place"]  # one incident: no cluster
        assert protected["places"]["source"].tolist().count("incident_cluster") == 1

    def test_incident_points_never_leave(self, tiny_store):
        lists = build_worklists(tiny_store, "lighting", at="2026-10-01", audience="protected")
        incidents = {(3010, 3000), (3000, 3020), (2990, 2985), (3020, 3015), (3005, 2995)}
        assert sorted(lists.lists) == ["faults", "places", "repairs"]
        with_xy = [name for name, table in lists.lists.items() if "x" in table.columns]
        assert sorted(with_xy) == ["faults", "places"]
        assert len(lists.lists["places"]) > 0  # there are places, and none sits on an incident
        for name in with_xy:
            table = lists.lists[name]
            assert not set(zip(table["x"], table["y"], strict=True)) & incidents, name
        assert [name for name, table in lists.lists.items() if "geometry" in table.columns] == []

    def test_sun_and_window_options(self, tiny_store):
        night = build_worklists(
            tiny_store, "lighting", at="2026-10-01", audience="protected", dark_hours=(12, 13)
        )
        assert night["places"].set_index("place_id").loc["u1", "night_incidents"] == 1  # only the noon one
        sun = build_worklists(tiny_store, "lighting", at="2026-10-01", sun=True, audience="staff")
        assert sun.options["dark"] == "solnedgång till soluppgång"
