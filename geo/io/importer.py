"""Import a file into a layer: read, map, parse, reproject, check, validate, write.

:func:`import_file` runs one pipeline for every format:

1. **Read** with the reader of the file's format (:mod:`geo.io.readers`,
   :mod:`geo.io.csv.points`, :mod:`geo.io.open311`, :mod:`geo.io.polisen`;
   chosen from the table :data:`SOURCE_READERS`).
2. **Map columns** to the layer's spec: the user's mapping first
   (``{"Kommunnamn": "name"}``; for CSV also the coordinate roles ``lat``,
   ``lon``, ``e``, ``n``, ``x``, ``y``, ``wkt``), then the spec's own names
   case-insensitively (also cut to the 10 characters a Shapefile keeps), then
   :data:`COLUMN_SYNONYMS`. ``fill`` sets a column
   where the file leaves it empty (``{"kind": "kommun"}``).
3. **Ids**: the file's ``id`` column when there is one, else
   ``<hash of the file name>-<row>``, stable for the same file name.
4. **Values**: timestamps by :func:`parse_times` (ISO 8601 with an offset,
   or naive local time in Europe/Stockholm; the spring DST gap and the
   repeated autumn hour are reported, never guessed); numbers with a
   decimal comma; ``ja``/``nej``/``true``/``false``; category labels
   (``Stöld``) read as their codes (``stold``).
5. **Place** with :func:`geo.io.placing.place`: the CRS is the file's own,
   or ``crs`` for a file without one (a file *with* a CRS and a different
   ``crs`` is refused); swapped axes are fixed by
   :func:`geo.io.csv.axes.decide_axis_order`; geometries go to EPSG:3006;
   rows outside Sweden or outside the kommun (the ``areas`` with kind
   ``kommun`` in the store) are problems unless ``allow_outside``.
   Incidents placed only on a county centroid are not held against the
   kommun outline. Points stay coordinates
   (:class:`geo.io.placing.PendingPoints`) until the preview and the write
   need them. ``make_valid`` repairs invalid geometries.
6. **Validate** every row with :func:`layers.validate.validate_frame`
   (ids already in the store count when appending), report every problem
   at once with its file, row and field, and either return an
   :class:`ImportReport` (``dry_run``) or write all rows in one
   transaction. A refused import writes nothing: the store stays
   byte-identical. The frame just validated is written with
   :meth:`geo.store.Store._write_validated`, the second half of
   :meth:`geo.store.Store.write`, so it is not validated twice; ids
   stored meanwhile are still refused by the backend in the transaction.

Row numbers are the ones the user sees in the file: for CSV the line
number with the header as row 1 (the first data row is row 2); for other
formats the feature's, request's or event's position, counting from 1.

Memory: a CSV is read in chunks (:data:`geo.io.csv.points.CSV_CHUNK_ROWS`),
so its text is never held whole; what is held is the resulting frame,
which the GeoPackage write needs in one piece. The bound is the size of
that frame, not of the file.

Attributes
----------
PREVIEW_ROWS : int
    Rows kept in :attr:`ImportReport.preview`. Default 200.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import CRS

from geo.crs import parse_crs
from geo.io.csv import points as csv_points
from geo.io.csv.columns import COORDINATE_ROLES, normalise_name
from geo.io.csv.dialect import to_numbers
from geo.io.csv.points import read_csv_points
from geo.io.import_report import (
    NOTE_TEXTS,
    ROW_CONVENTIONS,
    ImportArgumentError,
    ImportReport,
    ImportValidationError,
    Note,
)
from geo.io.import_source import Source
from geo.io.open311 import read_open311
from geo.io.placing import PendingPoints, kommun_outline, place
from geo.io.polisen import read_polisen
from geo.io.readers import SOURCE_FORMATS, SourceError, detect_format, read_vector_layer
from geo.io.times import parse_times
from geo.store.base import WRITE_MODES, Store
from layers import get_spec, validate_frame
from layers.arrow_text import positions_holding
from layers.spec import POLYGONS, Column, LayerSpec
from layers.validate import Problem

PREVIEW_ROWS: int = 200
DBF_NAME_LENGTH: int = 10
"""Longest field name in a Shapefile's .dbf; longer spec names are also looked for cut short."""
Progress = Callable[[float, str], None]

