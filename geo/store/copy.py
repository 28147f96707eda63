"""Copy a whole store to another, GeoPackage and PostGIS both ways, losing nothing.

Everything moves: every spec layer (written with ``mode="replace"``, so the
target's copy of a layer is the source's), the import log entries, the
snapshots with their parameters, names and dates, and the product tables
(``tk_*``, append-only histories such as the action follow-up).

The copy is safe to run again: log entries already in the target are not
added twice, and snapshots and product tables the target already holds
identically are left alone. A target snapshot of the same name with other
content, or a product table with other rows, is refused before anything is
written.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd

from geo.errors import DataStoreError
from geo.store.base import IMPORT_LOG_COLUMNS, Store, _check_table

LOG_TABLE = "tk_import_log"
SNAPSHOT_TABLE = "tk_snapshots"


def copy_store(source: Store, target: Store, *, progress: Callable[[str], None] | None = None
               ) -> dict[str, int]:
    """Copy every layer, the import log, the snapshots and the product tables.

    Parameters
    ----------
    source : Store
        The store to read.
    target : Store
        The store to write (GeoPackage or PostGIS, empty or not).
    progress : callable, optional
        Called with one line of text per item copied.

    Returns
    -------
    dict of str to int
        Rows copied per layer and per product table, plus ``"import_log"``
        (entries added) and ``"snapshots"`` (snapshots added).

    Raises
    ------
    ValueError
        If source and target are the same store.
    DataStoreError
        If the target holds a snapshot or product table that differs from
        the source's (nothing is written then), or a backend fails.
    ValidationError
        If a source layer breaks its spec.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.demo import build_demo
    >>> from geo.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> source = build_demo(folder / "a.gpkg", incidents=200)
    >>> copied = copy_store(source, open_store(folder / "b.gpkg"))
    >>> copied["incidents"], open_store(folder / "b.gpkg").count("incidents")
    (200, 200)
    """
    if source.location == target.location:
        msg = f"source and target are the same store ({source.location}); name two stores"
        raise ValueError(msg)
    say = progress or _silent
    snapshots = _snapshots_to_copy(source, target)
    tables = _tables_to_copy(source, target)
    copied: dict[str, int] = {}
    for layer in source.list_layers():
        frame = source.read(layer)
        copied[layer] = target.write(layer, frame, mode="replace", source=f"copy of {source.location}",
                                     note="trygghetskartan store copy")
        say(f"{layer}: {copied[layer]} rows")
    copied["import_log"] = _copy_log(source, target)
    say(f"import log: {copied['import_log']} entries")
    for row in snapshots:
        frame, _ = source.read_snapshot(row["name"])
        target._write_snapshot(row["table"], frame, row)
        say(f"snapshot {row['name']!r}: {row['rows']} rows")
    copied["snapshots"] = len(snapshots)
    for table, records in tables.items():
        target.append_records(table, records)
        copied[table] = len(records)
        say(f"{table}: {len(records)} rows")
    return copied


def _silent(_message: str) -> None:
    return None


def _product_tables(store: Store) -> list[str]:
    names = []
    for name in store._list_tables():
        try:
            names.append(_check_table(name))
        except ValueError:
            continue
    return names


def _snapshots_to_copy(source: Store, target: Store) -> list[dict]:
    """Return the snapshot index rows the target lacks; refuse differing ones."""
    theirs = {row["name"]: row for row in target.list_snapshots().to_dict("records")}
    wanted, clashes = [], []
    for row in source.list_snapshots().to_dict("records"):
        row = {**row, "rows": int(row["rows"]), "created_at": pd.Timestamp(row["created_at"])}
        other = theirs.get(row["name"])
        if other is None:
            wanted.append(row)
        elif (int(other["rows"]), _json(other["params"])) != (row["rows"], _json(row["params"])):
            clashes.append(row["name"])
    if clashes:
        msg = (f"{target.location} already has other snapshots named {', '.join(map(repr, clashes))}; "
               "nothing was copied")
        raise DataStoreError(msg)
    return wanted


def _tables_to_copy(source: Store, target: Store) -> dict[str, pd.DataFrame]:
    """Return the product tables to append; refuse targets holding other rows."""
    present = set(_product_tables(target))
    out, clashes = {}, []
    for table in _product_tables(source):
        records = source.read_records(table)
        if table not in present:
            out[table] = records
            continue
        existing = target.read_records(table)
        if len(existing) == 0:
            out[table] = records
        elif len(existing) != len(records) or list(existing.columns) != list(records.columns):
            clashes.append(table)
    if clashes:
        msg = (f"{target.location} already has other rows in {', '.join(clashes)}; "
               "copy into an empty store; nothing was copied")
        raise DataStoreError(msg)
    return out


def _copy_log(source: Store, target: Store) -> int:
    log = source.import_log()
    if log.empty:
        return 0
    log = log[list(IMPORT_LOG_COLUMNS)].copy()
    log["at"] = pd.to_datetime(log["at"], utc=True)
    log["rows"] = log["rows"].astype("int64")
    seen = {_log_key(row) for row in target.import_log().to_dict("records")}
    fresh = log[[_log_key(row) not in seen for row in log.to_dict("records")]]
    if len(fresh):
        target._append_records(LOG_TABLE, fresh.reset_index(drop=True))
    return len(fresh)


def _log_key(row: dict) -> tuple:
    at = pd.Timestamp(row["at"]).tz_convert("UTC").floor("ms")
    return (at, *(str(row[c]) if not pd.isna(row[c]) else "" for c in IMPORT_LOG_COLUMNS[1:]))


def _json(text: str) -> object:
    return json.loads(text)
