"""Known-answer tests of geo.analysis.{weights,hotspots,emerging}: Gi* against esda, FDR, weights, trends."""

from __future__ import annotations

import copy
import doctest
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from esda.getisord import G_Local
from libpysal.graph import Graph
from libpysal.weights import Queen
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse, stats

from geo import settings
from geo.analysis import emerging, hotspots, weights
from geo.analysis.emerging import EMERGING_CLASSES, classify_emerging, emerging_hotspots, mann_kendall
from geo.analysis.grid import make_grid, unit_ids
from geo.analysis.hotspots import DEFAULT_SEED, GI_CLASSES, fdr_cutoff, gi_star
from geo.analysis.weights import unit_weights
from geo.errors import CRSError

# Shared tolerances of the known-answer comparisons (esda uses E[x^2] - E[x]^2, we use np.var).
RTOL = 1e-10
ATOL = 1e-12

X0, Y0 = 660_000, 6_590_000  # a 250 m aligned corner in Järfälla, EPSG:3006
SIZE = 250


# ---------------------------------------------------------------------------
# Hand-built units
# ---------------------------------------------------------------------------


def lattice_units(
    nx: int, ny: int, *, size: int = SIZE, drop: tuple[tuple[int, int], ...] = ()
) -> gpd.GeoDataFrame:
    """Units like make_grid's output: an nx x ny block of square cells, row by row from the south-west."""
    ii, jj = (a.ravel() for a in np.meshgrid(np.arange(nx), np.arange(ny)))
    keep = np.array([(a, b) not in drop for a, b in zip(ii, jj, strict=True)])
    cx = (X0 + ii[keep] * size).astype(np.int64)
    cy = (Y0 + jj[keep] * size).astype(np.int64)
    return gpd.GeoDataFrame(
        {"unit_id": unit_ids(cx, cy), "cell_x": cx, "cell_y": cy},
        geometry=shapely.box(cx, cy, cx + size, cy + size),
        crs="EPSG:3006",
    )


def position(units: gpd.GeoDataFrame, i: int, j: int) -> int:
    """Row position of the cell in lattice column i, row j."""
    hit = (units["cell_x"] == X0 + i * SIZE) & (units["cell_y"] == Y0 + j * SIZE)
    return int(np.flatnonzero(hit.to_numpy())[0])


def background(n: int, shift: int = 0) -> np.ndarray:
    """A fixed, non-constant background of counts 0..3."""
    return ((np.arange(n) * 3 + shift) % 4).astype(float)


@pytest.fixture(scope="module")
def planted():
    """7 x 7 lattice with a 3 x 3 block of high counts around the centre (3, 3)."""
    units = lattice_units(7, 7)
    y = background(len(units))
    for i in (2, 3, 4):
        for j in (2, 3, 4):
            y[position(units, i, j)] += 10
    return units, y


@pytest.fixture(scope="module")
def planted_w(planted):
    return unit_weights(planted[0], kind="grid", cell_size=SIZE)


def as_backend(w, backend: str):
    """The same weights as a libpysal W, a libpysal Graph or a scipy sparse matrix."""
    if backend == "W":
        return copy.deepcopy(w)
    if backend == "Graph":
        return Graph.from_W(w)
    return sparse.csr_array(w.sparse)


parametrize_w = pytest.mark.parametrize("backend", ["W", "Graph", "sparse"], ids=["W", "Graph", "sparse"])


def esda_star(y: np.ndarray, w, **kwargs) -> G_Local:
    """esda's Gi* with binary star weights, on a copy (esda changes the W it gets)."""
    return G_Local(y, copy.deepcopy(w), transform="B", star=True, **kwargs)


# ---------------------------------------------------------------------------
# Gi*: analytic path against esda
# ---------------------------------------------------------------------------


