"""Getis-Ord Gi* hot and cold spots, and emerging hot spots, for the lägesbild (action 3).

The lägesbild counts incidents per unit (a grid cell or an area polygon);
this module says which units are hot or cold spots. :func:`unit_weights`
builds the neighbourhood of every unit, :func:`gi_star` classes one count
per unit, and :func:`emerging_hotspots` classes a count per unit and period
by the trend of its Gi* z-scores.

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
EMERGING_CLASSES : tuple of str
    The values returned by :func:`emerging_hotspots`.
gi_z : float
    Column of :func:`gi_star`: the Gi* z-score. Positive where high counts
    cluster, negative where low counts cluster, 0 for a constant input.
gi_p : float
    Column of :func:`gi_star`: the two-sided p-value of ``gi_z`` under the
    normal approximation, or with permutations the pseudo p-value of
    conditional randomisation (esda's ``p_sim``). 1 for a constant input.
gi_class : str
    Column of :func:`gi_star`: one of :data:`GI_CLASSES`.
emerging_class : str
    The Series returned by :func:`emerging_hotspots`: one of
    :data:`EMERGING_CLASSES`.

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
from typing import TYPE_CHECKING, Literal, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse, special

from geo import settings
from geo.analysis.grid import check_cell_size
from geo.crs import require_projected

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = [
    "CONFIDENCE_LEVELS",
    "DEFAULT_SEED",
    "EMERGING_CLASSES",
    "GI_CLASSES",
    "MannKendallResult",
    "classify_emerging",
    "emerging_hotspots",
    "fdr_cutoff",
    "gi_star",
    "mann_kendall",
    "unit_weights",
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

#: The deprecation esda's conditional randomisation emits on every call (esda 2.x).
_ESDA_ALTERNATIVE_WARNING: str = "The alternative hypothesis for conditional randomization"

#: Simulated Gi (a share of the total, in [0, 1]) closer than this to the observed one is a tie.
_TIE_TOLERANCE: float = 1e-12

_WEIGHT_KINDS: tuple[str, ...] = ("grid", "areas")

#: Eight lattice offsets of queen contiguity.
_QUEEN_OFFSETS: tuple[tuple[int, int], ...] = tuple(
    (dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)
)


def __getattr__(name: str) -> int:
    """Read ``DEFAULT_PERMUTATIONS`` from the settings when it is accessed."""
    if name == "DEFAULT_PERMUTATIONS":
        return settings.permutations
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


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


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------


def unit_weights(
    units: gpd.GeoDataFrame,
    *,
    kind: Literal["grid", "areas"],
    cell_size: int | None = None,
    as_sparse: bool = False,
) -> W | sparse.csr_array:
    """Build binary queen-contiguity weights between units.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        The units, in a projected CRS (EPSG:3006). For ``kind="grid"`` the
        output of :func:`geo.analysis.grid.make_grid`, with the integer columns
        ``cell_x`` and ``cell_y`` (lower-left corners in metres).
    kind : {"grid", "areas"}
        ``"grid"``: cells are neighbours when their corners differ by at
        most one cell step in x and in y (queen contiguity on the lattice),
        computed from ``cell_x``/``cell_y`` and not from the geometry, so
        cells clipped at the kommun border keep their lattice neighbours.
        ``"areas"``: polygons that share at least a point are neighbours
        (libpysal ``Queen.from_dataframe``).
    cell_size : int, optional
        Grid cell size in metres, 250 or 1000; defaults to
        ``settings.cell_size``. Only for ``kind="grid"``.
    as_sparse : bool, default False
        Return the binary adjacency as a scipy CSR array (rows in the order
        of ``units``) instead of a libpysal W. :func:`gi_star` and
        :func:`emerging_hotspots` take either; the array needs no libpysal
        import for grids (which costs seconds at an app's start).

    Returns
    -------
    libpysal.weights.W or scipy.sparse.csr_array
        Binary weights (all 1, no self-weights) whose ids are the index of
        ``units``, in its order. A unit without neighbours is an island;
        Gi* is still defined for it through its self-weight.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, ``units`` is empty, ``cell_size`` is given
        for areas, or the grid columns are missing, duplicated, or not
        aligned with (or smaller than the geometry of) ``cell_size``.
    CRSError
        If ``units`` has no CRS or a geographic one.

    See Also
    --------
    geo.analysis.grid.make_grid : Builds the grid units.
    gi_star : Uses the weights.

    Examples
    --------
    >>> import geopandas as gpd
    >>> import shapely
    >>> from geo.analysis.grid import make_grid
    >>> kommun = gpd.GeoDataFrame(
    ...     geometry=[shapely.box(660000, 6590000, 660750, 6590750)], crs="EPSG:3006"
    ... )
    >>> w = unit_weights(make_grid(kommun, 250), kind="grid", cell_size=250)
    >>> [w.cardinalities[i] for i in w.id_order]
    [3, 5, 3, 5, 8, 5, 3, 5, 3]
    """
    if kind not in _WEIGHT_KINDS:
        msg = f"kind={kind!r} is not supported; allowed: {', '.join(map(repr, _WEIGHT_KINDS))}"
        raise ValueError(msg)
    require_projected(units, name="units")
    if len(units) == 0:
        msg = "units has no rows; build units with geo.analysis.grid.make_grid or read the areas first"
        raise ValueError(msg)
    if kind == "areas":
        if cell_size is not None:
            msg = f"cell_size={cell_size!r} applies only to kind='grid', not kind='areas'"
            raise ValueError(msg)
        queen = _queen_areas(units)
        return sparse.csr_array(queen.sparse) if as_sparse else queen
    size = check_cell_size(settings.cell_size if cell_size is None else cell_size)
    cx, cy = _check_grid_units(units, size)
    adjacency = _lattice_adjacency(cx // size, cy // size)
    return adjacency if as_sparse else _w_from_csr(adjacency, units.index.tolist())


def _queen_areas(units: gpd.GeoDataFrame) -> W:
    """Queen contiguity between area polygons, ids from the index."""
    from libpysal.weights import Queen

    return Queen.from_dataframe(units, use_index=True, silence_warnings=True)


def _check_grid_units(units: gpd.GeoDataFrame, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``cell_x``/``cell_y`` as int64 after checking they fit ``size``."""
    missing = [c for c in ("cell_x", "cell_y") if c not in units.columns]
    if missing:
        msg = (
            f"units lacks column(s) {', '.join(missing)} needed for kind='grid'; "
            "build units with geo.analysis.grid.make_grid, or use kind='areas'"
        )
        raise ValueError(msg)
    cx = units["cell_x"].to_numpy()
    cy = units["cell_y"].to_numpy()
    if not (np.issubdtype(cx.dtype, np.integer) and np.issubdtype(cy.dtype, np.integer)):
        msg = f"units cell_x/cell_y must be integers (metres); got dtypes {cx.dtype} and {cy.dtype}"
        raise ValueError(msg)
    cx, cy = cx.astype(np.int64), cy.astype(np.int64)
    off = (cx % size != 0) | (cy % size != 0)
    if off.any():
        msg = (
            f"{int(off.sum())} cell corner(s) are not multiples of cell_size={size} "
            f"(first: cell_x={cx[off][0]}, cell_y={cy[off][0]}); pass the cell_size the grid "
            "was built with"
        )
        raise ValueError(msg)
    dup = pd.MultiIndex.from_arrays([cx, cy]).duplicated()
    if dup.any():
        msg = (
            f"units has {int(dup.sum())} duplicated cell(s) (first: cell_x={cx[dup][0]}, "
            f"cell_y={cy[dup][0]}); each cell must appear once"
        )
        raise ValueError(msg)
    geoms = units.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if present.any():
        bounds = shapely.bounds(geoms[present])
        tol = 1e-6 * size
        x0, y0 = cx[present], cy[present]
        outside = (
            (bounds[:, 0] < x0 - tol)
            | (bounds[:, 1] < y0 - tol)
            | (bounds[:, 2] > x0 + size + tol)
            | (bounds[:, 3] > y0 + size + tol)
        )
        if outside.any():
            msg = (
                f"{int(outside.sum())} of {len(cx)} cell geometries extend beyond cell_size={size} m from "
                "their corner; pass the cell_size the grid was built with (allowed: 250, 1000)"
            )
            raise ValueError(msg)
    return cx, cy


def _lattice_adjacency(i: np.ndarray, j: np.ndarray) -> sparse.csr_array:
    """Queen adjacency (no diagonal) of cells at integer lattice positions ``(i, j)``."""
    n = len(i)
    # Shift to 1.. so that every neighbour position is >= 0, then encode (i, j) as one key.
    ii = i - i.min() + 1
    jj = j - j.min() + 1
    width = int(jj.max()) + 2
    keys = ii * width + jj
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    rows, cols = [], []
    for dx, dy in _QUEEN_OFFSETS:
        target = (ii + dx) * width + (jj + dy)
        pos = np.searchsorted(sorted_keys, target)
        pos_ok = np.minimum(pos, n - 1)
        found = (pos < n) & (sorted_keys[pos_ok] == target)
        rows.append(np.flatnonzero(found))
        cols.append(order[pos_ok[found]])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    return sparse.csr_array((np.ones(len(r)), (r, c)), shape=(n, n))


def _w_from_csr(matrix: sparse.sparray | sparse.spmatrix, ids: list) -> W:
    """Build a libpysal W from a CSR matrix whose rows follow ``ids``; islands kept."""
    from libpysal.weights import W

    csr = sparse.csr_array(matrix)
    csr.sort_indices()
    indptr, indices, data = csr.indptr, csr.indices, csr.data
    neighbors = {}
    weights = {}
    for k, unit in enumerate(ids):
        lo, hi = indptr[k], indptr[k + 1]
        neighbors[unit] = [ids[c] for c in indices[lo:hi]]
        weights[unit] = data[lo:hi].tolist()
    # Islands are expected at the kommun border and handled by the star weight.
    return W(neighbors, weights, id_order=list(ids), silence_warnings=True)


# ---------------------------------------------------------------------------
# Gi*
# ---------------------------------------------------------------------------


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
        Contiguity between units, e.g. from :func:`unit_weights`. Only
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
    unit_weights : Builds the weights.
    emerging_hotspots : Gi* over time.
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
    A 3 x 3 lattice of 250 m cells with high counts in the lower-left
    corner (cells are ordered row by row from the south-west):

    >>> import geopandas as gpd
    >>> import shapely
    >>> from geo.analysis.grid import make_grid
    >>> kommun = gpd.GeoDataFrame(
    ...     geometry=[shapely.box(660000, 6590000, 660750, 6590750)], crs="EPSG:3006"
    ... )
    >>> w = unit_weights(make_grid(kommun, 250), kind="grid", cell_size=250)
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
    _check_alpha(alpha)
    y, labels = _check_values(values, name="values")
    star, index = _aligned_star(weights, labels, n_values=len(y), name="values")

    z, p = _gi_star_analytic(y[:, None], star)
    z, p = z[:, 0], p[:, 0]
    if permutations > 0 and np.ptp(y) > 0:
        p = _gi_star_permutation_p(y, star, permutations, seed)
    classes = _classify(z, p, alpha=alpha, fdr=fdr)
    return pd.DataFrame({"gi_z": z, "gi_p": p, "gi_class": classes}, index=index)


def _is_libpysal_w(weights: object) -> bool:
    """Tell a libpysal W without importing libpysal (which takes seconds at start)."""
    return any(cls.__module__.startswith("libpysal.weights") and cls.__name__ == "W"
               for cls in type(weights).__mro__)


def _star_matrix(weights: object) -> tuple[sparse.csr_array, pd.Index]:
    """Binary CSR of ``weights`` with a unit diagonal (W + I), and the ids in row order."""
    if _is_libpysal_w(weights):
        matrix, ids = weights.sparse, pd.Index(weights.id_order)
    elif sparse.issparse(weights):
        matrix, ids = weights, None
    elif hasattr(weights, "unique_ids") and hasattr(weights, "sparse"):  # libpysal.graph.Graph
        matrix, ids = weights.sparse, pd.Index(weights.unique_ids)
    else:
        msg = (
            f"weights must be a libpysal W, a libpysal Graph or a square scipy sparse matrix; "
            f"got {type(weights).__name__}"
        )
        raise TypeError(msg)
    n_rows, n_cols = matrix.shape
    if n_rows != n_cols:
        msg = f"weights must be a square matrix; got shape {matrix.shape}"
        raise TypeError(msg)
    if ids is None:
        ids = pd.RangeIndex(n_rows)
    # A new matrix: the caller's weights (and W's cached .sparse) are never touched.
    binary = sparse.csr_array(matrix != 0, dtype=float)
    off_diagonal = binary - sparse.diags_array(binary.diagonal(), format="csr")
    off_diagonal.eliminate_zeros()
    star = sparse.csr_array(off_diagonal + sparse.eye_array(n_rows, format="csr"))
    star.sort_indices()
    return star, ids


def _aligned_star(
    weights: object, labels: pd.Index | None, *, n_values: int, name: str
) -> tuple[sparse.csr_array, pd.Index]:
    """Star matrix in the order of the values, and the output index.

    Values are matched to the weights by position, except when their labels
    are exactly the weights' ids in another order: then by label.
    """
    star, ids = _star_matrix(weights)
    if n_values != len(ids):
        msg = f"{name} has {n_values} unit(s) but weights has {len(ids)}; they must match"
        raise ValueError(msg)
    if labels is None:
        return star, ids
    if not labels.equals(ids) and labels.is_unique and ids.is_unique:
        position = ids.get_indexer(labels)
        if (position >= 0).all():
            star = sparse.csr_array(star[position][:, position])
            star.sort_indices()
    return star, labels


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
    _check_non_negative_finite(y, name=name)
    return y, values.index if isinstance(values, pd.Series) else None


def _check_non_negative_finite(y: np.ndarray, *, name: str) -> None:
    """Raise unless every value is finite and >= 0."""
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


def _check_alpha(alpha: object) -> None:
    """Raise unless ``alpha`` is one of the confidence levels."""
    levels = [level for level, _ in CONFIDENCE_LEVELS]
    if alpha not in levels:
        msg = (
            f"alpha={alpha!r} is not allowed; it must lie in (0, 1) and be one of the "
            f"confidence levels {', '.join(map(str, levels))}"
        )
        raise ValueError(msg)


def _gi_star_analytic(y: np.ndarray, star: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z-scores and two-sided normal p-values, one column per column of ``y`` (n x t)."""
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
    w = _w_from_csr(star, list(range(len(y))))
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


# ---------------------------------------------------------------------------
# Emerging hot spots
# ---------------------------------------------------------------------------


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
    _check_alpha(alpha)
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
        like :func:`gi_star`'s ``values``), columns = consecutive periods
        such as quarters, oldest first; at least 2 periods.
    weights : libpysal.weights.W, libpysal.graph.Graph or scipy sparse matrix
        Contiguity between units, e.g. from :func:`unit_weights`.
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
    gi_star : Gi* of one period.
    mann_kendall : The trend test.

    Notes
    -----
    In every period the analytic Gi* (:func:`gi_star`) is computed; a unit
    is *hot* in a period when z > 0 and p <= ``alpha``. The trend of its
    z-scores is tested with Mann-Kendall (:func:`mann_kendall`) at
    ``alpha``. With ``T`` periods, a unit is, in this order of precedence:

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
    >>> import geopandas as gpd
    >>> import shapely
    >>> from geo.analysis.grid import make_grid
    >>> kommun = gpd.GeoDataFrame(
    ...     geometry=[shapely.box(660000, 6590000, 660750, 6590750)], crs="EPSG:3006"
    ... )
    >>> w = unit_weights(make_grid(kommun, 250), kind="grid", cell_size=250)
    >>> quarters = pd.DataFrame(
    ...     {"2024Q1": [1, 1, 1, 1, 1, 1, 1, 1, 1], "2024Q2": [9, 7, 1, 8, 2, 0, 1, 0, 0]}
    ... )
    >>> emerging_hotspots(quarters, w).value_counts().to_dict()
    {'none': 8, 'new': 1}
    """
    _check_alpha(alpha)
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
    _check_non_negative_finite(y.ravel(), name="counts")
    star, index = _aligned_star(weights, counts.index, n_values=len(counts), name="counts")
    z, p = _gi_star_analytic(y, star)
    return pd.Series(_emerging_classes(z, p, alpha), index=index, name="emerging_class")
