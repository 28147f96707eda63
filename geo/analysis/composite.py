"""The composite index: documented, adjustable weights, and what drives each unit.

Each factor is an indicator column where a higher value means less safe.
Per unit, a factor's value is scaled to 0-1 by min-max over the units
(missing values count as 0), multiplied by its weight, and the weighted
values are summed and scaled to 0-100::

    index = 100 * sum_f(w_f * s_f) / sum_f(w_f)

The contribution of factor f to a unit is ``100 * w_f * s_f / sum(w)``;
the contributions add up to the index, so ``drivers`` can list, in order,
what makes a unit rank where it does.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

from geo.i18n import format_number, t

#: factor → indicator column; a factor's label is ``t(f"factor.{factor}", lang)``.
FACTORS: dict[str, str] = {
    "incidents": "incidents",
    "hotspot": "gi_z",
    "darkness": "dark_median_m",
    "broken_lamps": "lamps_broken",
    "graffiti": "graffiti_open",
    "unsafe_places": "unsafe_places",
    "camera_gap": "camera_gap",
    "flood": "flood_share_max",
}

#: The default weights (documented in the README and shown in the app).
DEFAULT_WEIGHTS: dict[str, float] = {
    "incidents": 0.35,
    "hotspot": 0.20,
    "darkness": 0.15,
    "unsafe_places": 0.15,
    "graffiti": 0.10,
    "broken_lamps": 0.05,
}


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Return the weights if every factor is known and every weight is >= 0.

    Parameters
    ----------
    weights : dict of str to float
        Factor → weight.

    Returns
    -------
    dict of str to float
        The weights as floats.

    Raises
    ------
    ValueError
        On an unknown factor, a negative or non-numeric weight, or all zeros.
    """
    unknown = sorted(set(weights) - set(FACTORS))
    if unknown:
        msg = f"unknown weight factor(s) {unknown}; allowed: {', '.join(FACTORS)}"
        raise ValueError(msg)
    out = {}
    for name, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            msg = f"weight {name}={value!r} is not a number"
            raise ValueError(msg) from exc
        if not np.isfinite(number) or number < 0:
            msg = f"weight {name}={value!r} must be a number >= 0"
            raise ValueError(msg)
        out[name] = number
    if sum(out.values()) <= 0:
        msg = "at least one weight must be above 0"
        raise ValueError(msg)
    return out


def load_weights(path: str | Path) -> dict[str, float]:
    """Read weights from a JSON or TOML file (``{"incidents": 0.5, ...}``).

    Factors missing from the file get weight 0.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.json`` or ``.toml``.

    Returns
    -------
    dict of str to float
        Checked weights.

    Raises
    ------
    ValueError
        If the file cannot be parsed or the weights are not allowed.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path.name}: cannot read weights: {exc}"
        raise ValueError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{path.name}: weights must be a table of factor = weight"
        raise ValueError(msg)
    return check_weights(data)


def composite_index(table: pd.DataFrame, weights: dict[str, float] | None = None, *,
                    lang: str = "sv") -> pd.DataFrame:
    """Compute the composite index, per-factor contributions and drivers.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per unit with the indicator columns of :data:`FACTORS`
        (a factor whose column is missing counts as 0 everywhere).
    weights : dict of str to float, optional
        Factor → weight; defaults to :data:`DEFAULT_WEIGHTS`.
    lang : {"sv", "en"}, default "sv"
        Language of the ``drivers`` text.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table``: ``composite_index`` (0-100), one
        ``contrib_<factor>`` column per weighted factor, and ``drivers``
        (factors with a contribution, largest first).

    Examples
    --------
    >>> t = pd.DataFrame({"incidents": [0, 10, 20], "gi_z": [-1.0, 0.0, 3.0]})
    >>> composite_index(t, {"incidents": 1, "hotspot": 1})["composite_index"].tolist()
    [0.0, 25.0, 100.0]
    """
    weights = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    total = sum(weights.values())
    out = pd.DataFrame(index=table.index)
    score = np.zeros(len(table))
    contribs = {}
    for factor, weight in weights.items():
        if weight == 0:
            continue
        column = FACTORS[factor]
        values = _factor_values(table, factor, column)
        scaled = _min_max(values)
        contrib = 100.0 * weight * scaled / total
        out[f"contrib_{factor}"] = contrib
        contribs[factor] = contrib
        score += contrib
    out["composite_index"] = score
    out["drivers"] = _drivers(contribs, len(table), lang)
    return out


def _factor_values(table: pd.DataFrame, factor: str, column: str) -> np.ndarray:
    if column not in table.columns:
        return np.zeros(len(table))
    values = pd.to_numeric(table[column], errors="coerce").astype(float).to_numpy()
    if factor == "hotspot":
        values = np.clip(values, 0, None)  # only hot spots add to the index
    return np.nan_to_num(values, nan=0.0, posinf=0.0)


def _min_max(values: np.ndarray) -> np.ndarray:
    lo, hi = (values.min(), values.max()) if len(values) else (0.0, 0.0)
    if hi <= lo:
        return np.zeros(len(values))
    return (values - lo) / (hi - lo)


def _drivers(contribs: dict[str, np.ndarray], n: int, lang: str) -> list[str]:
    if not contribs:
        return [""] * n
    names = list(contribs)
    matrix = np.column_stack([contribs[f] for f in names])
    labels = [t(f"factor.{f}", lang) for f in names]
    out = []
    for row in matrix:
        order = np.argsort(-row, kind="stable")
        parts = [f"{labels[i]} {format_number(row[i], lang, decimals=1)}" for i in order if row[i] > 0.05]
        out.append("; ".join(parts))
    return out
