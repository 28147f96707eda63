"""Exports of the action register for the verksamhetsberättelse: CSV, XLSX, HTML, PDF.

Every writer takes a table from :func:`geo.actions.register.register_table`
and the follow-up year; the headings come from the translation table.

- :func:`write_register_xlsx`: a summary sheet (actions per status, the date
  of the list) and one sheet per responsible body.
- :func:`render_register_html`: a self-contained printable page.
- :func:`write_register_pdf`: the same content as a PDF (reportlab).
- :func:`write_register_csv`: one row per action, machine-readable.
- :func:`export_register`: picks the writer from the file extension.
- :func:`display_table`: the register with headings and labels, for pages.

Files are written beside their target and moved into place only when
complete, so a failed export never leaves half a file.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.actions.register import register_table
>>> from geo.store import open_store
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> table = register_table(open_store(folder / "s.gpkg"), 2024)
>>> export_register(table, folder / "register.xlsx", year=2024).name
'register.xlsx'
"""

from __future__ import annotations

import csv
import html
import io
import os
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from geo import settings
from geo.actions.program import BODIES, load_body_names
from geo.actions.register import (
    BODY_SEPARATOR,
    REGISTER_COLUMNS,
    STATUSES,
    ActionRegisterError,
    status_counts,
    status_label,
)
from geo.actions.texts import action_text as _t
from geo.i18n import DEFAULT_LANGUAGE, check_language, format_date, format_number

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Columns of :func:`write_register_csv`, in order (``year`` only when given).
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

#: Columns of each body sheet and of the printable tables, in order.
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
_STATUS_COLOURS = MappingProxyType(
    {
        "not_started": "#eeeeee",
        "ongoing": "#fff3c4",
        "done": "#d4edda",
        "continuous": "#d6e9f8",
        "not_applicable": "#e2e3e5",
    }
)


def write_register_xlsx(
    table: pd.DataFrame,
    path: str | Path,
    *,
    year: int,
    lang: str = DEFAULT_LANGUAGE,
    as_of: pd.Timestamp | None = None,
) -> Path:
    """Write the register as an Excel workbook: a summary and one sheet per body.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    path : str or pathlib.Path
        The ``.xlsx`` file to write (replaced if it exists).
    year : int
        The follow-up year, shown on every sheet.
    lang : {"sv", "en"}, default "sv"
        Language of headings and status labels.
    as_of : pandas.Timestamp, optional
        The date of the list; default now (Europe/Stockholm).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ActionRegisterError
        If the table lacks a column of the register.
    OSError
        If the file cannot be written.

    Notes
    -----
    The first sheet (*Sammanfattning*) holds the title, the date of the list,
    the number of actions per status with the total (the counts add up to
    the number of actions in the table), and the same counts per body.
    Then comes one sheet per responsible body, named by its abbreviation in
    the order of :data:`geo.actions.BODIES`; an action with several bodies
    is on each of their sheets, and ``Alla nämnder`` and ``Alla nämnder och
    bolag`` have sheets of their own. Every text is written as text, never
    as a formula.

    See Also
    --------
    export_register : Choose the format from the file extension.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.actions.register import register_table
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = register_table(open_store(folder / "s.gpkg"), 2024)
    >>> import openpyxl
    >>> path = write_register_xlsx(table, folder / "register.xlsx", year=2024)
    >>> openpyxl.load_workbook(path).sheetnames[:5]
    ['Sammanfattning', 'KS', 'KDN', 'KON', 'TEN']
    """
    return _write_bytes(path, _xlsx_bytes(table, year=year, lang=lang, as_of=as_of))


def render_register_html(
    table: pd.DataFrame,
    *,
    year: int,
    lang: str = DEFAULT_LANGUAGE,
    title: str | None = None,
    as_of: pd.Timestamp | None = None,
) -> str:
    """Render the register as a self-contained printable HTML page.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    year : int
        The follow-up year.
    lang : {"sv", "en"}, default "sv"
        Language of the page.
    title : str, optional
        Page title; default ``"Åtgärdsregister {year}"`` in the language.
    as_of : pandas.Timestamp, optional
        The date of the list; default now (Europe/Stockholm).

    Returns
    -------
    str
        The HTML document: the counts per status, then one table per
        section with status, current figure, comment, evidence and the date
        of the latest change. Every text value is HTML-escaped; CSS for
        print (A4 landscape, repeated table headers) is inline.

    Raises
    ------
    ActionRegisterError
        If the table lacks a column of the register.

    Examples
    --------
    >>> table = pd.DataFrame({c: [""] for c in REGISTER_COLUMNS}).assign(
    ...     nr=1, section="5.1", status="ongoing", comment="<b>klart</b>", changed_at=pd.NaT)
    >>> "&lt;b&gt;klart&lt;/b&gt;" in render_register_html(table, year=2024)
    True
    """
    table = _check_table(table)
    lang = check_language(lang)
    as_of = _as_of(as_of)
    title = _t("register_title", lang, year=year) if title is None else title
    return _html_document(table, year=year, lang=lang, title=title, as_of=as_of)


