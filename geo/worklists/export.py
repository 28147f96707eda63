"""Write work lists to XLSX and CSV, and show them with headings on a page.

- :func:`write_worklists`: the file format follows from the extension
  (:data:`WRITERS`): ``.xlsx`` gives one workbook with a sheet per list;
  ``.csv`` gives the main list at the path and every other list beside it as
  ``<stem>_<list><suffix>`` (or only the list asked for).
- :func:`xlsx_bytes`, :func:`csv_bytes`: the same content as bytes (for
  download buttons).
- :func:`display_table`: a list with headings and labels in the user's
  language, for the app.

An XLSX sheet starts with a title row (the list's name and its date), the
date, period and audience of the list, the settings it was made with, then
the headings in the user's language (Swedish by default), frozen, with an
autofilter and column widths that fit the content. Times are real Excel
dates in local time, shares are percentages, yes/no columns read
``Ja``/``Nej``, codes read as their labels. A CSV keeps the column codes
(``id``, ``hours_to_removal``, ``within_72h`` …), times in ISO 8601 with
offset and ``true``/``false``, and neutralises text that a spreadsheet would
run as a formula. Geometry never goes into a file; places carry ``x``/``y``
in SWEREF 99 TM.

Every file is written beside its target and moved into place when complete.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from geo import settings
from geo.errors import WorklistError
from geo.i18n import DEFAULT_LANGUAGE, TEXTS, check_language, format_date, format_number, t
from geo.worklists import Worklists
from geo.worklists.texts import heading, list_title, sheet_name, value_label

LABELLED_COLUMNS: frozenset[str] = frozenset(
    {"source", "status", "object_kind", "period_kind", "gi_class", "kind", "scenario"}
)
"""Columns whose codes are shown as labels in XLSX and on the page."""

PERCENT_COLUMNS: frozenset[str] = frozenset(
    {"share_within_72h", "share_within_deadline", "camera_share", "flooded_share"}
)
"""Columns holding shares in ``[0, 1]``, shown as percentages."""

HEADER_ROW: int = 5
"""Zero-based row of the headings in an XLSX sheet (the title block is above)."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MIN_WIDTH, _MAX_WIDTH, _WIDE_TEXT = 6, 60, 80
_TIME_FORMAT, _DATE_FORMAT = "yyyy-mm-dd hh:mm", "yyyy-mm-dd"

__all__ = [
    "HEADER_ROW",
    "LABELLED_COLUMNS",
    "PERCENT_COLUMNS",
    "WRITERS",
    "csv_bytes",
    "display_table",
    "write_worklists",
    "xlsx_bytes",
]


def write_worklists(
    worklists: Worklists,
    path: str | Path,
    *,
    lang: str = DEFAULT_LANGUAGE,
    only: str | None = None,
) -> list[Path]:
    """Write work lists to a file whose format follows from its extension.

    Parameters
    ----------
    worklists : Worklists
        The lists (from :func:`geo.worklists.build_worklists`).
    path : str or pathlib.Path
        Target: ``.xlsx`` (one workbook) or ``.csv`` (one file per list).
    lang : {"sv", "en"}, default "sv"
        Language of the XLSX headings and labels.
    only : str, optional
        Write just this list (a key of ``worklists.lists``).

    Returns
    -------
    list of pathlib.Path
        The files written, the main (or only) list first.

    Raises
    ------
    WorklistError
        If the extension is not one of :data:`WRITERS` or ``only`` is not a
        list; the message lists what is allowed.
    OSError
        If a file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.worklists import Worklists, reference_time
    >>> at = reference_time("2026-10-01")
    >>> lists = Worklists("graffiti", at, at - pd.Timedelta(days=30), at, "staff",
    ...                   {"queue": pd.DataFrame({"rank": [1], "id": ["g1"]}),
    ...                    "late": pd.DataFrame({"rank": [], "id": []})})
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_worklists(lists, folder / "klotter.csv")]
    ['klotter.csv', 'klotter_late.csv']
    """
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        msg = (f"path={str(path)!r} has an extension no work list is written as; "
               f"allowed: {', '.join(WRITERS)}")
        raise WorklistError(msg)
    keys = _keys(worklists, only)
    return writer(worklists, path, keys=keys, lang=check_language(lang))


