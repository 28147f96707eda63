"""The importer's readers: one per kind of format, each giving a :class:`~geo.io.import_source.Source`.

:func:`geo.io.importer.import_file` picks the reader of a file from
:data:`SOURCE_READERS` by the kind of its format
(:attr:`geo.io.readers.SourceFormat.kind`) and hands it a
:class:`SourceRequest`. Each reader calls the format's own reader
(:mod:`geo.io.readers`, :mod:`geo.io.csv.points`, :mod:`geo.io.open311`,
:mod:`geo.io.polisen`) and turns what it learned (encoding, delimiter,
skipped requests, centroid precision ...) into notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from pyproj import CRS

from geo.errors import ImportArgumentError
from geo.io.csv import points as csv_points
from geo.io.csv.points import read_csv_points
from geo.io.import_report import Note
from geo.io.import_source import Source
from geo.io.open311 import read_open311
from geo.io.polisen import read_polisen
from geo.io.readers import read_vector_layer
from layers.spec import LayerSpec

__all__ = ["SOURCE_READERS", "Progress", "SourceRequest"]

#: A progress callback: the share done (0-1) and a short text.
Progress = Callable[[float, str], None]


@dataclass
class SourceRequest:
    """What a reader needs to know about the file and the import.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    fmt : str
        Its format, a key of :data:`geo.io.readers.SOURCE_FORMATS`.
    spec : layers.spec.LayerSpec
        The target layer.
    layer_name : str or None
        The layer inside a GeoPackage or zip that holds several.
    roles : dict of str to str
        CSV column → coordinate role, from the user's mapping.
    prefer_projected : bool
        Whether the user gave a projected CRS (a CSV's x/y are then metres).
    service_codes : mapping of str to str or None
        Open311 service code or name → layer or ``skip``.
    progress : Progress
        Called while a CSV is read, with the share of it done.
    """

    path: Path
    fmt: str
    spec: LayerSpec
    layer_name: str | None
    roles: dict[str, str]
    prefer_projected: bool
    service_codes: Mapping[str, str] | None
    progress: Progress


def _read_vector_source(request: SourceRequest) -> Source:
    read = read_vector_layer(request.path, request.fmt, layer=request.layer_name,
                             points_as_xy=request.spec.is_point_layer)
    notes = [Note("gdal", {"message": w}) for w in read.warnings]
    hint = " (no .prj file beside the .shp)" if request.fmt in ("shapefile", "zip") else ""
    return Source(read.frame, np.arange(1, len(read.frame) + 1), "vector", notes=notes,
                   declared_crs=read.frame.crs, crs_hint=hint, xy=read.xy)


def _read_csv_source(request: SourceRequest) -> Source:
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


def _read_open311_source(request: SourceRequest) -> Source:
    read = read_open311(request.path, request.spec.name, service_codes=request.service_codes)
    notes = []
    if read.skipped:
        services = ", ".join(f"{name} {n}" for name, n in read.skipped.most_common(8))
        notes.append(Note("open311_skipped", {"n": sum(read.skipped.values()), "total": read.total,
                                              "services": services}))
    return Source(read.frame, read.rows, "open311", problems=read.problems, notes=notes,
                   implied_crs=CRS.from_user_input(read.frame.crs), axis_names=("long", "lat"),
                   defaults=read.defaults, total=read.total)


def _read_polisen_source(request: SourceRequest) -> Source:
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
SOURCE_READERS: dict[str, Callable[[SourceRequest], Source]] = {
    "vector": _read_vector_source,
    "csv": _read_csv_source,
    "open311": _read_open311_source,
    "polisen": _read_polisen_source,
}
