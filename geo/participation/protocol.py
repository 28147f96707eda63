"""The printable protocol of a trygghetsvandring: a PDF with the route map and every finding.

The protocol has a heading (date, area, participants by role, no names), a
map of the route with the numbered findings drawn with matplotlib in
EPSG:3006 with a scale bar and north arrow, and a table of every finding:
reason, severity, description, photo, responsible nämnd, decision and its
date. Findings with no decision more than six months after the walk are
marked with ``*`` and shaded.

The map is drawn on a :class:`matplotlib.figure.Figure` (never through
pyplot) and embedded as PNG; the PDF is made with reportlab, uncompressed,
so its text is searchable. The same input gives the same bytes: fixed PNG
metadata, reportlab's ``invariant`` mode, and the reference date as an
argument.

Examples
--------
>>> import tempfile, pathlib
>>> from shapely import LineString, Point
>>> from geo.store import open_store
>>> from geo.participation.walk_store import save_walk
>>> from geo.participation.walks import Finding
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> _ = save_walk(store, walk_id="w1", walk_date="2026-03-01", area="Viksjö",
...               route=LineString([(659000, 6589700), (659300, 6589900)]),
...               participants={"residents": 5}, findings=[Finding("lighting", 2, Point(659150, 6589800))])
>>> protocol_pdf(store, "w1", reference="2026-04-01")[:5]
b'%PDF-'
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Spacer

from geo.i18n import check_language, t
from geo.outputs.pdf import A4_PORTRAIT, ReportStyles, grid_table, paragraph, render_pdf, report_styles
from geo.outputs.printmap import nice_scale_length
from geo.participation.places import kommun_outline
from geo.participation.walk_decisions import findings_table
from geo.participation.walk_store import get_walk
from geo.participation.walks import OVERDUE_MONTHS, ROLES, Walk, reference_date
from layers.unsafe_places import REASONS

#: Marker colour per severity (1 low, 3 high).
SEVERITY_COLOURS: dict[int, str] = {1: "#fdd835", 2: "#fb8c00", 3: "#c62828"}
ROUTE_COLOUR = "#1565c0"
KOMMUN_COLOUR = "#616161"
OVERDUE_SHADE = "#fde2e2"
#: Map size in inches and resolution of the embedded PNG.
MAP_SIZE_IN: tuple[float, float] = (7.0, 4.6)
MAP_DPI = 150
#: The map shows at least this many metres around the route and findings.
MAP_MARGIN_M = 120.0
PNG_METADATA: dict[str, str] = {"Software": "Trygghetskartan"}
SCALE_SEGMENTS = 4


def protocol_pdf(
    store, walk_id: str, *, lang: str = "sv", reference: dt.date | str | None = None
) -> bytes:
    """Read a walk and its findings from the store and render the protocol.

    Parameters
    ----------
    store : Store
        The store.
    walk_id : str
        The walk.
    lang : {"sv", "en"}, default "sv"
        Language of the protocol.
    reference : datetime.date or str, optional
        The day the protocol is made for (the overdue flag); default today.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    WalkError
        If there is no such walk.
    ValueError
        If the language is not supported.
    """
    walk = get_walk(store, walk_id)
    day = reference_date(reference)
    findings = findings_table(store, walk_id=walk_id, reference=day)
    return render_protocol(walk, findings, lang=lang, kommun=kommun_outline(store), reference=day)


def render_protocol(
    walk: Walk,
    findings: gpd.GeoDataFrame,
    *,
    lang: str = "sv",
    kommun: shapely.Geometry | None = None,
    reference: dt.date | str | None = None,
) -> bytes:
    """Render the protocol of a walk as PDF.

    Parameters
    ----------
    walk : Walk
        The walk.
    findings : geopandas.GeoDataFrame
        Its findings, as :func:`geo.participation.walks.findings_table` gives them for the walk.
    lang : {"sv", "en"}, default "sv"
        Language of the protocol.
    kommun : shapely.Geometry, optional
        The kommun polygon (EPSG:3006), drawn as the boundary when in view.
    reference : datetime.date or str, optional
        The day the protocol is made for; default today.

    Returns
    -------
    bytes
        The PDF (uncompressed, so every text is searchable).

    Raises
    ------
    ValueError
        If the language is not supported or a finding column is missing.
    """
    lang = check_language(lang)
    needed = ("n", "reason", "severity", "description", "photo", "responsible", "decision", "decided_on",
              "overdue")
    missing = [c for c in needed if c not in findings.columns]
    if missing:
        msg = (f"findings lack columns {missing}; "
               "pass geo.participation.walks.findings_table(store, walk_id=...)")
        raise ValueError(msg)
    day = reference_date(reference)
    ordered = findings.sort_values("n", kind="stable").reset_index(drop=True)
    png = route_map_png(walk, ordered, lang=lang, kommun=kommun)
    return _pdf(walk, ordered, png, lang=lang, day=day)


def route_map_figure(
    walk: Walk, findings: gpd.GeoDataFrame, *, lang: str = "sv", kommun: shapely.Geometry | None = None
) -> Figure:
    """Draw the route and the numbered findings in EPSG:3006 with a scale bar and north arrow.

    Parameters
    ----------
    walk : Walk
        The walk (its route in EPSG:3006).
    findings : geopandas.GeoDataFrame
        Columns ``n`` and ``severity`` and point geometries in EPSG:3006.
    lang : {"sv", "en"}, default "sv"
        Language of the legend.
    kommun : shapely.Geometry, optional
        The kommun polygon, drawn as the boundary.

    Returns
    -------
    matplotlib.figure.Figure
        The map (not attached to pyplot).
    """
    lang = check_language(lang)
    fig = Figure(figsize=MAP_SIZE_IN, dpi=MAP_DPI)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    xlim, ylim = _extent(walk.route, findings)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    view = shapely.box(xlim[0], ylim[0], xlim[1], ylim[1])
    rings = [r for r in _boundaries(kommun) if r.intersects(view)] if kommun is not None else []
    for ring in rings:
        xs, ys = ring.xy
        ax.plot(xs, ys, color=KOMMUN_COLOUR, linewidth=1.0, linestyle="--", zorder=1)
    xs, ys = walk.route.xy
    ax.plot(xs, ys, color=ROUTE_COLOUR, linewidth=3.0, solid_capstyle="round", zorder=2)
    for record in findings.to_dict("records"):
        point = record["geometry"]
        colour = SEVERITY_COLOURS.get(int(record["severity"]), "#9e9e9e")
        ax.scatter([point.x], [point.y], s=220, c=colour, edgecolors="black", linewidths=0.8, zorder=3)
        ax.text(point.x, point.y, str(int(record["n"])), ha="center", va="center", fontsize=8,
                fontweight="bold", zorder=4)
    _scale_bar(ax)
    ax.annotate("N", xy=(0.96, 0.96), xytext=(0.96, 0.85), xycoords="axes fraction",
                textcoords="axes fraction", ha="center", va="top", fontsize=11, fontweight="bold",
                arrowprops={"facecolor": "black", "width": 2.5, "headwidth": 9, "headlength": 9}, zorder=6)
    handles = [Line2D([], [], color=ROUTE_COLOUR, linewidth=3, label=t("walks.protocol_route_label", lang))]
    handles += [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=colour,
                       markeredgecolor="black", label=t(f"walks.severity_{level}", lang))
                for level, colour in SEVERITY_COLOURS.items()]
    if rings:
        handles.append(Line2D([], [], color=KOMMUN_COLOUR, linestyle="--",
                              label=t("walks.protocol_kommun_label", lang)))
    ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9)
    ax.text(0.99, 0.01, t("walks.protocol_crs", lang), transform=ax.transAxes, ha="right", va="bottom",
            fontsize=6, color="#424242", zorder=6)
    return fig


def route_map_png(
    walk: Walk, findings: gpd.GeoDataFrame, *, lang: str = "sv", kommun: shapely.Geometry | None = None
) -> bytes:
    """Render :func:`route_map_figure` as PNG bytes (the same input gives the same bytes).

    Parameters
    ----------
    walk : Walk
        The walk.
    findings : geopandas.GeoDataFrame
        Its findings.
    lang : {"sv", "en"}, default "sv"
        Language of the legend.
    kommun : shapely.Geometry, optional
        The kommun polygon.

    Returns
    -------
    bytes
        The PNG.
    """
    fig = route_map_figure(walk, findings, lang=lang, kommun=kommun)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=MAP_DPI, metadata=dict(PNG_METADATA))
    fig.clear()
    return buffer.getvalue()


# --- map helpers -----------------------------------------------------------------------------


def _extent(route: shapely.LineString, findings: gpd.GeoDataFrame) -> tuple[tuple[float, float], ...]:
    geoms = [route, *findings.geometry.to_numpy()]
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    pad = max(MAP_MARGIN_M, 0.12 * max(maxx - minx, maxy - miny))
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    # widen the shorter side so the extent matches the axes' shape
    ratio = MAP_SIZE_IN[0] / MAP_SIZE_IN[1]
    width, height = maxx - minx, maxy - miny
    if width / height < ratio:
        extra = (height * ratio - width) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (width / ratio - height) / 2
        miny, maxy = miny - extra, maxy + extra
    return (minx, maxx), (miny, maxy)


def _boundaries(geom: shapely.Geometry) -> list[shapely.LineString]:
    boundary = geom.boundary
    if boundary.geom_type == "LineString":
        return [boundary]
    return list(getattr(boundary, "geoms", []))


def _scale_bar(ax) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = nice_scale_length(width)
    left, bottom, bar_h = x0 + 0.04 * width, y0 + 0.05 * height, 0.015 * height
    step = length / SCALE_SEGMENTS
    ax.add_patch(Rectangle((left - 0.015 * width, bottom - 0.03 * height), length + 0.06 * width,
                           bar_h + 0.08 * height, facecolor="white", edgecolor="none", alpha=0.85, zorder=5))
    for i in range(SCALE_SEGMENTS):
        ax.add_patch(Rectangle((left + i * step, bottom), step, bar_h, facecolor="black" if i % 2 == 0
                               else "white", edgecolor="black", linewidth=0.6, zorder=6))
    label = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    for x, text in ((left, "0"), (left + length, label)):
        ax.text(x, bottom + bar_h + 0.012 * height, text, ha="center", va="bottom", fontsize=7, zorder=6)


# --- the PDF -------------------------------------------------------------------------------


def _pdf(walk: Walk, findings: gpd.GeoDataFrame, png: bytes, *, lang: str, day: dt.date) -> bytes:
    styles = report_styles()
    title = t("walks.protocol_title", lang)
    meta = [
        (t("walks.col_date", lang), walk.walk_date.isoformat()),
        (t("walks.col_area", lang), walk.area),
        (t("walks.protocol_participants", lang), _participants_text(walk.participants, lang)),
    ]
    if walk.note:
        meta.append((t("walks.walk_note", lang), walk.note))
    meta_table = grid_table([[paragraph(k, styles.head), paragraph(v, styles.body)] for k, v in meta],
                            widths=[35 * mm, 145 * mm], header=False)
    width = 180.0 * mm
    image = Image(io.BytesIO(png), width=width, height=width * MAP_SIZE_IN[1] / MAP_SIZE_IN[0])
    story = [
        paragraph(title, styles.title),
        paragraph(f"{t('walks.protocol_place', lang)} · "
                  f"{t('walks.protocol_walk', lang, walk_id=walk.walk_id)} · "
                  f"{t('walks.protocol_printed', lang, date=day.isoformat())}", styles.body),
        Spacer(1, 3 * mm),
        meta_table,
        paragraph(t("walks.protocol_no_names", lang), styles.italic),
        Spacer(1, 3 * mm),
        paragraph(t("walks.protocol_map", lang), styles.heading2),
        image,
        paragraph(t("walks.protocol_findings", lang), styles.heading2),
        _findings_table(findings, lang, styles),
        Spacer(1, 2 * mm),
        paragraph(t("walks.protocol_overdue_note", lang, months=OVERDUE_MONTHS, date=day.isoformat()),
                  styles.italic),
    ]
    footer = f"{title} · {walk.area} {walk.walk_date.isoformat()}"
    return render_pdf(story, title=f"{title} {walk.walk_id}", footer=footer,
                      page_label=lambda page: t("walks.protocol_page", lang, page=page), page=A4_PORTRAIT)


def _findings_table(findings: gpd.GeoDataFrame, lang: str, styles: ReportStyles) -> Flowable:
    if findings.empty:
        return paragraph(t("walks.protocol_no_findings", lang), styles.cell)
    columns = ("col_nr", "col_reason", "col_severity", "col_description", "col_photo", "col_responsible",
               "col_decision", "col_decided_on")
    rows = [[paragraph(t(f"walks.{c}", lang), styles.head) for c in columns]]
    shaded = []
    labels = {c.code: c.label(lang) for c in REASONS}
    for i, record in enumerate(findings.to_dict("records"), start=1):
        overdue = bool(record["overdue"])
        decided_on = record["decided_on"]
        values = (
            f"{int(record['n'])}{' *' if overdue else ''}",
            labels.get(record["reason"], record["reason"]),
            str(int(record["severity"])),
            record["description"],
            record["photo"],
            record["responsible"],
            record["decision"],
            decided_on.isoformat() if isinstance(decided_on, dt.date) else "",
        )
        rows.append([paragraph(v or "", styles.cell) for v in values])
        if overdue:
            shaded.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor(OVERDUE_SHADE)))
    widths = [9, 22, 11, 44, 22, 16, 35, 21]
    return grid_table(rows, widths=[w * mm for w in widths], commands=shaded)


def _participants_text(participants: dict[str, int], lang: str) -> str:
    parts = [f"{t(f'walks.role_{role}', lang)} {participants[role]}"
             for role in ROLES if participants.get(role)]
    total = sum(int(v) for v in participants.values())
    return f"{', '.join(parts)} ({t('walks.protocol_total', lang, n=total)})"


__all__: Sequence[str] = ("protocol_pdf", "render_protocol", "route_map_figure", "route_map_png")
