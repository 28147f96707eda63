"""Getis-Ord Gi* hot and cold spots for the lägesbild (action 3).

The lägesbild counts incidents per unit (a grid cell or an area polygon);
this module says which units are hot or cold spots. :func:`gi_star`
classes one count per unit, given the neighbourhood of every unit from
:func:`geo.analysis.weights.unit_weights`; :func:`fdr_cutoff` is its
false-discovery-rate threshold. Gi* over time (emerging hot spots) is in
:mod:`geo.analysis.emerging`.

The analytic Gi* is a closed formula on a sparse matrix: milliseconds for
the 1 100 cells of a 250 m grid over the kommun, and for 20 000 cells.
Conditional permutations (``permutations > 0``) go through esda's
``G_Local`` and take seconds.

Attributes
----------
DEFAULT_SEED : int
    Seed of the conditional permutations unless a ``seed`` is given.
DEFAULT_PERMUTATIONS : int
    The number of permutations used when ``permutations=None``. It is read
    from ``geo.settings.permutations`` each time it is accessed (999 by
    default), so a change to the setting takes effect at once.
CONFIDENCE_LEVELS : tuple of (float, str)
    Significance levels and their class suffixes: ``(0.01, "99")``,
    ``(0.05, "95")``, ``(0.10, "90")``. An ``alpha`` must be one of these
    levels.
GI_CLASSES : tuple of str
    The values of ``gi_class``, hottest first.
gi_z : float
    Column of :func:`gi_star`: the Gi* z-score. Positive where high counts
    cluster, negative where low counts cluster, 0 for a constant input.
gi_p : float
    Column of :func:`gi_star`: the two-sided p-value of ``gi_z`` under the
    normal approximation, or with permutations the pseudo p-value of
    conditional randomisation (esda's ``p_sim``). 1 for a constant input.
gi_class : str
    Column of :func:`gi_star`: one of :data:`GI_CLASSES`.

Notes
-----
Gi* uses binary weights with the unit itself included (weight 1), the same
statistic as ``esda.G_Local(y, w, transform="B", star=True)``; see Getis
and Ord (1992) and Ord and Getis (1995). A unit with no neighbours (an
island) still has a Gi*: its own value.

References
----------
.. [1] Getis, A. and Ord, J. K. (1992). The analysis of spatial association
   by use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [2] Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation
   statistics: distributional issues and an application. Geographical
   Analysis 27(4), 286-306.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from geo import settings
from geo.analysis.weights import star_matrix, to_libpysal_w

if TYPE_CHECKING:
    from libpysal.weights import W
    from scipy import sparse

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_SEED",
    "GI_CLASSES",
    "check_alpha",
    "check_non_negative_finite",
    "fdr_cutoff",
    "gi_star",
    "gi_star_scores",
]

DEFAULT_SEED: int = 12345

CONFIDENCE_LEVELS: tuple[tuple[float, str], ...] = ((0.01, "99"), (0.05, "95"), (0.10, "90"))

GI_CLASSES: tuple[str, ...] = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)

#: The deprecation esda's conditional randomisation emits on every call (esda 2.x).
_ESDA_ALTERNATIVE_WARNING: str = "The alternative hypothesis for conditional randomization"

#: Simulated Gi (a share of the total, in [0, 1]) closer than this to the observed one is a tie.
_TIE_TOLERANCE: float = 1e-12


def __getattr__(name: str) -> int:
    """Read ``DEFAULT_PERMUTATIONS`` from the settings when it is accessed."""
    if name == "DEFAULT_PERMUTATIONS":
        return settings.permutations
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)



def gi_star(
    values: pd.Series | np.ndarray | list[float],
    weights: W | sparse.sparray | sparse.spmatrix,
    *,
    permutations: int | None = 0,
    seed: int | None = DEFAULT_SEED,
    fdr: bool = False,
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Getis-Ord Gi* z-score, p-value and hot/cold-spot class of every unit.

    Parameters
    ----------
    values : pandas.Series, numpy.ndarray or list of float
        One non-negative, finite value per unit (counts or rates). Values
        are matched to the weights by position; a Series whose index holds
        exactly the weights' ids (in any order) is matched by label.
    weights : libpysal.weights.W, libpysal.graph.Graph or scipy sparse matrix
        Contiguity between units, e.g. from
        :func:`geo.analysis.weights.unit_weights`. Only
        which weights are nonzero matters: Gi* here uses binary weights
        with the unit itself included (any self-weight or transform of the
        input is ignored). The object is not changed.
    permutations : int or None, default 0
        0 for the analytic p-value (normal approximation, milliseconds).
        A positive number for pseudo p-values from that many conditional
        permutations (esda, seconds). None for :data:`DEFAULT_PERMUTATIONS`
        (``settings.permutations``, read at call time).
    seed : int or None, default DEFAULT_SEED
        Seed of the permutations, passed down to esda; None for a random
        one (not reproducible). Unused when ``permutations == 0``.
    fdr : bool, default False
        Control the false discovery rate (Benjamini-Hochberg) at each
        confidence level instead of testing every unit at the level alone.
    alpha : {0.05, 0.01, 0.10}, default 0.05
        The loosest significance level that is classed: 0.05 gives the
        99 % and 95 % classes, 0.10 also the 90 % class, 0.01 only 99 %.

    Returns
    -------
    pandas.DataFrame
        Columns ``gi_z`` (float), ``gi_p`` (float) and ``gi_class`` (str,
        one of :data:`GI_CLASSES`), one row per unit, indexed like
        ``values`` if it is a Series, else by the weights' ids.

    Raises
    ------
    ValueError
        If ``values`` and ``weights`` differ in length, a value is
        negative, NaN or infinite, ``permutations`` is negative or
        ``alpha`` is not one of the confidence levels.
    TypeError
        If ``weights`` is not a W, Graph or square sparse matrix.

    See Also
    --------
    geo.analysis.weights.unit_weights : Builds the weights.
    geo.analysis.emerging.emerging_hotspots : Gi* over time.
    esda.G_Local : The permutation path.

    Notes
    -----
    With binary star weights :math:`w_{ij}` (:math:`w_{ii} = 1`),
    :math:`W_i = \sum_j w_{ij}`, the mean :math:`\bar{x}` and the
    (population) standard deviation :math:`s` of the ``n`` values, the
    z-score of Getis and Ord (1992), Ord and Getis (1995) is

    .. math::

        z_i = \frac{\sum_j w_{ij} x_j - \bar{x} W_i}
                    {s \sqrt{W_i (n - W_i) / (n - 1)}}

    computed for all units at once with one sparse product. ``gi_p`` is
    :math:`2 (1 - \Phi(|z_i|))`. It equals ``esda.G_Local(values, w,
    transform="B", star=True)``'s ``Zs``. A unit whose neighbourhood is
    every unit, and every unit of a constant input, gets z = 0 and p = 1.

    With permutations, ``gi_z`` is still the analytic z-score and
    ``gi_p`` is a pseudo p-value from esda's conditional permutations (the
    unit's own value fixed, the others shuffled): with ``k`` the smaller of
    the number of simulated Gi* at least as large and at least as small as
    observed, p = (k + 1) / (permutations + 1). This is esda's ``p_sim``
    ("directed", one-tailed on the side of the observation, so roughly
    half a two-sided p-value) except that ties count on both sides: esda
    gives the smallest p to a cell whose every simulation ties it, which
    flags most zero cells of sparse counts as cold spots. An island gets
    p = 1: with no neighbours to shuffle there is nothing to test (esda
    would give it the smallest p). Because the p-value is one-tailed, the
    permutation path classes more units than the analytic one at the same
    level. esda keeps every simulated value (``n * permutations`` floats,
    160 MB for 20 000 cells and 999 permutations) while it runs; its
    deprecation warning about the alternative is silenced, and the global
    NumPy random state it reseeds is restored.

    A unit is in class ``hot_99``/``cold_99`` if p <= 0.01, else
    ``*_95`` if p <= 0.05, else ``*_90`` if p <= 0.10 (levels above
    ``alpha`` are left out), hot when z > 0 and cold when z < 0. With
    ``fdr=True`` the threshold at each level is the Benjamini-Hochberg
    cutoff of all p-values at that level (:func:`fdr_cutoff`), as ESRI's
    Hot Spot Analysis does.

    References
    ----------
    .. [1] Getis, A. and Ord, J. K. (1992). The analysis of spatial
       association by use of distance statistics. Geographical Analysis
       24(3), 189-206.
    .. [2] Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation
       statistics: distributional issues and an application. Geographical
       Analysis 27(4), 286-306.

    Examples
    --------
    A 3 x 3 lattice of cells with high counts in one corner, cells ordered
    row by row; its queen contiguity is what
    :func:`geo.analysis.weights.unit_weights` gives for a 3 x 3 grid:

    >>> from libpysal.weights import lat2W
    >>> w = lat2W(3, 3, rook=False)
    >>> counts = [9, 7, 1, 8, 2, 0, 1, 0, 0]
    >>> result = gi_star(counts, w, alpha=0.10)
    >>> result.round(4)
         gi_z    gi_p         gi_class
    0  2.4207  0.0155           hot_95
    1  1.5686  0.1167  not_significant
    2 -0.4365  0.6625  not_significant
    3  1.5686  0.1167  not_significant
    4  0.0000  1.0000  not_significant
    5 -1.6314  0.1028  not_significant
    6 -0.2579  0.7964  not_significant
    7 -1.4431  0.1490  not_significant
    8 -1.8651  0.0622          cold_90

    The same with 999 seeded conditional permutations (the centre
    neighbours every cell, so no permutation can change its Gi*):

    >>> by_permutation = gi_star(counts, w, permutations=999, seed=DEFAULT_SEED, alpha=0.10)
    >>> by_permutation["gi_p"].tolist()
    [0.019, 0.146, 0.499, 0.118, 1.0, 0.078, 0.5, 0.167, 0.089]
    """
    if permutations is None:
        permutations = settings.permutations
    _check_permutations(permutations)
    check_alpha(alpha)
    y, labels = _check_values(values, name="values")
    star, index = star_matrix(weights, labels, n_values=len(y), name="values")

    z, p = gi_star_scores(y[:, None], star)
    z, p = z[:, 0], p[:, 0]
    if permutations > 0 and np.ptp(y) > 0:
        p = _gi_star_permutation_p(y, star, permutations, seed)
    classes = _classify(z, p, alpha=alpha, fdr=fdr)
    return pd.DataFrame({"gi_z": z, "gi_p": p, "gi_class": classes}, index=index)


