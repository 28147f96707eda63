"""The ``trygghetskartan worklist`` subcommand on the demo store."""

from __future__ import annotations

import argparse
import csv

import openpyxl
import pytest

from geo.cli.worklists import add_worklist_parser, parse_kind_hours
from geo.errors import TrygghetskartanError, WorklistError


def parser() -> argparse.ArgumentParser:
    """The main parser as geo.cli builds it, with only the worklist subcommand."""
    main = argparse.ArgumentParser(prog="trygghetskartan")
    main.add_argument("--lang", choices=("sv", "en"), default="sv")
    sub = main.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("sv", "en"), default=argparse.SUPPRESS)
    add_worklist_parser(sub, common)
    return main


def run(*argv: str) -> None:
    """Run a work list command as staff (the command's default audience is the public)."""
    extra = [] if "--audience" in argv else ["--audience", "staff"]
    args = parser().parse_args([*argv, *extra])
    args.func(args)


class TestCommand:
    def test_graffiti_xlsx(self, demo_path, tmp_path, capsys):
        out = tmp_path / "klotter.xlsx"
        run("worklist", "graffiti", "--store", str(demo_path), "--out", str(out), "--at", "2026-10-01")
        printed = capsys.readouterr().out
        assert printed.splitlines()[0] == f"Skrev Klotter (2026-10-01) till {out}."
        assert "  Klotter att sanera: 20 rader" in printed
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["Saneringskö", "Uppföljning 72 h", "Sena saneringar", "Anmälningar"]
        queue = book["Saneringskö"]
        assert queue["A1"].value == "Klotter att sanera – 2026-10-01"
        assert queue["A6"].value == "Rang"
        assert queue.max_row == 6 + 20

    def test_flood_csv_in_english(self, demo_path, tmp_path, capsys):
        out = tmp_path / "flood.csv"
        run(
            "--lang",
            "en",
            "worklist",
            "flood",
            "--store",
            str(demo_path),
            "--out",
            str(out),
            "--scenario",
            "flode_200",
            "--distance",
            "0",
            "--list",
            "facilities_flode_200",
        )
        assert "Wrote Flooding" in capsys.readouterr().out
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [r["id"] for r in rows] == ["fac-001", "fac-002"]
        assert rows[1]["distance_m"] == "0.0"
        assert rows[0]["critical"] == "true"

    def test_options_of_another_kind_are_refused(self, tmp_path):
        with pytest.raises(WorklistError, match="--sun is not an option of the graffiti lists"):
            run("worklist", "graffiti", "--store", str(tmp_path / "none.gpkg"), "--out", "x.csv", "--sun")

    def test_bad_value_is_one_error(self, demo_path, tmp_path):
        with pytest.raises(WorklistError, match="at='soon' is not a date"):
            run(
                "worklist",
                "cameras",
                "--store",
                str(demo_path),
                "--out",
                str(tmp_path / "k.csv"),
                "--at",
                "soon",
            )

    def test_missing_store(self, tmp_path):
        with pytest.raises(TrygghetskartanError):
            run(
                "worklist",
                "lighting",
                "--store",
                str(tmp_path / "none.gpkg"),
                "--out",
                str(tmp_path / "l.csv"),
            )

    def test_dark_hours_and_sun_exclude_each_other(self, capsys):
        with pytest.raises(SystemExit):
            parser().parse_args(
                ["worklist", "lighting", "--store", "s", "--out", "o", "--sun", "--dark-hours", "20-06"]
            )
        assert "not allowed with argument" in capsys.readouterr().err

    def test_kind_choices(self, capsys):
        with pytest.raises(SystemExit):
            parser().parse_args(["worklist", "benches", "--store", "s", "--out", "o"])
        assert "invalid choice: 'benches'" in capsys.readouterr().err


class TestKindHours:
    def test_parse(self):
        assert parse_kind_hours("school=24, preschool=48") == {"school": 24.0, "preschool": 48.0}
        assert parse_kind_hours(None) == {}

    @pytest.mark.parametrize("text", ["school", "school=0", "bench=24", "school=x"])
    def test_bad(self, text):
        with pytest.raises(WorklistError, match=f"--kind-hours: '{text}' is not allowed"):
            parse_kind_hours(text)
