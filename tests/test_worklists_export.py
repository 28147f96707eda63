"""XLSX and CSV exports of work lists: Swedish headings, the date of the list, codes in CSV."""

from __future__ import annotations

import csv
import datetime as dt

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely import Point

from geo.errors import WorklistError
from geo.worklists import Worklists, with_rank
from geo.worklists.export import HEADER_ROW, csv_bytes, display_table, write_worklists, xlsx_bytes
from geo.worklists.graffiti import removal_queue, report_table
from geo.worklists.graffiti_compliance import compliance_table

TZ = "Europe/Stockholm"
AT = pd.Timestamp("2026-04-01 08:00", tz=TZ)
START = pd.Timestamp("2026-03-01", tz=TZ)


@pytest.fixture
def lists() -> Worklists:
    layer = gpd.GeoDataFrame(
        {
            "id": ["g1", "g2", "g3"],
            "object_kind": ["school", "other", "pedestrian_tunnel"],
            "reported_at": pd.to_datetime(
                ["2026-03-28 20:00", "2026-03-30 09:00", "2026-03-02 10:00"]
            ).tz_localize(TZ),
            "removed_at": pd.to_datetime(["2026-03-31 20:30", None, "2026-03-07 10:00"]).tz_localize(TZ),
            "description": ["Klotter på skolans fasad", '=HYPERLINK("x")', "Taggar i tunneln"],
        },
        geometry=[Point(660000, 6590000), Point(660100, 6590100), Point(660200, 6590200)],
        crs="EPSG:3006",
    )
    table = report_table(layer, at=AT)
    listed = with_rank(table.sort_values("reported_at"))
    return Worklists(
        kind="graffiti",
        at=AT,
        start=START,
        end=AT,
        audience="staff",
        lists={
            "queue": removal_queue(table),
            "compliance": compliance_table(table, start=START, end=AT),
            "reports": listed[
                [
                    "rank",
                    "id",
                    "object_kind",
                    "reported_at",
                    "removed_at",
                    "hours_to_removal",
                    "within_72h",
                    "x",
                    "y",
                ]
            ],
        },
        options={"deadline_hours": 72.0, "offensive_hours": 24.0, "per_kind": {"school": 48.0}},
    )


def header(sheet) -> list[str]:
    return [c.value for c in sheet[HEADER_ROW + 1] if c.value is not None]


class TestXlsx:
    def test_opens_with_openpyxl_with_swedish_headings_and_the_date(self, lists, tmp_path):
        [path] = write_worklists(lists, tmp_path / "klotter.xlsx")
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Saneringskö", "Uppföljning 72 h", "Anmälningar"]
        sheet = book["Anmälningar"]
        assert sheet["A1"].value == "Klotteranmälningar under perioden – 2026-04-01"
        assert "Listans datum: 2026-04-01 08:00" in sheet["A2"].value
        assert "Period: 2026-03-01 – 2026-04-01" in sheet["A2"].value
        assert sheet["A3"].value == (
            "Inställningar: frist (h): 72; frist kränkande (h): 24; frist per objekttyp (h): Skola 48"
        )
        assert header(sheet) == [
            "Rang",
            "Id",
            "Objekttyp",
            "Anmält",
            "Sanerat",
            "Timmar till sanering",
            "Inom 72 h",
            "X (SWEREF 99 TM)",
            "Y (SWEREF 99 TM)",
        ]
        assert sheet.freeze_panes == f"A{HEADER_ROW + 2}"
        assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW + 1}")

    def test_cells(self, lists, tmp_path):
        [path] = write_worklists(lists, tmp_path / "klotter.xlsx")
        rows = list(
            openpyxl.load_workbook(path)["Anmälningar"].iter_rows(min_row=HEADER_ROW + 2, values_only=True)
        )
        by_id = {row[1]: row for row in rows}
        assert by_id["g1"][2:7] == (
            "Skola",
            dt.datetime(2026, 3, 28, 20, 0),
            dt.datetime(2026, 3, 31, 20, 30),
            71.5,
            "Ja",
        )
        assert by_id["g2"][4:7] == (None, None, None)  # open: no removal, no hours, no verdict
        assert by_id["g3"][6] == "Nej"
        assert by_id["g1"][7:9] == (660000, 6590000)

    def test_percentages_and_widths(self, lists, tmp_path):
        [path] = write_worklists(lists, tmp_path / "klotter.xlsx")
        sheet = openpyxl.load_workbook(path)["Uppföljning 72 h"]
        share_col = header(sheet).index("Andel inom 72 h") + 1
        cell = sheet.cell(row=HEADER_ROW + 2, column=share_col)
        assert cell.number_format == "0.0%"
        assert 0 <= cell.value <= 1
        assert sheet.column_dimensions["A"].width >= 6

    def test_english(self, lists):
        import io

        book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(lists, lang="en", only="queue")))
        assert book.sheetnames == ["Removal queue"]
        sheet = book["Removal queue"]
        assert sheet["A1"].value == "Graffiti to remove – 2026-04-01"
        assert header(sheet)[:4] == ["Rank", "Id", "Object kind", "Priority object"]

    def test_formula_text_stays_text(self, lists, tmp_path):
        [path] = write_worklists(lists, tmp_path / "klotter.xlsx", only="queue")
        values = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
        assert '=HYPERLINK("x")' in values

    def test_empty_list(self, lists, tmp_path):
        empty = Worklists("graffiti", AT, START, AT, "staff", {"late": pd.DataFrame({"rank": [], "id": []})})
        [path] = write_worklists(empty, tmp_path / "tom.xlsx")
        assert (
            openpyxl.load_workbook(path).active.cell(row=HEADER_ROW + 2, column=1).value == "Listan är tom."
        )


