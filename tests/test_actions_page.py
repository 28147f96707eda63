"""The Åtgärdsregister page in Streamlit's AppTest, on a tiny GeoPackage store."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point
from streamlit.testing.v1 import AppTest

from geo.actions.register import current_year, followup_history
from geo.app.auth import User
from geo.store import GeoPackageStore

PAGE = Path(__file__).resolve().parent.parent / "app_pages" / "actions.py"
TIMEOUT = 60

# Counted by hand from the program text: actions whose Huvudansvarig includes TEN.
TEN_ACTIONS = [7, 9, 11, 12, 21, 27, 28, 36, 37, 38]


@pytest.fixture
def store(tmp_path, monkeypatch) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "tiny.gpkg")
    cameras = gpd.GeoDataFrame(
        {
            "id": ["c1", "c2"],
            "status": ["active", "planned"],
            "direction_deg": [90.0, 180.0],
            "angle_deg": [60.0, 60.0],
            "range_m": [30.0, 40.0],
        },
        geometry=[Point(660000, 6590000), Point(660100, 6590100)],
        crs="EPSG:3006",
    )
    s.write("cameras", cameras, source="test")
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(s.path))
    return s


@pytest.fixture
def app(store) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["user"] = User("anna", "Anna Andersson", "staff")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def register(at: AppTest):
    """The register table (the first dataframe on the page)."""
    return at.dataframe[0].value


def submit(at: AppTest, nr: int, status: str, comment: str) -> None:
    at.selectbox(key="actions_form_nr").set_value(nr)
    at.selectbox(key="actions_form_status").set_value(status)
    at.text_area(key="actions_form_comment").input(comment)
    at.button(key="actions_form_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


class TestActionsPage:
    def test_77_rows_by_default(self, app):
        table = register(app)
        assert len(table) == 77
        assert table["Nr"].tolist() == list(range(1, 78))
        assert set(table["Status"]) == {"Ej påbörjad"}
        assert table.set_index("Nr").loc[6, "Aktuell siffra"] == "Kameror: 2"
        assert app.title[0].value == "Åtgärdsregister"
        assert app.number_input(key="actions_year").value == current_year()

    def test_filter_by_ten(self, app):
        app.selectbox(key="actions_body").select("TEN").run()
        table = register(app)
        assert table["Nr"].tolist() == TEN_ACTIONS
        assert len(table) == 10

    def test_filter_by_section_and_status(self, app):
        app.selectbox(key="actions_section").select("5.5").run()
        assert register(app)["Nr"].tolist() == [26, 27, 28]
        app.selectbox(key="actions_status").select("done").run()
        assert register(app).empty

    def test_form_changes_status_and_history_keeps_both(self, app, store):
        year = current_year()
        submit(app, 7, "ongoing", "Sanering påbörjad")
        assert [s.value for s in app.success] == [f"Åtgärd 7 ({year}): status Pågår sparad."]
        assert register(app).set_index("Nr").loc[7, "Status"] == "Pågår"

        submit(app, 7, "done", "Allt sanerat inom 72 h")
        row = register(app).set_index("Nr").loc[7]
        assert (row["Status"], row["Kommentar"], row["Ändrad av"]) == (
            "Genomförd", "Allt sanerat inom 72 h", "Anna Andersson",
        )

        history = followup_history(store, nr=7, year=year)
        assert history["status"].tolist() == ["ongoing", "done"]
        assert history["comment"].tolist() == ["Sanering påbörjad", "Allt sanerat inom 72 h"]
        assert history["changed_at"].is_monotonic_increasing

        shown = app.dataframe[1].value  # the history, newest first
        assert shown["Status"].tolist() == ["Genomförd", "Pågår"]

    def test_form_offers_the_filtered_actions(self, app, store):
        app.selectbox(key="actions_body").select("TEN").run()
        options = app.selectbox(key="actions_form_nr").options  # formatted: "7. Borttagande …"
        assert [int(o.split(".")[0]) for o in options] == TEN_ACTIONS
        submit(app, 28, "continuous", "Ses över varje vår")
        assert register(app).set_index("Nr").loc[28, "Status"] == "Löpande"
        app.selectbox(key="actions_body").select("KON").run()
        submit(app, 65, "not_applicable", "")
        assert followup_history(store)["nr"].tolist() == [28, 65]

    def test_the_public_gets_no_form_and_writes_nothing(self, store):
        at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert not [b for b in at.button if b.key == "actions_form_save"]
        assert not [s for s in at.selectbox if s.key == "actions_form_nr"]
        assert "Den här åtgärden kräver inloggning som personal." in [c.value for c in at.caption]
        assert followup_history(store).empty
        assert len(register(at)) == 77  # the register itself is public

    def test_counts_and_downloads(self, app):
        metrics = {m.label: m.value for m in app.metric}
        assert metrics["Ej påbörjad"] == "77"
        labels = [b.label for b in app.get("download_button")]
        assert labels == ["Ladda ner Excel", "Ladda ner CSV", "Ladda ner HTML", "Ladda ner PDF"]

    def test_english_headings(self, store):
        at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
        at.session_state["lang"] = "en"
        at.run()
        assert not at.exception
        table = register(at)
        assert table.columns.tolist() == ["No.", "Section", "Action", "Responsible", "Status",
                                          "Current figure", "Comment", "Evidence", "Changed",
                                          "Changed by"]
        assert set(table["Status"]) == {"Not started"}
        assert table.set_index("No.").loc[6, "Current figure"] == "Cameras: 2"
        assert at.title[0].value == "Action register"
