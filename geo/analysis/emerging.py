"""Emerging hot spots: the trend of every unit's Gi* over time, for the lägesbild (action 3).

:func:`emerging_hotspots` computes the analytic Gi* of
:mod:`geo.analysis.hotspots` in every period and classes each unit as a
new, intensifying, persistent ... hot spot by the Mann-Kendall trend of its
z-scores (:func:`mann_kendall`); :func:`classify_emerging` applies the same
rules to z-scores and p-values computed elsewhere.

Attributes
----------
EMERGING_CLASSES : tuple of str
    The values returned by :func:`emerging_hotspots`.
emerging_class : str
    The Series returned by :func:`emerging_hotspots`: one of
    :data:`EMERGING_CLASSES`.

References
----------
.. [1] Mann, H. B. (1945). Nonparametric tests against trend.
   Econometrica 13(3), 245-259.
.. [2] Kendall, M. G. (1975). Rank Correlation Methods. Griffin, London.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from geo.analysis.hotspots import check_alpha, check_non_negative_finite, gi_star_scores
from geo.analysis.weights import star_matrix

if TYPE_CHECKING:
    from libpysal.weights import W
    from scipy import sparse

__all__ = [
    "EMERGING_CLASSES",
    "MannKendallResult",
    "classify_emerging",
    "emerging_hotspots",
    "mann_kendall",
]

EMERGING_CLASSES: tuple[str, ...] = (
    "new",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "historical",
    "none",
)

#: Percentage of periods a unit must be hot in to count as "mostly hot" (ESRI's 90 %).
_MOSTLY_HOT_PERCENT: int = 90


class MannKendallResult(NamedTuple):
    """Result of :func:`mann_kendall`; each field a float, or an array for 2-D input.

    Attributes
    ----------
    s : float or numpy.ndarray
        The Mann-Kendall statistic S, the sum of the signs of all later
        minus earlier differences.
    var_s : float or numpy.ndarray
        Variance of S under no trend, corrected for ties.
    z : float or numpy.ndarray
        Standardised S with continuity correction.
    p : float or numpy.ndarray
        Two-sided p-value of ``z`` under the normal approximation.
    """

    s: float | np.ndarray
    var_s: float | np.ndarray
    z: float | np.ndarray
    p: float | np.ndarray




def mann_kendall(values: np.ndarray | pd.Series | list[float]) -> MannKendallResult:
    r"""Mann-Kendall trend test of a series, or of every row of a matrix.

    Parameters
    ----------
    values : array-like
        A series ordered in time (1-D), or one series per row (2-D,
        units x periods). At least 2 values per series; must be finite.

    Returns
    -------
    MannKendallResult
        ``s``, ``var_s``, ``z`` and ``p``; floats for 1-D input, arrays
        with one value per row for 2-D input.

    Raises
    ------
    ValueError
        If a series has fewer than 2 values, the input has more than two
        dimensions, or a value is NaN or infinite.

    Notes
    -----
    :math:`S = \sum_{i<j} \operatorname{sign}(x_j - x_i)`,
    :math:`\operatorname{Var}(S) = [n(n-1)(2n+5) - \sum_t t(t-1)(2t+5)] / 18`
    over groups of ``t`` tied values, :math:`Z = (S - \operatorname{sign}(S))
    / \sqrt{\operatorname{Var}(S)}` (continuity correction, 0 when S = 0)
    and p is two-sided under the normal approximation (Mann 1945; Kendall
    1975). S is Kendall's tau numerator between period and value.

    Examples
    --------
    >>> result = mann_kendall([1.0, 3.0, 2.0, 4.0, 5.0])
    >>> result.s, round(result.var_s, 4), round(result.z, 4), round(result.p, 4)
    (8.0, 16.6667, 1.7146, 0.0864)
    """
    x = np.asarray(values, dtype=float)
    one = x.ndim == 1
    x = np.atleast_2d(x)
    if x.ndim != 2:
        msg = f"values must be 1-D or 2-D (units x periods); got shape {x.shape}"
        raise ValueError(msg)
    m, t = x.shape
    if t < 2:
        msg = f"values needs at least 2 periods for a trend; got {t}"
        raise ValueError(msg)
    if not np.isfinite(x).all():
        msg = "values must be finite; got NaN or infinite value(s)"
        raise ValueError(msg)
    s = np.zeros(m)
    for k in range(t - 1):
        s += np.sign(x[:, k + 1 :] - x[:, [k]]).sum(axis=1)
    # Tie groups per row: sort, start a new group where the value changes, count group sizes.
    xs = np.sort(x, axis=1)
    starts = np.ones((m, t), dtype=bool)
    starts[:, 1:] = xs[:, 1:] != xs[:, :-1]
    group = np.cumsum(starts, axis=1) - 1 + (np.arange(m) * t)[:, None]
    sizes = np.bincount(group.ravel(), minlength=m * t).reshape(m, t).astype(float)
    ties = (sizes * (sizes - 1) * (2 * sizes + 5)).sum(axis=1)
    var_s = (t * (t - 1) * (2 * t + 5) - ties) / 18.0
    z = np.zeros(m)
    np.divide(s - np.sign(s), np.sqrt(var_s), out=z, where=var_s > 0)
    p = 2.0 * special.ndtr(-np.abs(z))  # the normal tail, as scipy.stats.norm.sf
    if one:
        return MannKendallResult(float(s[0]), float(var_s[0]), float(z[0]), float(p[0]))
    return MannKendallResult(s, var_s, z, p)


def classify_emerging(gi_z: pd.DataFrame, gi_p: pd.DataFrame, *, alpha: float = 0.10) -> pd.Series:
    """Class units by their Gi* z-scores and p-values over time (ESRI categories, simplified).

    Parameters
    ----------
    gi_z, gi_p : pandas.DataFrame
        Gi* z-scores and p-values, rows = units, columns = consecutive
        periods, oldest first; the same shape.
    alpha : {0.10, 0.05, 0.01}, default 0.10
        A unit is hot in a period when z > 0 and p <= alpha; the trend is
        significant when its Mann-Kendall p <= alpha.

    Returns
    -------
    pandas.Series
        Named ``emerging_class``, one of :data:`EMERGING_CLASSES` per unit,
        indexed like ``gi_z``.

    Raises
    ------
    ValueError
        If the frames differ in shape, have fewer than 2 periods, or
        ``alpha`` is not one of the confidence levels.

    Notes
    -----
    See :func:`emerging_hotspots` for the rules.

    Examples
    --------
    >>> z = pd.DataFrame([[0.0, 0.0, 3.0], [3.0, 3.0, 0.0]])
    >>> p = pd.DataFrame([[1.0, 1.0, 0.003], [0.003, 0.003, 1.0]])
    >>> classify_emerging(z, p).tolist()
    ['new', 'historical']
    """
    check_alpha(alpha)
    if gi_z.shape != gi_p.shape:
        msg = f"gi_z has shape {gi_z.shape} but gi_p has {gi_p.shape}; they must match"
        raise ValueError(msg)
    z = gi_z.to_numpy(dtype=float)
    p = gi_p.to_numpy(dtype=float)
    if z.shape[1] < 2:
        msg = f"gi_z needs at least 2 periods (columns); got {z.shape[1]}"
        raise ValueError(msg)
    return pd.Series(_emerging_classes(z, p, alpha), index=gi_z.index, name="emerging_class")


def _emerging_classes(z: np.ndarray, p: np.ndarray, alpha: float) -> np.ndarray:
    """Apply the emerging-hot-spot rules to z and p matrices (units x periods)."""
    t = z.shape[1]
    hot = (z > 0) & (p <= alpha)
    last = hot[:, -1]
    n_before = hot[:, :-1].sum(axis=1)
    n_all = n_before + last
    mostly = 100 * n_all >= _MOSTLY_HOT_PERCENT * t
    mostly_before = 100 * n_before >= _MOSTLY_HOT_PERCENT * (t - 1)
    trend = mann_kendall(z)
    up = (trend.p <= alpha) & (trend.s > 0)
    down = (trend.p <= alpha) & (trend.s < 0)
    new = last & (n_before == 0)
    conditions = [
        new,
        last & mostly & up,
        last & mostly & down,
        last & mostly,
        last & (n_before > 0),
        ~last & mostly_before,
    ]
    choices = ["new", "intensifying", "diminishing", "persistent", "sporadic", "historical"]
    return np.select(conditions, choices, default="none").astype(object)


def emerging_hotspots(
    counts: pd.DataFrame,
    weights: W | sparse.sparray | sparse.spmatrix,
    *,
    alpha: float = 0.10,
) -> pd.Series:
    """Class units as new, intensifying, persistent ... hot spots over time.

    Parameters
    ----------
    counts : pandas.DataFrame
        Non-negative, finite counts, rows = units (matched to ``weights``
        like :func:`geo.analysis.hotspots.gi_star`'s ``values``), columns =
        consecutive periods such as quarters, oldest first; at least 2
        periods.
    weights : libpysal.weights.W, libpysal.graph.Graph or scipy sparse matrix
        Contiguity between units, e.g. from
        :func:`geo.analysis.weights.unit_weights`.
    alpha : {0.10, 0.05, 0.01}, default 0.10
        Significance level of the hot spots in each period and of the
        trend.

    Returns
    -------
    pandas.Series
        Named ``emerging_class``, one of :data:`EMERGING_CLASSES` per unit,
        indexed like ``counts``.

    Raises
    ------
    ValueError
        If ``counts`` has fewer than 2 periods, a row count different from
        the weights, a negative, NaN or infinite value, periods out of
        order, or ``alpha`` is not one of the confidence levels.
    TypeError
        If ``weights`` is not a W, Graph or square sparse matrix.

    See Also
    --------
    geo.analysis.hotspots.gi_star : Gi* of one period.
    mann_kendall : The trend test.

    Notes
    -----
    In every period the analytic Gi* (:func:`geo.analysis.hotspots.gi_star`)
    is computed; a unit is *hot* in a period when z > 0 and p <= ``alpha``.
    The trend of its z-scores is tested with Mann-Kendall
    (:func:`mann_kendall`) at ``alpha``. With ``T`` periods, a unit is, in this order of precedence:

    - ``new``: hot in the last period and never before;
    - ``intensifying``: hot in >= 90 % of the periods including the last,
      and a significant upward trend;
    - ``diminishing``: hot in >= 90 % including the last, and a significant
      downward trend;
    - ``persistent``: hot in >= 90 % including the last, no significant
      trend;
    - ``sporadic``: hot in the last period and in some earlier one, but in
      < 90 % of the periods;
    - ``historical``: not hot in the last period, but in >= 90 % of the
      earlier ones;
    - ``none``: everything else (cold spots are not classed).

    These simplify ESRI's Emerging Hot Spot Analysis categories (ArcGIS
    Pro, Space Time Pattern Mining toolbox, "How Emerging Hot Spot Analysis
    works"): no oscillating or consecutive classes, no cold-spot classes,
    and "sporadic" does not exclude earlier cold spots. ESRI recommends at
    least 10 periods; with fewer, 90 % means every period, and with 3 or
    fewer periods no trend is significant at 0.10.

    Examples
    --------
    A 3 x 3 lattice of cells (queen contiguity, as for a 3 x 3 grid) in two
    quarters:

    >>> from libpysal.weights import lat2W
    >>> w = lat2W(3, 3, rook=False)
    >>> quarters = pd.DataFrame(
    ...     {"2024Q1": [1, 1, 1, 1, 1, 1, 1, 1, 1], "2024Q2": [9, 7, 1, 8, 2, 0, 1, 0, 0]}
    ... )
    >>> emerging_hotspots(quarters, w).value_counts().to_dict()
    {'none': 8, 'new': 1}
    """
    check_alpha(alpha)
    if not isinstance(counts, pd.DataFrame):
        msg = f"counts must be a pandas DataFrame (units x periods); got {type(counts).__name__}"
        raise ValueError(msg)
    if counts.shape[1] < 2:
        msg = f"counts needs at least 2 periods (columns); got {counts.shape[1]}"
        raise ValueError(msg)
    columns = counts.columns
    if isinstance(columns, pd.PeriodIndex | pd.DatetimeIndex) and not columns.is_monotonic_increasing:
        msg = "counts columns must be periods in order, oldest first; sort them with .sort_index(axis=1)"
        raise ValueError(msg)
    try:
        y = counts.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        msg = "counts must be numeric"
        raise ValueError(msg) from exc
    check_non_negative_finite(y.ravel(), name="counts")
    star, index = star_matrix(weights, counts.index, n_values=len(counts), name="counts")
    z, p = gi_star_scores(y, star)
    return pd.Series(_emerging_classes(z, p, alpha), index=index, name="emerging_class")
