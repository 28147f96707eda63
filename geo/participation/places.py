"""Unsafe places from residents' participation: reasons, positions in the kommun, and layer features.

Walk findings (:mod:`geo.participation.walk_store`) and approved residents'
reports (:mod:`geo.participation.reports`) both become features of the
``unsafe_places`` layer. They share its reasons (:data:`REASONS`), the
reading of a WGS 84 position (:func:`point_from_latlon`), the kommun
polygon a position is checked against (:func:`kommun_outline`), and the
features they write (:func:`unsafe_place_features`).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from geo import settings
from geo.participation.records import TIME_DTYPE
from layers.unsafe_places import REASONS as _REASON_CHOICES

#: Reasons of an unsafe place, a walk's finding or a report: those of the ``unsafe_places`` layer.
REASONS: tuple[str, ...] = tuple(c.code for c in _REASON_CHOICES)


def point_from_latlon(lat: float, lon: float) -> shapely.Point | None:
    """Convert a WGS 84 latitude/longitude to an EPSG:3006 point.

    Parameters
    ----------
    lat, lon : float
        Degrees.

    Returns
    -------
    shapely.Point or None
        The point, or None if either value is missing or out of range.

    Examples
    --------
    >>> round(point_from_latlon(59.42, 17.83).x, -2)
    660600.0
    """
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (np.isfinite(lat_f) and np.isfinite(lon_f) and -90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        return None
    point = gpd.GeoSeries([shapely.Point(lon_f, lat_f)], crs=settings.web_crs).to_crs(settings.analysis_crs)
    return point.iloc[0]


def kommun_outline(store) -> shapely.Geometry | None:
    """Return the kommun polygon of the ``areas`` layer (kind ``kommun``), if stored.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    shapely.Geometry or None
        The union of the ``kommun`` polygons in EPSG:3006, or None when there is none.
    """
    if "areas" not in store.list_layers():
        return None
    areas = store.read("areas", categories=["kommun"])
    if areas.empty:
        return None
    return shapely.union_all(areas.geometry.to_numpy())


def unsafe_place_features(
    ids: Sequence[str],
    reasons: Sequence[str],
    reported_at: Sequence,
    descriptions: Sequence[str],
    geometry: Sequence[shapely.Geometry],
    *,
    source: str,
    crs: object = None,
) -> gpd.GeoDataFrame:
    """Return approved features of the ``unsafe_places`` layer.

    Parameters
    ----------
    ids, reasons, descriptions : sequence of str
        One per feature.
    reported_at : sequence of pandas.Timestamp
        Tz-aware times, one per feature.
    geometry : sequence of shapely.Geometry
        One per feature, in ``crs``.
    source : str
        The features' ``source``: ``"walk"`` or ``"report"``.
    crs : str or pyproj.CRS, optional
        The CRS of ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id``, ``reason``, ``reported_at`` (Europe/Stockholm), ``status``
        ``approved``, ``source``, ``description``.

    Examples
    --------
    >>> import pandas as pd
    >>> at = pd.Timestamp("2026-03-01", tz="Europe/Stockholm")
    >>> frame = unsafe_place_features(["walk-w1-1"], ["lighting"], [at], ["Mörkt"],
    ...                               [shapely.Point(659150, 6589800)], source="walk", crs="EPSG:3006")
    >>> frame[["id", "status", "source"]].to_dict("records")
    [{'id': 'walk-w1-1', 'status': 'approved', 'source': 'walk'}]
    """
    n = len(ids)
    return gpd.GeoDataFrame(
        {
            "id": np.asarray(ids, dtype=object),
            "reason": np.asarray(reasons, dtype=object),
            "reported_at": np.asarray(reported_at, dtype=object),
            "status": ["approved"] * n,
            "source": [source] * n,
            "description": np.asarray(descriptions, dtype=object),
        },
        geometry=list(geometry),
        crs=crs,
    ).astype({"reported_at": TIME_DTYPE})
