"""Tipsa om en otrygg plats: the public page where residents pin a place (no login, no personal data).

A click on the map fills in the coordinates; they can also be typed. The
report waits for staff review (``app_pages/moderation.py``) and is shown on the
map only once approved. The session's submission times are kept in
``geo.app.guard.REPORTS`` for the rate limit, per client address and for the whole server.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.app.guard import EVERYONE, REPORTS
from geo.app.ui import client_address, current_language, store_location
from geo.errors import ReportError, TrygghetskartanError
from geo.i18n import t
from geo.outputs.maps.base import JARFALLA_CENTER, web_frame
from geo.participation.places import REASONS
from geo.participation.reports import MAX_TEXT_LENGTH, submit_report
from geo.store import open_store
from layers.unsafe_places import REASONS as REASON_CHOICES

FLASH_KEY = "report_flash"
RESET_KEY = "report_reset"
CLICK_KEY = "report_last_click"
LAT_KEY = "report_lat"
LON_KEY = "report_lon"
TEXT_KEY = "report_text"
REASON_KEY = "report_reason"


def _init_state() -> None:
    if st.session_state.pop(RESET_KEY, False):
        st.session_state[TEXT_KEY] = ""  # set before the widget is drawn: the box is empty again
    st.session_state.setdefault(LAT_KEY, float(JARFALLA_CENTER[0]))
    st.session_state.setdefault(LON_KEY, float(JARFALLA_CENTER[1]))


@st.cache_data(show_spinner=False, max_entries=4)
def _kommun_geojson(location: str, state_token: str) -> str | None:
    """The kommun outline in WGS 84 (open data), once per store state."""
    del state_token
    store = open_store(location)
    if "areas" not in store.list_layers():
        return None
    kommun = store.read("areas", categories=["kommun"])
    return web_frame(kommun[["name", kommun.geometry.name]], None, "sv").to_json() if len(kommun) else None


def _pick_on_map(location: str, token: str, lang: str) -> None:
    lat, lon = st.session_state[LAT_KEY], st.session_state[LON_KEY]
    fmap = folium.Map(location=JARFALLA_CENTER, zoom_start=12, control_scale=True)
    outline = _kommun_geojson(location, token)
    if outline:
        folium.GeoJson(outline, style_function=lambda _: {"color": "#444444", "weight": 2, "fill": False},
                       control=False).add_to(fmap)
    folium.CircleMarker([lat, lon], radius=8, color="#e74c3c", fill=True, fill_opacity=0.8).add_to(fmap)
    st.caption(t("walks.report_map_hint", lang))
    result = st_folium(fmap, key="report_map", returned_objects=["last_clicked"], height=420,
                       use_container_width=True)
    click = (result or {}).get("last_clicked")
    if click and click != st.session_state.get(CLICK_KEY):
        st.session_state[CLICK_KEY] = click
        st.session_state[LAT_KEY] = round(float(click["lat"]), 6)
        st.session_state[LON_KEY] = round(float(click["lng"]), 6)


def _message(exc: ReportError, lang: str) -> str:
    values = dict(exc.values)
    if exc.code == "personal_data":
        values["kind"] = t(f"walks.kind_{values.get('kind')}", lang)
    try:
        return t(f"walks.err_{exc.code}", lang, **values)
    except KeyError:
        return str(exc)


def _form(store, lang: str) -> None:
    labels = {c.code: c.label(lang) for c in REASON_CHOICES}
    col_lat, col_lon = st.columns(2)
    lat = col_lat.number_input(t("walks.latitude", lang), min_value=-90.0, max_value=90.0, step=0.0005,
                               format="%.6f", key=LAT_KEY)
    lon = col_lon.number_input(t("walks.longitude", lang), min_value=-180.0, max_value=180.0, step=0.0005,
                               format="%.6f", key=LON_KEY)
    reason = st.selectbox(t("walks.reason", lang), REASONS, key=REASON_KEY, format_func=lambda c: labels[c])
    text = st.text_area(t("walks.report_text", lang, limit=MAX_TEXT_LENGTH), max_chars=MAX_TEXT_LENGTH,
                        key=TEXT_KEY)
    st.caption(t("walks.report_no_personal", lang))
    if not st.button(t("walks.report_submit", lang), key="report_submit", type="primary"):
        return
    now = pd.Timestamp.now(tz=settings.timezone)
    address = client_address() or "unknown"
    try:
        submit_report(store, lat=lat, lon=lon, reason=reason, text=text,
                      previous=REPORTS.times(address, now), previous_all=REPORTS.times(EVERYONE, now),
                      now=now)
    except ReportError as exc:
        st.error(_message(exc, lang))
        return
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    REPORTS.add(address, now)
    st.session_state[FLASH_KEY] = t("walks.report_thanks", lang)
    st.session_state[RESET_KEY] = True
    st.rerun()


def main() -> None:
    lang = current_language()
    _init_state()
    st.title(t("walks.report_page", lang))
    st.write(t("walks.report_intro", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    location = store_location()
    try:
        store = open_store(location)
        token = store.state_token()
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    _pick_on_map(location, token, lang)
    _form(store, lang)


main()