class TestGiStarAnalytic:
    @parametrize_w
    def test_z_equals_esda(self, planted, planted_w, backend):
        _, y = planted
        result = gi_star(y, as_backend(planted_w, backend))
        assert_allclose(result["gi_z"], esda_star(y, planted_w, permutations=0).Zs, rtol=RTOL, atol=ATOL)

    @parametrize_w
    def test_p_is_two_sided_normal_p_of_esda_z(self, planted, planted_w, backend):
        _, y = planted
        result = gi_star(y, as_backend(planted_w, backend))
        expected = 2 * stats.norm.sf(np.abs(esda_star(y, planted_w, permutations=0).Zs))
        assert_allclose(result["gi_p"], expected, rtol=RTOL, atol=ATOL)

    def test_z_equals_esda_on_poisson_field_with_islands(self):
        # a hole in the middle, and the north-east corner cut off as an island
        units = lattice_units(12, 10, drop=((5, 5), (5, 6), (6, 5), (6, 6), (10, 9), (10, 8), (11, 8)))
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        assert w.islands == [w.id_order[position(units, 11, 9)]]
        y = np.random.default_rng(3).poisson(2.0, len(units)).astype(float)
        with warnings.catch_warnings():
            # esda rebuilds the W to add the diagonal, and libpysal warns about the island again
            warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
            expected = esda_star(y, w, permutations=0).Zs
        assert_allclose(gi_star(y, w)["gi_z"], expected, rtol=RTOL, atol=ATOL)

    def test_planted_centre_is_hot_99_and_far_corner_not_hot(self, planted, planted_w):
        units, y = planted
        result = gi_star(y, planted_w)
        assert result["gi_class"].iloc[position(units, 3, 3)] == "hot_99"
        assert result["gi_p"].iloc[position(units, 3, 3)] < 0.01
        assert not result["gi_class"].iloc[position(units, 6, 6)].startswith("hot")
        assert set(result["gi_class"]) <= set(GI_CLASSES)

    def test_columns_and_index_of_a_series(self, planted, planted_w):
        units, y = planted
        values = pd.Series(y, index=units["unit_id"], name="count")
        result = gi_star(values, planted_w)
        assert list(result.columns) == ["gi_z", "gi_p", "gi_class"]
        assert result.index.equals(values.index)
        assert result["gi_z"].dtype == float
        assert result["gi_p"].dtype == float

    def test_series_in_another_order_is_matched_by_label(self, planted, planted_w):
        _, y = planted
        values = pd.Series(y, index=planted_w.id_order)
        shuffled = values.sample(frac=1.0, random_state=7)
        expected = gi_star(values, planted_w)
        result = gi_star(shuffled, planted_w)
        assert result.index.equals(shuffled.index)
        pd.testing.assert_frame_equal(result.loc[values.index], expected)

    def test_weights_transform_and_self_weights_do_not_matter(self, planted, planted_w):
        _, y = planted
        expected = gi_star(y, planted_w)
        row_standardised = copy.deepcopy(planted_w)
        row_standardised.transform = "R"
        with_diagonal = sparse.csr_array(planted_w.sparse + 3 * sparse.eye_array(planted_w.n))
        pd.testing.assert_frame_equal(gi_star(y, row_standardised), expected)
        pd.testing.assert_frame_equal(gi_star(y, with_diagonal), expected)

    def test_caller_objects_are_unchanged(self, planted, planted_w):
        _, y = planted
        w = copy.deepcopy(planted_w)
        before = w.sparse.toarray().copy()
        values = pd.Series(y.copy())
        state = np.random.get_state()[1].copy()
        gi_star(values, w)
        gi_star(values, w, permutations=99, seed=1)
        assert w.transform == "O"
        assert_array_equal(w.sparse.toarray(), before)
        assert_array_equal(values.to_numpy(), y)
        assert_array_equal(np.random.get_state()[1], state)


# ---------------------------------------------------------------------------
# Gi*: permutation path
# ---------------------------------------------------------------------------


