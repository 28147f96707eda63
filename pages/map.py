"""Karta: the store's layers on a folium map (public view).

The page only reads widgets, calls ``geo`` and ``layers``, and renders.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.i18n import format_number, t
from geo.mapping import MapData, build_map, collect_map_data
from geo.store import open_store
from geo.ui import current_language, store_location
from layers import get_spec

AUDIENCE = "public"  # staff and protected views need a login (not built yet)


@st.cache_data(show_spinner=False, max_entries=8)
def _load_map_data(location: str, state_token: str, audience: str) -> MapData:
    """Read the layers once per store state and audience (the token is the cache key)."""
    del state_token  # part of the cache key only
    return collect_map_data(open_store(location, must_exist=True), audience)


def main() -> None:
    lang = current_language()
    st.title(t("app_title", lang))
    st.caption(t("app_subtitle", lang))

    location = store_location()
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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for name in data.hidden_layers:
        st.caption(t("layer_not_public", lang, layer=get_spec(name).label(lang)))


main()
