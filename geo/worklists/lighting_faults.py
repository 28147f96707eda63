"""Lighting work lists (action 9), the lamps: faults open now and the time repairs take.

``faults``
    Lamps with a fault open at ``at`` (and broken lamps without a fault
    date), oldest first.
``repairs``
    Per calendar month of the period: faults fixed, and the median and
    longest days from report to repair.

:func:`geo.worklists.lighting.lighting_worklists` builds them with the
``places`` list.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.indicators import darkness
from geo.i18n import format_date, format_number, t
from geo.worklists import whole_metres, with_rank
from geo.worklists._common import check_at, check_period, local_periods, place_xy, text_column, tz_aware

FAULT_COLUMNS: tuple[str, ...] = (
    "rank", "id", "lamp_id", "status", "fault_reported_at", "age_days", "why", "x", "y",
)
"""Columns of the ``faults`` list, in order."""

REPAIR_COLUMNS: tuple[str, ...] = ("rank", "month", "repairs", "median_days", "max_days")
"""Columns of the ``repairs`` list, in order."""

_DAY = pd.Timedelta(days=1)

__all__ = ["FAULT_COLUMNS", "REPAIR_COLUMNS", "open_fault_list", "repair_times"]


def open_fault_list(lamps: gpd.GeoDataFrame, *, at: pd.Timestamp, lang: str = "sv") -> pd.DataFrame:
    """List the lamps out at ``at``, oldest fault first.

    Parameters
    ----------
    lamps : geopandas.GeoDataFrame
        The lighting layer (``id``, ``lamp_id``, ``status``,
        ``fault_reported_at``, ``fault_fixed_at``).
    at : pandas.Timestamp
        Reference time, tz-aware.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FAULT_COLUMNS`: lamps with a fault open at ``at``
        ordered by age (days since reported, real elapsed time), then broken
        lamps without a fault date (age empty), by ``id``.

    Raises
    ------
    ValueError
        If ``at`` is naive or a column is missing or naive.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> lamps = gpd.GeoDataFrame({
    ...     "id": ["l1", "l2"], "lamp_id": ["JF-1", "JF-2"], "status": ["broken", "broken"],
    ...     "fault_reported_at": pd.to_datetime(["2026-09-21", "2026-08-02"]).tz_localize(tz),
    ...     "fault_fixed_at": pd.to_datetime([None, None]).tz_localize(tz)},
    ...     geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:3006")
    >>> open_fault_list(lamps, at=pd.Timestamp("2026-10-01", tz=tz))[["rank", "id", "age_days"]]
       rank  id  age_days
    0     1  l2      60.0
    1     2  l1      10.0
    """
    moment = check_at(at)
    _, out = darkness.lamp_states(lamps, at=moment)
    chosen = lamps[out]
    reported = chosen["fault_reported_at"]
    age = (moment - reported) / _DAY
    xy = place_xy(chosen)
    table = pd.DataFrame({
        "id": chosen["id"].astype(str).to_numpy(),
        "lamp_id": text_column(chosen, "lamp_id"),
        "status": chosen["status"].astype(str).to_numpy(),
        "fault_reported_at": reported.to_numpy(),
        "age_days": np.round(age.to_numpy(dtype=float, na_value=np.nan), 1),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })
    table["fault_reported_at"] = pd.Series(reported.to_numpy(), dtype=reported.dtype)
    table["why"] = [
        t("worklists.why_fault", lang, date=format_date(when, lang), days=format_number(days, lang))
        if pd.notna(when) else t("worklists.why_fault_undated", lang)
        for when, days in zip(table["fault_reported_at"], table["age_days"], strict=True)
    ]
    table = table.sort_values(["age_days", "id"], ascending=[False, True], na_position="last", kind="stable")
    return with_rank(table)[list(FAULT_COLUMNS)]


def repair_times(
    lamps: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Return, per calendar month, the faults fixed and the days they took.

    Parameters
    ----------
    lamps : pandas.DataFrame
        The lighting layer with tz-aware ``fault_reported_at`` and
        ``fault_fixed_at``.
    start, end : pandas.Timestamp
        The period ``[start, end)``; a repair belongs to the local month it
        was fixed in.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REPAIR_COLUMNS`, one row per month touched by the
        period (oldest first, months without repairs included):
        ``month`` (``"2026-03"``), ``repairs``, ``median_days`` and
        ``max_days`` (real elapsed days, empty without repairs).

    Raises
    ------
    ValueError
        If a time is naive, a column is missing, or ``end <= start``.

    Examples
    --------
    >>> tz = "Europe/Stockholm"
    >>> lamps = pd.DataFrame({
    ...     "fault_reported_at": pd.to_datetime(["2026-03-01", "2026-03-10", "2026-04-01"]).tz_localize(tz),
    ...     "fault_fixed_at": pd.to_datetime(["2026-03-03", "2026-03-14", "2026-04-02"]).tz_localize(tz)})
    >>> repair_times(lamps, start=pd.Timestamp("2026-03-01", tz=tz), end=pd.Timestamp("2026-05-01", tz=tz))
       rank    month  repairs  median_days  max_days
    0     1  2026-03        2          3.0       4.0
    1     2  2026-04        1          1.0       1.0
    """
    first, last = check_period(start, end)
    for column in ("fault_reported_at", "fault_fixed_at"):
        if column not in lamps.columns:
            msg = f"lamps lacks column {column!r}, needed for repair times"
            raise ValueError(msg)
    reported = tz_aware(lamps["fault_reported_at"], "fault_reported_at")
    fixed = tz_aware(lamps["fault_fixed_at"], "fault_fixed_at")
    done = (fixed >= first) & (fixed < last) & reported.notna()
    days = ((fixed[done] - reported[done]) / _DAY).astype(float)
    months = fixed[done].dt.tz_convert(settings.timezone).dt.strftime("%Y-%m")
    labels = [str(p) for p in local_periods(first, last, "M")]
    grouped = days.groupby(months.to_numpy())
    table = pd.DataFrame({
        "month": labels,
        "repairs": grouped.size().reindex(labels, fill_value=0).to_numpy(dtype="int64"),
        "median_days": np.round(grouped.median().reindex(labels).to_numpy(dtype=float), 2),
        "max_days": np.round(grouped.max().reindex(labels).to_numpy(dtype=float), 2),
    })
    return with_rank(table)[list(REPAIR_COLUMNS)]