class TestGiStarPermutations:
    def test_same_seed_same_p(self, planted, planted_w):
        _, y = planted
        first = gi_star(y, planted_w, permutations=199, seed=DEFAULT_SEED)
        second = gi_star(y, planted_w, permutations=199, seed=DEFAULT_SEED)
        assert_array_equal(first["gi_p"], second["gi_p"])
        other = gi_star(y, planted_w, permutations=199, seed=DEFAULT_SEED + 1)
        assert not np.array_equal(first["gi_p"], other["gi_p"])

    def test_planted_centre_significant_in_both_paths(self, planted, planted_w):
        units, y = planted
        centre = position(units, 3, 3)
        analytic = gi_star(y, planted_w)
        permuted = gi_star(y, planted_w, permutations=999, seed=DEFAULT_SEED)
        assert analytic["gi_p"].iloc[centre] < 0.01
        assert permuted["gi_p"].iloc[centre] == pytest.approx(1 / 1000)
        assert permuted["gi_class"].iloc[centre] == "hot_99"
        assert_allclose(permuted["gi_z"], analytic["gi_z"], rtol=RTOL, atol=ATOL)

    def test_p_equals_esda_p_sim_without_ties(self, planted_w):
        y = np.random.default_rng(5).gamma(2.0, 3.0, planted_w.n)  # continuous: no ties
        result = gi_star(y, planted_w, permutations=199, seed=42)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            expected = esda_star(y, planted_w, permutations=199, seed=42, n_jobs=1).p_sim
        assert_allclose(result["gi_p"], expected, rtol=1e-6)

    def test_zero_cell_among_zeros_is_not_a_cold_spot(self):
        """esda's p_sim gives 0.001 to a cell whose every permutation ties it; we count ties."""
        units = lattice_units(7, 7)
        y = np.zeros(len(units))
        for i in (2, 3, 4):
            for j in (2, 3, 4):
                y[position(units, i, j)] = 5.0
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        corner = position(units, 0, 0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            esda_p = esda_star(y, w, permutations=999, seed=DEFAULT_SEED, n_jobs=1).p_sim
        assert esda_p[corner] == pytest.approx(0.001)
        result = gi_star(y, w, permutations=999, seed=DEFAULT_SEED)
        # P(three random neighbours all zero) = C(39,3)/C(48,3) = 0.53
        assert result["gi_p"].iloc[corner] == pytest.approx(0.53, abs=0.05)
        assert result["gi_class"].iloc[corner] == "not_significant"

    def test_island_gets_p_one(self):
        units = lattice_units(5, 5, drop=((3, 3), (3, 4), (4, 3)))
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        island = position(units, 4, 4)
        assert w.islands == [w.id_order[island]]
        y = background(len(units))
        y[island] = 30.0
        result = gi_star(y, w, permutations=99, seed=DEFAULT_SEED)
        assert result["gi_p"].iloc[island] == 1.0
        assert np.isfinite(result["gi_z"]).all()

    def test_none_reads_settings_permutations(self, planted, planted_w, monkeypatch):
        _, y = planted
        monkeypatch.setattr(settings, "permutations", 99)
        assert hotspots.DEFAULT_PERMUTATIONS == 99
        p = gi_star(y, planted_w, permutations=None)["gi_p"].to_numpy()
        assert_allclose(p * 100, np.rint(p * 100), atol=1e-9)
        assert p.min() == pytest.approx(0.01)


# ---------------------------------------------------------------------------
# False discovery rate
# ---------------------------------------------------------------------------


class TestFdr:
    def test_cutoff_known_answer(self):
        # thresholds k * 0.05 / 5 = 0.01, 0.02, 0.03, 0.04, 0.05; p(2) = 0.008 <= 0.02 is the last to pass
        assert fdr_cutoff(np.array([0.6, 0.039, 0.001, 0.041, 0.008]), 0.05) == pytest.approx(0.02)

    def test_cutoff_when_nothing_passes(self):
        assert fdr_cutoff(np.array([0.02, 0.5, 0.9]), 0.05) == 0.0

    def test_cutoff_agrees_with_esda_when_something_passes(self):
        from esda import fdr

        p = np.random.default_rng(11).uniform(0, 1, 200) ** 4
        assert fdr_cutoff(p, 0.05) == pytest.approx(fdr(p, 0.05))

    @staticmethod
    def _mild_bump(bump: float):
        units = lattice_units(7, 7)
        y = background(len(units), shift=1)
        for i in (2, 3, 4):
            for j in (2, 3, 4):
                y[position(units, i, j)] += bump if (i, j) == (3, 3) else bump / 2
        return units, y, unit_weights(units, kind="grid", cell_size=SIZE)

    def test_hot_95_without_fdr_not_significant_with_fdr(self):
        units, y, w = self._mild_bump(2.0)
        centre = position(units, 3, 3)
        plain = gi_star(y, w)
        corrected = gi_star(y, w, fdr=True)
        assert plain["gi_p"].iloc[centre] == pytest.approx(0.016547, rel=1e-4)
        assert plain["gi_class"].iloc[centre] == "hot_95"
        assert corrected["gi_class"].iloc[centre] == "not_significant"
        assert (corrected["gi_class"] == "not_significant").all()

    def test_fdr_applies_at_each_level(self):
        units, y, w = self._mild_bump(3.0)
        centre = position(units, 3, 3)
        # p = 0.000716 <= 0.01 but above the FDR cutoff at 0.01 (0.01 / 49 = 0.000204), below that at 0.05
        assert gi_star(y, w)["gi_class"].iloc[centre] == "hot_99"
        assert gi_star(y, w, fdr=True)["gi_class"].iloc[centre] == "hot_95"


# ---------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------


class TestClasses:
    @pytest.mark.parametrize(
        ("alpha", "expected"),
        [
            (0.01, ["hot_99", "not_significant", "not_significant", "not_significant", "cold_99"]),
            (0.05, ["hot_99", "hot_95", "not_significant", "not_significant", "cold_99"]),
            (0.10, ["hot_99", "hot_95", "hot_90", "not_significant", "cold_99"]),
        ],
    )
    def test_levels_up_to_alpha(self, alpha, expected):
        z = np.array([3.0, 2.0, 1.7, 1.0, -3.0])
        p = 2 * stats.norm.sf(np.abs(z))  # 0.0027, 0.0455, 0.0891, 0.3173, 0.0027
        assert hotspots._classify(z, p, alpha=alpha, fdr=False).tolist() == expected


# ---------------------------------------------------------------------------
# Constant input
# ---------------------------------------------------------------------------


class TestConstantInput:
    @pytest.mark.parametrize("value", [0.0, 3.0, 0.1], ids=["zeros", "threes", "tenths"])
    @pytest.mark.parametrize("permutations", [0, 99], ids=["analytic", "permutations"])
    def test_z_zero_p_one_no_warnings(self, planted_w, value, permutations):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = gi_star(np.full(planted_w.n, value), planted_w, permutations=permutations)
        assert (result["gi_z"] == 0.0).all()
        assert (result["gi_p"] == 1.0).all()
        assert (result["gi_class"] == "not_significant").all()

    def test_single_unit(self):
        w = unit_weights(lattice_units(1, 1), kind="grid", cell_size=SIZE)
        result = gi_star([4.0], w)
        assert result[["gi_z", "gi_p"]].to_numpy().tolist() == [[0.0, 1.0]]


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


class TestValidation:
    def test_negative_value(self, planted_w):
        y = np.ones(planted_w.n)
        y[3] = -2.0
        with pytest.raises(ValueError, match=r"values must be non-negative.*-2\.0 at position 3"):
            gi_star(y, planted_w)

    def test_nan_value(self, planted_w):
        y = np.ones(planted_w.n)
        y[0] = np.nan
        with pytest.raises(ValueError, match="values must be finite"):
            gi_star(y, planted_w)

    def test_length_mismatch(self, planted_w):
        with pytest.raises(ValueError, match=r"values has 3 unit\(s\) but weights has 49"):
            gi_star([1.0, 2.0, 3.0], planted_w)

    @pytest.mark.parametrize("alpha", [1.5, 0.0, 0.2, -0.05])
    def test_alpha(self, planted_w, alpha):
        with pytest.raises(ValueError, match=rf"alpha={alpha!r} is not allowed.*0\.01, 0\.05, 0\.1"):
            gi_star(np.ones(planted_w.n), planted_w, alpha=alpha)

    @pytest.mark.parametrize("permutations", [-1, 2.5, True])
    def test_permutations(self, planted_w, permutations):
        with pytest.raises(ValueError, match=rf"permutations={permutations!r} is not allowed"):
            gi_star(np.ones(planted_w.n), planted_w, permutations=permutations)

    def test_weights_type(self):
        with pytest.raises(TypeError, match=r"weights must be a libpysal W.*got dict"):
            gi_star([1.0, 2.0], {0: [1], 1: [0]})

    def test_values_dataframe(self, planted_w):
        with pytest.raises(ValueError, match="one value per unit"):
            gi_star(pd.DataFrame({"a": np.ones(planted_w.n)}), planted_w)

    def test_fdr_cutoff_alpha(self):
        with pytest.raises(ValueError, match=r"alpha=1\.5 is not allowed; it must lie in \(0, 1\)"):
            fdr_cutoff(np.array([0.1]), 1.5)


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------


class TestGridWeights:
    def test_full_3x3_cardinalities(self):
        units = lattice_units(3, 3)
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        card = [w.cardinalities[i] for i in w.id_order]
        assert card[position(units, 0, 0)] == 3
        assert card[position(units, 2, 2)] == 3
        assert card[position(units, 1, 0)] == 5
        assert card[position(units, 1, 1)] == 8
        assert set(w.weights[w.id_order[position(units, 1, 1)]]) == {1.0}

    def test_ids_are_the_index(self):
        units = lattice_units(3, 3).set_index(pd.Index(list("abcdefghi")))
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        assert w.id_order == list("abcdefghi")
        assert sorted(w.neighbors["a"]) == ["b", "d", "e"]

    def test_clipped_border_cell_keeps_lattice_neighbours(self):
        # Two cells clipped so that their pieces do not touch: geometry says no neighbours.
        boundary = gpd.GeoDataFrame(
            geometry=[
                shapely.box(X0, Y0, X0 + 100, Y0 + 100),
                shapely.box(X0 + 400, Y0 + 150, X0 + 500, Y0 + 250),
            ],
            crs="EPSG:3006",
        )
        units = make_grid(boundary, SIZE)
        assert len(units) == 2
        assert units["area_share"].lt(1).all()
        assert not units.geometry.iloc[0].touches(units.geometry.iloc[1])
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        assert w.neighbors[0] == [1]
        assert w.neighbors[1] == [0]
        geometric = Queen.from_dataframe(units, use_index=True, silence_warnings=True)
        assert geometric.neighbors[0] == []

    def test_isolated_cell_has_only_itself(self):
        units = lattice_units(5, 5, drop=((3, 3), (3, 4), (4, 3)))
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        isolated = w.id_order[position(units, 4, 4)]
        assert w.islands == [isolated]
        y = background(len(units))
        y[position(units, 4, 4)] = 9.0
        result = gi_star(y, w)
        # Gi* of an island is its own standardised value
        expected = (9.0 - y.mean()) / y.std()
        assert result["gi_z"].iloc[position(units, 4, 4)] == pytest.approx(expected, rel=RTOL)

    def test_cell_size_from_settings(self, monkeypatch):
        units = lattice_units(3, 3, size=1000)
        monkeypatch.setattr(settings, "cell_size", 1000)
        w = unit_weights(units, kind="grid")
        assert w.cardinalities[w.id_order[4]] == 8

    def test_wrong_cell_size_too_small(self):
        with pytest.raises(ValueError, match=r"extend beyond cell_size=250 m"):
            unit_weights(lattice_units(3, 3, size=1000), kind="grid", cell_size=250)

    def test_wrong_cell_size_too_large(self):
        with pytest.raises(ValueError, match=r"not multiples of cell_size=1000"):
            unit_weights(lattice_units(3, 3), kind="grid", cell_size=1000)

    def test_unsupported_cell_size(self):
        with pytest.raises(ValueError, match=r"cell size 500 m is not supported; allowed: 250, 1000"):
            unit_weights(lattice_units(3, 3), kind="grid", cell_size=500)

    def test_missing_columns(self):
        with pytest.raises(ValueError, match=r"lacks column\(s\) cell_x, cell_y.*make_grid"):
            unit_weights(lattice_units(3, 3).drop(columns=["cell_x", "cell_y"]), kind="grid")

    def test_duplicated_cells(self):
        units = lattice_units(2, 1)
        units = pd.concat([units, units.iloc[[0]]], ignore_index=True)
        with pytest.raises(ValueError, match=r"1 duplicated cell"):
            unit_weights(units, kind="grid", cell_size=SIZE)

    def test_geographic_crs(self):
        with pytest.raises(CRSError, match="geographic CRS"):
            unit_weights(lattice_units(2, 2).to_crs("EPSG:4326"), kind="grid", cell_size=SIZE)

    def test_unknown_kind(self):
        with pytest.raises(ValueError, match=r"kind='hex' is not supported; allowed: 'grid', 'areas'"):
            unit_weights(lattice_units(2, 2), kind="hex")

    def test_empty(self):
        with pytest.raises(ValueError, match="units has no rows"):
            unit_weights(lattice_units(2, 2).iloc[:0], kind="grid", cell_size=SIZE)


class TestAreaWeights:
    @pytest.mark.parametrize("index", [None, ["nw", "ne", "sw", "se"]], ids=["range", "labels"])
    def test_2x2_block_each_has_three_queen_neighbours(self, index):
        corners = [(X0 + dx, Y0 + dy) for dy in (500, 0) for dx in (0, 500)]
        squares = [shapely.box(x, y, x + 500, y + 500) for x, y in corners]
        areas = gpd.GeoDataFrame(
            {"name": ["a", "b", "c", "d"]}, geometry=squares, crs="EPSG:3006", index=index
        )
        w = unit_weights(areas, kind="areas")
        assert w.id_order == list(areas.index)
        assert all(w.cardinalities[i] == 3 for i in w.id_order)

    def test_cell_size_rejected(self):
        areas = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 1, Y0 + 1)], crs="EPSG:3006")
        with pytest.raises(ValueError, match=r"cell_size=250 applies only to kind='grid'"):
            unit_weights(areas, kind="areas", cell_size=250)


