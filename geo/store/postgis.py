"""The PostGIS backend: the municipality's PostgreSQL + PostGIS as a multi-user store.

Layers are tables with their spec's columns and types (``text``,
``bigint``, ``double precision``, ``boolean``, ``timestamptz``), a
``fid bigserial`` primary key, ``id`` (and every other unique spec column)
``UNIQUE``, and ``geom geometry(<type>, 3006)`` with a GiST index. Polygon
layers are ``MultiPolygon`` (polygons are promoted, as in the GeoPackage);
layers that mix points and polygons are ``Geometry``. The import log
(``tk_import_log``) and the snapshot index (``tk_snapshots``) are tables;
snapshots and product tables (``tk_*``) are tables typed from their frames.

Every write is one transaction: the rows (sent with ``COPY ... FROM STDIN``
as CSV written by pyarrow, geometries as hex EWKB) and the import log row
commit together or not at all. A bulk write (at least :data:`BULK_ROWS`
rows into a table no larger, e.g. a replace) drops the GiST index and
builds it again inside the transaction, several times faster than
updating it row by row; readers of that table wait until it commits.
Reads come back the same way (``COPY (SELECT ...) TO STDOUT``, parsed by
pyarrow), timestamps as exact integer microseconds.

A transaction-level advisory lock per table serialises writers of the
same table, and the ``UNIQUE`` constraint decides duplicate ids, so two
writers appending at once both arrive and never store an id twice. A
statement trigger on every table bumps a version counter in
``trygghetskartan_state``, which :meth:`PostGISStore.state_token` reads, so
edits made outside the program (QGIS) change the token too.

Values go to the server as query parameters (inside a ``COPY``, which takes
none, psycopg binds them client-side as quoted literals); table and column
names come only from the layer specs or the store's checked
``tk_``/``snapshot_`` names and are quoted with :mod:`psycopg.sql`. The URL
is never interpolated into SQL.

Connection settings, first found wins:

1. the URL (``postgresql://user:password@host:port/dbname?options=...``);
   ``None`` reads the URL from the environment variable named by
   :data:`geo.settings.postgis_dsn_env` (``TRYGGHETSKARTAN_PG_DSN``), and a
   bare ``postgresql://`` leaves everything to the next two;
2. the ``PG*`` environment variables (``PGHOST``, ``PGPORT``,
   ``PGDATABASE``, ``PGUSER``, ``PGPASSWORD``, ``PGSERVICE``, ...), which
   libpq applies itself, and ``~/.pgpass``;
3. the ``[postgis]`` section (keys ``host``, ``port``, ``dbname``, ``user``,
   ``password``) of the INI file named by the environment variable
   ``TRYGGHETSKARTAN_PG_CONFIG``.

psycopg 3 is imported only when a PostGIS store is opened:
``pip install "psycopg[binary]>=3.1"``.
"""

from __future__ import annotations

import configparser
import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import DataStoreError, TrygghetskartanError, ValidationError
from geo.store.base import Store, WriteMode
from layers.spec import POLYGONS, LayerSpec
from layers.validate import Problem

if TYPE_CHECKING:
    import psycopg

LOG_TABLE = "tk_import_log"
SNAPSHOT_TABLE = "tk_snapshots"
STATE_TABLE = "trygghetskartan_state"
BUMP_FUNCTION = "trygghetskartan_bump"
#: Environment variable naming the INI file with a ``[postgis]`` section.
CONFIG_ENV = "TRYGGHETSKARTAN_PG_CONFIG"
CONFIG_SECTION = "postgis"
#: Keys of the config file and the libpq environment variable that overrides each.
CONFIG_KEYS: dict[str, str] = {
    "host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER",
    "password": "PGPASSWORD",
}
CONNECT_TIMEOUT_S = 10
#: Rows sent per ``COPY`` block.
COPY_CHUNK_ROWS = 100_000
#: A write of at least this many rows into a table no larger rebuilds the GiST index after.
BULK_ROWS = 20_000
#: Column types of spec dtypes.
PG_TYPES: dict[str, str] = {
    "string": "text", "int": "bigint", "float": "double precision", "bool": "boolean",
    "datetime": "timestamptz",
}
_LAYER_KEY = "fid"
_RECORD_KEY = "tk_fid"
_UNIQUE_DETAIL = re.compile(r"Key \((?P<column>[^)]+)\)=\((?P<value>.*)\) already exists")


