"""The report the law on kommuners brottsförebyggande arbete (SFS 2023:196) asks for.

Since 1 July 2023 every kommun must have a lägesbild (a kartläggning of crime
and what drives it, and an analysis) and an åtgärdsplan. :func:`build_law_report`
builds a :class:`LawReport` in that shape from a saved lägesbild snapshot
(:func:`geo.analysis.snapshots.save_lagesbild`) and the action register:

1. Kartläggning: the snapshot's parameters, the indicator table
   (:data:`geo.analysis.lagesbild.INDICATORS` with unit, action and the snapshot's
   total, mean and max) and the provenance of each source layer.
2. Analys: hot spot units by class with their driving factors, the
   concentration (top 5 % and 20 % of units) and the trend against the
   previous period (percent only on a base of at least
   :data:`geo.analysis.indicators.counts.SMALL_BASE`).
3. Åtgärdsplan: the register for the year of the actions in sections
   5.1-5.2 and every spatial action, with the live figure
   (:func:`geo.actions.figures.live_figures`).

:mod:`geo.actions.law_report_files` writes it as a printable, escaped HTML
page or a deterministic PDF.

The report inherits the snapshot's audience: a public snapshot holds
suppressed counts, and the report shows them as "–".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.actions.figures import format_share, live_figures
from geo.actions.register import register_table, status_label
from geo.actions.spatial import SPATIAL_ACTIONS
from geo.analysis.indicators.counts import SMALL_BASE
from geo.analysis.lagesbild import INDICATORS, indicator_label
from geo.analysis.snapshots import list_snapshots, read_snapshot
from geo.audiences import DEFAULT_AUDIENCE
from geo.errors import LawReportError
from geo.i18n import DEFAULT_LANGUAGE, check_language, format_date, format_number, t
from layers import get_spec

#: Sections of the program whose actions are always in the åtgärdsplan.
PLAN_SECTIONS: tuple[str, ...] = ("5.1", "5.2")

#: Units with the largest increase listed in the analysis.
TOP_INCREASES: int = 5

#: Hot spot classes listed in the analysis, in order.
HOTSPOT_CLASSES: tuple[str, ...] = ("hot_99", "hot_95", "hot_90")


@dataclass(frozen=True)
class LawReport:
    """The report in the law's three parts; every cell is already formatted text.

    Parameters
    ----------
    title : str
        The report's title.
    subtitle : str
        Kommun, snapshot and year.
    snapshot : str
        Name of the lägesbild snapshot.
    year : int
        The follow-up year of the åtgärdsplan.
    lang : {"sv", "en"}
        Language of the texts.
    parameters : pandas.DataFrame
        Kartläggning: the snapshot's parameters (two columns: label, value).
    summary : str
        Kartläggning: incidents, units and kommun-level incidents.
    indicators : pandas.DataFrame
        Kartläggning: one row per indicator of the snapshot.
    provenance : pandas.DataFrame
        Kartläggning: one row per source layer.
    hotspots : pandas.DataFrame
        Analys: the hot spot units by class with their driving factors.
    concentration : str
        Analys: the share in the top 5 % and 20 % of units.
    trend : str
        Analys: the sum of incidents against the previous period.
    increases : pandas.DataFrame
        Analys: the units with the largest increase.
    plan : pandas.DataFrame
        Åtgärdsplan: the register rows with status, owner and figure.
    """

    title: str
    subtitle: str
    snapshot: str
    year: int
    lang: str
    parameters: pd.DataFrame
    summary: str
    indicators: pd.DataFrame
    provenance: pd.DataFrame
    hotspots: pd.DataFrame
    concentration: str
    trend: str
    increases: pd.DataFrame
    plan: pd.DataFrame
    sections: tuple[str, ...] = field(default=())


def build_law_report(store: object, *, snapshot: str, year: int, lang: str = DEFAULT_LANGUAGE,
                     audience: str = DEFAULT_AUDIENCE) -> LawReport:
    """Build the lägesbild and åtgärdsplan report from a snapshot and the register.

    Parameters
    ----------
    store : Store
        The store holding the snapshot, the register and the layers.
    snapshot : str
        Name of a saved lägesbild (:meth:`Store.list_snapshots`).
    year : int
        The follow-up year of the åtgärdsplan.
    lang : {"sv", "en"}, default "sv"
        Language.
    audience : {"public", "staff", "protected"}, default "public"
        Who the report is for: only a snapshot made for this audience or a
        less trusted one can be used (:func:`geo.analysis.snapshots.list_snapshots`).

    Returns
    -------
    LawReport
        The three parts.

    Raises
    ------
    LawReportError
        If the snapshot does not exist; the message lists the saved ones.
    ActionRegisterError
        If the year is not allowed.
    """
    lang = check_language(lang)
    snapshots = list_snapshots(store, audience=audience)
    names = snapshots["name"].astype(str).tolist()
    if snapshot not in names:
        raise LawReportError(t("law_report.unknown_snapshot", lang, name=snapshot,
                               names=", ".join(names) or "–"))
    frame, meta = read_snapshot(store, snapshot, audience=audience)
    created = snapshots.loc[snapshots["name"] == snapshot, "created_at"].iloc[-1]
    params = meta.get("params") or {}
    plan = _plan(store, year, lang)
    sections = (t("law_report.part_mapping", lang), t("law_report.part_analysis", lang),
                t("law_report.part_plan", lang))
    return LawReport(
        title=t("law_report.title", lang),
        subtitle=t("law_report.subtitle", lang, snapshot=snapshot, year=year),
        snapshot=snapshot,
        year=int(year),
        lang=lang,
        parameters=_parameters(snapshot, params, created, lang),
        summary=_summary(frame, meta, lang),
        indicators=_indicators(frame, lang),
        provenance=_provenance(meta.get("provenance") or {}, lang),
        hotspots=_hotspots(frame, lang),
        concentration=_concentration(meta.get("concentration") or {}, lang),
        trend=_trend(frame, lang),
        increases=_increases(frame, lang),
        plan=plan,
        sections=sections,
    )


# --- parts -------------------------------------------------------------------------


def _period(start: str | None, end: str | None, lang: str) -> str:
    if not start or not end:
        return "–"
    last = pd.Timestamp(end) - pd.Timedelta(1, "ns")
    return f"{format_date(pd.Timestamp(start), lang)} – {format_date(last, lang)}"


def _parameters(name: str, params: dict, created: object, lang: str) -> pd.DataFrame:
    start, end = params.get("start"), params.get("end")
    previous = "–"
    if start and end:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        previous = _period((s - (e - s)).isoformat(), s.isoformat(), lang)
    hours = params.get("hours")
    everything = t("law_report.all", lang)
    rows = [
        ("param_snapshot", name),
        ("param_period", _period(start, end, lang)),
        ("param_previous", previous),
        ("param_unit", str(params.get("unit", "–")) + (f" ({params['area_kind']})"
                                                      if params.get("unit") == "areas" else "")),
        ("param_hours", f"{hours[0]:02d}-{hours[1]:02d}" if hours else everything),
        ("param_weekdays", ", ".join(map(str, params.get("weekdays") or [])) or everything),
        ("param_categories", ", ".join(params.get("categories") or []) or everything),
        ("param_audience", str(params.get("audience", "–"))),
        ("param_created", format_date(pd.Timestamp(created), lang, with_time=True) if pd.notna(created)
         else "–"),
    ]
    return pd.DataFrame([(t(f"law_report.{k}", lang), v) for k, v in rows],
                        columns=[t("law_report.parameters", lang), ""])


def _summary(frame: pd.DataFrame, meta: dict, lang: str) -> str:
    counts = pd.to_numeric(frame["incidents"], errors="coerce") if "incidents" in frame else pd.Series([])
    suppressed = meta.get("suppressed") or 0
    total = "–" if suppressed else format_number(int(counts.sum()), lang)
    kommun = meta.get("kommun_level_incidents")
    return t("law_report.summary_line", lang, incidents=total, units=format_number(len(frame), lang),
             kommun=format_number(kommun, lang) if kommun is not None else "–")


def _number(value: float, unit: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if unit in ("andel",):
        return format_share(value, lang)
    decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 else 2)
    return format_number(float(value), lang, decimals=decimals)


def _indicators(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = []
    for ind in INDICATORS:
        if ind.column not in frame.columns:
            continue
        values = pd.to_numeric(frame[ind.column], errors="coerce") if ind.column != "gi_class" else None
        summable = ind.unit == "antal"
        rows.append({
            t("law_report.col_indicator", lang): indicator_label(ind.column, lang),
            t("law_report.col_unit", lang): ind.unit,
            t("law_report.col_actions", lang): ", ".join(map(str, ind.actions)),
            t("law_report.col_source", lang): ind.source,
            t("law_report.col_total", lang):
                _number(values.sum(), ind.unit, lang) if summable and values is not None else "",
            t("law_report.col_mean", lang):
                _number(values.mean(), ind.unit, lang) if values is not None else "",
            t("law_report.col_max", lang):
                _number(values.max(), ind.unit, lang) if values is not None else "",
        })
    return pd.DataFrame(rows)


def _provenance(provenance: dict, lang: str) -> pd.DataFrame:
    rows = []
    for layer, info in sorted(provenance.items()):
        covers = info.get("covers_period")
        rows.append({
            t("law_report.col_layer", lang): f"{get_spec(layer).label(lang)} ({layer})",
            t("law_report.col_rows", lang): format_number(info.get("rows", 0), lang),
            t("law_report.col_first", lang): _date(info.get("first"), lang),
            t("law_report.col_last", lang): _date(info.get("last"), lang),
            t("law_report.col_exact", lang):
                format_share(info["exact_share"], lang) if "exact_share" in info else "–",
            t("law_report.col_covers", lang):
                "–" if covers is None else t("law_report.yes" if covers else "law_report.no", lang),
        })
    return pd.DataFrame(rows)


def _date(value: str | None, lang: str) -> str:
    return format_date(pd.Timestamp(value), lang) if value else "–"


def _hotspots(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    classes = frame["gi_class"].astype(str)
    chosen = frame[classes.isin(HOTSPOT_CLASSES).to_numpy(dtype=bool)].copy()
    chosen["_order"] = chosen["gi_class"].map({c: i for i, c in enumerate(HOTSPOT_CLASSES)})
    chosen["_n"] = pd.to_numeric(chosen["incidents"], errors="coerce").fillna(-1)
    chosen = chosen.sort_values(["_order", "_n", "unit_id"], ascending=[True, False, True], kind="stable")
    return pd.DataFrame({
        t("law_report.col_unit_id", lang): chosen["unit_id"].astype(str).to_numpy(),
        t("law_report.col_name", lang):
            chosen["name"].fillna("").astype(str).to_numpy() if "name" in chosen else "",
        t("law_report.col_class", lang): chosen["gi_class"].astype(str).to_numpy(),
        t("law_report.col_incidents", lang):
            [_number(v, "antal", lang) for v in pd.to_numeric(chosen["incidents"], errors="coerce")],
        t("law_report.col_drivers", lang):
            chosen["drivers"].fillna("").astype(str).to_numpy() if "drivers" in chosen else "",
    })


def _concentration(concentration: dict, lang: str) -> str:
    return t("law_report.concentration_line", lang, top5=format_share(concentration.get("top_5pct"), lang),
             top20=format_share(concentration.get("top_20pct"), lang))


def _change_text(now: int, prev: int, lang: str) -> str:
    diff = now - prev
    sign = "+" if diff > 0 else ""
    text = f"{sign}{format_number(diff, lang)}"
    if prev >= SMALL_BASE:
        text += f" ({sign}{format_number(100.0 * diff / prev, lang, decimals=1)}\u00a0%)"
    return text


def _trend(frame: pd.DataFrame, lang: str) -> str:
    now = int(pd.to_numeric(frame["incidents"], errors="coerce").fillna(0).sum())
    prev = int(pd.to_numeric(frame["incidents_prev"], errors="coerce").fillna(0).sum())
    return t("law_report.trend_line", lang, now=format_number(now, lang), prev=format_number(prev, lang),
             change=_change_text(now, prev, lang))


def _increases(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    now = pd.to_numeric(frame["incidents"], errors="coerce")
    prev = pd.to_numeric(frame["incidents_prev"], errors="coerce")
    diff = now - prev
    keep = (diff > 0).to_numpy(dtype=bool, na_value=False)
    table = pd.DataFrame({"unit_id": frame["unit_id"].astype(str), "name": frame.get("name"), "now": now,
                          "prev": prev, "diff": diff})[keep]
    table = table.sort_values(["diff", "unit_id"], ascending=[False, True], kind="stable").head(TOP_INCREASES)
    return pd.DataFrame({
        t("law_report.col_unit_id", lang): table["unit_id"].to_numpy(),
        t("law_report.col_name", lang): table["name"].fillna("").astype(str).to_numpy(),
        t("law_report.col_incidents", lang): [format_number(v, lang) for v in table["now"]],
        t("law_report.col_prev", lang): [format_number(v, lang) for v in table["prev"]],
        t("law_report.col_change", lang): [_change_text(int(a), int(b), lang)
                                 for a, b in zip(table["now"], table["prev"], strict=True)],
    })


def _plan(store: object, year: int, lang: str) -> pd.DataFrame:
    figures = live_figures(store, lang=lang) if "areas" in store.list_layers() else {}
    table = register_table(store, year, figures=figures)
    keep = table["section"].isin(PLAN_SECTIONS) | table["nr"].isin(list(SPATIAL_ACTIONS))
    table = table[keep.to_numpy(dtype=bool)]
    return pd.DataFrame({
        t("law_report.col_nr", lang): table["nr"].astype(str).to_numpy(),
        t("law_report.col_action", lang): table["text"].to_numpy(),
        t("law_report.col_responsible", lang): table["responsible"].to_numpy(),
        t("law_report.col_status", lang): [status_label(s, lang) for s in table["status"]],
        t("law_report.col_comment", lang): [
            c if not by else f"{c} ({by})".strip() for c, by in zip(table["comment"], table["changed_by"],
                                                                    strict=True)],
        t("law_report.col_evidence", lang): table["evidence"].to_numpy(),
        t("law_report.col_figure", lang): table["figure"].to_numpy(),
    })


__all__ = [
    "LawReport",
    "LawReportError",
    "build_law_report",
]

