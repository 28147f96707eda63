"""CSV files with coordinates: encoding, delimiter, decimal comma, columns, axis order.

A CSV from a Swedish office arrives in many shapes; this module finds out
which one and reads it in chunks of :data:`CSV_CHUNK_ROWS` rows.

Encoding (:func:`detect_encoding`, one streaming pass over the whole file)
    A byte-order mark decides (UTF-8 with BOM, UTF-16). Otherwise a file
    that decodes as UTF-8 is UTF-8; else cp1252 (Windows-1252, what Excel
    writes on Swedish Windows), or latin-1 when it holds bytes cp1252 does
    not define. A file with NUL bytes and no BOM (UTF-16 without BOM, or
    not text at all) is refused.
Delimiter
    Of ``,`` ``;`` tab and ``|``, the one that splits the header into
    most columns and the first rows into the same number of fields.
Decimal comma
    When the coordinate values read like ``59,41`` and none like ``59.41``.
    Spaces inside numbers (``6 590 630``) are dropped.
Coordinate columns (:data:`COORDINATE_COLUMNS`)
    Names are compared lower-cased with å/ä → a and ö → o. ``lat``/``lon``
    (and ``long``, ``lng``, ``latitude``/``longitude``, ``breddgrad``/
    ``längdgrad``) are degrees, WGS 84 unless ``--crs`` names another
    geographic CRS. ``E``/``N``, ``easting``/``northing``, ``ost``/``nord``
    are projected and say which axis is which; ``x``/``y`` are projected and
    do not (in Swedish geodesy X is north). Projected columns need
    ``--crs``. A ``wkt`` (``geometry``, ``geom``) column is read as WKT
    when no coordinate pair is found. The user's column mapping can name
    the columns with the roles of :data:`COORDINATE_ROLES`.
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

Swapped axes are decided by :func:`decide_axis_order`, whose rule is
written out in its docstring.

Memory: each chunk of text is converted and dropped; what is kept is the
resulting columns (as text) and one point per row, so memory is bounded by
the size of the resulting frame, not of the file.

Attributes
----------
CSV_CHUNK_ROWS : int
    Rows per chunk when reading. Default 100 000.
SWEDEN_BBOX_WGS84 : tuple of float
    ``(west, south, east, north)`` in degrees: 10.9, 55.3, 24.2, 69.1.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from geo import settings
from geo.errors import ValidationError
from geo.io.readers import SourceError
from layers.validate import Problem

CSV_CHUNK_ROWS: int = 100_000
SWEDEN_BBOX_WGS84: tuple[float, float, float, float] = (10.9, 55.3, 24.2, 69.1)
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
SAMPLE_BYTES: int = 256 * 1024
SAMPLE_ROWS: int = 500
_SCAN_BLOCK: int = 1024 * 1024

Progress = Callable[[float, str], None]

#: Normalised column name → (axis, kind). Kinds: "geographic" (degrees),
#: "projected" (metres, names say which axis), "ambiguous" (metres, x/y).
COORDINATE_COLUMNS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("lon", "long", "lng", "longitude", "langdgrad", "lon_wgs84", "wgs84_lon"),
                    ("x", "geographic")),
    **dict.fromkeys(("lat", "latitude", "breddgrad", "lat_wgs84", "wgs84_lat"), ("y", "geographic")),
    **dict.fromkeys(("e", "east", "easting", "ost", "ostlig", "ostkoordinat", "e_koordinat",
                     "e_koord", "sweref_e", "e_sweref"), ("x", "projected")),
    **dict.fromkeys(("n", "north", "northing", "nord", "nordlig", "nordkoordinat", "n_koordinat",
                     "n_koord", "sweref_n", "n_sweref"), ("y", "projected")),
    **dict.fromkeys(("x", "x_koordinat", "x_koord", "xkoord", "x_coordinate", "x_coord", "xcoord",
                     "koordinat_x"), ("x", "ambiguous")),
    **dict.fromkeys(("y", "y_koordinat", "y_koord", "ykoord", "y_coordinate", "y_coord", "ycoord",
                     "koordinat_y"), ("y", "ambiguous")),
}
#: Normalised names of a WKT geometry column.
WKT_COLUMNS: tuple[str, ...] = ("wkt", "geometry", "geom", "the_geom", "geometri")
#: Roles a user mapping can give a column (``--map Easting=e``).
COORDINATE_ROLES: dict[str, tuple[str, str]] = {
    "lon": ("x", "geographic"),
    "lat": ("y", "geographic"),
    "e": ("x", "projected"),
    "n": ("y", "projected"),
    "x": ("x", "ambiguous"),
    "y": ("y", "ambiguous"),
    "wkt": ("wkt", ""),
}
_KIND_ORDER = ("geographic", "projected", "ambiguous")
_KIND_ORDER_PROJECTED = ("projected", "ambiguous", "geographic")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
# Real characters, not escapes, so that pandas keeps the fast Arrow (RE2) path.
_SPACES = "[ \t\u00a0\u202f]"
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d[\d\s\u00a0\u202f]*,\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d+\.\d+\s*$")
_CP1252_UNDEFINED: tuple[bytes, ...] = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


@dataclass(frozen=True)
class CsvLayout:
    """How a CSV file is written.

    Attributes
    ----------
    encoding : str
        Python codec name (``"utf-8"``, ``"utf-8-sig"``, ``"cp1252"`` ...).
    delimiter : str
        Field delimiter.
    columns : tuple of str
        Header names, as pandas reads them.
    x_column, y_column : str or None
        The coordinate columns (east/longitude and north/latitude as named).
    wkt_column : str or None
        The WKT column, when there is no coordinate pair.
    axes : {"geographic", "projected", "ambiguous", ""}
        What the coordinate column names say ("" for WKT).
    decimal_comma : bool
        Whether numbers are written with a decimal comma.
    """

    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    x_column: str | None
    y_column: str | None
    wkt_column: str | None
    axes: str
    decimal_comma: bool

    @property
    def explicit_axes(self) -> bool:
        """Whether the column names say which axis is east (lat/lon, E/N, ost/nord)."""
        return self.axes in ("geographic", "projected") or self.wkt_column is not None

    @property
    def coordinate_columns(self) -> tuple[str, ...]:
        """The columns holding the geometry."""
        return tuple(c for c in (self.x_column, self.y_column, self.wkt_column) if c)


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


def normalise_name(name: str) -> str:
    """Return a column name lower-cased, with å/ä → a, ö → o and separators as ``_``.

    Parameters
    ----------
    name : str
        A header name.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalise_name(" Öst-Koordinat ")
    'ost_koordinat'
    """
    text = str(name).strip().strip('"').lower().translate(_FOLD)
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


def detect_encoding(path: str | Path) -> str:
    r"""Return the encoding of a text file, reading it once in blocks.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    str
        ``"utf-8-sig"`` or ``"utf-16"`` (byte-order mark), ``"utf-8"``,
        ``"cp1252"``, or ``"latin-1"`` when cp1252 does not fit.

    Raises
    ------
    SourceError
        If the file holds NUL bytes and has no byte-order mark.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("namn;ort\nÅsa;Järfälla\n".encode("cp1252"))
    >>> detect_encoding(p)
    'cp1252'
    """
    path = Path(path)
    with path.open("rb") as fh:
        first = fh.read(4)
        if first.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8, undefined = True, False
        while block := fh.read(_SCAN_BLOCK):
            if b"\x00" in block:
                msg = (
                    f"{path.name} is not a text CSV: it holds NUL bytes (UTF-16 without a byte-order "
                    "mark, or not text at all); save it as 'CSV UTF-8' and import again"
                )
                raise SourceError(msg)
            if block.isascii():
                continue
            # bytes cp1252 leaves undefined, looked for in the same pass (a byte search, like the NUL test)
            undefined = undefined or any(byte in block for byte in _CP1252_UNDEFINED)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return "utf-8"
    return "latin-1" if undefined else "cp1252"


def sniff_csv(
    path: str | Path,
    *,
    roles: Mapping[str, str] | None = None,
    prefer_projected: bool = False,
) -> CsvLayout:
    """Find the encoding, delimiter, decimal mark and coordinate columns of a CSV file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    roles : mapping of str to str, optional
        Column → role (a key of :data:`COORDINATE_ROLES`) given by the user;
        overrides the detection of coordinate columns.
    prefer_projected : bool, default False
        Prefer projected columns when a file has both (a projected
        ``--crs`` was given).

    Returns
    -------
    CsvLayout
        What was found.

    Raises
    ------
    SourceError
        If the file has no header line, or holds NUL bytes.
    ValidationError
        If no coordinate columns (or WKT column) are found, or a role names
        a column the file does not have.
    """
    path = Path(path)
    encoding = detect_encoding(path)
    with path.open("rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
    text = raw.decode(encoding, errors="ignore")
    if len(raw) == SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n")]
    if not text.strip():
        msg = f"{path.name} has no header line; the first line must name the columns"
        raise SourceError(msg)
    delimiter = _delimiter(text)
    try:
        sample = pd.read_csv(io.StringIO(text), **_read_options(delimiter), nrows=SAMPLE_ROWS)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        sample = pd.read_csv(io.StringIO(text.splitlines()[0]), **_read_options(delimiter))
    columns = tuple(map(str, sample.columns))
    x, y, wkt, axes = _coordinate_columns(path.name, columns, roles or {}, prefer_projected)
    decimal_comma = any(_has_decimal_comma(sample[c]) for c in (x, y) if c is not None)
    return CsvLayout(encoding, delimiter, columns, x, y, wkt, axes, decimal_comma)


def _read_options(delimiter: str) -> dict:
    return {
        "sep": delimiter,
        "dtype": "str",
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "quotechar": '"',
        "engine": "c",
    }


def _delimiter(text: str) -> str:
    """Pick the candidate giving the header most columns, consistently across the first rows."""
    best, best_score = DELIMITERS[0], (-1.0, -1)
    for candidate in DELIMITERS:
        records = [r for r in itertools.islice(csv.reader(io.StringIO(text), delimiter=candidate), 200) if r]
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        same = sum(len(r) == width for r in records[1:]) / max(len(records) - 1, 1)
        score = (same, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _coordinate_columns(
    source: str, columns: tuple[str, ...], roles: Mapping[str, str], prefer_projected: bool
) -> tuple[str | None, str | None, str | None, str]:
    if roles:
        return _columns_from_roles(source, columns, roles)
    found: dict[str, dict[str, str]] = {kind: {} for kind in _KIND_ORDER}
    for column in columns:
        match = COORDINATE_COLUMNS.get(normalise_name(column))
        if match is not None:
            axis, kind = match
            found[kind].setdefault(axis, column)
    for kind in _KIND_ORDER_PROJECTED if prefer_projected else _KIND_ORDER:
        if {"x", "y"} <= set(found[kind]):
            return found[kind]["x"], found[kind]["y"], None, kind
    wkt = next((c for c in columns if normalise_name(c) in WKT_COLUMNS), None)
    if wkt is not None:
        return None, None, wkt, ""
    halves = [c for kind in found.values() for c in kind.values()]
    seen = f"; found only {', '.join(map(repr, halves))}" if halves else ""
    message = (
        f"no coordinate columns found in the header ({', '.join(columns)}){seen}; expected a pair "
        "such as lat/lon, latitude/longitude, long/lat, E/N, ost/nord or x/y, or a wkt column; "
        "or name yours with --map COLUMN=lat --map COLUMN=lon (roles: "
        f"{', '.join(COORDINATE_ROLES)})"
    )
    raise ValidationError([Problem(None, "geometry", message)], source=source)


def _columns_from_roles(
    source: str, columns: tuple[str, ...], roles: Mapping[str, str]
) -> tuple[str | None, str | None, str | None, str]:
    problems = [
        Problem(None, column, f"the mapping names column {column!r}, which is not in the file; "
                              f"columns: {', '.join(columns)}")
        for column in roles if column not in columns
    ]
    by_axis: dict[str, tuple[str, str]] = {}
    for column, role in roles.items():
        axis, kind = COORDINATE_ROLES[role]
        by_axis[axis] = (column, kind)
    if "wkt" in by_axis and not problems:
        return None, None, by_axis["wkt"][0], ""
    if not problems and not {"x", "y"} <= set(by_axis):
        problems.append(Problem(None, "geometry", "map both coordinate columns (e.g. --map A=lat "
                                                  "--map B=lon), not only one"))
    elif not problems and by_axis["x"][1] != by_axis["y"][1]:
        problems.append(Problem(None, "geometry", f"the mapped coordinate roles do not match: "
                                                  f"{by_axis['x'][1]} and {by_axis['y'][1]}"))
    if problems:
        raise ValidationError(problems, source=source)
    return by_axis["x"][0], by_axis["y"][0], None, by_axis["x"][1]


def _has_decimal_comma(values: pd.Series) -> bool:
    text = values.dropna().astype(str)
    if text.empty:
        return False
    comma = text.str.match(_DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
    point = text.str.match(_DECIMAL_POINT).fillna(False).to_numpy(dtype=bool)
    return bool(comma.any()) and not bool(point.any())


def to_numbers(values: pd.Series, *, decimal_comma: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Read numbers written as text: spaces dropped, a decimal comma read as a point.

    Parameters
    ----------
    values : pandas.Series
        Text (or numbers, returned as floats).
    decimal_comma : bool, default False
        Read ``,`` as the decimal mark.

    Returns
    -------
    numbers : numpy.ndarray of float
        ``NaN`` where empty or unreadable.
    bad : numpy.ndarray of bool
        Non-empty values that are not finite numbers.

    Examples
    --------
    >>> to_numbers(pd.Series(["6 590 630,5", "", "x"]), decimal_comma=True)[0].tolist()
    [6590630.5, nan, nan]
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = np.array(values.to_numpy(dtype=float, na_value=np.nan))
        return numbers, ~np.isnan(numbers) & ~np.isfinite(numbers)
    fast = _arrow_numbers(values, decimal_comma=decimal_comma)
    if fast is not None:
        return fast
    text = values.astype("str").str.replace(_SPACES, "", regex=True)
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    numbers = np.array(pd.to_numeric(text, errors="coerce"), dtype=float)
    empty = (values.isna() | (text == "")).to_numpy(dtype=bool)
    bad = ~empty & ~np.isfinite(numbers)
    numbers[~np.isfinite(numbers)] = np.nan
    return numbers, bad


def _arrow_numbers(values: pd.Series, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """Cast text to numbers in Arrow, or None when a value needs the careful path."""
    try:
        array = pa.array(values.astype("str"))
        if decimal_comma:
            array = pc.replace_substring(array, ",", ".")
        numbers = np.array(pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
        present = np.asarray(pc.is_valid(array), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    finite = np.isfinite(numbers)
    bad = present & ~finite  # "nan" and "inf" are read by Arrow but are no coordinates
    numbers[~finite] = np.nan
    return numbers, bad


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
        :data:`COORDINATE_ROLES`).
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
    options = _read_options(layout.delimiter)
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


# -- axis order -----------------------------------------------------------------


@dataclass(frozen=True)
class AxisDecision:
    """Which rows had their coordinates swapped, and the points in the analysis CRS.

    Attributes
    ----------
    x, y : numpy.ndarray
        Coordinates in the analysis CRS after the decision (NaN where the
        input was missing or did not transform).
    swapped : numpy.ndarray of bool
        Rows read as (second, first) instead of (first, second).
    undecided : numpy.ndarray of bool
        Rows whose order cannot be told (both orders land in Sweden and
        the kommun does not tell them apart); the importer refuses them.
    in_sweden : numpy.ndarray of bool
        Rows whose chosen point lies in Sweden (its bounding box).
    """

    x: np.ndarray
    y: np.ndarray
    swapped: np.ndarray
    undecided: np.ndarray
    in_sweden: np.ndarray


@cache
def sweden_outline(crs: str) -> shapely.Polygon:
    """Return Sweden's WGS 84 bounding box as a polygon in ``crs`` (densified edges).

    Parameters
    ----------
    crs : str
        The target CRS, e.g. ``"EPSG:3006"``.

    Returns
    -------
    shapely.Polygon
        The box of :data:`SWEDEN_BBOX_WGS84`, prepared for fast tests.
    """
    west, south, east, north = SWEDEN_BBOX_WGS84
    steps = np.linspace(0.0, 1.0, 41)
    lon = np.concatenate([west + (east - west) * steps, np.full(41, east),
                          east - (east - west) * steps, np.full(41, west)])
    lat = np.concatenate([np.full(41, south), south + (north - south) * steps,
                          np.full(41, north), north - (north - south) * steps])
    x, y = _transformer("EPSG:4326", crs).transform(lon, lat)
    outline = shapely.Polygon(np.column_stack([x, y]))
    shapely.prepare(outline)
    return outline


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True)


def inside(area: shapely.Geometry, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Test points against an area, with a fast path when their box lies inside it.

    Parameters
    ----------
    area : shapely.Geometry
        A polygon (prepared or not).
    x, y : numpy.ndarray
        Coordinates in the area's CRS; NaN is outside.

    Returns
    -------
    numpy.ndarray of bool
        Whether each point lies in or on the area.
    """
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return finite
    box = shapely.box(x[finite].min(), y[finite].min(), x[finite].max(), y[finite].max())
    if shapely.contains(area, box):
        return finite
    out = np.zeros(len(x), dtype=bool)
    out[finite] = shapely.intersects_xy(area, x[finite], y[finite])
    return out


