r"""Live figures of the spatial actions: one short, honest text per action, from the store.

:func:`live_figures` computes, for every action of
:data:`geo.actions.spatial.SPATIAL_ACTIONS`, the current figure the register
shows beside the status. The store is prepared once
(:func:`geo.analysis.prepared.prepare`) and reused for every action; pass a
:class:`geo.analysis.prepared.Prepared` to reuse one you already have.

The reference time ``at`` defaults to the latest incident time in the store
(not today), so the same store always gives the same figures. Every text
states its period or date: incident figures cover the half-open period
``[at - 12 months, at)`` (:func:`last_12_months`), the graffiti share the
last full calendar quarter before ``at``, and the status layers their state
at ``at`` (layers without a history, such as cameras and facilities, are
read as they are stored).

=====================  =================================================
action                 figure
=====================  =================================================
3                      hot spot cells (99/95 %), incidents, share in the
                       top 5 % of cells, last 12 months
5                      safety offices open and planned
6                      share of the hot spot cells whose centroid lies
                       in the sector of an active camera; active cameras
7                      share removed within 72 real hours in the last
                       full quarter; reports open at ``at``
9                      open lamp faults; approved unsafe places (reason
                       lighting) farther than 50 m from a working lamp
12, 14, 16, 28         status-aware counts of their layers
26, 27, 36-39          facilities a flood zone reaches, per scenario
=====================  =================================================

Privacy: for the ``public`` audience, figures built on incident counts come
from a public lägesbild (:func:`geo.privacy.compute_lagesbild` with
``audience="public"``): small counts are suppressed and a total that would
reveal them shows as "undertryckt". Layers the audience may not see
(internal ones such as facilities) give "visas endast för personal"
instead of a number.

Examples
--------
>>> at = pd.Timestamp("2026-10-01 12:00", tz="Europe/Stockholm")
>>> [s.isoformat() for s in last_12_months(at)]
['2025-10-01T12:00:00+02:00', '2026-10-01T12:00:00+02:00']
>>> format_share(0.4567, "sv")
'45,7\xa0%'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.actions.spatial import SPATIAL_ACTIONS
from geo.analysis.indicators import cameras as camera_ind
from geo.analysis.indicators import darkness
from geo.analysis.indicators import flood as flood_ind
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import Prepared, prepare
from geo.audiences import DEFAULT_AUDIENCE, check_audience
from geo.i18n import DEFAULT_LANGUAGE, check_language, format_date, format_number, t
from geo.privacy import may_see_layer
from layers import get_spec

if TYPE_CHECKING:
    from collections.abc import Callable

    from geo.store.base import Store

#: Hot spot classes counted as hot spots in the figures (99 and 95 % confidence).
HOT_CLASSES: tuple[str, ...] = ("hot_99", "hot_95")

#: An unsafe place farther than this from a working lamp is a dark place, metres.
DARK_DISTANCE_M: float = 50.0

#: Statuses of an approved unsafe place not yet resolved.
APPROVED_UNSAFE_STATUSES: tuple[str, ...] = ("approved", "in_progress")

#: Flood actions: the facility figures they show.
FLOOD_ACTIONS: tuple[int, ...] = (26, 27, 36, 37, 38, 39)

#: Ids named in a figure before it is cut with "…".
MAX_IDS: int = 5

#: The lägesbild geography of the figures.
FIGURE_UNIT: str = "grid250"


def format_share(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    r"""Format a share 0-1 as a percentage with one decimal.

    Parameters
    ----------
    share : float
        The share; NaN gives ``"–"``.
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    str
        E.g. ``"45,7 %"`` (no-break space) in Swedish, ``"45.7 %"`` in English.

    Examples
    --------
    >>> format_share(0.5, "en"), format_share(float("nan"), "en")
    ('50.0\xa0%', '–')
    """
    if share is None or pd.isna(share):
        return "–"
    return f"{format_number(100.0 * float(share), lang, decimals=1)}\u00a0%"


def last_12_months(at: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the period ``[at - 12 months, at)`` the incident figures cover.

    Parameters
    ----------
    at : pandas.Timestamp
        The reference time (naive values are Europe/Stockholm).

    Returns
    -------
    tuple of pandas.Timestamp
        Start and end, Europe/Stockholm.
    """
    end = _local(at)
    return end - pd.DateOffset(months=12), end


def default_time(prep: Prepared) -> pd.Timestamp:
    """Return the latest incident time in the store, or now if it has none.

    Parameters
    ----------
    prep : Prepared
        The prepared store.

    Returns
    -------
    pandas.Timestamp
        Europe/Stockholm.
    """
    incidents = prep.frame("incidents")
    if len(incidents) and incidents["occurred_at"].notna().any():
        return _local(incidents["occurred_at"].max())
    return pd.Timestamp.now(tz=settings.timezone)


