"""Timestamps on import: ISO 8601 with an offset, naive local time, DST reported not guessed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.io.times import parse_times

TZ = "Europe/Stockholm"


def parse(*values):
    series = pd.Series(list(values), dtype="str")
    return parse_times(series, rows=np.arange(2, 2 + len(values)), column="occurred_at")


class TestParseTimes:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024-05-01T14:30:00+02:00", "2024-05-01 14:30:00+02:00"),
            ("2014-05-09T19:02:21-05:00", "2014-05-10 02:02:21+02:00"),
            ("2014-12-17T18:39:03-06:00", "2014-12-18 01:39:03+01:00"),
            ("2024-05-01T10:00:00Z", "2024-05-01 12:00:00+02:00"),
            ("2024-05-01T10:00:00.123Z", "2024-05-01 12:00:00.123000+02:00"),
            ("2024-01-15 08:00", "2024-01-15 08:00:00+01:00"),
            ("2024-07-15 08:00:00", "2024-07-15 08:00:00+02:00"),
            ("2024-07-15", "2024-07-15 00:00:00+02:00"),
            ("2023-03-24 7:55:04 +01:00", "2023-03-24 07:55:04+01:00"),
            ("2026-10-25T02:30:00+02:00", "2026-10-25 02:30:00+02:00"),
            ("2026-10-25T02:30:00+01:00", "2026-10-25 02:30:00+01:00"),
        ],
    )
    def test_parsed(self, text, expected):
        times, problems = parse(text)
        assert problems == []
        assert times.iloc[0] == pd.Timestamp(expected)
        assert str(times.dtype) == f"datetime64[ns, {TZ}]"

    def test_dst_gap_and_twice_and_unreadable_are_reported_by_row(self):
        times, problems = parse("2026-03-29 02:30", "2026-10-25 02:30", "31/02/2024", "", "2026-10-25 01:30")
        assert times.isna().tolist() == [True, True, True, True, False]
        assert [p.row for p in problems] == [2, 3, 4]
        assert {p.field for p in problems} == {"occurred_at"}
        gap, twice, unreadable = (p.message for p in problems)
        assert gap.startswith("'2026-03-29 02:30' does not exist in Europe/Stockholm: the clocks jump")
        assert twice.startswith("'2026-10-25 02:30' happens twice in Europe/Stockholm")
        assert "+02:00 for the first time or +01:00 for the second" in twice
        assert unreadable.startswith("'31/02/2024' is not a date and time; use ISO 8601")

    def test_empty_column(self):
        times, problems = parse(None, "")
        assert times.isna().all()
        assert problems == []

    def test_mixed_naive_and_aware(self):
        times, problems = parse("2024-05-01 12:00", "2024-05-01T12:00:00+00:00")
        assert problems == []
        expected = [pd.Timestamp("2024-05-01 12:00", tz=TZ), pd.Timestamp("2024-05-01 14:00", tz=TZ)]
        assert times.tolist() == expected

    def test_aware_datetimes_pass_through(self):
        values = pd.Series(pd.to_datetime(["2024-05-01 10:00"]).tz_localize("UTC"))
        times, problems = parse_times(values, rows=np.array([1]), column="t")
        assert times.iloc[0] == pd.Timestamp("2024-05-01 12:00", tz=TZ)
        assert problems == []

    def test_naive_datetimes_are_local(self):
        values = pd.Series(pd.to_datetime(["2024-05-01 10:00", "2026-10-25 02:30"]))
        times, problems = parse_times(values, rows=np.array([1, 2]), column="t")
        assert times.iloc[0] == pd.Timestamp("2024-05-01 10:00", tz=TZ)
        assert [p.row for p in problems] == [2]


@pytest.mark.parametrize("value", ["2300-01-01 00:00", "1600-06-01T12:00:00+01:00", "9999-12-31T23:59:59Z"])
def test_a_year_out_of_range_is_reported_not_raised(value):
    times, problems = parse_times(pd.Series(["2024-05-01T14:30:00+02:00", value]), rows=np.array([2, 3]),
                                  column="occurred_at")
    assert times.iloc[0] == pd.Timestamp("2024-05-01T14:30:00+02:00")
    assert pd.isna(times.iloc[1])
    assert [(p.row, p.field) for p in problems] == [(3, "occurred_at")]
    assert "outside the years 1678–2261" in problems[0].message
