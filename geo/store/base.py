"""The store interface that every backend (GeoPackage, PostGIS) implements.

The public methods validate their arguments and the data against the layer
specs, then hand the storage work to a backend's private ``_`` methods. So
every backend refuses the same bad input with the same message, and a
backend holds no validation of its own.

A store is the :class:`geo.io.layer_store.LayerStore` the importer writes
into: :meth:`Store.existing_ids` and :meth:`Store.write_validated` are the
two halves of :meth:`Store.write` for a caller that validates itself.
"""

from __future__ import annotations

import getpass
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.crs import to_analysis_crs
from geo.errors import DataStoreError, ValidationError
from geo.io.layer_store import WRITE_MODES, WriteMode
from layers import get_spec, validate_frame
from layers.dtypes import conform_dtypes, empty_frame
from layers.spec import LayerSpec

IMPORT_LOG_COLUMNS: tuple[str, ...] = ("at", "layer", "mode", "rows", "source", "user", "note")
SNAPSHOT_COLUMNS: tuple[str, ...] = ("name", "table", "created_at", "rows", "params")
_SNAPSHOT_NAME = re.compile(r"^[\w][\w .\-]{0,63}$")


@dataclass(frozen=True)
class LayerInfo:
    """Summary of one stored layer.

    Attributes
    ----------
    name : str
        Layer name.
    count : int
        Number of features.
    crs : str
        CRS as ``"EPSG:NNNN"``.
    bounds : tuple of float or None
        ``(minx, miny, maxx, maxy)`` in the layer's CRS, None when empty.
    time_span : tuple of pandas.Timestamp or None
        First and last value of the layer's time column, if it has one.
    """

    name: str
    count: int
    crs: str
    bounds: tuple[float, float, float, float] | None
    time_span: tuple[pd.Timestamp, pd.Timestamp] | None


