"""Source files for import: find the format, list the layers, read vector data.

The format of a file follows from two tables, never from a chain of ``if``:
:data:`EXTENSION_FORMATS` (the name's extension) and :data:`MAGIC_BYTES`
(the file's first bytes, which win when they disagree with the name). JSON
is looked into: a GeoJSON object is vector data, a list of objects with
``service_request_id`` is Open311 GeoReport v2, and a list of Polisen API
events or a GeoJSON with Polisen's fields (:data:`POLISEN_FIELDS`) is
police events.

Vector files are read with pyogrio through Arrow (``use_arrow=True``) with
timestamps as text, so that the importer, not GDAL, decides how a naive
local time is read. Zip archives are read in place through GDAL's
``/vsizip/`` after :func:`check_zip` has refused unsafe archives: member
names that climb out of the archive (``../``, absolute paths), declared
sizes over :data:`MAX_ZIP_TOTAL_BYTES`, members whose declared
compression ratio exceeds :data:`MAX_ZIP_RATIO`, overlapping members
(declared compressed sizes larger than the archive) and archives without
a ``.shp`` (or whose ``.shp`` lacks its ``.shx`` and ``.dbf``).

Attributes
----------
MAX_ZIP_TOTAL_BYTES : int
    Largest declared uncompressed size of a zip archive. Default 2 GiB.
MAX_ZIP_RATIO : float
    Largest declared compression ratio of one member larger than
    :data:`ZIP_RATIO_MIN_BYTES`. Default 1 000 (deflate cannot do better
    than about 1 032:1, so only bombs and degenerate files reach it).
ZIP_RATIO_MIN_BYTES : int
    Members smaller than this are not ratio-checked. Default 10 MiB.
MAX_ZIP_MEMBERS : int
    Largest number of members in an archive. Default 10 000.
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from geo.errors import LayerChoiceError, SourceError
from geo.io.wkb_points import point_coordinates

MAX_ZIP_TOTAL_BYTES: int = 2 * 1024**3
MAX_ZIP_RATIO: float = 1000.0
ZIP_RATIO_MIN_BYTES: int = 10 * 1024**2
MAX_ZIP_MEMBERS: int = 10_000
SNIFF_BYTES: int = 64 * 1024
"""How much of a file's start is looked at to tell its format."""


@dataclass(frozen=True)
class SourceFormat:
    """One importable format.

    Attributes
    ----------
    code : str
        The value of ``format=`` (``"gpkg"``, ``"csv"``, ``"open311"`` ...).
    name : str
        The name shown to users.
    kind : {"vector", "csv", "open311", "polisen"}
        Which reader handles it.
    sv : str
        The name in Swedish.
    """

    code: str
    name: str
    kind: str
    sv: str


#: Every importable format by code.
SOURCE_FORMATS: dict[str, SourceFormat] = {
    f.code: f
    for f in (
        SourceFormat("gpkg", "GeoPackage", "vector", "GeoPackage"),
        SourceFormat("geojson", "GeoJSON", "vector", "GeoJSON"),
        SourceFormat("shapefile", "Shapefile", "vector", "Shapefile"),
        SourceFormat("zip", "zipped Shapefile", "vector", "zippad Shapefile"),
        SourceFormat("csv", "CSV with coordinates", "csv", "CSV med koordinater"),
        SourceFormat("open311", "Open311 GeoReport v2 (JSON)", "open311", "Open311 GeoReport v2 (JSON)"),
        SourceFormat("polisen", "Polisen events (GeoJSON or API JSON)", "polisen",
                     "Polisens händelser (GeoJSON eller API-JSON)"),
    )
}

#: File extension → format code (``"json"`` is looked into, see :func:`detect_format`).
EXTENSION_FORMATS: dict[str, str] = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "json",
    ".shp": "shapefile",
    ".zip": "zip",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}