class _NameTakenError(ValueError):
    """Another writer saved a snapshot of the same name first (as the base class says, a ValueError)."""


def _psycopg() -> Any:
    """Import psycopg 3, or say which feature needs it and how to install it."""
    try:
        import psycopg
    except ImportError as exc:
        msg = (
            "the PostGIS store (--store postgresql://...) needs the package psycopg 3; "
            f"install it with: pip install 'psycopg[binary]>=3.1' ({exc})"
        )
        raise ImportError(msg) from exc
    return psycopg


def _srid() -> int:
    return int(settings.analysis_crs.split(":")[1])


class PostGISStore(Store):
    """A store in a PostgreSQL database with PostGIS.

    Parameters
    ----------
    url : str, optional
        A ``postgresql://`` URL (or libpq ``key=value`` string). Defaults to
        the environment variable named by ``settings.postgis_dsn_env``, then
        to ``postgresql://`` (everything from ``PG*`` and the config file).
        A ``?options=-csearch_path%3Dname`` keeps the store in schema
        ``name``.

    Raises
    ------
    ImportError
        If psycopg 3 is not installed.
    DataStoreError
        If the server cannot be reached, the config file is unusable, or
        PostGIS is missing from the database and cannot be created.

    Examples
    --------
    >>> store = PostGISStore("postgresql://gis@db.jarfalla.se/trygghet")  # doctest: +SKIP
    >>> store.list_layers()  # doctest: +SKIP
    ['areas', 'incidents']
    """

    def __init__(self, url: str | None = None) -> None:
        _psycopg()
        text = os.environ.get(settings.postgis_dsn_env, "postgresql://") if url is None else url
        self._params = _connection_params(text)
        self.location = _display_location(self._params)
        self._meta_ready = False
        with self.connect() as conn:
            self.database = str(conn.info.dbname)
            _check_postgis(conn, self.database)
            self.schema = str(conn.execute("SELECT current_schema()").fetchone()[0])

    def __repr__(self) -> str:
        return f"PostGISStore({self.location!r})"

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection:
        """Open a new connection to the store's database.

        Use it as a context manager; it is closed at the end of the block.
        Every store operation opens its own, so one store object may be used
        from several threads.

        Parameters
        ----------
        autocommit : bool, default True
            Autocommit mode; open a transaction with ``conn.transaction()``.

        Returns
        -------
        psycopg.Connection
            The connection.

        Raises
        ------
        DataStoreError
            If the server cannot be reached or refuses the login.
        """
        psycopg = _psycopg()
        try:
            return psycopg.connect(**self._params, autocommit=autocommit)
        except psycopg.OperationalError as exc:
            msg = f"cannot connect to {self.location}: {_reason(exc)}"
            raise DataStoreError(msg) from exc

    def state_token(self) -> str:
        """Return a token that changes whenever a table of the store changes.

        Returns
        -------
        str
            The version counter that every write (also from QGIS) bumps, or
            ``"absent"`` before the first write.
        """
        with self.connect() as conn:
            if not _exists(conn, STATE_TABLE):
                return "absent"
            query = _sql().SQL("SELECT version FROM {}").format(_sql().Identifier(STATE_TABLE))
            row = conn.execute(query).fetchone()
        return f"{self.database}.{self.schema}:{row[0] if row else 0}"

    # -- reading ----------------------------------------------------------------
    def _list_tables(self) -> list[str]:
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def _read_layer(
        self, spec: LayerSpec, *, bbox: tuple[float, ...] | None, categories: tuple[str, ...] | None
    ) -> gpd.GeoDataFrame:
        sql = _sql()
        where, args = [], []
        if bbox is not None:
            where.append(sql.SQL("ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, %s))"))
            args.extend([*bbox, _srid()])
        if categories is not None:
            where.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(spec.category_column)))
            args.append(list(categories))
        with self.connect() as conn:
            present = _column_types(conn, spec.name)
            types = {c.name: PG_TYPES[c.dtype] for c in spec.columns}
            columns = [(c, types[c] if c in present else f"missing:{types[c]}") for c in spec.column_names]
            geometry = "point" if _geometry_type(spec) == "Point" else "geometry"
            frame = _select(conn, spec.name, [*columns, ("geom", geometry)], where, args,
                            order=_LAYER_KEY)
        return _to_geoframe(frame.rename(columns={"geom": "geometry"}), "geometry")

    def _read_table(self, table: str) -> gpd.GeoDataFrame:
        with self.connect() as conn:
            frame = _select(conn, table, _generic_columns(conn, table), [], [], order=_RECORD_KEY)
        geometry = [c for c in frame.columns if isinstance(frame[c].dtype, gpd.array.GeometryDtype)]
        if geometry:
            return _to_geoframe(frame, geometry[0])
        return frame

    def _read_records(self, table: str) -> pd.DataFrame:
        return pd.DataFrame(self._read_table(table))

    def _count(self, layer: str) -> int:
        query = _sql().SQL("SELECT count(*) FROM {}").format(_sql().Identifier(layer))
        with self.connect() as conn:
            return int(conn.execute(query).fetchone()[0])

    def _bounds(self, layer: str) -> tuple[float, float, float, float] | None:
        query = _sql().SQL(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(geom) AS e FROM {}) AS s").format(_sql().Identifier(layer))
        with self.connect() as conn:
            row = conn.execute(query).fetchone()
        if row is None or row[0] is None:
            return None
        return tuple(float(v) for v in row)  # type: ignore[return-value]

    def _time_span(self, spec: LayerSpec) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        column = _sql().Identifier(spec.time_column)
        query = _sql().SQL("SELECT {}, {} FROM {}").format(
            _epoch_us(_sql().SQL("min({})").format(column)),
            _epoch_us(_sql().SQL("max({})").format(column)), _sql().Identifier(spec.name))
        with self.connect() as conn:
            low, high = conn.execute(query).fetchone()
        if low is None:
            return None
        local = pd.to_datetime([low, high], unit="us", utc=True).tz_convert(settings.timezone)
        return local[0], local[1]

    def _ids(self, layer: str) -> set[str]:
        query = _sql().SQL("SELECT id FROM {}").format(_sql().Identifier(layer))
        with self.connect() as conn:
            return {str(r[0]) for r in conn.execute(query).fetchall()}

    def _read_log(self) -> pd.DataFrame:
        if LOG_TABLE not in self._list_tables():
            return pd.DataFrame()
        return pd.DataFrame(self._read_table(LOG_TABLE))

    def _read_snapshot_index(self) -> pd.DataFrame:
        if SNAPSHOT_TABLE not in self._list_tables():
            return pd.DataFrame()
        with self.connect() as conn:
            columns = [("name", "text"), ("table", "text"), ("created_at", "timestamptz"),
                       ("rows", "bigint"), ("params", "jsonb")]
            return _select(conn, SNAPSHOT_TABLE, columns, [], [], order=_RECORD_KEY)

    # -- writing ----------------------------------------------------------------
    def _write_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, *, mode: WriteMode, log_entry: dict
    ) -> None:
        sql = _sql()
        with self._transaction(spec.name) as cur:
            _ensure_layer_table(cur, spec, self.schema)
            if mode == "replace":
                cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(spec.name)))
            data = _promote_polygons(frame) if set(spec.geometry_types) <= set(POLYGONS) else frame
            kinds = [(c.name, PG_TYPES[c.dtype]) for c in spec.columns]
            with _spatial_index_rebuilt(cur, spec.name, bulk=_is_bulk(cur, spec.name, len(data))):
                try:
                    _copy_rows(cur, spec.name, data, [*kinds, (data.geometry.name, "geometry")],
                               target_names=[*spec.column_names, "geom"])
                except _psycopg().errors.UniqueViolation as exc:
                    raise _duplicate_error(exc, data, log_entry["source"] or spec.name) from exc
            _append_log_row(cur, log_entry)

    def _write_snapshot(self, table: str, frame: gpd.GeoDataFrame, row: dict) -> None:
        with self._transaction(table) as cur:
            if _exists(cur.connection, table):
                msg = f"table {table!r} exists already in {self.location}; choose another snapshot name"
                raise DataStoreError(msg)
            kinds = _frame_kinds(frame)
            _create_generic_table(cur, table, kinds, self.schema)
            _copy_rows(cur, table, frame, kinds)
            try:
                _insert_row(cur, SNAPSHOT_TABLE, row)
            except _psycopg().errors.UniqueViolation as exc:
                msg = f"a snapshot named {row['name']!r} exists already; choose another name"
                raise _NameTakenError(msg) from exc

    def _append_records(self, table: str, records: pd.DataFrame) -> None:
        with self._transaction(table) as cur:
            kinds = _frame_kinds(records)
            if _exists(cur.connection, table):
                _add_missing_columns(cur, table, kinds)
                _add_bump_trigger(cur, table, self.schema)
            else:
                _create_generic_table(cur, table, kinds, self.schema)
            _copy_rows(cur, table, records, kinds)

    @contextlib.contextmanager
    def _transaction(self, table: str) -> Iterator[psycopg.Cursor]:
        """Yield a cursor in one transaction holding the write lock of ``table``."""
        try:
            with self.connect() as conn, conn.transaction(), conn.cursor() as cur:
                self._ensure_meta(cur)
                cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                            [f"trygghetskartan:{self.schema}.{table}"])
                yield cur
        except (TrygghetskartanError, _NameTakenError):
            raise
        except Exception as exc:
            msg = f"writing to {self.location} failed, nothing was changed: {_reason(exc)}"
            raise DataStoreError(msg) from exc

    def _ensure_meta(self, cur: psycopg.Cursor) -> None:
        """Create the state table, its trigger function, the log and the snapshot index once."""
        if self._meta_ready and _exists(cur.connection, STATE_TABLE):
            return
        sql = _sql()
        cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                    [f"trygghetskartan:{self.schema}:meta"])
        if not _exists(cur.connection, STATE_TABLE):
            _create_state(cur, self.schema)
        log_columns = ("at timestamptz NOT NULL, layer text NOT NULL, mode text NOT NULL, "
                       "rows bigint NOT NULL, source text, \"user\" text, note text")
        snapshot_columns = ("name text NOT NULL UNIQUE, \"table\" text NOT NULL UNIQUE, "
                            "created_at timestamptz NOT NULL, rows bigint NOT NULL, params jsonb NOT NULL")
        for table, columns in ((LOG_TABLE, log_columns), (SNAPSHOT_TABLE, snapshot_columns)):
            if not _exists(cur.connection, table):
                cur.execute(sql.SQL("CREATE TABLE {} ({} bigserial PRIMARY KEY, {})").format(
                    sql.Identifier(table), sql.Identifier(_RECORD_KEY), sql.SQL(columns)))
                _add_bump_trigger(cur, table, self.schema)
        self._meta_ready = True