#: Spec column → other names it is found under (compared normalised, see
#: :func:`geo.io.csv.columns.normalise_name`).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("objektid", "objekt_id", "fid_text"),
    "code": ("kod", "kommunkod", "deso", "regso", "deso_kod", "regso_kod", "kommun_kod", "omradeskod"),
    "name": ("namn", "kommunnamn", "kommun", "omrade", "omradesnamn"),
    "kind": ("typ", "omradestyp", "objekttyp"),
    "population": ("folkmangd", "befolkning", "invanare", "antal_invanare"),
    "category": ("kategori", "brottstyp", "brottskategori"),
    "occurred_at": ("tidpunkt", "datum_tid", "datetime", "handelsetid", "brottstid"),
    "reported_at": ("anmald", "anmalt", "anmald_tid", "anmalningstid", "requested_datetime"),
    "removed_at": ("sanerad", "sanerat", "sanerad_tid", "saneringstid"),
    "description": ("beskrivning", "text", "kommentar"),
    "source": ("kalla", "datakalla", "ursprung"),
    "status": ("tillstand",),
    "lamp_id": ("stolpnummer", "stolpnr", "ref", "armaturnummer"),
    "object_kind": ("objekt", "objektstyp"),
    "property": ("fastighet", "fastighetsbeteckning"),
    "direction_deg": ("riktning", "camera_direction", "direction"),
    "angle_deg": ("oppningsvinkel", "vinkel", "angle"),
    "range_m": ("rackvidd", "range"),
    "location_precision": ("lagesnoggrannhet", "precision"),
}

# -- the pipeline --------------------------------------------------------------------


@dataclass
class _Request:
    path: Path
    fmt: str
    spec: LayerSpec
    layer_name: str | None
    roles: dict[str, str]
    prefer_projected: bool
    service_codes: Mapping[str, str] | None
    progress: Progress


