"""Place imported rows: CRS, axis order, reprojection, and the outside checks.

:func:`place` takes the rows a reader gave (:class:`geo.io.import_source.Source`)
to EPSG:3006. The CRS is the file's own, or the user's for a file without
one (a file *with* a CRS and a different user CRS is refused). Swapped
axes are fixed row by row by :func:`geo.io.csv.axes.decide_axis_order`.
Rows outside Sweden, or outside the kommun (:func:`kommun_outline`, the
store's areas of kind ``kommun``), are problems unless the user allows
them; incidents placed only on a county centroid are not held against the
kommun outline.

Points are not made here: a point costs about as much to make as to read,
and a dry run needs only the first rows for its preview. Their rows are
missing in the frame and their coordinates are in a :class:`PendingPoints`,
made for the preview and the write.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryArray
from pyproj import CRS

from geo import settings
from geo.errors import CRSError
from geo.io.csv.axes import SWEDEN_BBOX_WGS84, decide_axis_order, inside, sweden_outline, transformer
from geo.io.import_report import Note
from geo.io.import_source import Source
from geo.io.layer_store import LayerStore
from layers.spec import LayerSpec
from layers.validate import Problem


@dataclass
class PendingPoints:
    """Points known by their coordinates, made as geometries only when needed.

    Making a shapely point costs about as much per row as reading the file;
    a dry run needs the points only for its preview, and the validator
    knows that a point made of finite coordinates is valid.

    Attributes
    ----------
    x, y : numpy.ndarray
        Coordinates in the analysis CRS, one per row of the frame.
    rows : numpy.ndarray of bool
        The rows whose geometry is the point ``(x, y)``; elsewhere the
        frame's own geometry (or its absence) stands.
    """

    x: np.ndarray
    y: np.ndarray
    rows: np.ndarray

    def made(self, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """Return the frame (or its first rows) with the points made.

        Parameters
        ----------
        frame : geopandas.GeoDataFrame
            The frame the points belong to, or its first rows (``head``).

        Returns
        -------
        geopandas.GeoDataFrame
            A shallow copy whose geometry holds the points.
        """
        n = len(frame)
        rows = self.rows[:n]
        geoms = frame.geometry.to_numpy().copy()
        geoms[rows] = shapely.points(self.x[:n][rows], self.y[:n][rows])
        out = frame.copy(deep=False)
        out[frame.geometry.name] = gpd.GeoSeries(GeometryArray(geoms, crs=frame.crs), index=frame.index)
        return out


def kommun_outline(store: LayerStore, stored: list[str]) -> tuple[shapely.Geometry | None, str]:
    """Return the union of the store's areas of kind kommun (analysis CRS) and their names."""
    if "areas" not in stored:
        return None, ""
    areas = store.read("areas", categories=["kommun"])
    if areas.empty:
        return None, ""
    outline = shapely.union_all(shapely.make_valid(areas.geometry.to_numpy()))
    shapely.prepare(outline)
    return outline, " / ".join(dict.fromkeys(map(str, areas["name"])))


def _source_crs(source: Source, user_crs: CRS | None, name: str) -> CRS | None:
    declared, implied = source.declared_crs, source.implied_crs
    if declared is not None:
        if user_crs is not None and not CRS.from_user_input(declared).equals(user_crs):
            msg = (f"{name} declares its CRS as {CRS.from_user_input(declared).to_string()}, but "
                   f"crs={user_crs.to_string()!r} was given; a file's own CRS is used: leave out --crs, "
                   "or correct the file if its CRS is wrong")
            raise CRSError(msg)
        return CRS.from_user_input(declared)
    if implied is not None:
        if user_crs is None or user_crs.equals(implied):
            return implied
        if user_crs.is_geographic and source.convention == "csv":
            return user_crs
        msg = (f"{name}: the columns {'/'.join(source.axis_names)} hold degrees (WGS 84), but "
               f"crs={user_crs.to_string()!r} is not a geographic CRS; leave out --crs, or rename the "
               "columns if they hold metres")
        raise CRSError(msg)
    if user_crs is not None:
        source.notes.append(Note("crs_given", {"crs": user_crs.to_string()}))
    return user_crs


