"""Rows in and out of the PostGIS store: ``COPY`` as CSV written and parsed by pyarrow.

Writes send the rows with ``COPY ... FROM STDIN`` as CSV written by pyarrow
(:func:`copy_rows`), in blocks of :data:`COPY_CHUNK_ROWS`, geometries as hex
EWKB (plain 2D points built with numpy). Reads come back the same way
(:func:`select_rows`: ``COPY (SELECT ...) TO STDOUT``, parsed by pyarrow,
which tells a quoted empty string from an unquoted NULL), timestamps as
exact integer microseconds and points as two exact doubles.

Values go to the server as query parameters; inside a ``COPY``, which takes
none, psycopg binds them client-side as quoted literals.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.store.postgis.connection import import_psycopg, psycopg_sql
from geo.store.postgis.schema import LOG_TABLE, analysis_srid, column_types

if TYPE_CHECKING:
    import psycopg

#: Rows sent per ``COPY`` block.
COPY_CHUNK_ROWS = 100_000


def copy_rows(cur: psycopg.Cursor, table: str, frame: pd.DataFrame, kinds: list[tuple[str, str]],
              *, target_names: list[str] | None = None) -> None:
    """Send the frame's rows to ``table`` with ``COPY ... FROM STDIN`` (CSV by pyarrow).

    Parameters
    ----------
    cur : psycopg.Cursor
        A cursor in the write's transaction.
    table : str
        The checked table name.
    frame : pandas.DataFrame
        The rows.
    kinds : list of (str, str)
        The frame's columns to send and their kinds (``text``, ``bigint``,
        ``double precision``, ``boolean``, ``timestamptz``, ``timestamp``,
        ``geometry``).
    target_names : list of str, optional
        The table's column for each of ``kinds``, when they are named
        otherwise (the frame's geometry goes to ``geom``).
    """
    sql = psycopg_sql()
    names = target_names or [name for name, _ in kinds]
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    with cur.copy(statement) as copy:
        for block in copy_blocks(frame, kinds):
            copy.write(block)


def copy_blocks(frame: pd.DataFrame, kinds: list[tuple[str, str]]) -> Iterator[bytes]:
    """Yield the rows as CSV: strings quoted, NULL as an unquoted empty field."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    for start in range(0, len(frame), COPY_CHUNK_ROWS):
        part = frame.iloc[start:start + COPY_CHUNK_ROWS]
        arrays = [_to_arrow(part[name], kind) for name, kind in kinds]
        table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, options)
        yield buffer.getvalue()


def _to_arrow(values: pd.Series, kind: str) -> Any:
    """Return one column as an arrow array that pyarrow writes as PostgreSQL reads it."""
    import pyarrow as pa

    if kind == "geometry":
        geoms = np.asarray(values.to_numpy(), dtype=object)
        if _plain_points(geoms):
            return _points_ewkb(geoms)
        geoms = shapely.set_srid(geoms, analysis_srid())
        return pa.array(shapely.to_wkb(geoms, hex=True, include_srid=True), type=pa.string(),
                        from_pandas=True)
    if kind in ("timestamptz", "timestamp"):
        stamps = pd.Series(pd.to_datetime(values))
        if kind == "timestamptz":
            stamps = stamps.dt.tz_convert("UTC")
        return pa.array(stamps.dt.as_unit("us"), type=pa.timestamp("us", tz="UTC" if kind == "timestamptz"
                                                                  else None), from_pandas=True)
    if kind == "bigint":
        return pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True)
    if kind == "double precision":
        return pa.array(values.astype("float64").to_numpy(), type=pa.float64(), from_pandas=True)
    if kind == "boolean":
        return pa.array(values.astype("boolean"), type=pa.bool_(), from_pandas=True)
    if isinstance(values.dtype, pd.StringDtype):
        return pa.array(values, from_pandas=True).cast(pa.string())
    objects = values.astype(object)
    if pd.api.types.infer_dtype(objects, skipna=True) not in ("string", "empty"):
        objects = objects.map(lambda v: v if isinstance(v, str) or pd.isna(v) else str(v))
    return pa.array(objects, type=pa.string(), from_pandas=True)


