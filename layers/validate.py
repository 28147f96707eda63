"""Validate a GeoDataFrame against its layer spec, reporting every problem.

All checks are vectorised; a message object is built only for rows that
fail, so validating a million clean points costs a few array passes. The
offending values are taken out of a column only when some row fails, and
text and true/false columns of dtype ``object`` are checked element-wise
only when pandas cannot tell at once that every value has the right type.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from layers.arrow_text import text_chunks
from layers.spec import Column, LayerSpec


class Problem(NamedTuple):
    """One problem found in data.

    Attributes
    ----------
    row : int or None
        1-based row number as the user sees it (in the file when the data
        came from one), or ``None`` for a problem of the whole layer.
    field : str
        The column (``"geometry"`` for geometry and CRS problems).
    message : str
        What is wrong and what is allowed.
    """

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


def validate_frame(
    frame: gpd.GeoDataFrame,
    spec: LayerSpec,
    *,
    row_numbers: Sequence[int] | None = None,
    existing_ids: Collection[str] | None = None,
    points: np.ndarray | None = None,
) -> list[Problem]:
    """Check a frame against a layer spec and return every problem found.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The data to check. Extra columns are allowed and ignored.
    spec : LayerSpec
        The layer's spec.
    row_numbers : sequence of int, optional
        The 1-based row number of each row as the user knows it (a file's
        line or feature number). Defaults to the position in ``frame`` + 1.
    existing_ids : collection of str, optional
        Ids already stored; a row repeating one is a problem (appends).
    points : numpy.ndarray of bool, optional
        Rows whose geometry is a point of finite coordinates not made yet
        (see :class:`geo.io.importer.PendingPoints`); they count as valid
        points, whatever the frame holds there.

    Returns
    -------
    list of Problem
        Empty when the frame satisfies the spec. Whole-layer problems
        (missing CRS, missing column, wrong dtype) come first, then row
        problems in row order.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from layers import get_spec
    >>> frame = gpd.GeoDataFrame(
    ...     {"id": ["a"], "status": ["shining"]}, geometry=[Point(660000, 6590000)],
    ...     crs="EPSG:3006")
    >>> [str(p) for p in validate_frame(frame, get_spec("lighting"))]
    ["row 1, status: 'shining' is not allowed; allowed: working, broken, planned"]
    """
    rows = (
        np.arange(1, len(frame) + 1) if row_numbers is None else np.asarray(row_numbers, dtype=int)
    )
    if len(rows) != len(frame):
        msg = f"row_numbers has {len(rows)} entries for {len(frame)} rows"
        raise ValueError(msg)
    problems: list[Problem] = []
    problems.extend(_geometry_problems(frame, spec, rows, points))
    for column in spec.columns:
        problems.extend(_column_problems(frame, column, rows))
    if existing_ids is not None and "id" in frame.columns:
        clash = frame["id"].astype(str).isin(set(map(str, existing_ids))).to_numpy()
        problems.extend(
            Problem(int(r), "id", f"id {_show(v)} already exists in the store")
            for r, v in zip(rows[clash], _picked(frame["id"], clash), strict=True)
        )
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def _geometry_problems(
    frame: gpd.GeoDataFrame, spec: LayerSpec, rows: np.ndarray, points: np.ndarray | None = None
) -> list[Problem]:
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        return [Problem(None, "geometry", "the data has no geometry column")]
    problems: list[Problem] = []
    if frame.crs is None:
        problems.append(
            Problem(None, "geometry", "no CRS; give the CRS of the coordinates (e.g. EPSG:3006)")
        )
    geoms = frame.geometry.to_numpy()
    types = np.asarray(shapely.get_type_id(geoms))
    made_later = np.zeros(len(geoms), dtype=bool) if points is None else np.asarray(points, dtype=bool)
    types[made_later] = shapely.GeometryType.POINT.value
    missing = types == -1  # shapely's type id of None
    empty = ~missing & ~made_later & shapely.is_empty(geoms)
    problems.extend(Problem(int(r), "geometry", "geometry is missing") for r in rows[missing])
    problems.extend(Problem(int(r), "geometry", "geometry is empty") for r in rows[empty])
    present = ~missing & ~empty
    allowed_ids = [shapely.GeometryType[_upper(t)].value for t in spec.geometry_types]
    wrong_type = present & ~np.isin(types, allowed_ids)
    allowed = ", ".join(spec.geometry_types)
    for r, g in zip(rows[wrong_type], geoms[wrong_type], strict=True):
        kind = "Point" if g is None else g.geom_type
        problems.append(
            Problem(int(r), "geometry", f"geometry type {kind} is not allowed; allowed: {allowed}")
        )
    check = present & ~wrong_type & ~made_later
    invalid = check.copy()
    invalid[check] = ~shapely.is_valid(geoms[check])
    for r, reason in zip(rows[invalid], shapely.is_valid_reason(geoms[invalid]), strict=True):
        problems.append(
            Problem(int(r), "geometry", f"invalid geometry ({reason}); repair with make_valid")
        )
    return problems


def _upper(geometry_type: str) -> str:
    """Map 'MultiPolygon' to shapely's enum name 'MULTIPOLYGON'."""
    return geometry_type.upper()


