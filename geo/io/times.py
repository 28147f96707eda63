"""Timestamps as written in files: ISO 8601 with an offset, or naive local time.

:func:`parse_times` reads a column of text into ``datetime64[ns,
Europe/Stockholm]``. The common form, ``2024-05-01T14:30:00+02:00``, is
read in Arrow; every other value goes the careful way (pandas' ISO 8601
parser; naive times localised in Europe/Stockholm, where the spring DST
gap and the repeated autumn hour are reported, never guessed).

Attributes
----------
ISO_OFFSET_FORMAT : str
    The ``strptime`` format of the common form.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import settings
from geo.timeutil import localize_naive
from layers.arrow_text import TextChunk, text_chunks
from layers.validate import Problem

ISO_OFFSET_FORMAT: str = "%Y-%m-%dT%H:%M:%S%z"

#: Byte length → the exact shape of :data:`ISO_OFFSET_FORMAT` at that length:
#: ``0`` a digit, ``+`` a sign (``+`` or ``-``), any other byte itself.
_ISO_OFFSET_SHAPES: dict[int, bytes] = {
    20: b"0000-00-00T00:00:00Z",
    24: b"0000-00-00T00:00:00+0000",
    25: b"0000-00-00T00:00:00+00:00",
}
_ISO_SIGN_AT = 19
_UTC_NS = pa.timestamp("ns", "UTC")

# Patterns run on whole columns: written without \s, \d, look-arounds or flags, so that
# pandas runs them in Arrow (RE2) instead of Python's re, row by row.
_OFFSET = "[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)? *(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$"
_PAD_HOUR = "^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]):"
_SPACE_BEFORE_OFFSET = " +([+-][0-9]{2}:?[0-9]{2})$"


def parse_times(values: pd.Series, *, rows: np.ndarray, column: str) -> tuple[pd.Series, list[Problem]]:
    """Parse timestamps: ISO 8601 with an offset, or naive local time in Europe/Stockholm.

    Parameters
    ----------
    values : pandas.Series
        Text (or datetimes) as read.
    rows : numpy.ndarray
        The row number of each value, for problems.
    column : str
        The column, for problems.

    Returns
    -------
    times : pandas.Series
        ``datetime64[ns, Europe/Stockholm]``; NaT where empty or refused.
    problems : list of Problem
        Values that are not a date and time, that fall in the spring DST
        gap (the hour does not exist), or in the repeated autumn hour (it
        exists twice): reported, never guessed.

    Examples
    --------
    >>> s = pd.Series(["2026-03-29 02:30", "2026-10-25T02:30:00+01:00", "31/02"])
    >>> times, problems = parse_times(s, rows=np.array([2, 3, 4]), column="occurred_at")
    >>> str(times[1]), [p.row for p in problems]
    ('2026-10-25 02:30:00+01:00', [2, 4])
    """
    tz = settings.timezone
    local = f"datetime64[ns, {tz}]"
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(tz).astype(local), []
    if pd.api.types.is_datetime64_dtype(values.dtype):
        values = values.dt.strftime("%Y-%m-%dT%H:%M:%S")
    raw_text = values.astype("str")
    problems: list[Problem] = []
    given = values.notna().to_numpy()
    times = _arrow_times(raw_text, given)  # the common ISO form with offset, fast
    pending = given & times.isna().to_numpy()
    if pending.any():
        text = raw_text.where(pending).str.strip()  # the careful path, for the rest only
        present = ~times.isna().to_numpy() | (pending & (text.notna() & (text != "")).to_numpy(dtype=bool))
        pending &= present
    else:  # every value read in Arrow, or missing
        text, present = raw_text, ~times.isna().to_numpy()
    flagged = np.zeros(len(text), dtype=bool)
    found = np.empty((0, 2), dtype=int)
    if pending.any():
        slow, flagged, found = _parse_text_times(text, pending)
        times = times.where(~pending, slow)
    failed = present & times.isna().to_numpy() & ~flagged
    if failed.any():
        # Second chance for the rows that failed: hours not zero-padded ("2023-03-24 7:55:04"),
        # a space before the offset ("... +01:00"), as Polisen writes them.
        fixed = text.where(failed).str.replace(_PAD_HOUR, r"\1T0\2:", regex=True)
        fixed = fixed.str.replace(_SPACE_BEFORE_OFFSET, r"\1", regex=True)
        retry, retry_flagged, retry_found = _parse_text_times(fixed, failed)
        times = times.where(~failed, retry)
        flagged |= retry_flagged
        found = np.concatenate([found, retry_found])
    bad = present & times.isna().to_numpy() & ~flagged
    if len(found) or bad.any():  # the values as written, only for the messages
        raw = values.to_numpy(dtype=object)
        for position, kind in sorted(found.tolist()):
            message = (_GAP, _TWICE, _FAR)[kind]
            problems.append(Problem(int(rows[position]), column, message.format(value=raw[position], tz=tz)))
        problems.extend(Problem(int(rows[i]), column, _UNREADABLE.format(value=raw[i]))
                        for i in np.flatnonzero(bad))
    return times.astype(local), sorted(problems, key=lambda p: p.row or 0)


def _arrow_times(text: pd.Series, present: np.ndarray) -> pd.Series:
    """Parse ``2024-05-01T14:30:00+02:00`` in Arrow; NaT for every value of another form.

    When every value has exactly the form of :data:`ISO_OFFSET_FORMAT`
    (:func:`has_iso_offset_form`), Arrow's cast reads them, several times
    faster than ``strptime``; it refuses a value out of range (30 February,
    second 60, offset +24:00), and then ``strptime`` reads every value as
    before. So both give the same times.
    """
    tz = settings.timezone
    try:
        array = pa.array(text if present.all() else text.where(present))
        parsed = _cast_iso_offset(array)
        if parsed is None:
            parsed = pc.strptime(array, format=ISO_OFFSET_FORMAT, unit="ns", error_is_null=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pd.Series(pd.NaT, index=text.index, dtype=f"datetime64[ns, {tz}]")
    times = parsed.to_pandas()  # datetime64[ns, UTC]
    return pd.Series(times.array, index=text.index).dt.tz_convert(tz)


def _parse_text_times(text: pd.Series, present: np.ndarray) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse the present values; return times, DST-flagged rows and (position, 0 gap / 1 twice) pairs."""
    tz = settings.timezone
    aware = present & text.str.contains(_OFFSET, regex=True).fillna(False).to_numpy(dtype=bool)
    naive = present & ~aware
    times = pd.Series(pd.NaT, index=text.index, dtype=f"datetime64[ns, {tz}]")
    flagged = np.zeros(len(text), dtype=bool)
    found = np.empty((0, 2), dtype=int)
    far = np.zeros(len(text), dtype=bool)
    if aware.any():
        parsed, far_aware = _drop_far_times(pd.to_datetime(text.where(aware), format="ISO8601", utc=True,
                                                           errors="coerce"))
        far |= far_aware
        times = parsed.dt.tz_convert(tz) if not naive.any() else times.where(~aware, parsed.dt.tz_convert(tz))
    if naive.any():
        parsed, far_naive = _drop_far_times(pd.to_datetime(text.where(naive), format="ISO8601",
                                                           errors="coerce"))
        far |= far_naive
        localized, problem = localize_naive(parsed)
        times = times.where(~naive, localized)
        kinds = problem.map({"nonexistent": 0, "ambiguous": 1}).to_numpy()
        hit = naive & ~pd.isna(kinds)
        flagged |= hit
        found = np.column_stack([np.flatnonzero(hit), kinds[hit].astype(int)])
    if far.any():
        flagged |= far
        found = np.concatenate([found, np.column_stack([np.flatnonzero(far), np.full(int(far.sum()), 2)])])
    return times, flagged, found