def figure_lagesbild(prep: Prepared, at: pd.Timestamp, audience: str) -> gpd.GeoDataFrame:
    """Return the grid lägesbild of the 12 months before ``at`` the figures use.

    Parameters
    ----------
    prep : Prepared
        The prepared store.
    at : pandas.Timestamp
        The reference time.
    audience : {"public", "staff", "protected"}
        Who the figures are for (``public`` suppresses small counts).

    Returns
    -------
    geopandas.GeoDataFrame
        From :func:`geo.privacy.compute_lagesbild`.
    """
    from geo.privacy import compute_lagesbild

    start, end = last_12_months(at)
    params = LagesbildParams.from_text(unit=FIGURE_UNIT, date_from=start, date_to=end, audience=audience)
    return compute_lagesbild(prep, params)


def live_figures(
    store: Store | Prepared,
    *,
    at: pd.Timestamp | None = None,
    lang: str = DEFAULT_LANGUAGE,
    audience: str = DEFAULT_AUDIENCE,
) -> dict[int, str]:
    """Return the current figure of every spatial action, computed from the store.

    Parameters
    ----------
    store : Store or Prepared
        The store, or one already prepared (:func:`geo.analysis.prepared.prepare`).
    at : pandas.Timestamp, optional
        The reference time; default the latest incident time in the store.
        Naive values are Europe/Stockholm.
    lang : {"sv", "en"}, default "sv"
        Language of the texts and numbers.
    audience : {"public", "staff", "protected"}, default "public"
        Who the figures are for. ``public`` uses a public lägesbild (small
        counts suppressed) and withholds layers the public may not see.

    Returns
    -------
    dict of int to str
        Action number (every key of :data:`SPATIAL_ACTIONS`) → its figure,
        with its period or date. A layer missing from the store shows
        "ej inläst".

    Raises
    ------
    ValueError
        If the language or audience is unknown.
    DataStoreError
        If the store has no areas layer (the lägesbild needs the boundary).
    """
    lang = check_language(lang)
    audience = check_audience(audience)
    prep = store if isinstance(store, Prepared) else prepare(store)
    at = default_time(prep) if at is None else _local(at)
    context = _Context(prep, at, lang, audience)
    builders: dict[int, Callable[[_Context], str]] = {
        3: _fig_3, 5: _fig_5, 6: _fig_6, 7: _fig_7, 9: _fig_9, 12: _fig_12, 14: _fig_14, 16: _fig_16,
        28: _fig_28,
    }
    figures = {}
    for nr, spatial in sorted(SPATIAL_ACTIONS.items()):
        blocked = context.blocked(spatial.layers)
        if blocked is not None:
            figures[nr] = blocked
        elif nr in FLOOD_ACTIONS:
            figures[nr] = _fig_flood(context, nr)
        elif nr in builders:
            figures[nr] = builders[nr](context)
        else:  # an action added to SPATIAL_ACTIONS without a figure yet
            figures[nr] = ""
    return figures


# --- context -------------------------------------------------------------------------


class _Context:
    """What every figure shares: the prepared store, the time and a lazy lägesbild."""

    def __init__(self, prep: Prepared, at: pd.Timestamp, lang: str, audience: str) -> None:
        self.prep = prep
        self.at = at
        self.lang = lang
        self.audience = audience
        self._lagesbild: gpd.GeoDataFrame | None = None
        self._exposed: dict[str, pd.DataFrame] | None = None

    def n(self, value: float | None) -> str:
        if value is None or pd.isna(value):
            return t("law_report.suppressed", self.lang)
        return format_number(value, self.lang)

    @property
    def date(self) -> str:
        return format_date(self.at, self.lang)

    @property
    def as_of(self) -> str:
        return t("law_report.as_of", self.lang, date=self.date)

    @property
    def twelve_months(self) -> str:
        return t("law_report.last_12_months", self.lang, date=self.date)

    def blocked(self, layers: tuple[str, ...]) -> str | None:
        """Return the text replacing the figure when a layer is missing or not for the audience."""
        for layer in layers:
            if layer not in self.prep.frames:
                return f"{get_spec(layer).label(self.lang)}: {t('law_report.not_loaded', self.lang)}"
            if layer != "incidents" and not may_see_layer(get_spec(layer), self.audience):
                return t("law_report.not_for_audience", self.lang)
        return None

    @property
    def lagesbild(self) -> gpd.GeoDataFrame:
        if self._lagesbild is None:
            self._lagesbild = figure_lagesbild(self.prep, self.at, self.audience)
        return self._lagesbild

    def exposed(self) -> dict[str, pd.DataFrame]:
        """Facilities touching a zone, per scenario present in the flood layer."""
        if self._exposed is None:
            flood = self.prep.frame("flood_risk")
            facilities = self.prep.frame("facilities")
            present = [s for s in flood_ind.SCENARIO_CODES if (flood["scenario"] == s).any()]
            self._exposed = {s: flood_ind.facilities_exposed(facilities, flood, scenario=s, distance_m=0.0)
                             for s in present}
        return self._exposed


