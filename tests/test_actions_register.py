"""The action register: follow-up history, the register table, exports and the command line."""

from __future__ import annotations

import argparse
import csv
import json
import re

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely import Point

from geo.actions import SPATIAL_ACTIONS, load_actions
from geo.actions.register import (
    FOLLOWUP_COLUMNS,
    FOLLOWUP_TABLE,
    REGISTER_COLUMNS,
    STATUSES,
    current_year,
    followup_history,
    layer_counts_figures,
    register_table,
    set_status,
    status_counts,
    status_label,
)
from geo.actions.reports import (
    display_table,
    export_register,
    register_bytes,
    render_register_html,
    write_register_csv,
    write_register_pdf,
    write_register_xlsx,
)
from geo.cli.actions import add_actions_parser
from geo.errors import ActionRegisterError, DataStoreError, TrygghetskartanError
from geo.store import GeoPackageStore

TZ = "Europe/Stockholm"
YEAR = 2024
AS_OF = pd.Timestamp("2026-03-28 09:00", tz=TZ)

# Counted by hand from the program text (the Huvudansvarig column).
TEN_ACTIONS = [7, 9, 11, 12, 21, 27, 28, 36, 37, 38]
ALL_COMMITTEES = [71]
ALL_COMMITTEES_AND_COMPANIES = [31, 34, 45, 46, 48, 49, 73, 74, 75, 76]
SON_COUNT = 19
KS_COUNT = 35
#: Sheets of the XLSX: the summary, then every body named in the program, in BODIES order.
EXPECTED_SHEETS = [
    "Sammanfattning",
    "KS",
    "KDN",
    "KON",
    "TEN",
    "SON",
    "ÄN",
    "BUN",
    "JHAB",
    "JNAB",
    "Alla nämnder",
    "Alla nämnder och bolag",
]
SCRIPT = "<script>alert(1)</script>"


def cameras(n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [f"c{i}" for i in range(n)],
            "status": ["active", "planned", "removed"][:n],
            "direction_deg": [90.0, 180.0, 270.0][:n],
            "angle_deg": [60.0, 60.0, 90.0][:n],
            "range_m": [30.0, 40.0, 50.0][:n],
        },
        geometry=[Point(660000 + 100 * i, 6590000 + 100 * i) for i in range(n)],
        crs="EPSG:3006",
    )


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    return GeoPackageStore(tmp_path / "store.gpkg")


@pytest.fixture
def camera_store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "cameras.gpkg")
    s.write("cameras", cameras(2), source="test")
    return s


@pytest.fixture
def followed(store) -> GeoPackageStore:
    """A store with a few follow-ups in YEAR, one of them with a script in the comment."""
    set_status(store, 7, YEAR, "ongoing", comment=SCRIPT, evidence="=HYPERLINK(\"x\")", user="anna",
               at="2024-03-01 10:00")
    set_status(store, 7, YEAR, "done", comment=SCRIPT, evidence="Arbetslista klotter v. 12", user="bo",
               at="2024-06-01 10:00")
    set_status(store, 27, YEAR, "continuous", comment="Rutin beslutad", user="anna", at="2024-04-01 08:00")
    set_status(store, 71, YEAR, "not_applicable", user="anna", at="2024-05-01 08:00")
    return store


# --- set_status and the history ------------------------------------------------------