def place(
    frame: gpd.GeoDataFrame,
    source: Source,
    spec: LayerSpec,
    *,
    user_crs: CRS | None,
    kommun: shapely.Geometry | None,
    kommun_name: str,
    allow_outside: bool,
    name: str,
) -> tuple[gpd.GeoDataFrame, PendingPoints | None, list[Problem]]:
    """Reproject to the analysis CRS, fix swapped axes, and report rows outside Sweden or the kommun.

    Points are not made here: their rows are missing in the frame and their
    coordinates are in the returned :class:`PendingPoints`, made only for the
    preview and the write.
    """
    if source.xy is not None and not spec.is_point_layer:
        frame, source.xy = _with_points(frame, *source.xy), None
    crs = _source_crs(source, user_crs, name)
    if crs is None:
        message = (f"{name} has no CRS{source.crs_hint}; give it with --crs (crs=...), e.g. EPSG:3006 "
                   "(SWEREF 99 TM) or EPSG:3011 (SWEREF 99 18 00)")
        if source.xy is not None:
            frame = _with_points(frame, *source.xy)
        return frame, None, [Problem(None, "geometry", message)]
    target = CRS.from_user_input(settings.analysis_crs)
    if source.convention == "csv" or not crs.equals(target):
        source.notes.append(Note("reprojected" if not crs.equals(target) else "coordinates", {
            "crs": crs.to_string(), "target": settings.analysis_crs,
            "columns": "/".join(source.coordinate_columns) or "x/y",
        }))
    pending = None
    if spec.is_point_layer:
        result, pending, checked, in_sweden, px, py, problems = _place_points(frame, source, crs, target,
                                                                              kommun)
    else:
        result, checked, in_sweden, px, py = _place_shapes(frame, crs, target)
        problems = []
    problems.extend(_outside_problems(result, source, checked, in_sweden, px, py, kommun=kommun,
                                      kommun_name=kommun_name, allow_outside=allow_outside,
                                      points=spec.is_point_layer))
    return result, pending, problems


def _with_points(frame: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray) -> gpd.GeoDataFrame:
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(x), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    return gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name),
                            geometry=gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))


def _place_points(
    frame: gpd.GeoDataFrame, source: Source, crs: CRS, target: CRS, kommun: shapely.Geometry | None
) -> tuple[gpd.GeoDataFrame, PendingPoints | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
           list[Problem]]:
    """Points: decide the axis order row by row; the points, in the target CRS, are made later."""
    geoms = frame.geometry.to_numpy()
    if source.xy is not None:
        x, y = source.xy
        is_point = np.isfinite(x) & np.isfinite(y)
    else:
        types = shapely.get_type_id(geoms)  # -1 where missing
        present = (types >= 0) & ~shapely.is_empty(geoms)
        geoms, types = _single_points(geoms, types, present, source)
        is_point = present & (types == shapely.GeometryType.POINT.value)
        x, y = _point_xy(geoms, is_point)
    decision = decide_axis_order(x, y, crs, kommun=kommun, explicit_axes=source.explicit_axes)
    moved = is_point & np.isfinite(decision.x)
    pending = None
    if source.xy is None and crs.equals(target) and not decision.swapped.any() \
            and moved.sum() == is_point.sum():
        out = geoms  # already in place: keep the geometries as read
    else:
        out = geoms.copy()
        out[is_point] = None
        pending = PendingPoints(decision.x, decision.y, moved)
    if decision.swapped.any():
        first, second = source.axis_names
        names = f"{second}/{first}" if crs.is_geographic else f"{first}/{second}"
        source.notes.append(Note("swapped", {"n": int(decision.swapped.sum()), "columns": names}))
    # out holds shapely geometries and None only: wrapped as they are, without checking each again
    result = gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name),
                              geometry=gpd.GeoSeries(GeometryArray(out, crs=target), index=frame.index))
    checked = is_point & ~decision.undecided
    problems = _undecided_problems(decision.undecided, x, y, source)
    return result, pending, checked, decision.in_sweden | ~is_point, decision.x, decision.y, problems