def _drop_far_times(parsed: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Blank the times outside 1678-2261 (pandas holds times in nanoseconds); return which they were."""
    years = parsed.dt.year
    far = ((years < FIRST_YEAR) | (years > LAST_YEAR)).fillna(False).to_numpy(dtype=bool)
    return (parsed.where(~far) if far.any() else parsed), far


#: The years a time may have: pandas keeps times in nanoseconds, from 1677-09-21 to 2262-04-11.
FIRST_YEAR, LAST_YEAR = 1678, 2261


_GAP = ("{value!r} does not exist in {tz}: the clocks jump from 02:00 to 03:00 that night (DST); "
        "check the time, or give its offset")
_TWICE = ("{value!r} happens twice in {tz}: the clocks go back from 03:00 to 02:00 that night (DST); "
          "give its offset, +02:00 for the first time or +01:00 for the second")
_FAR = ("{value!r} is outside the years 1678–2261 that a time can have here; check the year")
_UNREADABLE = ("{value!r} is not a date and time; use ISO 8601, e.g. 2024-05-01 14:30 (local time) "
               "or 2024-05-01T14:30:00+02:00")


def has_iso_offset_form(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether every present value is ``YYYY-MM-DDTHH:MM:SS`` then ``Z``, ``±HHMM`` or ``±HH:MM``.

    Only the shape is checked (digits, separators and sign at their
    places, every value of one length), on the Arrow buffers without
    copying the text; ranges (month 13, 30 February) are not.

    Parameters
    ----------
    array : pyarrow.Array or pyarrow.ChunkedArray
        Text.

    Returns
    -------
    bool
        False also for values of mixed lengths (``Z`` beside ``+02:00``),
        text not laid out end to end, or another type than text: "not
        known to have the form", not "wrong".

    Examples
    --------
    >>> has_iso_offset_form(pa.array(["2024-05-01T14:30:00+02:00", None, "2024-12-01T08:00:00+01:00"]))
    True
    >>> has_iso_offset_form(pa.array(["2024-05-01 14:30:00+02:00"]))
    False
    """
    chunks = text_chunks(array)
    return chunks is not None and all(_chunk_has_iso_offset_form(chunk) for chunk in chunks)


def _chunk_has_iso_offset_form(chunk: TextChunk) -> bool:
    starts, lengths = chunk.starts, chunk.lengths
    if not chunk.valid.all():
        starts, lengths = starts[chunk.valid], lengths[chunk.valid]
    if len(starts) == 0:
        return True
    width = int(lengths[0])
    shape = _ISO_OFFSET_SHAPES.get(width)
    if shape is None or (lengths != width).any() or (np.diff(starts) != width).any():
        return False  # other lengths, or nulls holding bytes between the values
    first = int(starts[0])
    grid = chunk.data[first:first + width * len(starts)].reshape(-1, width)  # a view: one row per value
    template = np.frombuffer(shape, dtype=np.uint8)
    digit, sign = template == ord("0"), template == ord("+")
    # one pass: byte - low <= span, per column (a digit 0-9, a sign + , -, else the byte itself)
    low = np.where(sign, ord("+"), template).astype(np.uint8)
    span = np.where(digit, 9, np.where(sign, ord("-") - ord("+"), 0)).astype(np.uint8)
    if not ((grid - low) <= span).all():
        return False
    return not sign.any() or not (grid[:, _ISO_SIGN_AT] == ord(",")).any()  # "," lies between + and -


def _cast_iso_offset(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray | None:
    """UTC times of text of the one ISO form, or None (another form, or a value out of range)."""
    if len(array) == 0 or not has_iso_offset_form(array):
        return None
    try:
        return pc.cast(array, _UTC_NS)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


__all__ = ["ISO_OFFSET_FORMAT", "has_iso_offset_form", "parse_times"]
