"""Import speed: N incident points from GeoPackage and CSV, against a plain pyogrio read.

Usage::

    .venv/bin/python benchmarks/bench_import.py                 # 100 000 and 1 000 000 points
    .venv/bin/python benchmarks/bench_import.py --sizes 20000   # a quick run

For each size it writes three files of the same incidents (id, ISO time with
offset, category, source, precision, description) inside the demo kommun:

* ``gpkg``: a GeoPackage in EPSG:3006;
* ``csv``: comma-separated, decimal point, ``lat``/``lon`` in WGS 84;
* ``csv-sv``: what Swedish Excel writes: semicolons, decimal comma, cp1252.

and measures, in the same run and on the same file:

* ``plain``: ``pyogrio.read_dataframe(path, use_arrow=True)`` (for CSV, GDAL's
  CSV driver with ``X_POSSIBLE_NAMES=lon``/``Y_POSSIBLE_NAMES=lat``);
* ``check``: ``import_file(..., dry_run=True)``: read, map columns, parse
  times, reproject, swapped-axis and kommun checks, validate every row;
* ``import``: ``import_file`` into an empty store with the kommun outline:
  the check, then the GeoPackage write (the frame is validated once, by the
  check; the store does not validate it again);
* ``write``: ``pyogrio.write_dataframe(frame, use_arrow=True)`` of the
  plainly read GeoPackage (the same rows and points for every source) into
  a new GeoPackage: the least an import must do besides reading. It runs
  in this process, after :mod:`geo.store` has raised SQLite's page cache
  (``OGR_SQLITE_CACHE``, see :mod:`geo.store.gpkg`), so the baseline gets
  the same cache as the store's own write.

``plain`` and ``check`` are the fastest of ``--repeat`` runs (default 3), as
the machine may be shared; ``import`` runs once.

The ratio ``check / plain`` is the figure the target (1.5x) is about. The
store's GeoPackage write dominates a whole import and is the same for
every source, so the whole import is set against a plain read plus a plain
write (``import / (plain + write)``).
Peak memory (``VmHWM``) of the CSV check is measured in a fresh child
process and printed beside the file size: the CSV is read in chunks, so the
peak follows the resulting frame, not the text.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.demo.planted import OUTLINE  # noqa: E402
from geo.io.importer import import_file  # noqa: E402
from geo.store import GeoPackageStore  # noqa: E402

CATEGORIES = ("stold", "inbrott", "skadegorelse", "misshandel", "ordningsstorning", "narkotika")


def make_frame(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """N incidents at random points inside the demo kommun, EPSG:3006."""
    rng = np.random.default_rng(seed)
    outline = shapely.Polygon(OUTLINE)
    minx, miny, maxx, maxy = outline.bounds
    xs, ys = [], []
    while sum(len(x) for x in xs) < n:
        x = rng.uniform(minx, maxx, 2 * n)
        y = rng.uniform(miny, maxy, 2 * n)
        keep = shapely.contains_xy(outline, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
    x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]
    seconds = rng.integers(0, 3 * 365 * 86400, n)
    times = (pd.Timestamp("2023-01-01", tz="Europe/Stockholm") + pd.to_timedelta(seconds, unit="s"))
    return gpd.GeoDataFrame(
        {
            "id": [f"b-{i}" for i in range(n)],
            "occurred_at": times.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)$", r":\1", regex=True),
            "category": rng.choice(CATEGORIES, n),
            "source": "benchmark",
            "location_precision": "exact",
            "description": rng.choice(["Anmälan via 114 14", "Polisens händelse", "Trygghetsvandring"], n),
        },
        geometry=shapely.points(x, y),
        crs="EPSG:3006",
    )


def write_files(frame: gpd.GeoDataFrame, folder: Path) -> dict[str, Path]:
    """The three source files of one size."""
    paths = {"gpkg": folder / "incidents.gpkg", "csv": folder / "incidents.csv",
             "csv-sv": folder / "incidents_sv.csv"}
    pyogrio.write_dataframe(frame, paths["gpkg"], layer="incidents", driver="GPKG")
    wgs = frame.to_crs("EPSG:4326")
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["lat"] = shapely.get_y(wgs.geometry.to_numpy()).round(7)
    table["lon"] = shapely.get_x(wgs.geometry.to_numpy()).round(7)
    table.to_csv(paths["csv"], index=False)
    table.to_csv(paths["csv-sv"], index=False, sep=";", decimal=",", encoding="cp1252")
    return paths


def plain_read(path: Path, kind: str) -> float:
    """Seconds for pyogrio to read the same file, with geometry where GDAL can build it."""
    start = time.perf_counter()
    frame = _read_plainly(path, kind)
    elapsed = time.perf_counter() - start
    del frame
    return elapsed


def _read_plainly(path: Path, kind: str) -> gpd.GeoDataFrame:
    options = {}
    if kind == "csv":
        options = {"X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"}
    return pyogrio.read_dataframe(path, use_arrow=True, **options)


def plain_write(path: Path, folder: Path) -> float:
    """Seconds for pyogrio to write the plainly read GeoPackage into a new one."""
    frame = _read_plainly(path, "gpkg")
    target = Path(tempfile.mkdtemp(dir=folder)) / "plain.gpkg"
    start = time.perf_counter()
    pyogrio.write_dataframe(frame, target, layer="incidents", driver="GPKG", use_arrow=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target.parent)
    return elapsed


def best(repeat: int, measure, *args, **kwargs) -> float:
    """The fastest of ``repeat`` runs (the machine may be shared; the minimum is the least noisy)."""
    return min(measure(*args, **kwargs) for _ in range(repeat))


def store_with_kommun(folder: Path) -> GeoPackageStore:
    """An empty store holding only the demo kommun outline."""
    store = GeoPackageStore(folder / "store.gpkg")
    store.write("areas", gpd.GeoDataFrame(
        {"id": ["area-0123"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"]},
        geometry=[shapely.Polygon(OUTLINE)], crs="EPSG:3006"), source="benchmark")
    return store


def timed_import(path: Path, folder: Path, *, dry_run: bool) -> float:
    """Seconds to check (dry run) or import the file into a fresh store."""
    work = Path(tempfile.mkdtemp(dir=folder))
    store = store_with_kommun(work)
    start = time.perf_counter()
    report = import_file(store, "incidents", path, dry_run=dry_run)
    elapsed = time.perf_counter() - start
    if report.problems:
        msg = f"benchmark data refused: {report.problems[:3]}"
        raise RuntimeError(msg)
    shutil.rmtree(work)
    return elapsed


def child_peak(path: Path, folder: Path) -> dict:
    """Peak RSS of a CSV check, in a fresh process."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(folder)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _high_water_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: Path, folder: Path) -> None:
    before = _high_water_mb()
    timed_import(path, folder, dry_run=True)
    print(json.dumps({"baseline_mb": before, "peak_mb": _high_water_mb()}))