class Store(ABC):
    """A place that keeps the layers, an import log and dated snapshots.

    Subclasses implement the ``_``-prefixed methods; the public methods are
    shared and carry all validation.
    """

    #: Where the store lives (a path or a URL without password), for messages.
    location: str
    #: Whether the backend's writer takes Arrow-backed text as it is (see
    #: :func:`layers.dtypes.conform_dtypes`); otherwise text goes as Python strings.
    _writes_arrow_text: bool = False

    # -- layers -------------------------------------------------------------
    def list_layers(self) -> list[str]:
        """Return the names of the spec layers present in the store, in spec order.

        Returns
        -------
        list of str
            Layer names.
        """
        present = set(self._list_tables())
        from layers import layer_names

        return [name for name in layer_names() if name in present]

    def read(
        self,
        layer: str,
        *,
        bbox: Sequence[float] | None = None,
        start: pd.Timestamp | str | None = None,
        end: pd.Timestamp | str | None = None,
        categories: Iterable[str] | None = None,
    ) -> gpd.GeoDataFrame:
        """Read a layer, optionally filtered.

        Parameters
        ----------
        layer : str
            A layer name from :mod:`layers`.
        bbox : sequence of 4 floats, optional
            ``(minx, miny, maxx, maxy)`` in EPSG:3006; features intersecting it.
        start, end : pandas.Timestamp or str, optional
            Half-open period ``[start, end)`` on the layer's time column.
            Naive values are read as Europe/Stockholm local time.
        categories : iterable of str, optional
            Keep rows whose category column has one of these values.

        Returns
        -------
        geopandas.GeoDataFrame
            In EPSG:3006 with canonical dtypes; an empty frame with the
            layer's columns when the layer is not stored yet.

        Raises
        ------
        LayerSpecError
            If the layer is unknown.
        ValueError
            If a filter does not fit the layer (no time or category column,
            an unknown category, a bbox not of four numbers).
        """
        spec = get_spec(layer)
        box = _check_bbox(bbox)
        wanted = _check_categories(spec, categories)
        lo, hi = _to_local(start, "start"), _to_local(end, "end")
        if (lo is not None or hi is not None) and spec.time_column is None:
            msg = f"layer {layer!r} has no time column; start/end do not apply"
            raise ValueError(msg)
        if layer not in self._list_tables():
            return empty_frame(spec)
        frame = self._read_layer(spec, bbox=box, categories=wanted)
        frame = conform_dtypes(frame, spec)
        if lo is not None or hi is not None:
            times = frame[spec.time_column]
            keep = times.notna()
            if lo is not None:
                keep &= times >= lo
            if hi is not None:
                keep &= times < hi
            frame = frame.loc[keep.to_numpy()]
        return frame.reset_index(drop=True)

    def count(self, layer: str) -> int:
        """Return the number of features in a layer (0 when not stored).

        Parameters
        ----------
        layer : str
            A layer name.

        Returns
        -------
        int
            Feature count.
        """
        return self._count(layer) if self._stored(layer) else 0

    def write(
        self,
        layer: str,
        frame: gpd.GeoDataFrame,
        *,
        mode: WriteMode = "append",
        source: str = "",
        note: str = "",
    ) -> int:
        """Validate and write features to a layer, all or nothing, and log it.

        Parameters
        ----------
        layer : str
            A layer name.
        frame : geopandas.GeoDataFrame
            Features with a CRS; reprojected to EPSG:3006 if needed.
        mode : {"append", "replace"}, default "append"
            Append to the layer, or replace its content.
        source : str, default ""
            Where the data came from (a file name), for the import log.
        note : str, default ""
            Free text for the import log.

        Returns
        -------
        int
            Number of features written.

        Raises
        ------
        ValidationError
            If the frame breaks the spec (every problem listed), including ids
            that already exist in the layer when appending. Nothing is written.
        DataStoreError
            If the backend fails; the store is left as it was.
        """
        spec = get_spec(layer)
        _check_mode(mode)
        existing = self._ids(layer) if mode == "append" and layer in self._list_tables() else None
        problems = validate_frame(frame, spec, existing_ids=existing)
        if problems:
            raise ValidationError(problems, source=source or layer)
        return self.write_validated(layer, frame, mode=mode, source=source, note=note)

    def existing_ids(self, layer: str) -> set[str]:
        """Return the ids stored in a layer, which an append must not repeat.

        Parameters
        ----------
        layer : str
            A layer name from :mod:`layers`, stored or not.

        Returns
        -------
        set of str
            The layer's ``id`` values; empty when the layer is not stored yet.

        Raises
        ------
        LayerSpecError
            If the layer is unknown.

        See Also
        --------
        write_validated : Writes rows validated against these ids.
        """
        return self._ids(layer) if self._stored(layer) else set()

    def _stored(self, layer: str) -> bool:
        """Tell whether a layer is stored, after checking that its name is a spec layer."""
        get_spec(layer)
        return layer in self._list_tables()

    def write_validated(
        self,
        layer: str,
        frame: gpd.GeoDataFrame,
        *,
        mode: WriteMode = "append",
        source: str = "",
        note: str = "",
        points: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> int:
        """Write a frame already validated against the layer's spec, all or nothing, and log it.

        The second half of :meth:`write`, for a caller that has just run
        :func:`layers.validate_frame` on this very frame against this
        layer's spec, with the ids of :meth:`existing_ids` when appending,
        and found no problem (the importer, which reports the problems with
        the file's row numbers). Validating again would find nothing new:
        this skips it. Every other caller uses :meth:`write`. Ids stored
        since are still refused, by the backend, in the write's transaction.

        Parameters
        ----------
        layer : str
            A layer name.
        frame : geopandas.GeoDataFrame
            Features with a CRS that passed validation.
        mode : {"append", "replace"}, default "append"
            Append to the layer, or replace its content.
        source, note : str, default ""
            For the import log.
        points : tuple of numpy.ndarray, optional
            ``x`` and ``y`` in EPSG:3006 of every row, when every row is a
            point that has not been made (the frame's geometries are then
            missing; see :class:`geo.io.placing.PendingPoints`). The
            GeoPackage backend writes them as WKB without making a geometry
            per row; other backends make the points first.

        Returns
        -------
        int
            Number of features written.

        Raises
        ------
        ValidationError
            If an id was stored after the caller's validation (refused in
            the write's transaction). Nothing is written.
        DataStoreError
            If the backend fails; the store is left as it was.
        ValueError
            If ``mode`` is not one of :data:`geo.io.layer_store.WRITE_MODES`.

        See Also
        --------
        write : Validates, then writes.
        existing_ids : The ids to validate an append against.
        """
        spec = get_spec(layer)
        _check_mode(mode)
        data = conform_dtypes(to_analysis_crs(frame, name=layer), spec,
                              text_as_object=not self._writes_arrow_text)
        data = data[[*spec.column_names, data.geometry.name]]
        entry = {
            "at": pd.Timestamp.now(tz="UTC"),
            "layer": layer,
            "mode": mode,
            "rows": len(data),
            "source": source,
            "user": _current_user(),
            "note": note,
        }
        data = data.reset_index(drop=True)
        if points is None:
            self._write_layer(spec, data, mode=mode, log_entry=entry)
        else:
            self._write_point_layer(spec, data, points, mode=mode, log_entry=entry)
        return len(data)

    def info(self) -> list[LayerInfo]:
        """Summarise every stored layer: count, CRS, bounds and time span.

        Returns
        -------
        list of LayerInfo
            One per stored layer, in spec order.
        """
        out = []
        for name in self.list_layers():
            spec = get_spec(name)
            count, bounds = self._count(name), self._bounds(name)
            span = self._time_span(spec) if spec.time_column and count else None
            out.append(LayerInfo(name, count, settings.analysis_crs, bounds, span))
        return out

    # -- import log and snapshots ---------------------------------------------
    def import_log(self) -> pd.DataFrame:
        """Return the import log, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``at`` (UTC), ``layer``, ``mode``, ``rows``, ``source``,
            ``user``, ``note``.
        """
        log = self._read_log()
        if log.empty:
            return pd.DataFrame(columns=list(IMPORT_LOG_COLUMNS))
        return log.sort_values("at", kind="stable").reset_index(drop=True)

    def save_snapshot(self, name: str, frame: gpd.GeoDataFrame, params: dict) -> str:
        """Save a dated snapshot (e.g. a lägesbild) under a name.

        Parameters
        ----------
        name : str
            1-64 characters: letters, digits, space, ``.``, ``-``, ``_``.
        frame : geopandas.GeoDataFrame
            The data to keep, with a CRS.
        params : dict
            The parameters that produced it (stored as JSON).

        Returns
        -------
        str
            The table the snapshot is stored in.

        Raises
        ------
        ValueError
            If the name is not allowed or already used.
        """
        if not _SNAPSHOT_NAME.match(name):
            msg = (
                f"snapshot name {name!r} is not allowed; use 1-64 letters, digits, "
                "spaces, '.', '-' or '_'"
            )
            raise ValueError(msg)
        if name in set(self.list_snapshots()["name"]):
            msg = f"a snapshot named {name!r} exists already; choose another name"
            raise ValueError(msg)
        table = "snapshot_" + re.sub(r"\W+", "_", name.lower()).strip("_")
        taken = set(self._list_tables())
        base, n = table, 2
        while table in taken:
            table, n = f"{base}_{n}", n + 1
        row = {
            "name": name,
            "table": table,
            "created_at": pd.Timestamp.now(tz="UTC"),
            "rows": len(frame),
            "params": json.dumps(params, ensure_ascii=False, default=str, sort_keys=True),
        }
        self._write_snapshot(table, to_analysis_crs(frame, name=name), row)
        return table

    def list_snapshots(self) -> pd.DataFrame:
        """Return the saved snapshots, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``name``, ``table``, ``created_at``, ``rows``, ``params``.
        """
        snaps = self._read_snapshot_index()
        if snaps.empty:
            return pd.DataFrame(columns=list(SNAPSHOT_COLUMNS))
        return snaps.sort_values("created_at", kind="stable").reset_index(drop=True)

    def read_snapshot(self, name: str) -> tuple[gpd.GeoDataFrame, dict]:
        """Return a snapshot's data and the parameters that produced it.

        Parameters
        ----------
        name : str
            A name from :meth:`list_snapshots`.

        Returns
        -------
        frame : geopandas.GeoDataFrame
            The stored data.
        params : dict
            The stored parameters.

        Raises
        ------
        DataStoreError
            If there is no such snapshot; the message lists the names.
        """
        snaps = self.list_snapshots()
        match = snaps[snaps["name"] == name]
        if match.empty:
            names = ", ".join(snaps["name"]) or "none saved yet"
            msg = f"no snapshot named {name!r} in {self.location}; snapshots: {names}"
            raise DataStoreError(msg)
        row = match.iloc[0]
        return self._read_table(row["table"]), json.loads(row["params"])

    # -- record tables (attribute tables kept by the product) ---------------------
    def append_records(self, table: str, records: pd.DataFrame) -> None:
        """Append rows to a product table (e.g. the action follow-up history).

        Rows are only ever appended, never updated, so the history is kept.

        Parameters
        ----------
        table : str
            Table name: ``tk_`` followed by lowercase letters, digits or ``_``.
        records : pandas.DataFrame
            Rows to append; tz-aware timestamps are stored in UTC.

        Raises
        ------
        ValueError
            If the table name is not allowed.
        DataStoreError
            If the backend fails; the store is left as it was.
        """
        self._append_records(_check_table(table), pd.DataFrame(records))

    def read_records(self, table: str) -> pd.DataFrame:
        """Return every row of a product table (empty if it does not exist yet).

        Parameters
        ----------
        table : str
            Table name, as for :meth:`append_records`.

        Returns
        -------
        pandas.DataFrame
            The rows in the order they were appended.
        """
        name = _check_table(table)
        if name not in self._list_tables():
            return pd.DataFrame()
        return pd.DataFrame(self._read_records(name))

    @abstractmethod
    def state_token(self) -> str:
        """Return a token that changes whenever the store's content changes."""

    # -- backend hooks ----------------------------------------------------------
    @abstractmethod
    def _list_tables(self) -> list[str]: ...

    @abstractmethod
    def _read_layer(
        self, spec: LayerSpec, *, bbox: tuple[float, ...] | None, categories: tuple[str, ...] | None
    ) -> gpd.GeoDataFrame: ...

    @abstractmethod
    def _count(self, layer: str) -> int: ...

    @abstractmethod
    def _bounds(self, layer: str) -> tuple[float, float, float, float] | None: ...

    @abstractmethod
    def _time_span(self, spec: LayerSpec) -> tuple[pd.Timestamp, pd.Timestamp] | None: ...

    @abstractmethod
    def _ids(self, layer: str) -> set[str]: ...

    @abstractmethod
    def _write_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, *, mode: WriteMode, log_entry: dict
    ) -> None: ...

    def _write_point_layer(
        self, spec: LayerSpec, frame: gpd.GeoDataFrame, points: tuple[np.ndarray, np.ndarray], *,
        mode: WriteMode, log_entry: dict,
    ) -> None:
        """Write a layer of points given by their coordinates; by default, make them and write."""
        made = frame.copy(deep=False)
        made[frame.geometry.name] = gpd.GeoSeries(shapely.points(*points), index=frame.index, crs=frame.crs)
        self._write_layer(spec, made, mode=mode, log_entry=log_entry)

    @abstractmethod
    def _read_log(self) -> pd.DataFrame: ...

    @abstractmethod
    def _write_snapshot(self, table: str, frame: gpd.GeoDataFrame, row: dict) -> None: ...

    @abstractmethod
    def _read_snapshot_index(self) -> pd.DataFrame: ...

    @abstractmethod
    def _read_table(self, table: str) -> gpd.GeoDataFrame: ...

    @abstractmethod
    def _append_records(self, table: str, records: pd.DataFrame) -> None: ...

    @abstractmethod
    def _read_records(self, table: str) -> pd.DataFrame: ...