# ---------------------------------------------------------------------------
# Mann-Kendall
# ---------------------------------------------------------------------------


class TestMannKendall:
    def test_hand_computed(self):
        # pairs of [1, 3, 2, 4, 5]: 9 increases, 1 decrease (3 -> 2): S = 8
        # Var(S) = 5 * 4 * 15 / 18 = 50 / 3; Z = (8 - 1) / sqrt(50 / 3) = 1.7146; p = 0.0864
        result = mann_kendall([1.0, 3.0, 2.0, 4.0, 5.0])
        assert result.s == 8
        assert result.var_s == pytest.approx(50 / 3, rel=RTOL)
        assert result.z == pytest.approx(7 / np.sqrt(50 / 3), rel=RTOL)
        assert result.p == pytest.approx(0.08641, abs=1e-5)

    def test_hand_computed_with_ties(self):
        # [1, 2, 2, 3]: five increases, one tie: S = 5
        # Var(S) = (4 * 3 * 13 - 2 * 1 * 9) / 18 = 138 / 18; Z = 4 / sqrt(138 / 18) = 1.4446; p = 0.1486
        result = mann_kendall([1.0, 2.0, 2.0, 3.0])
        assert result.s == 5
        assert result.var_s == pytest.approx(138 / 18, rel=RTOL)
        assert result.z == pytest.approx(1.44463, abs=1e-5)
        assert result.p == pytest.approx(0.14857, abs=1e-5)

    def test_downward(self):
        result = mann_kendall([5.0, 4.0, 3.0, 2.0, 1.0])
        assert result.s == -10
        assert result.z == pytest.approx(-9 / np.sqrt(50 / 3), rel=RTOL)

    def test_s_is_kendall_tau_numerator(self):
        x = np.random.default_rng(2).normal(size=12)
        tau = stats.kendalltau(np.arange(12), x).statistic
        assert mann_kendall(x).s == pytest.approx(tau * 12 * 11 / 2, rel=RTOL)

    def test_rows_of_a_matrix(self):
        rows = np.array([[1.0, 3.0, 2.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0], [2.0, 2.0, 2.0, 2.0, 2.0]])
        result = mann_kendall(rows)
        assert_array_equal(result.s, [8, -10, 0])
        assert result.z[2] == 0.0
        assert result.p[2] == 1.0
        assert result.z[0] == pytest.approx(mann_kendall(rows[0]).z, rel=RTOL)

    def test_too_short(self):
        with pytest.raises(ValueError, match="at least 2 periods for a trend; got 1"):
            mann_kendall([1.0])