def import_file(
    store: Store,
    layer: str,
    path: str | Path,
    *,
    format: str = "auto",
    crs: str | None = None,
    mode: str = "append",
    make_valid: bool = False,
    allow_outside: bool = False,
    mapping: Mapping[str, str] | None = None,
    service_codes: Mapping[str, str] | None = None,
    layer_name: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    fill: Mapping[str, object] | None = None,
) -> ImportReport:
    r"""Import a file into a layer of the store, all or nothing.

    Parameters
    ----------
    store : Store
        Where the layer is kept. Its ``areas`` of kind ``kommun`` are the
        kommun outline that locations are checked against.
    layer : str
        The target layer, e.g. ``"incidents"``.
    path : str or pathlib.Path
        The file: GeoPackage, GeoJSON, Shapefile (``.shp`` or zipped), CSV
        with coordinates, Open311 JSON or Polisen events.
    format : {"auto", "open311", "polisen", "gpkg", "geojson", "shapefile", "zip", "csv"}
        ``"auto"`` detects it from the name and content.
    crs : str, optional
        The CRS of a file that declares none (``"EPSG:3006"``); for CSV with
        x/y or E/N columns it is required. Refused when the file declares
        a different CRS.
    mode : {"append", "replace"}, default "append"
        Add to the layer (ids must be new), or replace its content.
    make_valid : bool, default False
        Repair invalid geometries with ``shapely.make_valid`` instead of
        refusing them.
    allow_outside : bool, default False
        Import rows that lie outside the kommun or Sweden.
    mapping : mapping of str to str, optional
        File column → layer column (or, for CSV, a coordinate role of
        :data:`geo.io.csv.columns.COORDINATE_ROLES`).
    service_codes : mapping of str to str, optional
        Open311 service code or name → ``graffiti``, ``lighting`` or ``skip``.
    layer_name : str, optional
        The layer inside a GeoPackage or zip that holds several.
    dry_run : bool, default False
        Check everything and return the report, writing nothing; the report
        then also carries the problems instead of raising them.
    progress : callable, optional
        Called with the share done (0-1) and a short text.
    fill : mapping of str to object, optional
        Layer column → value for rows where the file leaves it empty
        (``{"kind": "kommun"}``).

    Returns
    -------
    ImportReport
        Rows read and accepted, notes and a preview; ``written`` rows.

    Raises
    ------
    ImportValidationError
        (a :class:`geo.errors.ValidationError`) listing every problem with
        its row and field, unless ``dry_run``. Nothing is written.
    SourceError
        If the file cannot be read, is unsafe, or a layer must be chosen
        (:class:`geo.io.readers.LayerChoiceError`).
    CRSError
        If ``crs`` contradicts the file's own CRS or is not a CRS.
    ImportArgumentError
        If the mapping, fill, mode or format does not fit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = "id;lat;lon;status\nL1;59,43;17,83;Trasig\nL2;59,43;17,83;lyser\n"
    >>> _ = (folder / "lampor.csv").write_text(text)
    >>> store = open_store(folder / "s.gpkg")
    >>> report = import_file(store, "lighting", folder / "lampor.csv", dry_run=True)
    >>> report.rows_read, report.preview["status"].tolist()
    (2, ['broken', 'lyser'])
    >>> [str(p) for p in report.problems]
    ["row 3, status: 'lyser' is not allowed; allowed: working, broken, planned"]
    """
    spec = get_spec(layer)
    path = Path(path)
    report_progress = progress or _silent
    if mode not in WRITE_MODES:
        msg = f"mode={mode!r} is not allowed; allowed: {', '.join(WRITE_MODES)}"
        raise ImportArgumentError(msg)
    user_crs = parse_crs(crs, argument="crs") if crs else None
    roles, renames = _split_mapping(mapping or {}, spec)
    fmt = detect_format(path, fmt=format)
    report_progress(0.0, f"{path.name}: {SOURCE_FORMATS[fmt].name}")
    request = _Request(path, fmt, spec, layer_name, roles,
                       bool(user_crs is not None and user_crs.is_projected), service_codes,
                       _scaled(report_progress, 0.0, 0.6))
    source = SOURCE_READERS[SOURCE_FORMATS[fmt].kind](request)
    if roles and SOURCE_FORMATS[fmt].kind != "csv":
        msg = f"coordinate roles ({', '.join(roles.values())}) in the mapping apply only to CSV files"
        raise ImportArgumentError(msg)
    source.notes.insert(0, Note("format", {"format": SOURCE_FORMATS[fmt].name,
                                           "format_sv": SOURCE_FORMATS[fmt].sv}))
    report_progress(0.6, f"{path.name}: {len(source.frame):,} rows read; checking")
    frame, labels = _map_columns(source, renames, spec)
    _fill(frame, source, fill or {}, spec)
    _ids(frame, source, path.name)
    problems = list(source.problems)
    problems.extend(_convert_values(frame, source, spec))
    if len(frame) == 0:
        problems.append(Problem(None, "rows", _no_rows_message(source)))
    stored = store.list_layers()
    kommun, kommun_name = kommun_outline(store, stored)
    report_progress(0.7, f"{path.name}: placing")
    frame, pending, found = place(frame, source, spec, user_crs=user_crs, kommun=kommun,
                                   kommun_name=kommun_name, allow_outside=allow_outside, name=path.name)
    problems.extend(found)
    if make_valid:
        frame, pending = _made(frame, pending), None
        _repair(frame, source, spec)
    report_progress(0.8, f"{path.name}: validating")
    existing = store._ids(layer) if mode == "append" and layer in stored else None
    checked = validate_frame(frame, spec, row_numbers=source.rows, existing_ids=existing,
                             points=None if pending is None else pending.rows)
    problems = _merge(problems, checked, labels, {"geometry", *source.coordinate_columns, *source.axis_names})
    rows_ok = len(frame) - len({p.row for p in problems if p.row is not None})
    columns = [c for c in spec.column_names if c in frame.columns] + [frame.geometry.name]
    preview = _made(frame.head(PREVIEW_ROWS), pending)[columns].copy()
    report = ImportReport(path.name, layer, fmt, len(frame), rows_ok, problems, source.notes, preview,
                          dry_run=dry_run, mode=mode, row_convention=source.convention)
    if dry_run:
        report_progress(1.0, f"{path.name}: checked")
        return report
    if problems:
        raise ImportValidationError(problems, source=path.name, row_convention=source.convention)
    report_progress(0.9, f"{path.name}: writing {len(frame):,} rows")
    # validated above, with the store's ids: written without validating a second time
    note = _log_note(source.notes)
    if pending is not None and pending.rows.all():  # points only, none made: written from their coordinates
        report.written = store._write_validated(layer, frame[columns], mode=mode, source=path.name, note=note,
                                                points=(pending.x, pending.y))
    else:
        report.written = store._write_validated(layer, _made(frame[columns], pending), mode=mode,
                                                source=path.name, note=note)
    report_progress(1.0, f"{path.name}: {report.written:,} rows imported")
    return report


