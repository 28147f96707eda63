"""Darkness indicators (action 9): known-answer tests on hand-placed lamps and points."""

from __future__ import annotations

import doctest
import importlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from shapely import Point, box

from geo.analysis.indicators.darkness import (
    broken_lamps,
    darkness_by_unit,
    darkness_order,
    distance_to_working_lamp,
    lamps_by_unit,
    open_fault_mask,
    open_faults,
    working_lamps,
)
from geo.analysis.nearest import count_within, nearest_distance, points_xy
from geo.errors import CRSError

X0, Y0 = 660_000.0, 6_590_000.0  # a corner in Järfälla, EPSG:3006
TZ = "Europe/Stockholm"


def at_offset(text: str) -> pd.Timestamp:
    """A local time given with its UTC offset, so DST-ambiguous hours are exact."""
    return pd.Timestamp(text).tz_convert(TZ)


@pytest.fixture
def lamps() -> gpd.GeoDataFrame:
    # Relative positions; working lamps at (0,0), (30,40), (100,0).
    rel = [(0, 0), (30, 40), (100, 0), (10, 0), (0, 5)]
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", "d", "c", "e"],
            "status": ["working", "working", "working", "broken", "planned"],
        },
        geometry=[Point(X0 + x, Y0 + y) for x, y in rel],
        index=[10, 11, 12, 13, 14],
        crs="EPSG:3006",
    )


def points_at(*rel: tuple[float, float], crs: str | None = "EPSG:3006") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[Point(X0 + x, Y0 + y) for x, y in rel], crs=crs)


# Points and their nearest *working* lamp, by hand:
#   (0, 0)    -> a at 0          (planned e at 5 and broken c at 10 give no light)
#   (10, 0)   -> a at 10         (broken c at 0 ignored)
#   (30, 0)   -> a at 30         (b at 40, d at 70)
#   (60, 80)  -> b at 50         (3-4-5 triangle: dx 30, dy 40)
#   (100, 50) -> d at 50         (b: sqrt(70² + 10²) = 70.7)
HAND_POINTS = ((0, 0), (10, 0), (30, 0), (60, 80), (100, 50))
HAND_DISTANCES = (0.0, 10.0, 30.0, 50.0, 50.0)


class TestNearestDistance:
    def test_known_answers_on_arrays(self):
        targets = np.array([[0.0, 0.0], [30.0, 40.0], [100.0, 0.0]])
        got = nearest_distance(np.array(HAND_POINTS, dtype=float), targets)
        assert_allclose(got, HAND_DISTANCES)

    def test_no_targets_gives_inf(self):
        assert_array_equal(nearest_distance(np.array([[1.0, 2.0], [3.0, 4.0]]), np.empty((0, 2))),
                           [np.inf, np.inf])

    def test_non_finite_point_gives_nan_and_bad_target_ignored(self):
        got = nearest_distance(np.array([[np.nan, 0.0], [3.0, 4.0]]),
                               np.array([[0.0, 0.0], [np.nan, np.nan]]))
        assert np.isnan(got[0])
        assert got[1] == pytest.approx(5.0)

    @pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((2, 3))], ids=["1d", "three-columns"])
    def test_wrong_shape_refused(self, bad):
        with pytest.raises(ValueError, match=r"points_xy must have shape \(n, 2\); received shape"):
            nearest_distance(bad, np.zeros((1, 2)))


