"""CSV with coordinates: encodings, delimiters, decimal comma, columns, chunks, axis order."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from bad_inputs.make_corpus import STORE_INCIDENT_ID, make_store

from geo.demo.planted import OUTLINE
from geo.errors import ImportValidationError, SourceError, ValidationError
from geo.io.csv import dialect as csv_dialect
from geo.io.csv import points as csv_points
from geo.io.csv.axes import SWEDEN_BBOX_WGS84, decide_axis_order, inside, sweden_outline
from geo.io.csv.columns import COORDINATE_COLUMNS, normalise_name
from geo.io.csv.dialect import detect_encoding, sniff_csv, to_numbers
from geo.io.csv.points import read_csv_points
from geo.io.importer import import_file

LAT, LON = 59.423422, 17.835503  # Jakobsberg
E, N = 660870.0, 6590630.0
KOMMUN = shapely.Polygon(OUTLINE)


def write(path, text: str, encoding: str = "utf-8") -> object:
    path.write_bytes(text.encode(encoding))
    return path


class TestEncodingDelimiterDecimal:
    @pytest.mark.parametrize(
        ("encoding", "expected"),
        [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
    )
    # A decimal comma in a comma-separated file must be quoted: see test_quoted_decimal_comma...
    @pytest.mark.parametrize(
        ("delimiter", "decimal_comma"),
        [(d, c) for d in (",", ";", "\t", "|") for c in (False, True) if (d, c) != (",", True)],
    )
    def test_read(self, tmp_path, encoding, expected, delimiter, decimal_comma):
        lat, lon = (f"{LAT}".replace(".", ","), f"{LON}".replace(".", ",")) if decimal_comma else (LAT, LON)
        text = delimiter.join(["id", "namn", "lat", "lon"]) + "\n"
        text += delimiter.join(["a", "Järfälla Åsa", str(lat), str(lon)]) + "\n"
        path = write(tmp_path / "p.csv", text, encoding)
        read = read_csv_points(path)
        assert read.layout.encoding == expected
        assert read.layout.delimiter == delimiter
        assert read.layout.decimal_comma is decimal_comma
        assert read.frame["namn"].tolist() == ["Järfälla Åsa"]
        assert read.x.tolist() == [LON]
        assert read.y.tolist() == [LAT]
        assert read.rows.tolist() == [2]

    def test_quoted_decimal_comma_in_comma_file(self, tmp_path):
        path = write(tmp_path / "q.csv", 'id,lat,lon\na,"59,5","17,8"\n')
        read = read_csv_points(path)
        assert read.layout.delimiter == ","
        assert read.layout.decimal_comma
        assert (read.x[0], read.y[0]) == (17.8, 59.5)

    def test_latin1_when_cp1252_does_not_fit(self, tmp_path):
        path = tmp_path / "l.csv"
        path.write_bytes(b"id;namn;lat;lon\na;x\x81y;59.4;17.8\n")
        assert detect_encoding(path) == "latin-1"

    @pytest.mark.parametrize(("late", "expected"), [
        ("x\x81y".encode("latin-1"), "latin-1"),  # undefined in cp1252, after the UTF-8 check failed
        ("Göteborg".encode("cp1252"), "cp1252"),
    ])
    def test_cp1252_undefined_bytes_anywhere_in_the_one_pass(self, tmp_path, monkeypatch, late, expected):
        """The bytes cp1252 leaves undefined are looked for in every block, before and after UTF-8 fails."""
        monkeypatch.setattr(csv_dialect, "_SCAN_BLOCK", 16)
        path = tmp_path / "blocks.csv"
        head = "id;lat;lon;namn\n" + "a;59.4;17.8;Åsa\n" * 5
        path.write_bytes(head.encode() + b"b;59.4;17.8;" + late + b"\n")
        assert detect_encoding(path) == expected
        # an undefined byte inside valid UTF-8 early on ("ā" is C4 81) counts once the file is not UTF-8
        path.write_bytes("id;namn\na;ā\n".encode() + b"b;" + "Göteborg".encode("cp1252") + b"\n")
        assert detect_encoding(path) == "latin-1"

    def test_nul_bytes_are_refused(self, tmp_path):
        path = write(tmp_path / "u.csv", "lat;lon\n59;17\n", "utf-16-le")
        with pytest.raises(SourceError, match=r"u\.csv is not a text CSV: it holds NUL bytes"):
            detect_encoding(path)

    def test_non_utf8_past_the_sample_is_found(self, tmp_path):
        rows = "".join(f"r{i};59.4;17.8;x\n" for i in range(40_000))
        path = tmp_path / "late.csv"
        path.write_bytes(("id;lat;lon;namn\n" + rows).encode() + "s;59.4;17.8;Göteborg\n".encode("cp1252"))
        assert detect_encoding(path) == "cp1252"
        assert read_csv_points(path).frame["namn"].iloc[-1] == "Göteborg"

    def test_spaces_in_numbers(self, tmp_path):
        path = write(tmp_path / "s.csv", "id;E;N\na;660 870,5;6 590 630\n")
        read = read_csv_points(path)
        assert read.layout.decimal_comma
        assert (read.x[0], read.y[0]) == (660870.5, 6590630.0)


class TestColumns:
    @pytest.mark.parametrize(
        ("x", "y", "axes"),
        [
            ("lon", "lat", "geographic"),
            ("long", "lat", "geographic"),
            ("Longitude", "Latitude", "geographic"),
            ("lng", "lat", "geographic"),
            ("Längdgrad", "Breddgrad", "geographic"),
            ("E", "N", "projected"),
            ("Easting", "Northing", "projected"),
            ("Öst", "Nord", "projected"),
            ("ost", "nord", "projected"),
            ("x", "y", "ambiguous"),
            ("X-koordinat", "Y-koordinat", "ambiguous"),
        ],
    )
    def test_detected(self, tmp_path, x, y, axes):
        path = write(tmp_path / "c.csv", f"id;{y};{x}\na;1;2\n")
        layout = sniff_csv(path)
        assert (layout.x_column, layout.y_column, layout.axes) == (x, y, axes)
        assert layout.explicit_axes is (axes != "ambiguous")

    def test_lat_lon_preferred_unless_crs_is_projected(self, tmp_path):
        path = write(tmp_path / "both.csv", "id,x_coordinate,y_coordinate,latitude,longitude\na,1,2,59,17\n")
        assert sniff_csv(path).x_column == "longitude"
        assert sniff_csv(path, prefer_projected=True).x_column == "x_coordinate"

    def test_wkt_column(self, tmp_path):
        path = write(tmp_path / "w.csv", 'id;wkt\na;POINT (660870 6590630)\nb;POINT (oops)\n')
        read = read_csv_points(path)
        assert read.layout.wkt_column == "wkt"
        assert read.wkt[0].equals(shapely.Point(E, N))
        assert [str(p) for p in read.problems] == ["row 3, wkt: 'POINT (oops)' is not valid WKT"]

    def test_no_coordinates(self, tmp_path):
        path = write(tmp_path / "n.csv", "id;adress;lat\na;Storgatan 1;59\n")
        expected = (r"no coordinate columns found in the header \(id, adress, lat\); found only 'lat'; "
                    r"expected a pair such as lat/lon")
        with pytest.raises(ValidationError, match=expected):
            sniff_csv(path)

    def test_roles_from_the_mapping(self, tmp_path):
        path = write(tmp_path / "r.csv", "id;Östvärde;Nordvärde\na;660870;6590630\n")
        layout = sniff_csv(path, roles={"Östvärde": "e", "Nordvärde": "n"})
        assert (layout.x_column, layout.y_column, layout.axes) == ("Östvärde", "Nordvärde", "projected")

    @pytest.mark.parametrize(
        ("roles", "match"),
        [
            ({"Saknas": "e", "Nordvärde": "n"}, r"names column 'Saknas', which is not in the file"),
            ({"Nordvärde": "n"}, r"map both coordinate columns"),
            ({"Östvärde": "lon", "Nordvärde": "n"}, r"roles do not match: geographic and projected"),
        ],
    )
    def test_bad_roles(self, tmp_path, roles, match):
        path = write(tmp_path / "r.csv", "id;Östvärde;Nordvärde\na;660870;6590630\n")
        with pytest.raises(ValidationError, match=match):
            sniff_csv(path, roles=roles)

    def test_names_are_normalised(self):
        assert normalise_name(' "Öst-Koordinat" ') == "ost_koordinat"
        assert all(name == normalise_name(name) for name in COORDINATE_COLUMNS)


class TestRows:
    def test_rows_are_file_lines_across_chunks_and_blank_lines(self, tmp_path):
        lines = ["id;lat;lon"] + [f"r{i};{LAT};{LON}" for i in range(7)]
        lines.insert(3, "")
        lines.insert(6, ";;")
        path = write(tmp_path / "b.csv", "\n".join(lines) + "\n")
        seen = []
        read = read_csv_points(path, chunk_rows=3, progress=lambda f, text: seen.append(f))
        assert read.frame["id"].tolist() == [f"r{i}" for i in range(7)]
        assert read.rows.tolist() == [2, 3, 5, 6, 8, 9, 10]
        assert read.blank_lines == 2
        assert read.chunks == 3
        assert seen[-1] == 1.0

    def test_coordinate_problems(self, tmp_path):
        path = write(tmp_path / "p.csv", f"id;lat;lon\na;abc;{LON}\nb;;{LON}\nc;{LAT};inf\n")
        read = read_csv_points(path)
        assert [str(p) for p in read.problems] == [
            "row 2, lat: 'abc' is not a number",
            "row 3, lat: coordinate is empty",
            "row 4, lon: 'inf' is not a number",
        ]
        frame = read.to_geodataframe("EPSG:4326")
        assert frame.geometry.isna().tolist() == [True, True, True]

    def test_extra_fields_are_listed_line_by_line(self, tmp_path):
        """Every row too long is a problem of its row; the rows are kept, cut to the header, and numbered."""
        path = write(tmp_path / "x.csv", f"id;lat;lon\na;{LAT};{LON}\nb;1;2;3\nc;{LAT};{LON}\nd;1;2;3;4\n")
        read = read_csv_points(path)
        assert [(p.row, p.field, p.message) for p in read.problems] == [
            (3, "row", "4 fields, but the header has 3; quote values that contain the delimiter ';'"),
            (5, "row", "5 fields, but the header has 3; quote values that contain the delimiter ';'"),
        ]
        assert read.rows.tolist() == [2, 3, 4, 5]
        assert read.frame["id"].tolist() == ["a", "b", "c", "d"]
        assert read.y.tolist() == [LAT, 1.0, LAT, 1.0]

    def test_too_few_fields_are_listed(self, tmp_path):
        """A row too short is a problem like a row too long; an empty last value and blank lines are not."""
        text = (f"id;lat;lon;note\na;{LAT};{LON};x\nb;{LAT};{LON};\nc;{LAT};{LON}\n\n;\n;;;;;\n"
                f"d;{LAT}\ne;{LAT};{LON};y\n")
        read = read_csv_points(write(tmp_path / "few.csv", text))
        hint = ("every row needs a field for each column (empty ones too), and a value with a line break "
                "must be quoted")
        assert [(p.row, p.field, p.message) for p in read.problems] == [
            (4, "row", f"3 fields, but the header has 4; {hint}"),
            (8, "row", f"2 fields, but the header has 4; {hint}"),
            (8, "lon", "coordinate is empty"),
        ]
        assert read.rows.tolist() == [2, 3, 4, 8, 9]
        assert read.blank_lines == 3

    @pytest.mark.parametrize("chunk_rows", [1, 2, 3, 100])
    def test_rows_too_long_and_too_short_across_chunks(self, tmp_path, chunk_rows):
        """Numbers stay the module's (records, blank lines counted) after a value with a line break."""
        text = (f'id;lat;lon;note\na;{LAT};{LON};"två\nrader"\nb;{LAT};{LON};x;y\n\nc;{LAT};abc;\n'
                f"d;{LAT};{LON}\ne;{LAT};{LON};z\nf;{LAT};{LON};1;2;3\n")
        read = read_csv_points(write(tmp_path / "mix.csv", text), chunk_rows=chunk_rows)
        assert [(p.row, p.field) for p in read.problems] == [(3, "row"), (5, "lon"), (6, "row"), (8, "row")]
        assert [p.message.split(";")[0] for p in read.problems if p.field == "row"] == [
            "5 fields, but the header has 4",
            "3 fields, but the header has 4",
            "6 fields, but the header has 4",
        ]
        assert read.rows.tolist() == [2, 3, 5, 6, 7, 8]
        assert read.frame["note"].tolist()[:2] == ["två\nrader", "x"]

    def test_field_counts_without_arrow(self, tmp_path, monkeypatch):
        """When Arrow's reader cannot count the fields, the standard library's does, with the same numbers."""
        text = f'id;lat;lon\na;"{LAT}\n";{LON}\nb;1;2;3\n\nc;{LAT}\nd;{LAT};{LON}\n'
        path = write(tmp_path / "py.csv", text)
        layout = sniff_csv(path)
        assert csv_points._field_counts(path, layout) == {3: 4, 5: 2}

        def refuse(*args, **kwargs):
            raise pa.ArrowInvalid("CSV parser got out of sync with chunker")

        monkeypatch.setattr(csv_points.pacsv, "read_csv", refuse)
        assert csv_points._field_counts(path, layout) == {3: 4, 5: 2}
        problems = read_csv_points(path).problems
        assert [(p.row, p.field) for p in problems] == [(3, "row"), (5, "row"), (5, "lon")]

    def test_unclosed_quote_is_refused(self, tmp_path):
        path = write(tmp_path / "q.csv", f'id;lat;lon\na;{LAT};{LON}\n"b;{LAT};{LON}\nc;1;2;3\n')
        with pytest.raises(ValidationError) as info:
            read_csv_points(path)
        assert [(p.row, p.field, p.message) for p in info.value.problems] == [
            (None, "row", "the CSV structure is broken (unbalanced quotes?)"),
        ]

    def test_header_only(self, tmp_path):
        read = read_csv_points(write(tmp_path / "h.csv", "id;lat;lon\n"))
        assert len(read.frame) == 0
        assert read.x.tolist() == []

    def test_chunk_rows_must_be_positive(self, tmp_path):
        with pytest.raises(ValueError, match="chunk_rows=-1 must be a positive number"):
            read_csv_points(write(tmp_path / "h.csv", "id;lat;lon\n"), chunk_rows=-1)