def run(sizes: list[int], *, repeat: int = 3, keep: Path | None = None, write: bool = True) -> None:
    """Print the table of figures for each size."""
    print(f"{'n':>9} {'source':<7} {'MB':>7} {'plain s':>8} {'check s':>8} {'ratio':>6} "
          f"{'write s':>8} {'import s':>9} {'ratio':>6}   memory (CSV check, child process)")
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-import-{n}-", dir=keep))
        paths = write_files(make_frame(n), folder)
        written = plain_write(paths["gpkg"], folder) if write else float("nan")
        for kind, path in paths.items():
            plain = best(repeat, plain_read, path, "csv" if kind == "csv" else kind)
            check = best(repeat, timed_import, path, folder, dry_run=True)
            full = timed_import(path, folder, dry_run=False) if write else float("nan")
            memory = ""
            if kind.startswith("csv"):
                peak = child_peak(path, folder)
                memory = (f"peak {peak['peak_mb']:.0f} MB (after imports {peak['baseline_mb']:.0f} MB), "
                          f"file {path.stat().st_size / 2**20:.0f} MB")
            print(f"{n:>9,} {kind:<7} {path.stat().st_size / 2**20:>7.1f} {plain:>8.2f} {check:>8.2f} "
                  f"{check / plain:>6.2f} {written:>8.2f} {full:>9.2f} {full / (plain + written):>6.2f}   "
                  f"{memory}", flush=True)
        if keep is None:
            shutil.rmtree(folder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="numbers of points (default: 100000 1000000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of plain read and check; the fastest counts (default: %(default)s)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the files under this folder")
    parser.add_argument("--no-write", action="store_true",
                        help="skip the full import and the plain write (the GeoPackage write dominates both)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    run(args.sizes, repeat=args.repeat, keep=args.keep, write=not args.no_write)


if __name__ == "__main__":
    main()