class TestDistanceToWorkingLamp:
    def test_broken_and_planned_lamps_are_ignored(self, lamps):
        got = distance_to_working_lamp(points_at(*HAND_POINTS), lamps)
        assert_allclose(got, HAND_DISTANCES)

    def test_no_working_lamp_gives_inf(self, lamps):
        dark = lamps[lamps["status"] != "working"]
        assert_array_equal(distance_to_working_lamp(points_at((0, 0), (5, 5)), dark), [np.inf, np.inf])

    def test_no_lamps_at_all_gives_inf(self, lamps):
        assert_array_equal(distance_to_working_lamp(points_at((0, 0)), lamps.iloc[:0]), [np.inf])

    def test_missing_and_empty_geometry_give_nan(self, lamps):
        points = gpd.GeoDataFrame(geometry=[Point(X0, Y0), None, Point()], crs="EPSG:3006")
        got = distance_to_working_lamp(points, lamps)
        assert got[0] == 0.0
        assert np.isnan(got[1:]).all()

    def test_aligned_with_input_order(self, lamps):
        rel = tuple(reversed(HAND_POINTS))
        assert_allclose(distance_to_working_lamp(points_at(*rel), lamps), tuple(reversed(HAND_DISTANCES)))

    def test_no_crs_refused(self, lamps):
        with pytest.raises(CRSError, match="points has no CRS"):
            distance_to_working_lamp(points_at((0, 0), crs=None), lamps)

    def test_geographic_crs_refused(self, lamps):
        points = gpd.GeoDataFrame(geometry=[Point(17.8, 59.4)], crs="EPSG:4326")
        with pytest.raises(CRSError, match=r"points is in a geographic CRS"):
            distance_to_working_lamp(points, lamps.to_crs("EPSG:4326"))

    def test_crs_mismatch_refused(self, lamps):
        with pytest.raises(CRSError, match=r"CRS mismatch: points is EPSG:3011 and lamps is EPSG:3006"):
            distance_to_working_lamp(points_at((0, 0), crs="EPSG:3011"), lamps)

    def test_non_point_geometry_refused(self, lamps):
        polygons = gpd.GeoDataFrame(geometry=[box(X0, Y0, X0 + 1, Y0 + 1)], crs="EPSG:3006")
        with pytest.raises(ValueError, match=r"points must hold Point geometries; received Polygon"):
            distance_to_working_lamp(polygons, lamps)


class TestLampSelection:
    def test_working_and_broken_keep_index_and_crs(self, lamps):
        working, broken = working_lamps(lamps), broken_lamps(lamps)
        assert working["id"].tolist() == ["a", "b", "d"]
        assert working.index.tolist() == [10, 11, 12]
        assert broken["id"].tolist() == ["c"]
        assert broken.crs == lamps.crs

    def test_unknown_status_refused(self, lamps):
        lamps.loc[10, "status"] = "flickering"
        with pytest.raises(ValueError, match=r"status 'flickering'; allowed: working, broken, planned"):
            working_lamps(lamps)

    def test_missing_status_column_refused(self, lamps):
        with pytest.raises(ValueError, match=r"lamps has no 'status' column"):
            broken_lamps(lamps.drop(columns="status"))

    def test_points_xy(self):
        xy = points_xy(gpd.GeoSeries([Point(1, 2), None, Point()]))
        assert_array_equal(xy[0], [1.0, 2.0])
        assert np.isnan(xy[1:]).all()


class TestCountWithin:
    TARGETS = np.array([[0.0, 0.0], [30.0, 40.0], [100.0, 0.0]])

    @pytest.mark.parametrize(("radius", "expected"), [(49.9, 1), (50.0, 2), (100.0, 3), (0.0, 1)])
    def test_radius_is_inclusive(self, radius, expected):
        assert count_within(np.array([[0.0, 0.0]]), self.TARGETS, radius).tolist() == [expected]

    def test_per_point_and_non_finite(self):
        got = count_within(np.array([[100.0, 0.0], [np.nan, 0.0], [500.0, 500.0]]), self.TARGETS, 75.0)
        assert got.tolist() == [1, 0, 0]
        assert got.dtype == np.int64

    def test_no_targets(self):
        assert count_within(np.array([[0.0, 0.0]]), np.empty((0, 2)), 10.0).tolist() == [0]

    @pytest.mark.parametrize("radius", [-1.0, np.inf, np.nan, "far"])
    def test_bad_radius_refused(self, radius):
        with pytest.raises(ValueError, match=r"radius=.* is not allowed; expected a finite number of metres"):
            count_within(np.zeros((1, 2)), self.TARGETS, radius)


