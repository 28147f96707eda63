"""Helpers the action register's exports and the law report share (private to :mod:`geo.actions`).

The register's cells as people read them (:func:`heading`, :func:`cell`,
:func:`counts_line`) and the look of the printable pages: the status
colours, the CSS and the opening of an HTML page.
"""

from __future__ import annotations

import html
from types import MappingProxyType

import pandas as pd

from geo.actions.register import STATUSES, status_label
from geo.i18n import format_date, t

#: Background colour of each status in the printable register.
STATUS_COLOURS = MappingProxyType(
    {
        "not_started": "#eeeeee",
        "ongoing": "#fff3c4",
        "done": "#d4edda",
        "continuous": "#d6e9f8",
        "not_applicable": "#e2e3e5",
    }
)

CSS = """
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #1b1b1b; margin: 2em; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; margin: 1.4em 0 0.4em; border-bottom: 1px solid #9aa8b8; }
p.meta { margin: 0.1em 0; color: #444; }
table { border-collapse: collapse; width: 100%; margin-bottom: 0.8em; }
th, td { border: 1px solid #b8c2cc; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #dde4ee; }
td.nr, td.count { text-align: right; white-space: nowrap; }
table.summary { width: auto; }
td.status { white-space: nowrap; }
p.evidence { margin: 0.3em 0 0; color: #444; }
footer { margin-top: 1.5em; color: #555; font-size: 9pt; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, h2 { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  td.status { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CSS += "".join(f".s-{code} {{ background: {colour}; }}\n" for code, colour in STATUS_COLOURS.items())


def heading(column: str, lang: str) -> str:
    """Return the heading of a register column from the translation table."""
    return t(f"actions.col_{column}", lang)


def cell(table_row: pd.Series, column: str, lang: str) -> str:
    """Return one cell of the register as display text."""
    value = table_row[column]
    if column == "status":
        return status_label(value, lang)
    if column == "changed_at":
        return format_date(value, lang)
    if column == "nr":
        return str(int(value))
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def counts_line(counts: pd.Series, lang: str) -> list[tuple[str, int]]:
    """Return (status label, count) for every status, in the order of STATUSES."""
    return [(status_label(code, lang), int(counts[code])) for code in STATUSES]


def esc(text: object) -> str:
    """Escape a text for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def html_head(title: str, lang: str, *, viewport: bool = False) -> list[str]:
    """Return the lines of an HTML page up to its ``<header><h1>`` title, the CSS inline."""
    lines = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}">', '<head><meta charset="utf-8">']
    if viewport:
        lines.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    return [*lines, f"<title>{esc(title)}</title>", f"<style>{CSS}</style></head>", "<body>",
            f"<header><h1>{esc(title)}</h1>"]