def _place_shapes(
    frame: gpd.GeoDataFrame, crs: CRS, target: CRS
) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lines and polygons: reproject; a valid shape is placed by a point on its surface."""
    result = frame.set_crs(crs, allow_override=True).to_crs(target)
    out = result.geometry.to_numpy()
    present = ~shapely.is_missing(out) & ~shapely.is_empty(out)
    checked = present.copy()
    checked[present] = shapely.is_valid(out[present])
    px, py = np.full(len(out), np.nan), np.full(len(out), np.nan)
    anchors = shapely.point_on_surface(out[checked])
    px[checked], py[checked] = shapely.get_x(anchors), shapely.get_y(anchors)
    in_sweden = inside(sweden_outline(settings.analysis_crs), px, py) | ~checked
    return result, checked, in_sweden, px, py


def _single_points(
    geoms: np.ndarray, types: np.ndarray, present: np.ndarray, source: Source
) -> tuple[np.ndarray, np.ndarray]:
    """Read single-part multipoints as points; return the geometries and their type ids."""
    multi = present & (types == shapely.GeometryType.MULTIPOINT.value)
    single = multi.copy()
    single[multi] = shapely.get_num_geometries(geoms[multi]) == 1
    if single.any():
        geoms, types = geoms.copy(), types.copy()
        geoms[single] = shapely.get_geometry(geoms[single], 0)
        types[single] = shapely.get_type_id(geoms[single])
        source.notes.append(Note("multipoint", {"n": int(single.sum())}))
    return geoms, types


def _point_xy(geoms: np.ndarray, is_point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of the points, NaN for the other rows."""
    if is_point.all():
        return shapely.get_x(geoms), shapely.get_y(geoms)
    x, y = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
    x[is_point], y[is_point] = shapely.get_x(geoms[is_point]), shapely.get_y(geoms[is_point])
    return x, y


def _undecided_problems(
    undecided: np.ndarray, x: np.ndarray, y: np.ndarray, source: Source
) -> list[Problem]:
    first, second = source.axis_names
    return [
        Problem(int(source.rows[i]), "geometry",
                f"cannot tell whether {first} and {second} are swapped: both ({x[i]:.0f}, {y[i]:.0f}) and "
                f"({y[i]:.0f}, {x[i]:.0f}) land in Sweden, and the kommun outline does not tell them apart; "
                f"name the columns E/N (ost/nord), or map them with --map {first}=e --map {second}=n")
        for i in np.flatnonzero(undecided)
    ]


def _outside_problems(
    frame: gpd.GeoDataFrame,
    source: Source,
    checked: np.ndarray,
    in_sweden: np.ndarray,
    px: np.ndarray,
    py: np.ndarray,
    *,
    kommun: shapely.Geometry | None,
    kommun_name: str,
    allow_outside: bool,
    points: bool,
) -> list[Problem]:
    out_sweden = checked & ~in_sweden
    out_kommun = np.zeros(len(frame), dtype=bool)
    if kommun is None:
        source.notes.append(Note("no_kommun"))
    else:
        exempt = _equals(frame, "location_precision", "county")
        test = checked & ~exempt
        if points:
            out_kommun[test] = ~inside(kommun, px[test], py[test])
        else:
            out_kommun[test] = ~shapely.intersects(kommun, frame.geometry.to_numpy()[test])
    outside = out_sweden | out_kommun
    if not outside.any():
        return []
    where = kommun_name or "Sweden"
    if allow_outside:
        label = f"{where} / Sweden" if kommun is not None else "Sweden"
        source.notes.append(Note("outside_allowed", {"n": int(outside.sum()), "where": label}))
        return []
    lon, lat = _to_degrees(px, py)
    problems = []
    distance = np.full(len(frame), np.nan)
    if kommun is not None and out_kommun.any():
        distance[out_kommun] = shapely.distance(kommun, shapely.points(px[out_kommun], py[out_kommun]))
    centroid = _equals(frame, "location_precision", "kommun")
    for i in np.flatnonzero(outside):
        at = f"{lon[i]:.5f} E, {lat[i]:.5f} N" if np.isfinite(lon[i]) else "coordinates that do not transform"
        if out_sweden[i] and out_kommun[i]:
            text = f"lies outside {kommun_name} and outside Sweden ({at})"
        elif out_sweden[i]:
            box = "{}-{} E, {}-{} N".format(*np.array(SWEDEN_BBOX_WGS84)[[0, 2, 1, 3]])
            text = f"lies outside Sweden ({at}; Sweden is {box})"
        else:
            text = f"lies {_km(distance[i])} outside {kommun_name} ({at})"
            if centroid[i]:
                text += "; the point is a kommun centroid: the event is in another kommun"
        hint = "check the coordinates and the CRS, or " if out_sweden[i] else ""
        problems.append(Problem(int(source.rows[i]), "geometry",
                                f"{text}; {hint}import it anyway with --allow-outside (allow_outside=True)"))
    return problems


def _equals(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Where a column holds ``value``: False where empty, or everywhere without the column."""
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return (frame[column] == value).to_numpy(dtype=bool, na_value=False)


def _to_degrees(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = transformer(settings.analysis_crs, "EPSG:4326").transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _km(metres: float) -> str:
    if not np.isfinite(metres):
        return "somewhere"
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


__all__ = ["PendingPoints", "kommun_outline", "place"]