@pytest.fixture
def faulty_lamps() -> gpd.GeoDataFrame:
    """Faults around both DST changes of 2026, given with explicit UTC offsets.

    - spring: reported 2026-03-29 01:30+01:00 (00:30 UTC), fixed 03:30+02:00 (01:30 UTC),
      one real hour later although the wall clock moved two hours;
    - autumn: reported at the first 02:30 (+02:00, 00:30 UTC), fixed at the second 02:30
      (+01:00, 01:30 UTC), one real hour later at the same wall-clock time;
    - never: no fault at all;
    - still: reported 2026-01-10, never fixed.
    """
    reported = [at_offset("2026-03-29T01:30+01:00"), at_offset("2026-10-25T02:30+02:00"), pd.NaT,
                at_offset("2026-01-10T08:00+01:00")]
    fixed = [at_offset("2026-03-29T03:30+02:00"), at_offset("2026-10-25T02:30+01:00"), pd.NaT, pd.NaT]
    return gpd.GeoDataFrame(
        {
            "id": ["spring", "autumn", "never", "still"],
            "status": ["broken", "broken", "working", "broken"],
            "fault_reported_at": pd.Series(reported, dtype=f"datetime64[ns, {TZ}]"),
            "fault_fixed_at": pd.Series(fixed, dtype=f"datetime64[ns, {TZ}]"),
        },
        geometry=[Point(X0 + i, Y0) for i in range(4)],
        crs="EPSG:3006",
    )


class TestOpenFaults:
    @pytest.mark.parametrize(
        ("at", "expected"),
        [
            ("2026-03-29T01:29+01:00", ["still"]),  # before the spring report
            ("2026-03-29T01:45+01:00", ["spring", "still"]),
            ("2026-03-29T03:15+02:00", ["spring", "still"]),  # 01:15 UTC: 15 real minutes before the fix
            ("2026-03-29T01:20+00:00", ["spring", "still"]),  # the same kind of instant given in UTC
            ("2026-03-29T03:30+02:00", ["still"]),  # fixed exactly at `at`: closed
            ("2026-10-25T02:45+02:00", ["autumn", "still"]),  # first 02:45
            ("2026-10-25T02:15+01:00", ["autumn", "still"]),  # second 02:15: earlier clock, later instant
            ("2026-10-25T02:40+01:00", ["still"]),  # second 02:40: after the fix
        ],
    )
    def test_open_at_instants_across_dst(self, faulty_lamps, at, expected):
        assert open_faults(faulty_lamps, at=at_offset(at))["id"].tolist() == expected

    def test_mask_aligned_and_frame_keeps_crs(self, faulty_lamps):
        at = at_offset("2026-03-29T01:45+01:00")
        assert open_fault_mask(faulty_lamps, at=at).tolist() == [True, False, False, True]
        assert open_faults(faulty_lamps, at=at).crs == faulty_lamps.crs

    def test_all_empty_fault_columns_mean_no_faults(self, faulty_lamps):
        frame = faulty_lamps.assign(fault_reported_at=None, fault_fixed_at=None)
        assert not open_fault_mask(frame, at=at_offset("2026-06-01T12:00+02:00")).any()

    @pytest.mark.parametrize("at", [pd.Timestamp("2026-03-29 12:00"), "2026-03-29", None],
                             ids=["naive", "string", "none"])
    def test_bad_at_refused(self, faulty_lamps, at):
        with pytest.raises(ValueError, match=r"at=.* is not allowed; expected a tz-aware pandas.Timestamp"):
            open_faults(faulty_lamps, at=at)

    def test_naive_column_refused(self, faulty_lamps):
        frame = faulty_lamps.assign(fault_reported_at=faulty_lamps["fault_reported_at"].dt.tz_localize(None))
        with pytest.raises(ValueError, match=r"lamps.fault_reported_at has dtype datetime64.*naive times"):
            open_faults(frame, at=at_offset("2026-03-29T12:00+02:00"))

    def test_missing_column_refused(self, faulty_lamps):
        with pytest.raises(ValueError, match=r"lamps has no 'fault_fixed_at' column"):
            open_faults(faulty_lamps.drop(columns="fault_fixed_at"), at=at_offset("2026-03-29T12:00+02:00"))


