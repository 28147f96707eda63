"""How a CSV file is written: encoding, delimiter, decimal mark, and its layout.

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
    Spaces inside numbers (``6 590 630``) are dropped (:func:`to_numbers`).

:func:`sniff_csv` puts these together with the coordinate columns
(:mod:`geo.io.csv.columns`) into a :class:`CsvLayout`.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import SourceError
from geo.io.csv.columns import find_coordinate_columns

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
SAMPLE_BYTES: int = 256 * 1024
SAMPLE_ROWS: int = 500
_SCAN_BLOCK: int = 1024 * 1024

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
        Column → role (a key of :data:`~geo.io.csv.columns.COORDINATE_ROLES`) given by the user;
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
        sample = pd.read_csv(io.StringIO(text), **read_options(delimiter), nrows=SAMPLE_ROWS)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        sample = pd.read_csv(io.StringIO(text.splitlines()[0]), **read_options(delimiter))
    columns = tuple(map(str, sample.columns))
    x, y, wkt, axes = find_coordinate_columns(path.name, columns, roles or {}, prefer_projected)
    decimal_comma = any(_has_decimal_comma(sample[c]) for c in (x, y) if c is not None)
    return CsvLayout(encoding, delimiter, columns, x, y, wkt, axes, decimal_comma)


def read_options(delimiter: str) -> dict:
    """Return the :func:`pandas.read_csv` options for a file with this delimiter.

    Every value is read as text, an empty field as missing, blank lines kept
    (so that row numbers stay the user's).

    Parameters
    ----------
    delimiter : str
        The field delimiter.

    Returns
    -------
    dict
        Keyword arguments for :func:`pandas.read_csv`.
    """
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
