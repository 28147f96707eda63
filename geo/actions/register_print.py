"""The action register as printable pages: HTML and PDF with the same content.

:func:`_page` reads a checked register table once into what a printed page
shows: the title, the follow-up year and the date of the list, the number
of actions per status, and one table per section (number, action,
responsible, status, figure, comment with its evidence, the latest change
with who made it). :func:`html_document` and :func:`pdf_bytes` lay that out,
the PDF on the shared page of :mod:`geo.outputs.pdf`. The public writers
are in :mod:`geo.actions.reports`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.actions._report_common import STATUS_COLOURS, cell, counts_line, esc, heading, html_head
from geo.actions.register import STATUSES, status_counts
from geo.i18n import format_date, format_number, t

#: Columns of the printed section tables, in order.
PRINT_COLUMNS: tuple[str, ...] = ("nr", "text", "responsible", "status", "figure", "comment", "changed_at")
#: Widths of those columns in the PDF, in millimetres.
PDF_WIDTHS_MM: tuple[float, ...] = (9, 88, 28, 22, 40, 62, 24)
_STATUS_COLUMN = PRINT_COLUMNS.index("status")


@dataclass(frozen=True)
class _Row:
    """One action as printed: its cells, and what is shown under its comment and its date."""

    status: str
    cells: dict[str, str]
    evidence: str | None
    changed_by: str | None


@dataclass(frozen=True)
class _Page:
    """What a printed register shows, every text formatted."""

    title: str
    subtitle: str
    year_line: str
    date_line: str
    counts: list[tuple[str, str, str]]
    total: str
    sections: list[tuple[str, list[_Row]]]
    note: str


def _page(table: pd.DataFrame, *, year: int, lang: str, title: str, as_of: pd.Timestamp) -> _Page:
    counts = status_counts(table)
    labels = dict(zip(STATUSES, counts_line(counts, lang), strict=True))
    return _Page(
        title=title,
        subtitle=t("actions.register_subtitle", lang),
        year_line=t("actions.follow_up_year", lang, year=year),
        date_line=t("actions.list_date", lang, date=format_date(as_of, lang)),
        counts=[(code, label, format_number(n, lang)) for code, (label, n) in labels.items()],
        total=format_number(int(counts.sum()), lang),
        sections=[
            (t("actions.section_heading", lang, section=section, title=section_title),
             [_row(record, lang) for _, record in rows.iterrows()])
            for (section, section_title), rows in table.groupby(["section", "section_title"], sort=False)
        ],
        note=t("actions.figures_note", lang),
    )


def _row(record: pd.Series, lang: str) -> _Row:
    return _Row(
        status=record["status"],
        cells={c: cell(record, c, lang) for c in PRINT_COLUMNS},
        evidence=cell(record, "evidence", lang) if record["evidence"] else None,
        changed_by=cell(record, "changed_by", lang) if record["changed_by"] else None,
    )


# --- HTML --------------------------------------------------------------------------


def html_document(table: pd.DataFrame, *, year: int, lang: str, title: str, as_of: pd.Timestamp) -> str:
    """Return the register of a checked table as a printable HTML page (every text escaped)."""
    page = _page(table, year=year, lang=lang, title=title, as_of=as_of)
    parts = [
        *html_head(page.title, lang, viewport=True),
        f'<p class="meta">{esc(page.subtitle)}</p>',
        f'<p class="meta">{esc(page.year_line)} · {esc(page.date_line)}</p></header>',
        _html_summary(page, lang),
    ]
    for section_heading, rows in page.sections:
        parts.append(f"<section><h2>{esc(section_heading)}</h2>{_html_table(rows, lang)}</section>")
    parts.append(f"<footer><p>{esc(page.note)}</p></footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_summary(page: _Page, lang: str) -> str:
    rows = "".join(
        f'<tr><td class="status s-{code}">{esc(label)}</td><td class="count">{esc(count)}</td></tr>'
        for code, label, count in page.counts
    )
    total = f"<tr><th>{esc(t('actions.total', lang))}</th>" f'<th class="count">{esc(page.total)}</th></tr>'
    return (
        f"<section><h2>{esc(t('actions.status_summary', lang))}</h2>"
        f'<table class="summary"><thead><tr><th>{esc(heading("status", lang))}</th>'
        f"<th>{esc(heading('count', lang))}</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot>{total}</tfoot></table></section>"
    )


def _html_table(rows: list[_Row], lang: str) -> str:
    head = "".join(f"<th>{esc(heading(c, lang))}</th>" for c in PRINT_COLUMNS)
    body = []
    for row in rows:
        cells = []
        for column in PRINT_COLUMNS:
            text = esc(row.cells[column])
            if column == "comment" and row.evidence is not None:
                text += f'<p class="evidence">{esc(heading("evidence", lang))}: {esc(row.evidence)}</p>'
            if column == "changed_at" and row.changed_by is not None:
                text += f"<br>{esc(row.changed_by)}"
            css = f' class="status s-{esc(row.status)}"' if column == "status" else (
                ' class="nr"' if column == "nr" else ""
            )
            cells.append(f"<td{css}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# --- PDF ---------------------------------------------------------------------------


def pdf_bytes(table: pd.DataFrame, *, year: int, lang: str, title: str, as_of: pd.Timestamp) -> bytes:
    """Return the register of a checked table as a PDF on the shared A4 landscape page.

    Raises
    ------
    ImportError
        If reportlab is not installed; the message names ``write_register_pdf``.
    """
    try:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import KeepTogether, Spacer

        from geo.outputs.pdf import grid_table, paragraph, render_pdf, report_styles
    except ImportError as exc:
        msg = f"write_register_pdf needs the package 'reportlab' (pip install reportlab): {exc}"
        raise ImportError(msg) from exc

    page = _page(table, year=year, lang=lang, title=title, as_of=as_of)
    styles = report_styles()
    cell_style, head = styles.cell, styles.head
    summary = [[paragraph(heading("status", lang), head), paragraph(heading("count", lang), head)]]
    summary += [[paragraph(label, cell_style), paragraph(count, cell_style)]
                for _, label, count in page.counts]
    summary.append([paragraph(t("actions.total", lang), head), paragraph(page.total, head)])
    story = [
        paragraph(page.title, styles.title),
        paragraph(page.subtitle, styles.normal),
        paragraph(f"{page.year_line} · {page.date_line}", styles.normal),
        Spacer(1, 4 * mm),
        paragraph(t("actions.status_summary", lang), styles.heading2),
        grid_table(summary, widths=[50 * mm, 20 * mm]),
    ]
    widths = [w * mm for w in PDF_WIDTHS_MM]
    for section_heading, rows in page.sections:
        data = [[paragraph(heading(c, lang), head) for c in PRINT_COLUMNS]]
        data += [[paragraph(text, cell_style) for text in _pdf_cells(row, lang)] for row in rows]
        status_colours = [
            ("BACKGROUND", (_STATUS_COLUMN, i), (_STATUS_COLUMN, i),
             colors.HexColor(STATUS_COLOURS[row.status]))
            for i, row in enumerate(rows, start=1)
        ]
        story += [KeepTogether([paragraph(section_heading, styles.heading2), Spacer(1, 1 * mm)]),
                  grid_table(data, widths=widths, commands=status_colours)]
    story += [Spacer(1, 4 * mm), paragraph(page.note, styles.italic)]
    return render_pdf(story, title=page.title, footer=f"{page.title} · {page.date_line}",
                      page_label=lambda number: t("actions.page_number", lang, page=number))


def _pdf_cells(row: _Row, lang: str) -> list[str]:
    values = dict(row.cells)
    if row.evidence is not None:
        values["comment"] = f"{values['comment']}\n{heading('evidence', lang)}: {row.evidence}".strip()
    if row.changed_by is not None:
        values["changed_at"] = f"{values['changed_at']}\n{row.changed_by}"
    return [values[c] for c in PRINT_COLUMNS]
