"""Sunrise and sunset with the NOAA formulas against published Stockholm times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.worklists.sun import (
    CIVIL_TWILIGHT_ZENITH_DEG,
    JARFALLA_LATITUDE,
    JARFALLA_LONGITUDE,
    is_dark,
    sun_times,
)

TZ = "Europe/Stockholm"
STOCKHOLM = {"latitude": 59.3293, "longitude": 18.0686}
TOLERANCE = pd.Timedelta(minutes=3)

# Almanac times for Stockholm (timeanddate.com / Almanacka för Sverige), local clock time.
ALMANAC = [
    ("2024-06-20", "03:30", "22:08"),  # midsummer, CEST
    ("2025-06-21", "03:31", "22:08"),
    ("2024-12-21", "08:43", "14:48"),  # midwinter, CET
    ("2025-12-21", "08:43", "14:48"),
]


class TestSunTimes:
    @pytest.mark.parametrize(("day", "rise", "fall"), ALMANAC, ids=[a[0] for a in ALMANAC])
    def test_stockholm_within_three_minutes(self, day, rise, fall):
        out = sun_times([day], **STOCKHOLM)
        expected_rise = pd.Timestamp(f"{day} {rise}", tz=TZ)
        expected_fall = pd.Timestamp(f"{day} {fall}", tz=TZ)
        assert abs(out["sunrise"].iloc[0] - expected_rise) <= TOLERANCE
        assert abs(out["sunset"].iloc[0] - expected_fall) <= TOLERANCE
        assert out["polar"].iloc[0] == ""

    def test_offsets_follow_daylight_saving(self):
        out = sun_times(["2026-01-15", "2026-07-15"])
        assert [t.utcoffset() for t in out["sunrise"]] == [pd.Timedelta(hours=1), pd.Timedelta(hours=2)]

    def test_order_kept_and_repeated_dates(self):
        out = sun_times(["2026-12-21", "2026-06-21", "2026-12-21"])
        assert out["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-21", "2026-06-21", "2026-12-21"]
        assert out["sunrise"].iloc[0] == out["sunrise"].iloc[2]

    def test_jarfalla_is_the_default_and_a_bit_west_of_stockholm(self):
        here = sun_times(["2026-03-20"])
        stockholm = sun_times(["2026-03-20"], **STOCKHOLM)
        assert tuple(STOCKHOLM.values()) != (JARFALLA_LATITUDE, JARFALLA_LONGITUDE)
        # 0.23° further west: noon about a minute later
        assert (
            pd.Timedelta(0) < here["sunset"].iloc[0] - stockholm["sunset"].iloc[0] < pd.Timedelta(minutes=3)
        )

    def test_civil_twilight_is_later(self):
        sunset = sun_times(["2026-09-01"])["sunset"].iloc[0]
        dusk = sun_times(["2026-09-01"], zenith_deg=CIVIL_TWILIGHT_ZENITH_DEG)["sunset"].iloc[0]
        assert pd.Timedelta(minutes=30) < dusk - sunset < pd.Timedelta(minutes=60)

    @pytest.mark.parametrize(("day", "polar"), [("2026-06-21", "day"), ("2026-12-21", "night")])
    def test_polar_day_and_night_in_tromso(self, day, polar):
        out = sun_times([day], latitude=69.65, longitude=18.96)
        assert out["polar"].iloc[0] == polar
        assert out["sunrise"].isna().all()
        assert out["sunset"].isna().all()

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"latitude": 95}, "latitude=95 is not allowed"),
            ({"longitude": "east"}, "longitude='east' is not allowed"),
            ({"zenith_deg": 120}, r"zenith_deg=120 is not allowed; expected degrees in \(80, 110\)"),
        ],
    )
    def test_bad_arguments(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            sun_times(["2026-06-21"], **kwargs)

    def test_bad_date(self):
        with pytest.raises(ValueError, match="dates could not be read as calendar dates"):
            sun_times(["midsommar"])


class TestIsDark:
    def test_known_moments(self):
        times = pd.Series(
            pd.to_datetime(
                [
                    "2026-12-21 16:00",
                    "2026-12-21 12:00",
                    "2026-06-21 23:30",
                    "2026-06-21 21:00",
                    "2026-12-21 07:00",
                ]
            ).tz_localize(TZ)
        )
        assert is_dark(times).tolist() == [True, False, True, False, True]

    def test_any_zone_and_missing(self):
        times = pd.Series(pd.to_datetime(["2026-12-21 15:30", None]).tz_localize("UTC"))
        assert is_dark(times).tolist() == [True, False]

    def test_polar_night_is_dark_all_day(self):
        noon = pd.Series([pd.Timestamp("2026-12-21 12:00", tz=TZ)])
        assert is_dark(noon, latitude=69.65, longitude=18.96).tolist() == [True]
        midnight_sun = pd.Series([pd.Timestamp("2026-06-21 00:30", tz=TZ)])
        assert is_dark(midnight_sun, latitude=69.65, longitude=18.96).tolist() == [False]

    def test_naive_refused(self):
        with pytest.raises(ValueError, match="expected tz-aware datetimes"):
            is_dark(pd.Series(pd.to_datetime(["2026-12-21 16:00"])))

    def test_empty(self):
        assert is_dark(pd.Series([], dtype=f"datetime64[ns, {TZ}]")).dtype == np.bool_
