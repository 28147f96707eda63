"""Distances to the nearest target and counts within a radius, on coordinate arrays.

The darkness indicator (distance to the nearest working lamp), the lighting
and camera work lists and the prepared store all ask the same two questions
of points in metres: how far is the nearest target, and how many targets lie
within a radius. Both are answered with one :class:`scipy.spatial.cKDTree`
query over every point at once. Coordinates come as ``(n, 2)`` arrays in a
projected CRS (EPSG:3006); :func:`points_xy` takes them from point geometries.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from scipy.spatial import cKDTree

__all__ = ["check_metres", "count_within", "nearest_distance", "points_xy"]


def nearest_distance(points_xy: np.ndarray, targets_xy: np.ndarray) -> np.ndarray:
    """Return each point's distance to the nearest target.

    Parameters
    ----------
    points_xy : numpy.ndarray, shape (n, 2)
        Point coordinates in metres. Rows with a non-finite coordinate (a
        missing or empty geometry) get ``NaN``.
    targets_xy : numpy.ndarray, shape (m, 2)
        Target coordinates in metres. Rows with a non-finite coordinate are
        ignored.

    Returns
    -------
    numpy.ndarray of float64, shape (n,)
        Euclidean distance to the nearest target; ``inf`` when there are no
        targets.

    Raises
    ------
    ValueError
        If either array is not of shape (k, 2).

    Examples
    --------
    >>> nearest_distance(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0]]))
    array([0., 5.])
    >>> nearest_distance(np.array([[0.0, 0.0]]), np.empty((0, 2)))
    array([inf])
    """
    points = _check_xy(points_xy, "points_xy")
    targets = _check_xy(targets_xy, "targets_xy")
    targets = targets[np.isfinite(targets).all(axis=1)]
    out = np.full(len(points), np.nan)
    ok = np.isfinite(points).all(axis=1)
    if len(targets) == 0:
        out[ok] = np.inf
        return out
    distances, _ = cKDTree(targets).query(points[ok], k=1, workers=-1)
    out[ok] = distances
    return out


def count_within(points_xy: np.ndarray, targets_xy: np.ndarray, radius: float) -> np.ndarray:
    """Return the number of targets within ``radius`` of each point.

    Parameters
    ----------
    points_xy : numpy.ndarray, shape (n, 2)
        Point coordinates in metres. Rows with a non-finite coordinate get 0.
    targets_xy : numpy.ndarray, shape (m, 2)
        Target coordinates in metres. Rows with a non-finite coordinate are
        ignored.
    radius : float
        Search radius in metres, inclusive (a target exactly at ``radius``
        counts). Must be finite and not negative.

    Returns
    -------
    numpy.ndarray of int64, shape (n,)
        Targets within the radius of each point.

    Raises
    ------
    ValueError
        If an array is not of shape (k, 2) or ``radius`` is negative or not
        finite.

    Examples
    --------
    >>> lamps = np.array([[0.0, 0.0], [30.0, 40.0], [100.0, 0.0]])
    >>> count_within(np.array([[0.0, 0.0]]), lamps, 50.0)
    array([2])
    """
    points = _check_xy(points_xy, "points_xy")
    targets = _check_xy(targets_xy, "targets_xy")
    radius = check_metres(radius, "radius")
    targets = targets[np.isfinite(targets).all(axis=1)]
    out = np.zeros(len(points), dtype=np.int64)
    ok = np.isfinite(points).all(axis=1)
    if len(targets) == 0 or not ok.any():
        return out
    counts = cKDTree(targets).query_ball_point(points[ok], r=radius, return_length=True, workers=-1)
    out[ok] = counts
    return out


def points_xy(frame: gpd.GeoDataFrame | gpd.GeoSeries, *, name: str = "points") -> np.ndarray:
    """Return the coordinates of point geometries as an (n, 2) array.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or geopandas.GeoSeries
        Point features. Missing and empty geometries give a ``NaN`` row.
    name : str, default "points"
        What the frame is, for the message.

    Returns
    -------
    numpy.ndarray of float64, shape (n, 2)
        ``x, y`` per row, aligned with the frame.

    Raises
    ------
    ValueError
        If a geometry is not a point.

    Examples
    --------
    >>> from shapely import Point
    >>> points_xy(gpd.GeoSeries([Point(1, 2), None]))
    array([[ 1.,  2.],
           [nan, nan]])
    """
    geoms = np.asarray(frame.geometry.array if isinstance(frame, gpd.GeoDataFrame) else frame.array,
                       dtype=object)
    types = shapely.get_type_id(geoms)
    bad = (types != -1) & (types != shapely.GeometryType.POINT)
    if bad.any():
        kinds = sorted(set(shapely.get_type_id(geoms[bad]).tolist()))
        names = ", ".join(shapely.GeometryType(k).name.title() for k in kinds)
        msg = f"{name} must hold Point geometries; received {names} (first at row {int(np.argmax(bad))})"
        raise ValueError(msg)
    out = np.full((len(geoms), 2), np.nan)
    ok = (types == shapely.GeometryType.POINT) & ~shapely.is_empty(geoms)
    out[ok] = shapely.get_coordinates(geoms[ok])
    return out


def check_metres(value: float, name: str) -> float:
    """Return a distance argument as a float if it is a finite number of metres >= 0.

    Parameters
    ----------
    value : float
        The argument as given.
    name : str
        Its name, for the message.

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    ValueError
        If ``value`` is a bool, not a number, not finite or negative.

    Examples
    --------
    >>> check_metres(50, "radius")
    50.0
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if isinstance(value, bool) or not np.isfinite(number) or number < 0:
        msg = f"{name}={value!r} is not allowed; expected a finite number of metres >= 0"
        raise ValueError(msg)
    return number


# --------------------------------------------------------------------------- helpers


def _check_xy(values: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 2 or array.shape[1] != 2:
        msg = f"{name} must have shape (n, 2); received shape {array.shape}"
        raise ValueError(msg)
    return array
