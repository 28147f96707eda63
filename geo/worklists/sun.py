"""Sunrise and sunset with the NOAA solar formulas, and whether a moment is after dark.

The lighting work list (action 9) can take "after dark" literally: from
sunset to the next sunrise at Järfälla's latitude on the incident's own
date, instead of a fixed window such as 18-06.

The formulas are those of the NOAA Solar Calculator spreadsheet (after
Meeus, *Astronomical Algorithms*): the sun's declination and the equation of
time from the Julian century, and the hour angle at which the sun's centre is
``90.833°`` from the zenith (the upper limb on the horizon with standard
refraction). The hour angle is first computed at local noon and then once
more at the event itself, which keeps the error within a minute at
Stockholm's latitude.

Attributes
----------
JARFALLA_LATITUDE : float
    Latitude of Jakobsberg, the centre of Järfälla, in degrees north.
JARFALLA_LONGITUDE : float
    Longitude of Jakobsberg, in degrees east.
SUNRISE_ZENITH_DEG : float
    Zenith angle of the sun's centre at sunrise and sunset (``90.833``).
CIVIL_TWILIGHT_ZENITH_DEG : float
    Zenith angle at the end of civil twilight (``96``).

Examples
--------
>>> times = sun_times(["2024-12-21"], latitude=59.3293, longitude=18.0686)
>>> times["sunrise"].dt.strftime("%H:%M").tolist(), times["sunset"].dt.strftime("%H:%M").tolist()
(['08:43'], ['14:48'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geo import settings

JARFALLA_LATITUDE: float = 59.4233
JARFALLA_LONGITUDE: float = 17.8353
SUNRISE_ZENITH_DEG: float = 90.833
CIVIL_TWILIGHT_ZENITH_DEG: float = 96.0

_J2000 = 2451545.0
_UNIX_EPOCH_JD = 2440587.5
_MINUTES_PER_DAY = 1440.0
_REFINEMENTS = 2

__all__ = [
    "CIVIL_TWILIGHT_ZENITH_DEG",
    "JARFALLA_LATITUDE",
    "JARFALLA_LONGITUDE",
    "SUNRISE_ZENITH_DEG",
    "is_dark",
    "sun_times",
]


def sun_times(
    dates: Sequence[str] | pd.Series | pd.DatetimeIndex,
    *,
    latitude: float = JARFALLA_LATITUDE,
    longitude: float = JARFALLA_LONGITUDE,
    zenith_deg: float = SUNRISE_ZENITH_DEG,
) -> pd.DataFrame:
    """Return sunrise and sunset on local calendar dates.

    Parameters
    ----------
    dates : sequence of str, pandas.Series or pandas.DatetimeIndex
        Calendar dates in Europe/Stockholm (``"2026-06-21"``). Times of day
        are ignored; tz-aware values are first converted to local time.
    latitude : float, default JARFALLA_LATITUDE
        Degrees north, in ``[-90, 90]``.
    longitude : float, default JARFALLA_LONGITUDE
        Degrees east, in ``[-180, 180]``.
    zenith_deg : float, default SUNRISE_ZENITH_DEG
        Zenith angle that defines the event, in ``(80, 110)``;
        :data:`CIVIL_TWILIGHT_ZENITH_DEG` gives the ends of civil twilight.

    Returns
    -------
    pandas.DataFrame
        One row per date, in the order given: ``date`` (local midnight),
        ``sunrise`` and ``sunset`` (tz-aware, Europe/Stockholm; ``NaT`` when
        the sun does not cross the zenith angle that day), and
        ``polar`` (``"night"`` when the sun stays below it all day,
        ``"day"`` when it stays above, ``""`` otherwise).

    Raises
    ------
    ValueError
        If a date cannot be read, or an angle is out of range.

    Notes
    -----
    The NOAA spreadsheet formulas are accurate to about a minute at
    latitudes below 60°; near the polar circles the times become sensitive
    to refraction and are less certain.

    Examples
    --------
    >>> out = sun_times(["2024-06-20"], latitude=59.3293, longitude=18.0686)
    >>> out["sunrise"].dt.strftime("%H:%M").tolist(), out["sunset"].dt.strftime("%H:%M").tolist()
    (['03:30'], ['22:08'])
    """
    lat = _check_angle(latitude, "latitude", 90.0)
    lon = _check_angle(longitude, "longitude", 180.0)
    zenith = _check_zenith(zenith_deg)
    local_dates = _local_dates(dates)
    midnight_utc_jd = _julian_day_of_dates(local_dates)
    rise, rise_polar = _event(midnight_utc_jd, lat, lon, zenith, sign=-1.0)
    fall, _ = _event(midnight_utc_jd, lat, lon, zenith, sign=1.0)
    polar = np.where(rise_polar > 0, "night", np.where(rise_polar < 0, "day", ""))
    return pd.DataFrame(
        {
            "date": local_dates,
            "sunrise": _to_local(midnight_utc_jd, rise),
            "sunset": _to_local(midnight_utc_jd, fall),
            "polar": polar,
        }
    )


def is_dark(
    times: pd.Series,
    *,
    latitude: float = JARFALLA_LATITUDE,
    longitude: float = JARFALLA_LONGITUDE,
    zenith_deg: float = SUNRISE_ZENITH_DEG,
) -> np.ndarray:
    """Return, per moment, whether the sun was down (before sunrise or after sunset).

    Parameters
    ----------
    times : pandas.Series
        Tz-aware moments (any zone); ``NaT`` gives False.
    latitude : float, default JARFALLA_LATITUDE
        Degrees north.
    longitude : float, default JARFALLA_LONGITUDE
        Degrees east.
    zenith_deg : float, default SUNRISE_ZENITH_DEG
        Zenith angle of sunrise and sunset; use
        :data:`CIVIL_TWILIGHT_ZENITH_DEG` to count twilight as light.

    Returns
    -------
    numpy.ndarray of bool, shape (len(times),)
        True before sunrise or after sunset on the moment's local date,
        all day in polar night, never in midnight sun.

    Raises
    ------
    ValueError
        If ``times`` holds naive or non-datetime values, or an angle is out
        of range.

    Examples
    --------
    >>> t = pd.Series(pd.to_datetime(["2026-12-21 16:00", "2026-12-21 12:00",
    ...                                "2026-06-21 23:30"]).tz_localize("Europe/Stockholm"))
    >>> is_dark(t).tolist()
    [True, False, True]
    """
    series = times if isinstance(times, pd.Series) else pd.Series(times)
    if not isinstance(series.dtype, pd.DatetimeTZDtype):
        msg = (f"times has dtype {series.dtype}; expected tz-aware datetimes "
               "(localise naive times with geo.timeutil.localize_naive())")
        raise ValueError(msg)
    out = np.zeros(len(series), dtype=bool)
    present = series.notna().to_numpy()
    if not present.any():
        return out
    local = series[present].dt.tz_convert(settings.timezone)
    days = local.dt.normalize().dt.tz_localize(None)
    unique = pd.DatetimeIndex(days.unique())
    table = sun_times(unique, latitude=latitude, longitude=longitude, zenith_deg=zenith_deg)
    table.index = unique
    rise = _seconds(table["sunrise"].reindex(days.to_numpy()))
    fall = _seconds(table["sunset"].reindex(days.to_numpy()))
    polar = table["polar"].reindex(days.to_numpy()).to_numpy()
    moment = _seconds(local)
    with np.errstate(invalid="ignore"):
        dark = (moment < rise) | (moment >= fall)
    dark = np.where(polar == "night", True, np.where(polar == "day", False, dark))
    out[present] = dark
    return out


# --------------------------------------------------------------------------- formulas


def _event(midnight_jd: np.ndarray, lat: float, lon: float, zenith: float, *,
           sign: float) -> tuple[np.ndarray, np.ndarray]:
    """Minutes after 0h UTC of sunrise (``sign=-1``) or sunset (``+1``); polar flag.

    The flag is ``+1`` where the sun stays below the zenith angle (polar
    night), ``-1`` where it stays above (midnight sun), ``0`` otherwise.
    """
    minutes = np.full(len(midnight_jd), 720.0 - 4.0 * lon)  # start at local solar noon
    polar = np.zeros(len(midnight_jd))
    for _ in range(_REFINEMENTS + 1):
        jd = midnight_jd + minutes / _MINUTES_PER_DAY
        declination, eq_time = _declination_and_equation_of_time(jd)
        cos_ha = (np.cos(np.radians(zenith)) / (np.cos(np.radians(lat)) * np.cos(declination))
                  - np.tan(np.radians(lat)) * np.tan(declination))
        polar = np.where(cos_ha > 1.0, 1.0, np.where(cos_ha < -1.0, -1.0, 0.0))
        hour_angle = np.degrees(np.arccos(np.clip(cos_ha, -1.0, 1.0)))
        minutes = 720.0 - 4.0 * lon - eq_time + sign * 4.0 * hour_angle
    return np.where(polar == 0.0, minutes, np.nan), polar


def _declination_and_equation_of_time(jd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solar declination (radians) and equation of time (minutes) at Julian days ``jd``."""
    t = (jd - _J2000) / 36525.0
    mean_long = np.radians(np.mod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0))
    mean_anom = np.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = (np.sin(mean_anom) * (1.914602 - t * (0.004817 + 0.000014 * t))
              + np.sin(2 * mean_anom) * (0.019993 - 0.000101 * t)
              + np.sin(3 * mean_anom) * 0.000289)
    omega = np.radians(125.04 - 1934.136 * t)
    apparent_long = np.radians(np.degrees(mean_long) + centre - 0.00569 - 0.00478 * np.sin(omega))
    mean_obliquity = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    obliquity = np.radians(mean_obliquity + 0.00256 * np.cos(omega))
    declination = np.arcsin(np.sin(obliquity) * np.sin(apparent_long))
    y = np.tan(obliquity / 2.0) ** 2
    eq_time = 4.0 * np.degrees(
        y * np.sin(2 * mean_long)
        - 2 * ecc * np.sin(mean_anom)
        + 4 * ecc * y * np.sin(mean_anom) * np.cos(2 * mean_long)
        - 0.5 * y * y * np.sin(4 * mean_long)
        - 1.25 * ecc * ecc * np.sin(2 * mean_anom)
    )
    return declination, eq_time


