"""Small helpers shared by the work-list modules (private): argument checks, columns, places, periods."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings


def check_at(value: pd.Timestamp, name: str = "at") -> pd.Timestamp:
    """Return ``value`` if it is a tz-aware :class:`pandas.Timestamp`, else raise ValueError."""
    if not isinstance(value, pd.Timestamp) or value.tzinfo is None:
        msg = (f"{name}={value!r} is not allowed; expected a tz-aware pandas.Timestamp, "
               "e.g. pd.Timestamp('2026-10-01', tz='Europe/Stockholm')")
        raise ValueError(msg)
    return value


def check_period(start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return ``(start, end)`` if both are tz-aware and ``start < end``, else raise ValueError."""
    first, last = check_at(start, "start"), check_at(end, "end")
    if last <= first:
        msg = f"end={end!r} must be after start={start!r}"
        raise ValueError(msg)
    return first, last


def check_hours(value: float | None, name: str, *, default: float) -> float:
    """Return a number of hours if it is positive and finite; None gives ``default``."""
    if value is None:
        return float(default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or number <= 0:
        msg = f"{name}={value!r} is not allowed; expected a positive number of hours, e.g. 72"
        raise ValueError(msg)
    return number


def local_periods(start: pd.Timestamp, end: pd.Timestamp, freq: str) -> pd.PeriodIndex:
    """Return the local calendar periods (``"M"`` months, ``"Q"`` quarters) that ``[start, end)`` touches."""
    first = start.tz_convert(settings.timezone).tz_localize(None)
    last = (end - pd.Timedelta(1, "ns")).tz_convert(settings.timezone).tz_localize(None)
    return pd.period_range(first.to_period(freq), last.to_period(freq), freq=freq)


def place_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Return one (x, y) per feature: a point on its surface, NaN where the geometry is missing."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    out = np.full((len(geoms), 2), np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out[present] = shapely.get_coordinates(shapely.point_on_surface(geoms[present]))
    return out


def text_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column as objects with ``""`` for missing values, or all ``""`` if there is no such column."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").to_numpy()


def tz_aware(values: pd.Series, name: str) -> pd.Series:
    """Return tz-aware times as they are, an all-empty column as NaT, or raise ValueError."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    if values.isna().all():
        return pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {settings.timezone}]")
    msg = (f"{name} has dtype {values.dtype}; expected tz-aware datetimes (localise naive times with "
           "geo.timeutil.localize_naive())")
    raise ValueError(msg)


def empty_table(columns: tuple[str, ...]) -> pd.DataFrame:
    """Return a list with no rows and the given columns (object dtype)."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