def xlsx_bytes(worklists: Worklists, *, lang: str = DEFAULT_LANGUAGE, only: str | None = None) -> bytes:
    """Return the lists as an XLSX workbook, a sheet per list.

    Parameters
    ----------
    worklists : Worklists
        The lists.
    lang : {"sv", "en"}, default "sv"
        Language of headings and labels.
    only : str, optional
        Just this list.

    Returns
    -------
    bytes
        The workbook.

    Raises
    ------
    WorklistError
        If ``only`` is not a list.

    Examples
    --------
    >>> from geo.worklists import Worklists, reference_time
    >>> at = reference_time("2026-10-01")
    >>> lists = Worklists("cameras", at, at - pd.Timedelta(days=30), at, "staff",
    ...                   {"permits": pd.DataFrame({"rank": [1], "id": ["cam-001"]})})
    >>> xlsx_bytes(lists)[:2]
    b'PK'
    """
    return _workbook(worklists, _keys(worklists, only), check_language(lang))


def _workbook(worklists: Worklists, keys: list[str], lang: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "nan_inf_to_errors": False})
    formats = _formats(workbook)
    used: set[str] = set()
    for key in keys:
        name = _unique(sheet_name(worklists.kind, key, lang), used)
        _write_sheet(workbook.add_worksheet(name), formats, worklists, key, lang)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Return one list as CSV: UTF-8, comma-separated, column codes as headings.

    Parameters
    ----------
    table : pandas.DataFrame
        One list; a geometry column is left out.

    Returns
    -------
    bytes
        The CSV. Times are ISO 8601 with offset, booleans ``true``/``false``,
        missing values and infinite distances empty; text starting with
        ``=``, ``+``, ``-`` or ``@`` gets a leading ``'``.

    Examples
    --------
    >>> table = pd.DataFrame({"rank": [1], "id": ["g1"], "within_72h": pd.array([True]),
    ...                       "hours_to_removal": [71.5], "why": ["=1+1"]})
    >>> csv_bytes(table).decode().splitlines()
    ['rank,id,within_72h,hours_to_removal,why', "1,g1,true,71.5,'=1+1"]
    """
    columns = [c for c in table.columns if c != "geometry"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    values = [table[c].tolist() for c in columns]
    for row in zip(*values, strict=True):
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def display_table(worklists: Worklists, key: str, *, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Return a list as people read it: headings, labels, local times, no geometry.

    Parameters
    ----------
    worklists : Worklists
        The lists.
    key : str
        Which list.
    lang : {"sv", "en"}, default "sv"
        Language of headings and labels.

    Returns
    -------
    pandas.DataFrame
        The list with headed columns; coded and yes/no columns as text,
        times as ``YYYY-MM-DD HH:MM`` (dates alone where every time is
        midnight), numbers kept as numbers (shares as percent).

    Raises
    ------
    KeyError
        If there is no such list.

    Examples
    --------
    >>> from geo.worklists import Worklists, reference_time
    >>> at = reference_time("2026-10-01")
    >>> lists = Worklists("graffiti", at, at, at + pd.Timedelta(days=1), "staff",
    ...                   {"queue": pd.DataFrame({"rank": [1], "object_kind": ["school"],
    ...                                           "priority": [True]})})
    >>> shown = display_table(lists, "queue")
    >>> shown.columns.tolist(), shown.iloc[0].astype(str).tolist()
    (['Rang', 'Objekttyp', 'Prioriterat objekt'], ['1', 'Skola', 'Ja'])
    """
    lang = check_language(lang)
    table = worklists[key]
    deadline = _deadline(worklists, lang)
    shown = {}
    for column in table.columns:
        if column == "geometry":
            continue
        values = table[column]
        title = heading(worklists.kind, column, lang, deadline=deadline)
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            fmt = "%Y-%m-%d" if _all_midnight(values) else "%Y-%m-%d %H:%M"
            shown[title] = values.dt.tz_convert(settings.timezone).dt.strftime(fmt).fillna("").to_numpy()
        elif column in LABELLED_COLUMNS or _is_bool(values):
            shown[title] = [value_label(worklists.kind, column, v, lang) for v in values.tolist()]
        elif column in PERCENT_COLUMNS:
            shown[title] = np.round(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float) * 100, 1)
        else:
            shown[title] = values.to_numpy()
    return pd.DataFrame(shown, index=range(len(table)))


