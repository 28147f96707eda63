"""Session helpers shared by the Streamlit pages (no analysis here).

Kept in ``geo`` so every page sets up state the same way; it imports
Streamlit lazily, so the rest of the package never needs it.
"""

from __future__ import annotations

import os

from geo import settings
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES


def init_state() -> None:
    """Set up ``st.session_state`` once per session: the language."""
    import streamlit as st

    if "lang" not in st.session_state:
        st.session_state["lang"] = DEFAULT_LANGUAGE


def language_toggle() -> str:
    """Draw the language choice in the sidebar and return the chosen code.

    Returns
    -------
    str
        ``"sv"`` or ``"en"``.
    """
    import streamlit as st

    init_state()
    return st.sidebar.radio(
        "Språk / Language",
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
    )


def current_language() -> str:
    """Return the session's language (``"sv"`` until the user changes it).

    Returns
    -------
    str
        ``"sv"`` or ``"en"``.
    """
    import streamlit as st

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