def _create_state(cur: psycopg.Cursor, schema_name: str) -> None:
    """Create the version counter and the trigger function that bumps it."""
    sql = _sql()
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


# -- connection settings ---------------------------------------------------------
def _connection_params(text: str) -> dict[str, str]:
    """Return the libpq parameters: the URL's, then the config file's for what neither it nor PG* set."""
    psycopg = _psycopg()
    try:
        params = psycopg.conninfo.conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        # the parser's message may quote the URL, password included: leave it out
        msg = "the store URL is not a valid postgresql:// URL or libpq connection string"
        raise DataStoreError(msg) from None
    params = {k: str(v) for k, v in params.items() if v is not None}
    for key, value in _config_file_params().items():
        if key not in params and not os.environ.get(CONFIG_KEYS[key]):
            params[key] = value
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        params["connect_timeout"] = str(CONNECT_TIMEOUT_S)
    return params


def _config_file_params() -> dict[str, str]:
    path = os.environ.get(CONFIG_ENV)
    if not path:
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with Path(path).open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error) as exc:
        msg = f"{CONFIG_ENV}={path!r} cannot be read as an INI file: {exc}"
        raise DataStoreError(msg) from exc
    if not parser.has_section(CONFIG_SECTION):
        msg = f"{CONFIG_ENV}={path!r} has no [{CONFIG_SECTION}] section"
        raise DataStoreError(msg)
    values = dict(parser.items(CONFIG_SECTION))
    unknown = sorted(set(values) - set(CONFIG_KEYS))
    if unknown:
        msg = (f"{CONFIG_ENV}={path!r}: unknown keys {unknown} in [{CONFIG_SECTION}]; "
               f"allowed: {', '.join(CONFIG_KEYS)}")
        raise DataStoreError(msg)
    return {k: v for k, v in values.items() if v}


