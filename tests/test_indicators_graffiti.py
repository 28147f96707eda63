"""Graffiti removal times and the 72-hour deadline (action 7): known answers across DST."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from geo import settings
from geo.analysis.indicators.graffiti import (
    deadline_hours_for,
    graffiti_by_unit,
    hours_to_removal,
    within_deadline,
)

TZ = "Europe/Stockholm"
LOCAL = f"datetime64[ns, {TZ}]"


def local(*texts: str | None) -> pd.Series:
    """Wall-clock times in Stockholm (None for NaT)."""
    return pd.Series(pd.to_datetime(list(texts)).tz_localize(TZ), dtype=LOCAL)


class TestHoursToRemoval:
    @pytest.mark.parametrize(
        ("reported", "removed", "hours", "in_time"),
        [
            # spring forward on 2026-03-29: 72.5 wall-clock hours are 71.5 real hours
            ("2026-03-28 20:00", "2026-03-31 20:30", 71.5, True),
            # fall back on 2026-10-25: 72 wall-clock hours are 73 real hours
            ("2026-10-23 20:00", "2026-10-26 20:00", 73.0, False),
            # no DST change: exactly 72 hours is in time (the deadline is inclusive)
            ("2026-06-01 08:00", "2026-06-04 08:00", 72.0, True),
        ],
        ids=["spring-forward", "fall-back", "plain-72h"],
    )
    def test_real_hours_across_dst(self, reported, removed, hours, in_time):
        got = hours_to_removal(local(reported), local(removed))
        assert got.tolist() == [hours]
        assert within_deadline(got).tolist() == [in_time]

    def test_zones_do_not_matter(self):
        reported = local("2026-03-28 20:00")
        removed = local("2026-03-31 20:30").dt.tz_convert("UTC")
        assert hours_to_removal(reported, removed).tolist() == [71.5]

    def test_open_report_is_nan(self):
        got = hours_to_removal(local("2026-06-01 08:00", "2026-06-01 09:00"), local(None, "2026-06-01 10:00"))
        assert np.isnan(got[0])
        assert got[1] == 1.0

    def test_all_open_column_of_any_dtype(self):
        got = hours_to_removal(local("2026-06-01 08:00"), pd.Series([None], dtype=object))
        assert np.isnan(got).all()

    @pytest.mark.parametrize("which", ["reported_at", "removed_at"])
    def test_naive_refused(self, which):
        arguments = {"reported_at": local("2026-06-01 08:00"), "removed_at": local("2026-06-02 08:00")}
        arguments[which] = arguments[which].dt.tz_localize(None)
        with pytest.raises(ValueError, match=rf"{which} holds naive timestamps .*localize_naive\(\)"):
            hours_to_removal(**arguments)

    def test_strings_refused(self):
        with pytest.raises(ValueError, match=r"reported_at has dtype .*; expected tz-aware datetimes"):
            hours_to_removal(pd.Series(["2026-06-01 08:00"]), local("2026-06-02 08:00"))

    def test_removal_before_report_refused(self):
        reported = local("2026-06-01 08:00", "2026-06-03 08:00")
        reported.index = ["g1", "g2"]
        with pytest.raises(ValueError, match=r"removed_at is before reported_at in 1 row\(s\), first 'g2'"):
            hours_to_removal(reported, local("2026-06-02 08:00", "2026-06-02 08:00"))

    def test_lengths_must_match(self):
        with pytest.raises(ValueError, match=r"removed_at has 1 values; expected 2"):
            hours_to_removal(local("2026-06-01 08:00", "2026-06-01 09:00"), local("2026-06-02 08:00"))


class TestWithinDeadline:
    def test_default_is_the_setting_read_at_call_time(self, monkeypatch):
        hours = np.array([48.0, 72.0, 72.5, np.nan])
        assert within_deadline(hours).tolist() == [True, True, False, pd.NA]
        monkeypatch.setattr(settings, "graffiti_deadline_hours", 48.0)
        assert within_deadline(hours).tolist() == [True, False, False, pd.NA]

    def test_returns_a_boolean_array(self):
        got = within_deadline(np.array([1.0, 72.0, 72.5, np.nan]), 72.0)
        pd.testing.assert_extension_array_equal(got, pd.array([True, True, False, pd.NA], dtype="boolean"))

    def test_per_report_deadlines(self):
        got = within_deadline(np.array([30.0, 30.0]), np.array([24.0, 72.0]))
        assert got.tolist() == [False, True]

    @pytest.mark.parametrize(
        ("deadline", "match"),
        [
            (0.0, r"deadline_hours=0.0 is not allowed; expected a positive number of hours"),
            (-1, r"deadline_hours=-1 is not allowed"),
            (np.inf, r"deadline_hours=inf is not allowed"),
            ("72", r"deadline_hours='72' is not allowed"),
            (np.array([72.0, 72.0, 72.0]), r"deadline_hours=an array of shape \(3,\) is not allowed; "
                                           r"expected a positive number of hours, or an array of 2"),
        ],
    )
    def test_bad_deadline_refused(self, deadline, match):
        with pytest.raises(ValueError, match=match):
            within_deadline(np.array([1.0, 2.0]), deadline)


class TestDeadlineHoursFor:
    @pytest.fixture
    def reports(self) -> pd.DataFrame:
        return pd.DataFrame({
            "object_kind": ["school", "other", "pedestrian_tunnel", "other"],
            "offensive": pd.array([True, True, False, None], dtype="boolean"),
        })

    def test_offensive_shorter_and_missing_means_not(self, reports):
        assert deadline_hours_for(reports).tolist() == [24.0, 24.0, 72.0, 72.0]

    def test_per_kind_and_offensive_take_the_shorter(self, reports):
        got = deadline_hours_for(reports, per_kind={"school": 48.0, "pedestrian_tunnel": 12.0},
                                 offensive_hours=24.0)
        assert got.tolist() == [24.0, 24.0, 12.0, 72.0]

    def test_no_offensive_rule_and_default(self, reports):
        got = deadline_hours_for(reports, default=96.0, offensive_hours=None)
        assert got.tolist() == [96.0] * 4

    def test_offensive_removed_after_30h_is_late(self, reports):
        deadlines = deadline_hours_for(reports.iloc[:1])
        hours = hours_to_removal(local("2026-06-01 08:00"), local("2026-06-02 14:00"))
        assert hours.tolist() == [30.0]
        assert within_deadline(hours, deadlines).tolist() == [False]
        assert within_deadline(hours).tolist() == [True]  # an ordinary report would be in time

    def test_unknown_kind_refused(self, reports):
        with pytest.raises(ValueError, match=r"per_kind has unknown object kind\(s\) 'bridge'; allowed: sch"):
            deadline_hours_for(reports, per_kind={"bridge": 24.0})

    def test_missing_column_refused(self, reports):
        with pytest.raises(ValueError, match=r"frame has no 'offensive' column, needed by offensive_hours"):
            deadline_hours_for(reports.drop(columns="offensive"))

    def test_bad_hours_refused(self, reports):
        with pytest.raises(ValueError, match=r"per_kind\['school'\]=-3 is not allowed"):
            deadline_hours_for(reports, per_kind={"school": -3})


# A March 2026 picture taken at 2026-04-01 00:00 (period [03-01, 04-01)):
#   r1 unit 0: 03-28 20:00 -> 03-31 20:30   71.5 h across spring forward: removed in time
#   r2 unit 0: 03-10 08:00 -> 03-14 08:00   96 h: removed late
#   r3 unit 0: 03-30 12:00, open            open, 36 h old at `at`: not overdue
#   r4 unit 0: 02-20 10:00, open            before the period: backlog only, overdue
#   r5 unit 1: 03-05 10:00 -> 03-06 10:00   24 h: removed in time
#   r6 unit 1: 03-31 22:00 -> 04-02 10:00   removed after `at`: open at `at`, 2 h old
#   r7 outside every unit, open             never counted
# unit 0: 3 reports, 2 open, 1 overdue, 2 removed, share 1/2
# unit 1: 2 reports, 1 open, 0 overdue, 1 removed, share 1
# unit 2: nothing, share NaN
UNIT_INDEX = np.array([0, 0, 0, 0, 1, 1, -1])
REPORTED = local("2026-03-28 20:00", "2026-03-10 08:00", "2026-03-30 12:00", "2026-02-20 10:00",
                 "2026-03-05 10:00", "2026-03-31 22:00", "2026-03-10 09:00")
REMOVED = local("2026-03-31 20:30", "2026-03-14 08:00", None, None, "2026-03-06 10:00",
                "2026-04-02 10:00", None)
PERIOD = {
    "period_start": pd.Timestamp("2026-03-01", tz=TZ),
    "period_end": pd.Timestamp("2026-04-01", tz=TZ),
    "at": pd.Timestamp("2026-04-01", tz=TZ),
}
COLUMNS = ["graffiti_reports", "graffiti_open", "graffiti_overdue", "graffiti_removed",
           "graffiti_within_72h_share"]


class TestGraffitiByUnit:
    def test_known_answers(self):
        out = graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, **PERIOD)
        assert out.columns.tolist() == COLUMNS
        assert out.index.tolist() == [0, 1, 2]
        assert out["graffiti_reports"].tolist() == [3, 2, 0]
        assert out["graffiti_open"].tolist() == [2, 1, 0]
        assert out["graffiti_overdue"].tolist() == [1, 0, 0]
        assert out["graffiti_removed"].tolist() == [2, 1, 0]
        assert_allclose(out["graffiti_within_72h_share"], [0.5, 1.0, np.nan])

    def test_mask_drops_the_late_removal(self):
        mask = np.array([True, False, True, True, True, True, True])
        out = graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, mask=mask, **PERIOD)
        assert out["graffiti_reports"].tolist() == [2, 2, 0]
        assert_allclose(out["graffiti_within_72h_share"], [1.0, 1.0, np.nan])

    def test_per_report_deadlines(self):
        # r1 offensive (24 h): 71.5 h is late; r5 offensive: 24 h exactly is in time
        frame = pd.DataFrame({"offensive": [True, False, False, False, True, False, False]})
        deadlines = deadline_hours_for(frame)
        out = graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, deadline_hours=deadlines, **PERIOD)
        assert_allclose(out["graffiti_within_72h_share"], [0.0, 1.0, np.nan])

    def test_later_picture_sees_the_later_removal_and_backlog(self):
        later = PERIOD | {"at": pd.Timestamp("2026-04-03", tz=TZ)}
        out = graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, **later)
        # r6 removed after 36 real hours: in time; r3 now 84 h old: overdue like r4
        assert out["graffiti_open"].tolist() == [2, 0, 0]
        assert out["graffiti_removed"].tolist() == [2, 2, 0]
        assert out["graffiti_overdue"].tolist() == [2, 0, 0]
        assert_allclose(out["graffiti_within_72h_share"], [0.5, 1.0, np.nan])

    def test_at_in_utc_is_the_same_instant(self):
        utc = {k: v.tz_convert("UTC") for k, v in PERIOD.items()}
        pd.testing.assert_frame_equal(graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, **utc),
                                      graffiti_by_unit(UNIT_INDEX, REPORTED, REMOVED, 3, **PERIOD))

    def test_period_is_half_open(self):
        edge = local("2026-03-01 00:00", "2026-04-01 00:00")
        out = graffiti_by_unit(np.array([0, 0]), edge, local(None, None), 1, **PERIOD)
        assert out["graffiti_reports"].tolist() == [1]
        assert out["graffiti_open"].tolist() == [2]  # reported at `at` is already open

    @pytest.mark.parametrize(("at", "overdue"), [("2026-06-04 08:00", 0), ("2026-06-04 08:01", 1)])
    def test_overdue_after_the_inclusive_deadline(self, at, overdue):
        out = graffiti_by_unit(np.array([0]), local("2026-06-01 08:00"), local(None), 1,
                               period_start=pd.Timestamp("2026-06-01", tz=TZ),
                               period_end=pd.Timestamp("2026-07-01", tz=TZ), at=pd.Timestamp(at, tz=TZ))
        assert out["graffiti_overdue"].tolist() == [overdue]

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"at": pd.Timestamp("2026-04-01")}, r"at=Timestamp\('2026-04-01 00:00:00'\) is not allowed; "
                                                 r"expected a tz-aware pandas.Timestamp"),
            ({"period_end": pd.Timestamp("2026-02-01", tz=TZ)}, r"period_end=.* must be after period_start"),
            ({"unit_index": UNIT_INDEX[:-1]}, r"reported_at has 7 values; expected 6"),
            ({"n_units": 1}, r"unit_index holds values from -1 to 1; allowed: -1 to 0"),
            ({"mask": np.ones(7)}, r"mask must be a boolean array of shape \(7,\)"),
            ({"reported_at": REPORTED.dt.tz_localize(None)}, r"reported_at holds naive timestamps"),
        ],
        ids=["naive-at", "empty-period", "length", "index", "mask", "naive-times"],
    )
    def test_bad_arguments_refused(self, kwargs, match):
        arguments = {"unit_index": UNIT_INDEX, "reported_at": REPORTED, "removed_at": REMOVED,
                     "n_units": 3} | PERIOD | kwargs
        with pytest.raises(ValueError, match=match):
            graffiti_by_unit(**arguments)
