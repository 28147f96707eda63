"""Camera view sectors and coverage (action 6): known answers worked out by hand."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from numpy.testing import assert_allclose
from shapely import Point, box

from geo.analysis.indicators.cameras import covered_share, in_view_by_unit, points_in_sectors, view_sectors
from geo.errors import CRSError

X0, Y0 = 660_000.0, 6_590_000.0  # a corner in Järfälla, EPSG:3006
RANGE = 100.0


def area_tolerance(resolution_deg: float) -> float:
    """Relative area deficit of an arc drawn with chords at most ``resolution_deg`` apart."""
    step = math.radians(resolution_deg)
    return 1.0 - math.sin(step) / step


def cameras(*rows: tuple[str, float, float, float, tuple[float, float]],
            crs: str | None = "EPSG:3006") -> gpd.GeoDataFrame:
    """Rows of (status, direction_deg, angle_deg, range_m, (x, y) relative to X0, Y0)."""
    return gpd.GeoDataFrame(
        {
            "id": [f"k{i}" for i in range(len(rows))],
            "status": [r[0] for r in rows],
            "direction_deg": [r[1] for r in rows],
            "angle_deg": [r[2] for r in rows],
            "range_m": [r[3] for r in rows],
        },
        geometry=[Point(X0 + r[4][0], Y0 + r[4][1]) for r in rows],
        crs=crs,
    )


@pytest.fixture
def east_camera() -> gpd.GeoDataFrame:
    """An active camera at the origin facing east (90°), 90° wide, 100 m, plus a removed one facing west."""
    return cameras(("active", 90.0, 90.0, RANGE, (0, 0)), ("removed", 270.0, 90.0, RANGE, (0, 0)))


def rel(*points: tuple[float, float]) -> np.ndarray:
    return np.array([(X0 + x, Y0 + y) for x, y in points])


class TestViewSectors:
    # The sector covers bearings 45..135 (|y| <= x) within 100 m. By hand:
    #   (50, 0)   bearing 90, 50 m                        -> in view
    #   (0, 50)   bearing 0 (north)                       -> not
    #   (-50, 0)  bearing 270: only the removed camera    -> not
    #   (70, 69)  bearing 45.4° (< 45° from east), 98.3 m -> in view
    #             (the chord 45°-50° lies 99.97 m out at that bearing)
    #   (60, 61)  bearing 44.5° (> 45° from east)         -> not
    #   (0, 0)    the camera itself, a vertex             -> in view
    #   (100, 0)  on the arc, a vertex at bearing 90      -> in view
    #   (101, 0)  beyond the range                        -> not
    @pytest.mark.parametrize(
        ("point", "expected"),
        [((50, 0), True), ((0, 50), False), ((-50, 0), False), ((70, 69), True), ((60, 61), False),
         ((0, 0), True), ((100, 0), True), ((101, 0), False)],
    )
    def test_points_by_hand(self, east_camera, point, expected):
        assert points_in_sectors(rel(point), view_sectors(east_camera)).tolist() == [expected]

    @pytest.mark.parametrize("resolution", [1.0, 5.0, 10.0, 30.0])
    def test_area_is_a_quarter_disc_within_resolution(self, east_camera, resolution):
        sector = view_sectors(east_camera, resolution_deg=resolution)
        exact = math.pi * RANGE**2 / 4
        area = float(sector.area.iloc[0])
        assert area <= exact  # the arc is inscribed: coverage never overstated
        # the deficit of n equal chords is exactly exact * (1 - sin(step) / step); allow rounding
        assert exact - area <= exact * area_tolerance(resolution) * (1 + 1e-6)

    def test_full_circle_is_a_disc(self):
        sector = view_sectors(cameras(("active", 0.0, 360.0, RANGE, (0, 0))), resolution_deg=5.0)
        geom = sector.iloc[0]
        assert geom.is_valid
        assert shapely.get_num_coordinates(geom) == 72 + 1  # 72 vertices, closed
        assert math.pi * RANGE**2 - geom.area <= math.pi * RANGE**2 * area_tolerance(5.0) * (1 + 1e-6)
        assert geom.area < math.pi * RANGE**2
        angles = np.radians(np.arange(0, 360, 7.0))
        ring = rel(*zip(99.0 * np.sin(angles), 99.0 * np.cos(angles), strict=True))
        assert points_in_sectors(ring, sector).all()

    def test_sector_across_north(self):
        # direction 350°, 40° wide: bearings 330..10
        sector = view_sectors(cameras(("active", 350.0, 40.0, RANGE, (0, 0))))
        bearings = np.radians([5.0, 20.0, 335.0, 320.0])
        points = rel(*zip(50 * np.sin(bearings), 50 * np.cos(bearings), strict=True))
        assert points_in_sectors(points, sector).tolist() == [True, False, True, False]

    def test_direction_360_equals_0(self):
        a = view_sectors(cameras(("active", 0.0, 60.0, RANGE, (0, 0)))).iloc[0]
        b = view_sectors(cameras(("active", 360.0, 60.0, RANGE, (0, 0)))).iloc[0]
        assert a.symmetric_difference(b).area < 1e-6

    def test_removed_ignored_and_planned_on_request(self):
        frame = cameras(("active", 90.0, 90.0, RANGE, (0, 0)), ("removed", 270.0, 90.0, RANGE, (0, 0)),
                        ("planned", 0.0, 90.0, RANGE, (0, 0)))
        assert view_sectors(frame).index.tolist() == [0]
        with_planned = view_sectors(frame, include_planned=True)
        assert with_planned.index.tolist() == [0, 2]
        assert points_in_sectors(rel((0, 50), (-50, 0)), with_planned).tolist() == [True, False]

    def test_contract_index_crs_and_types(self):
        frame = cameras(("active", 90.0, 90.0, RANGE, (0, 0)), ("active", 10.0, 1.0, 5.0, (500, 500)))
        frame.index = ["x", "y"]
        sectors = view_sectors(frame)
        assert sectors.index.tolist() == ["x", "y"]
        assert sectors.crs == frame.crs
        assert (sectors.geom_type == "Polygon").all()
        assert sectors.is_valid.all()

    def test_no_cameras(self):
        sectors = view_sectors(cameras(("removed", 0.0, 90.0, RANGE, (0, 0))))
        assert len(sectors) == 0
        assert points_in_sectors(rel((0, 1)), sectors).tolist() == [False]

    def test_geographic_crs_refused(self, east_camera):
        with pytest.raises(CRSError, match=r"cameras is in a geographic CRS"):
            view_sectors(east_camera.to_crs("EPSG:4326"))

    def test_missing_crs_refused(self):
        with pytest.raises(CRSError, match=r"cameras has no CRS"):
            view_sectors(cameras(("active", 90.0, 90.0, RANGE, (0, 0)), crs=None))

    @pytest.mark.parametrize(
        ("column", "value", "match"),
        [
            ("angle_deg", 0.0, r"cameras.angle_deg is 0.0 in row 0; allowed: a number from 1 to 360"),
            ("range_m", 600.0, r"cameras.range_m is 600.0 in row 0; allowed: a number from 1 to 500"),
            ("direction_deg", np.nan, r"cameras.direction_deg is nan in row 0"),
            ("status", "broken", r"cameras.status holds unknown value\(s\) 'broken'; allowed: active"),
        ],
    )
    def test_bad_values_refused(self, east_camera, column, value, match):
        east_camera.loc[0, column] = value
        with pytest.raises(ValueError, match=match):
            view_sectors(east_camera)

    def test_missing_column_refused(self, east_camera):
        with pytest.raises(ValueError, match=r"cameras lacks column\(s\) range_m"):
            view_sectors(east_camera.drop(columns="range_m"))

    @pytest.mark.parametrize("resolution", [0.0, -5.0, 91.0, "fine"])
    def test_bad_resolution_refused(self, east_camera, resolution):
        with pytest.raises(ValueError, match=r"resolution_deg=.* not allowed; expected degrees in \(0, 90\]"):
            view_sectors(east_camera, resolution_deg=resolution)

    def test_camera_without_position_refused(self, east_camera):
        east_camera.loc[0, "geometry"] = None
        with pytest.raises(ValueError, match=r"cameras row 0 has no position"):
            view_sectors(east_camera)


# The 100 x 100 unit [0, 100] x [-50, 50] against the east-facing sector: the part with
# |y| <= x inside the circle. Upper half: ∫0..50 x dx = 1250, plus 50·(50√3 − 50) for
# x in [50, 86.6], plus the circular segment 5000·π/6 − 1250√3 beyond; doubled and divided
# by 10 000: share = −1/4 + √3/4 + π/6 = 0.70661.
SQUARE_SHARE = -0.25 + math.sqrt(3) / 4 + math.pi / 6


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unit_id": ["square", "far", "west"]},
        geometry=[box(X0, Y0 - 50, X0 + 100, Y0 + 50), box(X0 + 1000, Y0, X0 + 1100, Y0 + 100),
                  box(X0 - 100, Y0 - 50, X0, Y0 + 50)],
        crs="EPSG:3006",
    )


class TestCoveredShare:
    def test_square_by_hand(self, units, east_camera):
        share = covered_share(units, view_sectors(east_camera))
        tolerance = math.pi * RANGE**2 / 4 * area_tolerance(5.0) / 100**2
        assert share[0] == pytest.approx(SQUARE_SHARE, abs=tolerance)
        assert share[0] <= SQUARE_SHARE
        assert share[1:].tolist() == [0.0, 0.0]  # far away; west only seen by the removed camera

    def test_overlapping_sectors_not_double_counted(self, units, east_camera):
        twice = cameras(("active", 90.0, 90.0, RANGE, (0, 0)), ("active", 90.0, 90.0, RANGE, (0, 0)))
        assert_allclose(covered_share(units, view_sectors(twice)),
                        covered_share(units, view_sectors(east_camera)))

    def test_full_cover_is_one(self, units):
        disc = view_sectors(cameras(("active", 0.0, 360.0, 500.0, (50, 0))))
        assert covered_share(units, disc).tolist() == [1.0, 0.0, 1.0]

    def test_no_sectors_and_empty_unit(self, units):
        units.loc[2, "geometry"] = None
        empty = gpd.GeoSeries([], crs="EPSG:3006")
        share = covered_share(units, empty)
        assert share[:2].tolist() == [0.0, 0.0]
        assert np.isnan(share[2])

    def test_crs_mismatch_refused(self, units, east_camera):
        with pytest.raises(CRSError, match=r"CRS mismatch: units is EPSG:3006 and sectors is EPSG:3011"):
            covered_share(units, view_sectors(east_camera).set_crs("EPSG:3011", allow_override=True))

    def test_sectors_must_be_geoseries(self, units):
        with pytest.raises(ValueError, match=r"sectors must be a GeoSeries \(from view_sectors\); received"):
            covered_share(units, [box(0, 0, 1, 1)])


class TestPointsAndUnits:
    def test_non_finite_points_are_not_in_view(self, east_camera):
        xy = np.vstack([rel((50, 0)), [[np.nan, np.nan]]])
        assert points_in_sectors(xy, view_sectors(east_camera)).tolist() == [True, False]

    def test_points_shape_checked(self, east_camera):
        with pytest.raises(ValueError, match=r"points_xy must have shape \(n, 2\); received shape \(3,\)"):
            points_in_sectors(np.zeros(3), view_sectors(east_camera))

    def test_in_view_by_unit_by_hand(self):
        index = np.array([0, 0, 0, 1, 1, -1, 2])
        seen = np.array([True, False, True, False, False, True, True])
        mask = np.array([True, True, False, True, True, True, True])
        out = in_view_by_unit(index, seen, 4, mask=mask)
        # unit 0: points 0, 1 selected, one seen; unit 1: none seen; unit 2: one of one
        assert out["points_in_view"].tolist() == [1, 0, 1, 0]
        assert_allclose(out["points_in_view_share"], [0.5, 0.0, 1.0, np.nan])

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"in_view": np.array([1, 0])}, r"in_view must be a boolean array of shape \(2,\)"),
            ({"unit_index": np.array([0, 5])}, r"unit_index holds values from 0 to 5; allowed: -1 to 1"),
            ({"mask": np.array([True])}, r"mask must be a boolean array of shape \(2,\)"),
        ],
    )
    def test_in_view_by_unit_checks(self, kwargs, match):
        arguments = {"unit_index": np.array([0, 1]), "in_view": np.array([True, False]), "n_units": 2}
        with pytest.raises(ValueError, match=match):
            in_view_by_unit(**(arguments | kwargs))
