"""Argument checks and area shares shared by the indicator modules (private)."""

from __future__ import annotations

import numpy as np
import shapely


def check_n_units(n_units: int) -> int:
    """Return ``n_units`` as an int if it is a whole number >= 0, else raise ValueError."""
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 0:
        msg = f"n_units={n_units!r} is not allowed; expected an integer >= 0 (len(units))"
        raise ValueError(msg)
    return int(n_units)


def check_unit_index(unit_index: np.ndarray, n_units: int | None, *, name: str = "unit_index") -> np.ndarray:
    """Return unit positions as int64 if they are 1-D integers from -1 to ``n_units - 1``."""
    index = np.asarray(unit_index)
    if index.ndim != 1 or index.dtype.kind not in "iu":
        msg = (f"{name} must be a 1-D integer array of unit positions (-1 outside); "
               f"received dtype {index.dtype} with shape {index.shape}")
        raise ValueError(msg)
    index = index.astype(np.int64, copy=False)
    if len(index):
        low, high = int(index.min()), int(index.max())
        top = n_units - 1 if n_units is not None else high
        if low < -1 or high > top:
            msg = f"{name} holds values from {low} to {high}; allowed: -1 to {top} (n_units={n_units})"
            raise ValueError(msg)
    return index


def check_mask(mask: np.ndarray | None, length: int, *, name: str = "mask") -> np.ndarray | None:
    """Return ``mask`` if it is None or a boolean array of ``length`` entries, else raise ValueError."""
    if mask is None:
        return None
    array = np.asarray(mask)
    if array.dtype != bool or array.shape != (length,):
        msg = f"{name} must be a boolean array of shape ({length},); received {array.dtype} {array.shape}"
        raise ValueError(msg)
    return array


def covered_share(unit_geoms: np.ndarray, cover: shapely.Geometry) -> np.ndarray:
    """Share of each unit's area inside ``cover`` (a union), by its disjoint parts and an STRtree."""
    unit_area = shapely.area(unit_geoms)
    covered = np.zeros(len(unit_geoms))
    parts = shapely.get_parts(cover)
    if len(parts) and len(unit_geoms):
        units_hit, parts_hit = shapely.STRtree(parts).query(unit_geoms, predicate="intersects")
        pieces = shapely.area(shapely.intersection(unit_geoms[units_hit], parts[parts_hit]))
        covered = np.bincount(units_hit, weights=pieces, minlength=len(unit_geoms))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(unit_area > 0, covered / unit_area, np.nan)
    return np.clip(share, 0.0, 1.0)
