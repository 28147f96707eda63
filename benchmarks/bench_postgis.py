"""Benchmark cell counting in PostGIS against the in-memory lägesbild path, in the same run.

Run from the repository root (needs the Debian packages ``postgresql`` and
``postgis``, and ``psycopg[binary]``)::

    .venv/bin/python benchmarks/bench_postgis.py                     # 100k and 1M
    .venv/bin/python benchmarks/bench_postgis.py --sizes 1000000
    .venv/bin/python benchmarks/bench_postgis.py --url postgresql://gis@db/bench

Without ``--url`` a throwaway PostgreSQL + PostGIS cluster is created in a
temporary directory (``tests/postgis_server.py``; fsync off) and removed at
the end. Per size:

1. a demo store (``build_demo``, 6,000 incidents) whose incidents are then
   replaced by N synthetic ones: the demo's incidents resampled with
   replacement, moved by a 40 m Gaussian jitter and given random times in
   the demo period (much faster than ``build_demo(incidents=N)``, same
   spatial and category mix);
2. ``store copy`` of that GeoPackage into PostGIS (timed);
3. the 250 m cell counts of one lägesbild (three years, every hour, staff):

   - **in database**: :func:`geo.analysis.sql.counts.count_incidents_in_db`
     (best of 3; only the counts cross the wire);
   - **load into Python**: read the incidents from PostGIS, then numpy
     binning (what the in-memory path costs over PostGIS);
   - **in memory, cold**: ``prepare`` of the GeoPackage + the units
     context + ``count_by_unit`` (the app's first lägesbild);
   - **in memory, warm**: ``count_by_unit`` alone on prepared arrays (the
     app's cost per filter change);
   - **numpy floor**: ``cell_corners`` + ``np.unique`` on arrays already in
     memory;

   and checks that the in-database counts equal the in-memory ones
   (also for areas);
4. the whole lägesbild (every indicator, 250 m cells, same parameters),
   both over the PostGIS store:

   - **database path**: ``prepare(store)`` (every layer but the incidents)
     + ``compute_lagesbild``, whose incident figures (counts, previous
     period, camera sectors, darkness by KNN to the nearest working lamp,
     kommun-level count, provenance) are aggregated in SQL
     (:mod:`geo.analysis.sql.lagesbild`); then a filter change (hours 22-05,
     best of 3) and the SQL aggregation alone;
   - **in-memory path**: ``prepare(store, incidents_in_db=False)`` (reads
     every incident) + ``compute_lagesbild``; then the same filter change;

   and checks that both lägesbilder are equal (every column, floats to
   1e-12, and the attrs).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
JITTER_M = 40.0
REPEATS = 3


def _timed(fn: Callable):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _best(fn: Callable, repeats: int = REPEATS):
    value, best = None, float("inf")
    for _ in range(repeats):
        value, took = _timed(fn)
        best = min(best, took)
    return value, best


@contextlib.contextmanager
def _server(url: str | None) -> Iterator[Callable[[], str]]:
    """Yield a function returning a fresh store URL (a new schema each call)."""
    import uuid

    import psycopg

    if url is not None:
        def fresh_external() -> str:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            sep = "&" if "?" in url else "?"
            return f"{url}{sep}options=-csearch_path%3D{schema},public"

        yield fresh_external
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from postgis_server import throwaway_server

    with throwaway_server("bench") as server:
        yield server.new_schema_url


def _synthetic_incidents(template, n: int, seed: int = 11):
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo.demo.planted import DEMO_END, DEMO_START

    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(template), n)
    frame = template.iloc[pick].reset_index(drop=True)
    xy = shapely.get_coordinates(frame.geometry.to_numpy())
    kommun_level = (frame["location_precision"] == "kommun").to_numpy()
    xy[~kommun_level] += rng.normal(0.0, JITTER_M, (int((~kommun_level).sum()), 2))
    span = (DEMO_END - DEMO_START).value
    times = pd.to_datetime(DEMO_START.value + rng.integers(0, span, n) // 10**9 * 10**9, utc=True)
    frame["occurred_at"] = times.tz_convert(DEMO_START.tz)
    frame["id"] = [f"inc{i:08d}" for i in range(n)]
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=shapely.points(xy), crs=template.crs)


def run_size(n: int, fresh_url: Callable[[], str], workdir: Path) -> dict:
    import shapely

    from geo.analysis.grid import cell_corners
    from geo.analysis.indicators.counts import count_by_unit
    from geo.analysis.lagesbild import incident_aggregates
    from geo.analysis.params import LagesbildParams
    from geo.analysis.prepared import prepare
    from geo.analysis.sql.counts import count_incidents_in_db
    from geo.demo import build_demo
    from geo.privacy import compute_lagesbild
    from geo.store import GeoPackageStore
    from geo.store.copy import copy_store
    from geo.store.postgis import PostGISStore

    path = workdir / f"bench_{n}.gpkg"
    store = build_demo(path, incidents=6000)
    synthetic, t_generate = _timed(lambda: _synthetic_incidents(store.read("incidents"), n))
    t_gpkg = _timed(lambda: store.write("incidents", synthetic, mode="replace", source="bench"))[1]
    synthetic = None
    gpkg = GeoPackageStore(path)
    pg = PostGISStore(fresh_url())
    _, t_copy = _timed(lambda: copy_store(gpkg, pg))
    with pg.connect() as conn:
        conn.execute("VACUUM ANALYZE incidents")

    params = LagesbildParams.from_text(unit="grid250", date_from="2023-10-01", date_to="2026-09-30",
                                       audience="staff")

    def in_memory_cold():
        prep = prepare(gpkg)
        ctx = prep.units_context("grid250")
        mask = ~prep.incidents.protected
        mask &= (prep.incidents.time_ns >= params.start.value) & (prep.incidents.time_ns < params.end.value)
        return prep, count_by_unit(ctx.incident_pos, len(ctx.units), mask=mask), mask

    (prep, memory_counts, mask), t_cold = _timed(in_memory_cold)
    ctx = prep.units_context("grid250")
    _, t_warm = _best(lambda: count_by_unit(ctx.incident_pos, len(ctx.units), mask=mask))
    x, y = prep.incidents.x[mask], prep.incidents.y[mask]

    def numpy_floor():
        cx, cy = cell_corners(x, y, 250)
        return np.unique(cx * 10_000_000 + cy, return_counts=True)

    _, t_floor = _best(numpy_floor)
    db_counts, t_db = _best(lambda: count_incidents_in_db(pg, params, ctx.units, unit="grid250"))

    def load_into_python():
        frame = pg.read("incidents")
        geoms = frame.geometry.to_numpy()
        cx, cy = cell_corners(shapely.get_x(geoms), shapely.get_y(geoms), 250)
        return np.unique(cx * 10_000_000 + cy, return_counts=True)

    _, t_load = _timed(load_into_python)
    areas = prep.units_context("areas")
    area_params = LagesbildParams.from_text(unit="areas", date_from="2023-10-01", date_to="2026-09-30",
                                            audience="staff")
    area_db, t_db_areas = _best(lambda: count_incidents_in_db(pg, area_params, areas.units, unit="areas"))
    area_memory = count_by_unit(areas.incident_pos, len(areas.units), mask=mask)
    prep = ctx = areas = x = y = None  # free the GeoPackage arrays before the whole lägesbild

    changed = LagesbildParams.from_text(unit="grid250", date_from="2023-10-01", date_to="2026-09-30",
                                        hours="22-05", audience="staff")

    def database_path():
        prep_db = prepare(pg)
        return prep_db, compute_lagesbild(prep_db, params)

    (prep_db, db_picture), t_whole_db = _timed(database_path)
    db_changed, t_changed_db = _best(lambda: compute_lagesbild(prep_db, changed))
    db_ctx = prep_db.units_context("grid250")
    _, t_sql_db = _best(lambda: incident_aggregates(prep_db, db_ctx, params))
    loaded = prep_db.frames.is_loaded("incidents")

    def memory_path():
        prep_memory = prepare(pg, incidents_in_db=False)
        return prep_memory, compute_lagesbild(prep_memory, params)

    (prep_memory, memory_picture), t_whole_memory = _timed(memory_path)
    memory_changed, t_changed_memory = _best(lambda: compute_lagesbild(prep_memory, changed))
    whole_equal = (_same_picture(db_picture, memory_picture)
                   and _same_picture(db_changed, memory_changed))
    return {
        "n": n, "generate": t_generate, "write_gpkg": t_gpkg, "copy_to_postgis": t_copy,
        "db_grid": t_db, "db_areas": t_db_areas, "load_into_python": t_load, "memory_cold": t_cold,
        "memory_warm": t_warm, "numpy_floor": t_floor,
        "equal": bool(np.array_equal(db_counts, memory_counts) and np.array_equal(area_db, area_memory)),
        "counted": int(memory_counts.sum()),
        "whole_db": t_whole_db, "changed_db": t_changed_db, "sql_db": t_sql_db,
        "whole_memory": t_whole_memory, "changed_memory": t_changed_memory,
        "whole_equal": bool(whole_equal), "incidents_loaded_by_db_path": loaded,
    }


def _same_picture(a, b) -> bool:
    """Tell whether two lägesbilder are equal: every column (NaN = NaN, floats to 1e-12) and the attrs."""
    import pandas as pd

    if list(a.columns) != list(b.columns) or repr(a.attrs) != repr(b.attrs):
        return False
    for column in a.columns:
        x, y = a[column], b[column]
        if column == a.geometry.name:
            same = bool(x.geom_equals_exact(y, tolerance=0).all())
        elif pd.api.types.is_float_dtype(y.dtype):
            same = bool(np.allclose(x.to_numpy(float, na_value=np.nan), y.to_numpy(float, na_value=np.nan),
                                    rtol=1e-12, atol=0, equal_nan=True))
        else:
            same = bool(x.equals(y))
        if not same or x.dtype != y.dtype:
            return False
    return True


def _report(row: dict) -> None:
    n = row["n"]
    print(f"\n== {n:,} incidents ({row['counted']:,} counted in 250 m cells)")
    rate = n / row["copy_to_postgis"]
    print(f"   setup: synthetic incidents {row['generate']:.1f} s, "
          f"GeoPackage write {row['write_gpkg']:.1f} s, "
          f"store copy to PostGIS {row['copy_to_postgis']:.1f} s ({rate:,.0f} incidents/s)")
    lines = [
        ("in database, 250 m cells (SQL floor + GROUP BY)", row["db_grid"]),
        ("in database, areas (ST_Intersects join)", row["db_areas"]),
        ("load into Python from PostGIS + numpy binning", row["load_into_python"]),
        ("in memory, cold: prepare + units + count_by_unit", row["memory_cold"]),
        ("in memory, warm: count_by_unit on prepared arrays", row["memory_warm"]),
        ("numpy floor: cell_corners + np.unique", row["numpy_floor"]),
    ]
    for label, seconds in lines:
        print(f"   {label:<52} {seconds * 1000:>10.1f} ms")
    print(f"   in database / in memory cold: {row['db_grid'] / row['memory_cold']:.2f}x; "
          f"in database / load into Python: {row['db_grid'] / row['load_into_python']:.2f}x; "
          f"in database / numpy floor: {row['db_grid'] / row['numpy_floor']:.1f}x")
    print(f"   counts equal to the in-memory path (grid250 and areas): {row['equal']}")
    print("   whole lägesbild (250 m cells, every indicator), both over the PostGIS store:")
    lines = [
        ("database path: prepare + compute_lagesbild", row["whole_db"]),
        ("database path: after a filter change (best of 3)", row["changed_db"]),
        ("database path: SQL aggregation alone (best of 3)", row["sql_db"]),
        ("in-memory path: prepare + compute_lagesbild", row["whole_memory"]),
        ("in-memory path: after a filter change (best of 3)", row["changed_memory"]),
    ]
    for label, seconds in lines:
        print(f"   {label:<52} {seconds * 1000:>10.1f} ms")
    first, changed = row["whole_db"] / row["whole_memory"], row["changed_db"] / row["changed_memory"]
    print(f"   database path / in-memory path, first lägesbild: {first:.2f}x; "
          f"after a filter change: {changed:.1f}x")
    print(f"   lägesbilder equal: {row['whole_equal']}; "
          f"database path read the incidents: {row['incidents_loaded_by_db_path']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="numbers of incidents (default: 100000 1000000)")
    parser.add_argument("--url", default=None,
                        help="an existing PostGIS database to use (a schema per size is created in it)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tk-bench-postgis-"))
    try:
        with _server(args.url) as fresh_url:
            for n in args.sizes:
                row = run_size(n, fresh_url, workdir)
                _report(row)
                if not row["equal"]:
                    sys.exit("in-database counts differ from the in-memory path")
                if not row["whole_equal"]:
                    sys.exit("the database path's lägesbild differs from the in-memory path's")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
