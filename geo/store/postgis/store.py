"""The PostGIS backend's store class: the municipality's PostgreSQL + PostGIS as a multi-user store.

Every write is one transaction: the rows and the import log row commit
together or not at all. A transaction-level advisory lock per table
serialises writers of the same table, and the ``UNIQUE`` constraint decides
duplicate ids, so two writers appending at once both arrive and never store
an id twice; a late duplicate is reported as the spec's validation problem.
The tables are described in :mod:`geo.store.postgis.schema`, the row
transfer in :mod:`geo.store.postgis.rows`, the connection settings in
:mod:`geo.store.postgis.connection`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.errors import DataStoreError, TrygghetskartanError, ValidationError
from geo.io.layer_store import WriteMode
from geo.store.base import Store
from geo.store.postgis.connection import (
    check_postgis,
    connection_params,
    display_location,
    error_reason,
    import_psycopg,
    psycopg_sql,
)
from geo.store.postgis.rows import (
    append_log_row,
    copy_rows,
    epoch_us,
    insert_row,
    promote_polygons,
    select_rows,
    to_geoframe,
)
from geo.store.postgis.schema import (
    LAYER_KEY,
    LOG_TABLE,
    PG_TYPES,
    RECORD_KEY,
    SNAPSHOT_TABLE,
    STATE_TABLE,
    add_bump_trigger,
    add_missing_columns,
    analysis_srid,
    column_types,
    create_generic_table,
    create_meta_tables,
    ensure_layer_table,
    frame_kinds,
    generic_columns,
    geometry_type,
    is_bulk,
    spatial_index_rebuilt,
    table_exists,
)
from layers.spec import POLYGONS, LayerSpec
from layers.validate import Problem

if TYPE_CHECKING:
    import psycopg

_UNIQUE_DETAIL = re.compile(r"Key \((?P<column>[^)]+)\)=\((?P<value>.*)\) already exists")


class _NameTakenError(ValueError):
    """Another writer saved a snapshot of the same name first (as the base class says, a ValueError)."""


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
        import_psycopg()
        text = os.environ.get(settings.postgis_dsn_env, "postgresql://") if url is None else url
        self._params = connection_params(text)
        self.location = display_location(self._params)
        self._meta_ready = False
        with self.connect() as conn:
            self.database = str(conn.info.dbname)
            check_postgis(conn, self.database)
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
        psycopg = import_psycopg()
        try:
            return psycopg.connect(**self._params, autocommit=autocommit)
        except psycopg.OperationalError as exc:
            msg = f"cannot connect to {self.location}: {error_reason(exc)}"
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
            if not table_exists(conn, STATE_TABLE):
                return "absent"
            query = psycopg_sql().SQL("SELECT version FROM {}").format(psycopg_sql().Identifier(STATE_TABLE))
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
        sql = psycopg_sql()
        where, args = [], []
        if bbox is not None:
            where.append(sql.SQL("ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, %s))"))
            args.extend([*bbox, analysis_srid()])
        if categories is not None:
            where.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(spec.category_column)))
            args.append(list(categories))
        with self.connect() as conn:
            present = column_types(conn, spec.name)
            types = {c.name: PG_TYPES[c.dtype] for c in spec.columns}
            columns = [(c, types[c] if c in present else f"missing:{types[c]}") for c in spec.column_names]
            geometry = "point" if geometry_type(spec) == "Point" else "geometry"
            frame = select_rows(conn, spec.name, [*columns, ("geom", geometry)], where, args,
                                order=LAYER_KEY)
        return to_geoframe(frame.rename(columns={"geom": "geometry"}), "geometry")

    def _read_table(self, table: str) -> gpd.GeoDataFrame:
        with self.connect() as conn:
            frame = select_rows(conn, table, generic_columns(conn, table), [], [], order=RECORD_KEY)
        geometry = [c for c in frame.columns if isinstance(frame[c].dtype, gpd.array.GeometryDtype)]
        if geometry:
            return to_geoframe(frame, geometry[0])
        return frame

    def _read_records(self, table: str) -> pd.DataFrame:
        return pd.DataFrame(self._read_table(table))

    def _count(self, layer: str) -> int:
        query = psycopg_sql().SQL("SELECT count(*) FROM {}").format(psycopg_sql().Identifier(layer))
        with self.connect() as conn:
            return int(conn.execute(query).fetchone()[0])

    def _bounds(self, layer: str) -> tuple[float, float, float, float] | None:
        query = psycopg_sql().SQL(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(geom) AS e FROM {}) AS s").format(psycopg_sql().Identifier(layer))
        with self.connect() as conn:
            row = conn.execute(query).fetchone()
        if row is None or row[0] is None:
            return None
        return tuple(float(v) for v in row)  # type: ignore[return-value]

    def _time_span(self, spec: LayerSpec) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        column = psycopg_sql().Identifier(spec.time_column)
        query = psycopg_sql().SQL("SELECT {}, {} FROM {}").format(
            epoch_us(psycopg_sql().SQL("min({})").format(column)),
            epoch_us(psycopg_sql().SQL("max({})").format(column)), psycopg_sql().Identifier(spec.name))
        with self.connect() as conn:
            low, high = conn.execute(query).fetchone()
        if low is None:
            return None
        local = pd.to_datetime([low, high], unit="us", utc=True).tz_convert(settings.timezone)
        return local[0], local[1]

    def _ids(self, layer: str) -> set[str]:
        query = psycopg_sql().SQL("SELECT id FROM {}").format(psycopg_sql().Identifier(layer))
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
            return select_rows(conn, SNAPSHOT_TABLE, columns, [], [], order=RECORD_KEY)

    # -- writing ----------------------------------------------------------------
    def _write_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, *, mode: WriteMode, log_entry: dict
    ) -> None:
        sql = psycopg_sql()
        with self._transaction(spec.name) as cur:
            ensure_layer_table(cur, spec, self.schema)
            if mode == "replace":
                cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(spec.name)))
            data = promote_polygons(frame) if set(spec.geometry_types) <= set(POLYGONS) else frame
            kinds = [(c.name, PG_TYPES[c.dtype]) for c in spec.columns]
            with spatial_index_rebuilt(cur, spec.name, bulk=is_bulk(cur, spec.name, len(data))):
                try:
                    copy_rows(cur, spec.name, data, [*kinds, (data.geometry.name, "geometry")],
                              target_names=[*spec.column_names, "geom"])
                except import_psycopg().errors.UniqueViolation as exc:
                    raise _duplicate_error(exc, data, log_entry["source"] or spec.name) from exc
            append_log_row(cur, log_entry)

    def _write_snapshot(self, table: str, frame: gpd.GeoDataFrame, row: dict) -> None:
        with self._transaction(table) as cur:
            if table_exists(cur.connection, table):
                msg = f"table {table!r} exists already in {self.location}; choose another snapshot name"
                raise DataStoreError(msg)
            kinds = frame_kinds(frame)
            create_generic_table(cur, table, kinds, self.schema)
            copy_rows(cur, table, frame, kinds)
            try:
                insert_row(cur, SNAPSHOT_TABLE, row)
            except import_psycopg().errors.UniqueViolation as exc:
                msg = f"a snapshot named {row['name']!r} exists already; choose another name"
                raise _NameTakenError(msg) from exc

    def _append_records(self, table: str, records: pd.DataFrame) -> None:
        with self._transaction(table) as cur:
            kinds = frame_kinds(records)
            if table_exists(cur.connection, table):
                add_missing_columns(cur, table, kinds)
                add_bump_trigger(cur, table, self.schema)
            else:
                create_generic_table(cur, table, kinds, self.schema)
            copy_rows(cur, table, records, kinds)

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
            msg = f"writing to {self.location} failed, nothing was changed: {error_reason(exc)}"
            raise DataStoreError(msg) from exc

    def _ensure_meta(self, cur: psycopg.Cursor) -> None:
        """Create the state table, its trigger function, the log and the snapshot index once."""
        if self._meta_ready and table_exists(cur.connection, STATE_TABLE):
            return
        create_meta_tables(cur, self.schema)
        self._meta_ready = True


def _duplicate_error(exc: Exception, frame: pd.DataFrame, source: str) -> ValidationError:
    """Turn a UNIQUE violation (another writer got there first) into the spec's message."""
    detail = getattr(getattr(exc, "diag", None), "message_detail", None) or ""
    found = _UNIQUE_DETAIL.search(detail)
    if found is None:
        return ValidationError([Problem(None, "id", f"a unique value already exists: {error_reason(exc)}")],
                               source=source)
    column, value = found["column"].strip('"'), found["value"]
    rows = np.flatnonzero(frame[column].astype(str).to_numpy() == value) if column in frame else []
    row = int(rows[0]) + 1 if len(rows) else None
    label = "id" if column == "id" else column
    return ValidationError([Problem(row, column, f"{label} {value!r} already exists in the store")],
                           source=source)
