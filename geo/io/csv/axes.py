"""Axis order of read coordinates: which rows were written (north, east) instead of (east, north).

:func:`decide_axis_order` decides row by row; its rule is written out in its
docstring. :func:`sweden_outline` and :func:`inside` are the tests it uses,
shared with the placing of imported rows (:mod:`geo.io.placing`).

Attributes
----------
SWEDEN_BBOX_WGS84 : tuple of float
    ``(west, south, east, north)`` in degrees: 10.9, 55.3, 24.2, 69.1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from geo import settings

SWEDEN_BBOX_WGS84: tuple[float, float, float, float] = (10.9, 55.3, 24.2, 69.1)


@dataclass(frozen=True)
class AxisDecision:
    """Which rows had their coordinates swapped, and the points in the analysis CRS.

    Attributes
    ----------
    x, y : numpy.ndarray
        Coordinates in the analysis CRS after the decision (NaN where the
        input was missing or did not transform).
    swapped : numpy.ndarray of bool
        Rows read as (second, first) instead of (first, second).
    undecided : numpy.ndarray of bool
        Rows whose order cannot be told (both orders land in Sweden and
        the kommun does not tell them apart); the importer refuses them.
    in_sweden : numpy.ndarray of bool
        Rows whose chosen point lies in Sweden (its bounding box).
    """

    x: np.ndarray
    y: np.ndarray
    swapped: np.ndarray
    undecided: np.ndarray
    in_sweden: np.ndarray


@cache
def sweden_outline(crs: str) -> shapely.Polygon:
    """Return Sweden's WGS 84 bounding box as a polygon in ``crs`` (densified edges).

    Parameters
    ----------
    crs : str
        The target CRS, e.g. ``"EPSG:3006"``.

    Returns
    -------
    shapely.Polygon
        The box of :data:`SWEDEN_BBOX_WGS84`, prepared for fast tests.
    """
    west, south, east, north = SWEDEN_BBOX_WGS84
    steps = np.linspace(0.0, 1.0, 41)
    lon = np.concatenate([west + (east - west) * steps, np.full(41, east),
                          east - (east - west) * steps, np.full(41, west)])
    lat = np.concatenate([np.full(41, south), south + (north - south) * steps,
                          np.full(41, north), north - (north - south) * steps])
    x, y = transformer("EPSG:4326", crs).transform(lon, lat)
    outline = shapely.Polygon(np.column_stack([x, y]))
    shapely.prepare(outline)
    return outline


@cache
def transformer(source: str, target: str) -> Transformer:
    """Return a cached transformer between two CRSs, (x, y) in both (``always_xy``).

    Parameters
    ----------
    source, target : str
        CRSs as :meth:`pyproj.CRS.from_user_input` reads them.

    Returns
    -------
    pyproj.Transformer
        The transformer.
    """
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True)


def inside(area: shapely.Geometry, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Test points against an area, with a fast path when their box lies inside it.

    Parameters
    ----------
    area : shapely.Geometry
        A polygon (prepared or not).
    x, y : numpy.ndarray
        Coordinates in the area's CRS; NaN is outside.

    Returns
    -------
    numpy.ndarray of bool
        Whether each point lies in or on the area.
    """
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return finite
    box = shapely.box(x[finite].min(), y[finite].min(), x[finite].max(), y[finite].max())
    if shapely.contains(area, box):
        return finite
    out = np.zeros(len(x), dtype=bool)
    out[finite] = shapely.intersects_xy(area, x[finite], y[finite])
    return out


