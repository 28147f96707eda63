"""Plain 2D points as WKB: coordinates read from a WKB column, and WKB made from coordinates.

pyogrio hands geometries over as WKB in an Arrow binary column. Making a
shapely point of each row costs about as much as GDAL's whole read, and an
import of points needs only their coordinates until it writes them. A 2D
point in little-endian WKB is 21 bytes: the byte order (1), the type (1, as
a little-endian uint32), then x and y as float64. When every row is such a
point with finite coordinates, :func:`point_coordinates` reads x and y out
of the buffer as two arrays; for anything else (a missing or empty
geometry, another type, Z or M, big-endian or extended WKB) it returns
``None`` and the caller makes geometries as usual, so that every such row
keeps its own message. :func:`point_wkb` goes the other way, for a writer
that takes WKB (the GeoPackage store), again without a geometry per row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

POINT_WKB_BYTES: int = 21
"""Length of a 2D point in WKB: byte order, type, x, y."""

_LITTLE_ENDIAN = 1
_POINT = 1


def point_coordinates(wkb: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return x and y of a WKB column that holds plain 2D points only.

    Parameters
    ----------
    wkb : pyarrow.Array or pyarrow.ChunkedArray
        Binary (or large binary) WKB values, possibly wrapped in a
        ``geoarrow.wkb`` extension type.

    Returns
    -------
    tuple of numpy.ndarray or None
        ``(x, y)`` as float64 arrays in row order, or ``None`` when some
        row is not a little-endian 2D point with finite coordinates (or is
        missing).

    Examples
    --------
    >>> import pyarrow as pa, shapely
    >>> column = pa.array(shapely.to_wkb([shapely.Point(1, 2), shapely.Point(3, 4)]).tolist())
    >>> x, y = point_coordinates(column)
    >>> x.tolist(), y.tolist()
    ([1.0, 3.0], [2.0, 4.0])
    >>> point_coordinates(pa.array([shapely.to_wkb(shapely.Point(1, 2, 3))]))  # Z: not plain
    """
    chunks = wkb.chunks if isinstance(wkb, pa.ChunkedArray) else [wkb]
    parts = [_chunk_coordinates(chunk) for chunk in chunks]
    if any(part is None for part in parts):
        return None
    if not parts:
        return np.empty(0), np.empty(0)
    xy = np.concatenate(parts) if len(parts) > 1 else parts[0]
    return xy[:, 0].copy(), xy[:, 1].copy()


def point_wkb(x: np.ndarray, y: np.ndarray) -> pa.Array:
    """Return little-endian 2D point WKB of the coordinates as an Arrow binary array.

    Parameters
    ----------
    x, y : numpy.ndarray
        Finite coordinates, one pair per row.

    Returns
    -------
    pyarrow.Array
        Large binary (64-bit offsets: no row limit), 21 bytes a row, as
        :func:`shapely.to_wkb` writes them.

    Examples
    --------
    >>> import shapely
    >>> wkb = point_wkb(np.array([1.0, 3.0]), np.array([2.0, 4.0]))
    >>> [shapely.from_wkb(v).wkt for v in wkb.to_pylist()]
    ['POINT (1 2)', 'POINT (3 4)']
    """
    n = len(x)
    records = np.empty((n, POINT_WKB_BYTES), dtype=np.uint8)
    records[:, 0] = _LITTLE_ENDIAN
    records[:, 1:5] = np.frombuffer(np.array(_POINT, dtype="<u4").tobytes(), dtype=np.uint8)
    records[:, 5:] = np.column_stack([x, y]).astype("<f8").view(np.uint8)
    offsets = np.arange(0, POINT_WKB_BYTES * (n + 1), POINT_WKB_BYTES, dtype=np.int64)
    return pa.Array.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(records)])


def _chunk_coordinates(chunk: pa.Array) -> np.ndarray | None:
    """Return one chunk's coordinates as an (n, 2) array, or None if a row is not a plain point."""
    if isinstance(chunk, pa.ExtensionArray):
        chunk = chunk.storage
    if chunk.null_count or not (pa.types.is_binary(chunk.type) or pa.types.is_large_binary(chunk.type)):
        return None
    n = len(chunk)
    if n == 0:
        return np.empty((0, 2))
    _, offsets_buffer, data_buffer = chunk.buffers()
    offset_type = np.int64 if pa.types.is_large_binary(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[chunk.offset : chunk.offset + n + 1]
    if (
        int(offsets[-1] - offsets[0]) != n * POINT_WKB_BYTES
        or not (np.diff(offsets) == POINT_WKB_BYTES).all()
    ):
        return None
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    records = data.reshape(n, POINT_WKB_BYTES)
    if not (records[:, 0] == _LITTLE_ENDIAN).all():
        return None
    if not (np.ascontiguousarray(records[:, 1:5]).view("<u4") == _POINT).all():
        return None
    xy = np.ascontiguousarray(records[:, 5:]).view("<f8").astype(np.float64, copy=False)
    if not np.isfinite(xy).all():  # POINT EMPTY is NaN, NaN in WKB
        return None
    return xy


__all__ = ["POINT_WKB_BYTES", "point_coordinates", "point_wkb"]
