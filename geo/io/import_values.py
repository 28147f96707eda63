"""The importer's values: the file's cells read as the layer's types, labels as codes, text as text.

:func:`convert_values` turns every spec column of a mapped frame into its
type before validation: timestamps with :func:`geo.io.times.parse_times`,
numbers with a decimal comma, ``ja``/``nej``/``true``/``false`` as booleans,
category labels (``Stöld``) as their codes (``stold``), and counts the free
text that looks like markup. What cannot be read is kept as written, for
:func:`layers.validate.validate_frame` to report with its row and field.
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.io.csv.dialect import to_numbers
from geo.io.import_report import Note
from geo.io.import_source import Source
from geo.io.times import parse_times
from layers.arrow_text import positions_holding
from layers.spec import Column, LayerSpec
from layers.validate import Problem

__all__ = ["as_text", "convert_values"]

_MARKUP = "<[ /]*[A-Za-z!][^>]*>|[Jj][Aa][Vv][Aa][Ss][Cc][Rr][Ii][Pp][Tt]:"
_TRUE = frozenset({"true", "sant", "ja", "j", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "falskt", "nej", "n", "no", "0", "f"})


def convert_values(frame: gpd.GeoDataFrame, source: Source, spec: LayerSpec) -> list[Problem]:
    """Read every spec column of ``frame`` as its type, in place; return the time problems.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The rows, columns already renamed to the spec's; changed in place.
    source : geo.io.import_source.Source
        Where the rows came from: their row numbers and decimal comma; notes
        (labels read as codes, markup) are added to it.
    spec : layers.spec.LayerSpec
        The target layer.

    Returns
    -------
    list of layers.validate.Problem
        Timestamps that cannot be read, or fall in a DST gap or a repeated
        hour. Other unreadable values are kept as written, for the
        validation to report.

    Examples
    --------
    >>> from layers import get_spec
    >>> frame = gpd.GeoDataFrame({"id": [1.0], "status": ["Trasig"]}, geometry=[None])
    >>> source = Source(frame, np.array([2]), "csv")
    >>> convert_values(frame, source, get_spec("lighting"))
    []
    >>> frame["id"].tolist(), frame["status"].tolist(), [n.code for n in source.notes]
    (['1'], ['broken'], ['labels_as_codes'])
    """
    problems: list[Problem] = []
    for column in spec.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.dtype == "datetime":
            frame[column.name], found = parse_times(values, rows=source.rows, column=column.name)
            problems.extend(found)
        elif column.dtype in ("int", "float"):
            frame[column.name] = _numbers(values, decimal_comma=source.decimal_comma)
        elif column.dtype == "bool":
            frame[column.name] = _booleans(values)
        else:
            frame[column.name] = as_text(values)
            if column.choices:
                frame[column.name] = _codes(frame[column.name], column, source)
            elif not column.unique:  # free text; ids are not shown as prose
                _count_markup(frame[column.name], source)
    return problems


def _numbers(values: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Numbers where readable; unreadable text kept as written, for validation to report."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values
    numbers, bad = to_numbers(values, decimal_comma=decimal_comma)
    if not bad.any():
        return pd.Series(numbers, index=values.index)
    out = pd.Series(numbers, index=values.index, dtype=object)
    out[bad] = values[bad].to_numpy(dtype=object)
    return out


def _booleans(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values
    text = values.astype("str").str.strip().str.lower()
    out = values.astype(object).copy()
    out[text.isin(_TRUE).to_numpy()] = True
    out[text.isin(_FALSE).to_numpy()] = False
    out[(values.isna() | (text == "")).to_numpy()] = None
    return out


def _codes(values: pd.Series, column: Column, source: Source) -> pd.Series:
    """Read labels (Swedish or English, any case) and codes in another case as codes."""
    if (values.isin(column.allowed) | values.isna()).all():
        return values
    lookup = {}
    for choice in column.choices:
        for label in (choice.code, choice.sv, choice.en):
            lookup.setdefault(label.strip().lower(), choice.code)
    stripped = values.str.strip()
    mapped = stripped.str.lower().map(lookup)
    changed = (mapped.notna() & (mapped != values)).to_numpy(dtype=bool)
    if not changed.any():
        return values
    examples = Counter(f"{a} → {b}" for a, b in zip(values[changed], mapped[changed], strict=True))
    source.notes.append(Note("labels_as_codes", {
        "n": int(changed.sum()), "column": column.name,
        "examples": ", ".join(e for e, _ in examples.most_common(3)),
    }))
    out = values.astype(object).copy()
    out[changed] = mapped[changed].to_numpy(dtype=object)
    return out.astype("str")


def _count_markup(values: pd.Series, source: Source) -> None:
    text = pa.array(values.astype("str"))
    maybe = positions_holding(text, b"<:")  # _MARKUP matches only text holding "<" or ":"
    if maybe is not None and len(maybe) < len(text):
        text = text.take(maybe)
    hits = pc.sum(pc.match_substring_regex(text, _MARKUP)).as_py() or 0
    if hits:
        existing = next((n for n in source.notes if n.code == "markup"), None)
        if existing is not None:
            existing.params["n"] += int(hits)
        else:
            source.notes.append(Note("markup", {"n": int(hits)}))



def as_text(values: pd.Series) -> pd.Series:
    """Values as text: whole numbers without '.0'; missing stays missing.

    Parameters
    ----------
    values : pandas.Series
        Cells of one column, of any type.

    Returns
    -------
    pandas.Series
        Of the ``str`` dtype; a text Series other than object comes back as it is.

    Examples
    --------
    >>> as_text(pd.Series([1.0, 2.5, None, " a "], dtype=object)).tolist()
    ['1', '2.5', nan, 'a']
    """
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return values
    return values.map(_plain, na_action="ignore").astype("str")


def _plain(value: object) -> str:
    """Return one value as text: a whole float without '.0', text stripped."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)

