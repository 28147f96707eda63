"""A whole lägesbild's incident figures in PostGIS, so that no incident is read into Python.

:func:`geo.privacy.compute_lagesbild` calls these functions when
:func:`geo.analysis.prepared.prepare` left the incidents in the database. Every
figure equals the in-memory path because the SQL applies the same rules as
:mod:`geo.analysis.sql.counts` (period, hours and weekdays in local time,
categories, protected categories only for the ``protected`` audience,
located incidents only) and the same unit assignment (grid cells by floor
division, areas by ``ST_Intersects`` with the first area in the units'
order winning). Per unit:

- :func:`unit_aggregates`: incidents in the period and the previous period,
  those of the period inside the camera cover (the union of the view
  sectors, sent as WKB), the kommun-level incidents of the period, and the
  darkness over the incidents of the period and the counted unsafe places
  (their distances known in Python, sent as arrays): per unit the count,
  the count beyond the threshold and the one or two middle values for an
  exact median (the mean of the two middle values for an even count, as
  numpy's median). An incident's distance to the nearest working lamp of
  the ``lighting`` table comes from a KNN probe (``ORDER BY l.geom <->
  i.geom LIMIT 1``) for a few incidents, and for many from a hash join
  on cells a little larger than the dark threshold, with KNN probes only
  where the median needs the distance of a dark incident (see
  :func:`_nearest_hash_sql`); both give the same distances;
- :func:`quarter_counts`: incidents per unit and local calendar quarter
  (emerging hot spots);
- :func:`incident_summary`: rows, first and last time, located rows.

:func:`unit_aggregates` runs its queries in one read-only ``REPEATABLE
READ`` transaction, so all figures come from the same snapshot, with the
settings of :data:`SESSION_SETTINGS` for that transaction only. Values are
query parameters; table names are quoted with :mod:`psycopg.sql`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import LOCATED_PRECISIONS, IncidentSummary, UnitAggregates
from geo.analysis.sql.counts import INCIDENTS, _as_datetime, _check_request, _selection, _sql
from geo.analysis.units import GRID_SIZE_OF

if TYPE_CHECKING:
    from geo.store.postgis import PostGISStore

LIGHTING = "lighting"
#: The lamp status that lights (as :func:`geo.analysis.indicators.darkness.working_lamps`).
WORKING = "working"
#: The hash join is used from this many incidents per working lamp on; below, every incident
#: gets a KNN probe (listing every lamp in nine cells costs more than probing for a few).
HASH_JOIN_MIN_RATIO = 0.5
#: Settings of the lägesbild's transaction: JIT compilation costs more than it saves on these
#: queries; hashes and sorts of a million rows should not spill to disk; and the joins of many
#: rows must be hash joins even when the planner, without statistics (a table just loaded),
#: expects a handful of rows (the lateral joins, areas and KNN, stay nested loops).
SESSION_SETTINGS: dict[str, str] = {"jit": "off", "work_mem": "128MB", "enable_nestloop": "off"}
#: Grid cell keys in SQL and here: corner x * this + corner y (northings stay below 10,000 km).
_KEY_FACTOR = 10_000_000


@dataclass(frozen=True)
class _UnitKeys:
    """How SQL tells an incident's unit: a key per unit and an incident source that carries it.

    ``source`` is a subquery aliased ``i`` with the incident columns the
    lägesbild uses and ``key``: for grids the cell corner code (computed,
    no join), for areas the unit position (first area that intersects);
    NULL for an incident without a geometry, not located (exact or street)
    or (areas) outside every area. :meth:`positions` turns keys back into
    unit positions.
    """

    ctes: list
    cte_args: list
    source: Any
    source_args: list
    keys: np.ndarray

    def positions(self, keys: np.ndarray) -> np.ndarray:
        """Return the unit position of each key (-1 for a key of no unit)."""
        keys = np.asarray(keys, dtype=np.int64)
        if len(self.keys) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        order = np.argsort(self.keys)
        found = np.clip(np.searchsorted(self.keys[order], keys), 0, len(order) - 1)
        return np.where(self.keys[order][found] == keys, order[found], -1)

    def with_ctes(self, *more: Any) -> Any:
        """Return ``WITH`` and the units' CTEs followed by ``more`` (for a query's head)."""
        sql = _sql()
        parts = [*self.ctes, *more]
        if not parts:
            return sql.SQL("")
        return sql.SQL("WITH ") + sql.SQL(", ").join(parts)


def unit_aggregates(
    store: PostGISStore,
    params: LagesbildParams,
    units: gpd.GeoDataFrame,
    *,
    unit: str,
    camera_cover: shapely.Geometry | None = None,
    extra_dark_pos: np.ndarray | None = None,
    extra_dark_distance: np.ndarray | None = None,
    dark_threshold_m: float = 50.0,
) -> UnitAggregates:
    """Aggregate the lägesbild's incident figures per unit in PostGIS.

    Parameters
    ----------
    store : PostGISStore
        The store holding the incidents (and the lighting).
    params : LagesbildParams
        Period (and its previous period), hours, weekdays, categories and
        audience.
    units : geopandas.GeoDataFrame
        From :func:`geo.analysis.units.build_units`, in EPSG:3006.
    unit : {"grid250", "grid1000", "areas"}
        The kind of ``units``.
    camera_cover : shapely.Geometry, optional
        The union of the camera view sectors (in EPSG:3006); none when
        omitted.
    extra_dark_pos, extra_dark_distance : numpy.ndarray, optional
        Further points for the darkness figures (the counted unsafe places):
        their unit positions (0-based, inside a unit) and their distances to
        the nearest working lamp (not NaN).
    dark_threshold_m : float, default 50.0
        A point farther than this from a working lamp is dark.

    Returns
    -------
    UnitAggregates
        One value per row of ``units`` for every array, in their order; the
        darkness figures are NaN for a unit with no point; the summary of
        the whole incidents layer.

    Raises
    ------
    TypeError
        If ``store`` is not a PostGIS store.
    ValueError
        If ``unit`` is unknown, ``units`` lacks the columns it needs, the
        extra darkness arrays differ in length or lie outside the units, or
        the threshold is negative.
    CRSError
        If ``units`` has no CRS or a geographic one.
    DataStoreError
        If the database cannot be reached.

    Examples
    --------
    >>> from geo.store import open_store
    >>> store = open_store("postgresql://gis@db/trygghet")  # doctest: +SKIP
    >>> agg = unit_aggregates(store, params, units, unit="grid250")  # doctest: +SKIP
    >>> int(agg.current.sum()), agg.kommun_level  # doctest: +SKIP
    (412, 3)
    """
    _check_request(store, units, unit)
    n = len(units)
    extra_pos, extra_dist = _extra_points(extra_dark_pos, extra_dark_distance, n)
    threshold = float(dark_threshold_m)
    if not (np.isfinite(threshold) and threshold >= 0):
        msg = f"dark_threshold_m={dark_threshold_m!r} must be a distance of 0 m or more"
        raise ValueError(msg)
    tables = set(store._list_tables())
    has_incidents = INCIDENTS in tables and n > 0
    keys = _unit_keys(units, unit)
    current, previous, in_camera = (np.zeros(n, dtype=np.int64) for _ in range(3))
    kommun_level = 0
    with _snapshot(store) as conn:
        summary = _summary(conn) if INCIDENTS in tables else IncidentSummary(0, None, None, 0)
        if has_incidents:
            current, previous, in_camera, kommun_level = _period_counts(conn, params, keys, camera_cover, n)
        lamps = _working_lamp_count(conn, tables)
        nearest = "none" if lamps == 0 else (
            "hash" if current.sum() >= HASH_JOIN_MIN_RATIO * lamps else "knn")
        median, share = _darkness(conn, params, keys, n, keys.keys[extra_pos].tolist(), extra_dist, threshold,
                                  nearest=nearest, with_incidents=has_incidents)
    return UnitAggregates(current=current, previous=previous, in_camera=in_camera, dark_median_m=median,
                          dark_share_far=share, kommun_level=kommun_level, summary=summary)


def quarter_counts(store: PostGISStore, params: LagesbildParams, units: gpd.GeoDataFrame, *, unit: str,
                   first: int, last: int) -> np.ndarray:
    """Count the selected, located incidents per unit and local calendar quarter in PostGIS.

    Parameters
    ----------
    store : PostGISStore
        The store holding the incidents.
    params : LagesbildParams
        Hours, weekdays, categories and audience (the period is given by
        ``first`` and ``last``).
    units : geopandas.GeoDataFrame
        From :func:`geo.analysis.units.build_units`, in EPSG:3006.
    unit : {"grid250", "grid1000", "areas"}
        The kind of ``units``.
    first, last : int
        The first and last quarter counted, as ``year * 4 + quarter - 1``
        in Europe/Stockholm time.

    Returns
    -------
    numpy.ndarray of int64, shape (len(units), last - first + 1)
        Counts, zeros kept.

    Raises
    ------
    TypeError
        If ``store`` is not a PostGIS store.
    ValueError
        If ``unit`` is unknown, ``units`` lacks the columns it needs, or
        ``last < first``.
    DataStoreError
        If the database cannot be reached.
    """
    _check_request(store, units, unit)
    if last < first:
        msg = f"last quarter {last} is before the first {first}"
        raise ValueError(msg)
    n, q = len(units), last - first + 1
    counts = np.zeros((n, q), dtype=np.int64)
    if n == 0 or INCIDENTS not in store._list_tables():
        return counts
    sql = _sql()
    keys = _unit_keys(units, unit)
    selection, selection_args = _selection(params)
    local = sql.SQL("(i.occurred_at AT TIME ZONE %s)")
    query = keys.with_ctes() + sql.SQL(
        " SELECT i.key, (extract(year FROM {local}) * 4 + extract(quarter FROM {local}) - 1)::int, "
        "count(*) FROM {source} WHERE {selection} AND i.occurred_at >= %s AND i.occurred_at < %s "
        "AND i.key IS NOT NULL GROUP BY 1, 2").format(local=local, source=keys.source, selection=selection)
    args = [*keys.cte_args, settings.timezone, settings.timezone, *keys.source_args, *selection_args,
            _as_datetime(_quarter_start(first)), _as_datetime(_quarter_start(last + 1))]
    with _snapshot(store) as conn:
        rows = np.array(conn.execute(query, args).fetchall(), dtype=np.int64).reshape(-1, 3)
    pos = keys.positions(rows[:, 0])
    keep = (pos >= 0) & (rows[:, 1] >= first) & (rows[:, 1] <= last)
    np.add.at(counts, (pos[keep], rows[keep, 1] - first), rows[keep, 2])
    return counts


def incident_summary(store: PostGISStore) -> IncidentSummary:
    """Summarise the stored incidents (rows, first and last time, located rows) in SQL.

    Parameters
    ----------
    store : PostGISStore
        The store.

    Returns
    -------
    IncidentSummary
        Zero rows when the store has no incidents table.

    Raises
    ------
    DataStoreError
        If the database cannot be reached.
    """
    if INCIDENTS not in store._list_tables():
        return IncidentSummary(0, None, None, 0)
    with store.connect() as conn:
        return _summary(conn)


# -- queries ------------------------------------------------------------------------
@contextlib.contextmanager
def _snapshot(store: PostGISStore) -> Iterator[Any]:
    """Yield a connection in a read-only REPEATABLE READ transaction (one snapshot), tuned for the queries."""
    import psycopg

    with store.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            for name, value in SESSION_SETTINGS.items():
                conn.execute("SELECT set_config(%s, %s, true)", [name, value])
            yield conn


def _summary(conn: Any) -> IncidentSummary:
    sql = _sql()
    query = sql.SQL(
        "SELECT count(*), min(i.occurred_at), max(i.occurred_at), "
        "count(*) FILTER (WHERE i.location_precision = ANY(%s)) FROM {} AS i").format(
            sql.Identifier(INCIDENTS))
    rows, first, last, located = conn.execute(query, [list(LOCATED_PRECISIONS)]).fetchone()
    return IncidentSummary(int(rows), _local(first), _local(last), int(located))


def _local(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    return pd.Timestamp(value).tz_convert(settings.timezone)


def _unit_keys(units: gpd.GeoDataFrame, unit: str) -> _UnitKeys:
    """Return the incident source with each incident's unit key (see :class:`_UnitKeys`)."""
    sql = _sql()
    columns = sql.SQL("i.occurred_at, i.category, i.location_precision, i.geom")
    located = sql.SQL("coalesce(i.location_precision = ANY(%s), false)")
    incidents = sql.Identifier(INCIDENTS)
    if unit in GRID_SIZE_OF:
        step = float(GRID_SIZE_OF[unit])
        # the cell corner as in geo.analysis.units.locate_points: floor division (a point on a border goes to
        # the cell to its upper right); a cell of no unit (outside the kommun) is dropped later
        source = sql.SQL(
            "(SELECT {columns}, CASE WHEN {located} THEN (floor(ST_X(i.geom) / %s) * %s)::bigint * %s "
            "+ (floor(ST_Y(i.geom) / %s) * %s)::bigint END AS key FROM {incidents} AS i) AS i").format(
                columns=columns, located=located, incidents=incidents)
        source_args = [list(LOCATED_PRECISIONS), step, step, _KEY_FACTOR, step, step]
        keys = (units["cell_x"].to_numpy(np.int64) * _KEY_FACTOR + units["cell_y"].to_numpy(np.int64))
        return _UnitKeys([], [], source, source_args, keys)
    polygons = [shapely.to_wkb(g) if g is not None else None for g in units.geometry.to_numpy()]
    # parsed once (MATERIALIZED), so PostGIS reuses each prepared polygon; the first area in the
    # units' order that holds an incident wins (as geo.analysis.units.locate_points)
    cte = sql.SQL("unit_areas AS MATERIALIZED (SELECT (a.n - 1)::bigint AS pos, "
                  "ST_GeomFromWKB(a.wkb, %s) AS g FROM unnest(%s::bytea[]) WITH ORDINALITY AS a(wkb, n) "
                  "WHERE a.wkb IS NOT NULL)")
    source = sql.SQL(
        "(SELECT {columns}, u.pos AS key FROM {incidents} AS i CROSS JOIN LATERAL (SELECT min(a.pos) AS pos "
        "FROM unit_areas AS a WHERE {located} AND ST_Intersects(a.g, i.geom)) AS u) AS i").format(
            columns=columns, located=located, incidents=incidents)
    return _UnitKeys([cte], [_srid(), polygons], source, [list(LOCATED_PRECISIONS)],
                     np.arange(len(units), dtype=np.int64))