def _column_problems(frame: pd.DataFrame, column: Column, rows: np.ndarray) -> list[Problem]:
    name = column.name
    if name not in frame.columns:
        if column.required:
            return [Problem(None, name, "required column is missing")]
        return []
    values = frame[name]
    problems: list[Problem] = []
    null = values.isna().to_numpy().copy()
    if column.dtype == "string":
        null |= _blank(values)
    if column.required:
        problems.extend(Problem(int(r), name, "required value is empty") for r in rows[null])
    if null.all():
        return problems
    type_problems, numbers = _dtype_problems(values, column, rows, null)
    problems.extend(type_problems)
    if type_problems and type_problems[0].row is None:
        return problems
    if column.choices:
        bad = ~null & ~values.isin(column.allowed).to_numpy()
        allowed = ", ".join(column.allowed)
        problems.extend(
            Problem(int(r), name, f"{_show(v)} is not allowed; allowed: {allowed}")
            for r, v in zip(rows[bad], _picked(values, bad), strict=True)
        )
    if numbers is not None:
        problems.extend(_range_problems(numbers, column, rows))
    if column.unique and _may_repeat(values):
        dup = ~null & values.duplicated(keep=False).to_numpy()
        first_row = pd.Series(rows[dup]).groupby(values.to_numpy()[dup]).transform("min").to_numpy()
        problems.extend(
            Problem(int(r), name, f"duplicate {name} {_show(v)} (first at row {f})")
            for r, v, f in zip(rows[dup], values.to_numpy()[dup], first_row, strict=True)
            if r != f
        )
    return problems


def _dtype_problems(
    values: pd.Series, column: Column, rows: np.ndarray, null: np.ndarray
) -> tuple[list[Problem], np.ndarray | None]:
    """Check a column's type; return problems and its values as floats if numeric."""
    name, dtype = column.name, column.dtype
    if dtype == "datetime":
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return [], None
        if pd.api.types.is_datetime64_dtype(values.dtype):
            return [Problem(None, name, "timestamps are naive; they must carry a time zone "
                                        "(naive local times are read as Europe/Stockholm on import)")], None
        return [Problem(None, name, f"expected tz-aware timestamps, got dtype {values.dtype}")], None
    if dtype == "bool":
        if pd.api.types.is_bool_dtype(values.dtype) or _all_of_kind(values, null, "boolean"):
            return [], None
        bad = ~null & ~values.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
        return [
            Problem(int(r), name, f"{_show(v)} is not true/false")
            for r, v in zip(rows[bad], _picked(values, bad), strict=True)
        ], None
    if dtype == "string":
        if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
            return [], None
        if _all_of_kind(values, null, "string"):
            return [], None
        bad = ~null & ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        return [
            Problem(int(r), name, f"{_show(v)} is not text")
            for r, v in zip(rows[bad], _picked(values, bad), strict=True)
        ], None
    # int or float
    if pd.api.types.is_bool_dtype(values.dtype):
        return [Problem(None, name, f"expected {dtype} numbers, got true/false values")], None
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~null & np.isnan(numbers)
    problems = [
        Problem(int(r), name, f"{_show(v)} is not a number")
        for r, v in zip(rows[bad], _picked(values, bad), strict=True)
    ]
    if dtype == "int":
        frac = ~null & ~bad & (np.mod(numbers, 1) != 0)
        problems.extend(
            Problem(int(r), name, f"{_show(v)} is not a whole number")
            for r, v in zip(rows[frac], numbers[frac], strict=True)
        )
    return problems, np.where(null | bad, np.nan, numbers)