# --------------------------------------------------------------------------- conversions


def _local_dates(dates: Sequence[str] | pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Local calendar dates as naive midnights."""
    values = dates if isinstance(dates, pd.Series | pd.DatetimeIndex) else list(dates)
    try:
        index = pd.DatetimeIndex(pd.to_datetime(values))
    except (TypeError, ValueError) as exc:
        msg = f"dates could not be read as calendar dates ({exc}); use e.g. '2026-06-21'"
        raise ValueError(msg) from exc
    if index.tz is not None:
        index = index.tz_convert(settings.timezone).tz_localize(None)
    if index.hasnans:
        msg = "dates holds a missing value; every date must be given"
        raise ValueError(msg)
    return index.normalize()


def _julian_day_of_dates(local_dates: pd.DatetimeIndex) -> np.ndarray:
    """Julian day of 0h UTC on each calendar date."""
    seconds = local_dates.as_unit("s").asi8.astype(float)
    return _UNIX_EPOCH_JD + seconds / 86_400.0


def _to_local(midnight_jd: np.ndarray, minutes: np.ndarray) -> pd.Series:
    """Minutes after 0h UTC of a date as tz-aware local times (NaN gives NaT)."""
    seconds = (midnight_jd - _UNIX_EPOCH_JD) * 86_400.0 + minutes * 60.0
    ok = np.isfinite(seconds)
    stamps = pd.to_datetime(np.where(ok, np.round(seconds), 0).astype("int64"), unit="s", utc=True)
    series = pd.Series(stamps).dt.tz_convert(settings.timezone)
    return series.where(ok)


def _seconds(times: pd.Series) -> np.ndarray:
    """Tz-aware times as seconds since 1970 UTC (NaN for NaT)."""
    seconds = (times - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return seconds.to_numpy(dtype=float, na_value=np.nan)


def _check_angle(value: float, name: str, limit: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or abs(number) > limit:
        msg = f"{name}={value!r} is not allowed; expected degrees in [-{limit:g}, {limit:g}]"
        raise ValueError(msg)
    return number


def _check_zenith(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not (80.0 < number < 110.0):
        msg = (f"zenith_deg={value!r} is not allowed; expected degrees in (80, 110), e.g. "
               f"{SUNRISE_ZENITH_DEG} (sunrise/sunset) or {CIVIL_TWILIGHT_ZENITH_DEG} (civil twilight)")
        raise ValueError(msg)
    return number
