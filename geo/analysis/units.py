"""Units of the lägesbild: grid cells or area polygons, and which unit a point is in.

A unit frame has a ``unit_id`` column, polygon geometry in EPSG:3006, and
for grids the integer corner columns ``cell_x``/``cell_y``. Points are
assigned by position (an int array into the unit frame, -1 outside), so a
filter change never repeats a spatial join.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from geo.analysis.grid import make_grid
from geo.crs import require_projected

UnitKind = Literal["grid250", "grid1000", "areas"]
UNIT_KINDS: tuple[str, ...] = ("grid250", "grid1000", "areas")
GRID_SIZE_OF: dict[str, int] = {"grid250": 250, "grid1000": 1000}


def check_unit_kind(unit: str) -> str:
    """Return ``unit`` if it is a known unit kind.

    Parameters
    ----------
    unit : str
        ``grid250``, ``grid1000`` or ``areas``.

    Returns
    -------
    str
        The unit kind.

    Raises
    ------
    ValueError
        For any other value; the message lists the allowed ones.
    """
    if unit not in UNIT_KINDS:
        msg = f"unit={unit!r} is not allowed; allowed: {', '.join(UNIT_KINDS)}"
        raise ValueError(msg)
    return unit


def build_units(unit: str, *, boundary: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None = None,
                area_kind: str = "kommundel") -> gpd.GeoDataFrame:
    """Build the unit frame for a lägesbild.

    Parameters
    ----------
    unit : {"grid250", "grid1000", "areas"}
        The geography.
    boundary : geopandas.GeoDataFrame
        The kommun polygon (EPSG:3006); grid cells are clipped to it.
    areas : geopandas.GeoDataFrame, optional
        The areas layer; required for ``unit="areas"``.
    area_kind : str, default "kommundel"
        Which areas to use (``kommundel``, ``deso``, ``regso``, ``kommun``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``unit_id``, ``name``, ``population`` (areas; NaN for grids), and the
        polygon geometry, indexed 0..n-1.

    Raises
    ------
    ValueError
        If the unit kind is unknown or there are no areas of ``area_kind``.
    """
    check_unit_kind(unit)
    if unit in GRID_SIZE_OF:
        grid = make_grid(boundary, GRID_SIZE_OF[unit])
        grid["name"] = grid["unit_id"]
        grid["population"] = np.nan
        return grid
    if areas is None or areas.empty:
        msg = "unit='areas' needs an areas layer in the store"
        raise ValueError(msg)
    chosen = areas[areas["kind"] == area_kind]
    if chosen.empty:
        kinds = ", ".join(sorted(areas["kind"].dropna().unique()))
        msg = f"there are no areas of kind {area_kind!r} in the store; kinds present: {kinds}"
        raise ValueError(msg)
    out = chosen[["code", "name", "population", chosen.geometry.name]].rename(columns={"code": "unit_id"})
    out["population"] = out["population"].astype("Float64").astype(float)
    return out.reset_index(drop=True)


def locate_points(units: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, *, unit: str) -> np.ndarray:
    """Return, per point, the position of its unit in ``units`` (-1 outside all).

    Grid units use floor binning of the coordinates (a point on a border
    goes to exactly one cell, the one to its upper right); areas use an
    STRtree point-in-polygon query (a point on a shared border goes to the
    first area in order).

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        From :func:`build_units`.
    x, y : numpy.ndarray
        Point coordinates in the units' CRS.
    unit : str
        The unit kind the frame was built for.

    Returns
    -------
    numpy.ndarray of int64
        Positions into ``units``.
    """
    require_projected(units, name="units")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if unit in GRID_SIZE_OF:
        return _locate_in_grid(units, x, y, GRID_SIZE_OF[unit])
    result = np.full(len(x), -1, dtype=np.int64)
    if len(x) == 0:
        return result
    tree = shapely.STRtree(units.geometry.to_numpy())
    point_idx, unit_idx = tree.query(shapely.points(x, y), predicate="intersects")
    # keep the first unit (lowest position) for points on shared borders
    order = np.lexsort((unit_idx, point_idx))
    point_idx, unit_idx = point_idx[order], unit_idx[order]
    first = np.ones(len(point_idx), dtype=bool)
    first[1:] = point_idx[1:] != point_idx[:-1]
    result[point_idx[first]] = unit_idx[first]
    return result


def _locate_in_grid(units: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, size: int) -> np.ndarray:
    """Look each point's cell up in a dense table of unit positions: O(n), no sort.

    The table has a margin of -1 on every side, so clipping a point's row
    and column into the table sends points outside the grid to -1 without
    a boolean mask.
    """
    if len(units) == 0 or len(x) == 0:
        return np.full(len(x), -1, dtype=np.int64)
    ux = units["cell_x"].to_numpy(np.int64) // size
    uy = units["cell_y"].to_numpy(np.int64) // size
    x0, y0 = ux.min() - 1, uy.min() - 1
    table = np.full((uy.max() - y0 + 2, ux.max() - x0 + 2), -1, dtype=np.int64)
    table[uy - y0, ux - x0] = np.arange(len(units))
    rows, cols = table.shape
    col = _cell_number(x, size, positive=x0 > 0)
    col -= x0
    np.clip(col, 0, cols - 1, out=col)
    row = _cell_number(y, size, positive=y0 > 0)
    row -= y0
    np.clip(row, 0, rows - 1, out=row)
    row *= cols
    row += col
    return table.ravel().take(row)


def _cell_number(values: np.ndarray, size: int, *, positive: bool) -> np.ndarray:
    """Floor of ``values / size`` as integers.

    True division is exact at cell borders (660250 / 250 == 2641.0), and for
    a grid in positive coordinates truncation equals floor for every point
    that can land in it (negative values truncate to a number still below
    the grid), so the faster cast is used there.
    """
    quotient = np.divide(values, size)
    if not positive:
        np.floor(quotient, out=quotient)
    return quotient.astype(np.intp)