def _made(frame: gpd.GeoDataFrame, pending: PendingPoints | None) -> gpd.GeoDataFrame:
    return frame if pending is None else pending.made(frame)


def _silent(_fraction: float, _text: str) -> None:
    return None


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    def report(fraction: float, text: str) -> None:
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), text)

    return report


def _no_rows_message(source: Source) -> str:
    if source.convention == "csv":
        return "the file has a header but no data rows; there is nothing to import"
    if source.convention == "open311" and source.total:
        return (f"none of the {source.total} requests is for this layer; map their services with "
                "--service-code CODE=layer (service_codes=...)")
    return "the file has no rows (features); there is nothing to import"


def _log_note(notes: list[Note]) -> str:
    text = "; ".join(n.text("en") for n in notes)
    return text if len(text) <= 500 else text[:499] + "…"


# -- readers: one per kind of format --------------------------------------------------


def _read_vector_source(request: _Request) -> Source:
    read = read_vector_layer(request.path, request.fmt, layer=request.layer_name,
                             points_as_xy=request.spec.is_point_layer)
    notes = [Note("gdal", {"message": w}) for w in read.warnings]
    hint = " (no .prj file beside the .shp)" if request.fmt in ("shapefile", "zip") else ""
    return Source(read.frame, np.arange(1, len(read.frame) + 1), "vector", notes=notes,
                   declared_crs=read.frame.crs, crs_hint=hint, xy=read.xy)


def _read_csv_source(request: _Request) -> Source:
    read = read_csv_points(request.path, roles=request.roles, prefer_projected=request.prefer_projected,
                           chunk_rows=csv_points.CSV_CHUNK_ROWS, progress=request.progress)
    layout = read.layout
    notes = []
    if layout.encoding not in ("utf-8", "utf-8-sig"):
        notes.append(Note("encoding", {"encoding": layout.encoding}))
    notes.append(Note("delimiter", {"delimiter": {"\t": "tab"}.get(layout.delimiter, layout.delimiter)}))
    if layout.decimal_comma:
        notes.append(Note("decimal_comma", {"columns": ", ".join(layout.coordinate_columns)}))
    if read.blank_lines:
        notes.append(Note("blank_lines", {"n": read.blank_lines}))
    if read.chunks > 1:
        notes.append(Note("chunks", {"n": read.chunks, "size": csv_points.CSV_CHUNK_ROWS}))
    implied = CRS.from_epsg(4326) if layout.axes == "geographic" else None
    hint = (f" (the columns {layout.x_column}/{layout.y_column} are metres in a CRS the file does not name)"
            if layout.x_column else " (WKT carries no CRS)")
    if read.wkt is not None:
        frame, xy = read.to_geodataframe(), None
    else:  # points are made once, after reprojection (see _place)
        empty = gpd.GeoSeries(np.full(len(read.frame), None, dtype=object), index=read.frame.index)
        frame, xy = gpd.GeoDataFrame(read.frame, geometry=empty), (read.x, read.y)
    return Source(
        frame, read.rows, "csv", problems=read.problems, notes=notes, implied_crs=implied,
        crs_hint=hint, explicit_axes=layout.explicit_axes,
        axis_names=(layout.x_column or "x", layout.y_column or "y"), decimal_comma=layout.decimal_comma,
        coordinate_columns=layout.coordinate_columns, xy=xy, file_columns=layout.columns,
    )


