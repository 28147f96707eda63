"""The bad-input corpus: every case refused (or flagged) with its message; the store unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest
import shapely
from bad_inputs.make_corpus import CASES, LARGE_ROWS, Case, make_store, write_all

from geo.errors import CRSError, SourceError, ValidationError
from geo.io.csv import points as csv_points
from geo.io.importer import import_file
from geo.store import GeoPackageStore

ERRORS = {"validation": ValidationError, "source": SourceError, "crs": CRSError}


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with the demo kommun outline and one incident, built once."""
    path = tmp_path_factory.mktemp("corpus") / "template.gpkg"
    make_store(path)
    return path


@pytest.fixture
def store(template, tmp_path) -> GeoPackageStore:
    path = tmp_path / "store.gpkg"
    shutil.copy2(template, path)
    return GeoPackageStore(path)


def messages(report_or_error) -> list[str]:
    return [str(p) for p in report_or_error.problems]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case(case: Case, store, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_points, "CSV_CHUNK_ROWS", 5_000)
    path = case.write(tmp_path)
    before = file_hash(store.path)
    if case.error is None:
        report = import_file(store, case.layer, path, dry_run=True, **case.options)
        notes = [str(n) for n in report.notes]
        assert any(re.search(case.expect, n) for n in notes), notes
        assert report.problems == []
    else:
        with pytest.raises(ERRORS[case.error]) as info:
            import_file(store, case.layer, path, **case.options)
        error = info.value
        assert path.name in str(error)
        if case.error == "validation":
            hits = [p for p in error.problems if re.search(case.expect, p.message)]
            assert hits, messages(error)
            assert any(p.row == case.row and p.field == case.field for p in hits), messages(error)
        else:
            assert re.search(case.expect, str(error)), str(error)
    assert file_hash(store.path) == before


def test_corpus_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


def test_every_required_kind_is_in_the_corpus():
    required = {
        "self_intersecting", "empty_geometry", "wrong_geometry_type", "missing_crs_shapefile",
        "outside_sweden",
        "swapped_lat_lon_fixed", "swapped_undecidable", "missing_required_field", "unknown_category",
        "unparseable_date", "dst_ambiguous", "duplicate_id_in_file", "duplicate_id_in_store", "empty_file",
        "zero_rows", "non_utf8_csv", "zip_without_shp", "html_in_text", "large_file", "empty_required_value",
    }
    assert required <= {c.name for c in CASES}


def test_write_all_writes_every_file(tmp_path):
    paths = write_all(tmp_path)
    assert len(paths) == len(CASES)
    assert all(p.exists() for p in paths)


class TestCorpusFollowUps:
    """What the flagged cases do when the user takes the offered way out."""

    def test_make_valid_repairs_the_bowtie(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "self_intersecting")
        report = import_file(store, "areas", case.write(tmp_path), make_valid=True)
        assert report.written == 2
        assert any("repaired with make_valid (rows 2)" in str(n) for n in report.notes)
        areas = store.read("areas")
        assert areas.geometry.is_valid.all()
        assert areas.set_index("id").loc["a2"].geometry.geom_type == "MultiPolygon"

    def test_non_utf8_csv_names_its_encoding(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "non_utf8_csv")
        path = case.write(tmp_path)
        assert path.read_bytes().count("ö".encode("cp1252")) == 1  # really cp1252, not UTF-8
        before = file_hash(store.path)
        report = import_file(store, "incidents", path, dry_run=True)
        encoding = [n for n in report.notes if n.code == "encoding"]
        assert [n.params["encoding"] for n in encoding] == ["cp1252"]
        assert encoding[0].text("en") == "Read as cp1252, not UTF-8 (common in Swedish Excel exports)."
        assert encoding[0].text("sv") == (
            "Teckenkodningen är cp1252, inte UTF-8 (vanligt i svenska Excel-exporter)."
        )
        # the text was decoded with it: the category is quoted as written, not as mojibake
        assert [(p.row, p.field) for p in report.problems] == [(2, "category")]
        assert report.problems[0].message.startswith("'Skadegörelse på skolgård' is not allowed")
        assert file_hash(store.path) == before

    def test_utf8_csv_has_no_encoding_note(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "unknown_category")
        report = import_file(store, "incidents", case.write(tmp_path), dry_run=True)
        assert [n for n in report.notes if n.code == "encoding"] == []

    def test_every_empty_required_value_is_reported(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "empty_required_value")
        path = case.write(tmp_path)
        before = file_hash(store.path)
        with pytest.raises(ValidationError) as info:
            import_file(store, "incidents", path)
        assert [(p.row, p.field, p.message) for p in info.value.problems] == [
            (3, "category", "required value is empty"),
            (4, "occurred_at", "required value is empty"),
        ]
        assert file_hash(store.path) == before
        assert store.count("incidents") == 1

    def test_html_is_stored_as_text(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "html_in_text")
        import_file(store, "incidents", case.write(tmp_path))
        stored = store.read("incidents").set_index("id")["description"]
        assert stored["x1"] == "<script>alert('x')</script>"
        assert stored["x2"] == '<img src=x onerror="alert(1)">'

    def test_outside_kommun_imported_when_allowed(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "outside_kommun")
        report = import_file(store, "incidents", case.write(tmp_path), allow_outside=True)
        assert report.written == 1
        assert any("outside Järfälla / Sweden are imported as asked" in str(n) for n in report.notes)

    def test_missing_crs_given_with_crs(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "missing_crs_shapefile")
        report = import_file(store, "incidents", case.write(tmp_path), crs="EPSG:3006")
        assert report.written == 1
        stored = store.read("incidents").set_index("id").loc["g0"].geometry
        assert stored.equals(shapely.Point(660870, 6590630))

    def test_undecidable_rows_without_kommun_help_are_decided_by_e_n_names(self, store, tmp_path):
        case = next(c for c in CASES if c.name == "swapped_undecidable")
        path = case.write(tmp_path)
        report = import_file(store, "incidents", path, crs="EPSG:3152", mapping={"x": "e", "y": "n"},
                             dry_run=True)
        assert report.problems == []
        point = report.preview.geometry.iloc[0]
        assert point.distance(shapely.Point(660870, 6590630)) < 1

    def test_large_file_is_read_in_chunks_with_progress(self, store, tmp_path, monkeypatch):
        monkeypatch.setattr(csv_points, "CSV_CHUNK_ROWS", 5_000)
        case = next(c for c in CASES if c.name == "large_file")
        path = case.write(tmp_path)
        seen: list[float] = []
        report = import_file(store, "incidents", path, dry_run=True, progress=lambda f, _t: seen.append(f))
        assert report.rows_read == LARGE_ROWS
        assert [p.row for p in report.problems] == [LARGE_ROWS + 1]
        assert any("read in 10 chunks of at most 5,000 rows" in str(n) for n in report.notes)
        assert len(seen) >= 10
        assert seen == sorted(seen)
        assert seen[-1] == 1.0