#: A file's first bytes → format code; they win over the extension.
MAGIC_BYTES: tuple[tuple[bytes, str], ...] = (
    (b"SQLite format 3\x00", "gpkg"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
)

#: Fields that mark a GeoJSON as Polisen events (as in shared/data/real/polisen_handelser).
POLISEN_FIELDS: frozenset[str] = frozenset({"event_type", "datetime", "location_name"})
#: Keys that mark a JSON list as raw Polisen API events.
POLISEN_API_KEYS: frozenset[str] = frozenset({"datetime", "type", "location"})
#: The key that marks a JSON list as Open311 service requests.
OPEN311_KEY: str = "service_request_id"

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<script)", re.IGNORECASE)
_BOMS: tuple[bytes, ...] = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(path: str | Path, *, fmt: str = "auto") -> str:
    r"""Return the format code of a source file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : str, default "auto"
        ``"auto"`` to detect, or a code of :data:`SOURCE_FORMATS` to take as
        given (the file must still exist and not be empty).

    Returns
    -------
    str
        A key of :data:`SOURCE_FORMATS`.

    Raises
    ------
    SourceError
        If the file is missing or empty, looks like an HTML page, has an
        extension that is not supported, contradicts its extension, or is a
        JSON document of an unknown kind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "punkter.csv"
    >>> _ = p.write_text("lat;lon\n59,41;17,84\n")
    >>> detect_format(p)
    'csv'
    """
    path = Path(path)
    if fmt != "auto" and fmt not in SOURCE_FORMATS:
        msg = f"format={fmt!r} is not supported; allowed: auto, {', '.join(SOURCE_FORMATS)}"
        raise SourceError(msg)
    head = _head(path)
    if fmt != "auto":
        return fmt
    if _HTML_START.match(head):
        msg = (
            f"{path.name} looks like an HTML page, not a data file "
            "(a login or error page saved instead of the download?)"
        )
        raise SourceError(msg)
    suffix = path.suffix.lower()
    by_name = EXTENSION_FORMATS.get(suffix)
    by_content = next((code for magic, code in MAGIC_BYTES if head.startswith(magic)), None)
    if by_content is not None:
        return by_content
    if by_name is None:
        allowed = ", ".join(EXTENSION_FORMATS)
        msg = f"{path.name}: the extension {suffix or '(none)'!r} is not supported; allowed: {allowed}"
        raise SourceError(msg)
    if by_name in ("gpkg", "zip"):
        expected = "a SQLite header" if by_name == "gpkg" else "a zip header"
        msg = f"{path.name} is not a {SOURCE_FORMATS[by_name].name}: it does not start with {expected}"
        raise SourceError(msg)
    if by_name in ("json", "geojson"):
        return _json_kind(path, head)
    return by_name


def _head(path: Path) -> bytes:
    if not path.is_file():
        msg = f"{path.name}: no such file ({path})"
        raise SourceError(msg)
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        msg = f"{path.name} is empty (0 bytes); there is nothing to import"
        raise SourceError(msg)
    return head


def _json_kind(path: Path, head: bytes) -> str:
    """Tell GeoJSON, Open311 and Polisen apart by the first object of a JSON file."""
    text = head
    for bom in _BOMS[:1]:
        text = text.removeprefix(bom)
    text = text.lstrip()
    if not text:
        msg = f"{path.name} holds only white space; there is nothing to import"
        raise SourceError(msg)
    if text[:1] == b"{":
        if not _GEOJSON_TYPE.search(head) and "service_requests" in _first_keys(path, in_list=False):
            return "open311"
        if _vector_is_polisen(path):
            return "polisen"
        return "geojson"
    if text[:1] == b"[":
        keys = _first_element_keys(text)
        if keys is _UNKNOWN:
            keys = _first_keys(path, in_list=True)
        if keys is None or OPEN311_KEY in keys:
            return "open311"
        if keys >= POLISEN_API_KEYS:
            return "polisen"
        shown = ", ".join(sorted(keys)[:10]) or "(none)"
        msg = (
            f"{path.name} is a JSON list of unknown records (keys: {shown}); expected Open311 "
            "service requests (service_request_id, lat, long, ...) or Polisen events "
            "(datetime, type, location)"
        )
        raise SourceError(msg)
    msg = f"{path.name} is not JSON: it starts with {text[:20]!r}"
    raise SourceError(msg)


_UNKNOWN: set[str] = {"\0unknown"}
_GEOJSON_TYPE = re.compile(rb'"type"\s*:\s*"(FeatureCollection|Feature)"')


def _first_element_keys(text: bytes) -> set[str] | None:
    """Keys of a JSON list's first object, read from the file's start (``_UNKNOWN`` if cut off)."""
    decoded = text.decode("utf-8", errors="ignore")
    start = decoded.index("[") + 1
    body = decoded[start:].lstrip()
    if body.startswith("]"):
        return None
    try:
        first, _ = json.JSONDecoder().raw_decode(body)
    except json.JSONDecodeError:
        return _UNKNOWN
    return set(first) if isinstance(first, dict) else set()


def _first_keys(path: Path, *, in_list: bool) -> set[str] | None:
    """Keys of the top object, or of a list's first object (None for an empty list)."""
    try:
        with path.open(encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path.name} is not valid JSON: {exc}"
        raise SourceError(msg) from exc
    if in_list:
        if not isinstance(data, list):
            return set()
        if not data:
            return None
        return set(data[0]) if isinstance(data[0], dict) else set()
    return set(data) if isinstance(data, dict) else set()