class TestFollowup:
    def test_second_change_is_logged_and_the_first_kept(self, store):
        set_status(store, 12, YEAR, "ongoing", comment="Inventering klar", evidence="snapshot:Mars",
                   user="anna", at="2024-03-01 10:00")
        set_status(store, 12, YEAR, "done", comment="Avvecklat", user="bo", at="2024-09-15 14:30")

        history = followup_history(store)
        assert history.columns.tolist() == list(FOLLOWUP_COLUMNS)
        assert history["status"].tolist() == ["ongoing", "done"]
        assert history["comment"].tolist() == ["Inventering klar", "Avvecklat"]
        assert history["evidence"].tolist() == ["snapshot:Mars", ""]
        assert history["changed_by"].tolist() == ["anna", "bo"]
        assert history["changed_at"].tolist() == [
            pd.Timestamp("2024-03-01 10:00", tz=TZ),
            pd.Timestamp("2024-09-15 14:30", tz=TZ),
        ]
        assert str(history["changed_at"].dt.tz) == TZ

        row = register_table(store, YEAR).set_index("nr").loc[12]
        assert (row["status"], row["comment"], row["changed_by"]) == ("done", "Avvecklat", "bo")
        assert row["changed_at"] == pd.Timestamp("2024-09-15 14:30", tz=TZ)

    def test_rows_are_appended_to_the_store_table(self, store):
        set_status(store, 1, YEAR, "ongoing", user="anna")
        set_status(store, 1, YEAR, "done", user="anna")
        assert len(store.read_records(FOLLOWUP_TABLE)) == 2

    def test_default_time_is_now_in_stockholm(self, store):
        before = pd.Timestamp.now(tz=TZ)
        row = set_status(store, 3, YEAR, "ongoing", user="anna")
        after = pd.Timestamp.now(tz=TZ)
        assert str(row["changed_at"].tz) == TZ
        stored = followup_history(store)["changed_at"].item()
        # the store keeps milliseconds
        assert before.floor("ms") <= stored <= after

    def test_default_user_is_filled_in(self, store):
        row = set_status(store, 3, YEAR, "ongoing")
        assert row["changed_by"]

    def test_same_time_later_record_wins(self, store):
        at = "2024-05-05 12:00"
        set_status(store, 5, YEAR, "ongoing", user="anna", at=at)
        set_status(store, 5, YEAR, "done", user="anna", at=at)
        assert followup_history(store)["status"].tolist() == ["ongoing", "done"]
        assert register_table(store, YEAR).set_index("nr").loc[5, "status"] == "done"

    def test_history_is_oldest_first_by_time(self, store):
        set_status(store, 5, YEAR, "done", user="anna", at="2024-06-01 12:00")
        set_status(store, 5, YEAR, "ongoing", user="anna", at="2024-02-01 12:00")  # backdated
        assert followup_history(store)["status"].tolist() == ["ongoing", "done"]
        assert register_table(store, YEAR).set_index("nr").loc[5, "status"] == "done"

    def test_years_are_followed_up_separately(self, store):
        set_status(store, 9, 2023, "done", user="anna")
        set_status(store, 9, 2024, "ongoing", user="anna")
        assert register_table(store, 2023).set_index("nr").loc[9, "status"] == "done"
        assert register_table(store, 2024).set_index("nr").loc[9, "status"] == "ongoing"
        assert register_table(store, 2025).set_index("nr").loc[9, "status"] == "not_started"
        assert followup_history(store, year=2023)["status"].tolist() == ["done"]
        assert len(followup_history(store, nr=9)) == 2
        assert followup_history(store, nr=10).empty

    def test_offset_is_kept_as_the_same_instant(self, store):
        row = set_status(store, 3, YEAR, "ongoing", user="anna", at="2024-07-01T08:00:00+00:00")
        assert row["changed_at"] == pd.Timestamp("2024-07-01 10:00", tz=TZ)

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"nr": 78}, "nr=78 is not allowed; allowed: a whole number 1-77"),
            ({"nr": 0}, "nr=0 is not allowed"),
            ({"nr": True}, "nr=True is not allowed"),
            ({"nr": "7"}, "nr='7' is not allowed"),
            ({"status": "finished"}, "status='finished' is not allowed; allowed: not_started, ongoing, "
                                     "done, continuous, not_applicable"),
            ({"year": 1990}, "year=1990 is not allowed; allowed: a whole number 2019-2100"),
            ({"year": 2101}, "year=2101 is not allowed"),
            ({"comment": None}, "comment=None is not allowed; allowed: a text"),
            ({"user": "  "}, "user='  ' is not allowed; allowed: a non-empty name"),
            ({"at": "not a date"}, "at='not a date' is not allowed"),
            ({"at": "2026-03-29 02:30"}, "at='2026-03-29 02:30' is not allowed; allowed: a time that exists"),
        ],
        ids=["nr78", "nr0", "nr-bool", "nr-str", "status", "year1990", "year2101", "comment", "user",
             "at-text", "at-dst-gap"],
    )
    def test_bad_input_raises_and_writes_nothing(self, store, kwargs, match):
        arguments = {"nr": 7, "year": YEAR, "status": "ongoing", "user": "anna", **kwargs}
        nr, year, status = arguments.pop("nr"), arguments.pop("year"), arguments.pop("status")
        with pytest.raises(ActionRegisterError, match=re.escape(match)):
            set_status(store, nr, year, status, **arguments)
        assert followup_history(store).empty
        assert not store.path.exists()

    def test_error_carries_argument_received_allowed(self, store):
        with pytest.raises(TrygghetskartanError, match="nr=78") as info:
            set_status(store, 78, YEAR, "done")
        assert isinstance(info.value, ValueError)
        assert (info.value.argument, info.value.received) == ("nr", 78)
        assert "1-77" in info.value.allowed

    def test_history_filters_are_checked(self, store):
        with pytest.raises(ActionRegisterError, match=re.escape("year=1990 is not allowed")):
            followup_history(store, year=1990)