class TestNumbers:
    @pytest.mark.parametrize(
        ("values", "decimal_comma", "numbers", "bad"),
        [
            (["1.5", "", None, "x"], False, [1.5, np.nan, np.nan, np.nan], [False, False, False, True]),
            (["1,5", "6 590 630,25", "-2"], True, [1.5, 6590630.25, -2.0], [False, False, False]),
            (["1e3", "nan"], False, [1000.0, np.nan], [False, True]),
        ],
    )
    def test_to_numbers(self, values, decimal_comma, numbers, bad):
        got, flagged = to_numbers(pd.Series(values, dtype="str"), decimal_comma=decimal_comma)
        np.testing.assert_array_equal(got, numbers)
        assert flagged.tolist() == bad

    def test_numbers_pass_through(self):
        got, bad = to_numbers(pd.Series([1, 2]))
        assert got.tolist() == [1.0, 2.0]
        assert not bad.any()


class TestAxisOrder:
    def test_lat_lon_swapped_rows_are_fixed(self):
        decision = decide_axis_order(np.array([LON, LAT, LON]), np.array([LAT, LON, LAT]), "EPSG:4326")
        assert decision.swapped.tolist() == [False, True, False]
        assert not decision.undecided.any()
        assert decision.in_sweden.all()
        np.testing.assert_allclose(decision.x, [E, E, E], atol=0.5)
        np.testing.assert_allclose(decision.y, [N, N, N], atol=0.5)

    def test_easting_northing_swapped(self):
        decision = decide_axis_order(np.array([N, E]), np.array([E, N]), "EPSG:3006")
        assert decision.swapped.tolist() == [True, False]
        np.testing.assert_allclose(decision.x, [E, E])

    def test_outside_sweden_either_way_is_left_as_given(self):
        decision = decide_axis_order(np.array([24.95]), np.array([60.17]), "EPSG:4326")
        assert not decision.swapped.any()
        assert not decision.in_sweden.any()
        assert not decision.undecided.any()

    def test_rows_outside_follow_a_file_that_is_swapped(self):
        # two rows land in Sweden only when swapped; the third lands nowhere either way
        x = np.array([LAT, LAT + 0.01, 5.0])
        y = np.array([LON, LON, 40.0])
        decision = decide_axis_order(x, y, "EPSG:4326")
        assert decision.swapped.tolist() == [True, True, True]

    def test_missing_coordinates_are_skipped(self):
        decision = decide_axis_order(np.array([np.nan, LON]), np.array([LAT, LAT]), "EPSG:4326")
        assert decision.swapped.tolist() == [False, False]
        assert np.isnan(decision.x[0])

    def test_st74_both_orders_in_sweden_without_kommun_is_undecided(self):
        # ST74 (Stockholm's local CRS): x and y have the same range, both orders land in Sweden.
        x, y = np.array([87559.0]), np.array([89206.0])
        assert not decide_axis_order(x, y, "EPSG:3152", explicit_axes=False).swapped.any()
        assert decide_axis_order(x, y, "EPSG:3152", explicit_axes=False).undecided.tolist() == [True]
        # names that say which axis is east keep the order they give
        assert not decide_axis_order(x, y, "EPSG:3152", explicit_axes=True).undecided.any()

    def test_st74_decided_by_the_kommun(self):
        # E 659 500 N 6 598 500 (in the kommun) in ST74; swapped it lands in Sweden but outside.
        x, y = np.array([86553.0]), np.array([97131.0])
        given = decide_axis_order(x, y, "EPSG:3152", kommun=KOMMUN, explicit_axes=False)
        assert not given.swapped.any()
        assert not given.undecided.any()
        swapped = decide_axis_order(y, x, "EPSG:3152", kommun=KOMMUN, explicit_axes=False)
        assert swapped.swapped.tolist() == [True]
        np.testing.assert_allclose([swapped.x[0], swapped.y[0]], [659500, 6598500], atol=1)

    def test_st74_both_in_the_kommun_stays_undecided(self):
        x, y = np.array([87559.0]), np.array([89206.0])
        decision = decide_axis_order(x, y, "EPSG:3152", kommun=KOMMUN, explicit_axes=False)
        assert decision.undecided.tolist() == [True]

    def test_sweden_outline(self):
        outline = sweden_outline("EPSG:3006")
        west, south, east, north = SWEDEN_BBOX_WGS84
        assert inside(outline, np.array([E]), np.array([N])).tolist() == [True]
        assert inside(outline, np.array([np.nan, 0.0]), np.array([N, 0.0])).tolist() == [False, False]
        assert west < east
        assert south < north

    def test_inside_fast_path_matches_the_slow_one(self):
        rng = np.random.default_rng(3)
        x = rng.uniform(655_000, 665_000, 500)
        y = rng.uniform(6_585_000, 6_601_000, 500)
        assert inside(KOMMUN, x, y).tolist() == shapely.intersects_xy(KOMMUN, x, y).tolist()