def _read_open311_source(request: _Request) -> Source:
    read = read_open311(request.path, request.spec.name, service_codes=request.service_codes)
    notes = []
    if read.skipped:
        services = ", ".join(f"{name} {n}" for name, n in read.skipped.most_common(8))
        notes.append(Note("open311_skipped", {"n": sum(read.skipped.values()), "total": read.total,
                                              "services": services}))
    return Source(read.frame, read.rows, "open311", problems=read.problems, notes=notes,
                   implied_crs=CRS.from_user_input(read.frame.crs), axis_names=("long", "lat"),
                   defaults=read.defaults, total=read.total)


def _read_polisen_source(request: _Request) -> Source:
    if request.spec.name != "incidents":
        msg = f"police events go to the incidents layer; got layer={request.spec.name!r}"
        raise ImportArgumentError(msg)
    read = read_polisen(request.path)
    notes = [Note("gdal", {"message": w}) for w in read.warnings]
    precision = read.frame["location_precision"]
    kommun, county = int((precision == "kommun").sum()), int((precision == "county").sum())
    if kommun or county:
        notes.append(Note("centroid_precision", {"kommun": kommun, "county": county}))
    if read.time_from_title:
        notes.append(Note("police_time", {"n": read.time_from_title}))
    if read.title_time_dst:
        listed = ", ".join(str(r) for r, _ in read.title_time_dst[:10])
        more = " …" if len(read.title_time_dst) > 10 else ""
        notes.append(Note("police_time_dst", {"n": len(read.title_time_dst), "rows": listed + more}))
    if read.unknown_types:
        types = ", ".join(f"{t} ({n})" for t, n in read.unknown_types.most_common(10))
        notes.append(Note("police_unknown_types", {"types": types}))
    return Source(read.frame, read.rows, "polisen", problems=read.problems, notes=notes,
                   implied_crs=CRS.from_user_input(read.frame.crs), axis_names=("lon", "lat"))


#: Format kind (:attr:`geo.io.readers.SourceFormat.kind`) → reader.
SOURCE_READERS: dict[str, Callable[[_Request], Source]] = {
    "vector": _read_vector_source,
    "csv": _read_csv_source,
    "open311": _read_open311_source,
    "polisen": _read_polisen_source,
}


# -- columns ----------------------------------------------------------------------------


def _split_mapping(mapping: Mapping[str, str], spec: LayerSpec) -> tuple[dict[str, str], dict[str, str]]:
    """Split the user's mapping into coordinate roles and column renames; refuse unknown targets."""
    roles, renames, bad = {}, {}, []
    for source, target in mapping.items():
        if target in COORDINATE_ROLES:
            roles[str(source)] = target
        elif target in spec.column_names:
            renames[str(source)] = target
        else:
            bad.append(f"{source}={target}")
    targets = list(renames.values())
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if bad or twice:
        allowed = ", ".join([*spec.column_names, *COORDINATE_ROLES])
        parts = []
        if bad:
            parts.append(f"mapping {', '.join(bad)} names no column of {spec.name!r}")
        if twice:
            parts.append(f"mapping gives {', '.join(twice)} more than one source")
        msg = f"{'; '.join(parts)}; allowed targets: {allowed}"
        raise ImportArgumentError(msg)
    return roles, renames


def _map_columns(
    source: Source, renames: dict[str, str], spec: LayerSpec
) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """Rename file columns to spec columns; return the frame and spec column → file column."""
    frame = source.frame
    missing = [c for c in renames if c not in frame.columns]
    if missing:
        columns = source.file_columns or tuple(map(str, frame.columns.drop(frame.geometry.name)))
        msg = (f"mapping names {', '.join(map(repr, missing))}, not a column of the file; "
               f"columns: {', '.join(columns)}")
        raise ImportArgumentError(msg)
    plan = dict(renames)
    taken = set(plan.values())
    by_name = {normalise_name(c): c for c in frame.columns if c != frame.geometry.name}
    for column in spec.column_names:
        if column in taken or (column in frame.columns and column not in plan):
            continue
        for candidate in (column, *COLUMN_SYNONYMS.get(column, ()), *_shapefile_cut(column)):
            found = by_name.get(normalise_name(candidate))
            if found is not None and found not in plan and found not in source.coordinate_columns \
                    and found not in spec.column_names:
                plan[found] = column
                break
    for file_column, column in plan.items():
        if file_column != column:
            source.notes.append(Note("column_mapped", {"source": file_column, "column": column}))
    dropped = [c for c in set(plan.values()) if c in frame.columns and c not in plan]
    frame = frame.drop(columns=dropped).rename(columns=plan)
    skip = {*spec.column_names, frame.geometry.name, *source.coordinate_columns}
    extra = [c for c in frame.columns if c not in skip]
    if extra:
        shown = ", ".join(map(str, extra[:12])) + (" …" if len(extra) > 12 else "")
        source.notes.append(Note("extra_columns", {"columns": shown}))
    labels = {column: f"{file_column} ({column})" for file_column, column in plan.items()
              if file_column != column}
    return frame, labels


