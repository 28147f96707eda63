"""Trygghetsvandringar: register a walk, follow every finding to a decision, print the protocol.

Staff only. The page reads widgets, calls ``geo.participation.walks`` and
``geo.participation.protocol``, and renders; every check is in ``geo``.
"""

from __future__ import annotations

import datetime as dt

import folium
import pandas as pd
import streamlit as st
from folium.plugins import Draw
from streamlit_folium import st_folium

from geo import settings
from geo.app.ui import current_audience, current_language, store_location
from geo.errors import TrygghetskartanError, WalkError
from geo.i18n import t
from geo.outputs.maps.base import JARFALLA_CENTER
from geo.participation.places import REASONS
from geo.participation.protocol import protocol_pdf, route_map_png
from geo.participation.walk_decisions import findings_table, overdue_findings, record_decision
from geo.participation.walk_input import findings_from_table, route_from_lonlat
from geo.participation.walk_store import get_walk, list_walks, publish_walk, save_walk
from geo.participation.walks import OVERDUE_MONTHS, RESPONSIBLE, ROLES, SEVERITIES
from geo.store import open_store
from layers.unsafe_places import REASONS as REASON_CHOICES

FLASH_KEY = "walks_flash"
RESET_KEY = "walks_reset"
FINDINGS_KEY = "walk_findings"
NEW_WALK_KEYS = ("walk_area", "walk_note", "walk_route_text", FINDINGS_KEY,
                 *(f"walk_role_{r}" for r in ROLES))
FINDING_COLUMNS = ("reason", "severity", "description", "photo", "lat", "lon")


@st.cache_data(show_spinner=False, max_entries=16)
def _protocol(location: str, state_token: str, walk_id: str, lang: str, today: str) -> bytes:
    """The protocol PDF, once per store state, walk, language and day."""
    del state_token
    return protocol_pdf(open_store(location), walk_id, lang=lang, reference=today)


@st.cache_data(show_spinner=False, max_entries=16)
def _route_png(location: str, state_token: str, walk_id: str, lang: str) -> bytes:
    """The route map, once per store state, walk and language."""
    del state_token
    store = open_store(location)
    return route_map_png(get_walk(store, walk_id), findings_table(store, walk_id=walk_id), lang=lang)


def _reason_labels(lang: str) -> dict[str, str]:
    return {c.code: c.label(lang) for c in REASON_CHOICES}


def _show_problems(exc: TrygghetskartanError, header: str, lang: str) -> None:
    st.error(header)
    if isinstance(exc, WalkError):
        st.text("\n".join(f"• {p.text(lang)}" for p in exc.problems))
    else:
        st.text(str(exc))


def _route_input(lang: str):
    """Return the route as uploaded, typed or drawn (in that order of precedence), or None."""
    st.markdown(f"**{t('walks.route', lang)}**")
    upload = st.file_uploader(t("walks.route_file", lang), type=["geojson", "json", "wkt", "txt"],
                              key="walk_route_file")
    text = st.text_area(t("walks.route_text", lang), key="walk_route_text", height=80)
    st.caption(t("walks.route_drawn", lang))
    fmap = folium.Map(location=JARFALLA_CENTER, zoom_start=12, control_scale=True)
    Draw(export=False, draw_options={"polyline": True, "polygon": False, "rectangle": False,
                                     "circle": False, "marker": False, "circlemarker": False},
         edit_options={"edit": False}).add_to(fmap)
    drawn = st_folium(fmap, key="walk_route_map", returned_objects=["last_active_drawing"], height=360,
                      use_container_width=True)
    if upload is not None:
        return upload.getvalue().decode("utf-8", errors="replace")
    if text.strip():
        return text
    geometry = ((drawn or {}).get("last_active_drawing") or {}).get("geometry") or {}
    if geometry.get("type") == "LineString":
        st.caption(t("walks.route_from_drawing", lang))
        return route_from_lonlat(geometry["coordinates"])
    return ""


