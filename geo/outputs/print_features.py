"""The features of a printed map: the choropleth and the styled layers, drawn on matplotlib axes.

:func:`draw_choropleth` colours the units by an indicator (a sequential
scale, or a diverging one around 0), hatches the units whose value is
suppressed and outlines the hot spots; :func:`draw_layer` draws a layer's
polygons, lines and points in the style of its layer spec. Both return the
legend handles of what they drew. The sheet around them (layout, scale bar,
north arrow, texts) is :mod:`geo.outputs.printmap`.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import shapely
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import Colormap, Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter

from geo import settings
from geo.analysis.lagesbild import indicator_label
from geo.i18n import format_number, t
from layers.spec import LayerSpec

#: Lägesbild classes outlined as hot spots.
HOT_CLASSES: tuple[str, ...] = ("hot_99", "hot_95", "hot_90")
#: A box on the sheet in figure fractions: (left, bottom, width, height).
Box = tuple[float, float, float, float]

_SEQUENTIAL_CMAP = "YlOrRd"
_DIVERGING_CMAP = "RdBu_r"
_SUPPRESSED_FACE = "#d9d9d9"
_SUPPRESSED_EDGE = "#969696"
_SUPPRESSED_HATCH = "////"
_HOTSPOT_COLOR = "#000000"
#: Line width of the hot spot outline, in points.
HOTSPOT_WIDTH = 1.8
_CELL_EDGE = "#ffffff"
# Leaflet sizes are screen pixels; on paper lines get this many points per pixel,
# markers fewer (a printed sheet is read closer than a screen, and is denser).
_POINTS_PER_PIXEL = 0.6
_MARKER_POINTS_PER_PIXEL = 0.4
_POINT_FILL_ALPHA = 0.8
#: Draw order: choropleth, layer polygons, lines, points, hot spot outline, map furniture.
Z_ORDER: dict[str, int] = {"choropleth": 1, "polygons": 2, "lines": 3, "points": 4, "hotspots": 5,
                           "furniture": 10}


# --- geometry to matplotlib -------------------------------------------------


def _polygon_paths(geoms: np.ndarray) -> list[MplPath]:
    """One compound path (exteriors and holes) per polygon or multipolygon."""
    paths = []
    for geom in geoms:
        vertices, codes = [], []
        for part in shapely.get_parts(geom):
            for ring in (part.exterior, *part.interiors):
                xy = shapely.get_coordinates(ring)
                ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
                ring_codes[0] = MplPath.MOVETO
                ring_codes[-1] = MplPath.CLOSEPOLY
                vertices.append(xy)
                codes.append(ring_codes)
        if vertices:
            paths.append(MplPath(np.concatenate(vertices), np.concatenate(codes)))
    return paths


def _split_geometries(frame: gpd.GeoDataFrame) -> dict[str, np.ndarray]:
    """Row positions of points, lines and polygons (empty geometries dropped)."""
    geoms = frame.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    return {
        "points": np.flatnonzero(present & np.isin(kinds, (0, 4))),
        "lines": np.flatnonzero(present & np.isin(kinds, (1, 2, 5))),
        "polygons": np.flatnonzero(present & np.isin(kinds, (3, 6))),
    }


# --- the choropleth -----------------------------------------------------------


def _scale_for(values: np.ndarray) -> tuple[Colormap, Normalize]:
    shown = values[np.isfinite(values)]
    low, high = (float(shown.min()), float(shown.max())) if len(shown) else (0.0, 1.0)
    if low < 0 < high:
        return mpl.colormaps[_DIVERGING_CMAP], TwoSlopeNorm(vcenter=0.0, vmin=low, vmax=high)
    if high <= low:
        high = low + 1.0
    return mpl.colormaps[_SEQUENTIAL_CMAP], Normalize(vmin=low, vmax=high)


def draw_choropleth(fig: Figure, ax, cells: gpd.GeoDataFrame, column: str, lang: str, *,
                    hotspots: bool, colorbar_box: Box) -> list[Patch]:
    """Colour the units by ``column`` with a colour bar; grey-hatch missing values, outline hot spots.

    Returns the legend handles of what is drawn besides the colour scale.
    """
    values = cells[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    geoms = cells.geometry.to_numpy()
    drawable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    shown = np.isfinite(values) & drawable
    hidden = ~np.isfinite(values) & drawable
    cmap, norm = _scale_for(values)
    ax.add_collection(PathCollection(
        _polygon_paths(geoms[shown]), facecolors=cmap(norm(values[shown])), edgecolors=_CELL_EDGE,
        linewidths=0.2, zorder=Z_ORDER["choropleth"]))
    _draw_colorbar(fig, colorbar_box, cmap, norm, indicator_label(column, lang), lang)
    handles: list[Patch] = []
    if hidden.any():
        ax.add_collection(PathCollection(
            _polygon_paths(geoms[hidden]), facecolors=_SUPPRESSED_FACE, edgecolors=_SUPPRESSED_EDGE,
            linewidths=0.2, hatch=_SUPPRESSED_HATCH, zorder=Z_ORDER["choropleth"]))
        handles.append(Patch(facecolor=_SUPPRESSED_FACE, edgecolor=_SUPPRESSED_EDGE, hatch=_SUPPRESSED_HATCH,
                             label=t("printmap.suppressed", lang, k=settings.min_count)))
    if hotspots and "gi_class" in cells.columns:
        handles += _draw_hotspots(ax, cells, lang)
    return handles


def _draw_hotspots(ax, cells: gpd.GeoDataFrame, lang: str) -> list[Patch]:
    hot = cells.geometry.to_numpy()[cells["gi_class"].isin(HOT_CLASSES).to_numpy()]
    if not len(hot):
        return []
    outline = shapely.union_all(hot)
    ax.add_collection(PathCollection(
        _polygon_paths(np.array([outline])), facecolors="none", edgecolors=_HOTSPOT_COLOR,
        linewidths=HOTSPOT_WIDTH, zorder=Z_ORDER["hotspots"]))
    return [Patch(facecolor="none", edgecolor=_HOTSPOT_COLOR, linewidth=HOTSPOT_WIDTH,
                  label=t("printmap.hotspot", lang))]


def _draw_colorbar(fig: Figure, box: Box, cmap: Colormap, norm: Normalize, label: str, lang: str) -> None:
    cax = fig.add_axes(box)
    span = float(norm.vmax - norm.vmin)
    decimals = 0 if span >= 10 else (1 if span >= 1 else 2)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal")
    bar.ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _pos: format_number(value, lang, decimals=decimals)))
    bar.ax.tick_params(labelsize=7)
    bar.ax.set_title(label, fontsize=9, loc="left")


# --- the other layers -----------------------------------------------------------


def _layer_colours(frame: gpd.GeoDataFrame, spec: LayerSpec) -> np.ndarray:
    style = spec.style
    if not (style.color_by and style.color_by in frame.columns):
        return np.full(len(frame), style.color, dtype=object)
    palette = dict(style.palette)
    return np.array([palette.get(v, style.color) for v in frame[style.color_by].astype(str)], dtype=object)


def _legend_entries(frame: gpd.GeoDataFrame, spec: LayerSpec, colours: np.ndarray,
                    lang: str) -> list[tuple[str, str]]:
    """(label, colour) per colour used, in palette order."""
    style = spec.style
    used = set(colours.tolist())
    if not (style.color_by and style.color_by in frame.columns):
        return [(spec.label(lang), style.color)]
    choices = {c.code: c for c in spec.column(style.color_by).choices}
    entries = []
    for code, colour in style.palette:
        if colour in used and code in frame[style.color_by].astype(str).to_numpy():
            choice = choices.get(code)
            label = code if choice is None else choice.label(lang)
            entries.append((f"{spec.label(lang)}: {label}", colour))
    if style.color in used:
        entries.append((spec.label(lang), style.color))
    return entries


def draw_layer(ax, frame: gpd.GeoDataFrame, spec: LayerSpec, lang: str) -> list[Patch | Line2D]:
    """Draw a layer's polygons, lines and points styled by its spec; return its legend handles."""
    if not len(frame):
        return []
    style = spec.style
    colours = _layer_colours(frame, spec)
    parts = _split_geometries(frame)
    geoms = frame.geometry.to_numpy()
    fill_alpha = style.fill_opacity
    if len(parts["polygons"]):
        faces = [mpl.colors.to_rgba(style.fill_color or c, fill_alpha) for c in colours[parts["polygons"]]]
        ax.add_collection(PathCollection(
            _polygon_paths(geoms[parts["polygons"]]), facecolors=faces,
            edgecolors=list(colours[parts["polygons"]]), linewidths=style.weight * _POINTS_PER_PIXEL,
            zorder=Z_ORDER["polygons"]))
    if len(parts["lines"]):
        segments = [shapely.get_coordinates(p) for g in geoms[parts["lines"]] for p in shapely.get_parts(g)]
        ax.add_collection(LineCollection(segments, colors=style.color,
                                         linewidths=style.weight * _POINTS_PER_PIXEL,
                                         zorder=Z_ORDER["lines"]))
    marker_size = style.radius * 2 * _MARKER_POINTS_PER_PIXEL
    if len(parts["points"]):
        points = geoms[parts["points"]]
        edges = np.repeat(colours[parts["points"]], shapely.get_num_geometries(points))
        xy = shapely.get_coordinates(shapely.get_parts(points))
        ax.scatter(xy[:, 0], xy[:, 1], s=marker_size**2, marker="o",
                   c=[mpl.colors.to_rgba(style.fill_color or e, _POINT_FILL_ALPHA) for e in edges],
                   edgecolors=list(edges), linewidths=0.3, zorder=Z_ORDER["points"])
    is_points = len(parts["points"]) > 0
    return [_legend_handle(label, colour, style.fill_color, fill_alpha, marker_size, points=is_points)
            for label, colour in _legend_entries(frame, spec, colours, lang)]


def _legend_handle(label: str, colour: str, fill: str | None, alpha: float, size: float, *,
                   points: bool) -> Patch | Line2D:
    if points:
        return Line2D([], [], linestyle="none", marker="o", markersize=max(size, 4),
                      markerfacecolor=mpl.colors.to_rgba(fill or colour, _POINT_FILL_ALPHA),
                      markeredgecolor=colour, markeredgewidth=0.5, label=label)
    return Patch(facecolor=mpl.colors.to_rgba(fill or colour, alpha), edgecolor=colour, label=label)
