"""Trygghetskartan – the Streamlit entry point: ``streamlit run app.py``.

It sets up the page, the language toggle and the navigation; each page in
``pages/`` reads widgets, calls ``geo`` and ``layers``, and renders.
"""

import streamlit as st

from geo.i18n import t
from geo.ui import language_toggle, login_box

st.set_page_config(page_title="Trygghetskartan", page_icon="🗺️", layout="wide")
lang = language_toggle()
login_box(lang)
navigation = st.navigation(
    [
        st.Page("pages/map.py", title=t("map", lang), icon="🗺️", default=True, url_path="karta"),
        st.Page("pages/lagesbild.py", title=t("lagesbild", lang), icon="📊", url_path="lagesbild"),
        st.Page("pages/export.py", title=t("export", lang), icon="📦", url_path="export"),
        st.Page("pages/worklists.py", title=t("worklists", lang), icon="🛠️", url_path="arbetslistor"),
        st.Page("pages/actions.py", title=t("action_register", lang), icon="📋", url_path="atgarder"),
    ]
)
navigation.run()
