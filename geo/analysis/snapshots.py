"""Saved lägesbilder: save with parameters and date, list, and compare two.

A snapshot is a lägesbild frame stored in the store with the parameters
that produced it, so this quarter can be compared with the last and the
annual report can cite it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.indicators.counts import SMALL_BASE, change
from geo.store.base import Store

#: Columns carried from each snapshot into a comparison.
COMPARED: tuple[str, ...] = ("incidents", "incidents_rate", "gi_class", "composite_index")


def save_lagesbild(store: Store, name: str, frame: gpd.GeoDataFrame) -> str:
    """Save a lägesbild as a named, dated snapshot.

    Parameters
    ----------
    store : Store
        Where to save it.
    name : str
        The snapshot's name (e.g. ``"2026 Q3"``).
    frame : geopandas.GeoDataFrame
        From :func:`geo.privacy.compute_lagesbild`; its ``attrs`` (params,
        provenance, concentration) are saved as the snapshot's parameters.

    Returns
    -------
    str
        The table the snapshot is stored in.
    """
    meta = {key: frame.attrs.get(key) for key in
            ("params", "provenance", "concentration", "kommun_level_incidents", "suppressed")}
    return store.save_snapshot(name, _storable(frame), meta)


def _storable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    out.attrs = {}
    return out


def compare_snapshots(store: Store, before: str, after: str) -> gpd.GeoDataFrame:
    """Compare two saved lägesbilder unit by unit.

    Parameters
    ----------
    store : Store
        The store holding both snapshots.
    before, after : str
        Snapshot names, e.g. last quarter and this quarter.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit of ``after``: ``unit_id``, ``name``, for each of
        :data:`COMPARED` a ``_before`` and ``_after`` column, ``change_abs``,
        ``change_pct`` (empty on a small base) and ``class_changed``.

    Raises
    ------
    ValueError
        If the snapshots were made for different geographies.
    DataStoreError
        If a snapshot does not exist.
    """
    frame_a, params_a = store.read_snapshot(before)
    frame_b, params_b = store.read_snapshot(after)
    unit_a = (params_a.get("params") or {}).get("unit")
    unit_b = (params_b.get("params") or {}).get("unit")
    if unit_a != unit_b:
        msg = (f"snapshots {before!r} ({unit_a}) and {after!r} ({unit_b}) use different units; "
               "compare like with like")
        raise ValueError(msg)
    left = pd.DataFrame(frame_a.drop(columns=frame_a.geometry.name))
    keep = ["unit_id", *[c for c in COMPARED if c in left.columns]]
    merged = frame_b[["unit_id", "name", frame_b.geometry.name]].merge(
        left[keep], on="unit_id", how="left")
    merged = merged.rename(columns={c: f"{c}_before" for c in keep if c != "unit_id"})
    for column in COMPARED:
        if column in frame_b.columns:
            merged[f"{column}_after"] = frame_b[column].to_numpy()
    a = pd.to_numeric(merged.get("incidents_before"), errors="coerce")
    b = pd.to_numeric(merged.get("incidents_after"), errors="coerce")
    known = a.notna() & b.notna()
    absolute, percent = change(b.fillna(0).to_numpy(np.int64), a.fillna(0).to_numpy(np.int64),
                               small_base=SMALL_BASE)
    merged["change_abs"] = pd.array(np.where(known, absolute, 0), dtype="Int64").copy()
    merged.loc[~known.to_numpy(), "change_abs"] = pd.NA
    merged["change_pct"] = np.where(known, percent, np.nan)
    if "gi_class_before" in merged and "gi_class_after" in merged:
        merged["class_changed"] = merged["gi_class_before"] != merged["gi_class_after"]
    result = gpd.GeoDataFrame(merged, geometry=frame_b.geometry.name, crs=frame_b.crs)
    result.attrs = {"before": before, "after": after, "params_before": params_a, "params_after": params_b}
    return result