def _plain_points(geoms: np.ndarray) -> bool:
    """Tell whether every geometry is a non-empty 2D point (the fast path of a point layer)."""
    if len(geoms) == 0 or shapely.is_missing(geoms).any():
        return False
    kinds = shapely.get_type_id(geoms)
    return bool((kinds == shapely.GeometryType.POINT).all() and not shapely.is_empty(geoms).any()
                and not shapely.has_z(geoms).any())


_EWKB_POINT = np.dtype([("order", "u1"), ("kind", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")])


def _points_ewkb(geoms: np.ndarray) -> Any:
    """Hex EWKB of 2D points, built with numpy (about five times faster than shapely.to_wkb)."""
    import pyarrow as pa

    xy = shapely.get_coordinates(geoms)
    record = np.empty(len(geoms), dtype=_EWKB_POINT)
    record["order"], record["kind"], record["srid"] = 1, 0x20000001, analysis_srid()
    record["x"], record["y"] = xy[:, 0], xy[:, 1]
    width = 2 * _EWKB_POINT.itemsize
    hexed = np.frombuffer(record.tobytes().hex().encode("ascii"), dtype=f"S{width}")
    return pa.array(hexed, type=pa.binary()).cast(pa.string())


def promote_polygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame with every Polygon made a one-part MultiPolygon (polygon layers' column type)."""
    geoms = frame.geometry.to_numpy()
    single = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
    if not single.any():
        return frame
    promoted = geoms.copy()
    promoted[single] = shapely.multipolygons(geoms[single], indices=np.arange(int(single.sum())))
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries(promoted, index=frame.index, crs=frame.crs)
    return out


def insert_row(cur: psycopg.Cursor, table: str, row: dict) -> None:
    """Insert one row (column name to value) into ``table``, the values as query parameters."""
    sql = psycopg_sql()
    names = list(row)
    cur.execute(sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names),
        sql.SQL(", ").join(sql.Placeholder() * len(names))),
        [_plain(row[n]) for n in names])


def append_log_row(cur: psycopg.Cursor, entry: dict) -> None:
    """Insert a write's entry into the import log, in the write's transaction."""
    insert_row(cur, LOG_TABLE, entry)


def _plain(value: object) -> object:
    """Return a value psycopg can bind: a Timestamp as a datetime (ceiled to µs), numpy as Python."""
    if isinstance(value, pd.Timestamp):
        return value.ceil("us").to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def epoch_us(expression: Any) -> Any:
    """Return SQL for a timestamp as integer microseconds since 1970 (exact, no float)."""
    return psycopg_sql().SQL("(extract(epoch FROM {}) * 1000000)::bigint").format(expression)


def select_rows(conn: psycopg.Connection, table: str, columns: list[tuple[str, str]], where: list,
                args: list, *, order: str) -> pd.DataFrame:
    """Read ``columns`` (name, kind) of ``table`` into a frame with pandas types.

    The rows come as CSV from ``COPY (SELECT ...) TO STDOUT`` and are parsed
    by pyarrow, which tells a quoted empty string from an unquoted NULL.

    Parameters
    ----------
    conn : psycopg.Connection
        A connection to the store.
    table : str
        The checked table name.
    columns : list of (str, str)
        Column names and kinds: those of :func:`copy_rows`, ``jsonb``,
        ``point`` (a point column read as two exact doubles), or
        ``missing:<kind>`` for a column the table lacks (read as NULLs).
    where : list of psycopg.sql.Composable
        Conditions joined with ``AND``.
    args : list
        Values of the conditions' placeholders.
    order : str
        Column to order by, if the table has it.

    Returns
    -------
    pandas.DataFrame
        One column per entry of ``columns``, a RangeIndex; geometries as
        GeoSeries in the analysis CRS, timestamps exact to the microsecond.
    """
    sql = psycopg_sql()
    exprs = []
    for name, kind in columns:
        ident = sql.Identifier(name)
        if kind.startswith("missing:"):
            exprs.append(sql.SQL("NULL::{}").format(sql.SQL(kind.removeprefix("missing:"))))
        elif kind in ("timestamptz", "timestamp"):
            exprs.append(epoch_us(ident))
        elif kind == "geometry":
            exprs.append(sql.SQL("encode(ST_AsBinary({}), 'hex')").format(ident))
        elif kind == "point":  # two exact doubles parse faster than WKB
            exprs.append(sql.SQL("ST_X({0}), ST_Y({0})").format(ident))
        else:
            exprs.append(ident)
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(exprs), sql.Identifier(table))
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    if order in column_types(conn, table):
        query += sql.SQL(" ORDER BY {}").format(sql.Identifier(order))
    if args:  # COPY takes no parameters: psycopg binds them as literals on the client
        query = sql.SQL(import_psycopg().ClientCursor(conn).mogrify(query, args))
    statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(query)
    buffer = io.BytesIO()
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for block in copy:
            buffer.write(block)
    kinds = [kind.removeprefix("missing:") for _, kind in columns]
    fields = [k for kind in kinds for k in (("double precision",) * 2 if kind == "point" else (kind,))]
    arrays = iter(_parse_csv(buffer.getvalue(), fields))
    data = {}
    for (name, _), kind in zip(columns, kinds, strict=True):
        if kind == "point":
            data[name] = _points_from_xy(next(arrays), next(arrays))
        else:
            data[name] = _to_series(next(arrays), kind)
    rows = len(next(iter(data.values()))) if data else 0
    return pd.DataFrame(data, index=pd.RangeIndex(rows))


def _points_from_xy(x: Any, y: Any) -> gpd.GeoSeries:
    xs, ys = x.to_numpy(zero_copy_only=False), y.to_numpy(zero_copy_only=False)
    points = shapely.points(xs, ys)
    points[np.isnan(xs)] = None  # a NULL geometry
    return gpd.GeoSeries(points, crs=settings.analysis_crs)


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"bigint": pa.int64(), "timestamptz": pa.int64(), "timestamp": pa.int64(),
            "double precision": pa.float64(), "boolean": pa.bool_()}.get(kind, pa.string())


