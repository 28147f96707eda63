"""Cameras: view sectors and camera coverage (action 6).

A camera sees a wedge: from its position, centred on ``direction_deg`` (a
compass bearing: 0 = north, 90 = east, clockwise), ``angle_deg`` wide (360 is
a full circle) and ``range_m`` deep. :func:`view_sectors` builds the wedges
for all cameras at once with numpy; :func:`covered_share` gives the share of
each unit's area that some camera sees, and :func:`points_in_sectors` tells,
per point, whether it is in view (PREPARE phase of the lägesbild engine);
:func:`in_view_by_unit` aggregates those flags under a filter mask (COMPUTE).

The arc of a wedge is drawn with vertices on the circle at most
``resolution_deg`` apart, so the polygon lies inside the true sector and
misses at most a sliver ``range_m * (1 - cos(resolution / 2))`` deep at the
rim (0.1 m for 100 m at 5°): coverage is never overstated. The relative area
error is below ``1 - sin(r) / r`` for the resolution ``r`` in radians
(0.13 % at 5°).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.indicators._common import check_mask as _check_mask
from geo.analysis.indicators._common import check_n_units as _check_n_units
from geo.analysis.indicators._common import check_unit_index as _check_unit_index
from geo.analysis.indicators._common import covered_share as covered_share_of
from geo.crs import check_same_crs, require_crs, require_projected
from layers.cameras import SPEC as CAMERAS_SPEC

CAMERA_STATUSES: tuple[str, ...] = tuple(c.code for c in CAMERAS_SPEC.column("status").choices)
"""Allowed camera statuses, from the cameras layer spec."""

MAX_RESOLUTION_DEG: float = 90.0
"""Coarsest allowed angular step between arc vertices."""

_SECTOR_COLUMNS = ("direction_deg", "angle_deg", "range_m")


# --------------------------------------------------------------------------- sectors


def view_sectors(
    cameras: gpd.GeoDataFrame,
    *,
    resolution_deg: float = 5.0,
    include_planned: bool = False,
) -> gpd.GeoSeries:
    """Build one view-sector polygon per camera in use.

    Parameters
    ----------
    cameras : geopandas.GeoDataFrame
        The cameras layer: point geometries in a projected CRS and columns
        ``status``, ``direction_deg``, ``angle_deg`` and ``range_m``.
    resolution_deg : float, default 5.0
        Largest angle between two vertices of the arc, in degrees, in
        ``(0, 90]``.
    include_planned : bool, default False
        Also draw planned cameras (to judge a proposal). Removed cameras are
        never drawn.

    Returns
    -------
    geopandas.GeoSeries
        One polygon per active (and, if asked, planned) camera, indexed like
        those rows of ``cameras``, in their CRS. A camera with
        ``angle_deg == 360`` gets a disc.

    Raises
    ------
    CRSError
        If ``cameras`` has no CRS or a geographic one.
    ValueError
        If a column is missing, a status is unknown, a drawn camera has no
        position or a direction, angle or range outside the spec's range,
        or ``resolution_deg`` is outside ``(0, 90]``.

    Examples
    --------
    >>> from shapely import Point
    >>> cams = gpd.GeoDataFrame(
    ...     {"status": ["active", "removed"], "direction_deg": [90.0, 0.0],
    ...      "angle_deg": [90.0, 90.0], "range_m": [100.0, 100.0]},
    ...     geometry=[Point(0, 0), Point(0, 0)], crs="EPSG:3006")
    >>> sectors = view_sectors(cams)
    >>> len(sectors), round(float(sectors.area.iloc[0]))
    (1, 7844)
    """
    require_projected(cameras, name="cameras")
    resolution = _check_resolution(resolution_deg)
    missing = [c for c in ("status", *_SECTOR_COLUMNS) if c not in cameras.columns]
    if missing:
        msg = (f"cameras lacks column(s) {', '.join(missing)}; required: status, "
               f"{', '.join(_SECTOR_COLUMNS)}")
        raise ValueError(msg)
    status = cameras["status"]
    _check_statuses(status)
    drawn = ["active", "planned"] if include_planned else ["active"]
    selected = cameras[status.isin(drawn).to_numpy(dtype=bool)]
    xy = _points_xy(selected)
    if not np.isfinite(xy).all():
        first = selected.index[int(np.argmax(~np.isfinite(xy).all(axis=1)))]
        msg = f"cameras row {first!r} has no position; a camera in use needs a point geometry"
        raise ValueError(msg)
    direction, angle, reach = (_sector_column(selected, name) for name in _SECTOR_COLUMNS)
    geoms = _wedges(xy, direction, angle, reach, resolution)
    return gpd.GeoSeries(geoms, index=selected.index, crs=cameras.crs, name="sector")


def covered_share(units: gpd.GeoDataFrame, sectors: gpd.GeoSeries) -> np.ndarray:
    """Return the share of each unit's area inside the union of the sectors.

    Overlapping sectors are merged first, so an area seen by two cameras
    counts once.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Grid cells or area polygons, in a projected CRS.
    sectors : geopandas.GeoSeries
        View sectors from :func:`view_sectors`, in the same CRS.

    Returns
    -------
    numpy.ndarray of float64, shape (len(units),)
        Share in ``[0, 1]``, aligned with ``units``; ``NaN`` for a unit with
        no area.

    Raises
    ------
    CRSError
        If either input has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If ``sectors`` is not a GeoSeries or GeoDataFrame.

    Examples
    --------
    >>> from shapely import box
    >>> units = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:3006")
    >>> covered_share(units, gpd.GeoSeries([box(5, 0, 12, 10)], crs="EPSG:3006"))
    array([0.5, 0.2])
    """
    require_projected(units, name="units")
    cover = _geometries(sectors, "sectors")
    require_crs(sectors, name="sectors")
    check_same_crs(units, sectors, left_name="units", right_name="sectors")
    return covered_share_of(np.asarray(units.geometry.array, dtype=object), _union(cover))


def points_in_sectors(points_xy: np.ndarray, sectors: gpd.GeoSeries) -> np.ndarray:
    """Return, per point, whether some camera sees it.

    A point on a sector's edge is in view.

    Parameters
    ----------
    points_xy : numpy.ndarray, shape (n, 2)
        Point coordinates in the sectors' CRS; a row with a non-finite
        coordinate is not in view.
    sectors : geopandas.GeoSeries
        View sectors from :func:`view_sectors`.

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True for a point inside the union of the sectors.

    Raises
    ------
    ValueError
        If ``points_xy`` is not of shape (n, 2) or ``sectors`` is not a
        GeoSeries or GeoDataFrame.

    Notes
    -----
    The sectors are merged once and the union is prepared, so a million
    points take a fraction of a second.

    Examples
    --------
    >>> from shapely import box
    >>> points_in_sectors(np.array([[1.0, 1.0], [5.0, 5.0]]),
    ...                   gpd.GeoSeries([box(0, 0, 2, 2)], crs="EPSG:3006"))
    array([ True, False])
    """
    xy = np.asarray(points_xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        msg = f"points_xy must have shape (n, 2); received shape {xy.shape}"
        raise ValueError(msg)
    cover = _union(_geometries(sectors, "sectors"))
    out = np.zeros(len(xy), dtype=bool)
    ok = np.isfinite(xy).all(axis=1)
    if cover.is_empty or not ok.any():
        return out
    shapely.prepare(cover)
    out[ok] = shapely.intersects_xy(cover, xy[ok, 0], xy[ok, 1])
    return out


def in_view_by_unit(
    unit_index: np.ndarray,
    in_view: np.ndarray,
    n_units: int,
    *,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Count selected points, and those in camera view, per unit (COMPUTE phase).

    Parameters
    ----------
    unit_index : numpy.ndarray of int, shape (n,)
        Position of each point's unit in ``units``, ``-1`` outside.
    in_view : numpy.ndarray of bool, shape (n,)
        From :func:`points_in_sectors`.
    n_units : int
        Number of units; the result has this many rows.
    mask : numpy.ndarray of bool, shape (n,), optional
        The points selected by the user's filters; all when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed ``0 .. n_units - 1`` with ``points_in_view`` (int64) and
        ``points_in_view_share`` (``NaN`` for a unit with no selected point).

    Raises
    ------
    ValueError
        If the arrays differ in length or are of the wrong type, or
        ``unit_index`` is out of ``[-1, n_units)``.

    Examples
    --------
    >>> out = in_view_by_unit(np.array([0, 0, 1, -1]), np.array([True, False, False, True]), 2)
    >>> out["points_in_view"].tolist(), out["points_in_view_share"].tolist()
    ([1, 0], [0.5, 0.0])
    """
    n_units = _check_n_units(n_units)
    index = _check_unit_index(unit_index, n_units)
    seen = _check_mask(np.asarray(in_view), len(index), name="in_view")
    keep = index >= 0
    selected = _check_mask(mask, len(index), name="mask")
    if selected is not None:
        keep &= selected
    total = np.bincount(index[keep], minlength=n_units)
    hits = np.bincount(index[keep & seen], minlength=n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, hits / total, np.nan)
    return pd.DataFrame({"points_in_view": hits.astype(np.int64), "points_in_view_share": share},
                        index=pd.RangeIndex(n_units))