_TABLE = re.compile(r"^tk_[a-z0-9_]{1,60}$")


def _check_mode(mode: str) -> None:
    if mode not in WRITE_MODES:
        msg = f"mode={mode!r} is not allowed; allowed: {', '.join(WRITE_MODES)}"
        raise ValueError(msg)


def _check_table(table: str) -> str:
    if not _TABLE.match(table) or table in ("tk_import_log", "tk_snapshots"):
        msg = (
            f"table name {table!r} is not allowed; use 'tk_' and lowercase letters, digits "
            "or '_' (tk_import_log and tk_snapshots are kept by the store itself)"
        )
        raise ValueError(msg)
    return table


def _check_bbox(bbox: Sequence[float] | None) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    values = tuple(float(v) for v in bbox)
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        msg = f"bbox={tuple(bbox)!r} must be (minx, miny, maxx, maxy) with min <= max"
        raise ValueError(msg)
    return values  # type: ignore[return-value]


def _check_categories(spec: LayerSpec, categories: Iterable[str] | None) -> tuple[str, ...] | None:
    if categories is None:
        return None
    if spec.category_column is None:
        msg = f"layer {spec.name!r} has no category column; categories do not apply"
        raise ValueError(msg)
    wanted = tuple(dict.fromkeys(categories))
    allowed = spec.column(spec.category_column).allowed
    unknown = [c for c in wanted if allowed and c not in allowed]
    if unknown:
        msg = (
            f"categories {unknown} are not {spec.category_column} values of {spec.name!r}; "
            f"allowed: {', '.join(allowed)}"
        )
        raise ValueError(msg)
    return wanted


def _to_local(value: pd.Timestamp | str | None, argument: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except ValueError as exc:
        msg = f"{argument}={value!r} is not a date or time (use e.g. 2025-01-31)"
        raise ValueError(msg) from exc
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone, ambiguous="raise", nonexistent="raise")
    return stamp.tz_convert(settings.timezone)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
