"""Class breaks for choropleths: quantile classes that keep every class in use.

A linear colour scale from the smallest to the largest value leaves most
units pale when a few units hold most incidents (the usual case). Quantile
classes give each colour about the same number of units. Two rules keep the
map honest:

- zero is a class of its own when it occurs in a non-negative indicator
  (no incidents is not "a little"), and the quantiles are taken over the
  positive values;
- an indicator with values on both sides of zero (change, z-scores) gets
  diverging classes: quantiles of the negative values, zero, quantiles of
  the positive values, so the colour's side always tells the sign.

Missing values (suppressed or undefined) get class ``-1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Sequential oranges (ColorBrewer), light to dark, for up to six classes.
SEQUENTIAL: tuple[str, ...] = ("#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
#: Diverging blue - grey - red (ColorBrewer RdBu), for up to three classes each side.
NEGATIVE: tuple[str, ...] = ("#2166ac", "#67a9cf", "#d1e5f0")
NEUTRAL = "#f7f7f7"
POSITIVE: tuple[str, ...] = ("#fddbc7", "#ef8a62", "#b2182b")
#: Colour of units without a value.
MISSING = "#bdbdbd"


@dataclass(frozen=True)
class Classes:
    """Classes of a set of values.

    Attributes
    ----------
    index : numpy.ndarray of int
        Class of each value, ``-1`` where the value is missing.
    bounds : tuple of tuple of float
        ``(low, high)`` per class, both inclusive, as found in the data.
    colours : tuple of str
        One colour per class.
    """

    index: np.ndarray
    bounds: tuple[tuple[float, float], ...]
    colours: tuple[str, ...]


def classify(values: np.ndarray, k: int = 5) -> Classes:
    """Put values into at most ``k`` quantile classes (see the module docstring).

    Parameters
    ----------
    values : array-like of float
        The indicator, NaN where missing.
    k : int, default 5
        Most classes on one side of zero (2 to 6).

    Returns
    -------
    Classes
        Per value its class; per class its bounds and colour.

    Raises
    ------
    ValueError
        If ``k`` is outside 2..6.

    Examples
    --------
    >>> c = classify(np.array([0, 0, 1, 2, 3, 4, 10, np.nan]), k=3)
    >>> c.index.tolist()
    [0, 0, 1, 1, 1, 2, 2, -1]
    >>> c.bounds
    ((0.0, 0.0), (1.0, 3.0), (4.0, 10.0))
    """
    if not 2 <= k <= len(SEQUENTIAL):
        msg = f"k={k} classes is not supported; use 2 to {len(SEQUENTIAL)}"
        raise ValueError(msg)
    values = np.asarray(values, dtype=float)
    index = np.full(len(values), -1, dtype=np.int64)
    finite = np.isfinite(values)
    if not finite.any():
        return Classes(index, (), ())
    low, high = float(values[finite].min()), float(values[finite].max())
    if low < 0 < high:
        # the darkest blue for the most negative class, the darkest red for the most positive
        sides = [(finite & (values < 0), min(3, k // 2 + 1), NEGATIVE),
                 (finite & (values == 0), 1, (NEUTRAL,)),
                 (finite & (values > 0), min(3, k // 2 + 1), POSITIVE)]
    elif low == 0 and high > 0:
        sides = [(finite & (values == 0), 1, SEQUENTIAL[:1]),
                 (finite & (values > 0), k - 1, SEQUENTIAL[1:])]
    else:
        sides = [(finite, k, SEQUENTIAL)]
    bounds: list[tuple[float, float]] = []
    colours: list[str] = []
    for mask, n_classes, palette in sides:
        if not mask.any():
            continue
        part = _quantile_classes(values[mask], n_classes)
        used = np.unique(part)
        palette = _spread(palette, len(used))
        for rank, cls in enumerate(used):
            members = values[mask][part == cls]
            bounds.append((float(members.min()), float(members.max())))
            colours.append(palette[rank])
        index[mask] = len(bounds) - len(used) + np.searchsorted(used, part)
    return Classes(index, tuple(bounds), tuple(colours))


def _quantile_classes(values: np.ndarray, k: int) -> np.ndarray:
    """Class ``0..k-1`` of each value by quantile breaks; equal values share a class."""
    if k == 1 or values.min() == values.max():
        return np.zeros(len(values), dtype=np.int64)
    inner = np.unique(np.quantile(values, np.linspace(0, 1, k + 1)[1:-1], method="higher"))
    return np.searchsorted(inner, values, side="left")  # a break closes its class (as mapclassify)


def _spread(palette: tuple[str, ...], n: int) -> tuple[str, ...]:
    """Pick ``n`` colours spread over ``palette`` (its ends included when n > 1)."""
    if n >= len(palette):
        return palette
    if n == 1:
        return (palette[len(palette) // 2],)
    picks = np.round(np.linspace(0, len(palette) - 1, n)).astype(int)
    return tuple(palette[i] for i in picks)