# ---------------------------------------------------------------------------
# Emerging hot spots
# ---------------------------------------------------------------------------

HOT, COLD, QUIET = 3.0, -3.0, 0.0


def z_series(*values: float) -> list[float]:
    return list(values)


EMERGING_CASES = {
    "new": z_series(*[QUIET] * 9, HOT),
    "intensifying": z_series(2.0, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8),
    "intensifying_one_gap": z_series(QUIET, 2.2, 2.4, 2.6, 2.8, 3.0, 3.2, 3.4, 3.6, 3.8),
    "persistent": z_series(3.0, 2.5, 3.0, 2.5, 3.0, 2.5, 3.0, 2.5, 3.0, 2.5),
    "diminishing": z_series(3.8, 3.6, 3.4, 3.2, 3.0, 2.8, 2.6, 2.4, 2.2, 2.0),
    "sporadic": z_series(HOT, QUIET, QUIET, HOT, QUIET, HOT, QUIET, QUIET, QUIET, HOT),
    "sporadic_80_percent": z_series(QUIET, QUIET, *[HOT] * 8),
    "historical": z_series(*[HOT] * 9, QUIET),
    "historical_cold_last": z_series(*[HOT] * 9, COLD),
    "none": z_series(*[QUIET] * 10),
    "none_cold": z_series(*[COLD] * 10),
    "none_hot_long_ago": z_series(HOT, HOT, *[QUIET] * 8),
}


