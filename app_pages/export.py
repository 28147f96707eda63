"""Export: layers and the lägesbild as files, and a printable map for meetings.

Every download passes the same privacy gate as the command line; the app's
public view exports for the public audience.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import settings
from geo.analysis.lagesbild import INDICATORS
from geo.app.ui import (
    audit,
    cached_lagesbild,
    current_audience,
    current_language,
    filter_sidebar,
    prepared_store,
    store_location,
)
from geo.errors import PrivacyError
from geo.i18n import format_date, format_number, t
from geo.outputs.downloads import DOWNLOAD_FORMATS, MIME_TYPES, lagesbild_bytes, layer_bytes
from geo.outputs.maps.base import collect_map_data, indicator_label
from geo.outputs.printmap import render_print_map
from geo.privacy import may_see_layer
from geo.store import open_store
from layers import get_spec

LAGESBILD = "__lagesbild__"


@st.cache_data(show_spinner=False, max_entries=16)
def _print_map(
    location: str, state_token: str, params, indicator: str, title: str, lang: str, fmt: str
) -> bytes:
    del state_token
    store = open_store(location)
    frame = cached_lagesbild(location, params, lang)
    layers = collect_map_data(store, params.audience).layers
    shown = {k: v for k, v in layers.items() if k in ("cameras", "flood_risk", "guard_areas")}
    return render_print_map(
        title=title,
        choropleth=frame,
        column=indicator,
        layers=shown,
        lang=lang,
        fmt=fmt,
        sources=[
            t(
                "source_note",
                lang,
                path=store.location,
                date=format_date(pd.Timestamp.now(tz=settings.timezone), lang),
            )
        ],
    )


def main() -> None:
    lang = current_language()
    audience = current_audience()
    st.title(t("export", lang))
    location = store_location()
    store = open_store(location)
    if not store.list_layers():
        st.warning(t("store_missing", lang, path=location))
        return
    prep = prepared_store(location)
    params = filter_sidebar(prep, lang, audience=audience)

    st.subheader(t("export_files", lang))
    choices = [LAGESBILD, *[n for n in store.list_layers() if may_see_layer(get_spec(n), audience)]]
    what = st.selectbox(
        t("layer", lang),
        choices,
        key="x_what",
        format_func=lambda n: t("lagesbild", lang) if n == LAGESBILD else get_spec(n).label(lang),
    )
    col_a, col_b = st.columns(2)
    fmt = col_a.selectbox(t("file_format", lang), list(DOWNLOAD_FORMATS), key="x_format")
    crs = col_b.selectbox(t("crs", lang), settings.export_crs_choices, key="x_crs")
    suffix = DOWNLOAD_FORMATS[fmt]
    try:
        if what == LAGESBILD:
            data = lagesbild_bytes(cached_lagesbild(location, params, lang), fmt, crs=crs, lang=lang)
            name = "lagesbild"
        else:
            data, written, withheld = layer_bytes(store, what, fmt, crs=crs, audience=audience)
            name = what
            st.caption(
                t("export_done", lang, n=format_number(written, lang), path=f"{name}{suffix}", crs=crs)
            )
            if withheld:
                st.caption(t("export_withheld", lang, n=format_number(withheld, lang)))
    except PrivacyError as exc:
        st.error(str(exc))
    else:
        st.download_button(
            t("download", lang),
            data,
            file_name=f"{name}{suffix}",
            mime=MIME_TYPES[suffix],
            key="x_download",
            on_click=audit,
            args=("export", f"{name}{suffix} {crs}"),
        )

    st.subheader(t("print_map", lang))
    indicator = st.selectbox(
        t("indicator", lang),
        [i.column for i in INDICATORS if i.column != "gi_class"],
        key="x_indicator",
        format_func=lambda c: indicator_label(c, lang),
    )
    title = st.text_input(t("print_title", lang), value=t("print_default_title", lang), key="x_title")
    token = store.state_token()
    if st.button(t("make_print_map", lang), key="x_make_print"):
        with st.spinner(t("making_print_map", lang)):
            st.session_state["print_map"] = {
                fmt_: _print_map(location, token, params, indicator, title, lang, fmt_)
                for fmt_ in ("png", "pdf")
            }
    made = st.session_state.get("print_map")
    if made:
        col_png, col_pdf = st.columns(2)
        col_png.download_button("PNG", made["png"], file_name="karta.png", mime="image/png", key="x_png")
        col_pdf.download_button(
            "PDF", made["pdf"], file_name="karta.pdf", mime="application/pdf", key="x_pdf"
        )
        st.image(made["png"], caption=title)


main()
