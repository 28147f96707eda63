"""AppTest tests of the Lägesbild and Export pages, and the download bytes behind them."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.app.auth import User
from geo.errors import PrivacyError
from geo.outputs.downloads import lagesbild_bytes, layer_bytes
from geo.privacy import build_lagesbild
from geo.store import open_store

TIMEOUT = 180
PAGES = settings.PROJECT_ROOT / "app_pages"


@pytest.fixture
def store_copy(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo_path, path)
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(path))
    return path


def test_lagesbild_page_units_and_snapshot(store_copy):
    app = AppTest.from_file(str(PAGES / "lagesbild.py"), default_timeout=TIMEOUT)
    app.session_state["user"] = User("anna", "Anna Andersson", "staff")  # saving needs a login
    app.run()
    assert not app.exception
    assert app.dataframe[0].value.shape[0] == 500  # the top 500 of the 250 m cells over the kommun
    assert app.dataframe[0].proto.placeholder == "–"  # suppressed or undefined values, not "None"
    caption = next(c.value for c in app.caption if "500 av " in c.value)
    total = int(caption.split("500 av ")[1].split(" enheter")[0].replace("\u00a0", ""))
    assert total == len(prepare(open_store(store_copy)).units_context("grid250").units)
    app.selectbox(key="lb_sort").set_value("incidents").run()
    shown = app.dataframe[0].value["Händelser"]
    assert shown.dropna().is_monotonic_decreasing
    assert shown.iloc[0] == shown.max() > 0
    app.sidebar.selectbox(key="f_unit").set_value("areas").run()
    assert app.dataframe[0].value.shape[0] == 4
    app.text_input(key="snap_name").set_value("Q3 test")
    app.button[0].click().run()
    assert not app.exception
    assert list(open_store(store_copy).list_snapshots()["name"]) == ["Q3 test"]


def test_export_page_offers_only_public_layers(store_copy):
    app = AppTest.from_file(str(PAGES / "export.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    options = app.selectbox(key="x_what").options
    assert "Händelser" not in options
    assert "Verksamheter" not in options
    assert "Belysning" in options
    assert "Lägesbild" in options


def test_lagesbild_xlsx_bytes_carry_documentation(demo_path):
    frame = build_lagesbild(open_store(demo_path), LagesbildParams.from_text(
        date_from="2025-10-01", date_to="2026-09-30", audience="public"))
    book = openpyxl.load_workbook(io.BytesIO(lagesbild_bytes(frame, "Excel", crs="EPSG:3006")))
    assert book.sheetnames == ["lagesbild", "indikatorer", "proveniens", "parametrar"]
    header = [c.value for c in book["lagesbild"][1]]
    assert header[:3] == ["unit_id", "name", "population"]
    assert "incidents" in header


def test_layer_bytes_refuses_internal_layer_for_public(demo_path):
    with pytest.raises(PrivacyError, match="'facilities' is internal"):
        layer_bytes(open_store(demo_path), "facilities", "CSV", crs="EPSG:3006", audience="public")
    data, written, withheld = layer_bytes(open_store(demo_path), "cameras", "GeoJSON", crs="EPSG:4326",
                                          audience="public")
    assert data.startswith(b"{")
    assert written == 28
    assert withheld == 0