def _findings_editor(lang: str) -> pd.DataFrame:
    st.markdown(f"**{t('walks.findings', lang)}**")
    st.caption(t("walks.findings_hint", lang))
    labels = _reason_labels(lang)
    empty = pd.DataFrame({
        "reason": pd.Series(dtype=object), "severity": pd.Series(dtype="Int64"),
        "description": pd.Series(dtype=object), "photo": pd.Series(dtype=object),
        "lat": pd.Series(dtype=float), "lon": pd.Series(dtype=float),
    })
    return st.data_editor(
        empty,
        num_rows="dynamic",
        key=FINDINGS_KEY,
        hide_index=True,
        width="stretch",
        column_config={
            "reason": st.column_config.SelectboxColumn(t("walks.col_reason", lang), options=list(REASONS),
                                                       format_func=lambda c: labels.get(c, c), required=True),
            "severity": st.column_config.SelectboxColumn(t("walks.col_severity", lang),
                                                         options=list(SEVERITIES), required=True),
            "description": st.column_config.TextColumn(t("walks.col_description", lang), max_chars=500),
            "photo": st.column_config.TextColumn(t("walks.col_photo", lang), max_chars=124),
            "lat": st.column_config.NumberColumn(t("walks.latitude", lang), format="%.6f", min_value=-90,
                                                 max_value=90),
            "lon": st.column_config.NumberColumn(t("walks.longitude", lang), format="%.6f", min_value=-180,
                                                 max_value=180),
        },
    )


def _new_walk(store, user: str, lang: str) -> None:
    day = st.date_input(t("walks.walk_date", lang), key="walk_date", format="YYYY-MM-DD",
                        value=pd.Timestamp.now(tz=settings.timezone).date())
    area = st.text_input(t("walks.walk_area", lang), key="walk_area", max_chars=100)
    st.markdown(f"**{t('walks.participants', lang)}**")
    counts = {}
    for column, role in zip(st.columns(len(ROLES)), ROLES, strict=True):
        counts[role] = column.number_input(t(f"walks.role_{role}", lang), min_value=0, max_value=1000, step=1,
                                           key=f"walk_role_{role}")
    note = st.text_area(t("walks.walk_note", lang), key="walk_note", height=68)
    route = _route_input(lang)
    table = _findings_editor(lang)
    if not st.button(t("walks.save_walk", lang), key="walk_save", type="primary"):
        return
    try:
        findings = findings_from_table(pd.DataFrame(table, columns=list(FINDING_COLUMNS)))
        walk = save_walk(store, walk_date=day, area=area, route=route, participants=counts,
                         findings=findings, note=note, user=user)
    except TrygghetskartanError as exc:
        _show_problems(exc, t("walks.walk_problems", lang), lang)
        return
    st.session_state[FLASH_KEY] = t("walks.walk_saved", lang, walk_id=walk.walk_id, n=len(findings))
    st.session_state[RESET_KEY] = True
    st.rerun()


def _findings_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    labels = _reason_labels(lang)
    yes, no = t("walks.yes", lang), t("walks.no", lang)
    return pd.DataFrame({
        t("walks.col_finding", lang): table["finding_id"].to_numpy(dtype=object),
        t("walks.col_date", lang): [d.isoformat() for d in table["walk_date"]],
        t("walks.col_area", lang): table["area"].to_numpy(dtype=object),
        t("walks.col_nr", lang): table["n"].to_numpy(),
        t("walks.col_reason", lang): [labels.get(r, r) for r in table["reason"]],
        t("walks.col_severity", lang): table["severity"].to_numpy(),
        t("walks.col_description", lang): table["description"].to_numpy(dtype=object),
        t("walks.col_photo", lang): table["photo"].to_numpy(dtype=object),
        t("walks.col_responsible", lang): table["responsible"].to_numpy(dtype=object),
        t("walks.col_decision", lang): table["decision"].to_numpy(dtype=object),
        t("walks.col_decided_on", lang): [d.isoformat() if isinstance(d, dt.date) else ""
                                     for d in table["decided_on"]],
        t("walks.col_overdue", lang): [yes if v else no for v in table["overdue"]],
    })


