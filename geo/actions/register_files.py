"""The action register as data files: CSV (one row per action) and XLSX (a sheet per body).

The renderers take a table already checked by :mod:`geo.actions.reports`,
whose public writers call them.
"""

from __future__ import annotations

import csv
import io
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from geo.actions._report_common import cell, counts_line, heading
from geo.actions.program import BODIES, load_body_names
from geo.actions.register import BODY_SEPARATOR, REGISTER_COLUMNS, STATUSES, status_counts, status_label
from geo.i18n import format_date, t

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Columns of :func:`geo.actions.reports.write_register_csv`, in order (``year`` only when given).
CSV_COLUMNS: tuple[str, ...] = (
    "nr",
    "year",
    "section",
    "section_title",
    "text",
    "responsible",
    "status",
    "status_label",
    "comment",
    "evidence",
    "figure",
    "changed_by",
    "changed_at",
)

#: Columns of each body sheet and of :func:`geo.actions.reports.display_table`, in order.
SHEET_COLUMNS: tuple[str, ...] = (
    "nr",
    "section",
    "text",
    "responsible",
    "status",
    "figure",
    "comment",
    "evidence",
    "changed_at",
    "changed_by",
)

# Cells a spreadsheet would read as a formula when a CSV is opened (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_SHEET_NAME_MAX = 31


# --- CSV ---------------------------------------------------------------------------


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(table: pd.DataFrame, *, year: int | None, lang: str) -> bytes:
    """Return the register as CSV: the columns of CSV_COLUMNS, ``year`` only when given."""
    columns = [c for c in CSV_COLUMNS if c != "year" or year is not None]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for _, row in table.iterrows():
        stamp = row["changed_at"]
        values = {
            **{c: row[c] for c in REGISTER_COLUMNS},
            "nr": int(row["nr"]),
            "year": year,
            "status_label": status_label(row["status"], lang),
            "changed_at": "" if pd.isna(stamp) else stamp.isoformat(),
        }
        writer.writerow([_csv_safe(values[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")


# --- XLSX --------------------------------------------------------------------------


def xlsx_bytes(table: pd.DataFrame, *, year: int, lang: str, as_of: pd.Timestamp) -> bytes:
    """Return the register as an XLSX workbook: the summary, then one sheet per body."""
    import xlsxwriter

    names = load_body_names()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    formats = _xlsx_formats(workbook)
    _xlsx_summary(workbook, formats, table, year=year, lang=lang, as_of=as_of, names=names)
    for body in _bodies_in(table):
        rows = table.loc[_has_body(table, body)]
        title = _body_title(body, names, lang)
        _xlsx_body_sheet(workbook, formats, body, title, rows, year=year, lang=lang, as_of=as_of)
    workbook.close()
    return buffer.getvalue()


def _xlsx_formats(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bg_color": "#dde4ee", "border": 1, "text_wrap": True,
                                       "valign": "top"}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "number": workbook.add_format({"valign": "top", "border": 1}),
        "total": workbook.add_format({"bold": True, "border": 1}),
    }


def _xlsx_summary(workbook, formats: dict, table: pd.DataFrame, *, year: int, lang: str,
                  as_of: pd.Timestamp, names: Mapping[str, str]) -> None:
    sheet = workbook.add_worksheet(t("actions.summary_sheet", lang)[:_EXCEL_SHEET_NAME_MAX])
    sheet.write_string(0, 0, t("actions.register_title", lang, year=year), formats["title"])
    sheet.write_string(1, 0, t("actions.register_subtitle", lang))
    sheet.write_string(2, 0, t("actions.list_date", lang, date=format_date(as_of, lang)))
    sheet.write_string(3, 0, t("actions.follow_up_year", lang, year=year))
    sheet.write_string(5, 0, t("actions.status_summary", lang), formats["title"])
    sheet.write_string(6, 0, heading("status", lang), formats["header"])
    sheet.write_string(6, 1, heading("count", lang), formats["header"])
    counts = status_counts(table)
    row = 7
    for label, count in counts_line(counts, lang):
        sheet.write_string(row, 0, label, formats["text"])
        sheet.write_number(row, 1, count, formats["number"])
        row += 1
    sheet.write_string(row, 0, t("actions.total", lang), formats["total"])
    sheet.write_number(row, 1, int(counts.sum()), formats["total"])

    row += 2
    sheet.write_string(row, 0, heading("responsible", lang), formats["header"])
    for col, code in enumerate(STATUSES, start=1):
        sheet.write_string(row, col, status_label(code, lang), formats["header"])
    sheet.write_string(row, len(STATUSES) + 1, t("actions.total", lang), formats["header"])
    for body in _bodies_in(table):
        row += 1
        body_counts = status_counts(table.loc[_has_body(table, body)])
        sheet.write_string(row, 0, _body_title(body, names, lang), formats["text"])
        for col, code in enumerate(STATUSES, start=1):
            sheet.write_number(row, col, int(body_counts[code]), formats["number"])
        sheet.write_number(row, len(STATUSES) + 1, int(body_counts.sum()), formats["total"])
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, len(STATUSES) + 1, 13)


_XLSX_WIDTHS = MappingProxyType(
    {"nr": 5, "section": 8, "text": 60, "responsible": 16, "status": 13, "figure": 28, "comment": 40,
     "evidence": 32, "changed_at": 11, "changed_by": 14}
)


def _xlsx_body_sheet(workbook, formats: dict, body: str, title: str, rows: pd.DataFrame, *, year: int,
                     lang: str, as_of: pd.Timestamp) -> None:
    sheet = workbook.add_worksheet(body[:_EXCEL_SHEET_NAME_MAX])
    sheet.write_string(0, 0, title, formats["title"])
    sheet.write_string(1, 0, t("actions.follow_up_year", lang, year=year))
    sheet.write_string(2, 0, t("actions.list_date", lang, date=format_date(as_of, lang)))
    header = 4
    for col, column in enumerate(SHEET_COLUMNS):
        sheet.write_string(header, col, heading(column, lang), formats["header"])
        sheet.set_column(col, col, _XLSX_WIDTHS[column])
    for offset, (_, record) in enumerate(rows.iterrows(), start=1):
        for col, column in enumerate(SHEET_COLUMNS):
            if column == "nr":
                sheet.write_number(header + offset, col, int(record["nr"]), formats["number"])
            else:
                sheet.write_string(header + offset, col, cell(record, column, lang), formats["text"])
    sheet.freeze_panes(header + 1, 0)
    sheet.autofilter(header, 0, header + max(len(rows), 1), len(SHEET_COLUMNS) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)


def _bodies_in(table: pd.DataFrame) -> list[str]:
    """Return the bodies named in the table, in the order of BODIES."""
    named = {b for text in table["responsible"] for b in str(text).split(BODY_SEPARATOR) if b}
    return [b for b in BODIES if b in named] + sorted(named - set(BODIES))


def _has_body(table: pd.DataFrame, body: str) -> pd.Series:
    return table["responsible"].map(lambda text: body in str(text).split(BODY_SEPARATOR))


def _body_title(body: str, names: Mapping[str, str], lang: str) -> str:
    name = names.get(body, body)
    return body if name == body else t("actions.body_sheet_title", lang, body=body, name=name)
