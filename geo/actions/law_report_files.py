"""The law report as files: a printable HTML page and a deterministic PDF.

Both follow one outline (:func:`_outline`): the title and subtitle, then the
three parts of :class:`~geo.actions.law_report.LawReport` (kartläggning,
analys, åtgärdsplan), each a heading and its paragraphs, subheadings and
tables. :func:`render_law_report_html` lays it out as an HTML page with
every text escaped, :func:`law_report_pdf_bytes` as a PDF on the shared page
of :mod:`geo.outputs.pdf` (reportlab, no creation date), and
:func:`export_law_report` picks the format from the file extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.actions._report_common import esc, html_head
from geo.actions.law_report import LawReport
from geo.errors import LawReportError
from geo.i18n import t
from geo.outputs.files import write_atomic

#: File extension → format of :func:`export_law_report`.
EXTENSIONS: dict[str, str] = {".html": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class _Block:
    """One piece of a part: a paragraph (``p``), a subheading (``h3``, ``h4``) or a table."""

    kind: str
    text: str = ""
    table: pd.DataFrame | None = None
    empty: str = ""


def _outline(report: LawReport) -> list[tuple[str, list[_Block]]]:
    """Return the three parts of the report: each its heading and its blocks, in order."""
    lang = report.lang
    mapping, analysis, plan = report.sections
    return [
        (mapping, [
            _Block("p", t("law_report.mapping_intro", lang, snapshot=report.snapshot)),
            _Block("table", table=report.parameters),
            _Block("p", report.summary),
            _Block("h3", t("law_report.indicators", lang)),
            _Block("table", table=report.indicators),
            _Block("h3", t("law_report.provenance", lang)),
            _Block("table", table=report.provenance),
        ]),
        (analysis, [
            _Block("h3", t("law_report.hotspots", lang)),
            _Block("table", table=report.hotspots, empty=t("law_report.no_hotspots", lang)),
            _Block("h3", t("law_report.concentration", lang)),
            _Block("p", report.concentration),
            _Block("h3", t("law_report.trend", lang)),
            _Block("p", report.trend),
            _Block("h4", t("law_report.largest_increase", lang)),
            _Block("table", table=report.increases),
        ]),
        (plan, [
            _Block("p", t("law_report.plan_intro", lang, year=report.year)),
            _Block("table", table=report.plan),
        ]),
    ]


# --- HTML --------------------------------------------------------------------------


def render_law_report_html(report: LawReport) -> str:
    """Return the report as a self-contained, printable HTML page (every text escaped).

    Parameters
    ----------
    report : LawReport
        From :func:`~geo.actions.law_report.build_law_report`.

    Returns
    -------
    str
        The HTML document.
    """
    parts = [*html_head(report.title, report.lang), f'<p class="meta">{esc(report.subtitle)}</p></header>']
    for heading, blocks in _outline(report):
        parts.append(f"<section><h2>{esc(heading)}</h2>")
        parts += [_html_block(block) for block in blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_block(block: _Block) -> str:
    if block.kind != "table":
        return f"<{block.kind}>{esc(block.text)}</{block.kind}>"
    table = block.table
    if table.empty:
        return f"<p>{esc(block.empty)}</p>" if block.empty else ""
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# --- PDF ---------------------------------------------------------------------------


def law_report_pdf_bytes(report: LawReport) -> bytes:
    """Return the report as PDF bytes (deterministic: no creation date or random id).

    Parameters
    ----------
    report : LawReport
        From :func:`~geo.actions.law_report.build_law_report`.

    Returns
    -------
    bytes
        The PDF, A4 landscape.

    Raises
    ------
    ImportError
        If reportlab is not installed.
    """
    try:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        from geo.outputs.pdf import frame_table, paragraph, render_pdf, report_styles
    except ImportError as exc:
        msg = f"write_law_report_pdf needs the package 'reportlab' (pip install reportlab): {exc}"
        raise ImportError(msg) from exc

    styles = report_styles()
    story = [paragraph(report.title, styles.title), paragraph(report.subtitle, styles.normal),
             Spacer(1, 4 * mm)]
    for heading, blocks in _outline(report):
        story.append(paragraph(heading, styles.heading2))
        for block in blocks:
            if block.kind != "table":
                story.append(paragraph(block.text, styles.cell if block.kind == "p" else styles.heading3))
            elif not block.table.empty:
                story += [frame_table(block.table, styles), Spacer(1, 2 * mm)]
            elif block.empty:
                story.append(paragraph(block.empty, styles.cell))
    return render_pdf(story, title=report.title, footer=f"{report.snapshot} · {report.year}",
                      page_label=lambda page: t("law_report.page_number", report.lang, page=page))


# --- files -------------------------------------------------------------------------


def write_law_report_pdf(report: LawReport, path: str | Path) -> Path:
    """Write the report as a PDF (deterministic, reportlab).

    Parameters
    ----------
    report : LawReport
        From :func:`~geo.actions.law_report.build_law_report`.
    path : str or pathlib.Path
        The target file; written beside it and moved into place.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    return write_atomic(path, law_report_pdf_bytes(report))


def law_report_bytes(report: LawReport, fmt: str) -> bytes:
    """Return the report as ``html`` or ``pdf`` bytes.

    Parameters
    ----------
    report : LawReport
        From :func:`~geo.actions.law_report.build_law_report`.
    fmt : {"html", "pdf"}
        The format.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    LawReportError
        If the format is unknown.
    """
    if fmt == "html":
        return render_law_report_html(report).encode("utf-8")
    if fmt == "pdf":
        return law_report_pdf_bytes(report)
    msg = f"format={fmt!r} is not allowed; allowed: {', '.join(EXTENSIONS.values())}"
    raise LawReportError(msg)


def export_law_report(report: LawReport, path: str | Path) -> Path:
    """Write the report in the format its file extension names (``.html`` or ``.pdf``).

    Parameters
    ----------
    report : LawReport
        From :func:`~geo.actions.law_report.build_law_report`.
    path : str or pathlib.Path
        The target file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    LawReportError
        If the extension is unknown; the message lists the allowed ones.
    """
    path = Path(path)
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        msg = f"path={str(path)!r} is not allowed; allowed: a file ending in {', '.join(EXTENSIONS)}"
        raise LawReportError(msg)
    return write_atomic(path, law_report_bytes(report, fmt))


__all__ = [
    "EXTENSIONS",
    "export_law_report",
    "law_report_bytes",
    "law_report_pdf_bytes",
    "render_law_report_html",
    "write_law_report_pdf",
]
