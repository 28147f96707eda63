"""Graffiti: removal times, the 72-hour deadline and the backlog per unit (action 7).

The program asks that graffiti is removed within 72 hours. Hours here are
*real elapsed* hours: both times are converted to UTC before subtracting, so a
report spanning the spring-forward night is one hour shorter than the wall
clock says, and one spanning the autumn night one hour longer. The deadline
is inclusive: removed after exactly 72.0 hours is in time.

Offensive content (:data:`DEFAULT_OFFENSIVE_HOURS`) and chosen object kinds can
have their own deadlines, see :func:`deadline_hours_for`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.indicators._common import check_mask as _check_mask
from geo.analysis.indicators._common import check_n_units as _check_n_units
from geo.analysis.indicators._common import check_unit_index as _check_unit_index
from layers.graffiti import OBJECT_KINDS

OBJECT_KIND_CODES: tuple[str, ...] = tuple(c.code for c in OBJECT_KINDS)
"""Allowed object kinds, from the graffiti layer spec."""

DEFAULT_OFFENSIVE_HOURS: float = 24.0
"""Deadline in hours for offensive content (racist, sexist, threats)."""

_HOUR = np.timedelta64(1, "h")


# --------------------------------------------------------------------------- per report


def hours_to_removal(reported_at: pd.Series, removed_at: pd.Series) -> np.ndarray:
    """Return the real elapsed hours from report to removal.

    Parameters
    ----------
    reported_at : pandas.Series
        Tz-aware report times (any zone).
    removed_at : pandas.Series
        Tz-aware removal times, ``NaT`` while the graffiti is still there. A
        column that is entirely empty may have any dtype.

    Returns
    -------
    numpy.ndarray of float64, shape (n,)
        Hours, computed in UTC so daylight-saving changes count as the real
        time that passed; ``NaN`` while open.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold naive or non-datetime values,
        or a removal comes before its report.

    Examples
    --------
    >>> tz = "Europe/Stockholm"
    >>> reported = pd.Series(pd.to_datetime(["2026-03-28 20:00", "2026-06-01 08:00"]).tz_localize(tz))
    >>> removed = pd.Series(pd.to_datetime(["2026-03-31 20:30", None]).tz_localize(tz))
    >>> hours_to_removal(reported, removed)
    array([71.5,  nan])
    """
    reported = _utc(reported_at, "reported_at")
    removed = _utc(removed_at, "removed_at")
    if len(reported) != len(removed):
        msg = f"removed_at has {len(removed)} values; expected {len(reported)}, one per report"
        raise ValueError(msg)
    return _elapsed_hours(reported, removed, reported_at)


def within_deadline(
    hours: np.ndarray,
    deadline_hours: float | np.ndarray | None = None,
) -> pd.arrays.BooleanArray:
    """Return, per report, whether it was removed within its deadline.

    Parameters
    ----------
    hours : numpy.ndarray of float, shape (n,)
        From :func:`hours_to_removal`; ``NaN`` while open.
    deadline_hours : float or numpy.ndarray of float, optional
        One deadline for all, or one per report (from
        :func:`deadline_hours_for`). Defaults to
        ``settings.graffiti_deadline_hours`` (72), read at call time.

    Returns
    -------
    pandas.arrays.BooleanArray
        ``True`` when ``hours <= deadline`` (inclusive), ``False`` when
        later, ``<NA>`` while open.

    Raises
    ------
    ValueError
        If a deadline is not a positive finite number, or an array has the
        wrong length.

    Examples
    --------
    >>> within_deadline(np.array([71.5, 72.0, 73.0, np.nan])).tolist()
    [True, True, False, <NA>]
    """
    values = np.asarray(hours, dtype=float)
    if values.ndim != 1:
        msg = f"hours must be 1-D; received shape {values.shape}"
        raise ValueError(msg)
    deadline = _check_deadline(deadline_hours, len(values))
    open_ = np.isnan(values)
    with np.errstate(invalid="ignore"):
        late_or_not = values <= deadline
    return pd.arrays.BooleanArray(np.where(open_, False, late_or_not), open_)


def deadline_hours_for(
    frame: pd.DataFrame,
    *,
    default: float | None = None,
    per_kind: Mapping[str, float] | None = None,
    offensive_hours: float | None = DEFAULT_OFFENSIVE_HOURS,
) -> np.ndarray:
    """Return each report's removal deadline in hours.

    Parameters
    ----------
    frame : pandas.DataFrame
        Graffiti reports, with ``object_kind`` (needed when ``per_kind`` is
        given) and ``offensive`` (needed when ``offensive_hours`` is given;
        missing values count as not offensive).
    default : float, optional
        Deadline of an ordinary report; ``settings.graffiti_deadline_hours``
        (72) when omitted.
    per_kind : mapping of str to float, optional
        Deadlines by object kind, e.g. ``{"school": 24.0}``; keys from
        :data:`OBJECT_KIND_CODES`.
    offensive_hours : float or None, default 24.0
        Deadline of offensive content; the shorter of this and the kind's
        deadline applies. ``None`` gives offensive content no special
        deadline.

    Returns
    -------
    numpy.ndarray of float64, shape (len(frame),)
        Deadline per report, aligned with ``frame``.

    Raises
    ------
    ValueError
        If a deadline is not a positive finite number, a kind is unknown,
        or a needed column is missing.

    Examples
    --------
    >>> reports = pd.DataFrame({"object_kind": ["school", "other", "other"],
    ...                         "offensive": pd.array([False, True, None], dtype="boolean")})
    >>> deadline_hours_for(reports, per_kind={"school": 48.0})
    array([48., 24., 72.])
    """
    base = _check_deadline(settings.graffiti_deadline_hours if default is None else default, None,
                           name="default")
    out = np.full(len(frame), float(base))
    if per_kind:
        unknown = sorted(set(per_kind) - set(OBJECT_KIND_CODES))
        if unknown:
            msg = (f"per_kind has unknown object kind(s) {', '.join(map(repr, unknown))}; "
                   f"allowed: {', '.join(OBJECT_KIND_CODES)}")
            raise ValueError(msg)
        kinds = _column(frame, "object_kind", "per_kind")
        for kind, hours in per_kind.items():
            limit = _check_deadline(hours, None, name=f"per_kind[{kind!r}]")
            out[(kinds == kind).to_numpy(dtype=bool, na_value=False)] = limit
    if offensive_hours is not None:
        limit = _check_deadline(offensive_hours, None, name="offensive_hours")
        column = _column(frame, "offensive", "offensive_hours")
        try:
            offensive = column.astype("boolean")
        except (TypeError, ValueError) as exc:
            msg = f"frame.offensive must hold booleans (True, False or missing); {exc}"
            raise ValueError(msg) from exc
        flagged = offensive.fillna(False).to_numpy(dtype=bool)
        out[flagged] = np.minimum(out[flagged], limit)
    return out


# --------------------------------------------------------------------------- per unit


def graffiti_by_unit(
    unit_index: np.ndarray,
    reported_at: pd.Series,
    removed_at: pd.Series,
    n_units: int,
    *,
    period_start: pd.Timestamp,
    period_end: pd.Timestamp,
    at: pd.Timestamp,
    deadline_hours: float | np.ndarray | None = None,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """Aggregate graffiti reports per unit: reports, backlog and the deadline share.

    Parameters
    ----------
    unit_index : numpy.ndarray of int, shape (n,)
        Position of each report's unit in ``units``, ``-1`` outside.
    reported_at, removed_at : pandas.Series
        Tz-aware report and removal times (``NaT`` while open), aligned with
        ``unit_index``.
    n_units : int
        Number of units; the result has this many rows.
    period_start, period_end : pandas.Timestamp
        The period, tz-aware, half-open: ``period_start <= reported_at <
        period_end``.
    at : pandas.Timestamp
        The moment of the picture, tz-aware: the backlog is what is open
        then, and only removals known by then count.
    deadline_hours : float or numpy.ndarray of float, optional
        One deadline, or one per report (:func:`deadline_hours_for`);
        ``settings.graffiti_deadline_hours`` (72) when omitted.
    mask : numpy.ndarray of bool, shape (n,), optional
        The reports selected by the user's filters; all when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per unit, indexed ``0 .. n_units - 1``, with columns

        ``graffiti_reports``
            Reports made within the period.
        ``graffiti_open``
            Reports open at ``at`` (``reported_at <= at`` and not removed
            by ``at``), whenever they were made: the backlog.
        ``graffiti_overdue``
            Open reports whose deadline had passed at ``at``.
        ``graffiti_removed``
            The period's reports removed by ``at`` (the share's base).
        ``graffiti_within_72h_share``
            Share of those removed within their deadline (72 h unless
            ``deadline_hours`` says otherwise); ``NaN`` when none removed.

    Raises
    ------
    ValueError
        If the times are naive or a removal precedes its report, a time
        argument is naive or ``period_end <= period_start``, the arrays
        differ in length, or ``unit_index`` is out of ``[-1, n_units)``.

    Examples
    --------
    >>> tz = "Europe/Stockholm"
    >>> t = lambda *s: pd.Series(pd.to_datetime(list(s)).tz_localize(tz))
    >>> out = graffiti_by_unit(
    ...     np.array([0, 0, 1]),
    ...     t("2026-06-01 08:00", "2026-06-02 08:00", "2026-06-03 08:00"),
    ...     t("2026-06-02 08:00", "2026-06-06 08:00", None),
    ...     2,
    ...     period_start=pd.Timestamp("2026-06-01", tz=tz),
    ...     period_end=pd.Timestamp("2026-07-01", tz=tz),
    ...     at=pd.Timestamp("2026-07-01", tz=tz))
    >>> out[["graffiti_reports", "graffiti_open", "graffiti_within_72h_share"]].values.tolist()
    [[2.0, 0.0, 0.5], [1.0, 1.0, nan]]
    """
    n_units = _check_n_units(n_units)
    index = _check_unit_index(unit_index, n_units)
    start = _check_time(period_start, "period_start")
    end = _check_time(period_end, "period_end")
    moment = _check_time(at, "at")
    if end <= start:
        msg = f"period_end={period_end!r} must be after period_start={period_start!r}"
        raise ValueError(msg)
    reported = _utc(reported_at, "reported_at")
    removed = _utc(removed_at, "removed_at")
    for name, values in (("reported_at", reported), ("removed_at", removed)):
        if len(values) != len(index):
            msg = f"{name} has {len(values)} values; expected {len(index)}, one per unit_index entry"
            raise ValueError(msg)
    hours = _elapsed_hours(reported, removed, reported_at)
    deadline = _check_deadline(deadline_hours, len(index))
    keep = index >= 0
    selected = _check_mask(mask, len(index))
    if selected is not None:
        keep &= selected

    in_period = keep & (reported >= start) & (reported < end)
    gone = ~np.isnat(removed) & (removed <= moment)
    open_now = keep & (reported <= moment) & ~gone
    overdue = open_now & ((moment - reported) / _HOUR > deadline)
    removed_in_time = in_period & gone
    within = removed_in_time & (hours <= deadline)

    def count(flags: np.ndarray) -> np.ndarray:
        return np.bincount(index[flags], minlength=n_units).astype(np.int64)

    n_removed = count(removed_in_time)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_removed > 0, count(within) / n_removed, np.nan)
    return pd.DataFrame(
        {
            "graffiti_reports": count(in_period),
            "graffiti_open": count(open_now),
            "graffiti_overdue": count(overdue),
            "graffiti_removed": n_removed,
            "graffiti_within_72h_share": share,
        },
        index=pd.RangeIndex(n_units),
    )


# --------------------------------------------------------------------------- helpers


def _utc(values: pd.Series, name: str) -> np.ndarray:
    """Tz-aware times as naive UTC ``datetime64``; naive input is refused."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    if series.isna().all():
        return np.full(len(series), np.datetime64("NaT", "ns"))
    if pd.api.types.is_datetime64_dtype(series.dtype):
        msg = (f"{name} holds naive timestamps (dtype {series.dtype}); elapsed hours need a zone: "
               "localise them with geo.timeutil.localize_naive()")
        raise ValueError(msg)
    msg = f"{name} has dtype {series.dtype}; expected tz-aware datetimes (datetime64[ns, Europe/Stockholm])"
    raise ValueError(msg)