def _display_location(params: dict[str, str]) -> str:
    """Return the store's address for messages, never with the password."""
    def value(key: str, env: str) -> str:
        return params.get(key) or os.environ.get(env, "")

    user, host = quote(value("user", "PGUSER"), safe=""), value("host", "PGHOST")
    port, dbname = value("port", "PGPORT"), quote(value("dbname", "PGDATABASE"), safe="")
    if host.startswith("/"):  # a Unix socket folder goes in the query
        host, socket = "", f"host={quote(host, safe='/')}"
    else:
        socket = ""
    text = "postgresql://" + (f"{user}@" if user else "") + host + (f":{port}" if port else "")
    query = [socket] if socket else []
    if params.get("options"):
        query.append(f"options={quote(params['options'], safe=',-')}")
    return f"{text}/{dbname}" + (f"?{'&'.join(query)}" if query else "")


def _reason(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


def _check_postgis(conn: psycopg.Connection, database: str) -> None:
    psycopg = _psycopg()
    if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error as exc:
        msg = (f"PostGIS is not installed in database {database}: CREATE EXTENSION postgis "
               f"(as a superuser) and try again; creating it failed: {_reason(exc)}")
        raise DataStoreError(msg) from exc


# -- SQL helpers ------------------------------------------------------------------
def _sql() -> Any:
    return _psycopg().sql


def _exists(conn: psycopg.Connection, table: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = %s AND c.relkind IN ('r', 'p')",
        [table]).fetchone()
    return row is not None


def _column_types(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """Map each column of ``table`` to its type name (``text``, ``int8``, ``geometry``...)."""
    rows = conn.execute(
        "SELECT a.attname, t.typname FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE n.nspname = current_schema() AND c.relname = %s AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum", [table]).fetchall()
    return {str(name): str(kind) for name, kind in rows}


_TYPE_NAMES: dict[str, str] = {
    "text": "text", "varchar": "text", "bpchar": "text", "int8": "bigint", "int4": "bigint",
    "int2": "bigint", "float8": "double precision", "float4": "double precision",
    "numeric": "double precision", "bool": "boolean", "timestamptz": "timestamptz",
    "timestamp": "timestamp", "geometry": "geometry", "jsonb": "jsonb", "json": "jsonb",
}


def _generic_columns(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    return [(name, _TYPE_NAMES.get(kind, "text")) for name, kind in _column_types(conn, table).items()
            if name != _RECORD_KEY]


def _epoch_us(expression: Any) -> Any:
    """Return SQL for a timestamp as integer microseconds since 1970 (exact, no float)."""
    return _sql().SQL("(extract(epoch FROM {}) * 1000000)::bigint").format(expression)


def _select(conn: psycopg.Connection, table: str, columns: list[tuple[str, str]], where: list,
            args: list, *, order: str) -> pd.DataFrame:
    """Read ``columns`` (name, kind) of ``table`` into a frame with pandas types.

    The rows come as CSV from ``COPY (SELECT ...) TO STDOUT`` and are parsed
    by pyarrow, which tells a quoted empty string from an unquoted NULL.
    """
    sql = _sql()
    exprs = []
    for name, kind in columns:
        ident = sql.Identifier(name)
        if kind.startswith("missing:"):
            exprs.append(sql.SQL("NULL::{}").format(sql.SQL(kind.removeprefix("missing:"))))
        elif kind in ("timestamptz", "timestamp"):
            exprs.append(_epoch_us(ident))
        elif kind == "geometry":
            exprs.append(sql.SQL("encode(ST_AsBinary({}), 'hex')").format(ident))
        elif kind == "point":  # two exact doubles parse faster than WKB
            exprs.append(sql.SQL("ST_X({0}), ST_Y({0})").format(ident))
        else:
            exprs.append(ident)
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(exprs), sql.Identifier(table))
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    if order in _column_types(conn, table):
        query += sql.SQL(" ORDER BY {}").format(sql.Identifier(order))
    if args:  # COPY takes no parameters: psycopg binds them as literals on the client
        query = sql.SQL(_psycopg().ClientCursor(conn).mogrify(query, args))
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


def _to_geoframe(frame: pd.DataFrame, geometry: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=settings.analysis_crs)


def _geometry_type(spec: LayerSpec) -> str:
    types = set(spec.geometry_types)
    if types <= set(POLYGONS):
        return "MultiPolygon"
    if len(types) == 1:
        return next(iter(types))
    return "Geometry"


def _ensure_layer_table(cur: psycopg.Cursor, spec: LayerSpec, schema: str) -> None:
    """Create the layer's table with typed columns, constraints and indexes (or add new columns)."""
    sql = _sql()
    table = sql.Identifier(spec.name)
    if _exists(cur.connection, spec.name):  # perhaps created by another tool: add what is missing
        _add_missing_columns(cur, spec.name, [(c.name, PG_TYPES[c.dtype]) for c in spec.columns])
        _add_bump_trigger(cur, spec.name, schema)
        return
    columns = [sql.SQL("{} bigserial PRIMARY KEY").format(sql.Identifier(_LAYER_KEY))]
    for column in spec.columns:
        parts = [sql.Identifier(column.name), sql.SQL(PG_TYPES[column.dtype])]
        if column.required:
            parts.append(sql.SQL("NOT NULL"))
        if column.unique:
            parts.append(sql.SQL("UNIQUE"))
        columns.append(sql.SQL(" ").join(parts))
    columns.append(sql.SQL("geom geometry({}, {})").format(
        sql.SQL(_geometry_type(spec)), sql.Literal(_srid())))
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(columns)))
    cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(
        sql.Identifier(f"{spec.name}_geom_gist"), table))
    if spec.time_column:
        cur.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(
            sql.Identifier(f"{spec.name}_{spec.time_column}_idx"), table,
            sql.Identifier(spec.time_column)))
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(
        table, sql.Literal(f"{spec.sv}: {spec.description_sv}")))
    _add_bump_trigger(cur, spec.name, schema)


