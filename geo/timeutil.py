"""Time zone handling: every timestamp is tz-aware in Europe/Stockholm.

Naive local times are localised with DST made explicit: the hour that does
not exist in spring and the hour that occurs twice in autumn are reported,
never guessed.
"""

from __future__ import annotations

import pandas as pd

from geo import settings


def to_local(values: pd.Series) -> pd.Series:
    """Convert tz-aware timestamps to the local zone (Europe/Stockholm).

    Parameters
    ----------
    values : pandas.Series
        Datetimes, tz-aware (any zone) or strings with an offset.

    Returns
    -------
    pandas.Series
        ``datetime64[ns, Europe/Stockholm]``.

    Raises
    ------
    ValueError
        If the values are naive; localise them with :func:`localize_naive`.
    """
    series = pd.to_datetime(values, utc=True, format="ISO8601") if values.dtype == object \
        else values
    if getattr(series.dt, "tz", None) is None:
        msg = "naive timestamps have no zone; localise them with localize_naive()"
        raise ValueError(msg)
    return series.dt.tz_convert(settings.timezone).astype(f"datetime64[ns, {settings.timezone}]")


def localize_naive(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Localise naive wall-clock times to Europe/Stockholm, flagging DST gaps.

    Parameters
    ----------
    values : pandas.Series
        Naive datetimes read as local time.

    Returns
    -------
    localized : pandas.Series
        Tz-aware times; ``NaT`` where the time is not unambiguous.
    problem : pandas.Series of str
        Per row ``""``, ``"nonexistent"`` (spring-forward gap) or
        ``"ambiguous"`` (the repeated autumn hour).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2026-03-29 02:30", "2026-10-25 02:30"]))
    >>> localize_naive(s)[1].tolist()
    ['nonexistent', 'ambiguous']
    """
    tz = settings.timezone
    naive = pd.to_datetime(values)
    as_nat = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    shifted = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    # A time that shift_forward moved did not exist; one that stayed NaT is ambiguous.
    problem = pd.Series("", index=naive.index, dtype=object)
    missing = as_nat.isna() & naive.notna()
    problem[missing & shifted.notna()] = "nonexistent"
    problem[missing & shifted.isna()] = "ambiguous"
    return as_nat, problem


def times_to_utc(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every tz-aware column converted to UTC.

    GeoPackage asks for UTC timestamps; the GDAL driver writes another
    offset as text it later warns about, so writers call this first.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame.

    Returns
    -------
    pandas.DataFrame
        A copy; naive and non-time columns unchanged.
    """
    out = frame.copy(deep=False)  # columns are replaced, never changed in place
    for name, dtype in out.dtypes.items():
        if isinstance(dtype, pd.DatetimeTZDtype):
            out[name] = out[name].dt.tz_convert("UTC")
    return out


def local_time(at: pd.Timestamp | str | None = None) -> pd.Timestamp:
    """Return a moment in Europe/Stockholm: now, or ``at`` read as local time.

    Parameters
    ----------
    at : pandas.Timestamp, datetime or str, optional
        The moment; default now. A naive time is read as Europe/Stockholm,
        an aware one is converted.

    Returns
    -------
    pandas.Timestamp
        Tz-aware, Europe/Stockholm.

    Raises
    ------
    ValueError
        If ``at`` is not a time, or a naive time that does not exist or
        occurs twice in Europe/Stockholm (the DST change).

    Examples
    --------
    >>> str(local_time("2026-03-28 09:00")), str(local_time("2026-03-28 08:00Z"))
    ('2026-03-28 09:00:00+01:00', '2026-03-28 09:00:00+01:00')
    """
    if at is None:
        return pd.Timestamp.now(tz=settings.timezone)
    stamp = pd.Timestamp(at)
    if stamp.tzinfo is None:
        return stamp.tz_localize(settings.timezone)
    return stamp.tz_convert(settings.timezone)