def _shapefile_cut(column: str) -> tuple[str, ...]:
    """Return the name a Shapefile gives a column (dBASE field names hold 10 characters)."""
    return (column[:DBF_NAME_LENGTH],) if len(column) > DBF_NAME_LENGTH else ()


def _fill(frame: gpd.GeoDataFrame, source: Source, fill: Mapping[str, object], spec: LayerSpec) -> None:
    unknown = [c for c in fill if c not in spec.column_names]
    if unknown:
        msg = (f"fill names {', '.join(map(repr, unknown))}, not a column of {spec.name!r}; "
               f"columns: {', '.join(spec.column_names)}")
        raise ImportArgumentError(msg)
    steps = [(c, v, "filled") for c, v in fill.items()]
    steps += [(c, v, "default_value") for c, v in source.defaults.items() if c not in fill]
    for column, value, code in steps:
        if column not in frame.columns:
            frame[column] = pd.Series(None, index=frame.index, dtype=object)
        current = frame[column]
        empty = current.isna() | (current.astype("str").str.strip() == "")
        if empty.any():
            frame[column] = current.astype(object).where(~empty, value)
            source.notes.append(Note(code, {"column": column, "value": value, "n": int(empty.sum())}))


def _ids(frame: gpd.GeoDataFrame, source: Source, name: str) -> None:
    if "id" in frame.columns:
        frame["id"] = _as_text(frame["id"])
        return
    prefix = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    frame["id"] = f"{prefix}-" + pd.Series(source.rows, index=frame.index).astype("str")
    if len(frame):
        source.notes.append(Note("ids_derived", {"example": str(frame["id"].iloc[0])}))