def decide_axis_order(
    x: np.ndarray,
    y: np.ndarray,
    crs: CRS | str,
    *,
    kommun: shapely.Geometry | None = None,
    explicit_axes: bool = True,
) -> AxisDecision:
    """Decide, row by row, whether a point's two coordinates were written in swapped order.

    The rule, applied to every row with two finite coordinates:

    1. **Sweden decides.** If exactly one of the two orders lands in Sweden
       (the bounding box :data:`SWEDEN_BBOX_WGS84`), that order is used. For
       latitude/longitude this always decides a Swedish point: the
       latitudes of Sweden (55.3-69.1) and its longitudes (10.9-24.2) do
       not overlap.
    2. **The kommun breaks ties.** If both orders land in Sweden (possible
       with local projected CRSs such as ST74, whose x and y have the same
       range), the order that lands in the kommun outline is used, when
       exactly one does.
    3. **Otherwise the file decides.** For rows still open (both or neither
       order in Sweden and the kommun): if every row decided by 1-2 agrees
       on one order, that order; else the order the column names give when
       they say which axis is east (lat/lon, E/N, ost/nord, a file's own
       geometry); else (``x``/``y``) rows where both orders land in Sweden
       are *undecided* and the import refuses them, and rows where neither
       does keep their order (they are outside Sweden either way).

    Parameters
    ----------
    x, y : numpy.ndarray
        The coordinates as written: east/longitude first as the names say.
    crs : pyproj.CRS or str
        Their CRS.
    kommun : shapely.Geometry, optional
        The kommun outline in the analysis CRS, for rule 2.
    explicit_axes : bool, default True
        Whether the column names say which axis is east (rule 3).

    Returns
    -------
    AxisDecision
        The chosen points in the analysis CRS and the rows swapped or left
        undecided.

    Examples
    --------
    >>> d = decide_axis_order(np.array([59.41, 17.84]), np.array([17.84, 59.41]), "EPSG:4326")
    >>> d.swapped.tolist(), d.undecided.tolist()
    ([True, False], [False, False])
    """
    source = CRS.from_user_input(crs)
    target = settings.analysis_crs
    transform = _transformer(source.to_wkt(), target).transform
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    valid = np.isfinite(x) & np.isfinite(y)
    gx, gy = _safe_transform(transform, x, y)
    sweden = sweden_outline(target)
    g_in = inside(sweden, gx, gy)
    swapped = np.zeros(n, dtype=bool)
    undecided = np.zeros(n, dtype=bool)
    if g_in[valid].all() and (source.is_geographic or not _box_may_reach_sweden(source, x, y, valid)):
        return AxisDecision(gx, gy, swapped, undecided, g_in)
    sx, sy = _safe_transform(transform, y, x)
    s_in = inside(sweden, sx, sy)
    keep = valid & g_in & ~s_in
    swap = valid & s_in & ~g_in
    both = valid & g_in & s_in
    if kommun is not None and both.any():
        g_k = np.zeros(n, dtype=bool)
        s_k = np.zeros(n, dtype=bool)
        g_k[both] = inside(kommun, gx[both], gy[both])
        s_k[both] = inside(kommun, sx[both], sy[both])
        keep |= both & g_k & ~s_k
        swap |= both & s_k & ~g_k
    open_rows = valid & ~keep & ~swap
    if open_rows.any():
        if swap.any() and not keep.any():
            swap |= open_rows  # every decided row says swapped: the file is
        elif not (keep.any() and not swap.any()) and not explicit_axes:
            undecided = open_rows & both  # x/y names, no help from the rest of the file
    swapped = swap
    out_x = np.where(swapped, sx, gx)
    out_y = np.where(swapped, sy, gy)
    return AxisDecision(out_x, out_y, swapped, undecided, np.where(swapped, s_in, g_in))


def _safe_transform(transform: Callable, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", over="ignore"):
        tx, ty = transform(x, y)
    tx, ty = np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
    bad = ~(np.isfinite(tx) & np.isfinite(ty))
    tx[bad], ty[bad] = np.nan, np.nan
    return tx, ty


def _box_may_reach_sweden(source: CRS, x: np.ndarray, y: np.ndarray, valid: np.ndarray) -> bool:
    """Whether the swapped points' box, in degrees, may touch Sweden's box."""
    if not valid.any():
        return False
    to_wgs84 = _transformer(source.to_wkt(), "EPSG:4326")
    try:
        west, south, east, north = to_wgs84.transform_bounds(
            y[valid].min(), x[valid].min(), y[valid].max(), x[valid].max(), densify_pts=21
        )
    except ProjError:
        return True
    if not all(np.isfinite([west, south, east, north])):
        return True
    w, s, e, n = SWEDEN_BBOX_WGS84
    return not (east < w or west > e or north < s or south > n)