def _range_problems(numbers: np.ndarray, column: Column, rows: np.ndarray) -> list[Problem]:
    lo = -np.inf if column.minimum is None else column.minimum
    hi = np.inf if column.maximum is None else column.maximum
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(numbers) & ((numbers < lo) | (numbers > hi))
    unit = f" {column.unit}" if column.unit else ""
    span = f"{column.minimum if column.minimum is not None else '-∞'} to " \
           f"{column.maximum if column.maximum is not None else '∞'}{unit}"
    return [
        Problem(int(r), column.name, f"{v:g} is out of range; allowed: {span}")
        for r, v in zip(rows[bad], numbers[bad], strict=True)
    ]


def _blank(values: pd.Series) -> np.ndarray:
    """Tell where a value is empty or only white space (``.str.strip() == ""`` of pandas' text).

    For Arrow-backed text only the values that are empty or start with a
    byte that may begin white space (an ASCII control or space, or a
    non-ASCII character) are stripped; a value starting otherwise holds
    something. Other dtypes are stripped whole.
    """
    chunks = text_chunks(pa.array(values)) if _arrow_text(values) else None
    if chunks is None:
        return (values.astype("string").str.strip() == "").fillna(False).to_numpy(dtype=bool)
    maybe = [np.ones(0, dtype=bool)]
    for chunk in chunks:
        if len(chunk.data) == 0:  # every value empty (or missing)
            maybe.append(np.ones(len(chunk.starts), dtype=bool))
            continue
        first = chunk.data[np.minimum(chunk.starts, len(chunk.data) - 1)]
        maybe.append((chunk.lengths == 0) | (first <= 0x20) | (first >= 0x80))
    candidates = np.flatnonzero(np.concatenate(maybe))
    out = np.zeros(len(values), dtype=bool)
    if len(candidates):
        stripped = values.iloc[candidates].astype("string").str.strip()
        out[candidates] = (stripped == "").fillna(False).to_numpy(dtype=bool)
    return out


def _arrow_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _picked(values: pd.Series, mask: np.ndarray) -> np.ndarray:
    """Return ``values.to_numpy()[mask]``, taking the column out only when ``mask`` has a true value."""
    if not mask.any():
        return np.empty(0, dtype=object)
    return values.to_numpy()[mask]


def _all_of_kind(values: pd.Series, null: np.ndarray, kind: str) -> bool:
    """Tell whether every value outside ``null`` is of ``kind`` (pandas' ``infer_dtype``, one C pass).

    ``kind`` is ``"string"`` (every value a ``str``) or ``"boolean"`` (every
    value a ``bool`` or ``numpy.bool_``). False means "look value by value",
    not that a value is wrong.
    """
    present = values if not null.any() else values[~null]
    return len(present) > 0 and pd.api.types.infer_dtype(present, skipna=False) == kind


def _may_repeat(values: pd.Series) -> bool:
    """Tell whether two present values of a column may be equal (False only when sure they are not).

    Arrow-backed text is sorted in Arrow and neighbours compared, about a
    third of the cost of hashing every value; other dtypes, and any column
    where a repeat is found, go the exact way (``Series.duplicated``).
    """
    if not _arrow_text(values):
        return True
    array = pa.array(values)  # the column's own Arrow data, not a copy
    if len(array) < 2:
        return False
    ordered = array.take(pc.sort_indices(array))
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    return bool(pc.any(same).as_py())


def _show(value: object) -> str:
    """Repr of a value as the user wrote it (numpy scalars as plain Python)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    return repr(value)
