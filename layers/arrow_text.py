"""Whole-column checks on Arrow text, made on its buffers instead of value by value.

A column of text read through Arrow keeps all its values end to end in one
data buffer per chunk, with an offsets buffer saying where each value
starts. Questions such as "which values hold a ``<``" or "do all values
have this fixed shape" are answered here with numpy on those buffers,
without making a Python string per value and without copying the text.

UTF-8 makes the byte tests exact: an ASCII byte never occurs inside the
encoding of another character.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa


class TextChunk(NamedTuple):
    """The buffers of one chunk of Arrow text, as numpy arrays (no copies).

    Attributes
    ----------
    starts : numpy.ndarray
        Byte offset of each value in ``data`` (nulls included).
    lengths : numpy.ndarray
        Byte length of each value (a null may have any length).
    valid : numpy.ndarray of bool
        Whether each value is present.
    data : numpy.ndarray of uint8
        The chunk's data buffer.
    """

    starts: np.ndarray
    lengths: np.ndarray
    valid: np.ndarray
    data: np.ndarray


def text_chunks(array: pa.Array | pa.ChunkedArray) -> list[TextChunk] | None:
    """Return the buffers of each chunk of a text array, or None if it is not text.

    Parameters
    ----------
    array : pyarrow.Array or pyarrow.ChunkedArray
        ``string`` or ``large_string`` values.

    Returns
    -------
    list of TextChunk or None
        One per chunk (none for an array without chunks); None for other types.

    Examples
    --------
    >>> [c.lengths.tolist() for c in text_chunks(pa.array(["ab", None, "c"]))]
    [[2, 0, 1]]
    """
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    out = []
    for chunk in chunks:
        large = pa.types.is_large_string(chunk.type)
        if not (large or pa.types.is_string(chunk.type)):
            return None
        offset_type = np.dtype(np.int64 if large else np.int32)
        _, offset_buffer, data_buffer = chunk.buffers()
        if offset_buffer is None:  # a chunk of length 0
            continue
        offsets = np.frombuffer(offset_buffer, dtype=offset_type, count=len(chunk) + 1,
                                offset=chunk.offset * offset_type.itemsize)
        valid = (np.ones(len(chunk), dtype=bool) if chunk.null_count == 0
                 else chunk.is_valid().to_numpy(zero_copy_only=False))
        data = np.empty(0, np.uint8) if data_buffer is None else np.frombuffer(data_buffer, dtype=np.uint8)
        out.append(TextChunk(offsets[:-1], np.diff(offsets), valid, data))
    return out


def positions_holding(array: pa.Array | pa.ChunkedArray, characters: bytes) -> np.ndarray | None:
    """Return the positions of the present values that hold any of some ASCII characters.

    Parameters
    ----------
    array : pyarrow.Array or pyarrow.ChunkedArray
        Text.
    characters : bytes
        ASCII characters, e.g. ``b"<:"``.

    Returns
    -------
    numpy.ndarray of int or None
        Sorted positions in ``array``; None when ``array`` is not text.

    Examples
    --------
    >>> positions_holding(pa.array(["a<b", None, "c", "d:"]), b"<:").tolist()
    [0, 3]
    """
    chunks = text_chunks(array)
    if chunks is None:
        return None
    if any(c >= 0x80 for c in characters):
        msg = f"characters={characters!r}: only ASCII characters can be found byte by byte"
        raise ValueError(msg)
    found, base = [], 0
    for chunk in chunks:
        n = len(chunk.starts)
        if n:
            low, high = int(chunk.starts[0]), int(chunk.starts[-1] + chunk.lengths[-1])
            text = chunk.data[low:high]
            hit = np.zeros(len(text), dtype=bool)
            for character in characters:
                hit |= text == character
            where = np.flatnonzero(hit) + low
            if len(where):
                # offsets are ascending and values lie end to end: a byte belongs to the last value
                # starting at or before it (values of length 0 before it share its start)
                rows = np.unique(np.searchsorted(chunk.starts, where, side="right") - 1)
                found.append(rows[chunk.valid[rows]] + base)
        base += n
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


__all__ = ["TextChunk", "positions_holding", "text_chunks"]
