"""Printable maps for meetings: a lägesbild choropleth and layers as PNG or PDF.

The map is drawn in EPSG:3006 (SWEREF 99 TM), so one metre on the ground is
the same length everywhere on the sheet and the scale bar is true. There is
no basemap: the print shows the map's own layers only, and needs no network.

The function draws exactly what it is given. Pass frames that have already
been through the privacy gate (:func:`geo.outputs.maps.base.collect_map_data` and a
lägesbild computed for the right audience); as a second line of defence a
layer whose spec is ``protected``, or any row holding a protected category,
is refused with :class:`geo.errors.PrivacyError`.

Output is reproducible: the same input gives the same bytes (fixed PNG
``Software`` and PDF ``Creator``/``Producer`` metadata, no creation date).
Figures are built with :class:`matplotlib.figure.Figure` directly, never
through :mod:`matplotlib.pyplot`, so no global figure state is touched.
This module lays out the sheet (paper, map box, legend panel, scale bar,
north arrow, texts); the choropleth and the layers are drawn by
:mod:`geo.outputs.print_features`.

Examples
--------
>>> nice_scale_length(4000)
1000
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from geo import settings
from geo.crs import require_projected, to_analysis_crs
from geo.errors import PrivacyError
from geo.i18n import check_language, format_date, t
from geo.outputs.print_features import Z_ORDER, Box, draw_choropleth, draw_layer
from geo.privacy import protected_mask
from layers import get_spec
from layers.spec import LayerSpec

#: Paper sizes in millimetres, (long side, short side).
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
MM_PER_INCH = 25.4
#: Output formats and the metadata that keeps their bytes the same run to run.
FORMAT_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": "Trygghetskartan"},
    "pdf": {"Creator": "Trygghetskartan", "Producer": "Trygghetskartan", "CreationDate": None},
}
DPI_RANGE: tuple[int, int] = (50, 1200)
#: Scale bar lengths are 1, 2 or 5 times a power of ten, about this share of the map width.
SCALE_SHARE = 0.2
SCALE_SEGMENTS = 4

# Sheet layout in inches, so text keeps its place on any paper size and orientation.
_MARGIN_IN = 0.4
_TITLE_TOP_IN = 0.35
_SUBTITLE_TOP_IN = 0.75
_MAP_TOP_IN = 1.0
_MAP_BOTTOM_IN = 0.6
_SOURCE_BOTTOM_IN = 0.3
_PANEL_GAP_IN = 0.3
_PANEL_MIN_IN = 2.7
_PANEL_SHARE = 0.24
_COLORBAR_TOP_IN = 0.35
_COLORBAR_HEIGHT_IN = 0.2
_LEGEND_TOP_IN = 1.0
_MAP_PAD = 0.03


def nice_scale_length(width_m: float) -> int:
    """Return a round scale bar length, about a fifth of the map width.

    The length is the number of the form 1, 2 or 5 times a power of ten
    nearest (on a log scale) to ``width_m / 5``, so the bar covers between
    about 14 % and 28 % of the map. Lengths below 100 m are allowed (a 300 m
    wide map gets a 50 m bar); the shortest bar is 1 m.

    Parameters
    ----------
    width_m : float
        Width of the map extent in metres.

    Returns
    -------
    int
        The bar length in metres.

    Raises
    ------
    ValueError
        If ``width_m`` is not a finite positive number.

    Examples
    --------
    >>> nice_scale_length(4000)
    1000
    >>> nice_scale_length(9500)
    2000
    >>> nice_scale_length(300)
    50
    >>> [nice_scale_length(w) for w in (600, 1500, 2500, 30_000)]
    [100, 200, 500, 5000]
    """
    if not (isinstance(width_m, int | float) and math.isfinite(width_m) and width_m > 0):
        msg = f"width_m={width_m!r} must be a finite number of metres greater than 0"
        raise ValueError(msg)
    target = width_m * SCALE_SHARE
    exponent = math.floor(math.log10(target)) if target >= 1 else 0
    candidates = [m * 10**e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5)]
    candidates = [c for c in candidates if c >= 1]
    return int(min(candidates, key=lambda c: (abs(math.log(c / target)), c)))


def render_print_map(
    *,
    title: str,
    choropleth: gpd.GeoDataFrame | None = None,
    column: str | None = None,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
    lang: str = "sv",
    sources: Sequence[str] = (),
    date: pd.Timestamp | None = None,
    hotspots: bool = True,
    fmt: Literal["png", "pdf"] = "png",
    dpi: int = 150,
    paper: Literal["A4", "A3"] = "A4",
    landscape: bool = True,
) -> bytes:
    """Render a printable map with title, legend, scale bar, north arrow and sources.

    Parameters
    ----------
    title : str
        The map's heading.
    choropleth : geopandas.GeoDataFrame, optional
        Units to colour by ``column``, e.g. a lägesbild from
        :func:`geo.privacy.build_lagesbild`. Any projected or geographic
        CRS; it is reprojected to EPSG:3006.
    column : str, optional
        The numeric column of ``choropleth`` to colour by (required with a
        choropleth). Its legend label comes from
        :data:`geo.analysis.lagesbild.INDICATORS`, else the column name. Missing
        values (suppressed counts) are drawn grey and hatched.
    layers : mapping of str to geopandas.GeoDataFrame, optional
        Layer name → features, e.g. ``collect_map_data(store, audience).layers``;
        each is styled by its layer spec and drawn in the given order.
    lang : {"sv", "en"}, default "sv"
        Language of every text on the sheet.
    sources : sequence of str, default ()
        Data sources for the source line; defaults to Trygghetskartan.
    date : pandas.Timestamp, optional
        The date in the subtitle (ISO, ``2026-03-28``); defaults to today in
        Europe/Stockholm. Pass it for byte-identical output across days.
    hotspots : bool, default True
        Outline units whose ``gi_class`` is ``hot_99``, ``hot_95`` or
        ``hot_90`` (ignored when the choropleth has no ``gi_class``).
    fmt : {"png", "pdf"}, default "png"
        Output format.
    dpi : int, default 150
        Resolution of the PNG (and of hatching in the PDF), 50 to 1200.
    paper : {"A4", "A3"}, default "A4"
        Paper size.
    landscape : bool, default True
        Landscape or portrait orientation.

    Returns
    -------
    bytes
        The PNG or PDF file.

    Raises
    ------
    CRSError
        If a frame has no CRS, or the analysis CRS is geographic.
    PrivacyError
        If a layer is protected or holds rows in a protected category.
    LayerSpecError
        If a layer name is unknown.
    ValueError
        On an unknown format, paper, language or dpi, a missing or
        non-numeric ``column``, or when there is nothing to draw.

    See Also
    --------
    geo.outputs.maps.base.collect_map_data : The gated layers an audience may see.
    geo.privacy.build_lagesbild : The lägesbild to use as choropleth.

    Notes
    -----
    The north arrow shows grid north of SWEREF 99 TM (up on the sheet). In
    Järfälla, about 2.8° east of the projection's central meridian (15° E),
    true north differs from grid north by about 2.5°.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"incidents": [3, 12]},
    ...                          geometry=[box(0, 0, 250, 250), box(250, 0, 500, 250)],
    ...                          crs="EPSG:3006")
    >>> png = render_print_map(title="Händelser", choropleth=cells, column="incidents",
    ...                        date=pd.Timestamp("2026-03-28"), dpi=50)
    >>> png[1:4]
    b'PNG'
    """
    fmt = _check_format(fmt)
    fig = _build_figure(title=title, choropleth=choropleth, column=column, layers=layers, lang=lang,
                        sources=sources, date=date, hotspots=hotspots, dpi=dpi, paper=paper,
                        landscape=landscape)
    metadata = dict(FORMAT_METADATA[fmt])
    if fmt == "pdf":
        metadata["Title"] = title
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    fig.clear()
    return buffer.getvalue()


def _build_figure(
    *,
    title: str,
    choropleth: gpd.GeoDataFrame | None = None,
    column: str | None = None,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
    lang: str = "sv",
    sources: Sequence[str] = (),
    date: pd.Timestamp | None = None,
    hotspots: bool = True,
    dpi: int = 150,
    paper: str = "A4",
    landscape: bool = True,
) -> Figure:
    """Validate the input and draw the sheet; see :func:`render_print_map`."""
    lang = check_language(lang)
    size = _paper_inches(paper, landscape=landscape)
    _check_dpi(dpi)
    cells = _prepare_choropleth(choropleth, column)
    frames = _prepare_layers(layers or {})
    extent = _extent([f for f in (cells, *frames.values()) if f is not None and len(f)])

    fig = Figure(figsize=size, dpi=dpi)
    layout = _layout(size)
    ax = fig.add_axes(layout.map_box)
    xlim, ylim = _fit_extent(extent, box_inches=(size[0] * layout.map_box[2], size[1] * layout.map_box[3]))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])

    handles: list[Patch | Line2D] = []
    if cells is not None and column is not None:
        handles += draw_choropleth(fig, ax, cells, column, lang, hotspots=hotspots,
                                    colorbar_box=layout.colorbar_box)
    for name, frame in frames.items():
        handles += draw_layer(ax, frame, get_spec(name), lang)
    _draw_scale_bar(ax, xlim, ylim)
    _draw_north_arrow(ax)
    _draw_texts(fig, layout, title, cells, lang, sources, date)
    _draw_legend(fig, layout.panel_box, handles, lang)
    return fig


# --- checks -----------------------------------------------------------------


def _check_format(fmt: str) -> str:
    if fmt not in FORMAT_METADATA:
        msg = f"fmt={fmt!r} is not supported; allowed: {', '.join(FORMAT_METADATA)}"
        raise ValueError(msg)
    return fmt


def _check_dpi(dpi: int) -> None:
    low, high = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low <= dpi <= high:
        msg = f"dpi={dpi!r} must be a whole number from {low} to {high}"
        raise ValueError(msg)


def _paper_inches(paper: str, *, landscape: bool) -> tuple[float, float]:
    if paper not in PAPER_MM:
        msg = f"paper={paper!r} is not supported; allowed: {', '.join(PAPER_MM)}"
        raise ValueError(msg)
    long_side, short_side = (side / MM_PER_INCH for side in PAPER_MM[paper])
    return (long_side, short_side) if landscape else (short_side, long_side)


def _to_print_crs(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    projected = to_analysis_crs(frame, name=name)
    require_projected(projected, name=name)
    return projected


def _prepare_choropleth(choropleth: gpd.GeoDataFrame | None, column: str | None) -> gpd.GeoDataFrame | None:
    if choropleth is None:
        if column is not None:
            msg = f"column={column!r} was given without a choropleth frame"
            raise ValueError(msg)
        return None
    numeric = [c for c in choropleth.columns
               if c != choropleth.geometry.name and pd.api.types.is_numeric_dtype(choropleth[c].dtype)
               and not pd.api.types.is_bool_dtype(choropleth[c].dtype)]
    if column not in numeric:
        msg = (f"column={column!r} is not a numeric column of the choropleth; "
               f"allowed: {', '.join(numeric) or '(none)'}")
        raise ValueError(msg)
    return _to_print_crs(choropleth, "the choropleth")


def _prepare_layers(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    out = {}
    for name, frame in layers.items():
        spec = get_spec(name)
        _check_printable(frame, spec)
        out[name] = _to_print_crs(frame, f"layer {name!r}")
    return out


def _check_printable(frame: gpd.GeoDataFrame, spec: LayerSpec) -> None:
    """Refuse protected layers and protected rows: they never leave as features."""
    if spec.sensitivity == "protected":
        msg = (f"layer {spec.name!r} is protected and is never printed as features; "
               "print its aggregates as the choropleth instead")
        raise PrivacyError(msg)
    withheld = int(protected_mask(frame, spec).sum())
    if withheld:
        msg = (f"layer {spec.name!r} holds {withheld} rows in protected categories; "
               "pass it through geo.privacy.gate_features first")
        raise PrivacyError(msg)


# --- layout -----------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where things go, in figure fractions; boxes are (left, bottom, width, height)."""

    map_box: Box
    panel_box: Box
    colorbar_box: Box
    title_xy: tuple[float, float]
    subtitle_xy: tuple[float, float]
    source_xy: tuple[float, float]