def decide_axis_order(
    x: np.ndarray,
    y: np.ndarray,
    crs: CRS | str,
    *,
    kommun: shapely.Geometry | None = None,
    explicit_axes: bool = True,
) -> AxisDecision:
    """Decide, row by row, whether a point's two coordinates were written in swapped order.

    The rule, applied to every row with two finite coordinates:

    1. **Sweden decides.** If exactly one of the two orders lands in Sweden
       (the bounding box :data:`SWEDEN_BBOX_WGS84`), that order is used. For
       latitude/longitude this always decides a Swedish point: the
       latitudes of Sweden (55.3-69.1) and its longitudes (10.9-24.2) do
       not overlap.
    2. **The kommun breaks ties.** If both orders land in Sweden (possible
       with local projected CRSs such as ST74, whose x and y have the same
       range), the order that lands in the kommun outline is used, when
       exactly one does.
    3. **Otherwise the file decides.** For rows still open (both or neither
       order in Sweden and the kommun): if every row decided by 1-2 agrees
       on one order, that order; else the order the column names give when
       they say which axis is east (lat/lon, E/N, ost/nord, a file's own
       geometry); else (``x``/``y``) rows where both orders land in Sweden
       are *undecided* and the import refuses them, and rows where neither
       does keep their order (they are outside Sweden either way).

    Parameters
    ----------
    x, y : numpy.ndarray
        The coordinates as written: east/longitude first as the names say.
    crs : pyproj.CRS or str
        Their CRS.
    kommun : shapely.Geometry, optional
        The kommun outline in the analysis CRS, for rule 2.
    explicit_axes : bool, default True
        Whether the column names say which axis is east (rule 3).

    Returns
    -------
    AxisDecision
        The chosen points in the analysis CRS and the rows swapped or left
        undecided.

    Examples
    --------
    >>> d = decide_axis_order(np.array([59.41, 17.84]), np.array([17.84, 59.41]), "EPSG:4326")
    >>> d.swapped.tolist(), d.undecided.tolist()
    ([True, False], [False, False])
    """
    source = CRS.from_user_input(crs)
    target = settings.analysis_crs
    transform = transformer(source.to_wkt(), target).transform
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    valid = np.isfinite(x) & np.isfinite(y)
    gx, gy = _safe_transform(transform, x, y)
    sweden = sweden_outline(target)
    g_in = inside(sweden, gx, gy)
    swapped = np.zeros(n, dtype=bool)
    undecided = np.zeros(n, dtype=bool)
    if g_in[valid].all() and (source.is_geographic or not _box_may_reach_sweden(source, x, y, valid)):
        return AxisDecision(gx, gy, swapped, undecided, g_in)
    sx, sy = _safe_transform(transform, y, x)
    s_in = inside(sweden, sx, sy)
    keep = valid & g_in & ~s_in
    swap = valid & s_in & ~g_in
    both = valid & g_in & s_in
    if kommun is not None and both.any():
        g_k = np.zeros(n, dtype=bool)
        s_k = np.zeros(n, dtype=bool)
        g_k[both] = inside(kommun, gx[both], gy[both])
        s_k[both] = inside(kommun, sx[both], sy[both])
        keep |= both & g_k & ~s_k
        swap |= both & s_k & ~g_k
    open_rows = valid & ~keep & ~swap
    if open_rows.any():
        if swap.any() and not keep.any():
            swap |= open_rows  # every decided row says swapped: the file is
        elif not (keep.any() and not swap.any()) and not explicit_axes:
            undecided = open_rows & both  # x/y names, no help from the rest of the file
    swapped = swap
    out_x = np.where(swapped, sx, gx)
    out_y = np.where(swapped, sy, gy)
    return AxisDecision(out_x, out_y, swapped, undecided, np.where(swapped, s_in, g_in))


def _safe_transform(transform: Callable, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", over="ignore"):
        tx, ty = transform(x, y)
    tx, ty = np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
    bad = ~(np.isfinite(tx) & np.isfinite(ty))
    tx[bad], ty[bad] = np.nan, np.nan
    return tx, ty


def _box_may_reach_sweden(source: CRS, x: np.ndarray, y: np.ndarray, valid: np.ndarray) -> bool:
    """Whether the swapped points' box, in degrees, may touch Sweden's box."""
    if not valid.any():
        return False
    to_wgs84 = transformer(source.to_wkt(), "EPSG:4326")
    try:
        west, south, east, north = to_wgs84.transform_bounds(
            y[valid].min(), x[valid].min(), y[valid].max(), x[valid].max(), densify_pts=21
        )
    except ProjError:
        return True
    if not all(np.isfinite([west, south, east, north])):
        return True
    w, s, e, n = SWEDEN_BBOX_WGS84
    return not (east < w or west > e or north < s or south > n)
