"""The heavy part of the lägesbild in the database: incidents counted per unit in SQL.

For a county's ten years of incidents, loading every point into Python to
count it is the slow part of a lägesbild. :func:`count_incidents_in_db`
sends the filters to PostGIS and gets back one row per occupied cell (or
per area), so only the counts cross the wire. The result equals the
in-memory path (:func:`geo.analysis.prepared.prepare` then
:func:`geo.analysis.indicators.counts.count_by_unit`) because the SQL applies the
same rules:

- the period ``[start, end)`` on ``occurred_at``;
- the hours window and the weekdays on local time
  (``occurred_at AT TIME ZONE 'Europe/Stockholm'``; PostgreSQL's ``isodow``
  is 1 = Monday, ours 0 = Monday), a window may cross midnight;
- the chosen categories, and protected categories only for the
  ``protected`` audience;
- only incidents located exactly or to the street
  (:data:`geo.analysis.prepared.LOCATED_PRECISIONS`);
- grid cells by floor division of the coordinates (a point on a border
  goes to the cell to its upper right), areas by ``ST_Intersects`` with the
  first area in the units' order winning on shared borders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import LOCATED_PRECISIONS
from geo.analysis.units import GRID_SIZE_OF, check_unit_kind
from geo.crs import require_projected
from layers import get_spec

if TYPE_CHECKING:
    from geo.store.postgis import PostGISStore

INCIDENTS = "incidents"


def count_incidents_in_db(
    store: PostGISStore,
    params: LagesbildParams,
    units: gpd.GeoDataFrame,
    *,
    unit: str,
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> np.ndarray:
    """Count the lägesbild's incidents per unit in PostGIS.

    Parameters
    ----------
    store : PostGISStore
        The store holding the incidents.
    params : LagesbildParams
        Period, hours, weekdays, categories and audience.
    units : geopandas.GeoDataFrame
        From :func:`geo.analysis.units.build_units` (grids need ``cell_x`` and
        ``cell_y``, areas their polygons), in EPSG:3006.
    unit : {"grid250", "grid1000", "areas"}
        The kind of ``units``.
    period : tuple of pandas.Timestamp, optional
        Another period ``[start, end)`` than the parameters' (e.g.
        ``params.previous``).

    Returns
    -------
    numpy.ndarray of int64
        One count per row of ``units``, in their order; zeros kept.

    Raises
    ------
    TypeError
        If ``store`` is not a PostGIS store.
    ValueError
        If ``unit`` is unknown or ``units`` lacks the columns it needs.
    CRSError
        If ``units`` has no CRS or a geographic one.
    DataStoreError
        If the database cannot be reached.

    Examples
    --------
    >>> from geo.store import open_store
    >>> store = open_store("postgresql://gis@db/trygghet")  # doctest: +SKIP
    >>> params = LagesbildParams.from_text(date_from="2026-01-01", date_to="2026-03-31",
    ...                                    hours="22-05")
    >>> count_incidents_in_db(store, params, units, unit="grid250").sum()  # doctest: +SKIP
    412
    """
    _check_request(store, units, unit)
    start, end = period if period is not None else (params.start, params.end)
    if INCIDENTS not in store._list_tables() or len(units) == 0:
        return np.zeros(len(units), dtype=np.int64)
    where, args = _filters(params, start, end)
    with store.connect() as conn:
        if unit in GRID_SIZE_OF:
            return _count_grid(conn, units, GRID_SIZE_OF[unit], where, args)
        return _count_areas(conn, units, where, args)


def _check_request(store: object, units: gpd.GeoDataFrame, unit: str) -> None:
    """Refuse a store that is not PostGIS, an unknown unit kind or units that do not fit it."""
    from geo.store.postgis import PostGISStore

    if not isinstance(store, PostGISStore):
        msg = f"store must be a PostGISStore for counting in the database, got {type(store).__name__}"
        raise TypeError(msg)
    check_unit_kind(unit)
    require_projected(units, name="units")
    if unit in GRID_SIZE_OF and not {"cell_x", "cell_y"} <= set(units.columns):
        msg = f"unit={unit!r} needs grid units with cell_x and cell_y columns (from build_units)"
        raise ValueError(msg)


def _sql() -> Any:
    from psycopg import sql

    return sql


def _filters(params: LagesbildParams, start: pd.Timestamp, end: pd.Timestamp) -> tuple[Any, list]:
    """Return the WHERE clause (on alias ``i``) of the counted incidents and its arguments.

    The period ``[start, end)``, a geometry, a located precision and
    :func:`_selection`.
    """
    sql = _sql()
    selection, selection_args = _selection(params)
    # Stored times are microseconds: t >= s exactly when t >= s rounded up to a microsecond.
    where = sql.SQL("i.geom IS NOT NULL AND i.occurred_at >= %s AND i.occurred_at < %s "
                    "AND i.location_precision = ANY(%s) AND {}").format(selection)
    return where, [_as_datetime(start), _as_datetime(end), list(LOCATED_PRECISIONS), *selection_args]


def _selection(params: LagesbildParams) -> tuple[Any, list]:
    """Return the user's selection (hours, weekdays, categories, protection) on alias ``i``.

    Not the period and not the location precision, so the kommun-level
    incidents and other periods can be counted with the same rule.
    """
    sql = _sql()
    spec = get_spec(INCIDENTS)
    local = sql.SQL("(i.occurred_at AT TIME ZONE %s)")
    parts, args = [sql.SQL("true")], []
    if params.hours is not None:
        low, high = params.hours
        hour = sql.SQL("extract(hour FROM {})").format(local)
        joiner = " AND " if low < high else " OR "
        parts.append(sql.SQL("({} >= %s" + joiner + "{} < %s)").format(hour, hour))
        args += [settings.timezone, low, settings.timezone, high]
    if params.weekdays is not None:
        parts.append(sql.SQL("(extract(isodow FROM {})::int - 1) = ANY(%s)").format(local))
        args += [settings.timezone, list(params.weekdays)]
    if params.categories is not None:
        parts.append(sql.SQL("i.category = ANY(%s)"))
        args.append(list(params.categories))
    protected = list(spec.column("category").protected_values)
    if params.audience != "protected" and protected:
        parts.append(sql.SQL("NOT (i.category = ANY(%s))"))
        args.append(protected)
    return sql.SQL(" AND ").join(parts), args


def _as_datetime(stamp: pd.Timestamp) -> object:
    value = pd.Timestamp(stamp)
    if value.tzinfo is None:
        value = value.tz_localize(settings.timezone)
    return value.ceil("us").to_pydatetime()


def _count_grid(conn: Any, units: gpd.GeoDataFrame, size: int, where: Any, args: list) -> np.ndarray:
    sql = _sql()
    query = sql.SQL(
        "SELECT (floor(ST_X(i.geom) / %s) * %s)::bigint AS cx, "
        "(floor(ST_Y(i.geom) / %s) * %s)::bigint AS cy, count(*) "
        "FROM {} AS i WHERE {} GROUP BY 1, 2").format(sql.Identifier(INCIDENTS), where)
    step = float(size)
    rows = conn.execute(query, [step, step, step, step, *args]).fetchall()
    counts = np.zeros(len(units), dtype=np.int64)
    if not rows:
        return counts
    cells = np.array(rows, dtype=np.int64)
    codes = cells[:, 0] * 10_000_000 + cells[:, 1]
    unit_codes = units["cell_x"].to_numpy(np.int64) * 10_000_000 + units["cell_y"].to_numpy(np.int64)
    order = np.argsort(unit_codes)
    pos = np.clip(np.searchsorted(unit_codes[order], codes), 0, len(order) - 1)
    found = unit_codes[order][pos] == codes
    np.add.at(counts, order[pos[found]], cells[found, 2])
    return counts


def _count_areas(conn: Any, units: gpd.GeoDataFrame, where: Any, args: list) -> np.ndarray:
    sql = _sql()
    polygons = [shapely.to_wkb(g) if g is not None else None for g in units.geometry.to_numpy()]
    # The areas are parsed once (MATERIALIZED), so PostGIS reuses each prepared polygon; per
    # incident, the first area in the units' order that holds it (as locate_points does).
    query = sql.SQL(
        "WITH a AS MATERIALIZED (SELECT u.pos, ST_GeomFromWKB(u.wkb, %s) AS g "
        "FROM unnest(%s::bytea[]) WITH ORDINALITY AS u(wkb, pos) WHERE u.wkb IS NOT NULL) "
        "SELECT h.pos, count(*) FROM {} AS i CROSS JOIN LATERAL "
        "(SELECT min(a.pos) AS pos FROM a WHERE ST_Intersects(a.g, i.geom)) AS h "
        "WHERE {} AND h.pos IS NOT NULL GROUP BY h.pos").format(sql.Identifier(INCIDENTS), where)
    srid = int(settings.analysis_crs.split(":")[1])
    rows = conn.execute(query, [srid, polygons, *args]).fetchall()
    counts = np.zeros(len(units), dtype=np.int64)
    for pos, count in rows:
        counts[int(pos) - 1] = int(count)
    return counts
