"""Time and category filters of the lägesbild, in Europe/Stockholm local time.

Parsing turns user text (``"22-05"``, ``"fri,sat"``) into values; masks are
computed on precomputed arrays (local hour, weekday), so a filter change
costs a few vectorised comparisons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import settings

WEEKDAYS: dict[str, int] = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "mån": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "sön": 6,
}
#: The English codes, Monday first: what :class:`geo.analysis.params.LagesbildParams` writes.
WEEKDAY_CODES: tuple[str, ...] = tuple(WEEKDAYS)[:7]


def parse_hours(text: str | None) -> tuple[int, int] | None:
    """Parse a time-of-day window ``"22-05"`` (from 22:00 up to 05:00, across midnight).

    Parameters
    ----------
    text : str or None
        ``"HH-HH"`` with whole hours 0-24; the end is exclusive.

    Returns
    -------
    tuple of int or None
        ``(start_hour, end_hour)``, or None for the whole day.

    Raises
    ------
    ValueError
        If the text is not a window of whole hours.

    Examples
    --------
    >>> parse_hours("22-05")
    (22, 5)
    """
    if text is None or text == "":
        return None
    try:
        start, end = (int(part) for part in text.split("-"))
    except ValueError as exc:
        msg = f"hours={text!r} is not a window like '22-05' (whole hours, end exclusive)"
        raise ValueError(msg) from exc
    if not (0 <= start <= 23 and 0 <= end <= 24) or start == end:
        msg = f"hours={text!r}: hours must be 0-23 to 0-24 and differ"
        raise ValueError(msg)
    return start, end


def parse_weekdays(text: str | None) -> tuple[int, ...] | None:
    """Parse weekdays ``"fri,sat"`` (English or Swedish abbreviations) to 0=Monday..6.

    Parameters
    ----------
    text : str or None
        Comma-separated three-letter names.

    Returns
    -------
    tuple of int or None
        Sorted weekday numbers, or None for every day.

    Raises
    ------
    ValueError
        If a name is unknown; the message lists the names.

    Examples
    --------
    >>> parse_weekdays("fri,lör")
    (4, 5)
    """
    if text is None or text == "":
        return None
    days = []
    for part in text.lower().split(","):
        name = part.strip()[:3]
        if name not in WEEKDAYS:
            msg = f"weekday {part.strip()!r} is unknown; use {', '.join(WEEKDAY_CODES)} (or Swedish)"
            raise ValueError(msg)
        days.append(WEEKDAYS[name])
    return tuple(sorted(set(days)))


def parse_date(text: str | pd.Timestamp, *, argument: str) -> pd.Timestamp:
    """Parse a date or time as Europe/Stockholm local time.

    Parameters
    ----------
    text : str or pandas.Timestamp
        ``"2025-01-31"`` or a timestamp; naive values are local time.
    argument : str
        The argument's name, for the message.

    Returns
    -------
    pandas.Timestamp
        Tz-aware, Europe/Stockholm.

    Raises
    ------
    ValueError
        If the text is not a date.
    """
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError) as exc:
        msg = f"{argument}={text!r} is not a date (use e.g. 2025-01-31)"
        raise ValueError(msg) from exc
    if stamp is pd.NaT:
        msg = f"{argument}={text!r} is not a date (use e.g. 2025-01-31)"
        raise ValueError(msg)
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone, nonexistent="shift_forward", ambiguous=False)
    return stamp.tz_convert(settings.timezone)


def hour_mask(local_hour: np.ndarray, hours: tuple[int, int] | None) -> np.ndarray:
    """Mask of times whose local hour falls in ``[start, end)``, across midnight if needed.

    Parameters
    ----------
    local_hour : numpy.ndarray of int
        Local hour 0-23 of each time.
    hours : tuple of int or None
        From :func:`parse_hours`.

    Returns
    -------
    numpy.ndarray of bool
        True inside the window (all True without a window).

    Examples
    --------
    >>> hour_mask(np.array([21, 22, 23, 0, 4, 5]), (22, 5)).tolist()
    [False, True, True, True, True, False]
    """
    if hours is None:
        return np.ones(len(local_hour), dtype=bool)
    start, end = hours
    if start < end:
        return (local_hour >= start) & (local_hour < end)
    return (local_hour >= start) | (local_hour < end)


def weekday_mask(weekday: np.ndarray, weekdays: tuple[int, ...] | None) -> np.ndarray:
    """Mask of times on the given local weekdays.

    Parameters
    ----------
    weekday : numpy.ndarray of int
        Local weekday, 0 = Monday.
    weekdays : tuple of int or None
        From :func:`parse_weekdays`.

    Returns
    -------
    numpy.ndarray of bool
        True on the chosen days.
    """
    if weekdays is None:
        return np.ones(len(weekday), dtype=bool)
    return np.isin(weekday, weekdays)