class TestClassifyEmerging:
    @pytest.mark.parametrize("case", list(EMERGING_CASES), ids=list(EMERGING_CASES))
    def test_hand_built_series(self, case):
        z = pd.DataFrame([EMERGING_CASES[case]])
        p = pd.DataFrame(2 * stats.norm.sf(np.abs(z.to_numpy())))
        expected = case.split("_")[0]
        assert classify_emerging(z, p).tolist() == [expected]

    def test_trends_are_significant_and_persistent_is_not(self):
        assert mann_kendall(EMERGING_CASES["intensifying"]).p < 0.10
        assert mann_kendall(EMERGING_CASES["intensifying_one_gap"]).p < 0.10
        assert mann_kendall(EMERGING_CASES["persistent"]).p > 0.10

    def test_all_classes_covered(self):
        assert {case.split("_")[0] for case in EMERGING_CASES} == set(EMERGING_CLASSES)

    def test_shape_mismatch(self):
        with pytest.raises(ValueError, match=r"gi_z has shape \(1, 3\) but gi_p has \(1, 2\)"):
            classify_emerging(pd.DataFrame([[1.0, 2.0, 3.0]]), pd.DataFrame([[0.1, 0.1]]))


@pytest.fixture(scope="module")
def quarters():
    """11 x 11 lattice, ten quarters, one planted story per 3 x 3 block (block centre -> expected class)."""
    units = lattice_units(11, 11)
    n, t = len(units), 10
    y = np.column_stack([background(n, shift=k) for k in range(t)])

    def block(ci, cj):
        return [position(units, ci + di, cj + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)]

    y[block(5, 5), :] += 8 + np.arange(t)  # growing every quarter
    y[block(9, 1), :] += 16 - np.arange(t)  # shrinking every quarter, still high at the end
    y[block(5, 9), :] += 8  # steady
    y[block(1, 1), :9] += 8  # gone in the last quarter
    y[block(9, 9), 9] += 8  # only in the last quarter
    y[np.ix_(block(1, 9), [2, 5, 9])] += 8  # on and off
    counts = pd.DataFrame(
        y.astype(np.int64), index=units["unit_id"], columns=pd.period_range("2022Q1", periods=t, freq="Q")
    )
    expected = {
        (5, 5): "intensifying",
        (9, 1): "diminishing",
        (5, 9): "persistent",
        (1, 1): "historical",
        (9, 9): "new",
        (1, 9): "sporadic",
        (5, 1): "none",
    }
    return units, counts, expected


