"""Trygghetskartan – the map page: the store's layers on a folium map.

Run with ``streamlit run app.py``. The page only reads widgets, calls
``geo`` and ``layers``, and renders; every figure comes from there.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.i18n import LANGUAGES, format_number, t
from geo.mapping import MapData, build_map, collect_map_data
from geo.store import open_store
from layers import get_spec

AUDIENCE = "public"  # staff and protected views need a login (not built yet)


def _init_state() -> None:
    if "lang" not in st.session_state:
        st.session_state["lang"] = os.environ.get("TRYGGHETSKARTAN_LANG", "sv")


@st.cache_data(show_spinner=False, max_entries=8)
def _load_map_data(location: str, state_token: str, audience: str) -> MapData:
    """Read the layers once per store state and audience (the token is the cache key)."""
    del state_token  # part of the cache key only
    return collect_map_data(open_store(location, must_exist=True), audience)


def _store_location() -> str:
    return os.environ.get("TRYGGHETSKARTAN_STORE", str(settings.store_path))


def main() -> None:
    st.set_page_config(page_title="Trygghetskartan", layout="wide")
    _init_state()
    lang = st.sidebar.radio(
        "Språk / Language", LANGUAGES, key="lang", horizontal=True,
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
    )
    st.title(t("app_title", lang))
    st.caption(t("app_subtitle", lang))

    location = _store_location()
    store = open_store(location)
    if not store.list_layers():
        st.warning(t("store_missing", lang, path=location))
        return
    with st.spinner("…"):
        data = _load_map_data(location, store.state_token(), AUDIENCE)

    st.sidebar.caption(t("audience_public", lang))
    tiles = st.sidebar.toggle("Bakgrundskarta" if lang == "sv" else "Basemap", value=True)
    fmap = build_map(data, lang=lang, tiles=tiles)
    st_folium(fmap, key="karta", returned_objects=[], height=620, use_container_width=True)

    k = settings.min_count
    st.caption(t("suppressed_note", lang, k_minus=k - 1))
    if data.kommun_level:
        st.caption(t("kommun_level_note", lang, n=format_number(data.kommun_level, lang)))

    rows = [
        {
            t("layer", lang): get_spec(name).label(lang),
            t("count", lang): len(frame),
            t("actions", lang): ", ".join(map(str, get_spec(name).actions)),
        }
        for name, frame in data.layers.items()
    ]
    st.subheader(t("layers_shown", lang))
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
    for name in data.hidden_layers:
        st.caption(t("layer_not_public", lang, layer=get_spec(name).label(lang)))


main()