@contextlib.contextmanager
def _gdal_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Collect what GDAL warns about (through pyogrio) instead of letting it escape."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def _vector_is_polisen(path: Path) -> bool:
    try:
        with _gdal_warnings():
            fields = set(map(str, pyogrio.read_info(path)["fields"]))
    except (DataSourceError, DataLayerError):
        return False
    return fields >= POLISEN_FIELDS


def list_source_layers(path: str | Path, fmt: str | None = None) -> list[str]:
    """Return the layers a source holds, in file order.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : str, optional
        Its format code; detected when not given.

    Returns
    -------
    list of str
        GeoPackage: its feature tables (attribute-only tables left out).
        Zip: each ``.shp`` inside, by its path without the extension. Other
        formats: one layer, the file name without its extension.

    Raises
    ------
    SourceError
        If the file cannot be read, or is an unsafe or shapeless zip.
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt == "zip":
        return [member[: -len(".shp")] for member in check_zip(path)]
    if fmt == "gpkg":
        try:
            with _gdal_warnings():
                listed = pyogrio.list_layers(path)
        except DataSourceError as exc:
            msg = f"cannot read {path.name} as a GeoPackage: {exc}"
            raise SourceError(msg) from exc
        return [str(name) for name, geometry_type in listed if geometry_type is not None]
    return [path.stem]


def check_zip(path: str | Path) -> list[str]:
    """Check a zip archive is safe to read and return the ``.shp`` members.

    Parameters
    ----------
    path : str or pathlib.Path
        The archive.

    Returns
    -------
    list of str
        Paths of the ``.shp`` files inside (``__MACOSX`` copies left out).

    Raises
    ------
    SourceError
        If the archive is broken; has a member name that climbs out of it
        or is absolute; declares more than :data:`MAX_ZIP_TOTAL_BYTES` or
        :data:`MAX_ZIP_MEMBERS`; has a member compressed more than
        :data:`MAX_ZIP_RATIO` to one; declares more compressed bytes than
        the archive holds (overlapping members); or holds no ``.shp``, or a
        ``.shp`` without its ``.shx`` and ``.dbf``.
    """
    path = Path(path)
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        msg = f"{name} is not a readable zip archive: {exc}"
        raise SourceError(msg) from exc
    unsafe = [i.filename for i in infos if _unsafe_member(i.filename)]
    if unsafe:
        msg = (
            f"{name} is refused: member names leave the archive (path traversal): "
            f"{', '.join(map(repr, unsafe[:5]))}"
        )
        raise SourceError(msg)
    if len(infos) > MAX_ZIP_MEMBERS:
        msg = f"{name} is refused: {len(infos)} members; allowed: at most {MAX_ZIP_MEMBERS}"
        raise SourceError(msg)
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_TOTAL_BYTES:
        msg = (
            f"{name} is refused: it declares {total:,} bytes uncompressed; "
            f"allowed: at most {MAX_ZIP_TOTAL_BYTES:,} (a zip bomb?)"
        )
        raise SourceError(msg)
    for info in infos:
        if info.file_size < ZIP_RATIO_MIN_BYTES:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_ZIP_RATIO:
            msg = (
                f"{name} is refused: {info.filename!r} is compressed {ratio:,.0f} to 1; "
                f"allowed: at most {MAX_ZIP_RATIO:,.0f} to 1 (a zip bomb?)"
            )
            raise SourceError(msg)
    if sum(i.compress_size for i in infos) > path.stat().st_size:
        msg = f"{name} is refused: its members declare more data than the archive holds (overlapping members)"
        raise SourceError(msg)
    files = [i.filename for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    shapes = [f for f in files if f.lower().endswith(".shp")]
    if not shapes:
        found = ", ".join(files[:8]) or "nothing"
        msg = (
            f"{name} holds no .shp file (found: {found}); a zipped Shapefile needs "
            ".shp, .shx and .dbf, and .prj for its CRS"
        )
        raise SourceError(msg)
    lowered = {f.lower() for f in files}
    for shp in shapes:
        stem = shp[: -len(".shp")].lower()
        missing = [ext for ext in (".shx", ".dbf") if stem + ext not in lowered]
        if missing:
            msg = f"{name}: {shp} has no {' or '.join(missing)} beside it; zip the Shapefile's files together"
            raise SourceError(msg)
    return shapes


def _unsafe_member(member: str) -> bool:
    text = member.replace("\\", "/")
    return text.startswith("/") or bool(re.match(r"^[A-Za-z]:", text)) or ".." in PurePosixPath(text).parts


@dataclass
class VectorLayer:
    """One layer of a vector source as read.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Every feature in file order, timestamps as text, with the CRS the
        file declares (``None`` when it declares none). Its geometries are
        2D; they are all missing when ``xy`` holds the points instead.
    warnings : list of str
        What GDAL warned about while reading.
    xy : tuple of numpy.ndarray, optional
        The coordinates of plain 2D points, when they were asked for
        (``points_as_xy``) and every row is one (see
        :func:`geo.io.wkb_points.point_coordinates`).
    """

    frame: gpd.GeoDataFrame
    warnings: list[str]
    xy: tuple[np.ndarray, np.ndarray] | None = None


def read_vector(
    path: str | Path,
    fmt: str,
    *,
    layer: str | None = None,
    columns: list[str] | None = None,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read one layer of a vector source with pyogrio and Arrow.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    fmt : {"gpkg", "geojson", "shapefile", "zip", "polisen"}
        Its format code.
    layer : str, optional
        The layer to read; needed when the source holds several.
    columns : list of str, optional
        Read only these attribute columns.

    Returns
    -------
    frame : geopandas.GeoDataFrame
        Every feature in file order, 2D, timestamps as text, with the CRS
        the file declares (``None`` when it declares none).
    warnings : list of str
        What GDAL warned about while reading (e.g. a coordinate it could
        not read), for the import notes.

    Raises
    ------
    SourceError
        If the file cannot be read, the layer does not exist, or the
        source holds several layers and ``layer`` is not given
        (:class:`LayerChoiceError`).
    """
    read = read_vector_layer(path, fmt, layer=layer, columns=columns)
    return read.frame, read.warnings


