"""Small helpers shared by the work-list modules (private)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings


def place_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Return one (x, y) per feature: a point on its surface, NaN where the geometry is missing."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    out = np.full((len(geoms), 2), np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out[present] = shapely.get_coordinates(shapely.point_on_surface(geoms[present]))
    return out


def tz_aware(values: pd.Series, name: str) -> pd.Series:
    """Return tz-aware times as they are, an all-empty column as NaT, or raise ValueError."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values
    if values.isna().all():
        return pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {settings.timezone}]")
    msg = (f"{name} has dtype {values.dtype}; expected tz-aware datetimes (localise naive times with "
           "geo.timeutil.localize_naive())")
    raise ValueError(msg)
