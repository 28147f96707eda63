"""The GeoPackage backend: one .gpkg file that QGIS opens and edits as it is.

Layers are standard GPKG feature tables in EPSG:3006 with an R-tree spatial
index; the import log (``tk_import_log``) and the snapshot index
(``tk_snapshots``) are GPKG attribute tables. Timestamps are stored in UTC,
as the GeoPackage standard asks, and come back in Europe/Stockholm.

Every write is atomic: the file is copied beside itself, the copy is
written, and only a complete copy replaces the original (``os.replace``).
A write that fails at any point leaves the original byte-identical. An
exclusive lock on a sidecar ``.lock`` file serialises writers.

SQLite's page cache is raised to :data:`SQLITE_CACHE_MB` for GDAL (unless
``OGR_SQLITE_CACHE`` is set already): GDAL's default is a couple of
megabytes, and building the R-tree of a million points then spends a
fifth of the write re-reading pages. The cache is filled only as needed.

Attributes
----------
SQLITE_CACHE_MB : int
    SQLite page cache per open GeoPackage, in MiB. Default 64.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo import settings
from geo.errors import DataStoreError, TrygghetskartanError, ValidationError
from geo.io.layer_store import WriteMode
from geo.io.wkb_points import point_wkb
from geo.store.base import Store
from geo.timeutil import times_to_utc
from layers.spec import POLYGONS, LayerSpec
from layers.validate import Problem

LOG_TABLE = "tk_import_log"
SNAPSHOT_TABLE = "tk_snapshots"
SQLITE_CACHE_MB: int = 64
GEOMETRY_COLUMN = "geom"
"""The geometry column of every feature table, as GDAL names it."""

if not os.environ.get("OGR_SQLITE_CACHE") and pyogrio.get_gdal_config_option("OGR_SQLITE_CACHE") is None:
    pyogrio.set_gdal_config_options({"OGR_SQLITE_CACHE": str(SQLITE_CACHE_MB)})


class GeoPackageStore(Store):
    """A store in one GeoPackage file.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.gpkg`` file. It need not exist yet: the first write creates it.

    Raises
    ------
    DataStoreError
        If the path exists but is not a GeoPackage, or has the wrong suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = GeoPackageStore(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> store.list_layers()
    []
    """

    _writes_arrow_text = True  # pyogrio writes through Arrow

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.suffix.lower() != ".gpkg":
            msg = f"store {self.location!r} must be a .gpkg file or a postgresql:// URL"
            raise DataStoreError(msg)
        if self.path.exists():
            try:
                pyogrio.list_layers(self.path)
            except DataSourceError as exc:
                msg = f"{self.location} is not a readable GeoPackage: {exc}"
                raise DataStoreError(msg) from exc

    def __repr__(self) -> str:
        return f"GeoPackageStore({self.location!r})"

    def state_token(self) -> str:
        """Return a token that changes whenever the file is rewritten.

        Returns
        -------
        str
            Inode, size and modification time of the file, or ``"absent"``.
        """
        if not self.path.exists():
            return "absent"
        st = self.path.stat()
        return f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"

    # -- reading ----------------------------------------------------------------
    def _list_tables(self) -> list[str]:
        if not self.path.exists():
            return []
        return [str(name) for name, _ in pyogrio.list_layers(self.path)]

    def _read_layer(
        self, spec: LayerSpec, *, bbox: tuple[float, ...] | None, categories: tuple[str, ...] | None
    ) -> gpd.GeoDataFrame:
        where = None
        if categories is not None:
            quoted = ", ".join("'" + c.replace("'", "''") + "'" for c in categories) or "NULL"
            where = f'"{spec.category_column}" IN ({quoted})'
        frame = self._read(spec.name, bbox=bbox, where=where)
        if frame.crs is None:
            frame = frame.set_crs(settings.analysis_crs)
        return frame

    def _read(self, table: str, **kwargs) -> gpd.GeoDataFrame:
        try:
            return pyogrio.read_dataframe(self.path, layer=table, use_arrow=True, **kwargs)
        except (DataSourceError, DataLayerError) as exc:
            msg = f"cannot read {table!r} from {self.location}: {exc}"
            raise DataStoreError(msg) from exc

    def _read_table(self, table: str) -> gpd.GeoDataFrame:
        return self._read(table)

    def _count(self, layer: str) -> int:
        return int(pyogrio.read_info(self.path, layer=layer)["features"])

    def _bounds(self, layer: str) -> tuple[float, float, float, float] | None:
        info = pyogrio.read_info(self.path, layer=layer, force_total_bounds=True)
        bounds = info.get("total_bounds")
        if info["features"] == 0 or bounds is None:
            return None
        return tuple(float(b) for b in bounds)  # type: ignore[return-value]

    def _time_span(self, spec: LayerSpec) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        times = self._read(spec.name, columns=[spec.time_column], read_geometry=False)
        values = pd.to_datetime(times[spec.time_column], utc=True).dropna()
        if values.empty:
            return None
        local = values.dt.tz_convert(settings.timezone)
        return local.min(), local.max()

    def _ids(self, layer: str) -> set[str]:
        ids = self._read(layer, columns=["id"], read_geometry=False)
        return set(ids["id"].astype(str))

    def _read_log(self) -> pd.DataFrame:
        if LOG_TABLE not in self._list_tables():
            return pd.DataFrame()
        return pd.DataFrame(self._read(LOG_TABLE, read_geometry=False))

    def _read_snapshot_index(self) -> pd.DataFrame:
        if SNAPSHOT_TABLE not in self._list_tables():
            return pd.DataFrame()
        return pd.DataFrame(self._read(SNAPSHOT_TABLE, read_geometry=False))

    # -- writing ----------------------------------------------------------------
    def _write_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, *, mode: WriteMode, log_entry: dict,
        points: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        with self._transaction() as work:
            exists = spec.name in [str(n) for n, _ in _layers_of(work)]
            if mode == "append" and exists:
                # checked again under the lock: another writer may have added the same ids
                _refuse_stored_ids(work, spec.name, frame)
            _write_features(
                work,
                spec.name,
                times_to_utc(frame),
                append=(mode == "append" and exists),
                promote_to_multi=set(spec.geometry_types) <= set(POLYGONS),
                identifier=spec.sv,
                description=spec.description_sv,
                points=points,
            )
            _append_row(work, LOG_TABLE, log_entry)

    def _write_point_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, points: tuple[np.ndarray, np.ndarray], *,
        mode: WriteMode, log_entry: dict,
    ) -> None:
        self._write_layer(spec, frame, mode=mode, log_entry=log_entry, points=points)

    def _write_snapshot(self, table: str, frame: gpd.GeoDataFrame, row: dict) -> None:
        with self._transaction() as work:
            _write_features(
                work, table, times_to_utc(frame), append=False, promote_to_multi=False,
                identifier=f"Ögonblicksbild {row['name']}", description=row["params"],
            )
            _append_row(work, SNAPSHOT_TABLE, row)

    def _append_records(self, table: str, records: pd.DataFrame) -> None:
        with self._transaction() as work:
            _append_frame(work, table, records)

    def _read_records(self, table: str) -> pd.DataFrame:
        return pd.DataFrame(self._read(table, read_geometry=False))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Path]:
        """Yield a working copy; replace the original with it only on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            work = self.path.with_name(f".{self.path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.gpkg")
            try:
                if self.path.exists():
                    shutil.copy2(self.path, work)
                yield work
                work.replace(self.path)
            except Exception as exc:
                work.unlink(missing_ok=True)
                if isinstance(exc, TrygghetskartanError):
                    raise
                msg = f"writing to {self.location} failed, nothing was changed: {exc}"
                raise DataStoreError(msg) from exc
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _layers_of(path: Path) -> list:
    return list(pyogrio.list_layers(path)) if path.exists() else []


def _write_features(
    path: Path,
    table: str,
    frame: gpd.GeoDataFrame,
    *,
    append: bool,
    promote_to_multi: bool,
    identifier: str,
    description: str,
    points: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    options = {} if append else {"IDENTIFIER": identifier, "DESCRIPTION": description}
    if points is not None:
        _write_point_features(path, table, frame, points, append=append, options=options)
        return
    pyogrio.write_dataframe(
        frame,
        path,
        layer=table,
        driver="GPKG",
        append=append,
        promote_to_multi=promote_to_multi or None,
        layer_options=options,
        use_arrow=True,  # about three times faster than feature-by-feature writing
    )


def _write_point_features(
    path: Path, table: str, frame: pd.DataFrame, points: tuple[np.ndarray, np.ndarray], *,
    append: bool, options: dict,
) -> None:
    """Write attributes and points given by coordinates through Arrow, the WKB made without GEOS.

    What :func:`pyogrio.write_dataframe` would store for the same points
    (``tests/test_store.py`` compares the two), without making a shapely
    point per row and writing it out as WKB again.
    """
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    data = pa.Table.from_pandas(attributes, preserve_index=False)
    for index, column in enumerate(data.schema):
        if pa.types.is_null(column.type):  # a column of None only: GDAL takes no null type
            data = data.set_column(index, column.with_type(pa.string()), data[index].cast(pa.string()))
    data = data.append_column(GEOMETRY_COLUMN, point_wkb(*points))
    pyogrio.write_arrow(data, path, layer=table, driver="GPKG", geometry_name=GEOMETRY_COLUMN,
                        geometry_type="Point", crs=settings.analysis_crs, append=append,
                        layer_options=options)


def _refuse_stored_ids(path: Path, table: str, frame: gpd.GeoDataFrame) -> None:
    stored = pyogrio.read_dataframe(path, layer=table, columns=["id"], read_geometry=False, use_arrow=True)
    clash = frame["id"].astype(str).isin(set(stored["id"].astype(str))).to_numpy()
    if clash.any():
        problems = [
            Problem(int(i) + 1, "id", f"id {v!r} already exists in the store")
            for i, v in zip(clash.nonzero()[0], frame["id"].to_numpy()[clash], strict=True)
        ]
        raise ValidationError(problems, source=table)


def _append_row(path: Path, table: str, row: dict) -> None:
    _append_frame(path, table, pd.DataFrame([row]))


def _append_frame(path: Path, table: str, frame: pd.DataFrame) -> None:
    exists = table in [str(n) for n, _ in _layers_of(path)]
    pyogrio.write_dataframe(times_to_utc(frame), path, layer=table, driver="GPKG", append=exists)