class TestCsv:
    def test_one_file_per_list_with_codes(self, lists, tmp_path):
        paths = write_worklists(lists, tmp_path / "klotter.csv")
        assert [p.name for p in paths] == ["klotter.csv", "klotter_compliance.csv", "klotter_reports.csv"]
        with (tmp_path / "klotter_reports.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        by_id = {row["id"]: row for row in rows}
        assert by_id["g1"]["hours_to_removal"] == "71.5"
        assert by_id["g1"]["within_72h"] == "true"
        assert by_id["g1"]["reported_at"] == "2026-03-28T20:00:00+01:00"
        assert by_id["g1"]["removed_at"] == "2026-03-31T20:30:00+02:00"
        assert by_id["g2"]["hours_to_removal"] == ""
        assert by_id["g2"]["within_72h"] == ""
        assert by_id["g3"]["within_72h"] == "false"

    def test_only_one_list(self, lists, tmp_path):
        paths = write_worklists(lists, tmp_path / "kö.csv", only="queue")
        assert [p.name for p in paths] == ["kö.csv"]
        text = paths[0].read_text(encoding="utf-8")
        assert text.splitlines()[0].startswith("rank,id,object_kind,priority")
        assert "'=HYPERLINK" in text

    def test_geometry_left_out(self):
        frame = gpd.GeoDataFrame({"rank": [1]}, geometry=[Point(1, 2)], crs="EPSG:3006")
        assert csv_bytes(frame).decode() == "rank\n1\n"


class TestDispatch:
    def test_unknown_extension(self, lists, tmp_path):
        with pytest.raises(
            WorklistError, match=r"has an extension no work list is written as; allowed: .xlsx, .csv"
        ):
            write_worklists(lists, tmp_path / "klotter.pdf")

    def test_unknown_list(self, lists, tmp_path):
        with pytest.raises(
            WorklistError, match="only='late' is not one of the graffiti lists; allowed: queue"
        ):
            write_worklists(lists, tmp_path / "klotter.csv", only="late")

    def test_nothing_half_written(self, lists, tmp_path):
        write_worklists(lists, tmp_path / "klotter.xlsx")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["klotter.xlsx"]


def test_display_table(lists):
    shown = display_table(lists, "reports", lang="sv")
    assert shown.columns.tolist()[:4] == ["Rang", "Id", "Objekttyp", "Anmält"]
    assert shown.loc[0, "Anmält"] == "2026-03-02 10:00"
    assert shown["Inom 72 h"].tolist() == ["Nej", "Ja", ""]
