"""The Arbetslistor page in Streamlit's AppTest, on the demo store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.app.auth import User

PAGE = Path(__file__).resolve().parent.parent / "app_pages" / "worklists.py"
TIMEOUT = 90
DEMO_END = dt.date(2026, 10, 1)
OPEN_GRAFFITI = 20  # geo.demo: 20 reports still open at the end of the demo period


@pytest.fixture(scope="module")
def app(demo_path) -> AppTest:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRYGGHETSKARTAN_STORE", str(demo_path))
        at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
        at.session_state["user"] = User("anna", "Anna", "staff")
        at.session_state["worklists_date"] = DEMO_END
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        yield at


def metrics(tab) -> dict[str, str]:
    return {m.label: m.value for m in tab.metric}


class TestWorklistsPage:
    def test_title_and_a_tab_per_kind(self, app):
        assert app.title[0].value == "Arbetslistor"
        assert [tab.label for tab in app.tabs] == ["Belysning", "Klotter", "Kameror", "Översvämning"]

    def test_each_tab_shows_tables(self, app):
        assert len(app.tabs) == 4
        for tab in app.tabs:
            assert len(tab.dataframe) >= 2, tab.label
            assert not tab.dataframe[0].value.empty, tab.label
            assert tab.dataframe[0].value.columns[0] == "Rang"

    def test_graffiti_queue_shows_the_open_reports(self, app):
        graffiti = app.tabs[1]
        assert metrics(graffiti)["Öppna klotteranmälningar"] == str(OPEN_GRAFFITI)
        assert len(graffiti.dataframe[0].value) == OPEN_GRAFFITI
        assert any(label.startswith("Inom 72 h, 2026-09") for label in metrics(graffiti))

    def test_planted_answers_on_the_page(self, app):
        candidates = app.tabs[2].dataframe[0].value
        assert "6627506588500" in candidates["Ruta/område"].tolist()
        assert "6607506590500" not in candidates["Ruta/område"].tolist()
        flood = app.tabs[3].dataframe[1].value  # the 200-year flow comes after the 100-year rain
        assert flood.iloc[0]["Id"] == "fac-001"

    def test_the_date_can_change(self, app):
        assert app.date_input(key="worklists_date").value == DEMO_END
        assert not app.warning

    def test_downloads(self, app):
        labels = [b.label for b in app.get("download_button")]
        assert labels.count("Ladda ner Excel") == 4
        assert labels.count("Ladda ner CSV") >= 4


def test_public_visitor_is_asked_to_log_in(demo_path, monkeypatch):
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(demo_path))
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "Logga in" in at.info[0].value
    assert len(at.dataframe) == 0
