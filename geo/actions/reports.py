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

This module checks the arguments and writes the files; the formats are
rendered by :mod:`geo.actions.register_files` (CSV, XLSX) and
:mod:`geo.actions.register_print` (HTML, PDF). Files are written beside
their target and moved into place only when complete
(:func:`geo.outputs.files.write_atomic`), so a failed export never leaves
half a file.

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

from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from geo.actions._report_common import cell, heading
from geo.actions.register import REGISTER_COLUMNS
from geo.actions.register_files import SHEET_COLUMNS, csv_bytes, xlsx_bytes
from geo.actions.register_print import html_document, pdf_bytes
from geo.errors import ActionRegisterError
from geo.i18n import DEFAULT_LANGUAGE, check_language, t
from geo.outputs.files import write_atomic
from geo.timeutil import local_time

if TYPE_CHECKING:
    from collections.abc import Mapping


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
    return write_atomic(path, _render(table, "xlsx", year=year, lang=lang, as_of=as_of, title=None))


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
    return _render(table, "html", year=year, lang=lang, as_of=as_of, title=title).decode("utf-8")


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
    return write_atomic(path, _render(table, "pdf", year=year, lang=lang, as_of=as_of, title=None))


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
    Columns are the codes of :data:`~geo.actions.register_files.CSV_COLUMNS` (``nr``, ``section``,
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
    return write_atomic(path, _render(table, "csv", year=year, lang=lang, as_of=None, title=None))


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
        The columns of :data:`~geo.actions.register_files.SHEET_COLUMNS` under their headings from the
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
        heading(column, lang): (
            table["nr"].astype("int64").to_numpy()
            if column == "nr"
            else [cell(record, column, lang) for _, record in table.iterrows()]
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
    if fmt not in _FORMATS:
        raise ActionRegisterError("fmt", fmt, ", ".join(_FORMATS))
    return _render(table, fmt, year=year, lang=lang, as_of=as_of, title=None)


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
    return write_atomic(path, register_bytes(table, fmt, year=year, lang=lang, as_of=as_of))


# --- shared ------------------------------------------------------------------------


def _check_table(table: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REGISTER_COLUMNS if c not in table.columns]
    if missing:
        raise ActionRegisterError(
            "table", f"a table without {', '.join(missing)}", "a table from register_table()"
        )
    return table


def _render(
    table: pd.DataFrame,
    fmt: str,
    *,
    year: int | None,
    lang: str,
    as_of: pd.Timestamp | None,
    title: str | None,
) -> bytes:
    """Check the table, language and date once, then render in the format."""
    table = _check_table(table)
    lang = check_language(lang)
    if fmt == "csv":
        return csv_bytes(table, year=year, lang=lang)
    as_of = local_time(as_of)
    if fmt == "xlsx":
        return xlsx_bytes(table, year=year, lang=lang, as_of=as_of)
    title = t("actions.register_title", lang, year=year) if title is None else title
    if fmt == "html":
        return html_document(table, year=year, lang=lang, title=title, as_of=as_of).encode("utf-8")
    return pdf_bytes(table, year=year, lang=lang, title=title, as_of=as_of)


# --- dispatch ----------------------------------------------------------------------

#: The formats of :func:`register_bytes`.
_FORMATS: tuple[str, ...] = ("csv", "xlsx", "html", "pdf")

#: File extension → format of :func:`export_register`.
_EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".pdf": "pdf"}
)
