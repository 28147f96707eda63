"""The PostGIS store's tables: type mapping, DDL, catalog queries and the change counter.

Layers are tables with their spec's columns and types (:data:`PG_TYPES`), a
``fid bigserial`` primary key, ``id`` (and every other unique spec column)
``UNIQUE``, and ``geom geometry(<type>, 3006)`` with a GiST index. Polygon
layers are ``MultiPolygon`` (polygons are promoted, as in the GeoPackage);
layers that mix points and polygons are ``Geometry``. The import log
(:data:`LOG_TABLE`) and the snapshot index (:data:`SNAPSHOT_TABLE`) are
tables; snapshots and product tables (``tk_*``) are tables typed from their
frames (:func:`frame_kinds`).

A statement trigger on every table bumps a version counter in
:data:`STATE_TABLE`, so edits made outside the program (QGIS) change the
store's state token too. A bulk write (at least :data:`BULK_ROWS` rows into
a table no larger) drops the GiST index and builds it again inside the
transaction (:func:`spatial_index_rebuilt`).

Table and column names come only from the layer specs or the store's
checked ``tk_``/``snapshot_`` names and are quoted with :mod:`psycopg.sql`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.errors import DataStoreError
from geo.store.postgis.connection import psycopg_sql
from layers.spec import POLYGONS, LayerSpec

if TYPE_CHECKING:
    import psycopg

LOG_TABLE = "tk_import_log"
SNAPSHOT_TABLE = "tk_snapshots"
STATE_TABLE = "trygghetskartan_state"
BUMP_FUNCTION = "trygghetskartan_bump"
#: A write of at least this many rows into a table no larger rebuilds the GiST index after.
BULK_ROWS = 20_000
#: Column types of spec dtypes.
PG_TYPES: dict[str, str] = {
    "string": "text", "int": "bigint", "float": "double precision", "bool": "boolean",
    "datetime": "timestamptz",
}
#: Primary key of a layer table.
LAYER_KEY = "fid"
#: Primary key of the log, the snapshot index, snapshots and product tables.
RECORD_KEY = "tk_fid"
#: Column types of the catalog, as the kinds the reader knows.
_TYPE_NAMES: dict[str, str] = {
    "text": "text", "varchar": "text", "bpchar": "text", "int8": "bigint", "int4": "bigint",
    "int2": "bigint", "float8": "double precision", "float4": "double precision",
    "numeric": "double precision", "bool": "boolean", "timestamptz": "timestamptz",
    "timestamp": "timestamp", "geometry": "geometry", "jsonb": "jsonb", "json": "jsonb",
}


def analysis_srid() -> int:
    """Return the SRID of ``settings.analysis_crs`` (3006), the SRID of every geometry column."""
    return int(settings.analysis_crs.split(":")[1])


def table_exists(conn: psycopg.Connection, table: str) -> bool:
    """Tell whether ``table`` is a table (plain or partitioned) of the connection's current schema."""
    row = conn.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = %s AND c.relkind IN ('r', 'p')",
        [table]).fetchone()
    return row is not None


