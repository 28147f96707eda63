"""Graffiti work lists (action 7): the 72-hour follow-up per month and quarter.

``compliance``
    Per calendar month and quarter of the report, overall and per object
    kind: reports, removals, the share removed within 72 hours and within
    the report's own deadline. The base of a share is every report whose
    outcome is known at ``at``: those removed, and those still open past
    their deadline (they can no longer be in time). Reports still open and
    not yet due are counted as ``open_pending`` and left out of the share.

:func:`compliance_table` reads the table of
:func:`geo.worklists.graffiti.report_table`; :func:`key_figures` gives its
shares for the last complete month and quarter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.indicators import graffiti as graffiti_ind
from geo.worklists import with_rank
from geo.worklists._common import check_at, check_hours, check_period, local_periods

ALL_KINDS: str = "all"
"""``object_kind`` of the compliance rows over every kind."""

COMPLIANCE_COLUMNS: tuple[str, ...] = (
    "rank", "period_kind", "period", "object_kind", "reports", "removed", "removed_within_72h",
    "removed_late", "open_overdue", "open_pending", "share_within_72h", "share_within_deadline",
)
"""Columns of the ``compliance`` list, in order."""

_NEEDED: tuple[str, ...] = (
    "reported_at", "object_kind", "status", "within_72h", "within_deadline", "hours_open", "hours_late",
)

__all__ = ["ALL_KINDS", "COMPLIANCE_COLUMNS", "compliance_table", "key_figures"]


def compliance_table(
    reports: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    deadline_hours: float | None = None,
) -> pd.DataFrame:
    """Return the deadline follow-up per month and quarter, overall and per object kind.

    Parameters
    ----------
    reports : pandas.DataFrame
        From :func:`geo.worklists.graffiti.report_table` (made at the list's
        reference time).
    start, end : pandas.Timestamp
        The period ``[start, end)``; a report belongs to the local month
        and quarter it was made in.
    deadline_hours : float, optional
        The general deadline the table was made with (72 by default, from
        settings): an open report waiting longer counts as overdue.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPLIANCE_COLUMNS`: first every month touched by
        the period, then every quarter, oldest first, each with one row for
        all kinds (``object_kind == "all"``) and one per object kind.
        ``share_within_72h`` is ``removed_within_72h / (removed +
        open_overdue)``, with ``open_overdue`` the reports still open past
        the general deadline; ``share_within_deadline`` is the same against
        each report's own deadline. Shares are NaN when nothing is decided.

    Raises
    ------
    ValueError
        If ``reports`` lacks a column, or ``end <= start``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from geo.worklists.graffiti import report_table
    >>> tz = "Europe/Stockholm"
    >>> layer = gpd.GeoDataFrame({
    ...     "id": ["a", "b", "c"], "object_kind": ["school", "other", "other"],
    ...     "reported_at": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-20"]).tz_localize(tz),
    ...     "removed_at": pd.to_datetime(["2026-03-03", "2026-03-10", None]).tz_localize(tz)},
    ...     geometry=[Point(0, 0)] * 3, crs="EPSG:3006")
    >>> table = report_table(layer, at=pd.Timestamp("2026-04-01", tz=tz))
    >>> out = compliance_table(table, start=pd.Timestamp("2026-03-01", tz=tz),
    ...                        end=pd.Timestamp("2026-04-01", tz=tz))
    >>> out.loc[out["object_kind"] == "all", ["period", "removed", "open_overdue"]].values.tolist()
    [['2026-03', 2, 1], ['2026-Q1', 2, 1]]
    >>> round(float(out["share_within_72h"].iloc[0]), 3)
    0.333
    """
    _check_reports(reports)
    first, last = check_period(start, end)
    general = check_hours(deadline_hours, "deadline_hours", default=settings.graffiti_deadline_hours)
    reported = reports["reported_at"]
    chosen = reports[((reported >= first) & (reported < last)).to_numpy(dtype=bool)]
    local = chosen["reported_at"].dt.tz_convert(settings.timezone).dt.tz_localize(None)
    rows = []
    for period_kind, freq in (("month", "M"), ("quarter", "Q")):
        labels = local.dt.to_period(freq)
        for period in local_periods(first, last, freq):
            in_period = (labels == period).to_numpy(dtype=bool)
            for kind in (ALL_KINDS, *graffiti_ind.OBJECT_KIND_CODES):
                mask = in_period if kind == ALL_KINDS else in_period & (
                    chosen["object_kind"] == kind).to_numpy(dtype=bool)
                rows.append({"period_kind": period_kind, "period": _period_label(period),
                             "object_kind": kind, **_outcomes(chosen[mask], general)})
    table = pd.DataFrame(rows, columns=[c for c in COMPLIANCE_COLUMNS if c != "rank"])
    return with_rank(table)[list(COMPLIANCE_COLUMNS)]


def key_figures(compliance: pd.DataFrame, *, at: pd.Timestamp) -> dict[str, dict[str, object]]:
    """Return the 72-hour share of the last complete month and quarter before ``at``.

    Parameters
    ----------
    compliance : pandas.DataFrame
        From :func:`compliance_table`.
    at : pandas.Timestamp
        The list's reference time.

    Returns
    -------
    dict
        ``{"month": {...}, "quarter": {...}}``, each with ``period`` (label),
        ``share`` (``share_within_72h`` over all kinds, NaN when nothing was
        decided or the period is not in the table) and ``decided``
        (removed + open overdue).

    Raises
    ------
    ValueError
        If ``at`` is naive.

    Examples
    --------
    >>> table = pd.DataFrame({"period_kind": ["month"], "period": ["2026-09"], "object_kind": ["all"],
    ...                       "removed": [9], "open_overdue": [1], "share_within_72h": [0.8]})
    >>> key_figures(table, at=pd.Timestamp("2026-10-01", tz="Europe/Stockholm"))["month"]
    {'period': '2026-09', 'share': 0.8, 'decided': 10}
    """
    local = check_at(at).tz_convert(settings.timezone).tz_localize(None)
    wanted = {"month": _period_label(local.to_period("M") - 1),
              "quarter": _period_label(local.to_period("Q") - 1)}
    out: dict[str, dict[str, object]] = {}
    for kind, label in wanted.items():
        row = compliance[(compliance["period_kind"] == kind) & (compliance["period"] == label)
                         & (compliance["object_kind"] == ALL_KINDS)]
        if row.empty:
            out[kind] = {"period": label, "share": np.nan, "decided": 0}
            continue
        first = row.iloc[0]
        out[kind] = {"period": label, "share": float(first["share_within_72h"]),
                     "decided": int(first["removed"] + first["open_overdue"])}
    return out


# --------------------------------------------------------------------------- helpers


def _outcomes(rows: pd.DataFrame, general: float) -> dict[str, object]:
    removed = (rows["status"] == "removed").to_numpy(dtype=bool)
    within = rows["within_72h"].fillna(False).to_numpy(dtype=bool)
    within_own = rows["within_deadline"].fillna(False).to_numpy(dtype=bool)
    waited = rows["hours_open"].to_numpy(dtype=float, na_value=np.nan)
    open_ = ~removed
    with np.errstate(invalid="ignore"):
        past_general = open_ & (waited > general)
    past_own = open_ & (rows["hours_late"].fillna(0) > 0).to_numpy(dtype=bool)
    decided = int(removed.sum() + past_general.sum())
    decided_own = int(removed.sum() + past_own.sum())
    return {
        "reports": len(rows),
        "removed": int(removed.sum()),
        "removed_within_72h": int(within.sum()),
        "removed_late": int((removed & ~within).sum()),
        "open_overdue": int(past_general.sum()),
        "open_pending": int((open_ & ~past_general).sum()),
        "share_within_72h": within.sum() / decided if decided else np.nan,
        "share_within_deadline": within_own.sum() / decided_own if decided_own else np.nan,
    }


def _period_label(period: pd.Period) -> str:
    if period.freqstr.startswith("Q"):
        return f"{period.year}-Q{period.quarter}"
    return f"{period.year}-{period.month:02d}"


def _check_reports(reports: pd.DataFrame) -> None:
    missing = [c for c in _NEEDED if c not in reports.columns]
    if missing:
        msg = f"reports lacks column(s) {', '.join(missing)}; pass a table from report_table()"
        raise ValueError(msg)