# --- the register table ------------------------------------------------------------


class TestRegisterTable:
    def test_default_is_77_not_started_actions_as_in_the_program(self, store):
        table = register_table(store, YEAR)
        actions = load_actions()
        assert table.columns.tolist() == list(REGISTER_COLUMNS)
        assert table["nr"].tolist() == list(range(1, 78))
        assert (table["status"] == "not_started").all()
        assert table["section"].tolist() == [a.section for a in actions]
        assert table["responsible"].tolist() == [", ".join(a.responsible) for a in actions]
        assert table.set_index("nr").loc[27, "responsible"] == "KS, TEN, JHAB"
        assert table.set_index("nr").loc[65, "responsible"] == "BUN, KDN, KON, SON"
        assert table["changed_at"].isna().all()
        assert (table[["comment", "evidence", "changed_by", "figure"]] == "").all().all()

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ("TEN", TEN_ACTIONS),
            ("Alla nämnder", ALL_COMMITTEES),
            ("Alla nämnder och bolag", ALL_COMMITTEES_AND_COMPANIES),
            ("KON", [65]),
        ],
    )
    def test_filter_by_body(self, store, body, expected):
        assert register_table(store, YEAR, body=body)["nr"].tolist() == expected

    @pytest.mark.parametrize(
        ("section", "expected"),
        [("5.9", [57]), ("5.5", [26, 27, 28]), ("5.12", list(range(71, 78)))],
    )
    def test_filter_by_section(self, store, section, expected):
        table = register_table(store, YEAR, section=section)
        assert table["nr"].tolist() == expected
        assert set(table["section"]) == {section}

    def test_filter_by_status_and_combined(self, followed):
        assert register_table(followed, YEAR, status="done")["nr"].tolist() == [7]
        assert register_table(followed, YEAR, body="TEN", status="continuous")["nr"].tolist() == [27]
        assert len(register_table(followed, YEAR, status="not_started")) == 74

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"section": "5.13"}, "section='5.13' is not allowed; allowed: 5.1, 5.2"),
            ({"body": "XYZ"}, "body='XYZ' is not allowed; allowed: KS, KDN"),
            ({"status": "finished"}, "status='finished' is not allowed"),
        ],
    )
    def test_bad_filter_raises(self, store, kwargs, match):
        with pytest.raises(ActionRegisterError, match=re.escape(match)):
            register_table(store, YEAR, **kwargs)

    def test_bad_year_raises(self, store):
        with pytest.raises(ActionRegisterError, match=re.escape("year=1990 is not allowed")):
            register_table(store, 1990)

    def test_figures_are_shown_beside_the_status(self, store):
        table = register_table(store, YEAR, figures={7: "Klotter: 12", 37: "Verksamheter: 3"})
        by_nr = table.set_index("nr")["figure"]
        assert by_nr[7] == "Klotter: 12"
        assert by_nr[37] == "Verksamheter: 3"
        assert (by_nr.drop([7, 37]) == "").all()

    def test_status_counts_add_up(self, followed):
        table = register_table(followed, YEAR)
        counts = status_counts(table)
        assert counts.index.tolist() == list(STATUSES)
        assert counts.to_dict() == {
            "not_started": 74, "ongoing": 0, "done": 1, "continuous": 1, "not_applicable": 1,
        }
        assert counts.sum() == len(table) == 77

    def test_status_counts_refuses_unknown_status(self):
        with pytest.raises(ActionRegisterError, match=re.escape("status='finished' is not allowed")):
            status_counts(pd.DataFrame({"status": ["done", "finished"]}))

    @pytest.mark.parametrize(
        ("code", "sv", "en"),
        [
            ("not_started", "Ej påbörjad", "Not started"),
            ("ongoing", "Pågår", "Ongoing"),
            ("done", "Genomförd", "Done"),
            ("continuous", "Löpande", "Continuous"),
            ("not_applicable", "Ej aktuell", "Not applicable"),
        ],
    )
    def test_status_labels(self, code, sv, en):
        assert (status_label(code, "sv"), status_label(code, "en")) == (sv, en)