def _period_counts(conn: Any, params: LagesbildParams, keys: _UnitKeys, cover: shapely.Geometry | None,
                   n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Count per unit: the period, the previous period, inside the cover; and the kommun-level ones."""
    sql = _sql()
    selection, selection_args = _selection(params)
    prev_start, prev_end = params.previous
    period = [_as_datetime(params.start), _as_datetime(params.end)]
    previous = [_as_datetime(prev_start), _as_datetime(prev_end)]
    query = keys.with_ctes() + sql.SQL(
        " SELECT s.key, count(*) FILTER (WHERE s.cur), count(*) FILTER (WHERE s.prev), "
        "count(*) FILTER (WHERE s.cur AND s.key IS NOT NULL "
        "AND ST_Intersects(ST_GeomFromWKB(%s::bytea, %s), s.geom)), "
        "count(*) FILTER (WHERE s.cur AND NOT s.located) "
        "FROM (SELECT i.key, i.geom, (i.occurred_at >= %s AND i.occurred_at < %s) AS cur, "
        "(i.occurred_at >= %s AND i.occurred_at < %s) AS prev, "
        "coalesce(i.location_precision = ANY(%s), false) AS located FROM {source} WHERE {selection} "
        "AND ((i.occurred_at >= %s AND i.occurred_at < %s) OR (i.occurred_at >= %s AND i.occurred_at < %s))"
        ") AS s GROUP BY s.key").format(source=keys.source, selection=selection)
    cover_wkb = shapely.to_wkb(cover) if cover is not None and not cover.is_empty else None
    args = [*keys.cte_args, cover_wkb, _srid(), *period, *previous, list(LOCATED_PRECISIONS),
            *keys.source_args, *selection_args, *period, *previous]
    rows = conn.execute(query, args).fetchall()
    kommun_level = sum(int(r[4]) for r in rows)
    table = np.array([r[:4] for r in rows if r[0] is not None], dtype=np.int64).reshape(-1, 4)
    pos = keys.positions(table[:, 0])
    inside = pos >= 0
    out = []
    for column in (1, 2, 3):
        counts = np.zeros(n, dtype=np.int64)
        np.add.at(counts, pos[inside], table[inside, column])
        out.append(counts)
    return out[0], out[1], out[2], kommun_level


def _darkness(conn: Any, params: LagesbildParams, keys: _UnitKeys, n: int, extra_keys: list,
              extra_dist: list, threshold: float, *, nearest: str,
              with_incidents: bool) -> tuple[np.ndarray, np.ndarray]:
    """Median distance to a working lamp and share beyond the threshold per unit.

    The points are the selected, located incidents of the period in a unit
    (if ``with_incidents``) and the extra points (their unit keys and
    distances). ``nearest`` says how an incident's nearest working lamp is
    found: ``"none"`` (no lamp works: every incident is infinitely far, as
    :func:`geo.analysis.nearest.nearest_distance`), ``"knn"`` (a KNN probe
    each) or ``"hash"`` (:func:`_nearest_hash_sql`).

    Per unit the query returns the point count, the dark count and the one
    or two middle values (ranks ``(n + 1) // 2`` and ``n // 2 + 1``); the
    median is their mean, as numpy's.
    """
    sql = _sql()
    median, share = np.full(n, np.nan), np.full(n, np.nan)
    if n == 0:
        return median, share
    extra = sql.SQL("SELECT e.key, e.dist, e.dist > %s AS far FROM unnest(%s::bigint[], %s::float8[]) "
                    "AS e(key, dist)")
    extra_args = [threshold, extra_keys, extra_dist]
    if not with_incidents:
        head, args = sql.SQL("WITH d AS ({})").format(extra), extra_args
    else:
        selection, selection_args = _selection(params)
        points = sql.SQL("p AS (SELECT i.key, i.geom FROM {source} WHERE {selection} AND i.occurred_at >= %s "
                         "AND i.occurred_at < %s AND i.key IS NOT NULL)").format(source=keys.source,
                                                                                 selection=selection)
        args = [*keys.cte_args, *keys.source_args, *selection_args, _as_datetime(params.start),
                _as_datetime(params.end)]
        if nearest == "hash":
            more, more_args = _nearest_hash_sql(_near_cell(threshold), threshold, extra, extra_args)
        elif nearest == "knn":
            more = [sql.SQL("d AS (SELECT p.key, coalesce(k.dist, 'Infinity'::float8) AS dist, "
                            "coalesce(k.dist, 'Infinity'::float8) > %s AS far FROM p {knn} "
                            "UNION ALL {extra})").format(knn=_knn_sql(), extra=extra)]
            more_args = [threshold, WORKING, *extra_args]
        else:
            more = [sql.SQL("d AS (SELECT p.key, 'Infinity'::float8 AS dist, true AS far FROM p "
                            "UNION ALL {})").format(extra)]
            more_args = extra_args
        head = keys.with_ctes(points, *more)
        args += more_args
    query = head + sql.SQL(
        " , r AS (SELECT d.key, d.dist, row_number() OVER w AS rn, count(*) OVER p AS n, "
        "count(*) FILTER (WHERE d.far) OVER p AS far FROM d "
        "WINDOW p AS (PARTITION BY d.key), w AS (PARTITION BY d.key ORDER BY d.dist)) "
        "SELECT r.key, r.n, r.far, r.rn, r.dist FROM r WHERE r.rn = (r.n + 1) / 2 OR r.rn = r.n / 2 + 1")
    rows = conn.execute(query, args).fetchall()
    if not rows:
        return median, share
    key = np.array([r[0] for r in rows], dtype=np.int64)
    count, far, rank = (np.array([r[i] for r in rows], dtype=np.int64) for i in (1, 2, 3))
    dist = np.array([r[4] for r in rows], dtype=float)
    pos = keys.positions(key)
    ok = pos >= 0
    pos, count, far, rank, dist = pos[ok], count[ok], far[ok], rank[ok], dist[ok]
    share[pos] = far / count
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    is_low, is_high = rank == (count + 1) // 2, rank == count // 2 + 1
    low[pos[is_low]] = dist[is_low]
    high[pos[is_high]] = dist[is_high]
    counts = np.zeros(n, dtype=np.int64)
    counts[pos] = count
    odd, even = counts % 2 == 1, (counts > 0) & (counts % 2 == 0)
    median[odd] = low[odd]
    median[even] = (low[even] + high[even]) / 2.0
    return median, share


def _near_cell(threshold: float) -> float:
    """Cell size of the hash join: every lamp within the threshold (plus 1 m) of an incident is listed."""
    return max(threshold, 9.0) + 1.0


def _nearest_hash_sql(cell: float, threshold: float, extra: Any, extra_args: list) -> tuple[list, list]:
    """Return the CTEs after ``p`` (the incidents) ending in ``d`` (key, dist, far), for many incidents.

    A KNN probe of the GiST index costs tens of microseconds per incident.
    Instead every working lamp is listed in its ``cell`` and the eight
    around it, the lamps listed in a cell are collected into one
    multipoint, and an incident's distance to the multipoint of its cell
    (``near``, the distance to the nearest listed lamp: ``ST_Distance`` of
    a point and a multipoint is the least point-to-point distance) comes by
    a hash join on the cell numbers. Every lamp within ``cell - 0.001`` m
    of the incident is listed (the millimetre covers rounding in the cell
    numbers), and ``cell`` exceeds the threshold, so:

    - ``near`` below ``cell - 0.001`` is the exact nearest distance;
    - the incident is dark exactly when ``near`` is above the threshold or
      missing;
    - the points of a unit that are not dark all come before the dark ones,
      so where the middle ranks fall among them the median needs no other
      distance. Only the dark incidents without an exact distance in the
      other units (``need``) get a KNN probe; the rest keep ``Infinity``,
      which no middle rank reaches.
    """
    sql = _sql()
    ctes = [
        sql.SQL("cells AS MATERIALIZED (SELECT m.gx, m.gy, ST_Collect(m.geom) AS lamps FROM "
                "(SELECT l.geom, floor(ST_X(l.geom) / %s)::bigint + o.dx AS gx, "
                "floor(ST_Y(l.geom) / %s)::bigint + o.dy AS gy FROM {} AS l CROSS JOIN (VALUES (-1, -1), "
                "(-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)) AS o(dx, dy) "
                "WHERE {}) AS m GROUP BY m.gx, m.gy)").format(sql.Identifier(LIGHTING), _working()),
        sql.SQL("d0 AS MATERIALIZED (SELECT q.key, CASE WHEN q.near < %s THEN q.near END AS dist, "
                "(q.near IS NULL OR q.near > %s) AS far, "
                "CASE WHEN q.near IS NULL OR q.near >= %s THEN q.geom END AS geom "
                "FROM (SELECT p.key, p.geom, ST_Distance(p.geom, c.lamps) AS near FROM p "
                "LEFT JOIN cells AS c ON c.gx = floor(ST_X(p.geom) / %s)::bigint "
                "AND c.gy = floor(ST_Y(p.geom) / %s)::bigint) AS q "
                "UNION ALL SELECT x.key, x.dist, x.far, NULL::geometry FROM ({}) AS x)").format(extra),
        sql.SQL("need AS (SELECT d0.key FROM d0 GROUP BY d0.key "
                "HAVING count(*) / 2 + 1 > count(*) FILTER (WHERE NOT d0.far))"),
        sql.SQL("d AS (SELECT d0.key, coalesce(d0.dist, k.dist, 'Infinity'::float8) AS dist, d0.far FROM d0 "
                "LEFT JOIN need ON need.key = d0.key AND d0.geom IS NOT NULL {})").format(
                    _knn_sql(of="d0.geom", only_if="need.key IS NOT NULL")),
    ]
    exact_below = cell - 0.001
    return ctes, [cell, cell, WORKING, exact_below, threshold, exact_below, cell, cell, *extra_args, WORKING]


def _knn_sql(of: str = "p.geom", only_if: str | None = None) -> Any:
    """Return a lateral join giving ``k.dist``, the distance from ``of`` to the nearest working lamp.

    For points ``<->`` is the exact 2D distance (``ST_Distance``), and the
    GiST index orders by it (PostGIS 2.2 and later). ``only_if`` (SQL on
    the outer row) skips the probe where false (``k.dist`` is NULL).
    """
    sql = _sql()
    geom = sql.SQL(of)
    gate = sql.SQL(f"({only_if}) AND ") if only_if else sql.SQL("")
    return sql.SQL("LEFT JOIN LATERAL (SELECT l.geom <-> {geom} AS dist FROM {lighting} AS l "
                   "WHERE {gate}{working} ORDER BY l.geom <-> {geom} LIMIT 1) AS k ON true").format(
                       geom=geom, lighting=sql.Identifier(LIGHTING), gate=gate, working=_working())


def _working() -> Any:
    """Return the condition on working lamps with a position (alias ``l``, argument :data:`WORKING`)."""
    return _sql().SQL("l.status = %s AND l.geom IS NOT NULL AND NOT ST_IsEmpty(l.geom)")


def _working_lamp_count(conn: Any, tables: set[str]) -> int:
    """Return the number of working lamps with a position (0 without a lighting table or status)."""
    if LIGHTING not in tables:
        return 0
    found = conn.execute(
        "SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
        "AND c.relname = %s AND a.attname = 'status' AND NOT a.attisdropped", [LIGHTING]).fetchone()
    if found is None:
        return 0
    sql = _sql()
    query = sql.SQL("SELECT count(*) FROM {} AS l WHERE {}").format(sql.Identifier(LIGHTING), _working())
    return int(conn.execute(query, [WORKING]).fetchone()[0])


def _extra_points(pos: np.ndarray | None, dist: np.ndarray | None, n: int) -> tuple[np.ndarray, list]:
    positions = np.asarray([] if pos is None else pos, dtype=np.int64)
    distances = np.asarray([] if dist is None else dist, dtype=float)
    if positions.shape != distances.shape or positions.ndim != 1:
        msg = (f"extra_dark_pos and extra_dark_distance must be 1-d of one length; got {positions.shape} "
               f"and {distances.shape}")
        raise ValueError(msg)
    if len(positions) and (positions.min() < 0 or positions.max() >= n or np.isnan(distances).any()):
        msg = "extra darkness points must lie in a unit (0 <= position < len(units)) and have a distance"
        raise ValueError(msg)
    return positions, distances.tolist()


def _quarter_start(key: int) -> pd.Timestamp:
    """Local start of quarter ``key`` (``year * 4 + quarter - 1``)."""
    return pd.Timestamp(year=key // 4, month=(key % 4) * 3 + 1, day=1, tz=settings.timezone)


def _srid() -> int:
    return int(settings.analysis_crs.split(":")[1])