# --------------------------------------------------------------------------- writers


def _write_xlsx_file(worklists: Worklists, path: Path, *, keys: list[str], lang: str) -> list[Path]:
    return [_write_bytes(path, _workbook(worklists, keys, lang))]


def _write_csv_files(worklists: Worklists, path: Path, *, keys: list[str], lang: str) -> list[Path]:
    del lang  # a CSV keeps the column codes
    written = []
    for i, key in enumerate(keys):
        target = path if i == 0 else path.with_name(f"{path.stem}_{key}{path.suffix}")
        written.append(_write_bytes(target, csv_bytes(worklists.lists[key])))
    return written


WRITERS: Mapping[str, Callable[..., list[Path]]] = MappingProxyType(
    {".xlsx": _write_xlsx_file, ".csv": _write_csv_files}
)
"""File extension → writer of :func:`write_worklists`."""


# --------------------------------------------------------------------------- XLSX


def _formats(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "meta": workbook.add_format({"italic": True, "font_color": "#444444"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#dde4ee", "border": 1, "text_wrap": True,
                                       "valign": "top"}),
        "text": workbook.add_format({"valign": "top"}),
        "wrap": workbook.add_format({"valign": "top", "text_wrap": True}),
        "number": workbook.add_format({"valign": "top"}),
        "percent": workbook.add_format({"valign": "top", "num_format": "0.0%"}),
        "time": workbook.add_format({"valign": "top", "num_format": _TIME_FORMAT}),
        "date": workbook.add_format({"valign": "top", "num_format": _DATE_FORMAT}),
    }


def _write_sheet(sheet, formats: dict, worklists: Worklists, key: str, lang: str) -> None:
    table = worklists.lists[key]
    columns = [c for c in table.columns if c != "geometry"]
    date = format_date(worklists.at, lang)
    title = list_title(worklists.kind, key, lang)
    sheet.write_string(0, 0, t("worklists.meta_title", lang, title=title, date=date), formats["title"])
    sheet.write_string(1, 0, " · ".join([
        t("worklists.meta_list_date", lang, date=format_date(worklists.at, lang, with_time=True)),
        t("worklists.meta_period", lang, start=format_date(worklists.start, lang),
          end=format_date(worklists.end - pd.Timedelta(1, "ns"), lang)),
        t("worklists.meta_audience", lang, audience=t(f"worklists.audience_{worklists.audience}", lang)),
    ]), formats["meta"])
    options = _options_text(worklists, lang)
    if options:
        sheet.write_string(2, 0, t("worklists.meta_options", lang, options=options), formats["meta"])
    sheet.write_string(3, 0, t("worklists.meta_source", lang), formats["meta"])
    deadline = _deadline(worklists, lang)
    for col, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, col, heading(worklists.kind, column, lang, deadline=deadline),
                           formats["header"])
    widths = [len(heading(worklists.kind, c, lang, deadline=deadline)) // 2 + 2 for c in columns]
    for col, column in enumerate(columns):
        values = table[column]
        writer = _cell_writer(worklists.kind, column, values, formats, lang)
        for offset, value in enumerate(values.tolist(), start=1):
            widths[col] = max(widths[col], writer(sheet, HEADER_ROW + offset, col, value) + 2)
    if table.empty:
        sheet.write_string(HEADER_ROW + 1, 0, t("worklists.empty_list", lang), formats["meta"])
    for col, column in enumerate(columns):
        limit = _WIDE_TEXT if column in ("why", "description") else _MAX_WIDTH
        sheet.set_column(col, col, max(_MIN_WIDTH, min(limit, widths[col])),
                         formats["wrap"] if column in ("why", "description") else None)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if columns:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(table), 1), len(columns) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)