class TestLayerCountsFigures:
    def test_counts_of_linked_layers(self, camera_store):
        figures = layer_counts_figures(camera_store)
        assert set(figures) == set(SPATIAL_ACTIONS)
        assert figures[6] == "Kameror: 2"
        assert figures[3] == "Händelser: ej inläst"
        assert figures[9] == "Belysning: ej inläst; Otrygga platser: ej inläst"

    def test_english(self, camera_store):
        assert layer_counts_figures(camera_store, lang="en")[6] == "Cameras: 2"

    def test_figures_reach_the_register(self, camera_store):
        table = register_table(camera_store, YEAR, figures=layer_counts_figures(camera_store))
        assert table.set_index("nr").loc[6, "figure"] == "Kameror: 2"
        assert table.set_index("nr").loc[1, "figure"] == ""


# --- exports -----------------------------------------------------------------------


@pytest.fixture
def table(followed) -> pd.DataFrame:
    return register_table(followed, YEAR, figures={6: "Kameror: 24", 7: "Klotter: 12"})


class TestXlsx:
    @pytest.fixture
    def workbook(self, table, tmp_path):
        path = write_register_xlsx(table, tmp_path / "register.xlsx", year=YEAR, as_of=AS_OF)
        return openpyxl.load_workbook(path)

    def test_a_sheet_per_body(self, workbook):
        assert workbook.sheetnames == EXPECTED_SHEETS

    @staticmethod
    def action_numbers(sheet) -> list[int]:
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows) if r[0] == "Nr") + 1
        return [r[0] for r in rows[start:] if r[0] is not None]

    @pytest.mark.parametrize(
        ("sheet", "expected"),
        [
            ("TEN", TEN_ACTIONS),
            ("Alla nämnder", ALL_COMMITTEES),
            ("Alla nämnder och bolag", ALL_COMMITTEES_AND_COMPANIES),
            ("KON", [65]),
            ("ÄN", [39]),
        ],
    )
    def test_body_sheet_holds_its_actions(self, workbook, sheet, expected):
        assert self.action_numbers(workbook[sheet]) == expected

    def test_action_with_several_bodies_is_on_each_sheet(self, workbook):
        for sheet in ("KS", "TEN", "JHAB"):
            assert 27 in self.action_numbers(workbook[sheet])
        assert len(self.action_numbers(workbook["KS"])) == KS_COUNT
        assert len(self.action_numbers(workbook["SON"])) == SON_COUNT

    def test_summary_counts_add_up_and_date_is_on_it(self, workbook):
        rows = list(workbook["Sammanfattning"].iter_rows(values_only=True))
        cells = [c for r in rows for c in r if c is not None]
        assert "Listans datum: 2026-03-28" in cells
        assert "Åtgärdsregister 2024" in cells
        start = rows.index(next(r for r in rows if r[:2] == ("Status", "Antal"))) + 1
        counts = {r[0]: r[1] for r in rows[start : start + len(STATUSES)]}
        assert counts == {"Ej påbörjad": 74, "Pågår": 0, "Genomförd": 1, "Löpande": 1, "Ej aktuell": 1}
        total = rows[start + len(STATUSES)]
        assert total[:2] == ("Totalt", 77)
        assert sum(counts.values()) == total[1]

    def test_swedish_headings_and_labels(self, workbook):
        rows = list(workbook["TEN"].iter_rows(values_only=True))
        assert rows[0][0] == "TEN – Tekniska nämnden"
        header = next(r for r in rows if r[0] == "Nr")
        assert header == ("Nr", "Avsnitt", "Åtgärd", "Huvudansvarig", "Status", "Aktuell siffra",
                          "Kommentar", "Underlag", "Ändrad", "Ändrad av")
        seven = next(r for r in rows if r[0] == 7)
        assert seven[4] == "Genomförd"
        assert seven[5] == "Klotter: 12"
        assert seven[8] == "2024-06-01"
        assert seven[9] == "bo"

    def test_text_is_never_a_formula(self, store, tmp_path):
        set_status(store, 28, YEAR, "ongoing", comment="=1+1", user="anna")
        path = write_register_xlsx(register_table(store, YEAR), tmp_path / "r.xlsx", year=YEAR)
        sheet = openpyxl.load_workbook(path)["TEN"]
        cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1")
        assert cell.data_type == "s"

    def test_english(self, table, tmp_path):
        path = write_register_xlsx(table, tmp_path / "r.xlsx", year=YEAR, lang="en", as_of=AS_OF)
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames[0] == "Summary"
        cells = [c for r in workbook["Summary"].iter_rows(values_only=True) for c in r if c]
        assert "Date of the list: 2026-03-28" in cells