# --------------------------------------------------------------------------- helpers


def _wedges(xy: np.ndarray, direction: np.ndarray, angle: np.ndarray, reach: np.ndarray,
            resolution: float) -> np.ndarray:
    """Sector polygons for all cameras: centre + arc, or a closed arc for a full circle."""
    if len(xy) == 0:
        return np.empty(0, dtype=object)
    full = angle >= 360.0
    n_seg = np.maximum(1, np.ceil(angle / resolution - 1e-9)).astype(np.int64)
    n_arc = np.where(full, n_seg, n_seg + 1)  # a disc does not repeat its first vertex
    n_coords = n_arc + ~full
    camera = np.repeat(np.arange(len(xy)), n_coords)
    position = np.arange(n_coords.sum()) - np.repeat(np.cumsum(n_coords) - n_coords, n_coords)
    wedge = ~full[camera]
    is_centre = wedge & (position == 0)
    vertex = position - wedge
    bearing = np.radians(direction[camera] - angle[camera] / 2.0
                         + vertex * (angle[camera] / n_seg[camera]))
    x = np.where(is_centre, xy[camera, 0], xy[camera, 0] + reach[camera] * np.sin(bearing))
    y = np.where(is_centre, xy[camera, 1], xy[camera, 1] + reach[camera] * np.cos(bearing))
    rings = shapely.linearrings(np.column_stack([x, y]), indices=camera)
    return shapely.polygons(rings)