# Per unit, by hand (n_units = 4):
#   unit 0: 10, 80, 30, 60 -> all: sorted 10 30 60 80, median 45, over 50: 2/4;
#           masked (60 dropped): 10 30 80, median 30, over 50: 1/3
#   unit 1: 5, 7, inf (no working lamp at all) -> median 7, over 50: 1/3
#   unit 2: one NaN distance (no geometry) -> not counted: NaN, NaN, 0
#   unit 3: no points -> NaN, NaN, 0
#   the point with unit -1 lies outside every unit and is never counted
UNIT_INDEX = np.array([0, 1, 0, 0, 1, 2, 0, -1, 1])
DISTANCES = np.array([10.0, 5.0, 80.0, 30.0, np.inf, np.nan, 60.0, 99.0, 7.0])
MASK = np.array([True, True, True, True, True, True, False, True, True])


class TestDarknessByUnit:
    @pytest.mark.parametrize("with_order", [False, True], ids=["sort-per-call", "prepared-order"])
    @pytest.mark.parametrize(
        ("mask", "median0", "share0", "counted0"),
        [(None, 45.0, 0.5, 4), (MASK, 30.0, 1 / 3, 3)],
        ids=["all", "masked"],
    )
    def test_known_answers(self, with_order, mask, median0, share0, counted0):
        order = darkness_order(UNIT_INDEX, DISTANCES) if with_order else None
        out = darkness_by_unit(UNIT_INDEX, DISTANCES, 4, mask=mask, order=order)
        assert out.columns.tolist() == ["dark_median_m", "dark_share_far", "points_counted"]
        assert out.index.tolist() == [0, 1, 2, 3]
        assert_allclose(out["dark_median_m"], [median0, 7.0, np.nan, np.nan])
        assert_allclose(out["dark_share_far"], [share0, 1 / 3, np.nan, np.nan])
        assert out["points_counted"].tolist() == [counted0, 3, 0, 0]

    def test_threshold_is_an_argument_and_recorded(self):
        out = darkness_by_unit(UNIT_INDEX, DISTANCES, 4, dark_threshold_m=30)
        assert out.attrs["dark_threshold_m"] == 30.0
        assert_allclose(out["dark_share_far"].iloc[0], 2 / 4)  # 30 itself is not over 30

    def test_point_exactly_at_threshold_is_not_dark(self):
        out = darkness_by_unit(np.array([0]), np.array([50.0]), 1)
        assert out["dark_share_far"].tolist() == [0.0]

    def test_order_skips_outside_and_nan(self):
        order = darkness_order(UNIT_INDEX, DISTANCES)
        assert order.positions.tolist() == [0, 3, 6, 2, 1, 8, 4]
        assert order.units.tolist() == [0, 0, 0, 0, 1, 1, 1]
        assert order.n_points == 9

    def test_order_of_other_points_refused(self):
        order = darkness_order(UNIT_INDEX, DISTANCES)
        expected = (r"order was built for 9 points in at least 2 units, not for these 8 points in 4 units; "
                    r"build it again with darkness_order\(\)")
        with pytest.raises(ValueError, match=expected):
            darkness_by_unit(UNIT_INDEX[:-1], DISTANCES[:-1], 4, order=order)

    def test_order_for_more_units_refused(self):
        order = darkness_order(np.where(UNIT_INDEX >= 0, UNIT_INDEX + 5, -1), DISTANCES)
        with pytest.raises(ValueError, match=r"order was built for 9 points in at least 7 units"):
            darkness_by_unit(UNIT_INDEX, DISTANCES, 4, order=order)

    def test_order_must_be_a_darkness_order(self):
        with pytest.raises(ValueError, match=r"order must be a DarknessOrder from darkness_order\(\)"):
            darkness_by_unit(UNIT_INDEX, DISTANCES, 4, order=np.arange(9))

    def test_no_points(self):
        out = darkness_by_unit(np.array([], dtype=int), np.array([]), 2)
        assert out["points_counted"].tolist() == [0, 0]
        assert out["dark_median_m"].isna().all()

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"unit_index": UNIT_INDEX.astype(float)}, r"unit_index must be a 1-D integer array"),
            ({"unit_index": UNIT_INDEX + 1}, r"unit_index holds values from 0 to 3; allowed: -1 to 2"),
            ({"n_units": 3, "unit_index": UNIT_INDEX - 1},
             r"unit_index holds values from -2 to 1; allowed: -1 to 2"),
            ({"distances": DISTANCES[:-1]}, r"distances has shape \(8,\); expected \(9,\)"),
            ({"mask": MASK.astype(int)}, r"mask must be a boolean array of shape \(9,\)"),
            ({"n_units": -1}, r"n_units=-1 is not allowed"),
            ({"n_units": 3.0}, r"n_units=3.0 is not allowed"),
            ({"dark_threshold_m": -5}, r"dark_threshold_m=-5 is not allowed"),
        ],
        ids=["float-index", "index-too-high", "index-below-minus-one", "length", "mask-dtype",
             "negative-n", "float-n", "threshold"],
    )
    def test_bad_arguments_refused(self, kwargs, match):
        arguments = {"unit_index": UNIT_INDEX, "distances": DISTANCES, "n_units": 3} | kwargs
        with pytest.raises(ValueError, match=match):
            darkness_by_unit(**arguments)


