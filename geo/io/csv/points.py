"""Read a CSV file with coordinates, in chunks of :data:`CSV_CHUNK_ROWS` rows.

A CSV from a Swedish office arrives in many shapes; :func:`read_csv_points`
finds out which one (:func:`geo.io.csv.dialect.sniff_csv`: encoding,
delimiter, decimal comma, and the coordinate columns of
:mod:`geo.io.csv.columns`) and reads it. Swapped axes are decided afterwards
by :func:`geo.io.csv.axes.decide_axis_order`.

Rows with too many or too few fields
    A row whose number of fields is not the header's (an unquoted
    delimiter in a value, a line break that splits a row) is a problem of
    that row, field ``"row"``, listed with every other problem of the file;
    the row is kept (cut to the header's columns, or filled with empty
    fields) so that the import refuses the file instead of leaving it out.
    Blank lines (every field empty, however many) are skipped, not
    reported. A clean file pays nothing for the check: pandas stops at a
    row that is too long (the file is then read again with room for the
    extra fields), and a row that is too short ends in an empty last
    column; only then are the fields counted, in one pass of Arrow's CSV
    reader.
Row numbers
    A row is numbered as the line the user sees in a text editor or Excel:
    the header is row 1, the first data row is row 2. Blank lines count
    and are skipped. (A quoted value that spans lines shifts the numbers
    of the rows after it.)

Memory: each chunk of text is converted and dropped; what is kept is the
resulting columns (as text) and one point per row, so memory is bounded by
the size of the resulting frame, not of the file.

Attributes
----------
CSV_CHUNK_ROWS : int
    Rows per chunk when reading. Default 100 000.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
from pyproj import CRS

from geo.errors import ValidationError
from geo.io.csv.dialect import CsvLayout, read_options, sniff_csv, to_numbers
from layers.validate import Problem

CSV_CHUNK_ROWS: int = 100_000

Progress = Callable[[float, str], None]


@dataclass
class CsvPoints:
    """A CSV file read into columns and coordinates.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every column but the coordinate (or WKT) columns, as text.
    x, y : numpy.ndarray or None
        The coordinates as written (NaN where missing or unreadable); None
        when the geometry is WKT.
    wkt : numpy.ndarray or None
        Geometries read from the WKT column (None where unreadable); None
        when the geometry is a coordinate pair.
    rows : numpy.ndarray
        Each row's number as the user sees it (header = row 1).
    problems : list of Problem
        Unreadable coordinates, by row and column, and rows whose number of
        fields is not the header's (field ``"row"``; such a row is kept, cut
        to the header's columns or filled with empty ones, so that the
        import refuses the file rather than leave the row out).
    layout : CsvLayout
        What was detected.
    blank_lines : int
        Blank lines skipped.
    chunks : int
        Chunks the file was read in.
    """

    frame: pd.DataFrame
    x: np.ndarray | None
    y: np.ndarray | None
    wkt: np.ndarray | None
    rows: np.ndarray
    problems: list[Problem]
    layout: CsvLayout
    blank_lines: int
    chunks: int

    def to_geodataframe(self, crs: str | CRS | None = None) -> gpd.GeoDataFrame:
        """Return the rows with their points (or WKT geometries) as a GeoDataFrame.

        Parameters
        ----------
        crs : str or pyproj.CRS, optional
            The CRS to declare (the file names none).

        Returns
        -------
        geopandas.GeoDataFrame
            ``None`` geometry where the coordinates are missing or unreadable.
        """
        if self.wkt is not None:
            geoms = self.wkt
        else:
            ok = np.isfinite(self.x) & np.isfinite(self.y)
            geoms = np.full(len(self.x), None, dtype=object)
            geoms[ok] = shapely.points(self.x[ok], self.y[ok])
        return gpd.GeoDataFrame(self.frame, geometry=gpd.GeoSeries(geoms, index=self.frame.index), crs=crs)


def read_csv_points(
    path: str | Path,
    *,
    roles: Mapping[str, str] | None = None,
    prefer_projected: bool = False,
    chunk_rows: int | None = None,
    progress: Progress | None = None,
) -> CsvPoints:
    """Read a CSV file with coordinates, in chunks.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    roles : mapping of str to str, optional
        Column → coordinate role from the user's mapping (see
        :data:`~geo.io.csv.columns.COORDINATE_ROLES`).
    prefer_projected : bool, default False
        Prefer projected coordinate columns when there are several pairs.
    chunk_rows : int, optional
        Rows per chunk; defaults to :data:`CSV_CHUNK_ROWS` (read at call time).
    progress : callable, optional
        Called after each chunk with the share of the file read (0-1) and
        a short text.

    Returns
    -------
    CsvPoints
        The rows, their coordinates, their numbers, coordinate and
        structure problems and the layout; :meth:`CsvPoints.to_geodataframe` makes the points.

    Raises
    ------
    SourceError
        If the file cannot be read as text.
    ValidationError
        If there are no coordinate columns, or a quote is never closed (the
        rows whose number of fields is not the header's are listed with it).
    """
    path = Path(path)
    layout = sniff_csv(path, roles=roles, prefer_projected=prefer_projected)
    size = int(chunk_rows or CSV_CHUNK_ROWS)
    if size < 1:
        msg = f"chunk_rows={chunk_rows!r} must be a positive number of rows"
        raise ValueError(msg)
    try:
        read = _read_pass(path, layout, size, progress)
    except pd.errors.ParserError:
        read = None  # a row with more fields than the header (or a quote never closed)
    if read is None:
        # read again, every row kept and numbered, with room for the fields past the header's
        counts = _field_counts(path, layout)
        try:
            read = _read_pass(path, layout, size, progress, counts=counts)
        except pd.errors.ParserError as exc:
            # not a row too long (there was room for it): a quote never closed, whose value runs on
            width = len(layout.columns)
            problems = [Problem(row, "row", _fields_message(n, layout))
                        for row, n in sorted(counts.items()) if n > width]
            problems.append(Problem(None, "row", "the CSV structure is broken (unbalanced quotes?)"))
            raise ValidationError(problems, source=path.name) from exc
    elif read.maybe_short:
        # rows whose last field is empty, or missing: the file tells which
        counts = _field_counts(path, layout)
        width = len(layout.columns)
        few = np.fromiter(sorted(row for row, n in counts.items() if n < width), dtype=int)
        suspects = np.concatenate(read.maybe_short)  # ascending
        at = np.minimum(np.searchsorted(suspects, few), len(suspects) - 1)
        short = few[suspects[at] == few]
        read.problems.extend(Problem(int(r), "row", _fields_message(counts[int(r)], layout)) for r in short)
    problems = sorted(read.problems, key=lambda p: (p.row or 0, p.field != "row"))
    blank, chunks = read.blank, read.chunks
    if read.parts:
        frame = pd.concat(read.parts, ignore_index=True)
        rows = np.concatenate(read.rows)
    else:
        kept = [c for c in layout.columns if c not in layout.coordinate_columns]
        frame = pd.DataFrame(columns=kept, dtype="str")
        rows = np.array([], dtype=int)
    if layout.wkt_column is not None:
        wkt = np.concatenate(read.geoms) if read.parts else np.array([], dtype=object)
        return CsvPoints(frame, None, None, wkt, rows, problems, layout, blank, chunks)
    x = np.concatenate(read.xs) if read.parts else np.array([], dtype=float)
    y = np.concatenate(read.ys) if read.parts else np.array([], dtype=float)
    return CsvPoints(frame, x, y, None, rows, problems, layout, blank, chunks)


@dataclass
class _Pass:
    """What one pass over the file read, chunk by chunk."""

    parts: list[pd.DataFrame] = field(default_factory=list)
    xs: list[np.ndarray] = field(default_factory=list)
    ys: list[np.ndarray] = field(default_factory=list)
    geoms: list[np.ndarray] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: rows (not blank) whose last column is empty: an empty last value, or too few fields
    maybe_short: list[np.ndarray] = field(default_factory=list)
    blank: int = 0
    chunks: int = 0


def _read_pass(
    path: Path,
    layout: CsvLayout,
    size: int,
    progress: Progress | None,
    *,
    counts: Mapping[int, int] | None = None,
) -> _Pass:
    """Read the file in chunks; with ``counts`` (rows whose field count is not the header's), keep those.

    Without ``counts`` pandas raises :class:`pandas.errors.ParserError` at a
    row with more fields than the header. With them, the file is read with
    as many extra columns as the longest row needs, so that no row is
    skipped and the rows keep their numbers; a row with a field count other
    than the header's is reported (field ``"row"``) and kept with its first
    fields (or its fields and empty ones), so that the import is refused.
    """
    width = len(layout.columns)
    options = read_options(layout.delimiter)
    extra: list[str] = []
    listed = np.fromiter(counts or {}, dtype=int)
    if counts is not None:
        spare = max(max(counts.values(), default=0) - width, 1)
        extra = [f"\x00extra{i}" for i in range(spare)]
        options |= {"names": [*layout.columns, *extra], "header": None, "skiprows": 1}
    total = max(path.stat().st_size, 1)
    read = _Pass()
    next_row = 2
    with path.open("rb") as fh:
        for chunk in pd.read_csv(fh, **options, encoding=layout.encoding, chunksize=size):
            rows = np.arange(next_row, next_row + len(chunk))
            next_row += len(chunk)
            missing = chunk.isna()
            empty = missing.all(axis=1).to_numpy()
            if counts is None:
                short = missing.iloc[:, -1].to_numpy() & ~empty
                if short.any():
                    read.maybe_short.append(rows[short])
            else:
                spilled = ~missing[extra].all(axis=1).to_numpy()
                broken = (np.isin(rows, listed) | spilled) & ~empty
                read.problems.extend(Problem(int(r), "row", _fields_message(counts.get(int(r)), layout))
                                     for r in rows[broken])
                chunk = chunk.drop(columns=extra)
            if empty.any():
                read.blank += int(empty.sum())
                chunk, rows = chunk.loc[~empty], rows[~empty]
            x, y, geometry, found = _geometry(chunk, rows, layout)
            # the coordinate text is not kept: memory follows the resulting frame
            read.parts.append(chunk.drop(columns=list(layout.coordinate_columns)).reset_index(drop=True))
            read.xs.append(x)
            read.ys.append(y)
            read.geoms.append(geometry)
            read.rows.append(rows)
            read.problems.extend(found)
            read.chunks += 1
            if progress is not None:
                progress(min(fh.tell() / total, 1.0), f"{path.name}: {next_row - 2:,} rows read")
    return read


def _geometry(
    chunk: pd.DataFrame, rows: np.ndarray, layout: CsvLayout
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None, list[Problem]]:
    """Return x, y (coordinate pair) or geometries (WKT) of a chunk, and its problems."""
    problems: list[Problem] = []
    if layout.wkt_column is not None:
        text = chunk[layout.wkt_column]
        geoms = shapely.from_wkt(text.to_numpy(dtype=object, na_value=None), on_invalid="ignore")
        bad = (text.notna().to_numpy() & shapely.is_missing(geoms))
        problems.extend(
            Problem(int(r), layout.wkt_column, f"{_short(v)!r} is not valid WKT")
            for r, v in zip(rows[bad], text.to_numpy(dtype=object)[bad], strict=True)
        )
        return None, None, geoms, problems
    coords = []
    for column in (layout.x_column, layout.y_column):
        numbers, bad = to_numbers(chunk[column], decimal_comma=layout.decimal_comma)
        raw = chunk[column].to_numpy(dtype=object)
        problems.extend(
            Problem(int(r), column, f"{_short(v)!r} is not a number")
            for r, v in zip(rows[bad], raw[bad], strict=True)
        )
        empty = chunk[column].isna().to_numpy()
        problems.extend(Problem(int(r), column, "coordinate is empty") for r in rows[empty])
        coords.append(numbers)
    x, y = coords
    return x, y, None, problems


def _short(value: object, width: int = 60) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _field_counts(path: Path, layout: CsvLayout) -> dict[int, int]:
    """Row number → number of fields, for every row whose count is not the header's (blank lines left out).

    Rows are numbered as everywhere in this module (records, header = row 1),
    which is how Arrow's serial CSV reader numbers them; the standard
    library's reader is the fallback.
    """
    counts: dict[int, int] = {}
    unnumbered: list[int] = []

    def invalid(row: pacsv.InvalidRow) -> str:
        if row.number is None:
            unnumbered.append(row.actual_columns)
        else:
            counts[row.number] = row.actual_columns
        return "skip"

    try:
        pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=False, autogenerate_column_names=True,
                                           encoding=layout.encoding),
            parse_options=pacsv.ParseOptions(delimiter=layout.delimiter, quote_char='"',
                                             newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(include_columns=["f0"], column_types={"f0": pa.string()}),
        )
    except (pa.ArrowException, ValueError):
        return _field_counts_python(path, layout)
    return _field_counts_python(path, layout) if unnumbered else counts


def _field_counts_python(path: Path, layout: CsvLayout) -> dict[int, int]:
    counts: dict[int, int] = {}
    with path.open(encoding=layout.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=layout.delimiter)
        width = len(next(reader, []))
        for number, record in enumerate(reader, start=2):
            if record and len(record) != width:
                counts[number] = len(record)
    return counts


def _fields_message(count: int | None, layout: CsvLayout) -> str:
    """Why a row with ``count`` fields (None: more than the header's, count unknown) is refused."""
    width = len(layout.columns)
    if count is None or count > width:
        seen = "more fields than the header" if count is None else f"{count} fields"
        return (f"{seen}, but the header has {width}; quote values that contain the delimiter "
                f"{layout.delimiter!r}")
    seen = "1 field" if count == 1 else f"{count} fields"
    return (f"{seen}, but the header has {width}; every row needs a field for each column (empty ones "
            "too), and a value with a line break must be quoted")