def _decision_form(store, finding_ids: list[str], user: str, lang: str) -> None:
    with st.form("walk_decision"):
        st.subheader(t("walks.decision_form", lang))
        finding = st.selectbox(t("walks.finding", lang), finding_ids, key="walk_dec_finding")
        body = st.selectbox(t("walks.responsible", lang), RESPONSIBLE, key="walk_dec_body")
        text = st.text_area(t("walks.decision", lang), key="walk_dec_text", height=68)
        day = st.date_input(t("walks.decided_on", lang), key="walk_dec_date", format="YYYY-MM-DD",
                            value=pd.Timestamp.now(tz=settings.timezone).date())
        submitted = st.form_submit_button(t("walks.save_decision", lang), key="walk_dec_save")
    if not submitted:
        return
    try:
        record_decision(store, finding, responsible=body, decision=text,
                        decided_on=day if text.strip() else None, user=user)
    except TrygghetskartanError as exc:
        _show_problems(exc, t("walks.decision_form", lang), lang)
        return
    st.session_state[FLASH_KEY] = t("walks.decision_saved", lang, finding_id=finding)
    st.rerun()


def _walks(store, location: str, user: str, lang: str) -> None:
    walks = list_walks(store)
    if walks.empty:
        st.info(t("walks.no_walks", lang))
        return
    names = {r["walk_id"]: f"{r['walk_date'].isoformat()} · {r['area']} ({r['findings']})"
             for r in walks.to_dict("records")}
    walk_id = st.selectbox(t("walks.pick_walk", lang), list(names), key="walk_pick", format_func=names.get)
    walk = get_walk(store, walk_id)
    table = findings_table(store, walk_id=walk_id)
    st.text(", ".join(f"{t(f'walks.role_{r}', lang)} {n}" for r, n in walk.participants.items()))
    if walk.note:
        st.text(walk.note)
    if walk.published:
        st.caption(t("walks.published_on", lang, date=walk.published_at.strftime("%Y-%m-%d")))
    else:
        st.caption(t("walks.not_published", lang))
        if st.button(t("walks.publish", lang), key="walk_publish"):
            try:
                n = publish_walk(store, walk_id, user=user)
            except TrygghetskartanError as exc:
                _show_problems(exc, t("walks.publish", lang), lang)
            else:
                st.session_state[FLASH_KEY] = t("walks.published_msg", lang, n=n)
                st.rerun()
    token = store.state_token()
    st.image(_route_png(location, token, walk_id, lang), width="stretch")
    st.dataframe(_findings_display(table, lang), hide_index=True, width="stretch", key="walk_findings_table")
    if len(table):
        _decision_form(store, table["finding_id"].tolist(), user, lang)
    today = pd.Timestamp.now(tz=settings.timezone).strftime("%Y-%m-%d")
    st.download_button(t("walks.download_protocol", lang),
                       data=_protocol(location, token, walk_id, lang, today),
                       file_name=f"trygghetsvandring_{walk_id}.pdf", mime="application/pdf",
                       key="walk_pdf", on_click="ignore")


def _overdue(store, lang: str) -> None:
    st.caption(t("walks.overdue_intro", lang, months=OVERDUE_MONTHS))
    table = overdue_findings(store)
    if table.empty:
        st.info(t("walks.no_overdue", lang))
        return
    st.warning(t("walks.overdue_count", lang, n=len(table), months=OVERDUE_MONTHS))
    st.dataframe(_findings_display(table, lang), hide_index=True, width="stretch", key="walk_overdue")


def main() -> None:
    lang = current_language()
    st.title(t("walks.walks_page", lang))
    if current_audience() == "public":
        st.info(t("walks.staff_only", lang))
        return
    user = st.session_state["user"].username
    if st.session_state.pop(RESET_KEY, False):
        for key in NEW_WALK_KEYS:
            st.session_state.pop(key, None)
    st.caption(t("walks.walks_intro", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    location = store_location()
    try:
        store = open_store(location)
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    tab_new, tab_walks, tab_overdue = st.tabs([t("walks.tab_new", lang), t("walks.tab_walks", lang),
                                               t("walks.tab_overdue", lang)])
    with tab_new:
        _new_walk(store, user, lang)
    with tab_walks:
        _walks(store, location, user, lang)
    with tab_overdue:
        _overdue(store, lang)


main()
