"""Streamlit glue shared by the pages: session state, the store, caching, filters.

Only the pages import this module. It holds no analysis: widgets are read
here into :class:`geo.analysis.params.LagesbildParams`, and the results come from
``geo.analysis.prepared`` and ``geo.analysis.lagesbild``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import os
import time
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from geo import settings
from geo.analysis.composite import DEFAULT_WEIGHTS, FACTORS
from geo.analysis.filters import WEEKDAY_CODES
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import Prepared, prepare
from geo.analysis.units import UNIT_KINDS
from geo.app.auth import User
from geo.audiences import DEFAULT_AUDIENCE
from geo.audit import log_access, log_event
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, number_marks, t
from geo.privacy import compute_lagesbild
from geo.store import GeoPackageStore, open_store
from layers import get_spec


def init_state() -> None:
    """Set up ``st.session_state`` once per session: the language."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in LANGUAGES else "sv"


def language_toggle() -> str:
    """Draw the language choice in the sidebar and return the chosen code.

    Returns
    -------
    str
        ``"sv"`` or ``"en"``.
    """
    init_state()
    return st.sidebar.radio(
        "Språk / Language",
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=lambda code: LANGUAGE_NAMES[code],
        on_change=_resend_widget_values,
    )


def _resend_widget_values() -> None:
    """After a language change, send every widget's value back to the browser in the new labels.

    Select boxes and multiselects report the *label* of what is chosen; once
    the labels are translated, the browser would report labels the server no
    longer knows, and a choice (the map's layers, the weekdays) would be lost.
    Setting a value from Python makes Streamlit send it with the new labels.
    Widgets whose value cannot be set (buttons, uploads) are left alone.
    """
    from streamlit.errors import StreamlitAPIException

    state = st.session_state
    for key in list(state.keys()):
        value = state[key]
        settable = isinstance(value, str | int | float | list | tuple) and not isinstance(value, bool)
        if key == "lang" or not settable:
            continue
        with contextlib.suppress(StreamlitAPIException):
            state[key] = value


def current_language() -> str:
    """Return the session's language (``"sv"`` until the user changes it).

    Returns
    -------
    str
        ``"sv"`` or ``"en"``.
    """
    init_state()
    return st.session_state["lang"]


def store_location() -> str:
    """Return the store the app opens: ``TRYGGHETSKARTAN_STORE`` or the demo store.

    Returns
    -------
    str
        A ``.gpkg`` path or a ``postgresql://`` URL.
    """
    return os.environ.get("TRYGGHETSKARTAN_STORE", str(settings.store_path))


@st.cache_resource(max_entries=2, show_spinner=False)
def _prepared(location: str, state_token: str, in_db: bool) -> Prepared:
    """Read and precompute the store once per store state (shared, read-only)."""
    del state_token  # the cache key: a changed store is read again
    store = open_store(location, must_exist=True)
    prep = prepare(store, incidents_in_db=in_db and not isinstance(store, GeoPackageStore))
    # The prepared store (a million objects for 100k incidents) lives as long as the store does:
    # out of the garbage collector's full passes, which would otherwise pause reruns for 0.2 s.
    # Frozen objects are still freed when nothing refers to them any more.
    gc.freeze()
    return prep


def prepared_store(location: str, state_token: str | None = None) -> Prepared:
    """Return the prepared layers of the store, read again only when the store changed.

    Parameters
    ----------
    location : str
        The store.
    state_token : str, optional
        The store's state token if the page has it already (saves opening
        the store again).

    Returns
    -------
    Prepared
        Shared by every session; treated as read-only.
    """
    token = state_token or open_store(location).state_token()
    return _prepared(location, token, settings.app_incidents_in_db)


@st.cache_data(max_entries=64, show_spinner=False)
def _lagesbild(location: str, state_token: str, in_db: bool, params: LagesbildParams,
               lang: str) -> gpd.GeoDataFrame:
    return compute_lagesbild(_prepared(location, state_token, in_db), params, lang=lang)


