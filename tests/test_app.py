"""The Streamlit app in AppTest: it starts on the demo store and renders its layers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings

TIMEOUT = 120
APP = str(settings.PROJECT_ROOT / "app.py")


@pytest.fixture
def app(demo_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(demo_path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def test_map_page_renders_the_public_layers(app):
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    shown = dict(zip(table["Lager"], table["Antal"], strict=True))
    assert shown["Belysning"] > 4000
    assert shown["Kameror"] == 28
    assert "Händelser" not in shown  # internal: aggregated only, as cells
    captions = " ".join(c.value for c in app.caption)
    assert "Händelser är internt" in captions
    assert "har bara kommun som läge" in captions


def test_language_toggle_changes_labels(app):
    app.run()
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Trygghetskartan (safety map)"
    table = app.dataframe[0].value
    assert "Lighting" in set(table["Layer"])


def test_missing_store_says_how_to_create_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(tmp_path / "none.gpkg"))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not app.exception
    assert "trygghetskartan demo --store" in app.warning[0].value