def _cell_writer(kind: str, column: str, values: pd.Series, formats: dict, lang: str) -> Callable:
    """Return ``write(sheet, row, col, value) -> width of the shown text`` for one column."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        midnight = _all_midnight(values)
        fmt = formats["date"] if midnight else formats["time"]
        width = 10 if midnight else 16

        def write_time(sheet, row: int, col: int, value: object) -> int:
            if value is None or pd.isna(value):
                return 0
            local = pd.Timestamp(value).tz_convert(settings.timezone).tz_localize(None)
            sheet.write_datetime(row, col, local.to_pydatetime(), fmt)
            return width

        return write_time
    if column in LABELLED_COLUMNS or _is_bool(values):
        def write_label(sheet, row: int, col: int, value: object) -> int:
            text = value_label(kind, column, value, lang)
            if text:
                sheet.write_string(row, col, text, formats["text"])
            return len(text)

        return write_label
    if pd.api.types.is_numeric_dtype(values.dtype):
        fmt = formats["percent"] if column in PERCENT_COLUMNS else formats["number"]

        def write_number(sheet, row: int, col: int, value: object) -> int:
            if value is None or value is pd.NA or not math.isfinite(float(value)):
                return 0
            number = float(value)
            sheet.write_number(row, col, number, fmt)
            return len(f"{number:.1%}" if column in PERCENT_COLUMNS else format_number(
                number, lang, decimals=0 if number == int(number) else 2))

        return write_number

    def write_text(sheet, row: int, col: int, value: object) -> int:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return 0
        text = str(value)
        if text:
            sheet.write_string(row, col, text, formats["text"])
        return len(text)

    return write_text


def _options_text(worklists: Worklists, lang: str) -> str:
    parts = []
    for name, value in worklists.options.items():
        if value is None or value == {} or value == []:
            continue
        if isinstance(value, Mapping):
            shown = ", ".join(f"{value_label(worklists.kind, 'object_kind', k, lang)} {_number(v, lang)}"
                              for k, v in value.items())
        elif isinstance(value, list | tuple):
            shown = ", ".join(value_label(worklists.kind, "scenario", v, lang) for v in value)
        elif isinstance(value, float | int) and not isinstance(value, bool):
            shown = _number(value, lang)
        else:
            shown = str(value)
        label = t(f"worklists.opt_{name}", lang) if f"worklists.opt_{name}" in TEXTS else name
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def _deadline(worklists: Worklists, lang: str) -> str:
    value = worklists.options.get("deadline_hours", settings.graffiti_deadline_hours)
    return _number(value, lang)


def _number(value: object, lang: str) -> str:
    number = float(value)
    return format_number(number, lang, decimals=0 if number == int(number) else 1)


# --------------------------------------------------------------------------- shared


def _keys(worklists: Worklists, only: str | None) -> list[str]:
    if only is None:
        return list(worklists.lists)
    if only not in worklists.lists:
        msg = f"only={only!r} is not one of the {worklists.kind} lists; allowed: {', '.join(worklists.lists)}"
        raise WorklistError(msg)
    return [only]


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = name[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _all_midnight(values: pd.Series) -> bool:
    local = values.dropna().dt.tz_convert(settings.timezone)
    return bool(len(local)) and bool((local == local.dt.normalize()).all())


def _is_bool(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values.dtype)


def _csv_cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return "" if not math.isfinite(value) else repr(float(value))
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_bytes(path: Path, data: bytes) -> Path:
    """Write beside the target, then move into place (no half-written files)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
