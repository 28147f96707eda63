"""Karta: the lägesbild as a choropleth with hot spots, the layers, and the unit table.

The page only reads widgets, calls ``geo`` and ``layers``, and renders.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import settings
from geo.analysis.lagesbild import INDICATORS
from geo.analysis.prepared import Prepared
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
from geo.i18n import format_number, t
from geo.outputs.maps.base import MapData, base_map, indicator_label, map_data, unit_center, unit_table
from geo.outputs.maps.lagesbild import column_label, lagesbild_layers
from geo.store import open_store
from layers import get_spec

#: Dense point layers that would hide the choropleth at the start view (one click away).
DEFAULT_HIDDEN_LAYERS = ("unsafe_places", "graffiti")
NUMERIC_INDICATORS = tuple(i.column for i in INDICATORS if i.column != "gi_class")


#: Whole-number columns of the unit table.
COUNT_COLUMNS = ("incidents", "change_abs")
#: Rows of the unit table beside the map (the Lägesbild page has them all).
TABLE_ROWS = 300


@st.cache_resource(show_spinner=False, max_entries=8)
def _map_layers(location: str, state_token: str, audience: str, _prep: Prepared) -> MapData:
    """Gate the prepared layers once per store state and audience (shared, read-only)."""
    del location, state_token  # the cache key, with the audience
    return map_data(_prep.frames, audience, cells=False)


def main() -> None:
    lang = current_language()
    audience = current_audience()
    st.title(t("app_title", lang))
    st.caption(t("app_subtitle", lang))
    location = store_location()
    store = open_store(location)
    if not store.list_layers():
        st.warning(t("store_missing", lang, path=location))
        return
    token = store.state_token()
    with st.spinner(t("reading_store", lang, path=location)):
        prep = prepared_store(location, token)
        data = _map_layers(location, prep.token, audience, prep)
    params = filter_sidebar(prep, lang, audience=audience)
    with st.spinner("…"):
        frame = cached_lagesbild(location, params, lang, token)
    audit("view", f"karta {params.as_dict()}")

    side = st.sidebar
    indicator = side.selectbox(
        t("indicator", lang),
        NUMERIC_INDICATORS,
        key="m_indicator",
        format_func=lambda c: indicator_label(c, lang),
    )
    layer_names = list(data.layers)
    shown = side.multiselect(
        t("show_layers", lang),
        layer_names,
        default=[n for n in layer_names if n not in DEFAULT_HIDDEN_LAYERS],
        key="m_layers",
        format_func=lambda n: get_spec(n).label(lang),
    )
    heatmap = side.toggle(t("heatmap_toggle", lang), value=False, key="m_heatmap")
    tiles = side.toggle(t("basemap", lang), value=True, key="m_tiles")
    st.sidebar.caption(t(f"audience_{audience}", lang))

    map_col, table_col = st.columns([3, 2])
    with table_col:
        st.subheader(t("table_units", lang))
        table = unit_table(frame, lang, limit=TABLE_ROWS)
        event = st.dataframe(
            table_style(table, lang, counts=[column_label(c, lang) for c in COUNT_COLUMNS]),
            placeholder="–",
            key="unit_table",
            on_select="rerun",
            selection_mode="single-row",
            height=560,
            width="stretch",
        )
        st.caption(t("zoom_hint", lang, shown=format_number(len(table), lang),
                     total=format_number(len(frame), lang), k_minus=settings.min_count - 1))
    rows = event.selection.rows if event is not None else []
    center = unit_center(frame, table.index[rows[0]]) if rows else None
    with map_col:
        # The static layers form the base map; the lägesbild groups are swapped into the drawn map
        # on a filter change (st_folium's dynamic feature groups), so the map is not reloaded.
        st_folium(
            base_map(data, lang=lang, tiles=tiles, show_layers=shown, layer_control=False, heatmap=heatmap),
            key="karta",
            feature_group_to_add=lagesbild_layers(frame, indicator, lang, heatmap=heatmap),
            layer_control=folium.LayerControl(collapsed=True),
            center=center,
            zoom=16 if center else None,
            returned_objects=[],
            height=620,
            use_container_width=True,
        )

    notes = [t("suppressed_note", lang, k_minus=settings.min_count - 1)]
    if frame.attrs.get("kommun_level_incidents"):
        notes.append(
            t("kommun_level_note", lang, n=format_number(frame.attrs["kommun_level_incidents"], lang))
        )
    st.caption(" ".join(notes))

    rows = [
        {
            t("layer", lang): get_spec(name).label(lang),
            t("count", lang): len(layer),
            t("actions", lang): ", ".join(map(str, get_spec(name).actions)),
        }
        for name, layer in data.layers.items()
    ]
    st.subheader(t("layers_shown", lang))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for name in data.hidden_layers:
        st.caption(t("layer_not_public", lang, layer=get_spec(name).label(lang)))


main()
