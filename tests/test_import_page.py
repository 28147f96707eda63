"""The import page in Streamlit's AppTest: refusals leave the store as it was; a confirm writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from bad_inputs.make_corpus import INCIDENT_HEADER, INSIDE_3006, incident_line, make_store
from streamlit.testing.v1 import AppTest

from geo.app.auth import User

PAGE = Path(__file__).resolve().parent.parent / "app_pages" / "import_data.py"
TIMEOUT = 60


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([INCIDENT_HEADER, *lines]) + "\n").encode("utf-8")


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = make_store(tmp_path / "store.gpkg")
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(s.path))
    return s


@pytest.fixture
def app(store) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["user"] = User("anna", "Anna", "staff")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(
    at: AppTest, name: str, data: bytes, *, layer: str = "incidents", mime: str = "text/csv"
) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="import_layer").set_value(layer).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def two_layer_gpkg(path: Path) -> bytes:
    """A GeoPackage with the incident layers ``forsta`` (2 rows) and ``andra`` (3 rows), inside the kommun."""
    x, y = INSIDE_3006
    for layer, idents in (("forsta", ["f1", "f2"]), ("andra", ["a1", "a2", "a3"])):
        n = len(idents)
        frame = gpd.GeoDataFrame(
            {"id": idents, "occurred_at": ["2025-05-01T14:30:00+02:00"] * n, "category": ["stold"] * n,
             "source": ["test"] * n, "location_precision": ["exact"] * n},
            geometry=[shapely.Point(x + 10 * i, y + 10 * i) for i in range(n)], crs="EPSG:3006",
        )
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    return path.read_bytes()


def table(at: AppTest, column: str):
    """The shown table that has ``column`` (AppTest finds dataframes by position, not key)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def texts(elements) -> list[str]:
    return [e.value for e in elements]