def _layout(size: tuple[float, float]) -> _Layout:
    width, height = size
    panel_w = max(_PANEL_MIN_IN, _PANEL_SHARE * width)
    map_w = width - 2 * _MARGIN_IN - _PANEL_GAP_IN - panel_w
    map_h = height - _MAP_TOP_IN - _MAP_BOTTOM_IN
    panel_x = _MARGIN_IN + map_w + _PANEL_GAP_IN
    colorbar_y = height - _MAP_TOP_IN - _COLORBAR_TOP_IN - _COLORBAR_HEIGHT_IN
    legend_h = height - _MAP_TOP_IN - _LEGEND_TOP_IN - _MAP_BOTTOM_IN

    def box(x: float, y: float, w: float, h: float) -> Box:
        return (x / width, y / height, w / width, h / height)

    return _Layout(
        map_box=box(_MARGIN_IN, _MAP_BOTTOM_IN, map_w, map_h),
        panel_box=box(panel_x, _MAP_BOTTOM_IN, panel_w - _MARGIN_IN / 2, legend_h),
        colorbar_box=box(panel_x + 0.1, colorbar_y, panel_w - 0.3, _COLORBAR_HEIGHT_IN),
        title_xy=(_MARGIN_IN / width, 1 - _TITLE_TOP_IN / height),
        subtitle_xy=(_MARGIN_IN / width, 1 - _SUBTITLE_TOP_IN / height),
        source_xy=(_MARGIN_IN / width, _SOURCE_BOTTOM_IN / height),
    )


