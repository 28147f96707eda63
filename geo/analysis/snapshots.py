"""Saved lägesbilder: save with parameters and date, list, and compare two.

A snapshot is a lägesbild frame stored in the store with the parameters
that produced it, so this quarter can be compared with the last and the
annual report can cite it.

A snapshot carries the audience it was computed for (in its parameters):
it is listed, read and compared only for that audience or a more trusted
one. A snapshot whose audience is unknown counts as ``protected``.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.indicators.counts import SMALL_BASE, change
from geo.audiences import AUDIENCES, DEFAULT_AUDIENCE, at_least, check_audience
from geo.errors import DataStoreError
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


def snapshot_audience(meta: dict) -> str:
    """Return the audience a snapshot was computed for (``protected`` when unknown).

    Parameters
    ----------
    meta : dict
        The snapshot's stored parameters (:meth:`Store.read_snapshot`).

    Returns
    -------
    str
        ``public``, ``staff`` or ``protected``.

    Examples
    --------
    >>> snapshot_audience({"params": {"audience": "public"}})
    'public'
    >>> snapshot_audience({})
    'protected'
    """
    audience = (meta.get("params") or {}).get("audience")
    return audience if audience in AUDIENCES else "protected"


def list_snapshots(store: Store, *, audience: str = DEFAULT_AUDIENCE) -> pd.DataFrame:
    """Return the snapshots ``audience`` may see, oldest first.

    Parameters
    ----------
    store : Store
        The store.
    audience : {"public", "staff", "protected"}, default "public"
        Who asks.

    Returns
    -------
    pandas.DataFrame
        :meth:`Store.list_snapshots` with a column ``audience``, only the
        snapshots computed for ``audience`` or a less trusted one.
    """
    check_audience(audience)
    snaps = store.list_snapshots()
    metas = [json.loads(p) if isinstance(p, str) else (p or {}) for p in snaps["params"]]
    made_for = [snapshot_audience(meta) for meta in metas]
    snaps = snaps.assign(audience=pd.Series(made_for, index=snaps.index, dtype=object))
    visible = np.array([at_least(audience, a) for a in made_for], dtype=bool)
    return snaps.loc[visible].reset_index(drop=True)


def read_snapshot(store: Store, name: str, *,
                  audience: str = DEFAULT_AUDIENCE) -> tuple[gpd.GeoDataFrame, dict]:
    """Return a snapshot's data and parameters, if ``audience`` may see it.

    Parameters
    ----------
    store : Store
        The store.
    name : str
        The snapshot's name.
    audience : {"public", "staff", "protected"}, default "public"
        Who asks.

    Returns
    -------
    frame : geopandas.GeoDataFrame
        The stored data.
    meta : dict
        The stored parameters.

    Raises
    ------
    DataStoreError
        If there is no such snapshot the audience may see (a snapshot made
        for a more trusted audience is not named); the message lists the
        ones it may.
    """
    visible = list_snapshots(store, audience=audience)
    if name not in set(visible["name"]):
        names = ", ".join(visible["name"]) or "none"
        msg = f"no snapshot named {name!r} for the {audience} audience; snapshots: {names}"
        raise DataStoreError(msg)
    return store.read_snapshot(name)


def _storable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    out.attrs = {}
    return out


def compare_snapshots(store: Store, before: str, after: str, *,
                      audience: str = DEFAULT_AUDIENCE) -> gpd.GeoDataFrame:
    """Compare two saved lägesbilder unit by unit.

    Parameters
    ----------
    store : Store
        The store holding both snapshots.
    before, after : str
        Snapshot names, e.g. last quarter and this quarter.
    audience : {"public", "staff", "protected"}, default "public"
        Who asks: both snapshots must be visible to it (:func:`read_snapshot`).

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
        If a snapshot does not exist for the audience.
    """
    frame_a, params_a = read_snapshot(store, before, audience=audience)
    frame_b, params_b = read_snapshot(store, after, audience=audience)
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
