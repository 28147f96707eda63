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
from geo.errors import PrivacyError
from layers.spec import LayerSpec

AUDIENCES: tuple[str, ...] = ("public", "staff", "protected")
DEFAULT_FILE_AUDIENCE = "public"
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


def check_audience(audience: str) -> str:
    """Return ``audience`` if valid.

    Parameters
    ----------
    audience : str
        One of ``public``, ``staff``, ``protected``.

    Returns
    -------
    str
        The audience.

    Raises
    ------
    ValueError
        If the audience is unknown; the message lists the valid ones.
    """
    if audience not in AUDIENCES:
        msg = f"audience={audience!r} is not allowed; allowed: {', '.join(AUDIENCES)}"
        raise ValueError(msg)
    return audience


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
