"""The one gate every output passes through: audiences and what they may see.

Audiences, from the least to the most trusted:

- ``public``: open layers only; aggregates with counts from 1 to k-1
  suppressed (k = ``settings.min_count``).
- ``staff``: open and internal layers.
- ``protected``: as staff, and protected categories as aggregates.

Protected rows (e.g. violence in close relationships) never leave as
points, for any audience. File exports default to ``public``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.composite import composite_index
from geo.analysis.indicators.counts import concentration
from geo.analysis.lagesbild import LagesbildFigures, lagesbild_figures
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import Prepared, prepare
from geo.audiences import check_audience
from geo.errors import PrivacyError
from geo.store.base import Store
from layers.spec import LayerSpec

#: Rows the public never sees as features: unreviewed or rejected unsafe places.
PUBLIC_HIDDEN: dict[str, tuple[str, tuple[str, ...]]] = {"unsafe_places": ("status", ("new", "rejected"))}
_MAY_SEE: dict[str, frozenset[str]] = {
    "public": frozenset({"open"}),
    "staff": frozenset({"open", "internal"}),
    "protected": frozenset({"open", "internal", "protected"}),
}


@dataclass(frozen=True)
class GateResult:
    """What the gate let through, and what it held back.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The rows the audience may see as features.
    withheld : int
        Rows removed because they are protected.
    """

    frame: gpd.GeoDataFrame
    withheld: int


def may_see_layer(spec: LayerSpec, audience: str) -> bool:
    """Whether ``audience`` may see the layer's features at all.

    Parameters
    ----------
    spec : LayerSpec
        The layer.
    audience : str
        The audience.

    Returns
    -------
    bool
        True if the layer's sensitivity is within the audience's reach.
    """
    return spec.sensitivity in _MAY_SEE[check_audience(audience)]


def protected_mask(frame: pd.DataFrame, spec: LayerSpec) -> np.ndarray:
    """Return a boolean mask of the rows that hold protected values.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of the layer.
    spec : LayerSpec
        The layer.

    Returns
    -------
    numpy.ndarray of bool
        True where a column holds a value its spec marks protected.
    """
    mask = np.zeros(len(frame), dtype=bool)
    for column, values in spec.protected_values.items():
        if column in frame.columns:
            mask |= frame[column].isin(values).to_numpy()
    return mask


def gate_features(frame: gpd.GeoDataFrame, spec: LayerSpec, audience: str) -> GateResult:
    """Let through the features of a layer that ``audience`` may see as features.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Rows of the layer.
    spec : LayerSpec
        The layer.
    audience : str
        ``public``, ``staff`` or ``protected``.

    Returns
    -------
    GateResult
        The frame without protected rows (and, for the public, without rows
        of :data:`PUBLIC_HIDDEN` such as unreviewed resident reports), and how
        many protected rows were withheld.

    Raises
    ------
    PrivacyError
        If the audience may not see the layer at all (e.g. an internal
        layer for the public); the message names the audience to ask for.
    """
    if spec.sensitivity == "protected" or not may_see_layer(spec, audience):
        need = "staff" if spec.sensitivity == "internal" else "protected (aggregates only)"
        msg = (
            f"layer {spec.name!r} is {spec.sensitivity} and cannot be given to the "
            f"{audience} audience as features; it needs audience {need}, or use the "
            "lägesbild for aggregated counts"
        )
        raise PrivacyError(msg)
    hidden = protected_mask(frame, spec)
    keep = ~hidden
    if audience == "public" and spec.name in PUBLIC_HIDDEN:
        column, values = PUBLIC_HIDDEN[spec.name]
        if column in frame.columns:
            keep &= ~frame[column].isin(values).to_numpy()
    return GateResult(frame.loc[keep].copy(), int(hidden.sum()))


def suppress_small_counts(
    counts: pd.Series, audience: str, *, k: int | None = None
) -> pd.Series:
    """Blank out counts from 1 to k-1 for the public audience.

    Parameters
    ----------
    counts : pandas.Series
        Non-negative counts per unit.
    audience : str
        ``public`` suppresses; other audiences see every count.
    k : int, optional
        Smallest count shown; defaults to ``settings.min_count``.

    Returns
    -------
    pandas.Series
        Nullable ``Int64`` counts with suppressed values as ``<NA>``.

    Examples
    --------
    >>> suppress_small_counts(pd.Series([0, 2, 4]), "public").tolist()
    [0, <NA>, 4]
    """
    k = settings.min_count if k is None else k
    out = counts.astype("Int64")
    if check_audience(audience) == "public":
        out = out.mask((out >= 1) & (out < k))
    return out


# -- the lägesbild ----------------------------------------------------------------------------------

#: For the public, the hot spot factor of the composite index uses the class, not the z-score.
CLASS_SCORE: dict[str, float] = {"hot_99": 3.0, "hot_95": 2.0, "hot_90": 1.0}
#: Columns blanked with a suppressed current count (they are computed from it).
_FROM_CURRENT: tuple[str, ...] = ("incidents", "incidents_rate", "dark_median_m", "dark_share_far",
                                  "incidents_in_camera_share")


def compute_lagesbild(prep: Prepared, params: LagesbildParams, *, lang: str = "sv") -> gpd.GeoDataFrame:
    """Compute the lägesbild of ``params`` and publish it for ``params.audience``.

    Every output (the app, the command line, the files, the reports) takes
    its lägesbild from here, so none can skip the disclosure control of
    :func:`publish_lagesbild`.

    Parameters
    ----------
    prep : Prepared
        From :func:`geo.analysis.prepared.prepare`.
    params : LagesbildParams
        Geography, period, window, weekdays, categories, weights, audience.
    lang : {"sv", "en"}, default "sv"
        Language of the ``drivers`` text.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per unit in EPSG:3006: ``unit_id``, ``name``, the columns of
        :data:`geo.analysis.lagesbild.INDICATORS`, ``flood_share_<scenario>``,
        ``facilities_exposed_<scenario>``, ``contrib_<factor>``, ``drivers``
        and the unit polygon. ``attrs`` holds ``params``, ``provenance``
        (per source layer: rows, time span, share with an exact location),
        ``concentration``, ``incidents_total``, ``kommun_level_incidents``
        and ``suppressed``.
    """
    return publish_lagesbild(lagesbild_figures(prep, params), params, lang=lang)


def build_lagesbild(store: Store, params: LagesbildParams) -> gpd.GeoDataFrame:
    """Read the store, compute the lägesbild and publish it for ``params.audience``.

    For a PostGIS store the incidents stay in the database (see
    :func:`geo.analysis.prepared.prepare`).

    Parameters
    ----------
    store : Store
        The store.
    params : LagesbildParams
        What to compute.

    Returns
    -------
    geopandas.GeoDataFrame
        See :func:`compute_lagesbild`.
    """
    return compute_lagesbild(prepare(store), params)


def publish_lagesbild(figures: LagesbildFigures, params: LagesbildParams, *,
                      lang: str = "sv") -> gpd.GeoDataFrame:
    """Make a lägesbild's figures into what ``params.audience`` may see, and add the composite index.

    For the ``public``, counts from 1 to k-1 (k = ``settings.min_count``) are
    blanked with every figure computed from them (rate, darkness, camera
    share, change), the kommun total and the concentration shares are
    withheld when they would give a blanked count back (:func:`public_total`),
    and the Gi* z- and p-values are withheld (with the neighbours' counts
    they would give a blanked count back): the composite index then weighs
    the hot spot class (:data:`CLASS_SCORE`). Staff and protected
    audiences see every figure.

    Parameters
    ----------
    figures : LagesbildFigures
        From :func:`geo.analysis.lagesbild.lagesbild_figures` for ``params``.
    params : LagesbildParams
        The parameters the figures were computed for.
    lang : {"sv", "en"}, default "sv"
        Language of the ``drivers`` text.

    Returns
    -------
    geopandas.GeoDataFrame
        See :func:`compute_lagesbild`. The frame of ``figures`` is changed
        in place and returned.
    """
    out, current, kommun_level = figures.frame, figures.counts, figures.kommun_level
    attrs = dict(figures.attrs)
    if check_audience(params.audience) == "public":
        suppressed = _suppress_lagesbild(out)
        attrs["suppressed"] = int(suppressed.sum())
        attrs["incidents_total"] = public_total(current, suppressed)
        attrs["kommun_level_incidents"] = None if 0 < kommun_level < settings.min_count else kommun_level
        # the shares imply the total, so they are published only when the total is
        attrs["concentration"] = (concentration(current)
                                  if attrs["incidents_total"] is not None else None)
        factors = out.assign(gi_z=out["gi_class"].map(CLASS_SCORE).fillna(0.0))
        out["gi_z"] = np.nan  # z and p would let a reader recompute suppressed counts from neighbours
        out["gi_p"] = np.nan
    else:
        attrs["suppressed"] = 0
        attrs["incidents_total"] = int(current.sum())
        attrs["kommun_level_incidents"] = kommun_level
        attrs["concentration"] = concentration(current)
        factors = out
    index = composite_index(factors, dict(params.weights), lang=lang)
    for column in index.columns:
        out[column] = index[column].to_numpy()
    out.attrs.update(attrs)  # last: pandas deep-copies attrs on every operation on the frame
    return out


def public_total(counts: np.ndarray, suppressed: np.ndarray) -> int | None:
    """Return the total of all units for the public, or None if it would reveal a hidden count.

    A total reveals suppressed counts when their sum decomposes in one way
    only: a single suppressed unit, or every suppressed unit at 1, or every
    one at k-1 (secondary suppression).

    Parameters
    ----------
    counts : numpy.ndarray
        The true counts per unit.
    suppressed : numpy.ndarray of bool
        Units whose count is hidden.

    Returns
    -------
    int or None
        The total, or None if it must be suppressed too.

    Examples
    --------
    >>> public_total(np.array([10, 2, 0]), np.array([False, True, False])) is None
    True
    >>> public_total(np.array([10, 2, 3]), np.array([False, True, True]))
    15
    """
    hidden = np.asarray(counts)[np.asarray(suppressed, dtype=bool)]
    n, total = len(hidden), int(hidden.sum())
    if n and (n == 1 or total == n or total == n * (settings.min_count - 1)):
        return None
    return int(np.asarray(counts).sum())


def _suppress_lagesbild(out: gpd.GeoDataFrame) -> np.ndarray:
    """Blank counts from 1 to k-1 and what derives from them; return the suppressed units."""
    k = settings.min_count
    small = (out["incidents"] >= 1) & (out["incidents"] < k)
    small_prev = (out["incidents_prev"] >= 1) & (out["incidents_prev"] < k)
    for column in _FROM_CURRENT:
        out[column] = out[column].astype("Float64").mask(small)
    out["incidents_prev"] = out["incidents_prev"].astype("Float64").mask(small_prev)
    for column in ("change_abs", "change_pct"):
        out[column] = out[column].astype("Float64").mask(small | small_prev)
    out["incidents"] = out["incidents"].astype("Int64")
    out["incidents_prev"] = out["incidents_prev"].astype("Int64")
    return small.to_numpy(dtype=bool)