def _check_values(values: object, *, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Return the values as a float array, and their index if they are a Series."""
    if isinstance(values, pd.DataFrame):
        msg = f"{name} must be one value per unit (a Series or 1-D array); got a DataFrame"
        raise ValueError(msg)
    try:
        y = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        msg = f"{name} must be numeric; got {type(values).__name__}"
        raise ValueError(msg) from exc
    if y.ndim != 1:
        msg = f"{name} must be 1-D, one value per unit; got shape {y.shape}"
        raise ValueError(msg)
    check_non_negative_finite(y, name=name)
    return y, values.index if isinstance(values, pd.Series) else None


def check_non_negative_finite(y: np.ndarray, *, name: str) -> None:
    """Raise unless every value is finite and >= 0.

    Parameters
    ----------
    y : numpy.ndarray
        The values, flattened (one per unit, or per unit and period).
    name : str
        The name of the values in the error message.

    Raises
    ------
    ValueError
        If a value is NaN, infinite or negative; the message counts them
        and names the first position.
    """
    bad = ~np.isfinite(y)
    if bad.any():
        msg = (
            f"{name} must be finite; got {int(bad.sum())} NaN/infinite value(s) "
            f"(first at position {int(np.flatnonzero(bad)[0])}); fill missing counts with 0"
        )
        raise ValueError(msg)
    neg = y < 0
    if neg.any():
        first = int(np.flatnonzero(neg)[0])
        msg = (
            f"{name} must be non-negative (counts or rates); got {int(neg.sum())} negative "
            f"value(s), first {float(y[first])!r} at position {first}"
        )
        raise ValueError(msg)


def _check_permutations(permutations: object) -> None:
    """Raise unless ``permutations`` is an int >= 0."""
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer) or permutations < 0:
        msg = (
            f"permutations={permutations!r} is not allowed; use 0 (analytic), a positive int, "
            f"or None for settings.permutations ({settings.permutations})"
        )
        raise ValueError(msg)


def check_alpha(alpha: object) -> None:
    """Raise unless ``alpha`` is one of the confidence levels.

    Parameters
    ----------
    alpha : object
        The significance level to check.

    Raises
    ------
    ValueError
        If ``alpha`` is not one of the levels of :data:`CONFIDENCE_LEVELS`.
    """
    levels = [level for level, _ in CONFIDENCE_LEVELS]
    if alpha not in levels:
        msg = (
            f"alpha={alpha!r} is not allowed; it must lie in (0, 1) and be one of the "
            f"confidence levels {', '.join(map(str, levels))}"
        )
        raise ValueError(msg)


def gi_star_scores(y: np.ndarray, star: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Analytic Gi* z-scores and two-sided normal p-values, one column per column of ``y``.

    Parameters
    ----------
    y : numpy.ndarray
        Checked values, ``n x t``: one row per unit, one column per period.
    star : scipy.sparse.csr_array
        Binary ``n x n`` star weights, as :func:`geo.analysis.weights.star_matrix`
        gives them, rows in the order of ``y``.

    Returns
    -------
    z, p : numpy.ndarray
        ``n x t`` z-scores and p-values, the formula of :func:`gi_star`
        applied to every column; z = 0 where the spread is 0.
    """
    n = star.shape[0]
    w_sum = np.asarray(star.sum(axis=1)).ravel()  # W_i, self included
    lag = star @ y
    mean = y.mean(axis=0)
    sd = y.std(axis=0)
    sd[np.ptp(y, axis=0) == 0] = 0.0  # exactly constant: no rounding residue
    spread = w_sum * (n - w_sum) / max(n - 1, 1)
    den = np.sqrt(spread)[:, None] * sd[None, :]
    num = lag - w_sum[:, None] * mean[None, :]
    z = np.zeros_like(num)
    np.divide(num, den, out=z, where=den > 0)
    p = 2.0 * special.ndtr(-np.abs(z))  # the normal tail, as scipy.stats.norm.sf
    return z, p


def _gi_star_permutation_p(
    y: np.ndarray, star: sparse.csr_array, permutations: int, seed: int | None
) -> np.ndarray:
    """Pseudo p-values of Gi* from esda's conditional permutations, ties counted both ways."""
    from esda.getisord import G_Local

    # esda changes the weights it is given (transform, cached sparse): give it its own.
    w = to_libpysal_w(star, list(range(len(y))))
    rng_state = np.random.get_state()  # esda reseeds NumPy's global generator
    try:
        # esda's own moments (unused here) divide 0 by 0 where a unit neighbours every unit
        # or every permutation gives the same value.
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.filterwarnings("ignore", message=_ESDA_ALTERNATIVE_WARNING, category=DeprecationWarning)
            local = G_Local(
                y,
                w,
                transform="B",
                star=True,
                permutations=permutations,
                keep_simulations=True,
                n_jobs=1,
                seed=seed,
            )
    finally:
        np.random.set_state(rng_state)
    simulated = np.asarray(local.rGs, dtype=float).reshape(len(y), permutations)
    observed = np.asarray(local.Gs, dtype=float)[:, None]
    # esda's p_sim folds #(sim >= obs) and so gives the smallest p where every simulation
    # ties the observation (e.g. a zero cell among zeros). Count ties on both sides.
    n_greater = (simulated >= observed - _TIE_TOLERANCE).sum(axis=1)
    n_less = (simulated <= observed + _TIE_TOLERANCE).sum(axis=1)
    p = (np.minimum(n_greater, n_less) + 1.0) / (permutations + 1.0)
    islands = np.diff(star.indptr) == 1  # only the self-weight
    p[islands] = 1.0
    return p


def fdr_cutoff(pvalues: np.ndarray, alpha: float) -> float:
    """Benjamini-Hochberg cutoff: p-values at or below it are discoveries.

    Parameters
    ----------
    pvalues : numpy.ndarray
        The p-values of all tests.
    alpha : float
        The false discovery rate to control, in (0, 1).

    Returns
    -------
    float
        ``k * alpha / m`` for the largest ``k`` with ``p_(k) <= k * alpha / m``
        (``p_(k)`` the k-th smallest of ``m`` p-values), or 0.0 when no
        p-value qualifies.

    Raises
    ------
    ValueError
        If ``alpha`` is not in (0, 1) or a p-value is outside [0, 1].

    Notes
    -----
    Benjamini, Y. and Hochberg, Y. (1995), Controlling the false discovery
    rate, JRSS B 57(1), 289-300. Unlike ``esda.fdr``, this does not fall
    back to the Bonferroni bound ``alpha / m`` when nothing qualifies
    (that bound then rejects nothing either) and compares with ``<=``.

    Examples
    --------
    >>> fdr_cutoff(np.array([0.001, 0.008, 0.039, 0.041, 0.6]), 0.05)
    0.02
    """
    if not 0 < alpha < 1:
        msg = f"alpha={alpha!r} is not allowed; it must lie in (0, 1)"
        raise ValueError(msg)
    p = np.sort(np.asarray(pvalues, dtype=float).ravel())
    if ((p < 0) | (p > 1) | np.isnan(p)).any():
        msg = "pvalues must lie in [0, 1]"
        raise ValueError(msg)
    m = len(p)
    thresholds = np.arange(1, m + 1) * alpha / m
    passing = np.flatnonzero(p <= thresholds)
    if len(passing) == 0:
        return 0.0
    return float(thresholds[passing[-1]])


def _classify(z: np.ndarray, p: np.ndarray, *, alpha: float, fdr: bool) -> np.ndarray:
    """Hot/cold class per unit from z, p and the confidence levels up to ``alpha``."""
    classes = np.full(len(z), "not_significant", dtype=object)
    # Loosest level first, so that stricter levels overwrite.
    for level, suffix in sorted(CONFIDENCE_LEVELS, reverse=True):
        if level > alpha:
            continue
        threshold = fdr_cutoff(p, level) if fdr else level
        significant = p <= threshold
        classes[significant & (z > 0)] = f"hot_{suffix}"
        classes[significant & (z < 0)] = f"cold_{suffix}"
    return classes

