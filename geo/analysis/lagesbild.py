"""The lägesbild (action 3): indicators per unit for a period, window and categories.

:func:`lagesbild_figures` computes the true figures from a
:class:`geo.analysis.prepared.Prepared`; :func:`geo.privacy.compute_lagesbild`
publishes them for an audience, and every output takes its lägesbild from
there (the app keeps the ``Prepared`` and calls it on every filter change).
Every output has one row per unit, ``unit_id`` and the incident count in
``incidents``; the columns are documented in :data:`INDICATORS` with their
unit and the action they follow up.

Incidents: with in-memory incidents the figures come from the prepared
arrays; when :func:`geo.analysis.prepared.prepare` left them in PostGIS
(``incidents_in_db``, the default for a PostGIS store), every
incident-derived figure is aggregated per unit in SQL
(:mod:`geo.analysis.sql.lagesbild`) and no incident is read into Python. Both
give the same result (see :func:`incident_aggregates`).

Privacy: protected categories are counted only for the ``protected``
audience, and never leave as points. What the ``public`` may see of the
figures (small counts, totals, z-scores) is decided in :mod:`geo.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.analysis.emerging import emerging_hotspots
from geo.analysis.filters import hour_mask, weekday_mask
from geo.analysis.hotspots import gi_star
from geo.analysis.indicators import counts as count_ind
from geo.analysis.indicators import darkness
from geo.analysis.indicators import graffiti as graffiti_ind
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import IncidentSummary, Prepared, UnitAggregates, UnitsContext
from geo.i18n import TEXTS, t


@dataclass(frozen=True)
class Indicator:
    """Documentation of one output column; its label is :func:`indicator_label` (``indicator.<column>``)."""

    column: str
    unit: str
    actions: tuple[int, ...]
    source: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("incidents", "antal", (3,), "incidents"),
    Indicator("incidents_prev", "antal", (3,), "incidents"),
    Indicator("change_abs", "antal", (3,), "incidents"),
    Indicator("change_pct", "%", (3,), "incidents"),
    Indicator("incidents_rate", "per 1 000 inv.", (3,), "incidents, areas"),
    Indicator("gi_z", "z", (3,), "incidents"),
    Indicator("gi_p", "p", (3,), "incidents"),
    Indicator("gi_class", "klass", (3,), "incidents"),
    Indicator("dark_median_m", "m", (9,), "lighting, incidents, unsafe_places"),
    Indicator("dark_share_far", "andel", (9,), "lighting, incidents, unsafe_places"),
    Indicator("lamps_broken", "antal", (9,), "lighting"),
    Indicator("lamp_faults_open", "antal", (9,), "lighting"),
    Indicator("camera_share", "andel", (6,), "cameras"),
    Indicator("incidents_in_camera_share", "andel", (6,), "cameras, incidents"),
    Indicator("graffiti_reports", "antal", (7,), "graffiti"),
    Indicator("graffiti_open", "antal", (7,), "graffiti"),
    Indicator("graffiti_within_72h_share", "andel", (7,), "graffiti"),
    Indicator("flood_share_max", "andel", (37,), "flood_risk"),
    Indicator("unsafe_places", "antal", (2, 3, 9), "unsafe_places"),
    Indicator("composite_index", "0-100", (3,), "all"),
)


def indicator_label(column: str, lang: str = "sv") -> str:
    """Return the display name of a lägesbild column (the column name if undocumented).

    Parameters
    ----------
    column : str
        A lägesbild column.
    lang : {"sv", "en"}, default "sv"
        The language.

    Returns
    -------
    str
        The label, ``indicator.<column>`` in :data:`geo.i18n.TEXTS`.

    Examples
    --------
    >>> indicator_label("gi_z", "sv"), indicator_label("gi_z", "en"), indicator_label("population", "en")
    ('Gi* z-värde', 'Gi* z-score', 'population')
    """
    key = f"indicator.{column}"
    return t(key, lang) if key in TEXTS else column


UNSAFE_COUNTED_STATUSES: tuple[str, ...] = ("approved", "in_progress", "resolved")
DARK_THRESHOLD_M = 50.0
#: Report hot and cold spots at 99, 95 and 90 % confidence.
HOTSPOT_ALPHA = 0.10


@dataclass(frozen=True)
class LagesbildFigures:
    """A lägesbild's figures before disclosure control: never hand them to an audience.

    :func:`geo.privacy.publish_lagesbild` makes them into the published
    lägesbild for the audience of their parameters; :func:`geo.privacy.compute_lagesbild`
    does both steps.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        One row per unit with every indicator but the composite index, true counts.
    counts : numpy.ndarray
        The true incident count per unit (``frame["incidents"]``).
    kommun_level : int
        Incidents located only to the kommun or county, counted in no unit.
    attrs : dict
        ``params`` and ``provenance`` (set on the published frame last: pandas
        deep-copies ``attrs`` on every operation on a frame).
    """

    frame: gpd.GeoDataFrame
    counts: np.ndarray
    kommun_level: int
    attrs: dict


def lagesbild_figures(prep: Prepared, params: LagesbildParams) -> LagesbildFigures:
    """Compute a lägesbild's figures from prepared layers, before disclosure control.

    Only :mod:`geo.privacy` calls this: every output takes its lägesbild from
    :func:`geo.privacy.compute_lagesbild`, which publishes these figures for
    the audience of ``params``.

    Parameters
    ----------
    prep : Prepared
        From :func:`geo.analysis.prepared.prepare`.
    params : LagesbildParams
        Geography, period, window, weekdays, categories, weights, audience
        (the audience decides which categories are counted).

    Returns
    -------
    LagesbildFigures
        The true figures per unit.
    """
    ctx = prep.units_context(params.unit, area_kind=params.area_kind)
    units = ctx.units
    agg = incident_aggregates(prep, ctx, params)
    current, previous = agg.current, agg.previous
    change_abs, change_pct = count_ind.change(current, previous)

    out = gpd.GeoDataFrame(
        {"unit_id": units["unit_id"].to_numpy(), "name": units["name"].to_numpy()},
        geometry=units.geometry.to_numpy(), crs=units.crs)
    out["population"] = units["population"].to_numpy()
    out["incidents"] = current
    out["incidents_prev"] = previous
    out["change_abs"] = change_abs
    out["change_pct"] = change_pct
    out["incidents_rate"] = count_ind.rate_per_1000(current, units["population"].to_numpy())
    hot = gi_star(current.astype(float), ctx.weights, fdr=params.fdr, alpha=HOTSPOT_ALPHA)
    out["gi_z"] = hot["gi_z"].to_numpy()
    out["gi_p"] = hot["gi_p"].to_numpy()
    out["gi_class"] = hot["gi_class"].to_numpy()
    out["dark_median_m"] = agg.dark_median_m
    out["dark_share_far"] = agg.dark_share_far
    _add_lamps(out, prep, ctx, params)
    _add_cameras(out, ctx, agg.in_camera, current)
    _add_graffiti(out, prep, ctx, params)
    for column in ctx.static.columns:
        if column not in ("camera_share", "camera_gap"):
            out[column] = ctx.static[column].to_numpy()
    out["camera_gap"] = ctx.static["camera_gap"].to_numpy()
    out["unsafe_places"] = _unsafe_counts(prep, ctx, params)
    attrs = {"params": params.as_dict(), "provenance": provenance(prep, params, incidents=agg.summary)}
    return LagesbildFigures(out, current, int(agg.kommun_level), attrs)


def emerging_hotspot_classes(prep: Prepared, params: LagesbildParams) -> pd.Series:
    """Class every unit by how its hot spot status evolved, quarter by quarter.

    Gi* is computed for each calendar quarter that lies wholly inside the
    period, then :func:`geo.analysis.emerging.emerging_hotspots` applies a
    Mann-Kendall trend test and classes units as new, intensifying,
    persistent, diminishing, sporadic or historical hot spots.

    Parameters
    ----------
    prep : Prepared
        The loaded layers.
    params : LagesbildParams
        The period should span several years (at least two quarters).

    Returns
    -------
    pandas.Series
        ``emerging_class`` per unit, indexed by ``unit_id``.

    Raises
    ------
    ValueError
        If the period holds fewer than two whole quarters.
    """
    ctx = prep.units_context(params.unit, area_kind=params.area_kind)
    first = _quarter_key(params.start, ceil=True)
    last = _quarter_key(params.end, ceil=False) - 1
    if last - first + 1 < 2:
        msg = (f"emerging hot spots need at least two whole quarters between {params.start.date()} "
               f"and {params.end.date()}")
        raise ValueError(msg)
    n, q = len(ctx.units), last - first + 1
    if prep.incidents_in_db:
        from geo.analysis.sql.lagesbild import quarter_counts

        counts = quarter_counts(prep.store, params, ctx.units, unit=params.unit, first=first, last=last)
    else:
        inc = prep.incidents
        selected = _incident_selection(prep, params) & (inc.quarter >= first) & (inc.quarter <= last)
        pos = ctx.incident_pos[selected]
        quarter = inc.quarter[selected] - first
        keep = pos >= 0
        counts = np.bincount(pos[keep] * q + quarter[keep], minlength=n * q).reshape(n, q)
    labels = [f"{(first + i) // 4}-Q{(first + i) % 4 + 1}" for i in range(q)]
    table = pd.DataFrame(counts, columns=labels)
    classes = emerging_hotspots(table, ctx.weights, alpha=HOTSPOT_ALPHA)
    return pd.Series(classes.to_numpy(), index=ctx.units["unit_id"].to_numpy(), name="emerging_class")


def _quarter_key(stamp: pd.Timestamp, *, ceil: bool) -> int:
    """Quarter number (year * 4 + q - 1) starting at ``stamp``, rounded to whole quarters."""
    key = stamp.year * 4 + (stamp.month - 1) // 3
    start_of_quarter = pd.Timestamp(year=stamp.year, month=(key % 4) * 3 + 1, day=1, tz=stamp.tz)
    if ceil and stamp > start_of_quarter:
        key += 1
    return key


def _incident_selection(prep: Prepared, params: LagesbildParams) -> np.ndarray:
    """Select incidents by category, hours, weekdays and protection (not by period)."""
    inc = prep.incidents
    mask = hour_mask(inc.local_hour, params.hours) & weekday_mask(inc.weekday, params.weekdays)
    if params.categories is not None:
        codes = [inc.categories.index(c) for c in params.categories]
        mask &= np.isin(inc.category, codes)
    if params.audience != "protected":
        mask &= ~inc.protected
    return mask


def incident_aggregates(prep: Prepared, ctx: UnitsContext, params: LagesbildParams) -> UnitAggregates:
    """Compute the incident-derived figures of a lägesbild per unit, in memory or in the database.

    Parameters
    ----------
    prep : Prepared
        From :func:`geo.analysis.prepared.prepare`; ``prep.incidents_in_db`` chooses
        SQL (:func:`geo.analysis.sql.lagesbild.unit_aggregates`) or the
        prepared arrays.
    ctx : UnitsContext
        The geography of ``params``.
    params : LagesbildParams
        Period, previous period, hours, weekdays, categories, audience.

    Returns
    -------
    UnitAggregates
        Counts in the period and the previous one, incidents inside camera
        sectors, darkness (incidents of the period and counted unsafe
        places), kommun-level incidents and the layer summary; the same
        numbers on both paths.
    """
    unsafe = _unsafe_mask(prep, params)
    if prep.incidents_in_db:
        from geo.analysis.sql.lagesbild import unit_aggregates

        keep = unsafe & (ctx.unsafe_pos >= 0) & ~np.isnan(prep.unsafe_distance)
        return unit_aggregates(
            prep.store, params, ctx.units, unit=params.unit, camera_cover=prep.camera_cover,
            extra_dark_pos=ctx.unsafe_pos[keep], extra_dark_distance=prep.unsafe_distance[keep],
            dark_threshold_m=DARK_THRESHOLD_M)
    inc = prep.incidents
    n = len(ctx.units)
    selection = _incident_selection(prep, params)
    prev_start, prev_end = params.previous
    chosen = selection & (inc.time_ns >= params.start.value) & (inc.time_ns < params.end.value)
    in_prev = selection & (inc.time_ns >= prev_start.value) & (inc.time_ns < prev_end.value)
    dark = darkness.darkness_by_unit(ctx.dark_positions, ctx.dark_distances, n,
                                     mask=np.concatenate([chosen, unsafe]),
                                     dark_threshold_m=DARK_THRESHOLD_M, order=ctx.dark_order)
    return UnitAggregates(
        current=count_ind.count_by_unit(ctx.incident_pos, n, mask=chosen),
        previous=count_ind.count_by_unit(ctx.incident_pos, n, mask=in_prev),
        in_camera=count_ind.count_by_unit(ctx.incident_pos, n, mask=chosen & inc.in_camera),
        dark_median_m=dark["dark_median_m"].to_numpy(),
        dark_share_far=dark["dark_share_far"].to_numpy(),
        kommun_level=int((chosen & ~inc.located).sum()),
        summary=incident_summary(prep),
    )


def incident_summary(prep: Prepared) -> IncidentSummary:
    """Summarise the incidents layer (rows, time span, located rows) for the provenance.

    Parameters
    ----------
    prep : Prepared
        The loaded layers (with incidents in the database, asked in SQL).

    Returns
    -------
    IncidentSummary
        The summary; zero rows when the store has no incidents.
    """
    if prep.incidents_in_db:
        from geo.analysis.sql.lagesbild import incident_summary as summary_in_db

        return summary_in_db(prep.store)
    if "incidents" not in prep.frames:
        return IncidentSummary(0, None, None, 0)
    times = prep.frames["incidents"]["occurred_at"].dropna()
    first, last = (times.min(), times.max()) if len(times) else (None, None)
    return IncidentSummary(len(prep.incidents.located), first, last, int(prep.incidents.located.sum()))


def _add_lamps(out: gpd.GeoDataFrame, prep: Prepared, ctx: UnitsContext, params: LagesbildParams) -> None:
    lamps = prep.frame("lighting")
    if len(lamps):
        faults = darkness.open_faults(lamps, at=params.end).index
        fault_mask = lamps.index.isin(faults)
        per_unit = darkness.lamps_by_unit(ctx.lamp_pos, lamps["status"].to_numpy(), len(out), fault_mask)
        out["lamps_broken"] = per_unit["lamps_broken"].to_numpy()
        out["lamp_faults_open"] = per_unit["lamp_faults_open"].to_numpy()
    else:
        out["lamps_broken"] = 0
        out["lamp_faults_open"] = 0


def _add_cameras(out: gpd.GeoDataFrame, ctx: UnitsContext, inside: np.ndarray, current: np.ndarray) -> None:
    out["camera_share"] = ctx.static["camera_share"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["incidents_in_camera_share"] = np.where(current > 0, inside / np.maximum(current, 1), np.nan)


def _add_graffiti(out: gpd.GeoDataFrame, prep: Prepared, ctx, params: LagesbildParams) -> None:
    frame = prep.frame("graffiti")
    if frame.empty:
        out["graffiti_reports"] = 0
        out["graffiti_open"] = 0
        out["graffiti_within_72h_share"] = np.nan
        return
    table = graffiti_ind.graffiti_by_unit(
        ctx.graffiti_pos, frame["reported_at"], frame["removed_at"], len(out),
        period_start=params.start, period_end=params.end, at=params.end,
        deadline_hours=settings.graffiti_deadline_hours)
    for column in ("graffiti_reports", "graffiti_open", "graffiti_within_72h_share"):
        out[column] = table[column].to_numpy()


def _unsafe_mask(prep: Prepared, params: LagesbildParams) -> np.ndarray:
    frame = prep.frame("unsafe_places")
    if frame.empty:
        return np.zeros(0, dtype=bool)
    reported = frame["reported_at"]
    return (frame["status"].isin(UNSAFE_COUNTED_STATUSES) & (reported < params.end)).to_numpy()


def _unsafe_counts(prep: Prepared, ctx, params: LagesbildParams) -> np.ndarray:
    mask = _unsafe_mask(prep, params)
    return count_ind.count_by_unit(ctx.unsafe_pos, len(ctx.units), mask=mask)


def provenance(prep: Prepared, params: LagesbildParams, *,
               incidents: IncidentSummary | None = None) -> dict[str, dict]:
    """Per source layer: rows, time span covered and share of records with an exact location.

    Parameters
    ----------
    prep : Prepared
        The loaded layers.
    params : LagesbildParams
        The parameters (the period is reported beside the layer's span).
    incidents : IncidentSummary, optional
        The incidents' summary if already known (else from
        :func:`incident_summary`).

    Returns
    -------
    dict of str to dict
        ``{"incidents": {"rows": 6000, "first": "...", "last": "...",
        "exact_share": 0.98, "covers_period": True}, ...}``.
    """
    from layers import get_spec

    info = {}
    for name in prep.frames:
        if name == "incidents":
            summary = incidents if incidents is not None else incident_summary(prep)
            entry = _span_entry(summary.rows, summary.first, summary.last, params)
            if summary.rows:
                entry["exact_share"] = summary.located / summary.rows
            info[name] = entry
            continue
        frame = prep.frames[name]
        spec = get_spec(name)
        first = last = None
        if spec.time_column and len(frame):
            times = frame[spec.time_column].dropna()
            if len(times):
                first, last = times.min(), times.max()
        info[name] = _span_entry(len(frame), first, last, params)
    return info


def _span_entry(rows: int, first: pd.Timestamp | None, last: pd.Timestamp | None,
                params: LagesbildParams) -> dict:
    entry: dict = {"rows": rows}
    if first is not None and last is not None:
        entry["first"] = first.isoformat()
        entry["last"] = last.isoformat()
        entry["covers_period"] = bool(first <= params.start and last >= params.end - pd.Timedelta(days=31))
    return entry
