"""Camera work lists: a sector that covers one hot spot and misses another; permits; coverage."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, box

from geo.errors import CRSError
from geo.worklists.cameras import (
    CANDIDATE_COLUMNS,
    coverage_list,
    expiring_permits,
    hot_classes,
    uncovered_hotspots,
    unit_centres,
)

TZ = "Europe/Stockholm"
CRS = "EPSG:3006"
AT = pd.Timestamp("2026-10-01", tz=TZ)


@pytest.fixture
def picture() -> gpd.GeoDataFrame:
    """Five 250 m cells: A and B hot, C hot at 90 %, D not significant, E hot without incidents."""
    return gpd.GeoDataFrame(
        {
            "unit_id": ["A", "B", "C", "D", "E"],
            "name": ["A", "B", "C", "D", "E"],
            "gi_class": ["hot_99", "hot_95", "hot_90", "not_significant", "hot_99"],
            "gi_z": [4.2, 2.4, 1.8, 0.3, 3.0],
            "incidents": pd.array([30, 12, 40, 50, 0], dtype="Int64"),
            "camera_share": [0.06, 0.0, 0.0, 0.0, 0.0],
        },
        geometry=[
            box(0, 0, 250, 250),
            box(250, 0, 500, 250),
            box(500, 0, 750, 250),
            box(750, 0, 1000, 250),
            box(0, 250, 250, 500),
        ],
        crs=CRS,
    )


@pytest.fixture
def cameras() -> gpd.GeoDataFrame:
    """An active camera north-facing in A (sees A's centre, 45 m ahead); a planned one would see B."""
    return gpd.GeoDataFrame(
        {
            "id": ["cam-a", "cam-b", "cam-x"],
            "status": ["active", "planned", "removed"],
            "direction_deg": [0.0, 0.0, 90.0],
            "angle_deg": [90.0, 90.0, 360.0],
            "range_m": [70.0, 70.0, 400.0],
            "permit_valid_until": pd.to_datetime(["2027-01-31", None, "2025-01-01"]).tz_localize(TZ),
        },
        geometry=[Point(125, 80), Point(375, 80), Point(600, 100)],
        crs=CRS,
    )


class TestUncoveredHotspots:
    def test_sector_covers_one_hot_spot_and_misses_another(self, picture, cameras):
        out = uncovered_hotspots(picture, cameras)
        assert "A" not in out["unit_id"].tolist()  # its centre (125, 125) lies 45 m ahead of cam-a
        assert out["unit_id"].tolist() == ["C", "B"]  # planned and removed cameras cover nothing
        assert list(out.columns) == list(CANDIDATE_COLUMNS)
        row = out.set_index("unit_id").loc["B"]
        assert row["nearest_camera_m"] == 254.0  # hypot(250, 45)
        assert (row["x"], row["y"]) == (375, 125)

    def test_ranked_by_incidents_then_z(self, picture, cameras):
        out = uncovered_hotspots(picture, cameras)
        assert out["rank"].tolist() == [1, 2]
        assert out["incidents"].tolist() == [40, 12]

    def test_confidence_and_own_incidents(self, picture, cameras):
        assert uncovered_hotspots(picture, cameras, min_confidence=95)["unit_id"].tolist() == ["B"]
        assert uncovered_hotspots(picture, cameras, min_incidents=0)["unit_id"].tolist() == ["C", "B", "E"]

    def test_moving_the_camera_changes_the_answer(self, picture, cameras):
        turned = cameras.assign(direction_deg=[180.0, 0.0, 90.0])  # looks south, away from A's centre
        assert "A" in uncovered_hotspots(picture, turned)["unit_id"].tolist()

    def test_suppressed_count_weighs_as_one(self, picture, cameras):
        public = picture.assign(incidents=pd.array([30, pd.NA, 40, 50, 0], dtype="Int64"))
        out = uncovered_hotspots(public, cameras, lang="en").set_index("unit_id")
        assert out.loc["B", "incidents"] is pd.NA
        assert "fewer than 4" in out.loc["B", "why"]

    def test_why(self, picture, cameras):
        out = uncovered_hotspots(picture, cameras, lang="sv").set_index("unit_id")
        assert out.loc["B", "why"] == (
            "Hot spot 95 % (z = 2,40); händelser under perioden: 12; "
            "ingen kamera ser mitten, närmaste aktiva kamera 254 m bort"
        )
        none = uncovered_hotspots(picture, cameras.iloc[[1]], lang="en").set_index("unit_id")
        assert "; no active camera" in none.loc["A", "why"]
        assert np.isinf(none.loc["A", "nearest_camera_m"])

    def test_errors(self, picture, cameras):
        with pytest.raises(ValueError, match="min_confidence=80 is not allowed; allowed: 90, 95, 99"):
            uncovered_hotspots(picture, cameras, min_confidence=80)
        with pytest.raises(ValueError, match="lagesbild lacks column"):
            uncovered_hotspots(picture.drop(columns="gi_z"), cameras)
        with pytest.raises(CRSError):
            uncovered_hotspots(picture, cameras.to_crs("EPSG:3011"))


class TestCentres:
    def test_centroid_or_point_on_surface(self):
        ring = box(0, 0, 300, 300).difference(box(100, 100, 200, 200))
        centres = unit_centres(gpd.GeoDataFrame(geometry=[box(0, 0, 250, 250), ring], crs=CRS))
        assert centres[0].tolist() == [125.0, 125.0]
        assert ring.contains(Point(centres[1]))

    def test_hot_classes(self):
        assert hot_classes() == ("hot_99", "hot_95", "hot_90")


class TestPermits:
    @pytest.fixture
    def fleet(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {
                "id": ["c1", "c2", "c3", "c4", "c5", "c6", "c7"],
                "status": ["active", "active", "active", "active", "planned", "active", "active"],
                "permit_valid_until": pd.to_datetime(
                    ["2027-01-31", "2026-09-30", "2028-01-01", None, "2026-01-01", "2027-04-01", "2027-04-02"]
                ).tz_localize(TZ),
            },
            geometry=[Point(i, 0) for i in range(7)],
            crs=CRS,
        )

    def test_within_six_months(self, fleet):
        out = expiring_permits(fleet, at=AT)
        assert out["id"].tolist() == ["c4", "c2", "c1", "c6"]  # no permit, expired, then soonest
        assert out["days_left"].tolist()[1:] == [-1, 122, 182]
        assert out["days_left"].iloc[0] is pd.NA

    def test_months(self, fleet):
        assert expiring_permits(fleet, at=AT, months=0)["id"].tolist() == ["c4", "c2"]

    def test_why(self, fleet):
        out = expiring_permits(fleet, at=AT, lang="sv").set_index("id")["why"]
        assert out["c4"] == "inget tillstånd registrerat"
        assert out["c2"] == "tillståndet gick ut 2026-09-30 (dagar sedan: 1)"
        assert out["c1"] == "tillståndet gäller till 2027-01-31 (dagar kvar: 122)"

    def test_errors(self, fleet):
        with pytest.raises(ValueError, match="months=-1 is not allowed"):
            expiring_permits(fleet, at=AT, months=-1)
        with pytest.raises(ValueError, match=r"at=Timestamp.* is not allowed"):
            expiring_permits(fleet, at=pd.Timestamp("2026-10-01"))


class TestCoverage:
    def test_sectors_and_hot_spots_seen(self, picture, cameras):
        out = coverage_list(cameras, hotspots=picture)
        assert out["id"].tolist() == ["cam-a", "cam-b"]  # removed cameras are not drawn
        assert out["hotspots_seen"].tolist() == [1, 1]
        assert out.crs == cameras.crs
        assert out.geometry.iloc[0].contains(Point(125, 125))
        assert out["sector_area_m2"].iloc[0] == pytest.approx(np.pi * 70**2 / 4, rel=0.002)
        assert (out["x"].iloc[0], out["y"].iloc[0]) == (125, 80)

    def test_without_hot_spots(self, cameras):
        assert coverage_list(cameras)["hotspots_seen"].isna().all()