class TestMalformedRowsInTheImport:
    """A malformed row is one problem among all of the file's; the import is refused, the store untouched."""

    HEADER = "id;lat;lon;occurred_at;category;source;location_precision;description"

    @staticmethod
    def line(ident: str, *, at: str = "2025-05-01 14:30", category: str = "stold", tail: str = ";") -> str:
        return f"{ident};{LAT};{LON};{at};{category};test;exact{tail}"

    @pytest.fixture
    def store(self, tmp_path):
        return make_store(tmp_path / "store.gpkg")

    @pytest.mark.parametrize("chunk_rows", [1, 100_000])
    @pytest.mark.parametrize(
        ("malformed", "message"),
        [
            # an unquoted delimiter in the description: one field too many
            (";Klotter; stort", r"^9 fields, but the header has 8; quote values that contain the delimiter"),
            # the description and its delimiter missing: one field too few
            ("", r"^7 fields, but the header has 8; every row needs a field for each column"),
        ],
        ids=["too_many_fields", "too_few_fields"],
    )
    def test_every_problem_at_once_and_nothing_written(self, store, tmp_path, monkeypatch, chunk_rows,
                                                       malformed, message):
        monkeypatch.setattr(csv_points, "CSV_CHUNK_ROWS", chunk_rows)
        path = tmp_path / "blandat.csv"
        write(path, "\n".join([
            self.HEADER,
            self.line("m1", category="bilbrand"),      # row 2: unknown category
            self.line("m2", tail=malformed),           # row 3: too many or too few fields
            self.line("m3", at="2026-03-29 02:30"),    # row 4: a naive time in the spring DST gap
            self.line("m4"),                           # row 5: fine
        ]) + "\n")
        expected = {(2, "category"), (3, "row"), (4, "occurred_at")}

        report = import_file(store, "incidents", path, dry_run=True)
        assert {(p.row, p.field) for p in report.problems} == expected
        assert (report.rows_read, report.rows_ok) == (4, 1)
        assert re.search(message, next(p.message for p in report.problems if p.field == "row"))
        assert "does not exist in Europe/Stockholm" in next(p.message for p in report.problems if p.row == 4)

        before = hashlib.sha256(store.path.read_bytes()).hexdigest()
        with pytest.raises(ImportValidationError) as info:
            import_file(store, "incidents", path)
        assert {(p.row, p.field) for p in info.value.problems} == expected
        assert "blandat.csv" in str(info.value)
        assert hashlib.sha256(store.path.read_bytes()).hexdigest() == before
        assert store.read("incidents")["id"].tolist() == [STORE_INCIDENT_ID]