def _elapsed_hours(reported: np.ndarray, removed: np.ndarray, labels: pd.Series) -> np.ndarray:
    """Hours between UTC times; a removal before its report is refused."""
    hours = (removed - reported) / _HOUR
    negative = hours < 0
    if negative.any():
        msg = (f"removed_at is before reported_at in {int(negative.sum())} row(s), first "
               f"{_labels(labels, negative)}; a removal must come after its report")
        raise ValueError(msg)
    return hours


def _check_time(value: pd.Timestamp, name: str) -> np.datetime64:
    if not isinstance(value, pd.Timestamp) or value.tz is None:
        msg = (f"{name}={value!r} is not allowed; expected a tz-aware pandas.Timestamp, "
               "e.g. pd.Timestamp('2026-07-01', tz='Europe/Stockholm')")
        raise ValueError(msg)
    return value.tz_convert("UTC").tz_localize(None).to_datetime64()


def _check_deadline(value: float | np.ndarray | None, length: int | None, *,
                    name: str = "deadline_hours") -> float | np.ndarray:
    if value is None:
        value = settings.graffiti_deadline_hours
    allowed = "a positive number of hours" + (f", or an array of {length}, one per report" if length else "")
    try:
        array = None if isinstance(value, bool | str) else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    shape_ok = array is not None and (array.ndim == 0 or (length is not None and array.shape == (length,)))
    if not shape_ok or not (np.isfinite(array).all() and (array > 0).all()):
        shown = f"an array of shape {array.shape}" if array is not None and array.ndim else repr(value)
        msg = f"{name}={shown} is not allowed; expected {allowed}"
        raise ValueError(msg)
    return array if array.ndim else float(array)


def _column(frame: pd.DataFrame, column: str, needed_by: str) -> pd.Series:
    if column not in frame.columns:
        msg = (f"frame has no {column!r} column, needed by {needed_by}; "
               f"columns: {', '.join(map(str, frame.columns))}")
        raise ValueError(msg)
    return frame[column]


def _labels(values: pd.Series | object, flags: np.ndarray, limit: int = 3) -> str:
    labels = values.index[flags] if isinstance(values, pd.Series) else np.flatnonzero(flags)
    return ", ".join(map(repr, list(labels[:limit])))








__all__ = [
    "DEFAULT_OFFENSIVE_HOURS",
    "OBJECT_KIND_CODES",
    "deadline_hours_for",
    "graffiti_by_unit",
    "hours_to_removal",
    "within_deadline",
]