def cached_lagesbild(location: str, params: LagesbildParams, lang: str,
                     state_token: str | None = None) -> gpd.GeoDataFrame:
    """Compute (or fetch) the lägesbild for the store's current state and the parameters.

    The cache key holds the store's state token, the parameters (audience
    included) and the language, so moving a slider back is instant and a
    changed store is never served from an old result.

    Parameters
    ----------
    location : str
        The store.
    params : LagesbildParams
        The filters.
    lang : {"sv", "en"}
        Language of the drivers text.
    state_token : str, optional
        The store's state token if the page has it already.

    Returns
    -------
    geopandas.GeoDataFrame
        The lägesbild.
    """
    token = state_token or open_store(location).state_token()
    return _lagesbild(location, token, settings.app_incidents_in_db, params, lang)


@st.cache_data(max_entries=8, show_spinner=False)
def _data_period(location: str, state_token: str, _prep: Prepared) -> tuple[dt.date, dt.date]:
    del location, state_token  # the cache key
    return data_period(_prep)


def data_period(prep: Prepared) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the incidents (today's year if there are none).

    Parameters
    ----------
    prep : Prepared
        The loaded store.

    Returns
    -------
    tuple of datetime.date
        First and last day.
    """
    times = prep.frame("incidents")["occurred_at"].dropna()
    if times.empty:
        today = pd.Timestamp.now(tz=settings.timezone).date()
        return today - dt.timedelta(days=365), today
    return times.min().date(), times.max().date()


def filter_sidebar(prep: Prepared, lang: str, *, audience: str) -> LagesbildParams:
    """Draw the lägesbild filters in the sidebar and return the chosen parameters.

    Parameters
    ----------
    prep : Prepared
        The loaded store (for the period's bounds).
    lang : {"sv", "en"}
        The language.
    audience : str
        The viewer's audience.

    Returns
    -------
    LagesbildParams
        Checked parameters.
    """
    first, last = _data_period(prep.location, prep.token, prep)
    default_start = max(first, last - dt.timedelta(days=364))
    side = st.sidebar
    side.subheader(t("filters", lang))
    unit = side.selectbox(
        t("unit_kind", lang),
        list(UNIT_KINDS),
        key="f_unit",
        format_func=lambda u: t(f"unit_kinds.{u}", lang),
    )
    period = side.date_input(
        t("period", lang),
        value=(default_start, last),
        min_value=first,
        max_value=last,
        key="f_period",
        format="YYYY-MM-DD",
    )
    start, end = period if isinstance(period, tuple) and len(period) == 2 else (default_start, last)
    limit_hours = side.checkbox(t("limit_hours", lang), key="f_limit_hours")
    hours = None
    if limit_hours:
        col_a, col_b = side.columns(2)
        h_from = col_a.selectbox(t("from_hour", lang), list(range(24)), index=22, key="f_h_from")
        h_to = col_b.selectbox(t("to_hour", lang), list(range(25)), index=5, key="f_h_to")
        hours = f"{h_from}-{h_to}" if h_from != h_to else None
    days = side.multiselect(
        t("weekdays", lang), list(range(7)), key="f_weekdays",
        format_func=lambda d: t(f"weekday.{WEEKDAY_CODES[d]}", lang),
    )
    column = get_spec("incidents").column("category")
    open_choices = [c for c in column.choices if not c.protected or audience == "protected"]
    cats = side.multiselect(
        t("categories", lang),
        [c.code for c in open_choices],
        key="f_categories",
        format_func=lambda code: next(
            c.label(lang) for c in open_choices if c.code == code
        ),
    )
    with side.expander(t("weights", lang)):
        weights = {
            factor: st.slider(
                t(f"factor.{factor}", lang),
                0.0,
                1.0,
                float(DEFAULT_WEIGHTS.get(factor, 0.0)),
                0.05,
                key=f"w_{factor}",
            )
            for factor in FACTORS
        }
    if sum(weights.values()) <= 0:
        weights = dict(DEFAULT_WEIGHTS)
    return LagesbildParams.from_text(
        unit=unit,
        date_from=pd.Timestamp(start).strftime("%Y-%m-%d"),
        date_to=pd.Timestamp(end).strftime("%Y-%m-%d"),
        hours=hours,
        weekdays=",".join(WEEKDAY_CODES[d] for d in sorted(days)) or None,
        categories=list(cats) or None,
        weights=weights,
        audience=audience,
    )


def table_style(table: pd.DataFrame, lang: str, *, counts: Sequence[str] = ()) -> Styler:
    """Style a table for ``st.dataframe``: numbers the language's way, counts without decimals.

    The numbers stay numbers, so a click on a heading still sorts them.
    Missing values are shown by ``st.dataframe(..., placeholder="–")``
    (Streamlit draws empty cells itself). The styling costs about 15 µs a
    cell: keep tables to a few hundred rows.

    Parameters
    ----------
    table : pandas.DataFrame
        The table.
    lang : {"sv", "en"}
        Swedish uses a decimal comma and a no-break space between thousands.
    counts : sequence of str, optional
        Columns of whole numbers (shown without decimals even when stored
        as floats because some values are missing).

    Returns
    -------
    pandas.io.formats.style.Styler
        Pass it to ``st.dataframe``.
    """
    marks = number_marks(lang)
    styler = table.style.format(precision=1, **marks)
    counts = [c for c in counts if c in table.columns]
    return styler.format(precision=0, subset=counts, **marks) if counts else styler


def current_user() -> User | None:
    """Return the session's logged-in user, or None for the public.

    Returns
    -------
    User or None
        The user.
    """
    return st.session_state.get("user")


def current_audience() -> str:
    """Return the session's audience: ``public`` until a user logs in.

    Returns
    -------
    str
        ``public``, ``staff`` or ``protected``.
    """
    user = current_user()
    return user.audience if user is not None else DEFAULT_AUDIENCE


def client_address() -> str | None:
    """Return the client's address as Streamlit sees it (None in tests and when unknown).

    Returns
    -------
    str or None
        The address.
    """
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return None
    return address if isinstance(address, str) and address else None


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures a login through the identity provider.

    Returns
    -------
    bool
        True if it has an ``[auth]`` section (with ``[auth.NAME]`` when
        ``settings.oidc_provider`` names one) for ``st.login``.
    """
    try:
        auth = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all
        return False
    if not auth or "redirect_uri" not in auth:
        return False
    return not settings.oidc_provider or settings.oidc_provider in auth


def _password_login_shown(oidc: bool) -> bool:
    if settings.password_login is not None:
        return settings.password_login
    return not oidc or Path(settings.users_path).exists()


def _oidc_claims() -> dict | None:
    """Return the claims of the identity provider's login (``st.user``), or None."""
    info = st.user.to_dict() if hasattr(st.user, "to_dict") else dict(st.user)
    return info if info.get("is_logged_in") else None


#: Sign-ins already logged, so a reload of the page (a new session, same sign-in) logs no second login.
_LOGGED_SIGNINS: dict[tuple[str, str], None] = {}


def _sync_oidc_user(claims: dict | None) -> None:
    """Keep ``session_state["user"]`` in step with ``st.user`` for logins through the identity provider."""
    from geo.app.oidc import user_from_claims

    via_oidc = st.session_state.get("login_via") == "oidc"
    if claims is None:
        if via_oidc:  # logged out elsewhere (another tab, an expired cookie)
            for key in ("user", "last_seen", "login_via"):
                st.session_state.pop(key, None)
        return
    if via_oidc and st.session_state.get("user") is not None:
        return
    user = user_from_claims(claims)
    signin = (str(claims.get("sub", user.username)), str(claims.get("nonce") or claims.get("iat", "")))
    if signin not in _LOGGED_SIGNINS:
        _LOGGED_SIGNINS[signin] = None
        while len(_LOGGED_SIGNINS) > 10_000:
            del _LOGGED_SIGNINS[next(iter(_LOGGED_SIGNINS))]
        log_event("login", who=user.username, audience=user.audience, address=client_address(),
                  what=json.dumps({"via": "oidc", "sub": signin[0]}, ensure_ascii=False))
    st.session_state["user"] = user
    st.session_state["login_via"] = "oidc"
    st.session_state["last_seen"] = time.monotonic()


def login_box(lang: str) -> str:
    """Draw the login, or the logged-in user and a log-out button, in the sidebar.

    Two ways in: the municipality's identity provider (``st.login``, when
    :func:`oidc_configured`; the role comes from :mod:`geo.app.oidc`), and
    the users file's names and passwords (shown as ``settings.password_login``
    says). A session idle for longer than ``settings.idle_timeout_minutes``
    is logged out first. Failed password logins count towards a lock-out of
    the name and of the client's address (:data:`geo.app.guard.GUARD`);
    while either is locked no password is checked. Logins, failed and
    locked ones, and log-outs go to the audit log.

    Parameters
    ----------
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    str
        The session's audience after this run.
    """
    oidc = oidc_configured()
    if oidc:
        _sync_oidc_user(_oidc_claims())
    user = current_user()
    if user is not None and _idle_timed_out():
        _log_out(user, "logout_idle")
        st.session_state["idle_notice"] = True
        user = None
    if user is not None:
        st.session_state["last_seen"] = time.monotonic()
        st.sidebar.caption(t("logged_in_as", lang, name=user.name, role=t(f"role_{user.audience}", lang)))
        if user.audience == DEFAULT_AUDIENCE:
            st.sidebar.info(t("oidc_no_role", lang))
        if st.sidebar.button(t("logout", lang), key="logout") and not _log_out(user, "logout"):
            st.rerun()  # not after st.logout: a rerun would drop its redirect to the identity provider
        return current_audience()
    if st.session_state.pop("idle_notice", False):
        st.sidebar.info(t("logged_out_idle", lang, minutes=f"{settings.idle_timeout_minutes:g}"))
    if oidc and st.sidebar.button(t("login_oidc", lang), key="login_oidc", icon=":material/login:"):
        if settings.oidc_provider:
            st.login(settings.oidc_provider)
        else:
            st.login()
    if _password_login_shown(oidc):
        with st.sidebar.expander(t("login", lang)), st.form("login_form", clear_on_submit=True):
            username = st.text_input(t("username", lang), key="login_user")
            password = st.text_input(t("password", lang), type="password", key="login_password")
            if st.form_submit_button(t("login", lang)):
                _try_login(username, password, lang)
    return current_audience()


def _try_login(username: str, password: str, lang: str) -> None:
    from geo.app.auth import authenticate
    from geo.app.guard import GUARD
    from geo.errors import AuthError

    address = client_address()
    locked = GUARD.locked_for(username, address)
    if locked:
        log_event("login_locked", who=username, address=address)
        st.error(t("login_locked", lang, minutes=max(1, math.ceil(locked / 60))))
        return
    try:
        user = authenticate(username, password)
    except AuthError:
        GUARD.failed(username, address)
        log_event("login_failed", who=username, address=address)
        st.error(t("login_failed", lang))
        return
    GUARD.succeeded(username)
    log_event("login", who=user.username, audience=user.audience, address=address)
    st.session_state["user"] = user
    st.session_state["last_seen"] = time.monotonic()
    st.rerun()


def _idle_timed_out() -> bool:
    last = st.session_state.get("last_seen")
    return last is not None and time.monotonic() - last > settings.idle_timeout_minutes * 60


def _log_out(user: User, action: str) -> bool:
    """Log the log-out and forget the user; a login through the identity provider ends with ``st.logout``.

    Returns True for a login through the identity provider (the browser is then sent to its log-out).
    """
    via_oidc = st.session_state.get("login_via") == "oidc"
    log_event(action, who=user.username, audience=user.audience, address=client_address(),
              what=json.dumps({"via": "oidc"}) if via_oidc else "")
    for key in ("user", "last_seen", "login_via"):
        st.session_state.pop(key, None)
    if via_oidc:
        st.logout()
    return via_oidc


def audit(action: str, what: str) -> None:
    """Log a view or export of protected data by the session's user (no-op otherwise).

    Parameters
    ----------
    action : str
        ``"view"`` or ``"export"``.
    what : str
        What was seen or exported.
    """
    user = current_user()
    log_access(action, who=user.username if user else None, audience=current_audience(), what=what)