def _is_bulk(cur: psycopg.Cursor, table: str, rows: int) -> bool:
    """Tell whether rebuilding the GiST index beats updating it: many rows into a table no larger."""
    if rows < BULK_ROWS:
        return False
    query = _sql().SQL("SELECT count(*) FROM {}").format(_sql().Identifier(table))
    return rows >= int(cur.execute(query).fetchone()[0])


@contextlib.contextmanager
def _spatial_index_rebuilt(cur: psycopg.Cursor, table: str, *, bulk: bool) -> Iterator[None]:
    """Drop the layer's GiST index for a bulk write and build it again after, in the same transaction.

    Building the index once over sorted input is several times faster than
    inserting a million points into it one by one. Readers wait for the
    transaction meanwhile (``DROP INDEX`` locks the table).
    """
    if not bulk:
        yield
        return
    sql = _sql()
    name = sql.Identifier(f"{table}_geom_gist")
    cur.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(name))
    yield
    cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(name, sql.Identifier(table)))


def _add_bump_trigger(cur: psycopg.Cursor, table: str, schema: str) -> None:
    """Make every change of ``table`` bump the state version (once per table)."""
    sql = _sql()
    found = cur.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = format('%%I.%%I', "
                        "%s::text, %s::text)::regclass", [BUMP_FUNCTION, schema, table]).fetchone()
    if found:
        return
    cur.execute(sql.SQL(
        "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {} "
        "FOR EACH STATEMENT EXECUTE FUNCTION {}.{}()").format(
            sql.Identifier(BUMP_FUNCTION), sql.Identifier(table), sql.Identifier(schema),
            sql.Identifier(BUMP_FUNCTION)))