class TestEmergingHotspots:
    def test_planted_stories(self, quarters):
        units, counts, expected = quarters
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        result = emerging_hotspots(counts, w)
        assert result.name == "emerging_class"
        assert result.index.equals(counts.index)
        got = {cell: result.iloc[position(units, *cell)] for cell in expected}
        assert got == expected

    def test_matches_gi_star_per_period(self, quarters):
        units, counts, _ = quarters
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        z = pd.DataFrame({q: gi_star(counts[q], w)["gi_z"] for q in counts.columns})
        p = pd.DataFrame({q: gi_star(counts[q], w)["gi_p"] for q in counts.columns})
        pd.testing.assert_series_equal(emerging_hotspots(counts, w), classify_emerging(z, p))

    def test_one_period(self, planted_w):
        with pytest.raises(ValueError, match=r"at least 2 periods \(columns\); got 1"):
            emerging_hotspots(pd.DataFrame({"q1": np.ones(planted_w.n)}), planted_w)

    def test_negative_counts(self, planted_w):
        counts = pd.DataFrame({"q1": np.ones(planted_w.n), "q2": -np.ones(planted_w.n)})
        with pytest.raises(ValueError, match="counts must be non-negative"):
            emerging_hotspots(counts, planted_w)

    def test_periods_out_of_order(self, planted_w):
        columns = pd.PeriodIndex(["2024Q2", "2024Q1"], freq="Q")
        counts = pd.DataFrame(np.ones((planted_w.n, 2)), columns=columns)
        with pytest.raises(ValueError, match="oldest first"):
            emerging_hotspots(counts, planted_w)

    def test_row_mismatch(self, planted_w):
        with pytest.raises(ValueError, match=r"counts has 2 unit\(s\) but weights has 49"):
            emerging_hotspots(pd.DataFrame(np.ones((2, 3))), planted_w)

    def test_alpha(self, planted_w):
        with pytest.raises(ValueError, match=r"alpha=1\.5 is not allowed"):
            emerging_hotspots(pd.DataFrame(np.ones((planted_w.n, 3))), planted_w, alpha=1.5)