def column_types(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """Map each column of ``table`` to its type name (``text``, ``int8``, ``geometry``...)."""
    rows = conn.execute(
        "SELECT a.attname, t.typname FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE n.nspname = current_schema() AND c.relname = %s AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum", [table]).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def generic_columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    """Return ``(name, kind)`` of every column of a snapshot or product table but its key.

    The kind is what :func:`geo.store.postgis.rows.select_rows` reads:
    ``text``, ``bigint``, ``double precision``, ``boolean``,
    ``timestamptz``, ``timestamp``, ``geometry`` or ``jsonb``; any other
    type is read as text.
    """
    return [(name, _TYPE_NAMES.get(kind, "text")) for name, kind in column_types(conn, table).items()
            if name != RECORD_KEY]


def geometry_type(spec: LayerSpec) -> str:
    """Return the PostGIS geometry type of a layer's ``geom`` column.

    Parameters
    ----------
    spec : layers.spec.LayerSpec
        The layer.

    Returns
    -------
    str
        ``MultiPolygon`` for a polygon layer, the one type of a layer with
        one type (e.g. ``Point``), else ``Geometry``.
    """
    types = set(spec.geometry_types)
    if types <= set(POLYGONS):
        return "MultiPolygon"
    if len(types) == 1:
        return next(iter(types))
    return "Geometry"


def ensure_layer_table(cur: psycopg.Cursor, spec: LayerSpec, schema: str) -> None:
    """Create the layer's table with typed columns, constraints and indexes (or add new columns)."""
    sql = psycopg_sql()
    table = sql.Identifier(spec.name)
    if table_exists(cur.connection, spec.name):  # perhaps created by another tool: add what is missing
        add_missing_columns(cur, spec.name, [(c.name, PG_TYPES[c.dtype]) for c in spec.columns])
        add_bump_trigger(cur, spec.name, schema)
        return
    columns = [sql.SQL("{} bigserial PRIMARY KEY").format(sql.Identifier(LAYER_KEY))]
    for column in spec.columns:
        parts = [sql.Identifier(column.name), sql.SQL(PG_TYPES[column.dtype])]
        if column.required:
            parts.append(sql.SQL("NOT NULL"))
        if column.unique:
            parts.append(sql.SQL("UNIQUE"))
        columns.append(sql.SQL(" ").join(parts))
    columns.append(sql.SQL("geom geometry({}, {})").format(
        sql.SQL(geometry_type(spec)), sql.Literal(analysis_srid())))
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(columns)))
    cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(
        sql.Identifier(f"{spec.name}_geom_gist"), table))
    if spec.time_column:
        cur.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(
            sql.Identifier(f"{spec.name}_{spec.time_column}_idx"), table,
            sql.Identifier(spec.time_column)))
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(
        table, sql.Literal(f"{spec.sv}: {spec.description_sv}")))
    add_bump_trigger(cur, spec.name, schema)


def create_state(cur: psycopg.Cursor, schema_name: str) -> None:
    """Create the version counter and the trigger function that bumps it."""
    sql = psycopg_sql()
    schema, state = sql.Identifier(schema_name), sql.Identifier(STATE_TABLE)
    cur.execute(sql.SQL(
        "CREATE TABLE {}.{} (id integer PRIMARY KEY CHECK (id = 1), "
        "version bigint NOT NULL, changed_at timestamptz NOT NULL)").format(schema, state))
    cur.execute(sql.SQL("INSERT INTO {}.{} VALUES (1, 0, now())").format(schema, state))
    body = sql.SQL(
        "BEGIN UPDATE {}.{} SET version = version + 1, changed_at = now() WHERE id = 1; "
        "RETURN NULL; END").format(schema, state).as_string(cur.connection)
    cur.execute(sql.SQL(
        "CREATE OR REPLACE FUNCTION {}.{}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = pg_catalog AS {}").format(
            schema, sql.Identifier(BUMP_FUNCTION), sql.Literal(body)))


def create_meta_tables(cur: psycopg.Cursor, schema: str) -> None:
    """Create what is missing of the state counter, the import log and the snapshot index.

    Parameters
    ----------
    cur : psycopg.Cursor
        A cursor in the write's transaction; it takes the schema's meta
        lock, so two first writers do not both create the tables.
    schema : str
        The store's schema (for the trigger function).
    """
    sql = psycopg_sql()
    cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"trygghetskartan:{schema}:meta"])
    if not table_exists(cur.connection, STATE_TABLE):
        create_state(cur, schema)
    log_columns = ("at timestamptz NOT NULL, layer text NOT NULL, mode text NOT NULL, "
                   "rows bigint NOT NULL, source text, \"user\" text, note text")
    snapshot_columns = ("name text NOT NULL UNIQUE, \"table\" text NOT NULL UNIQUE, "
                        "created_at timestamptz NOT NULL, rows bigint NOT NULL, params jsonb NOT NULL")
    for table, columns in ((LOG_TABLE, log_columns), (SNAPSHOT_TABLE, snapshot_columns)):
        if not table_exists(cur.connection, table):
            cur.execute(sql.SQL("CREATE TABLE {} ({} bigserial PRIMARY KEY, {})").format(
                sql.Identifier(table), sql.Identifier(RECORD_KEY), sql.SQL(columns)))
            add_bump_trigger(cur, table, schema)