def _parse_csv(data: bytes, kinds: list[str]) -> list:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not data:
        return [pa.array([], type=_arrow_type(kind)) for kind in kinds]
    names = [f"c{i}" for i in range(len(kinds))]
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: _arrow_type(k) for n, k in zip(names, kinds, strict=True)},
            null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False,
            true_values=["t"], false_values=["f"]))
    return [table.column(n).combine_chunks() for n in names]


def _to_series(array: Any, kind: str) -> pd.Series | gpd.GeoSeries:
    nulls = array.null_count
    if kind == "geometry":
        return gpd.GeoSeries(shapely.from_wkb(array.to_numpy(zero_copy_only=False)),
                             crs=settings.analysis_crs)
    if kind in ("timestamptz", "timestamp"):
        micros = pd.array(array.to_numpy(zero_copy_only=False), dtype="Int64") if nulls \
            else array.to_numpy()
        return pd.Series(pd.to_datetime(micros, unit="us", utc=kind == "timestamptz"))
    if kind in ("bigint", "boolean"):
        if not nulls and len(array):
            return pd.Series(array.to_numpy(zero_copy_only=False))
        return pd.Series(array.to_pandas(), dtype="Int64" if kind == "bigint" else "boolean")
    if kind == "double precision":
        return pd.Series(array.to_numpy(zero_copy_only=False), dtype="float64")
    if nulls == len(array):
        return pd.Series([None] * len(array), dtype=object)
    return pd.Series(array.to_pandas())


def to_geoframe(frame: pd.DataFrame, geometry: str) -> gpd.GeoDataFrame:
    """Return ``frame`` as a GeoDataFrame with ``geometry`` as its geometry, in the analysis CRS."""
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=settings.analysis_crs)
