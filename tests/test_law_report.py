"""The lägesbild and åtgärdsplan report under the law (2023:196)."""

from __future__ import annotations

import argparse
import shutil

import pytest

from geo.actions.law_report import build_law_report
from geo.actions.law_report_files import export_law_report, render_law_report_html, write_law_report_pdf
from geo.actions.register import set_status
from geo.analysis.params import LagesbildParams
from geo.analysis.snapshots import save_lagesbild
from geo.cli.actions import add_actions_parser
from geo.demo.planted import PLANTED_HOTSPOTS, cell_id
from geo.errors import LawReportError
from geo.privacy import build_lagesbild
from geo.store import open_store

SNAPSHOT = "2026 Q3"
YEAR = 2026


@pytest.fixture(scope="module")
def store_path(demo_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("law") / "store.gpkg"
    shutil.copy(demo_path, path)
    store = open_store(path)
    params = LagesbildParams.from_text(date_from="2025-10-01", date_to="2026-09-30")
    save_lagesbild(store, SNAPSHOT, build_lagesbild(store, params))
    set_status(store, 6, YEAR, "ongoing", comment="<b>x</b>", user="anna")
    set_status(store, 37, YEAR, "done", comment="Reservkraft beställd", user="bertil")
    return path


@pytest.fixture(scope="module")
def report(store_path):
    return build_law_report(open_store(store_path), snapshot=SNAPSHOT, year=YEAR)


@pytest.fixture(scope="module")
def page(report):
    return render_law_report_html(report)


def test_html_has_the_three_parts_snapshot_and_period(page):
    for heading in ("1. Kartläggning", "2. Analys", "3. Åtgärdsplan"):
        assert f"<h2>{heading}</h2>" in page
    assert SNAPSHOT in page
    assert "2025-10-01 – 2026-09-30" in page
    assert "lagen (2023:196)" in page


def test_planted_hotspots_are_in_the_analysis(page):
    analysis = page.split("2. Analys")[1].split("3. Åtgärdsplan")[0]
    cells = [cell_id(spot.x, spot.y) for spot in PLANTED_HOTSPOTS]
    assert len(cells) == 3
    assert [cell for cell in cells if cell not in analysis] == []


def test_statuses_owners_and_escaping(page):
    plan = page.split("3. Åtgärdsplan")[1]
    assert "Pågår" in plan
    assert "anna" in plan
    assert "Genomförd" in plan
    assert "bertil" in plan
    assert "&lt;b&gt;x&lt;/b&gt;" in plan
    assert "<b>x</b>" not in page


def test_pdf_and_english(report, store_path, tmp_path):
    path = write_law_report_pdf(report, tmp_path / "r.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    english = build_law_report(open_store(store_path), snapshot=SNAPSHOT, year=YEAR, lang="en")
    assert english.title.startswith("Situation picture and action plan under the Act (2023:196)")
    with pytest.raises(LawReportError, match=r"\.html, \.pdf"):
        export_law_report(report, tmp_path / "r.docx")


def test_unknown_snapshot_lists_the_saved_ones(store_path):
    with pytest.raises(LawReportError, match=f"nope.*{SNAPSHOT}"):
        build_law_report(open_store(store_path), snapshot="nope", year=YEAR)


def test_cli_report_writes_html(store_path, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", default="sv")
    add_actions_parser(parser.add_subparsers(dest="command"), common)
    out = tmp_path / "rapport.html"
    args = parser.parse_args(["actions", "report", "--store", str(store_path), "--snapshot", SNAPSHOT,
                              "--out", str(out), "--year", str(YEAR)])
    args.func(args)
    assert "3. Åtgärdsplan" in out.read_text(encoding="utf-8")
    assert str(out) in capsys.readouterr().out
    bad = parser.parse_args(["actions", "report", "--store", str(store_path), "--snapshot", SNAPSHOT,
                             "--out", str(tmp_path / "r.txt")])
    with pytest.raises(LawReportError, match=r"\.html, \.pdf"):
        bad.func(bad)