def add_bump_trigger(cur: psycopg.Cursor, table: str, schema: str) -> None:
    """Make every change of ``table`` bump the state version (once per table)."""
    sql = psycopg_sql()
    found = cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = format('%%I.%%I', "
                        "%s::text, %s::text)::regclass", [BUMP_FUNCTION, schema, table]).fetchone()
    if found:
        return
    cur.execute(sql.SQL(
        "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {} "
        "FOR EACH STATEMENT EXECUTE FUNCTION {}.{}()").format(
            sql.Identifier(BUMP_FUNCTION), sql.Identifier(table), sql.Identifier(schema),
            sql.Identifier(BUMP_FUNCTION)))


def add_missing_columns(cur: psycopg.Cursor, table: str, kinds: list[tuple[str, str]]) -> None:
    """Add the columns of ``kinds`` (name, kind) that ``table`` lacks, so a newer spec or frame fits."""
    sql = psycopg_sql()
    present = column_types(cur.connection, table)
    for name, kind in kinds:
        if name not in present:
            cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(_ddl_type(kind))))


def _ddl_type(kind: str) -> str:
    """Return the column type of a kind; a geometry column of a generic table takes any type."""
    return f"geometry(Geometry, {analysis_srid()})" if kind == "geometry" else kind


def create_generic_table(cur: psycopg.Cursor, table: str, kinds: list[tuple[str, str]],
                         schema: str) -> None:
    """Create a snapshot or product table with the columns of ``kinds``, a key, GiST indexes and the trigger.

    Parameters
    ----------
    cur : psycopg.Cursor
        In the write's transaction, holding the table's lock.
    table : str
        A ``snapshot_`` or ``tk_`` name the store has checked.
    kinds : list of (str, str)
        Column names and kinds, as :func:`frame_kinds` gives them.
    schema : str
        The store's schema (for the trigger function).
    """
    sql = psycopg_sql()
    columns = [sql.SQL("{} bigserial PRIMARY KEY").format(sql.Identifier(RECORD_KEY))]
    columns += [sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_ddl_type(kind)))
                for name, kind in kinds]
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), sql.SQL(", ").join(columns)))
    for name, kind in kinds:
        if kind == "geometry":
            cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST ({})").format(
                sql.Identifier(f"{table}_{name}_gist"), sql.Identifier(table), sql.Identifier(name)))
    add_bump_trigger(cur, table, schema)


def frame_kinds(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Column types of an arbitrary frame (snapshots, product tables)."""
    kinds = []
    for name in frame.columns:
        if not isinstance(name, str) or name == RECORD_KEY:
            msg = f"column name {name!r} cannot be stored; {RECORD_KEY!r} is kept by the store"
            raise DataStoreError(msg)
        dtype = frame[name].dtype
        if isinstance(dtype, gpd.array.GeometryDtype):
            kind = "geometry"
        elif pd.api.types.is_bool_dtype(dtype):
            kind = "boolean"
        elif pd.api.types.is_integer_dtype(dtype):
            kind = "bigint"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "double precision"
        elif isinstance(dtype, pd.DatetimeTZDtype):
            kind = "timestamptz"
        elif pd.api.types.is_datetime64_dtype(dtype):
            kind = "timestamp"
        else:
            kind = "text"
        kinds.append((name, kind))
    return kinds


def is_bulk(cur: psycopg.Cursor, table: str, rows: int) -> bool:
    """Tell whether rebuilding the GiST index beats updating it: many rows into a table no larger."""
    if rows < BULK_ROWS:
        return False
    query = psycopg_sql().SQL("SELECT count(*) FROM {}").format(psycopg_sql().Identifier(table))
    return rows >= int(cur.execute(query).fetchone()[0])


@contextlib.contextmanager
def spatial_index_rebuilt(cur: psycopg.Cursor, table: str, *, bulk: bool) -> Iterator[None]:
    """Drop the layer's GiST index for a bulk write and build it again after, in the same transaction.

    Building the index once over sorted input is several times faster than
    inserting a million points into it one by one. Readers wait for the
    transaction meanwhile (``DROP INDEX`` locks the table).
    """
    if not bulk:
        yield
        return
    sql = psycopg_sql()
    name = sql.Identifier(f"{table}_geom_gist")
    cur.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(name))
    yield
    cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(name, sql.Identifier(table)))
