"""SCB-compatible square grids in SWEREF 99 TM and counting points into them.

Cells are aligned to multiples of the cell size. A cell's ``unit_id`` is
its lower-left corner: easting in 6 digits, then northing in 7 digits
(``"6675006590000"`` is the 250 m cell with corner E 667 500, N 6 590 000).
A point on a border belongs to exactly one cell, the one to its upper right
(floor division), so no point is counted twice.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.crs import require_projected

GRID_SIZES: tuple[int, ...] = (250, 1000)


def check_cell_size(size: int) -> int:
    """Return ``size`` if it is a supported SCB grid size.

    Parameters
    ----------
    size : int
        Cell size in metres.

    Returns
    -------
    int
        The size.

    Raises
    ------
    ValueError
        If the size is not one of :data:`GRID_SIZES`.
    """
    if size not in GRID_SIZES:
        msg = f"cell size {size!r} m is not supported; allowed: {', '.join(map(str, GRID_SIZES))}"
        raise ValueError(msg)
    return size


def cell_corners(x: np.ndarray, y: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the lower-left corners of the cells holding points ``(x, y)``.

    Parameters
    ----------
    x, y : numpy.ndarray
        Coordinates in metres (EPSG:3006).
    size : int
        Cell size in metres.

    Returns
    -------
    tuple of numpy.ndarray of int64
        Easting and northing of each point's cell corner.

    Examples
    --------
    >>> cell_corners(np.array([660250.0]), np.array([6590249.9]), 250)
    (array([660250]), array([6590000]))
    """
    cx = (np.floor(np.asarray(x, dtype=float) / size) * size).astype(np.int64)
    cy = (np.floor(np.asarray(y, dtype=float) / size) * size).astype(np.int64)
    return cx, cy


def unit_ids(cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    """Format cell corners as ``unit_id`` strings (6 + 7 digits).

    Parameters
    ----------
    cx, cy : numpy.ndarray of int
        Cell corners from :func:`cell_corners`.

    Returns
    -------
    numpy.ndarray of str
        One id per cell.

    Examples
    --------
    >>> unit_ids(np.array([667500]), np.array([6590000])).tolist()
    ['6675006590000']
    """
    codes = np.asarray(cx, dtype=np.int64) * 10_000_000 + np.asarray(cy, dtype=np.int64)
    return np.char.zfill(codes.astype(str), 13)


def make_grid(boundary: gpd.GeoDataFrame, size: int | None = None, *, clip: bool = True) -> gpd.GeoDataFrame:
    """Build the grid cells that cover a boundary.

    Parameters
    ----------
    boundary : geopandas.GeoDataFrame
        Polygon(s) of the kommun, in a projected CRS (EPSG:3006).
    size : int, optional
        Cell size, 250 or 1000 m; defaults to ``settings.cell_size``.
    clip : bool, default True
        Clip cells to the boundary. The ``unit_id`` stays that of the full
        cell; ``area_share`` tells how much of the cell lies inside.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``unit_id``, ``cell_x``, ``cell_y``, ``area_share`` and the
        geometry, one row per cell that intersects the boundary (a cell
        with no data is kept: a zero is a fact), indexed from 0, in the
        boundary's CRS.

    Raises
    ------
    CRSError
        If the boundary has no CRS or a geographic one.
    """
    require_projected(boundary, name="boundary")
    size = check_cell_size(settings.cell_size if size is None else size)
    outline = shapely.union_all(boundary.geometry.to_numpy())
    minx, miny, maxx, maxy = outline.bounds
    xs = np.arange(np.floor(minx / size) * size, maxx, size)
    ys = np.arange(np.floor(miny / size) * size, maxy, size)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    boxes = shapely.box(gx, gy, gx + size, gy + size)
    shapely.prepare(outline)
    hit = shapely.intersects(outline, boxes) & ~shapely.touches(outline, boxes)
    boxes, gx, gy = boxes[hit], gx[hit], gy[hit]
    geoms = shapely.intersection(boxes, outline) if clip else boxes
    cx, cy = gx.astype(np.int64), gy.astype(np.int64)
    return gpd.GeoDataFrame(
        {
            "unit_id": unit_ids(cx, cy),
            "cell_x": cx,
            "cell_y": cy,
            "area_share": shapely.area(geoms) / float(size * size),
        },
        geometry=geoms,
        crs=boundary.crs,
    )


def count_points_in_cells(points: gpd.GeoDataFrame, size: int | None = None) -> pd.Series:
    """Count points per grid cell by array binning (no polygon join).

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Point features in a projected CRS (EPSG:3006).
    size : int, optional
        Cell size; defaults to ``settings.cell_size``.

    Returns
    -------
    pandas.Series
        Counts indexed by ``unit_id``, only cells with at least one point.

    Raises
    ------
    CRSError
        If the points have no CRS or a geographic one.
    """
    require_projected(points, name="points")
    size = check_cell_size(settings.cell_size if size is None else size)
    geoms = points.geometry.to_numpy()
    if len(geoms) == 0:  # e.g. a store of police events, all located only to the kommun
        return pd.Series([], index=pd.Index([], dtype="str", name="unit_id"), name="count", dtype=np.int64)
    cx, cy = cell_corners(shapely.get_x(geoms), shapely.get_y(geoms), size)
    codes = cx * 10_000_000 + cy
    uniq, counts = np.unique(codes, return_counts=True)
    return pd.Series(counts, index=pd.Index(np.char.zfill(uniq.astype(str), 13), name="unit_id"),
                     name="count")