# --- figures -------------------------------------------------------------------------


def _fig_3(ctx: _Context) -> str:
    frame = ctx.lagesbild
    hot = int(frame["gi_class"].isin(HOT_CLASSES).sum())
    top5 = (frame.attrs.get("concentration") or {}).get("top_5pct", np.nan)
    return t("law_report.fig_3", ctx.lang, hot=ctx.n(hot),
             incidents=ctx.n(frame.attrs.get("incidents_total")), top5=format_share(top5, ctx.lang),
             period=ctx.twelve_months)


def hotspot_camera_coverage(lagesbild: gpd.GeoDataFrame, cameras: gpd.GeoDataFrame) -> tuple[int, int]:
    """Count the hot spot units, and those whose centroid an active camera sees.

    Parameters
    ----------
    lagesbild : geopandas.GeoDataFrame
        Units with ``gi_class`` (a lägesbild).
    cameras : geopandas.GeoDataFrame
        The cameras layer, same CRS; only active cameras count.

    Returns
    -------
    tuple of int
        ``(covered, hot)``: hot spot units (:data:`HOT_CLASSES`) with their
        centroid in an active camera's view sector, and all hot spot units.
    """
    hot = lagesbild[lagesbild["gi_class"].isin(HOT_CLASSES).to_numpy(dtype=bool)]
    if hot.empty or cameras.empty:
        return 0, len(hot)
    sectors = camera_ind.view_sectors(cameras)
    if sectors.empty:
        return 0, len(hot)
    centres = shapely.get_coordinates(shapely.centroid(np.asarray(hot.geometry.array, dtype=object)))
    inside = camera_ind.points_in_sectors(centres, sectors)
    return int(np.asarray(inside, dtype=bool).sum()), len(hot)


def _fig_6(ctx: _Context) -> str:
    cameras = ctx.prep.frame("cameras")
    covered, hot = hotspot_camera_coverage(ctx.lagesbild, cameras)
    active = int((cameras["status"] == "active").sum())
    share = covered / hot if hot else np.nan
    return t("law_report.fig_6", ctx.lang, covered=ctx.n(covered), hot=ctx.n(hot),
             share=format_share(share, ctx.lang), cameras=ctx.n(active), period=ctx.twelve_months)


