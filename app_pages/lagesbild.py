"""Lägesbild: the indicator table, charts, change, snapshots and their comparison (action 3)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import settings
from geo.analysis.lagesbild import INDICATORS
from geo.analysis.snapshots import compare_snapshots, list_snapshots, save_lagesbild
from geo.app.ui import (
    audit,
    cached_lagesbild,
    current_audience,
    current_language,
    filter_sidebar,
    prepared_store,
    store_location,
    table_style,
)
from geo.audiences import may
from geo.i18n import format_number, t
from geo.outputs.downloads import lagesbild_bytes
from geo.outputs.maps.base import indicator_label
from geo.store import open_store

CHART_INDICATORS = tuple(i.column for i in INDICATORS if i.column not in ("gi_class", "gi_p"))
#: Rows of the indicator table in the page (the Excel download has every unit).
TABLE_ROWS = 500


def _indicator_table(frame: pd.DataFrame, lang: str, sort_by: str) -> pd.DataFrame:
    columns = ["unit_id", "name", *[i.column for i in INDICATORS if i.column in frame.columns], "drivers"]
    table = pd.DataFrame(frame[columns])
    table = table.sort_values([sort_by, "unit_id"], ascending=[False, True], na_position="last",
                              kind="stable")
    table = table.head(TABLE_ROWS).set_index("unit_id")
    table["gi_class"] = [t(f"gi_{c}", lang) for c in table["gi_class"].astype(str)]
    labels = {c: indicator_label(c, lang) for c in table.columns}
    labels.update({"name": t("name", lang), "drivers": t("drivers", lang)})
    table.index.name = t("unit", lang)
    return table.rename(columns=labels)


def main() -> None:
    lang = current_language()
    audience = current_audience()
    st.title(t("lagesbild", lang))
    location = store_location()
    store = open_store(location)
    if not store.list_layers():
        st.warning(t("store_missing", lang, path=location))
        return
    prep = prepared_store(location)
    params = filter_sidebar(prep, lang, audience=audience)
    frame = cached_lagesbild(location, params, lang)
    audit("view", f"lägesbild {params.as_dict()}")

    current = pd.to_numeric(frame["incidents"], errors="coerce")
    previous = pd.to_numeric(frame["incidents_prev"], errors="coerce")
    hot = frame["gi_class"].astype(str).str.startswith("hot_").sum()
    conc = frame.attrs.get("concentration") or {}
    cols = st.columns(4)
    total = frame.attrs.get("incidents_total")
    cols[0].metric(
        t("incidents_total", lang),
        format_number(total, lang) if total is not None else t("suppressed", lang),
        delta=format_number(current.sum() - previous.sum(), lang) if total is not None else None,
        delta_color="inverse",
    )
    cols[1].metric(t("hotspot_units", lang), format_number(hot, lang))
    cols[2].metric(
        t("top5_share", lang),
        format_number(100 * conc.get("top_5pct", float("nan")), lang, decimals=0) + " %",
    )
    cols[3].metric(
        t("top20_share", lang),
        format_number(100 * conc.get("top_20pct", float("nan")), lang, decimals=0) + " %",
    )
    st.caption(t("change_note", lang))

    sort_by = st.selectbox(
        t("sort_by", lang),
        CHART_INDICATORS,
        index=CHART_INDICATORS.index("composite_index"),
        key="lb_sort",
        format_func=lambda c: indicator_label(c, lang),
    )
    table = _indicator_table(frame, lang, sort_by)
    counts = [indicator_label(i.column, lang) for i in INDICATORS if i.unit == "antal"]
    st.dataframe(table_style(table, lang, counts=counts), placeholder="–", width="stretch", height=420,
                 key="lb_table")
    st.caption(t("table_top_note", lang, shown=format_number(len(table), lang),
                 total=format_number(len(frame), lang), indicator=indicator_label(sort_by, lang),
                 k_minus=settings.min_count - 1))

    indicator = st.selectbox(
        t("chart_indicator", lang),
        CHART_INDICATORS,
        key="lb_chart",
        format_func=lambda c: indicator_label(c, lang),
    )
    top = (
        pd.DataFrame(frame[["unit_id", indicator]]).dropna().sort_values(indicator, ascending=False).head(20)
    )
    chart = (
        alt.Chart(top)
        .mark_bar()
        .encode(
            x=alt.X(f"{indicator}:Q", title=indicator_label(indicator, lang)),
            y=alt.Y("unit_id:N", sort="-x", title=t("unit", lang)),
            tooltip=["unit_id", indicator],
        )
    )
    st.altair_chart(chart, width="stretch")

    with st.expander(t("provenance", lang)):
        st.dataframe(
            pd.DataFrame.from_dict(frame.attrs.get("provenance", {}), orient="index"), width="stretch"
        )

    st.download_button(
        t("download_xlsx", lang),
        lagesbild_bytes(frame, "Excel", crs="EPSG:3006", lang=lang),
        file_name="lagesbild.xlsx",
        key="lb_download",
    )

    st.subheader(t("snapshots", lang))
    if may(audience, "save_snapshot"):
        with st.form("save_snapshot"):
            name = st.text_input(t("snapshot_name", lang), key="snap_name")
            if st.form_submit_button(t("save_snapshot", lang)) and name:
                try:
                    save_lagesbild(store, name, frame)
                    st.success(t("snapshot_saved", lang, name=name))
                except ValueError as exc:
                    st.error(str(exc))
    names = list(list_snapshots(store, audience=audience)["name"])
    if len(names) >= 2:
        col_a, col_b = st.columns(2)
        before = col_a.selectbox(t("snapshot_before", lang), names, index=len(names) - 2, key="snap_a")
        after = col_b.selectbox(t("snapshot_after", lang), names, index=len(names) - 1, key="snap_b")
        try:
            comparison = compare_snapshots(store, before, after, audience=audience)
        except ValueError as exc:
            st.error(str(exc))
        else:
            shown = pd.DataFrame(comparison.drop(columns=comparison.geometry.name))
            st.dataframe(shown, width="stretch", hide_index=True, key="snap_table")
            st.download_button(
                t("download_csv", lang),
                shown.to_csv(index=False).encode("utf-8"),
                file_name=f"jamforelse_{before}_{after}.csv",
                key="snap_download",
            )


main()