def _add_missing_columns(cur: psycopg.Cursor, table: str, kinds: list[tuple[str, str]]) -> None:
    sql = _sql()
    present = _column_types(cur.connection, table)
    for name, kind in kinds:
        if name not in present:
            cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(_ddl_type(kind))))


def _ddl_type(kind: str) -> str:
    return f"geometry(Geometry, {_srid()})" if kind == "geometry" else kind


def _create_generic_table(cur: psycopg.Cursor, table: str, kinds: list[tuple[str, str]],
                          schema: str) -> None:
    sql = _sql()
    columns = [sql.SQL("{} bigserial PRIMARY KEY").format(sql.Identifier(_RECORD_KEY))]
    columns += [sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_ddl_type(kind)))
                for name, kind in kinds]
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), sql.SQL(", ").join(columns)))
    for name, kind in kinds:
        if kind == "geometry":
            cur.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST ({})").format(
                sql.Identifier(f"{table}_{name}_gist"), sql.Identifier(table), sql.Identifier(name)))
    _add_bump_trigger(cur, table, schema)


def _frame_kinds(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Column types of an arbitrary frame (snapshots, product tables)."""
    kinds = []
    for name in frame.columns:
        if not isinstance(name, str) or name == _RECORD_KEY:
            msg = f"column name {name!r} cannot be stored; {_RECORD_KEY!r} is kept by the store"
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


def _promote_polygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy()
    single = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
    if not single.any():
        return frame
    promoted = geoms.copy()
    promoted[single] = shapely.multipolygons(geoms[single], indices=np.arange(int(single.sum())))
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries(promoted, index=frame.index, crs=frame.crs)
    return out


# -- COPY -------------------------------------------------------------------------
def _copy_rows(cur: psycopg.Cursor, table: str, frame: pd.DataFrame, kinds: list[tuple[str, str]],
               *, target_names: list[str] | None = None) -> None:
    """Send the frame's rows to ``table`` with ``COPY ... FROM STDIN`` (CSV by pyarrow)."""
    sql = _sql()
    names = target_names or [name for name, _ in kinds]
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    with cur.copy(statement) as copy:
        for block in _copy_blocks(frame, kinds):
            copy.write(block)


def _copy_blocks(frame: pd.DataFrame, kinds: list[tuple[str, str]]) -> Iterator[bytes]:
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
        geoms = shapely.set_srid(geoms, _srid())
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
    record["order"], record["kind"], record["srid"] = 1, 0x20000001, _srid()
    record["x"], record["y"] = xy[:, 0], xy[:, 1]
    width = 2 * _EWKB_POINT.itemsize
    hexed = np.frombuffer(record.tobytes().hex().encode("ascii"), dtype=f"S{width}")
    return pa.array(hexed, type=pa.binary()).cast(pa.string())


def _insert_row(cur: psycopg.Cursor, table: str, row: dict) -> None:
    sql = _sql()
    names = list(row)
    cur.execute(sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names),
        sql.SQL(", ").join(sql.Placeholder() * len(names))),
        [_plain(row[n]) for n in names])


def _append_log_row(cur: psycopg.Cursor, entry: dict) -> None:
    _insert_row(cur, LOG_TABLE, entry)


def _plain(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.ceil("us").to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _duplicate_error(exc: Exception, frame: pd.DataFrame, source: str) -> ValidationError:
    """Turn a UNIQUE violation (another writer got there first) into the spec's message."""
    detail = getattr(getattr(exc, "diag", None), "message_detail", None) or ""
    found = _UNIQUE_DETAIL.search(detail)
    if found is None:
        return ValidationError([Problem(None, "id", f"a unique value already exists: {_reason(exc)}")],
                               source=source)
    column, value = found["column"].strip('"'), found["value"]
    rows = np.flatnonzero(frame[column].astype(str).to_numpy() == value) if column in frame else []
    row = int(rows[0]) + 1 if len(rows) else None
    label = "id" if column == "id" else column
    return ValidationError([Problem(row, column, f"{label} {value!r} already exists in the store")],
                           source=source)