def write_register_pdf(
    table: pd.DataFrame,
    path: str | Path,
    *,
    year: int,
    lang: str = DEFAULT_LANGUAGE,
    as_of: pd.Timestamp | None = None,
) -> Path:
    """Write the register as a printable PDF (A4 landscape).

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    path : str or pathlib.Path
        The ``.pdf`` file to write (replaced if it exists).
    year : int
        The follow-up year.
    lang : {"sv", "en"}, default "sv"
        Language of the report.
    as_of : pandas.Timestamp, optional
        The date of the list; default now (Europe/Stockholm).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ActionRegisterError
        If the table lacks a column of the register.
    ImportError
        If reportlab is not installed; the message names this function.
    OSError
        If the file cannot be written.

    Notes
    -----
    The same content as :func:`render_register_html`: title, date of the
    list, counts per status, and one table per section with page numbers.
    The PDF is built with ``invariant=True``, so the same table and date
    give the same bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.actions.register import register_table
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = register_table(open_store(folder / "s.gpkg"), 2024)
    >>> write_register_pdf(table, folder / "register.pdf", year=2024).read_bytes()[:4]
    b'%PDF'
    """
    return _write_bytes(path, _pdf_bytes(table, year=year, lang=lang, as_of=as_of))


def write_register_csv(
    table: pd.DataFrame,
    path: str | Path,
    *,
    year: int | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Path:
    """Write the register as CSV (UTF-8, comma-separated), one row per action.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    path : str or pathlib.Path
        The ``.csv`` file to write (replaced if it exists).
    year : int, optional
        The follow-up year, written as a ``year`` column when given.
    lang : {"sv", "en"}, default "sv"
        Language of the ``status_label`` column.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ActionRegisterError
        If the table lacks a column of the register.
    OSError
        If the file cannot be written.

    Notes
    -----
    Columns are the codes of :data:`CSV_COLUMNS` (``nr``, ``section``,
    ``text``, ``responsible``, …), ``changed_at`` in ISO 8601 with offset.
    A text that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading
    ``'`` so that a spreadsheet does not run it as a formula.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.actions.register import register_table
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = register_table(open_store(folder / "s.gpkg"), 2024)
    >>> path = write_register_csv(table, folder / "register.csv")
    >>> path.read_text(encoding="utf-8").splitlines()[0]
    'nr,section,section_title,text,responsible,status,status_label,comment,evidence,figure,changed_by,changed_at'
    """
    return _write_bytes(path, _csv_bytes(table, year=year, lang=lang, as_of=None))


def display_table(table: pd.DataFrame, *, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Return the register as people read it: labelled columns, status labels, dates.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    lang : {"sv", "en"}, default "sv"
        Language of the headings and labels.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`SHEET_COLUMNS` under their headings from the
        translation table (``Nr``, ``Avsnitt``, ``Åtgärd`` …); ``nr`` stays a
        number, every other cell is text.

    Raises
    ------
    ActionRegisterError
        If the table lacks a column of the register.

    Examples
    --------
    >>> table = pd.DataFrame({c: [""] for c in REGISTER_COLUMNS}).assign(
    ...     nr=7, section="5.1", status="continuous", changed_at=pd.NaT)
    >>> row = display_table(table, lang="en").iloc[0]
    >>> int(row["No."]), row["Status"], row["Changed"]
    (7, 'Continuous', '–')
    """
    table = _check_table(table)
    lang = check_language(lang)
    shown = {
        _heading(column, lang): (
            table["nr"].astype("int64").to_numpy()
            if column == "nr"
            else [_cell(record, column, lang) for _, record in table.iterrows()]
        )
        for column in SHEET_COLUMNS
    }
    return pd.DataFrame(shown, index=range(len(table)))


def register_bytes(
    table: pd.DataFrame,
    fmt: str,
    *,
    year: int,
    lang: str = DEFAULT_LANGUAGE,
    as_of: pd.Timestamp | None = None,
) -> bytes:
    """Return the register in a format as bytes (for downloads).

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    fmt : {"csv", "xlsx", "html", "pdf"}
        The format.
    year : int
        The follow-up year.
    lang : {"sv", "en"}, default "sv"
        Language of headings and labels.
    as_of : pandas.Timestamp, optional
        The date of the list; default now (Europe/Stockholm).

    Returns
    -------
    bytes
        The file's content (HTML and CSV in UTF-8).

    Raises
    ------
    ActionRegisterError
        If the format is unknown (the message lists the formats) or the
        table lacks a column.

    Examples
    --------
    >>> table = pd.DataFrame({c: [""] for c in REGISTER_COLUMNS}).assign(
    ...     nr=1, section="5.1", status="done", changed_at=pd.NaT)
    >>> register_bytes(table, "pdf", year=2024)[:4]
    b'%PDF'
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ActionRegisterError("fmt", fmt, ", ".join(_RENDERERS))
    return renderer(table, year=year, lang=lang, as_of=as_of)


def export_register(
    table: pd.DataFrame,
    path: str | Path,
    *,
    year: int,
    lang: str = DEFAULT_LANGUAGE,
    as_of: pd.Timestamp | None = None,
) -> Path:
    """Write the register in the format its file extension names.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`~geo.actions.register.register_table`.
    path : str or pathlib.Path
        Target file: ``.csv``, ``.xlsx``, ``.html`` or ``.pdf``.
    year : int
        The follow-up year.
    lang : {"sv", "en"}, default "sv"
        Language of headings and labels.
    as_of : pandas.Timestamp, optional
        The date of the list; default now (Europe/Stockholm).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ActionRegisterError
        If the extension is unknown; the message lists the allowed ones.
    OSError
        If the file cannot be written.

    See Also
    --------
    write_register_xlsx, render_register_html, write_register_pdf, write_register_csv

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.actions.register import register_table
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> table = register_table(open_store(folder / "s.gpkg"), 2024)
    >>> export_register(table, folder / "register.html", year=2024, lang="en").suffix
    '.html'
    """
    path = Path(path)
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ActionRegisterError("path", str(path), "a file ending in " + ", ".join(_EXTENSIONS))
    return _write_bytes(path, register_bytes(table, fmt, year=year, lang=lang, as_of=as_of))


# --- shared ------------------------------------------------------------------------


def _check_table(table: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REGISTER_COLUMNS if c not in table.columns]
    if missing:
        raise ActionRegisterError(
            "table", f"a table without {', '.join(missing)}", "a table from register_table()"
        )
    return table


def _as_of(as_of: pd.Timestamp | None) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp.now(tz=settings.timezone)
    stamp = pd.Timestamp(as_of)
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone)
    return stamp.tz_convert(settings.timezone)


def _write_bytes(path: str | Path, data: bytes) -> Path:
    """Write beside the target, then move into place (no half-written files)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _heading(column: str, lang: str) -> str:
    return _t(f"col_{column}", lang)


def _cell(table_row: pd.Series, column: str, lang: str) -> str:
    """Return one cell of the register as display text."""
    value = table_row[column]
    if column == "status":
        return status_label(value, lang)
    if column == "changed_at":
        return format_date(value, lang)
    if column == "nr":
        return str(int(value))
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _bodies_in(table: pd.DataFrame) -> list[str]:
    """Return the bodies named in the table, in the order of BODIES."""
    named = {b for text in table["responsible"] for b in str(text).split(BODY_SEPARATOR) if b}
    return [b for b in BODIES if b in named] + sorted(named - set(BODIES))


def _has_body(table: pd.DataFrame, body: str) -> pd.Series:
    return table["responsible"].map(lambda text: body in str(text).split(BODY_SEPARATOR))


def _body_title(body: str, names: Mapping[str, str], lang: str) -> str:
    name = names.get(body, body)
    return body if name == body else _t("body_sheet_title", lang, body=body, name=name)


def _counts_line(counts: pd.Series, lang: str) -> list[tuple[str, int]]:
    return [(status_label(code, lang), int(counts[code])) for code in STATUSES]


# --- CSV ---------------------------------------------------------------------------


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_bytes(table: pd.DataFrame, *, year: int | None, lang: str, as_of: pd.Timestamp | None) -> bytes:
    del as_of  # the CSV holds the data only
    table = _check_table(table)
    lang = check_language(lang)
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


def _xlsx_bytes(table: pd.DataFrame, *, year: int, lang: str, as_of: pd.Timestamp | None) -> bytes:
    import xlsxwriter

    table = _check_table(table)
    lang = check_language(lang)
    as_of = _as_of(as_of)
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
    sheet = workbook.add_worksheet(_t("summary_sheet", lang)[:_EXCEL_SHEET_NAME_MAX])
    sheet.write_string(0, 0, _t("register_title", lang, year=year), formats["title"])
    sheet.write_string(1, 0, _t("register_subtitle", lang))
    sheet.write_string(2, 0, _t("list_date", lang, date=format_date(as_of, lang)))
    sheet.write_string(3, 0, _t("follow_up_year", lang, year=year))
    sheet.write_string(5, 0, _t("status_summary", lang), formats["title"])
    sheet.write_string(6, 0, _heading("status", lang), formats["header"])
    sheet.write_string(6, 1, _heading("count", lang), formats["header"])
    counts = status_counts(table)
    row = 7
    for label, count in _counts_line(counts, lang):
        sheet.write_string(row, 0, label, formats["text"])
        sheet.write_number(row, 1, count, formats["number"])
        row += 1
    sheet.write_string(row, 0, _t("total", lang), formats["total"])
    sheet.write_number(row, 1, int(counts.sum()), formats["total"])

    row += 2
    sheet.write_string(row, 0, _heading("responsible", lang), formats["header"])
    for col, code in enumerate(STATUSES, start=1):
        sheet.write_string(row, col, status_label(code, lang), formats["header"])
    sheet.write_string(row, len(STATUSES) + 1, _t("total", lang), formats["header"])
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
    sheet.write_string(1, 0, _t("follow_up_year", lang, year=year))
    sheet.write_string(2, 0, _t("list_date", lang, date=format_date(as_of, lang)))
    header = 4
    for col, column in enumerate(SHEET_COLUMNS):
        sheet.write_string(header, col, _heading(column, lang), formats["header"])
        sheet.set_column(col, col, _XLSX_WIDTHS[column])
    for offset, (_, record) in enumerate(rows.iterrows(), start=1):
        for col, column in enumerate(SHEET_COLUMNS):
            if column == "nr":
                sheet.write_number(header + offset, col, int(record["nr"]), formats["number"])
            else:
                sheet.write_string(header + offset, col, _cell(record, column, lang), formats["text"])
    sheet.freeze_panes(header + 1, 0)
    sheet.autofilter(header, 0, header + max(len(rows), 1), len(SHEET_COLUMNS) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header)


# --- HTML --------------------------------------------------------------------------

_CSS = """
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

_CSS += "".join(f".s-{code} {{ background: {colour}; }}\n" for code, colour in _STATUS_COLOURS.items())

_HTML_COLUMNS: tuple[str, ...] = ("nr", "text", "responsible", "status", "figure", "comment", "changed_at")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_bytes(table: pd.DataFrame, *, year: int, lang: str, as_of: pd.Timestamp | None) -> bytes:
    return render_register_html(table, year=year, lang=lang, as_of=as_of).encode("utf-8")


def _html_document(table: pd.DataFrame, *, year: int, lang: str, title: str, as_of: pd.Timestamp) -> str:
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(lang)}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
        f"<header><h1>{_esc(title)}</h1>",
        f'<p class="meta">{_esc(_t("register_subtitle", lang))}</p>',
        f'<p class="meta">{_esc(_t("follow_up_year", lang, year=year))} · '
        f'{_esc(_t("list_date", lang, date=format_date(as_of, lang)))}</p></header>',
        _html_summary(table, lang),
    ]
    for (section, section_title), rows in table.groupby(["section", "section_title"], sort=False):
        heading = _t("section_heading", lang, section=section, title=section_title)
        parts.append(f"<section><h2>{_esc(heading)}</h2>{_html_table(rows, lang)}</section>")
    parts.append(f"<footer><p>{_esc(_t('figures_note', lang))}</p></footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_summary(table: pd.DataFrame, lang: str) -> str:
    counts = status_counts(table)
    rows = "".join(
        f'<tr><td class="status s-{code}">{_esc(status_label(code, lang))}</td>'
        f'<td class="count">{_esc(format_number(int(counts[code]), lang))}</td></tr>'
        for code in STATUSES
    )
    total = (
        f"<tr><th>{_esc(_t('total', lang))}</th>"
        f'<th class="count">{_esc(format_number(int(counts.sum()), lang))}</th></tr>'
    )
    return (
        f"<section><h2>{_esc(_t('status_summary', lang))}</h2>"
        f'<table class="summary"><thead><tr><th>{_esc(_heading("status", lang))}</th>'
        f"<th>{_esc(_heading('count', lang))}</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot>{total}</tfoot></table></section>"
    )


def _html_table(rows: pd.DataFrame, lang: str) -> str:
    head = "".join(f"<th>{_esc(_heading(c, lang))}</th>" for c in _HTML_COLUMNS)
    body = []
    for _, record in rows.iterrows():
        cells = []
        for column in _HTML_COLUMNS:
            text = _esc(_cell(record, column, lang))
            if column == "comment" and record["evidence"]:
                evidence = _esc(_cell(record, "evidence", lang))
                text += f'<p class="evidence">{_esc(_heading("evidence", lang))}: {evidence}</p>'
            if column == "changed_at" and record["changed_by"]:
                text += f"<br>{_esc(_cell(record, 'changed_by', lang))}"
            css = f' class="status s-{_esc(record["status"])}"' if column == "status" else (
                ' class="nr"' if column == "nr" else ""
            )
            cells.append(f"<td{css}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# --- PDF ---------------------------------------------------------------------------


def _pdf_bytes(table: pd.DataFrame, *, year: int, lang: str, as_of: pd.Timestamp | None) -> bytes:
    try:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import KeepTogether, Spacer

        from geo.outputs.pdf import grid_table, paragraph, render_pdf, report_styles
    except ImportError as exc:
        msg = f"write_register_pdf needs the package 'reportlab' (pip install reportlab): {exc}"
        raise ImportError(msg) from exc

    table = _check_table(table)
    lang = check_language(lang)
    as_of = _as_of(as_of)
    styles = report_styles()
    cell, head = styles.cell, styles.head
    title = _t("register_title", lang, year=year)
    dated = _t("list_date", lang, date=format_date(as_of, lang))

    story = [
        paragraph(title, styles.title),
        paragraph(_t("register_subtitle", lang), styles.normal),
        paragraph(f"{_t('follow_up_year', lang, year=year)} · {dated}", styles.normal),
        Spacer(1, 4 * mm),
        paragraph(_t("status_summary", lang), styles.heading2),
    ]
    counts = status_counts(table)
    summary = [[paragraph(_heading("status", lang), head), paragraph(_heading("count", lang), head)]]
    summary += [[paragraph(label, cell), paragraph(format_number(n, lang), cell)]
                for label, n in _counts_line(counts, lang)]
    total = format_number(int(counts.sum()), lang)
    summary.append([paragraph(_t("total", lang), head), paragraph(total, head)])
    story.append(grid_table(summary, widths=[50 * mm, 20 * mm]))

    widths = [9 * mm, 88 * mm, 28 * mm, 22 * mm, 40 * mm, 62 * mm, 24 * mm]
    for (section, section_title), rows in table.groupby(["section", "section_title"], sort=False):
        data = [[paragraph(_heading(c, lang), head) for c in _HTML_COLUMNS]]
        status_styles = []
        for i, (_, record) in enumerate(rows.iterrows(), start=1):
            comment = _cell(record, "comment", lang)
            if record["evidence"]:
                evidence = f"{_heading('evidence', lang)}: {_cell(record, 'evidence', lang)}"
                comment = f"{comment}\n{evidence}".strip()
            changed = _cell(record, "changed_at", lang)
            if record["changed_by"]:
                changed = f"{changed}\n{_cell(record, 'changed_by', lang)}"
            values = {
                **{c: _cell(record, c, lang) for c in _HTML_COLUMNS},
                "comment": comment,
                "changed_at": changed,
            }
            data.append([paragraph(values[c], cell) for c in _HTML_COLUMNS])
            colour = colors.HexColor(_STATUS_COLOURS[record["status"]])
            status_styles.append(("BACKGROUND", (3, i), (3, i), colour))
        heading = _t("section_heading", lang, section=section, title=section_title)
        heading = paragraph(heading, styles.heading2)
        story.extend([KeepTogether([heading, Spacer(1, 1 * mm)]),
                      grid_table(data, widths=widths, commands=status_styles)])
    story.extend([Spacer(1, 4 * mm), paragraph(_t("figures_note", lang), styles.italic)])
    return render_pdf(story, title=title, footer=f"{title} · {dated}",
                      page_label=lambda page: _t("page_number", lang, page=page))


# --- dispatch ----------------------------------------------------------------------

_Renderer = Callable[..., bytes]

_RENDERERS: Mapping[str, _Renderer] = MappingProxyType(
    {"csv": _csv_bytes, "xlsx": _xlsx_bytes, "html": _html_bytes, "pdf": _pdf_bytes}
)

#: File extension → format of :func:`export_register`.
_EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".pdf": "pdf"}
)
