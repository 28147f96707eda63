"""Open311 GeoReport v2 requests and Polisen events, read on their own and through the importer."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import shapely
from bad_inputs.make_corpus import INSIDE_WGS84, make_store

from geo.errors import ImportArgumentError, Open311Error, SourceError, ValidationError
from geo.io.importer import import_file
from geo.io.open311 import DEFAULT_SERVICE_LAYERS, read_open311, service_layer
from geo.io.polisen import EVENT_TYPE_CATEGORIES, category_for, read_polisen
from layers import get_spec

TZ = "Europe/Stockholm"
LON, LAT = INSIDE_WGS84


def request(ident, service, *, status="open", lat=LAT, lon=LON, key="long", **extra):
    return {"service_request_id": ident, "status": status, "service_code": f"code-{service}",
            "service_name": service, "requested_datetime": "2025-05-01T10:00:00+02:00",
            "updated_datetime": "2025-05-02T09:00:00+02:00", "address": "Storgatan 1",
            "description": "Klotter på muren", "lat": lat, key: lon, **extra}


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path):
    return make_store(tmp_path / "store.gpkg")


class TestOpen311:
    def test_graffiti_and_lighting_are_split(self, tmp_path):
        path = write_json(tmp_path / "requests.json", [
            request("1", "Graffiti Removal"), request("2", "Street Light Out", status="closed"),
            request("3", "Pothole in Street"),
        ])
        graffiti = read_open311(path, "graffiti")
        assert graffiti.frame["id"].tolist() == ["open311-1"]
        assert graffiti.frame["description"].tolist() == ["Klotter på muren – Storgatan 1"]
        assert graffiti.rows.tolist() == [1]
        assert graffiti.defaults == {"object_kind": "other"}
        assert graffiti.skipped == {"Street Light Out": 1, "Pothole in Street": 1}
        lighting = read_open311(path, "lighting")
        row = lighting.frame.iloc[0]
        assert (row["id"], row["status"], row["fault_fixed_at"]) == (
            "open311-2", "working", "2025-05-02T09:00:00+02:00")
        assert lighting.rows.tolist() == [2]

    def test_user_mapping_wins_by_code_or_name(self):
        assert service_layer("4fd3bd72e750846c530000cd", "Building Violation",
                             {"4fd3bd72e750846c530000cd": "graffiti"}) == "graffiti"
        assert service_layer("x", "Street Light Out", {"street light out": "skip"}) is None
        assert service_layer("x", "Klotter", {}) == "graffiti"
        assert service_layer("x", "Unknown", {}) is None

    def test_lon_key_and_problems(self, tmp_path):
        path = write_json(tmp_path / "r.json", [
            request("1", "Graffiti", key="lon"),
            request("2", "Graffiti", lat=None),
            request("3", "Graffiti", lat="north", status="pending"),
            request("", "Graffiti"),
            "not an object",
        ])
        read = read_open311(path, "graffiti")
        assert read.frame.geometry.iloc[0].equals(shapely.Point(LON, LAT))
        assert [str(p) for p in read.problems] == [
            "row 2, lat: coordinate is empty",
            "row 3, lat: 'north' is not a number",
            "row 3, status: 'pending' is not a GeoReport v2 status; allowed: open, closed",
            "row 4, service_request_id: required value is empty",
            "row 5, request: expected an object, got str",
        ]

    def test_wrapped_list(self, tmp_path):
        path = write_json(tmp_path / "r.json", {"service_requests": [request("1", "Graffiti")]})
        assert len(read_open311(path, "graffiti").frame) == 1

    @pytest.mark.parametrize(
        ("layer", "codes", "match"),
        [
            ("incidents", None, r"Open311 requests go to graffiti, lighting; got layer='incidents'"),
            ("graffiti", {"x": "cameras"}, r"service_codes maps 'x' to 'cameras'; allowed: graffiti"),
        ],
    )
    def test_argument_errors(self, tmp_path, layer, codes, match):
        path = write_json(tmp_path / "r.json", [])
        with pytest.raises(Open311Error, match=match):
            read_open311(path, layer, service_codes=codes)

    def test_not_a_list(self, tmp_path):
        path = write_json(tmp_path / "r.json", {"error": "rate limited"})
        with pytest.raises(SourceError, match=r"not a GeoReport v2 request list: expected a JSON list"):
            read_open311(path, "graffiti")

    def test_defaults_table_points_at_open311_layers(self):
        assert set(DEFAULT_SERVICE_LAYERS.values()) == {"graffiti", "lighting"}

    def test_imported_through_the_pipeline(self, store, tmp_path):
        path = write_json(tmp_path / "requests.json", [
            request("1", "Graffiti", status="closed"), request("2", "Graffiti"),
            request("3", "Street Light Out"),
        ])
        report = import_file(store, "graffiti", path)
        assert report.written == 2
        stored = store.read("graffiti").set_index("id")
        assert stored.loc["open311-1", "removed_at"] == pd.Timestamp("2025-05-02 09:00", tz=TZ)
        assert pd.isna(stored.loc["open311-2", "removed_at"])
        assert set(stored["object_kind"]) == {"other"}
        notes = [str(n) for n in report.notes]
        assert any("object_kind is not in the format and was set to other" in n for n in notes)
        assert any("1 of 3 requests are for other services or layers" in n for n in notes)

    def test_set_object_kind(self, store, tmp_path):
        path = write_json(tmp_path / "requests.json", [request("1", "Graffiti")])
        import_file(store, "graffiti", path, fill={"object_kind": "school"})
        assert store.read("graffiti")["object_kind"].tolist() == ["school"]

    def test_no_request_for_the_layer(self, store, tmp_path):
        path = write_json(tmp_path / "requests.json", [request("1", "Pothole")])
        with pytest.raises(ValidationError, match=r"none of the 1 requests is for this layer; map their"):
            import_file(store, "lighting", path)

    def test_open311_only_to_its_layers(self, store, tmp_path):
        path = write_json(tmp_path / "requests.json", [request("1", "Graffiti")])
        with pytest.raises(Open311Error, match="got layer='incidents'"):
            import_file(store, "incidents", path)


def police_event(ident, event_type, *, name=None, when="2025-05-01 7:55:04 +02:00", gps=f"{LAT},{LON}",
                 place="Järfälla"):
    return {"id": ident, "datetime": when, "type": event_type,
            "name": name or f"01 maj 01:15, {event_type}, {place}", "summary": "Polisen larmades.",
            "url": "/x", "location": {"name": place, "gps": gps}}


class TestPolisen:
    @pytest.mark.parametrize(
        ("event_type", "category", "known"),
        [
            ("Misshandel", "misshandel", True),
            ("Misshandel, grov", "misshandel", True),
            ("Rån, försök", "ran", True),
            ("Rån väpnat", "ran", True),
            ("Stöld/inbrott", "inbrott", True),
            ("Skadegörelse", "skadegorelse", True),
            ("Brand", "brand", True),
            ("Narkotikabrott", "narkotika", True),
            ("Rattfylleri", "trafik", True),
            ("Trafikolycka, personskada", "ovrigt", True),
            ("Olaga hot", "hot", True),
            ("Bråk", "ordningsstorning", True),
            ("Motorfordon, stöld", "fordonsbrott", True),
            ("Helt ny händelsetyp", "ovrigt", False),
            ("Skadegörelse, ny variant", "skadegorelse", True),
            (None, "ovrigt", False),
        ],
    )
    def test_category_table(self, event_type, category, known):
        assert category_for(event_type) == (category, known)

    def test_table_gives_only_open_incident_categories(self):
        choices = {c.code: c for c in get_spec("incidents").column("category").choices}
        assert set(EVENT_TYPE_CATEGORIES.values()) <= set(choices)
        assert not any(choices[c].protected for c in EVENT_TYPE_CATEGORIES.values())

    def test_api_json(self, tmp_path):
        path = write_json(tmp_path / "events.json", [
            police_event(1, "Brand"),
            police_event(2, "Okänd typ", place="Stockholms län", gps="59.602496,18.138438"),
            police_event(3, "Stöld", name="Sammanfattning natt", when="2025-05-01 9:00:00 +02:00"),
            police_event(4, "Stöld", name="31 december 23:50, Stöld, Järfälla",
                         when="2026-01-01 0:30:00 +01:00"),
            police_event(5, "Stöld", name="29 mars 02:30, Stöld, Järfälla",
                         when="2026-03-29 9:00:00 +02:00"),
        ])
        read = read_polisen(path)
        frame = read.frame
        assert frame["id"].tolist() == ["polisen-1", "polisen-2", "polisen-3", "polisen-4", "polisen-5"]
        assert frame["category"].tolist() == ["brand", "ovrigt", "stold", "stold", "stold"]
        assert frame["location_precision"].tolist() == ["kommun", "county", "kommun", "kommun", "kommun"]
        assert frame["occurred_at"].tolist() == [
            pd.Timestamp("2025-05-01 01:15", tz=TZ),  # from the title
            pd.Timestamp("2025-05-01 01:15", tz=TZ),
            pd.Timestamp("2025-05-01 09:00", tz=TZ),  # no time in the title: publication time
            pd.Timestamp("2025-12-31 23:50", tz=TZ),  # the year before publication
            pd.Timestamp("2026-03-29 09:00", tz=TZ),  # 02:30 that night does not exist: publication
        ]
        assert read.time_from_title == 3
        assert read.title_time_dst == [(5, "nonexistent")]
        assert read.unknown_types == {"Okänd typ": 1}
        assert frame.geometry.iloc[1].equals(shapely.Point(18.138438, 59.602496))
        assert read.problems == []

    def test_title_times_in_a_dst_change_are_reported(self, store, tmp_path):
        path = write_json(tmp_path / "events.json", [
            police_event(1, "Stöld", name="29 mars 02:30, Stöld, Järfälla", when="2026-03-29 9:00:00 +02:00"),
            police_event(2, "Stöld", name="25 oktober 02:30, Stöld, Järfälla",
                         when="2026-10-25 8:00:00 +01:00"),
            police_event(3, "Stöld", name="25 oktober 03:30, Stöld, Järfälla",
                         when="2026-10-25 8:00:00 +01:00"),
        ])
        report = import_file(store, "incidents", path, format="polisen", dry_run=True)
        assert report.problems == []
        assert ("2 events have a time in their title that does not exist or occurs twice when summer time "
                "begins or ends (rows 1, 2); their publication time was used, not a guess.") in [
                    str(n) for n in report.notes]
        assert report.preview["occurred_at"].tolist() == [
            pd.Timestamp("2026-03-29 09:00", tz=TZ),  # the spring gap: publication time
            pd.Timestamp("2026-10-25 08:00", tz=TZ),  # the repeated hour: publication time
            pd.Timestamp("2026-10-25 03:30", tz=TZ),  # after the change: the title's time
        ]

    def test_unreadable_publication_time(self, tmp_path):
        path = write_json(tmp_path / "events.json", [police_event(1, "Brand", when="igår")])
        problems = [str(p) for p in read_polisen(path).problems]
        assert problems == ["row 1, datetime: 'igår' is not a date and time"]

    def test_through_the_pipeline_with_precision(self, store, tmp_path):
        path = write_json(tmp_path / "events.json", [
            police_event(1, "Brand"),
            police_event(2, "Brand", place="Stockholms län", gps="59.602496,18.138438"),
        ])
        report = import_file(store, "incidents", path, format="polisen")
        assert report.written == 2
        stored = store.read("incidents").set_index("id")
        assert stored.loc["polisen-2", "location_precision"] == "county"
        notes = [str(n) for n in report.notes]
        assert any("1 events are located only to the kommun and 1 only to the county" in n for n in notes)

    def test_police_only_into_incidents(self, store, tmp_path):
        path = write_json(tmp_path / "events.json", [police_event(1, "Brand")])
        with pytest.raises(ImportArgumentError, match=r"police events go to the incidents layer"):
            import_file(store, "graffiti", path, format="polisen")