class TestHtmlPdfCsv:
    def test_html_escapes_every_text(self, table):
        page = render_register_html(table, year=YEAR, as_of=AS_OF)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert SCRIPT not in page
        assert page.startswith("<!DOCTYPE html>")
        assert '<html lang="sv">' in page

    def test_html_has_status_figures_dates_and_print_css(self, table):
        page = render_register_html(table, year=YEAR, as_of=AS_OF)
        assert "Listans datum: 2026-03-28" in page
        for label in ("Genomförd", "Löpande", "Ej aktuell", "Ej påbörjad"):
            assert label in page
        assert "Klotter: 12" in page
        assert "2024-06-01" in page
        assert "@media print" in page
        assert "@page" in page
        assert "<h2>5.12. Våldsbejakande extremism</h2>" in page
        assert "Arbetslista klotter v. 12" in page

    def test_html_title_is_escaped(self, table):
        page = render_register_html(table, year=YEAR, title="A & <B>")
        assert "<title>A &amp; &lt;B&gt;</title>" in page

    def test_html_summary_adds_up(self, table):
        page = render_register_html(table, year=YEAR, lang="en")
        counts = [int(n) for n in re.findall(r'<td class="count">(\d+)</td>', page)]
        total = int(re.search(r'<th class="count">(\d+)</th>', page)[1])
        assert sum(counts) == total == 77
        assert "Action register 2024" in page

    def test_pdf(self, table, tmp_path):
        path = write_register_pdf(table, tmp_path / "register.pdf", year=YEAR, as_of=AS_OF)
        data = path.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(data) > 1024

    def test_pdf_is_reproducible(self, table):
        one = register_bytes(table, "pdf", year=YEAR, as_of=AS_OF)
        two = register_bytes(table, "pdf", year=YEAR, as_of=AS_OF)
        assert one == two

    def test_csv_columns_and_rows(self, table, tmp_path):
        path = write_register_csv(table, tmp_path / "register.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 77
        assert {"nr", "section", "text", "responsible", "section_title", "status", "comment",
                "evidence", "figure", "changed_at"} <= set(rows[0])
        seven = rows[6]
        assert (seven["nr"], seven["section"], seven["responsible"], seven["status"]) == (
            "7", "5.1", "TEN", "done",
        )
        assert seven["changed_at"] == "2024-06-01T10:00:00+02:00"
        assert rows[26]["responsible"] == "KS, TEN, JHAB"

    def test_csv_neutralises_formulas(self, store, tmp_path):
        set_status(store, 7, YEAR, "ongoing", evidence="=HYPERLINK(\"x\")", user="anna")
        path = write_register_csv(register_table(store, YEAR), tmp_path / "r.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            seven = list(csv.DictReader(handle))[6]
        assert seven["evidence"] == "'=HYPERLINK(\"x\")"

    def test_display_table_headings(self, table):
        shown = display_table(table, lang="en")
        assert shown.columns.tolist() == ["No.", "Section", "Action", "Responsible", "Status",
                                          "Current figure", "Comment", "Evidence", "Changed",
                                          "Changed by"]
        assert len(shown) == 77


class TestExportDispatch:
    @pytest.mark.parametrize(
        ("name", "magic"),
        [("r.csv", b"nr,year,section"), ("r.xlsx", b"PK"), ("r.html", b"<!DOCTYPE html>"),
         ("r.pdf", b"%PDF"), ("R.PDF", b"%PDF")],
    )
    def test_format_from_extension(self, table, tmp_path, name, magic):
        path = export_register(table, tmp_path / name, year=YEAR, lang="sv")
        assert path.read_bytes().startswith(magic)
        assert [p.name for p in tmp_path.iterdir() if p.suffix != ".gpkg" and "lock" not in p.name] == [name]

    def test_unknown_extension_lists_the_allowed(self, table, tmp_path):
        with pytest.raises(ActionRegisterError, match=re.escape("allowed: a file ending in .csv, .xlsx, "
                                                               ".html, .pdf")):
            export_register(table, tmp_path / "r.docx", year=YEAR)
        assert not (tmp_path / "r.docx").exists()

    def test_unknown_format(self, table):
        with pytest.raises(ActionRegisterError, match=re.escape("fmt='odt' is not allowed")):
            register_bytes(table, "odt", year=YEAR)

    def test_table_without_register_columns(self, tmp_path):
        with pytest.raises(ActionRegisterError, match="a table from register_table"):
            export_register(pd.DataFrame({"nr": [1]}), tmp_path / "r.csv", year=YEAR)


# --- command line ------------------------------------------------------------------


def run_cli(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", default="sv")
    add_actions_parser(sub, common)
    args = parser.parse_args(argv)
    args.func(args)


class TestCli:
    def test_set_then_list_json_shows_the_status(self, camera_store, capsys):
        location = str(camera_store.path)
        run_cli(["actions", "set", "--store", location, "7", "--status", "ongoing", "--year", "2024",
                 "--comment", "Sanering pågår", "--evidence", "Arbetslista v. 12", "--user", "anna"])
        assert "Åtgärd 7 (2024): status Pågår sparad." in capsys.readouterr().out
        run_cli(["actions", "list", "--store", location, "--year", "2024", "--json"])
        document = json.loads(capsys.readouterr().out)
        assert document["year"] == 2024
        assert document["count"] == 77
        assert sum(document["status_counts"].values()) == 77
        seven = next(a for a in document["actions"] if a["nr"] == 7)
        assert (seven["status"], seven["comment"], seven["evidence"], seven["changed_by"]) == (
            "ongoing", "Sanering pågår", "Arbetslista v. 12", "anna",
        )
        assert seven["responsible"] == ["TEN"]
        six = next(a for a in document["actions"] if a["nr"] == 6)
        assert six["figure"] == "Kameror: 2"

    def test_set_keeps_history(self, camera_store):
        location = str(camera_store.path)
        run_cli(["actions", "set", "--store", location, "7", "--status", "ongoing", "--year", "2024"])
        run_cli(["actions", "set", "--store", location, "7", "--status", "done", "--year", "2024"])
        assert followup_history(camera_store, nr=7)["status"].tolist() == ["ongoing", "done"]

    def test_default_year_is_the_current_year(self, camera_store, capsys):
        location = str(camera_store.path)
        run_cli(["actions", "set", "--store", location, "3", "--status", "continuous"])
        capsys.readouterr()
        run_cli(["actions", "list", "--store", location, "--status", "continuous", "--json"])
        document = json.loads(capsys.readouterr().out)
        assert document["year"] == current_year()
        assert [a["nr"] for a in document["actions"]] == [3]

    def test_list_text_with_filters(self, camera_store, capsys):
        run_cli(["actions", "list", "--store", str(camera_store.path), "--body", "TEN", "--year", "2024"])
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "Åtgärdsregister 2024"
        assert out[-1] == "Ej påbörjad 10, Pågår 0, Genomförd 0, Löpande 0, Ej aktuell 0 – totalt 10"

    def test_list_english(self, camera_store, capsys):
        run_cli(["actions", "list", "--store", str(camera_store.path), "--section", "5.9", "--lang", "en"])
        out = capsys.readouterr().out
        assert "Action register" in out
        assert " 57  5.9   Not started" in out

    def test_export_csv(self, camera_store, tmp_path, capsys):
        out = tmp_path / "actions.csv"
        run_cli(["actions", "export", "--store", str(camera_store.path), "--out", str(out)])
        assert "77 åtgärder" in capsys.readouterr().out
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert {"nr", "section", "text", "responsible"} <= set(rows[0])
        assert len(rows) == 77
        assert rows[5]["figure"] == "Kameror: 2"

    @pytest.mark.parametrize(
        ("argv", "match"),
        [
            (["set", "78", "--status", "done"], "nr=78 is not allowed"),
            (["set", "7", "--status", "finished"], "status='finished' is not allowed"),
            (["set", "7", "--status", "done", "--year", "1990"], "year=1990 is not allowed"),
            (["list", "--body", "XYZ"], "body='XYZ' is not allowed"),
            (["export", "--out", "r.docx"], "allowed: a file ending in .csv"),
        ],
    )
    def test_bad_input_raises_package_error(self, camera_store, argv, match):
        command, *rest = argv
        with pytest.raises(ActionRegisterError, match=re.escape(match)):
            run_cli(["actions", command, "--store", str(camera_store.path), *rest])

    def test_missing_store(self, tmp_path):
        with pytest.raises(DataStoreError, match="no store at"):
            run_cli(["actions", "list", "--store", str(tmp_path / "none.gpkg")])
