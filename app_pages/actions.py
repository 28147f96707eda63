"""Åtgärdsregister: the follow-up of the 77 actions, by section, nämnd and status.

The page only reads widgets, calls ``geo.actions`` and renders. Everything
read from the store is cached with the store's ``state_token()`` in the key,
so a change (here or elsewhere) is shown at once.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import settings
from geo.actions import BODIES, load_actions, load_body_names
from geo.actions.figures import live_figures
from geo.actions.law_report import build_law_report
from geo.actions.law_report_files import law_report_bytes
from geo.actions.register import (
    FIRST_YEAR,
    LAST_YEAR,
    STATUSES,
    current_year,
    followup_history,
    layer_counts_figures,
    register_table,
    set_status,
    status_counts,
    status_label,
)
from geo.actions.reports import display_table, register_bytes
from geo.analysis.snapshots import list_snapshots
from geo.app.ui import current_audience, current_language, current_user, store_location
from geo.audiences import may
from geo.errors import TrygghetskartanError
from geo.i18n import t
from geo.store import Store, open_store

DOWNLOADS: tuple[tuple[str, str, str], ...] = (
    ("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "CSV", "text/csv"),
    ("html", "HTML", "text/html"),
    ("pdf", "PDF", "application/pdf"),
)
FLASH_KEY = "actions_flash"
RESET_KEY = "actions_form_reset"
FORM_TEXT_KEYS = ("actions_form_comment", "actions_form_evidence", "actions_form_snapshot")
SNAPSHOT_PREFIX = "snapshot:"


@st.cache_data(show_spinner=False, max_entries=32)
def _load_table(
    location: str,
    state_token: str,
    year: int,
    section: str | None,
    body: str | None,
    status: str | None,
    lang: str,
    audience: str,
) -> pd.DataFrame:
    """The register for the filters, once per store state and audience (both in the cache key)."""
    del state_token  # part of the cache key only
    store = open_store(location)
    if "areas" in store.list_layers():
        figures = live_figures(store, lang=lang, audience=audience)
    else:  # no geography to compute on: the layer counts
        figures = layer_counts_figures(store, lang=lang)
    return register_table(store, year, figures=figures, section=section, body=body, status=status)


@st.cache_data(show_spinner=False, max_entries=32)
def _export(
    location: str,
    state_token: str,
    year: int,
    section: str | None,
    body: str | None,
    status: str | None,
    lang: str,
    audience: str,
    fmt: str,
    today: str,
) -> bytes:
    """One download, once per store state, filters, language, audience and day of the list."""
    table = _load_table(location, state_token, year, section, body, status, lang, audience)
    return register_bytes(table, fmt, year=year, lang=lang, as_of=pd.Timestamp(today))


def _sidebar_filters(lang: str) -> tuple[int, str | None, str | None, str | None]:
    actions = load_actions()
    sections = {a.section: a.section_title for a in actions}
    names = load_body_names()
    bodies = {b: b if names.get(b, b) == b else f"{b} – {names[b]}" for b in BODIES}
    everything = t("actions.all", lang)
    st.sidebar.header(t("actions.filters", lang))
    year = st.sidebar.number_input(
        t("actions.year", lang),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        value=current_year(),
        step=1,
        key="actions_year",
    )
    section = st.sidebar.selectbox(
        t("actions.section", lang),
        [None, *sections],
        key="actions_section",
        format_func=lambda s: everything if s is None else f"{s}. {sections[s]}",
    )
    body = st.sidebar.selectbox(
        t("actions.body", lang),
        [None, *BODIES],
        key="actions_body",
        format_func=lambda b: everything if b is None else bodies[b],
    )
    status = st.sidebar.selectbox(
        t("actions.status", lang),
        [None, *STATUSES],
        key="actions_status",
        format_func=lambda s: everything if s is None else status_label(s, lang),
    )
    return int(year), section, body, status


def _show_counts(table: pd.DataFrame, lang: str) -> None:
    counts = status_counts(table)
    for column, code in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
        column.metric(status_label(code, lang), int(counts[code]))


def _status_form(store: Store, table: pd.DataFrame, year: int, lang: str) -> None:
    user = current_user()
    if user is None or not may(user.audience, "set_action_status"):
        st.caption(t("access_denied", lang, role=t("role_staff", lang)))
        return
    if st.session_state.pop(RESET_KEY, False):
        for key in FORM_TEXT_KEYS:
            st.session_state.pop(key, None)
    texts = {a.nr: a.text for a in load_actions()}
    choices = table["nr"].tolist() or sorted(texts)
    snapshots = list_snapshots(store, audience=user.audience)["name"].tolist()
    with st.form("actions_set_status"):
        st.subheader(t("actions.set_status", lang))
        nr = st.selectbox(
            t("actions.action", lang),
            choices,
            key="actions_form_nr",
            format_func=lambda n: f"{n}. {texts[n][:90]}{'…' if len(texts[n]) > 90 else ''}",
        )
        status = st.selectbox(
            t("actions.status", lang),
            STATUSES,
            key="actions_form_status",
            format_func=lambda s: status_label(s, lang),
        )
        comment = st.text_area(t("actions.comment", lang), key="actions_form_comment")
        evidence = st.text_input(t("actions.evidence", lang), key="actions_form_evidence")
        snapshot = st.selectbox(
            t("actions.evidence_snapshot", lang),
            ["", *snapshots],
            key="actions_form_snapshot",
            format_func=lambda name: name or t("actions.no_snapshot", lang),
        )
        st.caption(t("logged_in_as", lang, name=user.name, role=t(f"role_{user.audience}", lang)))
        submitted = st.form_submit_button(t("actions.save", lang), key="actions_form_save")
    if not submitted:
        return
    parts = [evidence.strip(), f"{SNAPSHOT_PREFIX}{snapshot}" if snapshot else ""]
    try:
        row = set_status(store, nr, year, status, comment=comment,
                         evidence="; ".join(p for p in parts if p), user=user.name)
    except TrygghetskartanError as exc:
        st.error(str(exc))
        return
    st.session_state[FLASH_KEY] = t("actions.status_saved", lang, nr=row["nr"], year=row["year"],
                                    status=status_label(row["status"], lang))
    st.session_state[RESET_KEY] = True
    st.rerun()


def _show_history(store: Store, table: pd.DataFrame, year: int, lang: str) -> None:
    history = followup_history(store, year=year)
    history = history.loc[history["nr"].isin(table["nr"])].iloc[::-1]  # newest first
    with st.expander(f"{t('actions.history', lang)} ({len(history)})"):
        if history.empty:
            st.caption(t("actions.no_history", lang, year=year))
            return
        shown = pd.DataFrame(
            {
                t("actions.col_nr", lang): history["nr"].to_numpy(),
                t("actions.col_status", lang): [status_label(s, lang) for s in history["status"]],
                t("actions.col_comment", lang): history["comment"].to_numpy(),
                t("actions.col_evidence", lang): history["evidence"].to_numpy(),
                t("actions.col_changed_by", lang): history["changed_by"].to_numpy(),
                t("actions.col_changed_at", lang):
                    history["changed_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="actions_history")


def _downloads(
    location: str, token: str, filters: tuple[int, str | None, str | None, str | None], lang: str,
    audience: str,
) -> None:
    year = filters[0]
    today = pd.Timestamp.now(tz=settings.timezone).strftime("%Y-%m-%d")
    st.subheader(t("actions.downloads", lang))
    for column, (fmt, name, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        column.download_button(
            t("actions.download_as", lang, fmt=name),
            data=_export(location, token, *filters, lang, audience, fmt, today),
            file_name=f"atgardsregister_{year}.{fmt}",
            mime=mime,
            key=f"actions_download_{fmt}",
            on_click="ignore",
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _law_report(location: str, state_token: str, snapshot: str, year: int, lang: str, fmt: str,
                audience: str) -> bytes:
    """The law report (2023:196) of a snapshot, once per store state and audience."""
    del state_token  # part of the cache key only
    store = open_store(location)
    report = build_law_report(store, snapshot=snapshot, year=year, lang=lang, audience=audience)
    return law_report_bytes(report, fmt)


def _law_report_downloads(store: Store, location: str, token: str, year: int, lang: str,
                          audience: str) -> None:
    snapshots = list_snapshots(store, audience=audience)["name"].astype(str).tolist()
    if not snapshots:
        return
    st.subheader(t("law_report.download_law_report", lang))
    snapshot = st.selectbox(t("law_report.choose_snapshot", lang), snapshots[::-1],
                            key="actions_law_snapshot")
    for column, fmt in zip(st.columns(2), ("html", "pdf"), strict=True):
        mime = "text/html" if fmt == "html" else "application/pdf"
        column.download_button(
            t("law_report.download_as", lang, fmt=fmt.upper()),
            data=_law_report(location, token, snapshot, year, lang, fmt, audience),
            file_name=f"lagesbild_atgardsplan_{year}.{fmt}",
            mime=mime,
            key=f"actions_law_download_{fmt}",
            on_click="ignore",
        )


def main() -> None:
    lang = current_language()
    st.title(t("actions.register_page", lang))
    st.caption(t("actions.register_subtitle", lang))
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))

    location = store_location()
    try:
        store = open_store(location)
    except TrygghetskartanError as exc:
        st.error(t("actions.store_unavailable", lang, error=exc))
        return
    year, section, body, status = _sidebar_filters(lang)
    token = store.state_token()
    audience = current_audience()
    table = _load_table(location, token, year, section, body, status, lang, audience)

    st.subheader(t("actions.register_title", lang, year=year))
    _show_counts(table, lang)
    st.caption(t("actions.shown_actions", lang, n=len(table), total=len(load_actions())))
    st.dataframe(display_table(table, lang=lang), hide_index=True, width="stretch", key="actions_register")
    st.caption(t("actions.figures_note", lang))

    _status_form(store, table, year, lang)
    _show_history(store, table, year, lang)
    _downloads(location, token, (year, section, body, status), lang, audience)
    try:
        _law_report_downloads(store, location, token, year, lang, audience)
    except TrygghetskartanError as exc:
        st.error(str(exc))


main()
