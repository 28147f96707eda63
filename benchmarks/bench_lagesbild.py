"""Benchmark the lägesbild on 10k, 100k and 1M incidents against the floor of its stages.

Run from the repository root::

    .venv/bin/python benchmarks/bench_lagesbild.py            # 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_lagesbild.py --sizes 10000 100000

Each size runs in its own process (so peak memory is that size's alone) on a
demo store with that many incidents and ~20k lamps. Printed per size:

- floor stages, measured in the same process: pyogrio arrow read of the
  incidents, numpy binning into 250 m cells, cKDTree nearest of 20k lamps,
  one STRtree point-in-area join;
- our stages: ``prepare`` (read every layer and precompute), the 250 m
  units context, the first lägesbild, a lägesbild after a filter change
  (as the app does on a slider move), and cell counting alone;
- ratios: cell counting / numpy binning, whole lägesbild / sum of floor
  stages; peak RSS.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

LAMPS = 20_000


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _make_store(path: Path, n: int) -> None:
    import geopandas as gpd
    import shapely

    from geo.demo import build_demo
    from geo.store import open_store

    store = build_demo(path, incidents=n)
    lamps = store.read("lighting")
    rng = np.random.default_rng(7)
    reps = int(np.ceil(LAMPS / len(lamps)))
    big = lamps.loc[np.tile(lamps.index, reps)[:LAMPS]].reset_index(drop=True)
    xy = shapely.get_coordinates(big.geometry.to_numpy()) + rng.normal(0, 15, (len(big), 2))
    big = gpd.GeoDataFrame(big.drop(columns="geometry"), geometry=shapely.points(xy), crs=lamps.crs)
    big["id"] = [f"lamp-{i:06d}" for i in range(len(big))]
    big["lamp_id"] = big["id"]
    open_store(path).write("lighting", big, mode="replace")


def run_one(n: int) -> dict:
    import pyogrio
    import shapely
    from scipy.spatial import cKDTree

    from geo.analysis.grid import cell_corners
    from geo.analysis.indicators.counts import count_by_unit
    from geo.analysis.params import LagesbildParams
    from geo.analysis.prepared import prepare
    from geo.analysis.units import locate_points
    from geo.privacy import compute_lagesbild
    from geo.store import open_store

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bench.gpkg"
    _, t_build = _timed(lambda: _make_store(path, n))
    store = open_store(path)

    # floor stages
    frame, t_read = _timed(lambda: pyogrio.read_dataframe(path, layer="incidents", use_arrow=True))
    geoms = frame.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)

    def numpy_binning():
        cx, cy = cell_corners(x, y, 250)
        return np.unique(cx * 10_000_000 + cy, return_counts=True)

    _, t_bin = _timed(numpy_binning)
    lamps = pyogrio.read_dataframe(path, layer="lighting", use_arrow=True)
    lxy = shapely.get_coordinates(lamps.geometry.to_numpy())
    _, t_kd = _timed(lambda: cKDTree(lxy).query(np.column_stack([x, y]))[0])
    areas = pyogrio.read_dataframe(path, layer="areas", use_arrow=True)
    parts = areas[areas["kind"] == "kommundel"].geometry.to_numpy()
    _, t_join = _timed(lambda: shapely.STRtree(parts).query(geoms, predicate="intersects"))
    floor = t_read + t_bin + t_kd + t_join

    # our stages
    prep, t_prepare = _timed(lambda: prepare(store))
    ctx, t_ctx = _timed(lambda: prep.units_context("grid250"))
    params = LagesbildParams.from_text(date_from="2023-10-01", date_to="2026-09-30", audience="staff")
    _, t_first = _timed(lambda: compute_lagesbild(prep, params))
    changed = LagesbildParams.from_text(date_from="2025-10-01", date_to="2026-09-30", hours="22-05",
                                        weekdays="fri,sat", audience="staff")
    _, t_changed = _timed(lambda: compute_lagesbild(prep, changed))

    def our_cell_count():
        pos = locate_points(ctx.units, x, y, unit="grid250")
        return count_by_unit(pos, len(ctx.units))

    _, t_cells = _timed(our_cell_count)
    whole = t_prepare + t_ctx + t_first
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n, "build_s": t_build, "floor_read_s": t_read, "floor_binning_s": t_bin,
        "floor_ckdtree_s": t_kd, "floor_strtree_join_s": t_join, "floor_sum_s": floor,
        "prepare_s": t_prepare, "units_context_s": t_ctx, "first_lagesbild_s": t_first,
        "filter_change_s": t_changed, "cell_count_s": t_cells, "whole_s": whole,
        "cell_count_vs_binning": t_cells / t_bin, "whole_vs_floor": whole / floor,
        "peak_rss_mib": peak_mib,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                              check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"\n== {n:,} incidents, {LAMPS:,} lamps (store built in {r['build_s']:.1f} s)")
        print(f"floor: arrow read {r['floor_read_s']:.3f} s, numpy binning {r['floor_binning_s']:.4f} s, "
              f"cKDTree nearest {r['floor_ckdtree_s']:.3f} s, "
              f"STRtree area join {r['floor_strtree_join_s']:.3f} s = {r['floor_sum_s']:.3f} s")
        print(f"ours:  prepare {r['prepare_s']:.3f} s, 250 m units {r['units_context_s']:.3f} s, "
              f"first lägesbild {r['first_lagesbild_s']:.3f} s -> whole {r['whole_s']:.3f} s")
        print(f"       filter change (held in memory) {r['filter_change_s']:.3f} s; "
              f"cell counting {r['cell_count_s']:.4f} s")
        print(f"ratios: cell counting / numpy binning = {r['cell_count_vs_binning']:.2f}x; "
              f"whole / floor sum = {r['whole_vs_floor']:.2f}x; peak RSS {r['peak_rss_mib']:.0f} MiB")
    for a, b in itertools.pairwise(rows):
        print(f"scaling {a['n']:,} -> {b['n']:,} incidents ({b['n'] / a['n']:.0f}x): whole lägesbild "
              f"{b['whole_s'] / a['whole_s']:.1f}x, "
              f"filter change {b['filter_change_s'] / a['filter_change_s']:.1f}x")


if __name__ == "__main__":
    main()