def last_full_quarter(at: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Return the last full calendar quarter before ``at``: start, end and label.

    Parameters
    ----------
    at : pandas.Timestamp
        The reference time.

    Returns
    -------
    tuple
        ``(start, end, "2026-Q3")`` with start and end in Europe/Stockholm.

    Examples
    --------
    >>> start, end, label = last_full_quarter(pd.Timestamp("2026-10-01 08:00", tz="Europe/Stockholm"))
    >>> start.date().isoformat(), end.date().isoformat(), label
    ('2026-07-01', '2026-10-01', '2026-Q3')
    """
    period = _local(at).tz_localize(None).to_period("Q") - 1
    start = period.start_time.tz_localize(settings.timezone)
    end = (period + 1).start_time.tz_localize(settings.timezone)
    return start, end, f"{period.year}-Q{period.quarter}"


def _fig_7(ctx: _Context) -> str:
    from geo.worklists.graffiti import report_table
    from geo.worklists.graffiti_compliance import compliance_table, key_figures

    table = report_table(ctx.prep.frame("graffiti"), at=ctx.at)
    start, end, label = last_full_quarter(ctx.at)
    compliance = compliance_table(table, start=start, end=end)
    quarter = key_figures(compliance, at=ctx.at)["quarter"]
    open_now = int((table["status"] == "open").sum())
    return t("law_report.fig_7", ctx.lang, share=format_share(quarter["share"], ctx.lang),
             quarter=label, decided=ctx.n(quarter["decided"]), open=ctx.n(open_now), now=ctx.as_of)


def _fig_9(ctx: _Context) -> str:
    lamps = ctx.prep.frame("lighting")
    faults = int(darkness.open_fault_mask(lamps, at=ctx.at).sum()) if len(lamps) else 0
    unsafe = ctx.prep.frame("unsafe_places")
    dark = 0
    if len(unsafe):
        reported = unsafe["reported_at"]
        chosen = ((unsafe["reason"] == "lighting") & unsafe["status"].isin(APPROVED_UNSAFE_STATUSES)
                  & (reported.isna() | (reported <= ctx.at))).to_numpy(dtype=bool, na_value=False)
        dark = int((chosen & (ctx.prep.unsafe_distance > DARK_DISTANCE_M)).sum())
    return t("law_report.fig_9", ctx.lang, faults=ctx.n(faults), dark=ctx.n(dark),
             metres=format_number(DARK_DISTANCE_M, ctx.lang), period=ctx.as_of)


def _fig_5(ctx: _Context) -> str:
    offices = ctx.prep.frame("safety_offices")
    opened = offices["opened_at"]
    started = (opened.isna() | (opened <= ctx.at)).to_numpy(dtype=bool)
    status = offices["status"].to_numpy()
    return t("law_report.fig_5", ctx.lang, open=ctx.n(int(((status == "open") & started).sum())),
             planned=ctx.n(int((status == "planned").sum())), period=ctx.as_of)


def _fig_12(ctx: _Context) -> str:
    frame = ctx.prep.frame("unauthorised_settlements")
    seen = frame[(frame["observed_at"].isna() | (frame["observed_at"] <= ctx.at)).to_numpy(dtype=bool)]
    still = int((seen["status"] != "removed").sum())
    return t("law_report.fig_12", ctx.lang, open=ctx.n(still), total=ctx.n(len(seen)), period=ctx.as_of)


def _fig_14(ctx: _Context) -> str:
    frame = ctx.prep.frame("neighbourhood_watch")
    active = frame[(frame["started_at"].isna() | (frame["started_at"] <= ctx.at)).to_numpy(dtype=bool)]
    households = pd.to_numeric(active["households"], errors="coerce")
    return t("law_report.fig_14", ctx.lang, groups=ctx.n(len(active)),
             households=ctx.n(int(households.sum())) if households.notna().any() else "–",
             period=ctx.as_of)


def _fig_16(ctx: _Context) -> str:
    frame = ctx.prep.frame("guard_areas")
    decided = frame["decided_at"].isna() | (frame["decided_at"] <= ctx.at)
    valid = frame["valid_until"].isna() | (frame["valid_until"] > ctx.at)
    return t("law_report.fig_16", ctx.lang, areas=ctx.n(int((decided & valid).sum())), period=ctx.as_of)


def _fig_28(ctx: _Context) -> str:
    status = ctx.prep.frame("vehicle_barriers")["status"]
    return t("law_report.fig_28", ctx.lang, existing=ctx.n(int((status == "existing").sum())),
             planned=ctx.n(int((status == "planned").sum())), period=ctx.as_of)


def _ids(frame: pd.DataFrame) -> str:
    ids = frame["id"].astype(str).tolist()
    shown = ", ".join(ids[:MAX_IDS]) + (", …" if len(ids) > MAX_IDS else "")
    return f"({shown})" if ids else ""


def _fig_flood(ctx: _Context, nr: int) -> str:
    exposed = ctx.exposed()
    if not exposed:
        return t("law_report.fig_no_flood", ctx.lang, period=ctx.as_of)
    parts = []
    for scenario, rows in exposed.items():
        critical = rows[rows["critical"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
        unpowered = critical[~critical["reserve_power"].fillna(False).to_numpy(dtype=bool)]
        n_unpowered = f"{ctx.n(len(unpowered))} {_ids(unpowered)}".strip()
        values = {
            26: {"exposed": ctx.n(len(rows)), "critical": ctx.n(len(critical))},
            27: {"critical": ctx.n(len(critical))},
            36: {"water": ctx.n(int((rows["kind"] == "water_works").sum()))},
            37: {"critical": ctx.n(len(critical)), "unpowered": n_unpowered},
            38: {"unpowered": n_unpowered},
            39: {"care": ctx.n(int((rows["kind"] == "care_home").sum()))},
        }[nr]
        parts.append(t("law_report.fig_flood_scenario", ctx.lang, scenario=scenario,
                       value=t(f"law_report.fig_{nr}", ctx.lang, **values)))
    return t("law_report.fig_flood_tail", ctx.lang, period=ctx.as_of, parts="; ".join(parts))


# --- helpers -------------------------------------------------------------------------


def _local(stamp: pd.Timestamp | str) -> pd.Timestamp:
    value = pd.Timestamp(stamp)
    if value.tzinfo is None:
        return value.tz_localize(settings.timezone)
    return value.tz_convert(settings.timezone)
