"""Import a file into a layer: read, map, parse, reproject, check, validate, write.

:func:`import_file` runs one pipeline for every format:

1. **Read** with the reader of the file's format (:mod:`geo.io.readers`,
   :mod:`geo.io.csv.points`, :mod:`geo.io.open311`, :mod:`geo.io.polisen`;
   chosen from the table :data:`geo.io.import_formats.SOURCE_READERS`).
2. **Map columns** to the layer's spec: the user's mapping first
   (``{"Kommunnamn": "name"}``; for CSV also the coordinate roles ``lat``,
   ``lon``, ``e``, ``n``, ``x``, ``y``, ``wkt``), then the spec's own names
   case-insensitively (also cut to the 10 characters a Shapefile keeps), then
   :data:`COLUMN_SYNONYMS`. ``fill`` sets a column
   where the file leaves it empty (``{"kind": "kommun"}``).
3. **Ids**: the file's ``id`` column when there is one, else
   ``<hash of the file name>-<row>``, stable for the same file name.
4. **Values** (:func:`geo.io.import_values.convert_values`): timestamps by
   :func:`geo.io.times.parse_times` (ISO 8601 with an offset,
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
   byte-identical. The ids to check come from the store's
   :meth:`~geo.io.layer_store.LayerStore.existing_ids`, and the frame just
   validated is written with its
   :meth:`~geo.io.layer_store.LayerStore.write_validated` (the second half
   of :meth:`geo.store.base.Store.write`), so it is not validated twice;
   ids stored meanwhile are still refused by the backend in the
   transaction.

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
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import parse_crs
from geo.errors import ImportArgumentError, ImportValidationError, SourceError
from geo.io.csv.columns import COORDINATE_ROLES, normalise_name
from geo.io.import_formats import SOURCE_READERS, Progress, SourceRequest
from geo.io.import_report import ROW_CONVENTIONS, ImportReport, Note
from geo.io.import_source import Source
from geo.io.import_values import as_text, convert_values
from geo.io.layer_store import WRITE_MODES, LayerStore
from geo.io.placing import PendingPoints, kommun_outline, place
from geo.io.readers import SOURCE_FORMATS, detect_format
from layers import get_spec, validate_frame
from layers.spec import POLYGONS, LayerSpec
from layers.validate import Problem

PREVIEW_ROWS: int = 200
DBF_NAME_LENGTH: int = 10
"""Longest field name in a Shapefile's .dbf; longer spec names are also looked for cut short."""

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


def import_file(
    store: LayerStore,
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
    store : geo.io.layer_store.LayerStore
        Where the layer is kept, e.g. a :class:`geo.store.base.Store`. Its
        ``areas`` of kind ``kommun`` are the kommun outline that locations
        are checked against.
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
        (:class:`geo.errors.LayerChoiceError`).
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
    request = SourceRequest(path, fmt, spec, layer_name, roles,
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
    problems.extend(convert_values(frame, source, spec))
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
    existing = store.existing_ids(layer) if mode == "append" and layer in stored else None
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
        report.written = store.write_validated(layer, frame[columns], mode=mode, source=path.name, note=note,
                                               points=(pending.x, pending.y))
    else:
        report.written = store.write_validated(layer, _made(frame[columns], pending), mode=mode,
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
        frame["id"] = as_text(frame["id"])
        return
    prefix = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    frame["id"] = f"{prefix}-" + pd.Series(source.rows, index=frame.index).astype("str")
    if len(frame):
        source.notes.append(Note("ids_derived", {"example": str(frame["id"].iloc[0])}))


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
    "PREVIEW_ROWS",
    "ROW_CONVENTIONS",
    "ImportArgumentError",
    "ImportReport",
    "ImportValidationError",
    "Note",
    "PendingPoints",
    "SourceError",
    "import_file",
]