def read_vector_layer(
    path: str | Path,
    fmt: str,
    *,
    layer: str | None = None,
    columns: list[str] | None = None,
    points_as_xy: bool = False,
) -> VectorLayer:
    """Read one layer of a vector source; plain points optionally as coordinates only.

    Parameters
    ----------
    path, fmt, layer, columns
        As for :func:`read_vector`.
    points_as_xy : bool, default False
        When every feature is a plain 2D point, return its coordinates in
        ``xy`` and make no geometries (the frame's geometries are then all
        missing). Otherwise, or when some feature is anything else, the
        geometries are made as usual and ``xy`` is ``None``.

    Returns
    -------
    VectorLayer
        The frame, GDAL's warnings and, for plain points, their coordinates.

    Raises
    ------
    SourceError
        As :func:`read_vector`.
    """
    path = Path(path)
    layers = list_source_layers(path, fmt)
    if layer is None:
        if len(layers) != 1:
            if not layers:
                msg = f"{path.name} holds no layer with geometry"
                raise SourceError(msg)
            raise LayerChoiceError(path.name, layers)
        layer = layers[0]
    elif layer not in layers:
        msg = f"{path.name} has no layer {layer!r}; layers: {', '.join(layers)}"
        raise SourceError(msg)
    if fmt == "zip":
        target: str | Path = f"/vsizip/{path.resolve()}/{layer}.shp"
        gdal_layer = None
    else:
        target, gdal_layer = path, (layer if fmt == "gpkg" else None)
    try:
        with _gdal_warnings() as caught:
            meta, table = pyogrio.read_arrow(target, layer=gdal_layer, columns=columns,
                                             datetime_as_string=True)
    except (DataSourceError, DataLayerError) as exc:
        msg = f"cannot read {path.name}: {exc}"
        raise SourceError(msg) from exc
    geometry_name = meta["geometry_name"] or "wkb_geometry"
    wkb = table.column(geometry_name) if geometry_name in table.column_names else None
    if wkb is not None:
        table = table.drop_columns([geometry_name])
    try:
        attributes = table.to_pandas(self_destruct=True)
    except UnicodeDecodeError as exc:
        msg = f"cannot read {path.name}: its text is not UTF-8 ({exc})"
        raise SourceError(msg) from exc
    del table
    _datetimes_as_text(attributes, meta)
    xy = point_coordinates(wkb) if points_as_xy and wkb is not None else None
    if xy is not None or wkb is None:
        geoms = np.full(len(attributes), None, dtype=object)
    else:
        geoms = shapely.from_wkb(wkb.to_numpy(zero_copy_only=False))
        if shapely.has_z(geoms).any():  # cheaper than pyogrio's force_2d when there is no Z
            geoms = shapely.force_2d(geoms)
    frame = gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geoms, index=attributes.index),
                             crs=meta["crs"])
    return VectorLayer(frame, list(dict.fromkeys(str(w.message) for w in caught)), xy)


def _datetimes_as_text(frame: pd.DataFrame, meta: dict) -> None:
    """Timestamps as ISO text, as GDAL older than 3.11 does not give them as text itself."""
    for dtype, column in zip(meta["dtypes"], meta["fields"], strict=True):
        if dtype is None or not str(dtype).startswith("datetime") or column not in frame.columns:
            continue
        values = frame[column]
        if not pd.api.types.is_string_dtype(values.dtype):
            text = values.astype("str").str.replace(" ", "T")
            frame[column] = text.where(values.notna(), None)
