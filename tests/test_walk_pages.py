"""AppTest: residents' reports reach the public map only after approval; walks are flagged
when a finding has no decision six months on; the protocol is offered for download."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from shapely import LineString, Point
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.app.auth import User
from geo.outputs.maps.base import collect_map_data, web_frame
from geo.participation.reports import report_queue, reports_table
from geo.participation.walk_decisions import findings_table
from geo.participation.walk_store import get_walk, list_walks, save_walk
from geo.participation.walks import Finding
from geo.store import open_store
from layers import get_spec

TIMEOUT = 120
PAGES = settings.PROJECT_ROOT / "app_pages"
STAFF = User("anna", "Anna Andersson", "staff")
TEXT = "Mörk gångtunnel <script>alert(1)</script>"
# inside the demo kommun, and central Stockholm outside it
INSIDE = (59.42, 17.83)
OUTSIDE = (59.33, 18.07)
ROUTE = LineString([(660100, 6591100), (661100, 6590100)])
# (lat, lon) of E 660 100 N 6 591 100 and E 661 100 N 6 590 100, on the route
ON_ROUTE = [(59.4279309, 17.8223014), (59.41858, 17.8391531)]


@pytest.fixture
def store_path(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_path, path)
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(path))
    return path


def page(name: str, *, staff: bool = False) -> AppTest:
    app = AppTest.from_file(str(PAGES / name), default_timeout=TIMEOUT)
    if staff:
        app.session_state["user"] = STAFF
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def report(app: AppTest, text: str = TEXT, where: tuple[float, float] = INSIDE) -> AppTest:
    app.number_input(key="report_lat").set_value(where[0])
    app.number_input(key="report_lon").set_value(where[1])
    app.selectbox(key="report_reason").set_value("lighting")
    app.text_area(key="report_text").input(text)
    app.button(key="report_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def public_places(path) -> pd.DataFrame:
    """The unsafe places the public map draws (what app_pages/map.py shows the public)."""
    return collect_map_data(open_store(path), "public").layers["unsafe_places"]


def months_ago(months: int) -> dt.date:
    today = pd.Timestamp.now(tz=settings.timezone).normalize().tz_localize(None)
    return (today - pd.DateOffset(months=months) - pd.Timedelta(days=2)).date()


class TestStaffOnly:
    @pytest.mark.parametrize("name", ["moderation.py", "walks.py"])
    def test_the_public_is_asked_to_log_in_and_sees_nothing_else(self, store_path, name):
        submit = page("report_place.py")
        report(submit)
        app = page(name)
        assert [i.value for i in app.info] == ["Sidan är för kommunens personal. Logga in i sidofältet."]
        assert not app.button
        assert not app.dataframe
        assert not app.text


class TestReports:
    def test_a_report_is_not_on_the_public_map_until_staff_approve_it(self, store_path):
        app = report(page("report_place.py"))
        assert [s.value for s in app.success] == [
            "Tack! Rapporten är mottagen och granskas innan den visas på kartan."]
        assert app.text_area(key="report_text").value == ""  # cleared for the next report
        (rid,) = report_queue(open_store(store_path))["report_id"]
        places = public_places(store_path)
        assert rid not in set(places["id"])
        assert TEXT not in set(places["description"])

        moderation = page("moderation.py", staff=True)
        assert TEXT in [t.value for t in moderation.text]  # st.text: shown as text, never as HTML
        assert not [m for m in moderation.markdown if "<script>" in m.value]
        moderation.button(key=f"approve_{rid}").click().run()
        assert not moderation.exception
        assert [s.value for s in moderation.success] == [f"Rapport {rid} godkänd."]
        assert moderation.info[0].value == "Inga rapporter väntar på granskning."

        places = public_places(store_path)
        shown = places[places["id"] == rid]
        assert shown[["reason", "status", "source", "description"]].to_dict("records") == [
            {"reason": "lighting", "status": "approved", "source": "report", "description": TEXT}]
        popup = web_frame(shown, get_spec("unsafe_places"), "sv")["description"].iloc[0]
        assert popup == "Mörk gångtunnel &lt;script&gt;alert(1)&lt;/script&gt;"

    def test_a_rejected_report_never_appears(self, store_path):
        report(page("report_place.py"), text="Rejected text")
        (rid,) = report_queue(open_store(store_path))["report_id"]
        moderation = page("moderation.py", staff=True)
        moderation.button(key=f"reject_{rid}").click().run()
        assert [s.value for s in moderation.success] == [f"Rapport {rid} avvisad."]
        assert not [b for b in moderation.button if b.key == f"approve_{rid}"]
        history = moderation.dataframe[-1].value
        assert history[["Rapport", "Status", "Granskad av"]].values.tolist() == [[rid, "Avvisad", "anna"]]
        assert rid not in set(public_places(store_path)["id"])
        assert reports_table(open_store(store_path))["status"].tolist() == ["rejected"]

    def test_three_reports_then_a_wait_that_a_new_session_does_not_reset(self, store_path):
        app = page("report_place.py")
        for n in range(3):
            report(app, text=f"Rapport {n}")
            assert not app.error
            assert app.text_area(key="report_text").value == ""  # the box is empty again
        report(app, text="Rapport 4")
        assert "Du har skickat 3 rapporter på kort tid. Försök igen om" in app.error[0].value
        fresh = report(page("report_place.py"), text="Rapport 5")  # a reload: a new session
        assert "Du har skickat 3 rapporter på kort tid. Försök igen om" in fresh.error[0].value
        assert len(report_queue(open_store(store_path))) == 3

    def test_everyone_together_is_limited_too(self, store_path, monkeypatch):
        from geo.app import guard
        from geo.participation import reports

        now = pd.Timestamp.now(tz="Europe/Stockholm")
        for n in range(reports.GLOBAL_RATE_LIMIT):
            guard.REPORTS.add(f"192.0.2.{n}", now)
        app = report(page("report_place.py"), text="En till")
        assert app.error[0].value.startswith("Många rapporter kommer in just nu. Försök igen om")
        assert report_queue(open_store(store_path)).empty

    def test_a_place_outside_the_kommun_is_refused(self, store_path):
        app = report(page("report_place.py"), where=OUTSIDE)
        assert app.error[0].value == "Platsen ligger utanför Järfälla kommun. Välj en plats inom kommunen."
        assert report_queue(open_store(store_path)).empty

    def test_personal_data_is_refused(self, store_path):
        app = report(page("report_place.py"), text="Ring mig på 070-123 45 67")
        assert "ett telefonnummer" in app.error[0].value
        assert report_queue(open_store(store_path)).empty


class TestWalks:
    def test_a_finding_without_decision_for_six_months_is_flagged(self, store_path):
        store = open_store(store_path)
        old, recent = months_ago(7), months_ago(5)
        for walk_id, day in (("old", old), ("recent", recent)):
            save_walk(store, walk_id=walk_id, walk_date=day, area=f"Område {walk_id}", route=ROUTE,
                      participants={"residents": 5},
                      findings=[Finding("lighting", 2, Point(660100, 6591100), f"Fynd {walk_id}")])
        app = page("walks.py", staff=True)
        overdue_tab = app.tabs[2]
        assert overdue_tab.warning[0].value == "1 fynd saknar beslut efter 6 månader."
        table = overdue_tab.dataframe[0].value
        assert table["Fynd"].tolist() == ["walk-old-1"]
        assert table["Beskrivning"].tolist() == ["Fynd old"]

        # a decision on the old walk's finding clears the flag
        app.selectbox(key="walk_pick").set_value("old").run()
        app.selectbox(key="walk_dec_finding").set_value("walk-old-1")
        app.selectbox(key="walk_dec_body").set_value("TEN")
        app.text_area(key="walk_dec_text").input("Belysning beställd")
        app.button(key="walk_dec_save").click().run()
        assert not app.exception
        assert [s.value for s in app.success] == ["Beslutet för walk-old-1 sparat."]
        assert app.tabs[2].info[0].value == "Inga försenade fynd."

    def test_register_publish_and_download_a_walk(self, store_path):
        app = page("walks.py", staff=True)
        app.date_input(key="walk_date").set_value(months_ago(1))
        app.text_input(key="walk_area").input("Jakobsberg norra")
        app.number_input(key="walk_role_residents").set_value(12)
        app.number_input(key="walk_role_police").set_value(2)
        app.text_area(key="walk_route_text").input(ROUTE.wkt)
        app.session_state["walk_findings"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
            {"reason": "lighting", "severity": 3, "description": "Släckt lampa", "photo": "IMG_1.jpg",
             "lat": ON_ROUTE[0][0], "lon": ON_ROUTE[0][1]},
            {"reason": "vegetation", "severity": 1, "description": "Buskage",
             "lat": ON_ROUTE[1][0], "lon": ON_ROUTE[1][1]},
        ]}
        app.button(key="walk_save").click().run()
        assert not app.exception
        assert not app.error, [e.value for e in app.error]
        store = open_store(store_path)
        (walk_id,) = list_walks(store)["walk_id"]
        assert [s.value for s in app.success] == [f"Vandringen {walk_id} sparad med 2 fynd."]
        assert findings_table(store)["description"].tolist() == ["Släckt lampa", "Buskage"]
        assert not public_places(store_path)["id"].str.startswith(f"walk-{walk_id}").any()

        app.button(key="walk_publish").click().run()
        assert [s.value for s in app.success] == ["2 fynd publicerade som otrygga platser."]
        published = public_places(store_path)
        assert {f"walk-{walk_id}-1", f"walk-{walk_id}-2"} <= set(published["id"])
        assert app.download_button(key="walk_pdf").label == "Ladda ned protokollet (PDF)"

    def test_problems_are_listed_and_nothing_saved(self, store_path):
        app = page("walks.py", staff=True)
        app.text_area(key="walk_route_text").input("LINESTRING (17.82 59.42, 17.84 59.41)")
        app.button(key="walk_save").click().run()
        assert app.error[0].value == "Vandringen sparades inte:"
        problems = app.tabs[0].text[0].value
        assert "Rutten går inte att läsa" in problems
        assert "Ange område" in problems
        assert list_walks(open_store(store_path)).empty

    def test_a_route_can_be_uploaded_as_geojson(self, store_path):
        app = page("walks.py", staff=True)
        app.text_input(key="walk_area").input("Viksjö")
        app.number_input(key="walk_role_municipality").set_value(3)
        line = {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in ON_ROUTE]}
        data = json.dumps({"type": "Feature", "properties": {}, "geometry": line}).encode()
        app.file_uploader(key="walk_route_file").set_value(("rutt.geojson", data, "application/json"))
        app.button(key="walk_save").click().run()
        assert not app.error, [t.value for t in app.text]
        store = open_store(store_path)
        (walk_id,) = list_walks(store)["walk_id"]
        route = get_walk(store, walk_id).route
        assert route.hausdorff_distance(ROUTE) < 1.0
