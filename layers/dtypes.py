"""Canonical pandas dtypes for spec columns, applied after reads and before writes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers.spec import STORAGE_CRS, TIMEZONE, LayerSpec

_PANDAS_DTYPE = {"int": "Int64", "float": "float64", "bool": "boolean"}


def conform_dtypes(
    frame: gpd.GeoDataFrame, spec: LayerSpec, *, text_as_object: bool = True
) -> gpd.GeoDataFrame:
    """Give the spec's columns their canonical dtypes; return a new frame.

    Integers become nullable ``Int64``, booleans nullable ``boolean`` and
    timestamps ``datetime64[ns, Europe/Stockholm]``; text columns become
    ``object`` with ``None`` where empty, whichever backend read them.
    Missing optional columns are added empty, so every frame of a layer
    has the same columns. Call it on data that passed
    :func:`layers.validate.validate_frame`.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Data of the layer.
    spec : LayerSpec
        The layer's spec.
    text_as_object : bool, default True
        Make text columns ``object``. A writer that hands the frame to
        Arrow (the GeoPackage store) passes ``False``: Arrow-backed text
        then goes to the file as it is, instead of being made into Python
        strings and back.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with the spec's columns first, then the geometry, then any
        extra columns.
    """
    out = frame.copy(deep=False)  # columns are replaced, never changed in place (and pandas copies on write)
    local = f"datetime64[ns, {TIMEZONE}]"
    for column in spec.columns:
        name = column.name
        if name not in out.columns:
            dtype = _empty_dtype(column.dtype, local)
            # None, not pd.NA, in text columns: writers would store pd.NA as the text "<NA>"
            empty = None if dtype == "object" else pd.NA
            out[name] = pd.Series(empty, index=out.index, dtype=dtype)
            continue
        values = out[name]
        if column.dtype == "datetime":
            if isinstance(values.dtype, pd.DatetimeTZDtype):
                out[name] = values.dt.tz_convert(TIMEZONE).astype(local)
            elif values.isna().all():
                out[name] = pd.Series(pd.NaT, index=out.index, dtype=local)
        elif column.dtype == "bool" and values.dtype != "boolean":
            out[name] = values.astype("boolean")
        elif column.dtype in _PANDAS_DTYPE and str(values.dtype) != _PANDAS_DTYPE[column.dtype]:
            out[name] = pd.to_numeric(values).astype(_PANDAS_DTYPE[column.dtype])
        elif column.dtype == "string" and (text_as_object or not isinstance(values.dtype, pd.StringDtype)):
            # one representation on every backend: text, or None where empty
            text = values.astype(object)
            out[name] = text.where(values.notna(), None) if values.hasnans else text
    order = [*spec.column_names, out.geometry.name]
    rest = [c for c in out.columns if c not in order]
    return out[order + rest]


def _empty_dtype(dtype: str, local: str) -> str:
    if dtype == "datetime":
        return local
    return _PANDAS_DTYPE.get(dtype, "object")


def empty_frame(spec: LayerSpec) -> gpd.GeoDataFrame:
    """Return a frame with the layer's columns and no rows, in the analysis CRS.

    Parameters
    ----------
    spec : LayerSpec
        The layer's spec.

    Returns
    -------
    geopandas.GeoDataFrame
        Zero rows, canonical dtypes, CRS :data:`layers.spec.STORAGE_CRS`.
    """
    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=STORAGE_CRS))
    return conform_dtypes(frame, spec)
