"""The page setup every printed report of the app shares (reportlab).

The action register, the law report and the walk protocol are laid out the
same way: A4 with fixed margins, the sample style sheet with small table
cells and bold headers, tables with a thin grey grid and a blue-grey header
row, a footer line with the report's name on the left and the page number on
the right. This module holds that setup once:

- :class:`PageSetup` and the two pages in use, :data:`A4_LANDSCAPE` (the
  register and the law report) and :data:`A4_PORTRAIT` (the walk protocol,
  uncompressed so its text is searchable).
- :func:`report_styles`: the paragraph styles, as :class:`ReportStyles`.
- :func:`paragraph`: a text as a paragraph, escaped, line breaks kept.
- :func:`grid_table` and :func:`frame_table`: tables in the shared style.
- :func:`render_pdf`: build the story on the page, with the footer, as bytes.

Every PDF is built in reportlab's ``invariant`` mode (no creation date, no
random id), so the same story gives the same bytes.

Examples
--------
>>> styles = report_styles()
>>> story = [paragraph("Rubrik & text", styles.title), grid_table([["a", "b"], ["1", "2"]])]
>>> render_pdf(story, title="Test", footer="Test · 2026", page_label=lambda n: f"Sida {n}")[:5]
b'%PDF-'
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

#: The author written into every PDF.
AUTHOR: str = "Trygghetskartan"
#: Colour of the table grid lines and of the header row.
GRID_COLOUR: str = "#b8c2cc"
HEADER_COLOUR: str = "#dde4ee"
#: Font and size of the footer line.
FOOTER_FONT: tuple[str, float] = ("Helvetica", 7)


@dataclass(frozen=True)
class PageSetup:
    """A page: its size, its margins and where the footer line stands.

    Parameters
    ----------
    size : tuple of float
        Width and height in points.
    margins_mm : tuple of float
        Left, right, top and bottom margin in millimetres.
    footer_mm : float
        Height of the footer line above the bottom edge, in millimetres.
    compress : bool, default True
        Compress the page content; ``False`` keeps every text searchable as
        plain bytes.
    """

    size: tuple[float, float]
    margins_mm: tuple[float, float, float, float]
    footer_mm: float
    compress: bool = True


#: A4 landscape with 12 mm margins: the action register and the law report.
A4_LANDSCAPE = PageSetup(size=landscape(A4), margins_mm=(12, 12, 12, 14), footer_mm=7)
#: A4 portrait with 15 mm margins, uncompressed: the walk protocol.
A4_PORTRAIT = PageSetup(size=A4, margins_mm=(15, 15, 14, 16), footer_mm=8, compress=False)


@dataclass(frozen=True)
class ReportStyles:
    """The paragraph styles of a report.

    Parameters
    ----------
    title, heading2, heading3, normal, italic : reportlab.lib.styles.ParagraphStyle
        The styles of reportlab's sample style sheet of those names.
    body : reportlab.lib.styles.ParagraphStyle
        Running text, 9 pt.
    cell : reportlab.lib.styles.ParagraphStyle
        Table cells and small text, 7.5 pt.
    head : reportlab.lib.styles.ParagraphStyle
        Table headers: cells in bold.
    """

    title: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    normal: ParagraphStyle
    italic: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle


def report_styles() -> ReportStyles:
    """Return the paragraph styles every report uses (a new set on each call).

    Returns
    -------
    ReportStyles
        The styles.

    Examples
    --------
    >>> styles = report_styles()
    >>> styles.cell.fontSize, styles.head.fontName
    (7.5, 'Helvetica-Bold')
    """
    sheet = getSampleStyleSheet()
    body = sheet["BodyText"].clone("report_body", fontSize=9, leading=11)
    cell = sheet["BodyText"].clone("report_cell", fontSize=7.5, leading=9)
    return ReportStyles(
        title=sheet["Title"],
        heading2=sheet["Heading2"],
        heading3=sheet["Heading3"],
        normal=sheet["Normal"],
        italic=sheet["Italic"],
        body=body,
        cell=cell,
        head=cell.clone("report_head", fontName="Helvetica-Bold"),
    )


def paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    r"""Return a text as a paragraph: its markup characters escaped, its line breaks kept.

    Parameters
    ----------
    text : object
        The text (``str()`` of it); ``<``, ``>`` and ``&`` are printed as
        they are, never read as reportlab markup.
    style : reportlab.lib.styles.ParagraphStyle
        The style.

    Returns
    -------
    reportlab.platypus.Paragraph
        The paragraph.

    Examples
    --------
    >>> paragraph("<b>fet?</b>\nny rad", report_styles().cell).text
    '&lt;b&gt;fet?&lt;/b&gt;<br/>ny rad'
    """
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def grid_table(
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float] | None = None,
    header: bool = True,
    commands: Sequence[tuple] = (),
) -> Table:
    """Return a left-aligned table with the shared grid, cells aligned to the top.

    Parameters
    ----------
    rows : sequence of sequences
        The cells, row by row (paragraphs or text).
    widths : sequence of float, optional
        Column widths in points; default as wide as the content.
    header : bool, default True
        The first row is a header: shaded, and repeated on every page the
        table runs over.
    commands : sequence of tuple, default ()
        More table style commands, applied after the shared ones (e.g. a
        background for one cell).

    Returns
    -------
    reportlab.platypus.Table
        The table.
    """
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    shared = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(GRID_COLOUR)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        shared.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_COLOUR)))
    table.setStyle(TableStyle([*shared, *commands]))
    return table


def frame_table(frame: pd.DataFrame, styles: ReportStyles) -> Table:
    """Return a table of a frame of texts: its column names as the header, one row per row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The cells, already formatted.
    styles : ReportStyles
        From :func:`report_styles`.

    Returns
    -------
    reportlab.platypus.Table
        The table, header in bold.
    """
    rows = [[paragraph(c, styles.head) for c in frame.columns]]
    rows += [[paragraph(v, styles.cell) for v in row] for row in frame.itertuples(index=False)]
    return grid_table(rows)


def render_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    footer: str,
    page_label: Callable[[int], str],
    page: PageSetup = A4_LANDSCAPE,
) -> bytes:
    """Lay the story out on the page and return the PDF, the footer on every page.

    Parameters
    ----------
    story : sequence of reportlab.platypus.Flowable
        The content, in order.
    title : str
        The document title in the PDF's metadata.
    footer : str
        The footer text, at the left.
    page_label : callable
        Page number → its text at the right of the footer, e.g. ``"Sida 2"``.
    page : PageSetup, default A4_LANDSCAPE
        The page.

    Returns
    -------
    bytes
        The PDF; the same story gives the same bytes.
    """

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(*FOOTER_FONT)
        canvas.drawString(doc.leftMargin, page.footer_mm * mm, footer)
        canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, page.footer_mm * mm, page_label(doc.page))
        canvas.restoreState()

    left, right, top, bottom = (m * mm for m in page.margins_mm)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=page.size, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=title, author=AUTHOR, invariant=True, pageCompression=None if page.compress else 0,
    )
    document.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


__all__ = [
    "A4_LANDSCAPE",
    "A4_PORTRAIT",
    "AUTHOR",
    "GRID_COLOUR",
    "HEADER_COLOUR",
    "PageSetup",
    "ReportStyles",
    "frame_table",
    "grid_table",
    "paragraph",
    "render_pdf",
]
