"""Trygghetskartan – the Streamlit entry point: ``streamlit run app.py``.

It sets up the page, the language toggle, the login and the navigation; each
page in ``app_pages/`` reads widgets, calls ``geo`` and ``layers``, and renders.
Pages that only staff may use are listed once a staff user has logged in.
"""

import streamlit as st

from geo.app.ui import language_toggle, login_box
from geo.i18n import t

st.set_page_config(page_title="Trygghetskartan", page_icon="🗺️", layout="wide")
lang = language_toggle()
audience = login_box(lang)
pages = [
    st.Page("app_pages/map.py", title=t("map", lang), icon="🗺️", default=True, url_path="karta"),
    st.Page("app_pages/lagesbild.py", title=t("lagesbild", lang), icon="📊", url_path="lagesbild"),
    st.Page("app_pages/export.py", title=t("export", lang), icon="📦", url_path="export"),
    st.Page("app_pages/actions.py", title=t("action_register", lang), icon="📋", url_path="atgarder"),
    st.Page("app_pages/report_place.py", title=t("report_page", lang), icon="📍", url_path="tipsa"),
]
if audience != "public":
    pages += [
        st.Page("app_pages/import_data.py", title=t("import_data", lang), icon="📥", url_path="importera"),
        st.Page("app_pages/worklists.py", title=t("worklists", lang), icon="🛠️", url_path="arbetslistor"),
        st.Page("app_pages/walks.py", title=t("walks_page", lang), icon="🚶", url_path="trygghetsvandringar"),
        st.Page("app_pages/moderation.py", title=t("moderation_page", lang), icon="✅", url_path="granska"),
    ]
st.navigation(pages).run()