class TestImportPage:
    def test_starts_with_the_uploader(self, app):
        assert app.title[0].value == "Importera data"
        assert app.info[0].value == "Ladda upp en fil för att börja."
        uploader = app.file_uploader[0]
        assert set(uploader.allowed_type) >= {".csv", ".zip", ".gpkg", ".geojson", ".json"}
        assert ".html" not in uploader.allowed_type
        assert ".exe" not in uploader.allowed_type
        assert uploader.proto.max_upload_size_mb == 200

    def test_bad_upload_lists_every_problem_and_changes_nothing(self, app, store):
        before = file_hash(store.path)
        upload(
            app,
            "fel.csv",
            csv_bytes(incident_line("a", category="bilbrand"), incident_line("inc-1", at="2026-10-25 02:30")),
        )
        assert texts(app.error) == [
            "3 problem hittades. Inget importeras; rätta filen eller valen och ladda upp igen."
        ]
        problems = table(app, "Meddelande")
        assert problems["Rad"].tolist() == [2, 3, 3]
        assert problems["Fält"].tolist() == ["category", "occurred_at", "id"]
        assert app.button(key="import_confirm").disabled
        assert file_hash(store.path) == before

    def test_unreadable_upload(self, app, store):
        before = file_hash(store.path)
        upload(app, "tom.csv", b"")
        assert texts(app.error) == ["Filen kunde inte läsas eller importeras:"]
        assert "tom.csv is empty (0 bytes)" in app.code[0].value
        assert file_hash(store.path) == before

    def test_good_upload_and_confirm_adds_rows(self, app, store):
        upload(app, "bra.csv", csv_bytes(incident_line("n1"), incident_line("n2", description="<b>fet</b>")))
        assert texts(app.success) == ["Filen kan importeras: 2 rader."]
        preview = table(app, "id")
        assert preview["id"].tolist() == ["n1", "n2"]
        assert preview["description"].tolist()[1] == "<b>fet</b>"  # shown as text, not HTML
        notes = table(app, "Notering")["Notering"].tolist()
        assert (
            "1 textvärden innehåller HTML eller skript; de lagras som vanlig text och visas escapade."
            in notes
        )
        assert store.count("incidents") == 1
        app.button(key="import_confirm").click().run()
        assert not app.exception, [e.value for e in app.exception]
        assert store.count("incidents") == 3
        assert texts(app.success)[0] == "Importerade 2 rader till Händelser från bra.csv."
        assert texts(app.info) == ["Ladda upp en fil för att börja."]  # the uploader starts empty again
        assert not any("<b>" in m.value for m in app.markdown)

    def test_options_reach_the_import(self, app, store):
        before = file_hash(store.path)
        upload(app, "stockholm.csv", csv_bytes(incident_line("s1", lat=59.3293, lon=18.0686)))
        assert "outside Järfälla" in table(app, "Meddelande")["Meddelande"][0]
        app.checkbox(key="import_allow_outside").check().run()
        assert texts(app.success) == ["Filen kan importeras: 1 rader."]
        assert file_hash(store.path) == before

    def test_several_layers_ask_which_and_use_the_chosen_one(self, app, store, tmp_path):
        data = two_layer_gpkg(tmp_path / "tva_lager.gpkg")
        upload(app, "tva_lager.gpkg", data, mime="application/geopackage+sqlite3")
        choice = app.selectbox(key="import_source_layer")
        assert list(choice.options) == ["forsta", "andra"]
        assert choice.value == "forsta"
        assert texts(app.success) == ["Filen kan importeras: 2 rader."]
        assert table(app, "id")["id"].tolist() == ["f1", "f2"]
        choice.set_value("andra").run()
        assert not app.exception, [e.value for e in app.exception]
        assert texts(app.success) == ["Filen kan importeras: 3 rader."]
        preview = table(app, "id")
        assert preview["id"].tolist() == ["a1", "a2", "a3"]
        assert preview["x"].tolist() == [INSIDE_3006[0], INSIDE_3006[0] + 10, INSIDE_3006[0] + 20]
        before = file_hash(store.path)
        app.button(key="import_confirm").click().run()
        assert not app.exception, [e.value for e in app.exception]
        assert file_hash(store.path) != before
        stored = store.read("incidents")
        assert sorted(stored["id"]) == ["a1", "a2", "a3", "inc-1"]
        assert texts(app.success)[0] == "Importerade 3 rader till Händelser från tva_lager.gpkg."

    def test_one_layer_file_does_not_ask(self, app, tmp_path):
        path = tmp_path / "ett.gpkg"
        frame = gpd.GeoDataFrame(
            {"id": ["e1"], "occurred_at": [pd.Timestamp("2025-05-01 14:30", tz="Europe/Stockholm")],
             "category": ["stold"], "source": ["test"], "location_precision": ["exact"]},
            geometry=[shapely.Point(*INSIDE_3006)], crs="EPSG:3006",
        )
        pyogrio.write_dataframe(frame, path, layer="bara", driver="GPKG")
        upload(app, "ett.gpkg", path.read_bytes(), mime="application/geopackage+sqlite3")
        assert texts(app.success) == ["Filen kan importeras: 1 rader."]
        assert not [s for s in app.selectbox if s.key == "import_source_layer"]

    def test_bad_mapping_line(self, app):
        upload(app, "bra.csv", csv_bytes(incident_line("n1")))
        app.text_area(key="import_mapping").input("utan likhetstecken").run()
        assert texts(app.error) == ["Raden 'utan likhetstecken' saknar '='."]

    def test_english(self, app):
        app.session_state["lang"] = "en"
        app.run()
        upload(app, "fel.csv", csv_bytes(incident_line("a", category="bilbrand")))
        assert app.title[0].value == "Import data"
        assert texts(app.error)[0].startswith("1 problem(s) found. Nothing is imported")


def test_public_visitor_cannot_import(store):
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "Logga in" in at.info[0].value
    assert len(at.get("file_uploader")) == 0