def _union(geoms: np.ndarray) -> shapely.Geometry:
    present = geoms[~shapely.is_missing(geoms)]
    invalid = ~shapely.is_valid(present)
    if invalid.any():
        present = present.copy()
        present[invalid] = shapely.make_valid(present[invalid])
    return shapely.union_all(present)


def _geometries(value: gpd.GeoSeries | gpd.GeoDataFrame, name: str) -> np.ndarray:
    if not isinstance(value, gpd.GeoSeries | gpd.GeoDataFrame):
        msg = f"{name} must be a GeoSeries (from view_sectors); received {type(value).__name__}"
        raise ValueError(msg)
    return np.asarray(value.geometry.array, dtype=object)


def _points_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = np.asarray(frame.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)
    bad = (types != -1) & (types != shapely.GeometryType.POINT)
    if bad.any():
        first = int(np.argmax(bad))
        kind = shapely.GeometryType(int(types[first])).name.title()
        msg = f"cameras must hold Point geometries; row {frame.index[first]!r} is a {kind}"
        raise ValueError(msg)
    out = np.full((len(geoms), 2), np.nan)
    ok = (types == shapely.GeometryType.POINT) & ~shapely.is_empty(geoms)
    out[ok] = shapely.get_coordinates(geoms[ok])
    return out


def _sector_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    spec = CAMERAS_SPEC.column(name)
    values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values) | (values < spec.minimum) | (values > spec.maximum)
    if bad.any():
        first = int(np.argmax(bad))
        raw = frame[name].iloc[first]
        shown = raw.item() if isinstance(raw, np.generic) else raw
        msg = (f"cameras.{name} is {shown!r} in row {frame.index[first]!r}; "
               f"allowed: a number from {spec.minimum:g} to {spec.maximum:g}")
        raise ValueError(msg)
    return values


def _check_statuses(status: pd.Series) -> None:
    unknown = sorted({str(s) for s in status.dropna().unique()} - set(CAMERA_STATUSES))
    if unknown:
        msg = (f"cameras.status holds unknown value(s) {', '.join(map(repr, unknown))}; "
               f"allowed: {', '.join(CAMERA_STATUSES)}")
        raise ValueError(msg)


def _check_resolution(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = np.nan
    if not (0.0 < number <= MAX_RESOLUTION_DEG):
        msg = f"resolution_deg={value!r} is not allowed; expected degrees in (0, {MAX_RESOLUTION_DEG:g}]"
        raise ValueError(msg)
    return number








__all__ = [
    "CAMERA_STATUSES",
    "MAX_RESOLUTION_DEG",
    "covered_share",
    "in_view_by_unit",
    "points_in_sectors",
    "view_sectors",
]