def _as_text(values: pd.Series) -> pd.Series:
    """Values as text: whole numbers without '.0'; missing stays missing."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values
    return values.map(_plain, na_action="ignore").astype("str")


def _plain(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)


# -- values -----------------------------------------------------------------------------

_MARKUP = "<[ /]*[A-Za-z!][^>]*>|[Jj][Aa][Vv][Aa][Ss][Cc][Rr][Ii][Pp][Tt]:"
_TRUE = frozenset({"true", "sant", "ja", "j", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "falskt", "nej", "n", "no", "0", "f"})


def _convert_values(frame: gpd.GeoDataFrame, source: Source, spec: LayerSpec) -> list[Problem]:
    problems: list[Problem] = []
    for column in spec.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.dtype == "datetime":
            frame[column.name], found = parse_times(values, rows=source.rows, column=column.name)
            problems.extend(found)
        elif column.dtype in ("int", "float"):
            frame[column.name] = _numbers(values, decimal_comma=source.decimal_comma)
        elif column.dtype == "bool":
            frame[column.name] = _booleans(values)
        else:
            frame[column.name] = _as_text(values)
            if column.choices:
                frame[column.name] = _codes(frame[column.name], column, source)
            elif not column.unique:  # free text; ids are not shown as prose
                _count_markup(frame[column.name], source)
    return problems


def _numbers(values: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Numbers where readable; unreadable text kept as written, for validation to report."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values
    numbers, bad = to_numbers(values, decimal_comma=decimal_comma)
    if not bad.any():
        return pd.Series(numbers, index=values.index)
    out = pd.Series(numbers, index=values.index, dtype=object)
    out[bad] = values[bad].to_numpy(dtype=object)
    return out


def _booleans(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values
    text = values.astype("str").str.strip().str.lower()
    out = values.astype(object).copy()
    out[text.isin(_TRUE).to_numpy()] = True
    out[text.isin(_FALSE).to_numpy()] = False
    out[(values.isna() | (text == "")).to_numpy()] = None
    return out


def _codes(values: pd.Series, column: Column, source: Source) -> pd.Series:
    """Read labels (Swedish or English, any case) and codes in another case as codes."""
    if (values.isin(column.allowed) | values.isna()).all():
        return values
    lookup = {}
    for choice in column.choices:
        for label in (choice.code, choice.sv, choice.en):
            lookup.setdefault(label.strip().lower(), choice.code)
    stripped = values.str.strip()
    mapped = stripped.str.lower().map(lookup)
    changed = (mapped.notna() & (mapped != values)).to_numpy(dtype=bool)
    if not changed.any():
        return values
    examples = Counter(f"{a} → {b}" for a, b in zip(values[changed], mapped[changed], strict=True))
    source.notes.append(Note("labels_as_codes", {
        "n": int(changed.sum()), "column": column.name,
        "examples": ", ".join(e for e, _ in examples.most_common(3)),
    }))
    out = values.astype(object).copy()
    out[changed] = mapped[changed].to_numpy(dtype=object)
    return out.astype("str")


def _count_markup(values: pd.Series, source: Source) -> None:
    text = pa.array(values.astype("str"))
    maybe = positions_holding(text, b"<:")  # _MARKUP matches only text holding "<" or ":"
    if maybe is not None and len(maybe) < len(text):
        text = text.take(maybe)
    hits = pc.sum(pc.match_substring_regex(text, _MARKUP)).as_py() or 0
    if hits:
        existing = next((n for n in source.notes if n.code == "markup"), None)
        if existing is not None:
            existing.params["n"] += int(hits)
        else:
            source.notes.append(Note("markup", {"n": int(hits)}))


def _repair(frame: gpd.GeoDataFrame, source: Source, spec: LayerSpec) -> None:
    geoms = frame.geometry.to_numpy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    invalid = present.copy()
    invalid[present] = ~shapely.is_valid(geoms[present])
    if not invalid.any():
        return
    fixed = shapely.make_valid(geoms[invalid])
    if set(spec.geometry_types) <= set(POLYGONS):
        fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
    repaired = geoms.copy()
    repaired[invalid] = fixed
    frame[frame.geometry.name] = gpd.GeoSeries(repaired, index=frame.index, crs=frame.crs)
    rows = ", ".join(map(str, source.rows[invalid][:10])) + (" …" if invalid.sum() > 10 else "")
    source.notes.append(Note("made_valid", {"n": int(invalid.sum()), "rows": rows}))


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygons of a repaired geometry (make_valid may add lines or points)."""
    parts = shapely.get_parts(geom)
    while True:
        nested = np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))
        if not nested.any():
            break
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    polygons = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    if len(polygons) == 0:
        return geom
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(list(polygons))


# -- problems -------------------------------------------------------------------------------

_MAKE_VALID_HINT = re.compile(r"; repair with make_valid$")


def _merge(
    earlier: list[Problem], checked: list[Problem], labels: dict[str, str], geometry_fields: set[str]
) -> list[Problem]:
    """Earlier problems, then the validator's for (row, field) pairs not reported yet; in row order."""
    seen = {(p.row, p.field) for p in earlier}
    geometry_rows = {p.row for p in earlier if p.row is not None and p.field in geometry_fields}
    merged = list(earlier)
    for problem in checked:
        if (problem.row, problem.field) in seen:
            continue
        if problem.field == "geometry" and problem.row in geometry_rows:
            continue
        message = _MAKE_VALID_HINT.sub("; import with --make-valid (make_valid=True) to repair it",
                                       problem.message)
        merged.append(Problem(problem.row, problem.field, message))
    relabelled = [Problem(p.row, labels.get(p.field, p.field), p.message) for p in merged]
    return sorted(relabelled, key=lambda p: (p.row is not None, p.row or 0))


__all__ = [
    "COLUMN_SYNONYMS",
    "NOTE_TEXTS",
    "PREVIEW_ROWS",
    "ROW_CONVENTIONS",
    "SOURCE_READERS",
    "ImportArgumentError",
    "ImportReport",
    "ImportValidationError",
    "Note",
    "PendingPoints",
    "SourceError",
    "import_file",
    "parse_times",
]