# --- extent -----------------------------------------------------------------


def _extent(frames: list[gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    boxes = np.array([f.total_bounds for f in frames]) if frames else np.empty((0, 4))
    boxes = boxes[np.isfinite(boxes).all(axis=1)]
    if not len(boxes):
        msg = "nothing to draw: give a choropleth or at least one layer with features"
        raise ValueError(msg)
    return (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())


def _fit_extent(
    extent: tuple[float, float, float, float], *, box_inches: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Pad the extent and widen one side so a metre is as long across as up."""
    xmin, ymin, xmax, ymax = extent
    width = max(xmax - xmin, 1.0) * (1 + 2 * _MAP_PAD)
    height = max(ymax - ymin, 1.0) * (1 + 2 * _MAP_PAD)
    ratio = box_inches[0] / box_inches[1]
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return (cx - width / 2, cx + width / 2), (cy - height / 2, cy + height / 2)


# --- map furniture ------------------------------------------------------------


def _scale_label(length_m: int) -> str:
    return f"{length_m // 1000} km" if length_m >= 1000 and length_m % 1000 == 0 else f"{length_m} m"


def _draw_scale_bar(ax, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    width, height = xlim[1] - xlim[0], ylim[1] - ylim[0]
    length = nice_scale_length(width)
    x0, y0 = xlim[0] + 0.04 * width, ylim[0] + 0.05 * height
    bar_h = 0.012 * height
    step = length / SCALE_SEGMENTS
    ax.add_patch(Rectangle((x0 - 0.015 * width, y0 - 0.035 * height), length + 0.05 * width,
                           bar_h + 0.075 * height, facecolor="white", edgecolor="none", alpha=0.8,
                           zorder=Z_ORDER["furniture"]))
    for i in range(SCALE_SEGMENTS):
        ax.add_patch(Rectangle((x0 + i * step, y0), step, bar_h, facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=Z_ORDER["furniture"]))
    label_y = y0 + bar_h + 0.012 * height
    for x, text in ((x0, "0"), (x0 + length, _scale_label(length))):
        ax.text(x, label_y, text, ha="center", va="bottom", fontsize=8, zorder=Z_ORDER["furniture"])


def _draw_north_arrow(ax) -> None:
    ax.annotate("N", xy=(0.95, 0.95), xytext=(0.95, 0.86), xycoords="axes fraction",
                textcoords="axes fraction", ha="center", va="top", fontsize=12, fontweight="bold",
                arrowprops={"facecolor": "black", "edgecolor": "black", "width": 3, "headwidth": 10,
                            "headlength": 10},
                zorder=Z_ORDER["furniture"])


def _period_text(cells: gpd.GeoDataFrame | None, lang: str) -> str | None:
    params = cells.attrs.get("params") if cells is not None else None
    if not isinstance(params, dict) or not {"start", "end"} <= params.keys():
        return None
    start = pd.Timestamp(params["start"])
    last = pd.Timestamp(params["end"]) - pd.Timedelta(1, "ns")
    return t("printmap.period", lang, start=format_date(start, lang), end=format_date(last, lang))


def _draw_texts(fig: Figure, layout: _Layout, title: str, cells: gpd.GeoDataFrame | None, lang: str,
                sources: Sequence[str], date: pd.Timestamp | None) -> None:
    stamp = pd.Timestamp.now(tz=settings.timezone) if date is None else pd.Timestamp(date)
    subtitle = [t("printmap.place", lang), _period_text(cells, lang), format_date(stamp, lang)]
    fig.text(*layout.title_xy, title, fontsize=16, fontweight="bold", ha="left", va="top")
    fig.text(*layout.subtitle_xy, " · ".join(s for s in subtitle if s), fontsize=10, ha="left", va="top")
    names = ", ".join(sources) if sources else t("printmap.default_source", lang)
    fig.text(*layout.source_xy, f"{t('printmap.source', lang, sources=names)}. {t('printmap.crs', lang)}",
             fontsize=7, ha="left", va="bottom", color="#333333")


def _draw_legend(fig: Figure, box: Box, handles: list[Patch | Line2D], lang: str) -> None:
    panel = fig.add_axes(box)
    panel.set_axis_off()
    if handles:
        panel.legend(handles=handles, loc="upper left", title=t("printmap.legend", lang), frameon=False,
                     fontsize=8, title_fontsize=9, alignment="left", borderaxespad=0.0,
                     handlelength=1.8)
