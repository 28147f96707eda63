"""Sunrise and sunset from :mod:`astral`, and whether a moment is after dark.

The lighting work list (action 9) can take "after dark" literally: from
sunset to the next sunrise at Järfälla's latitude on the incident's own
date, instead of a fixed window such as 18-06.

The sun's times come from :func:`astral.sun.time_at_elevation` (the NOAA
Solar Calculator formulas, after Meeus), asked for the moment the sun's
centre is ``zenith_deg`` from the zenith with refraction already counted in
the angle: ``90.833°`` puts the upper limb on the horizon with standard
refraction. Astral works one date at a time, so each distinct date is asked
once and the answers are spread back over the rows with numpy.

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

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from astral import Observer
from astral import sun as astral_sun

from geo import settings

JARFALLA_LATITUDE: float = 59.4233
JARFALLA_LONGITUDE: float = 17.8353
SUNRISE_ZENITH_DEG: float = 90.833
CIVIL_TWILIGHT_ZENITH_DEG: float = 96.0

_Moment = dt.datetime | None
_ONE_DAY = dt.timedelta(days=1)
_HALF_DAY = dt.timedelta(hours=12)

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
        ``sunrise`` and ``sunset`` (tz-aware, Europe/Stockholm, to the
        second; ``NaT`` when the sun does not cross the zenith angle that
        day), and ``polar`` (``"night"`` when the sun stays below it all
        day, ``"day"`` when it stays above, ``""`` otherwise).

    Raises
    ------
    ValueError
        If a date cannot be read, or an angle is out of range.

    Notes
    -----
    The NOAA formulas are accurate to about a minute at latitudes below
    60°; near the polar circles the times become sensitive to refraction
    and are less certain.

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
    codes, days = pd.factorize(local_dates)
    observer = Observer(latitude=lat, longitude=lon)
    per_day = [_one_day(observer, day.date(), zenith) for day in days]
    return pd.DataFrame(
        {
            "date": local_dates,
            "sunrise": _to_local([rise for rise, _, _ in per_day])[codes],
            "sunset": _to_local([fall for _, fall, _ in per_day])[codes],
            "polar": np.array([polar for _, _, polar in per_day], dtype=object)[codes],
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
    latitude, longitude, zenith_deg : float
        As for :func:`sun_times`; :data:`CIVIL_TWILIGHT_ZENITH_DEG` counts
        twilight as light.

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
    table = sun_times(pd.DatetimeIndex(local.dt.normalize().dt.tz_localize(None)),
                      latitude=latitude, longitude=longitude, zenith_deg=zenith_deg)
    moment = _seconds(local)
    with np.errstate(invalid="ignore"):
        dark = (moment < _seconds(table["sunrise"])) | (moment >= _seconds(table["sunset"]))
    polar = table["polar"].to_numpy()
    out[present] = np.where(polar == "night", True, np.where(polar == "day", False, dark))
    return out


# --------------------------------------------------------------------------- helpers


def _one_day(observer: Observer, day: dt.date, zenith: float) -> tuple[_Moment, _Moment, str]:
    """Sunrise and sunset around ``day``'s solar noon (UTC), and the polar flag.

    Both times are ``None`` and the flag is ``"night"`` or ``"day"`` when the
    sun does not cross ``zenith`` on either side of noon.
    """
    noon = astral_sun.noon(observer, day)
    rise = _event(observer, day, zenith, noon, rising=True)
    fall = _event(observer, day, zenith, noon, rising=False)
    if rise is not None and fall is not None:
        return rise, fall, ""
    return None, None, _polar(observer, day, zenith, noon)


def _event(observer: Observer, day: dt.date, zenith: float, noon: dt.datetime, *,
           rising: bool) -> _Moment:
    """Return the crossing of ``zenith`` in the 12 hours before (rising) or after ``noon``.

    Astral answers within the UTC date it is given, so an event on the other
    side of 0h UTC (civil dawn at midsummer, sunset under the midnight sun)
    is asked for on the neighbouring date. When the event lies so close to
    0h UTC that neither date holds it, the first answer is moved by a day,
    which is off by the event's drift from one day to the next (under a
    minute in Järfälla).
    """
    direction = astral_sun.SunDirection.RISING if rising else astral_sun.SunDirection.SETTING
    low, high = (-_HALF_DAY, dt.timedelta(0)) if rising else (dt.timedelta(0), _HALF_DAY)
    first = _ask(observer, day, zenith, direction)
    if first is None or low <= first - noon <= high:
        return first
    step = _ONE_DAY if first - noon < low else -_ONE_DAY
    second = _ask(observer, day + step, zenith, direction)
    for moment in (second, first + step):
        if moment is not None and low <= moment - noon <= high:
            return moment
    return None


def _ask(observer: Observer, day: dt.date, zenith: float,
         direction: astral_sun.SunDirection) -> _Moment:
    """Return astral's crossing of ``zenith`` on the UTC date ``day`` (``None`` if there is none)."""
    try:
        return astral_sun.time_at_elevation(observer, 90.0 - zenith, day, direction, with_refraction=False)
    except ValueError:  # the sun never reaches that elevation on this date
        return None


def _polar(observer: Observer, day: dt.date, zenith: float, noon: dt.datetime) -> str:
    """``"night"`` if the sun stays (or nearly stays) below ``zenith`` all day, else ``"day"``.

    On the day or two a year when the sun only just crosses the angle and
    astral's first estimate misses the crossing, the nearer of noon and
    midnight decides.
    """
    noon_zenith = astral_sun.zenith(observer, noon, with_refraction=False)
    midnight_zenith = astral_sun.zenith(observer, astral_sun.midnight(observer, day), with_refraction=False)
    return "night" if noon_zenith - zenith > zenith - midnight_zenith else "day"


def _to_local(moments: Sequence[dt.datetime | None]) -> pd.DatetimeIndex:
    """UTC datetimes (``None`` gives NaT) as local times rounded to the second."""
    utc = pd.DatetimeIndex(pd.to_datetime(list(moments), utc=True), tz="UTC")
    return utc.round("s").tz_convert(settings.timezone)


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


def _seconds(times: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Tz-aware times as seconds since 1970 UTC (NaN for NaT)."""
    seconds = (times - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    return np.asarray(seconds, dtype=float)


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