# ---------------------------------------------------------------------------
# Docstring examples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", [weights, hotspots, emerging], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, verbose=False)
    assert result.attempted >= 3
    assert result.failed == 0


class TestSparseWeights:
    """``as_sparse=True``: the same adjacency as the W, and the same Gi*, without libpysal."""

    def test_grid_equals_w(self, planted):
        units, y = planted
        w = unit_weights(units, kind="grid", cell_size=SIZE)
        matrix = unit_weights(units, kind="grid", cell_size=SIZE, as_sparse=True)
        assert (abs(matrix - sparse.csr_array(w.sparse)) > 0).nnz == 0
        assert matrix.sum() == sum(w.cardinalities.values())
        pd.testing.assert_frame_equal(gi_star(y, matrix).reset_index(drop=True),
                                      gi_star(y, w).reset_index(drop=True))

    def test_areas_equals_w(self):
        squares = [shapely.box(X0 + dx, Y0 + dy, X0 + dx + 500, Y0 + dy + 500)
                   for dy in (500, 0) for dx in (0, 500, 1000)]
        areas = gpd.GeoDataFrame(geometry=squares, crs="EPSG:3006")
        matrix = unit_weights(areas, kind="areas", as_sparse=True)
        # a 3x2 block: corners have 3 queen neighbours, the middle column 5
        assert matrix.sum(axis=1).tolist() == [3, 5, 3, 3, 5, 3]
