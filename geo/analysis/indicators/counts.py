"""Incident counts per unit, rates per 1,000 inhabitants, change, concentration (action 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Percent change is left empty when the previous count is below this (no "+400 %" on 1 → 5).
SMALL_BASE: int = 5


def count_by_unit(unit_index: np.ndarray, n_units: int, *, mask: np.ndarray | None = None) -> np.ndarray:
    """Count points per unit.

    Parameters
    ----------
    unit_index : numpy.ndarray of int
        Each point's unit position, -1 outside every unit.
    n_units : int
        Number of units.
    mask : numpy.ndarray of bool, optional
        Points to count (all when None).

    Returns
    -------
    numpy.ndarray of int64
        One count per unit; zeros are kept.

    Examples
    --------
    >>> count_by_unit(np.array([0, 2, 2, -1]), 3).tolist()
    [1, 0, 2]
    """
    idx = unit_index if mask is None else unit_index[mask]
    # shift by one so that -1 (outside) lands in a bin that is dropped: no extra mask pass
    return np.bincount(idx + 1, minlength=n_units + 1)[1:].astype(np.int64)


def rate_per_1000(counts: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Incidents per 1,000 inhabitants; NaN where the population is unknown or zero.

    Parameters
    ----------
    counts : numpy.ndarray
        Counts per unit.
    population : numpy.ndarray
        Inhabitants per unit (NaN where unknown).

    Returns
    -------
    numpy.ndarray of float
        The rate.

    Examples
    --------
    >>> rate_per_1000(np.array([50, 3]), np.array([10_000, np.nan])).tolist()
    [5.0, nan]
    """
    pop = np.asarray(population, dtype=float)
    out = np.full(len(pop), np.nan)
    ok = np.isfinite(pop) & (pop > 0)
    out[ok] = np.asarray(counts, dtype=float)[ok] / pop[ok] * 1000.0
    return out


def change(
    current: np.ndarray, previous: np.ndarray, *, small_base: int = SMALL_BASE
) -> tuple[np.ndarray, np.ndarray]:
    """Absolute and percent change against the previous period.

    Parameters
    ----------
    current, previous : numpy.ndarray
        Counts per unit in the two periods.
    small_base : int, default SMALL_BASE
        Percent change is NaN when the previous count is below this.

    Returns
    -------
    absolute : numpy.ndarray of int64
        ``current - previous``.
    percent : numpy.ndarray of float
        ``100 * (current - previous) / previous``, NaN on a small base.

    Examples
    --------
    >>> change(np.array([12, 5]), np.array([10, 1]))[1].tolist()
    [20.0, nan]
    """
    cur = np.asarray(current, dtype=np.int64)
    prev = np.asarray(previous, dtype=np.int64)
    absolute = cur - prev
    percent = np.full(len(cur), np.nan)
    ok = prev >= small_base
    percent[ok] = 100.0 * absolute[ok] / prev[ok]
    return absolute, percent


def concentration(counts: np.ndarray, shares: tuple[float, ...] = (0.05, 0.20)) -> dict[str, float]:
    """Share of all incidents in the top ``share`` of units (the most burdened cells).

    Parameters
    ----------
    counts : numpy.ndarray
        Counts per unit.
    shares : tuple of float, default (0.05, 0.20)
        Fractions of units.

    Returns
    -------
    dict of str to float
        ``{"top_5pct": 0.41, "top_20pct": 0.77}``; NaN when there are no incidents.

    Examples
    --------
    >>> concentration(np.array([10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10]))
    {'top_5pct': 0.5, 'top_20pct': 1.0}
    """
    values = np.sort(np.asarray(counts, dtype=float))[::-1]
    total = values.sum()
    out = {}
    for share in shares:
        key = f"top_{round(share * 100)}pct"
        n = max(1, int(np.ceil(share * len(values)))) if len(values) else 0
        out[key] = float(values[:n].sum() / total) if total > 0 else float("nan")
    return out


def as_series(values: np.ndarray, unit_ids: pd.Index, name: str) -> pd.Series:
    """Wrap per-unit values in a Series indexed by unit id (for joins and display).

    Parameters
    ----------
    values : numpy.ndarray
        One value per unit.
    unit_ids : pandas.Index
        The units' ids.
    name : str
        Series name.

    Returns
    -------
    pandas.Series
        The values.
    """
    return pd.Series(values, index=unit_ids, name=name)
