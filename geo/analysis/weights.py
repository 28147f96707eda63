"""Spatial weights between lägesbild units: who neighbours whom, as a W or a sparse matrix.

:func:`unit_weights` builds the binary queen contiguity of grid cells (from
their lattice corners) or of area polygons (libpysal). :func:`star_matrix`
turns any accepted weights into the binary "star" matrix (the unit itself
included) that Gi* in :mod:`geo.analysis.hotspots` and
:mod:`geo.analysis.emerging` compute on, and :func:`to_libpysal_w` turns a
sparse matrix back into a libpysal W for esda.

libpysal is imported only where a W is built or areas are read: it costs
seconds at an app's start, and a grid needs none of it with
``as_sparse=True``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from geo import settings
from geo.analysis.grid import check_cell_size
from geo.crs import require_projected

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = ["star_matrix", "to_libpysal_w", "unit_weights"]

_WEIGHT_KINDS: tuple[str, ...] = ("grid", "areas")

#: Eight lattice offsets of queen contiguity.
_QUEEN_OFFSETS: tuple[tuple[int, int], ...] = tuple(
    (dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)
)



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
        of ``units``) instead of a libpysal W.
        :func:`geo.analysis.hotspots.gi_star` and
        :func:`geo.analysis.emerging.emerging_hotspots` take either; the array needs no libpysal
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
    geo.analysis.hotspots.gi_star : Uses the weights.

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
    return adjacency if as_sparse else to_libpysal_w(adjacency, units.index.tolist())


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


def to_libpysal_w(matrix: sparse.sparray | sparse.spmatrix, ids: list) -> W:
    """Build a libpysal W from a sparse matrix whose rows follow ``ids``.

    Parameters
    ----------
    matrix : scipy sparse array or matrix
        Square weights, row and column ``k`` standing for ``ids[k]``; its
        nonzero entries become the neighbours and their weights.
    ids : list
        One id per row, in row order.

    Returns
    -------
    libpysal.weights.W
        The weights with ``id_order == ids``. Units without neighbours are
        kept as islands (they are expected at the kommun border, and Gi*
        handles them through its self-weight), without a warning.

    Examples
    --------
    >>> w = to_libpysal_w(sparse.csr_array([[0.0, 1.0], [1.0, 0.0]]), ["a", "b"])
    >>> w.neighbors
    {'a': ['b'], 'b': ['a']}
    """
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
    return W(neighbors, weights, id_order=list(ids), silence_warnings=True)


def star_matrix(
    weights: object, labels: pd.Index | None, *, n_values: int, name: str
) -> tuple[sparse.csr_array, pd.Index]:
    """Binary star matrix of ``weights`` (W + I) in the order of the values, and their index.

    Parameters
    ----------
    weights : libpysal.weights.W, libpysal.graph.Graph or scipy sparse matrix
        Contiguity between units. Only which entries are nonzero matters;
        any self-weight or transform is ignored. The object is not changed.
    labels : pandas.Index or None
        The index of the values (a Series' index), or None for values
        matched by position.
    n_values : int
        The number of values, one per unit.
    name : str
        The name of the values in error messages.

    Returns
    -------
    star : scipy.sparse.csr_array
        Binary ``n x n`` matrix with a unit diagonal, sorted indices, rows
        and columns in the order of the values.
    index : pandas.Index
        ``labels``, or the weights' ids (a RangeIndex for a bare matrix)
        when ``labels`` is None.

    Raises
    ------
    ValueError
        If ``n_values`` differs from the number of units in ``weights``.
    TypeError
        If ``weights`` is not a W, Graph or square sparse matrix.

    Notes
    -----
    Values are matched to the weights by position, except when their labels
    are exactly the weights' ids in another order: then by label.

    Examples
    --------
    >>> star, index = star_matrix(sparse.csr_array([[0, 2], [2, 0]]), None, n_values=2, name="values")
    >>> star.toarray().tolist(), index.tolist()
    ([[1.0, 1.0], [1.0, 1.0]], [0, 1])
    """
    star, ids = _binary_star(weights)
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


def _is_libpysal_w(weights: object) -> bool:
    """Tell a libpysal W without importing libpysal (which takes seconds at start)."""
    return any(cls.__module__.startswith("libpysal.weights") and cls.__name__ == "W"
               for cls in type(weights).__mro__)


def _binary_star(weights: object) -> tuple[sparse.csr_array, pd.Index]:
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