class TestLampsByUnit:
    def test_known_counts(self):
        index = np.array([0, 0, 0, 1, 1, -1, 2])
        status = np.array(["working", "broken", "broken", "planned", "working", "broken", None], dtype=object)
        faults = np.array([False, True, False, True, False, True, True])
        out = lamps_by_unit(index, status, 4, faults)
        assert out.to_dict("list") == {
            "lamps_working": [1, 1, 0, 0],
            "lamps_broken": [2, 0, 0, 0],
            "lamp_faults_open": [1, 1, 1, 0],
        }

    def test_from_a_lamp_layer(self, faulty_lamps):
        # lamps at x = 0, 1 fall in unit 0, x = 2, 3 in unit 1
        index = np.where(points_xy(faulty_lamps)[:, 0] < X0 + 1.5, 0, 1)
        faults = open_fault_mask(faulty_lamps, at=at_offset("2026-10-25T02:45+02:00"))
        out = lamps_by_unit(index, faulty_lamps["status"].to_numpy(), 2, faults)
        assert out["lamps_broken"].tolist() == [2, 1]
        assert out["lamp_faults_open"].tolist() == [1, 1]

    def test_unknown_status_refused(self):
        with pytest.raises(ValueError, match=r"status_array holds unknown status 'lit'; allowed: working"):
            lamps_by_unit(np.array([0]), np.array(["lit"]), 1, np.array([False]))

    def test_lengths_must_match(self):
        with pytest.raises(ValueError, match=r"status_array has 2 values; expected 1"):
            lamps_by_unit(np.array([0]), np.array(["working", "broken"]), 1, np.array([False]))


@pytest.mark.parametrize("with_mask", [False, True], ids=["all", "masked"])
@pytest.mark.parametrize("with_order", [False, True], ids=["sort-per-call", "prepared-order"])
def test_matches_pandas_groupby_on_random_data(with_mask, with_order):
    rng = np.random.default_rng(77)
    n = 5_000
    index = rng.integers(-1, 50, size=n)
    distances = rng.gamma(2.0, 30.0, size=n)
    distances[rng.random(n) < 0.01] = np.nan
    distances[rng.random(n) < 0.01] = np.inf
    mask = rng.random(n) < 0.6 if with_mask else None
    order = darkness_order(index, distances) if with_order else None
    out = darkness_by_unit(index, distances, 52, mask=mask, order=order)
    keep = (index >= 0) & ~np.isnan(distances) & (True if mask is None else mask)
    groups = pd.Series(distances[keep]).groupby(index[keep])
    assert_allclose(out["dark_median_m"], groups.median().reindex(range(52)))
    assert_allclose(out["dark_share_far"], groups.apply(lambda d: (d > 50).mean()).reindex(range(52)))
    assert out["points_counted"].tolist() == groups.size().reindex(range(52), fill_value=0).tolist()


@pytest.mark.parametrize("module", ["geo.analysis.indicators.darkness", "geo.analysis.nearest"])
def test_doctests_pass(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
