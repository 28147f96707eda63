"""The import pipeline: columns, ids, values, CRS, placement, validation, all-or-nothing writes."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from bad_inputs.make_corpus import INCIDENT_HEADER, INSIDE_3006, INSIDE_WGS84, incident_line, make_store
from pyproj import Transformer

from geo.errors import CRSError, ImportArgumentError, ImportValidationError, ValidationError
from geo.i18n import TEXTS
from geo.io import importer
from geo.io.import_formats import SOURCE_READERS
from geo.io.importer import ROW_CONVENTIONS, ImportReport, Note, import_file
from geo.outputs.export import write_frame
from geo.store import GeoPackageStore

TZ = "Europe/Stockholm"
LON, LAT = INSIDE_WGS84


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def notes_of(report: ImportReport) -> list[str]:
    return [str(n) for n in report.notes]


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    return make_store(tmp_path / "store.gpkg")


@pytest.fixture
def empty_store(tmp_path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "empty.gpkg")


class TestIds:
    def test_file_ids_are_kept_as_text(self, store, tmp_path):
        frame = gpd.GeoDataFrame(
            {"id": [7, 8], "status": ["working", "broken"]},
            geometry=[shapely.Point(*INSIDE_3006)] * 2,
            crs="EPSG:3006",
        )
        path = tmp_path / "lampor.gpkg"
        pyogrio.write_dataframe(frame, path)
        import_file(store, "lighting", path)
        assert sorted(store.read("lighting")["id"]) == ["7", "8"]

    def test_derived_ids_are_stable_per_file_name(self, empty_store, tmp_path):
        path = write_csv(
            tmp_path / "lampor.csv", "lat;lon;status", f"{LAT};{LON};working", f"{LAT};{LON};broken"
        )
        first = import_file(empty_store, "lighting", path, dry_run=True)
        second = import_file(empty_store, "lighting", path, dry_run=True)
        ids = first.preview["id"].tolist()
        assert ids == second.preview["id"].tolist()
        assert ids[0].endswith("-2")
        assert ids[1].endswith("-3")
        assert ids[0].split("-")[0] == ids[1].split("-")[0]
        assert any("ids were made from the file name and row" in n for n in notes_of(first))
        # importing the same file again is caught as duplicates
        import_file(empty_store, "lighting", path)
        with pytest.raises(ValidationError, match=r"already exists in the store"):
            import_file(empty_store, "lighting", path)


class TestColumns:
    def test_synonyms_and_labels(self, store, tmp_path):
        path = write_csv(
            tmp_path / "h.csv",
            "ID;Lat;Lon;Tidpunkt;Kategori;Källa;Lägesnoggrannhet;Beskrivning",
            f"k1;{LAT};{LON};2025-05-01 14:30;Stöld;test;Exakt plats;text",
        )
        report = import_file(store, "incidents", path, dry_run=True)
        assert report.problems == []
        row = report.preview.iloc[0]
        assert (row["id"], row["category"], row["location_precision"]) == ("k1", "stold", "exact")
        notes = notes_of(report)
        assert "Column Tidpunkt read as occurred_at." in notes
        assert "Column Kategori read as category." in notes
        assert any(
            "values of category given as labels were read as codes (Stöld → stold)" in n for n in notes
        )

    def test_user_mapping_replaces_a_column_of_the_same_name(self, store, tmp_path):
        path = write_csv(tmp_path / "h.csv", "id;nr;lat;lon;status", f"a;L-1;{LAT};{LON};working")
        report = import_file(store, "lighting", path, mapping={"nr": "id"}, dry_run=True)
        assert report.preview["id"].tolist() == ["L-1"]

    @pytest.mark.parametrize(
        ("mapping", "match"),
        [
            (
                {"a": "nonsense"},
                r"mapping a=nonsense names no column of 'lighting'; allowed targets: id, lamp_id",
            ),
            ({"a": "status", "b": "status"}, r"mapping gives status more than one source"),
            (
                {"saknas": "status"},
                r"mapping names 'saknas', not a column of the file; columns: id, lat, lon",
            ),
        ],
    )
    def test_bad_mappings(self, store, tmp_path, mapping, match):
        path = write_csv(tmp_path / "h.csv", "id;lat;lon", f"a;{LAT};{LON}")
        with pytest.raises(ImportArgumentError, match=match):
            import_file(store, "lighting", path, mapping=mapping)

    def test_coordinate_roles_only_for_csv(self, store, tmp_path):
        path = tmp_path / "p.geojson"
        pyogrio.write_dataframe(
            gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(LON, LAT)], crs=4326), path
        )
        with pytest.raises(
            ImportArgumentError, match=r"coordinate roles \(lat\) in the mapping apply only to CSV"
        ):
            import_file(store, "lighting", path, mapping={"y": "lat"})

    def test_fill_only_empty_and_known_columns(self, store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;lat;lon;status", f"a;{LAT};{LON};", f"b;{LAT};{LON};broken")
        report = import_file(store, "lighting", path, fill={"status": "working"}, dry_run=True)
        assert report.preview["status"].tolist() == ["working", "broken"]
        assert "status set to working in 1 rows." in notes_of(report)
        with pytest.raises(ImportArgumentError, match=r"fill names 'colour', not a column of 'lighting'"):
            import_file(store, "lighting", path, fill={"colour": "red"})

    def test_shapefile_names_cut_to_ten_characters(self, store, tmp_path):
        frame = gpd.GeoDataFrame(
            {
                "id": ["s1"],
                "occurred_a": ["2025-05-01 14:30"],
                "category": ["stold"],
                "source": ["test"],
                "location_p": ["exact"],
            },
            geometry=[shapely.Point(*INSIDE_3006)],
            crs="EPSG:3006",
        )
        path = tmp_path / "h.shp"
        pyogrio.write_dataframe(frame, path)
        report = import_file(store, "incidents", path)
        assert report.written == 1
        assert "Column occurred_a read as occurred_at." in notes_of(report)


class TestValues:
    def test_numbers_with_decimal_comma_and_booleans(self, store, tmp_path):
        lat, lon = str(LAT).replace(".", ","), str(LON).replace(".", ",")
        path = write_csv(
            tmp_path / "k.csv",
            "id;lat;lon;status;direction_deg;angle_deg;range_m",
            f"c1;{lat};{lon};active;90,5;60;30",
        )
        report = import_file(store, "cameras", path)
        assert report.written == 1
        assert store.read("cameras")["direction_deg"].tolist() == [90.5]

    def test_booleans(self, store, tmp_path):
        path = write_csv(
            tmp_path / "g.csv",
            "id;lat;lon;reported_at;object_kind;offensive",
            f"g1;{LAT};{LON};2025-05-01 10:00;school;ja",
            f"g2;{LAT};{LON};2025-05-01 10:00;Förskola;Nej",
            f"g3;{LAT};{LON};2025-05-01 10:00;other;kanske",
        )
        report = import_file(store, "graffiti", path, dry_run=True)
        assert [str(p) for p in report.problems] == ["row 4, offensive: 'kanske' is not true/false"]
        assert report.preview["offensive"].tolist()[:2] == [True, False]
        assert report.preview["object_kind"].tolist()[1] == "preschool"

    def test_unreadable_number_is_reported_once(self, store, tmp_path):
        path = write_csv(
            tmp_path / "k.csv",
            "id;lat;lon;status;direction_deg;angle_deg;range_m",
            f"c1;{LAT};{LON};active;norr;60;30",
        )
        report = import_file(store, "cameras", path, dry_run=True)
        assert [str(p) for p in report.problems] == ["row 2, direction_deg: 'norr' is not a number"]


class TestCrs:
    def test_reprojected_from_3011(self, empty_store, tmp_path):
        x, y = Transformer.from_crs(3006, 3011, always_xy=True).transform(*INSIDE_3006)
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "status": ["working"]}, geometry=[shapely.Point(x, y)], crs=3011
        )
        path = tmp_path / "sweref1800.gpkg"
        pyogrio.write_dataframe(frame, path)
        report = import_file(empty_store, "lighting", path)
        assert "Reprojected from EPSG:3011 to EPSG:3006." in notes_of(report)
        stored = empty_store.read("lighting").geometry.iloc[0]
        assert stored.distance(shapely.Point(*INSIDE_3006)) < 0.01

    def test_lat_lon_columns_with_a_projected_crs(self, store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;lat;lon;status", f"a;{LAT};{LON};working")
        with pytest.raises(
            CRSError, match=r"the columns lon/lat hold degrees \(WGS 84\), but crs='EPSG:3006'"
        ):
            import_file(store, "lighting", path, crs="EPSG:3006")

    def test_lat_lon_columns_with_another_geographic_crs(self, store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;lat;lon;status", f"a;{LAT};{LON};working")
        report = import_file(store, "lighting", path, crs="EPSG:4619", dry_run=True)
        assert report.problems == []
        assert "Reprojected from EPSG:4619 to EPSG:3006." in notes_of(report)

    def test_unknown_crs(self, store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;x;y;status", "a;1;2;working")
        with pytest.raises(CRSError, match=r"crs='EPSG:99999' is not a known CRS"):
            import_file(store, "lighting", path, crs="EPSG:99999")

    def test_projected_csv_with_crs(self, store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;E;N;status", f"a;{INSIDE_3006[0]};{INSIDE_3006[1]};working")
        report = import_file(store, "lighting", path, crs="3006", dry_run=True)
        assert report.problems == []
        assert report.preview.geometry.iloc[0].equals(shapely.Point(*INSIDE_3006))


class TestPlacement:
    def test_polygon_outside_the_kommun(self, store, tmp_path):
        far = shapely.box(18.05, 59.32, 18.06, 59.33)  # Stockholm city
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "code": ["X"], "name": ["Långt bort"], "kind": ["kommundel"]},
            geometry=[far],
            crs=4326,
        )
        path = tmp_path / "omr.geojson"
        pyogrio.write_dataframe(frame, path)
        with pytest.raises(ValidationError, match=r"lies [\d.]+ km outside Järfälla"):
            import_file(store, "areas", path)
        assert import_file(store, "areas", path, allow_outside=True).written == 1

    def test_no_kommun_outline(self, empty_store, tmp_path):
        path = write_csv(tmp_path / "l.csv", "id;lat;lon;status", f"a;{LAT};{LON};working")
        report = import_file(empty_store, "lighting", path, dry_run=True)
        assert any("The store has no kommun outline" in n for n in notes_of(report))

    def test_single_part_multipoints(self, store, tmp_path):
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "status": ["working"]}, geometry=[shapely.MultiPoint([INSIDE_3006])], crs=3006
        )
        path = tmp_path / "mp.gpkg"
        pyogrio.write_dataframe(frame, path)
        report = import_file(store, "lighting", path, dry_run=True)
        assert report.problems == []
        assert report.preview.geometry.iloc[0].geom_type == "Point"
        assert "1 single-part multipoints read as points." in notes_of(report)

    def test_county_centroid_is_not_held_against_the_kommun(self, store, tmp_path):
        county = (18.138438, 59.602496)
        path = write_csv(
            tmp_path / "h.csv",
            INCIDENT_HEADER.replace("exact", ""),
            f"a;{county[1]};{county[0]};2025-05-01 10:00;stold;test;county;",
            f"b;{county[1]};{county[0]};2025-05-01 10:00;stold;test;kommun;",
        )
        report = import_file(store, "incidents", path, dry_run=True)
        assert [(p.row, p.field) for p in report.problems] == [(3, "geometry")]
        assert "the point is a kommun centroid: the event is in another kommun" in report.problems[0].message


class TestOutcome:
    def test_dry_run_report_and_summary(self, store, tmp_path):
        path = write_csv(
            tmp_path / "h.csv", INCIDENT_HEADER, incident_line("a"), incident_line("b", category="x")
        )
        before = file_hash(store.path)
        report = import_file(store, "incidents", path, dry_run=True)
        assert file_hash(store.path) == before
        assert (report.rows_read, report.rows_ok, report.written, report.ok) == (2, 1, 0, False)
        assert report.row_convention == "csv"
        sv = report.summary("sv")
        assert sv[0] == "1 problem i h.csv; 1 av 2 rader utan problem. Inget skrevs."
        assert sv[1].startswith("Rad = radnumret i filen, rubrikraden är rad 1")
        assert any(line.startswith("Obs: ") for line in sv)
        assert (
            report.summary("en")[0]
            == "1 problem(s) in h.csv; 1 of 2 rows without problems. Nothing was written."
        )
        table = report.problem_table()
        assert table.to_dict("records") == [{"row": 3, "field": "category", "message": table["message"][0]}]

    def test_write_logs_the_file_and_notes(self, store, tmp_path):
        path = write_csv(tmp_path / "h.csv", INCIDENT_HEADER, incident_line("a"))
        report = import_file(store, "incidents", path)
        assert (
            report.summary("sv")[0] == "Importerade 1 rader till Händelser (incidents) från h.csv (append)."
        )
        log = store.import_log()
        assert log["source"].iloc[-1] == "h.csv"
        assert "Read as CSV with coordinates" in log["note"].iloc[-1]

    def test_replace(self, store, tmp_path):
        path = write_csv(tmp_path / "h.csv", INCIDENT_HEADER, incident_line("inc-1"), incident_line("new"))
        with pytest.raises(ValidationError, match=r"id 'inc-1' already exists in the store"):
            import_file(store, "incidents", path)
        import_file(store, "incidents", path, mode="replace")
        assert sorted(store.read("incidents")["id"]) == ["inc-1", "new"]

    def test_every_problem_at_once_with_the_row_convention(self, store, tmp_path):
        lines = [incident_line(f"r{i}", category="nope") for i in range(8)]
        path = write_csv(tmp_path / "m.csv", INCIDENT_HEADER, *lines)
        with pytest.raises(ImportValidationError) as info:
            import_file(store, "incidents", path)
        error = info.value
        assert [p.row for p in error.problems] == list(range(2, 10))
        assert str(error).startswith(
            "m.csv: 8 problem(s) (row = line number in the file; the header is row 1"
        )
        assert "(and 3 more)" in str(error)
        assert error.row_convention == "csv"

    def test_preview_is_bounded(self, store, tmp_path, monkeypatch):
        monkeypatch.setattr(importer, "PREVIEW_ROWS", 3)
        path = write_csv(tmp_path / "h.csv", INCIDENT_HEADER, *(incident_line(f"p{i}") for i in range(5)))
        report = import_file(store, "incidents", path, dry_run=True)
        assert len(report.preview) == 3
        assert report.rows_read == 5

    def test_mode_is_checked(self, store, tmp_path):
        path = write_csv(tmp_path / "h.csv", INCIDENT_HEADER, incident_line("a"))
        with pytest.raises(
            ImportArgumentError, match=r"mode='merge' is not allowed; allowed: append, replace"
        ):
            import_file(store, "incidents", path, mode="merge")

    def test_progress_ends_at_one(self, store, tmp_path):
        path = write_csv(tmp_path / "h.csv", INCIDENT_HEADER, incident_line("a"))
        seen = []
        import_file(store, "incidents", path, progress=lambda f, text: seen.append((f, text)))
        fractions = [f for f, _ in seen]
        assert fractions == sorted(fractions)
        assert fractions[-1] == 1.0
        assert seen[-1][1] == "h.csv: 1 rows imported"

    def test_export_round_trip(self, store, tmp_path):
        path = write_csv(
            tmp_path / "h.csv",
            INCIDENT_HEADER,
            incident_line("a", description="Ett, två"),
            incident_line("b", at="2025-06-01T08:00:00+02:00"),
        )
        import_file(store, "incidents", path)
        original = store.read("incidents").set_index("id").loc[["a", "b"]]
        out = write_frame(original.reset_index(), tmp_path / "export.csv")
        fresh = make_store(tmp_path / "fresh.gpkg")
        report = import_file(fresh, "incidents", out, crs="EPSG:3006")
        assert report.written == 2
        again = fresh.read("incidents").set_index("id").loc[["a", "b"]]
        pd.testing.assert_series_equal(again["occurred_at"], original["occurred_at"])
        assert again["description"].tolist() == original["description"].tolist()
        assert again.geometry.geom_equals_exact(original.geometry, tolerance=0.01).all()


class TestNotes:
    def test_every_note_renders_in_both_languages(self):
        import string

        notes = {key.removeprefix("import_notes."): texts for key, texts in TEXTS.items()
                 if key.startswith("import_notes.")}
        assert {"encoding", "chunks", "blank_lines", "coordinates"} <= set(notes)
        for code, texts in notes.items():
            names = {f for text in texts for _, f, _, _ in string.Formatter().parse(text) if f}
            note = Note(code, dict.fromkeys(names, 3))
            assert note.text("sv")
            assert note.text("en") == str(note)

    def test_row_conventions_cover_every_reader(self):
        assert set(ROW_CONVENTIONS) == set(SOURCE_READERS) | {"vector"}
        assert {key for key in TEXTS if key.startswith("import_rows.")} == {
            f"import_rows.{convention}" for convention in ROW_CONVENTIONS}

    def test_numbers_are_swedish_in_swedish(self):
        assert Note("blank_lines", {"n": 12000}).text("sv") == "12\xa0000 tomma rader hoppades över."
