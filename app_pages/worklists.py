"""Arbetslistor: TEN's and the crisis planners' ranked work lists, one tab per kind.

The page only reads widgets, calls ``geo.worklists`` and renders. The lists
are built once per store state, date, language and audience (the store's
``state_token()`` is in the cache key, so a change to the store shows at
once). The lists are for municipal staff: the app has no login yet, so
the page must not be published where the public can reach it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from geo import settings
from geo.app.ui import current_audience, current_language, prepared_store, store_location
from geo.errors import TrygghetskartanError
from geo.i18n import format_date, format_number, t
from geo.store import open_store
from geo.worklists import KINDS, Worklists, build_worklists
from geo.worklists.export import csv_bytes, display_table, xlsx_bytes
from geo.worklists.graffiti_compliance import key_figures
from geo.worklists.texts import list_title

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_NAMES = {"lighting": "belysning", "graffiti": "klotter", "cameras": "kameror", "flood": "oversvamning"}
DATE_KEY = "worklists_date"


def _init_state() -> None:
    """The date of the lists: today, set once per session."""
    if DATE_KEY not in st.session_state:
        st.session_state[DATE_KEY] = pd.Timestamp.now(tz=settings.timezone).date()


@st.cache_data(show_spinner=False, max_entries=16)
def _load_lists(location: str, state_token: str, at_iso: str, lang: str, audience: str) -> dict:
    """Every kind of list for one store state, time, language and audience (kind -> lists or error)."""
    del state_token  # part of the cache key only; prepared_store reads the store once per state
    prep = prepared_store(location)
    out: dict[str, Worklists | str] = {}
    for kind in KINDS:
        try:
            out[kind] = build_worklists(prep, kind, at=at_iso, audience=audience, lang=lang)
        except (TrygghetskartanError, ValueError) as exc:
            out[kind] = str(exc)
    return out


@st.cache_data(show_spinner=False, max_entries=32)
def _xlsx(location: str, state_token: str, at_iso: str, lang: str, audience: str, kind: str) -> bytes:
    """The workbook of one kind, built once per cached set of lists."""
    return xlsx_bytes(_load_lists(location, state_token, at_iso, lang, audience)[kind], lang=lang)


def _reference_time(day: dt.date) -> pd.Timestamp:
    """Today means now (to the hour, so the cache holds); another day means its start."""
    now = pd.Timestamp.now(tz=settings.timezone)
    if day == now.date():
        return now.floor("h")
    return pd.Timestamp(day).tz_localize(settings.timezone)


def _percent(share: float, lang: str) -> str:
    if share is None or not np.isfinite(share):
        return "–"
    return f"{format_number(100 * share, lang, decimals=1)} %"


def _figures(lists: Worklists, lang: str) -> list[tuple[str, str]]:
    if lists.kind == "lighting":
        return [(t("worklists.metric_places", lang), format_number(len(lists["places"]), lang)),
                (t("worklists.metric_faults", lang), format_number(len(lists["faults"]), lang))]
    if lists.kind == "graffiti":
        queue = lists["queue"]
        shares = key_figures(lists["compliance"], at=lists.at)
        return [
            (t("worklists.metric_open_graffiti", lang), format_number(len(queue), lang)),
            (t("worklists.metric_overdue", lang),
             format_number(int(queue["hours_late"].notna().sum()), lang)),
            (t("worklists.metric_share_month", lang, period=shares["month"]["period"]),
             _percent(shares["month"]["share"], lang)),
            (t("worklists.metric_share_quarter", lang, period=shares["quarter"]["period"]),
             _percent(shares["quarter"]["share"], lang)),
        ]
    if lists.kind == "cameras":
        return [(t("worklists.metric_candidates", lang), format_number(len(lists["candidates"]), lang)),
                (t("worklists.metric_permits", lang), format_number(len(lists["permits"]), lang))]
    figures = [
        (t("worklists.metric_exposed", lang,
           scenario=t(f"worklists.scenario_short_{key.removeprefix('facilities_')}", lang)),
         format_number(len(table), lang))
        for key, table in lists.lists.items() if key.startswith("facilities_")
    ]
    exposure = lists["exposure"]
    worst = int(exposure.groupby("scenario")["without_reserve_power"].sum().max()) if len(exposure) else 0
    return [*figures, (t("worklists.metric_critical_no_power", lang), format_number(worst, lang))]


def _show_kind(lists: Worklists | str, kind: str, key: tuple[str, str, str, str, str], lang: str) -> None:
    if isinstance(lists, str):
        st.warning(t("worklists.page_list_failed", lang, error=lists))
        return
    figures = _figures(lists, lang)
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value)
    day = format_date(lists.at, lang)
    st.download_button(
        t("worklists.page_download_xlsx", lang), data=_xlsx(*key, kind),
        file_name=f"arbetslista_{FILE_NAMES[kind]}_{day}.xlsx", mime=XLSX_MIME,
        key=f"worklists_xlsx_{kind}", on_click="ignore",
    )
    for name, table in lists.lists.items():
        st.subheader(list_title(kind, name, lang))
        if table.empty:
            st.caption(t("worklists.empty_list", lang))
        else:
            st.dataframe(display_table(lists, name, lang=lang), hide_index=True, width="stretch",
                         key=f"worklists_table_{kind}_{name}")
        st.download_button(
            t("worklists.page_download_csv", lang), data=csv_bytes(table),
            file_name=f"arbetslista_{FILE_NAMES[kind]}_{name}_{day}.csv", mime="text/csv",
            key=f"worklists_csv_{kind}_{name}", on_click="ignore",
        )


def main() -> None:
    lang = current_language()
    st.title(t("worklists.page_title", lang))
    st.caption(t("worklists.page_caption", lang))
    location = store_location()
    try:
        store = open_store(location, must_exist=True)
        token = store.state_token()
    except TrygghetskartanError as exc:
        st.error(t("worklists.page_store_unavailable", lang, error=exc))
        return
    audience = current_audience()
    if audience == "public":
        st.info(t("login_required", lang))
        return
    _init_state()
    day = st.sidebar.date_input(t("worklists.page_list_date", lang), key=DATE_KEY)
    st.sidebar.caption(t("worklists.page_audience_note", lang))
    at = _reference_time(day)
    key = (location, token, at.isoformat(), lang, audience)
    with st.spinner("…"):
        everything = _load_lists(*key)
    first = next((v for v in everything.values() if isinstance(v, Worklists)), None)
    if first is not None:
        st.caption(t("worklists.page_period", lang, start=format_date(first.start, lang),
                     end=format_date(first.end - pd.Timedelta(1, "ns"), lang)))
    for tab, kind in zip(st.tabs([t(f"worklists.kind_{k}", lang) for k in KINDS]), KINDS, strict=True):
        with tab:
            _show_kind(everything[kind], kind, key, lang)


main()
