"""Granska rapporter: staff review residents' reports before anything is shown.

Only a logged-in staff user sees the queue; the public gets a message to log
in and nothing else. Residents' texts are shown with ``st.text`` and
``st.dataframe`` (never markdown) and escaped in the map's tooltips.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.app.ui import current_audience, current_language, store_location
from geo.crs import to_web_crs
from geo.errors import ReportError, TrygghetskartanError
from geo.i18n import format_date, t
from geo.outputs.maps.base import JARFALLA_CENTER
from geo.participation.reports import approve_report, escape_text, reject_report, report_queue, reports_table
from geo.store import open_store
from layers.unsafe_places import REASONS as REASON_CHOICES

FLASH_KEY = "moderation_flash"


def _reason_labels(lang: str) -> dict[str, str]:
    return {c.code: c.label(lang) for c in REASON_CHOICES}


def _display(table: pd.DataFrame, lang: str, *, history: bool = False) -> pd.DataFrame:
    labels = _reason_labels(lang)
    web = to_web_crs(table[[table.geometry.name]]) if len(table) else table
    shown = {
        t("walks.col_report", lang): table["report_id"].to_numpy(dtype=object),
        t("walks.col_reason", lang): [labels.get(r, r) for r in table["reason"]],
        t("walks.col_text", lang): table["description"].to_numpy(dtype=object),
        t("walks.col_submitted", lang): [format_date(v, lang, with_time=True) for v in table["submitted_at"]],
        t("walks.col_lat", lang): [round(p.y, 5) for p in web.geometry] if len(table) else [],
        t("walks.col_lon", lang): [round(p.x, 5) for p in web.geometry] if len(table) else [],
    }
    if history:
        shown[t("walks.col_status", lang)] = [t(f"walks.status_{s}", lang) for s in table["status"]]
        shown[t("walks.col_moderated_by", lang)] = table["moderated_by"].to_numpy(dtype=object)
        shown[t("walks.col_moderated_at", lang)] = [format_date(v, lang, with_time=True)
                                               for v in table["moderated_at"]]
    return pd.DataFrame(shown)


def _queue_map(queue: pd.DataFrame, lang: str) -> None:
    labels = _reason_labels(lang)
    web = to_web_crs(queue[["report_id", "reason", "description", queue.geometry.name]])
    fmap = folium.Map(location=JARFALLA_CENTER, zoom_start=12, control_scale=True)
    for record in web.to_dict("records"):
        point = record["geometry"]
        tooltip = escape_text(f"{record['report_id']} · {labels.get(record['reason'], record['reason'])}: "
                              f"{record['description'][:120]}")
        folium.CircleMarker([point.y, point.x], radius=7, color="#e67e22", fill=True, fill_opacity=0.8,
                            tooltip=tooltip).add_to(fmap)
    st_folium(fmap, key="moderation_map", returned_objects=[], height=360, use_container_width=True)


def _moderate(store, report_id: str, *, approve: bool, user: str, lang: str) -> None:
    try:
        if approve:
            approve_report(store, report_id, user=user)
        else:
            reject_report(store, report_id, user=user)
    except ReportError as exc:
        st.error(t(f"walks.err_{exc.code}", lang, **exc.values))
        return
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    st.session_state[FLASH_KEY] = t("walks.approved_msg" if approve else "walks.rejected_msg", lang,
                                    report_id=report_id)
    st.rerun()


def _queue(store, user: str, lang: str) -> None:
    queue = report_queue(store)
    if queue.empty:
        st.info(t("walks.queue_empty", lang))
        return
    st.caption(t("walks.queue_count", lang, n=len(queue)))
    st.dataframe(_display(queue, lang), hide_index=True, width="stretch", key="moderation_queue")
    _queue_map(queue, lang)
    labels = _reason_labels(lang)
    for record in queue.to_dict("records"):
        report_id = record["report_id"]
        with st.container(border=True):
            st.text(f"{report_id} · {labels.get(record['reason'], record['reason'])} · "
                    f"{format_date(record['submitted_at'], lang, with_time=True)}")
            st.text(record["description"])
            approve_col, reject_col = st.columns(2)
            if approve_col.button(t("walks.approve", lang), key=f"approve_{report_id}", type="primary"):
                _moderate(store, report_id, approve=True, user=user, lang=lang)
            if reject_col.button(t("walks.reject", lang), key=f"reject_{report_id}"):
                _moderate(store, report_id, approve=False, user=user, lang=lang)


def main() -> None:
    lang = current_language()
    st.title(t("walks.moderation_page", lang))
    if current_audience() == "public":
        st.info(t("walks.staff_only", lang))
        return
    user = st.session_state["user"].username
    st.caption(t("walks.moderation_intro", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    try:
        store = open_store(store_location())
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    _queue(store, user, lang)
    table = reports_table(store)
    done = table[(table["status"] != "new").to_numpy(dtype=bool)]
    with st.expander(f"{t('walks.moderated_history', lang)} ({len(done)})"):
        st.dataframe(_display(done.iloc[::-1], lang, history=True), hide_index=True, width="stretch",
                     key="moderation_history")


main()
