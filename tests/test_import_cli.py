"""The ``import`` subcommand: arguments, Swedish summary, every problem on stderr, progress."""

from __future__ import annotations

import argparse
import hashlib
import io

import pytest
from bad_inputs.make_corpus import INCIDENT_HEADER, incident_line, make_store

from geo.cli import imports as import_cli
from geo.cli.imports import CLI_MODES, ProgressBar, add_import_parser, print_problems
from geo.errors import LayerChoiceError, ValidationError
from geo.io.layer_store import WRITE_MODES


def build_parser() -> argparse.ArgumentParser:
    """The same shape as geo.cli.build_parser: --lang on the main parser and a common parent."""
    parser = argparse.ArgumentParser(prog="trygghetskartan")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("sv", "en"), default=argparse.SUPPRESS)
    add_import_parser(sub, common)
    return parser


def run(*argv: str) -> None:
    args = build_parser().parse_args(list(argv))
    args.func(args)


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    return make_store(tmp_path / "store.gpkg")


@pytest.fixture
def good_csv(tmp_path):
    path = tmp_path / "handelser.csv"
    path.write_text("\n".join([INCIDENT_HEADER, incident_line("a"), incident_line("b")]) + "\n")
    return path


class TestArguments:
    def test_every_option(self):
        args = build_parser().parse_args(
            [
                "import",
                "--store",
                "s.gpkg",
                "lighting",
                "f.json",
                "--format",
                "open311",
                "--crs",
                "EPSG:3011",
                "--mode",
                "replace",
                "--make-valid",
                "--allow-outside",
                "--layer",
                "lampor",
                "--dry-run",
                "--map",
                "A=id",
                "--map",
                "B = status",
                "--service-code",
                "Street Light Out=lighting",
                "--set",
                "status=working",
            ]
        )
        assert (args.layer, str(args.file), args.store, args.format, args.crs, args.mode) == (
            "lighting",
            "f.json",
            "s.gpkg",
            "open311",
            "EPSG:3011",
            "replace",
        )
        assert (args.make_valid, args.allow_outside, args.layer_name, args.dry_run) == (
            True,
            True,
            "lampor",
            True,
        )
        assert args.mapping == [("A", "id"), ("B", "status")]
        assert args.service_codes == [("Street Light Out", "lighting")]
        assert args.fill == [("status", "working")]

    def test_defaults(self):
        args = build_parser().parse_args(["import", "--store", "s.gpkg", "incidents", "f.csv"])
        assert (args.format, args.crs, args.mode, args.dry_run, args.mapping) == (
            "auto",
            None,
            "append",
            False,
            [],
        )

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["--map", "A"], "--map expects SRC=DEST, got 'A'"),
            (["--service-code", "=lighting"], "--service-code expects CODE=layer"),
            (["--format", "xml"], "invalid choice: 'xml'"),
            (["--mode", "merge"], "invalid choice: 'merge'"),
        ],
    )
    def test_usage_errors(self, capsys, argv, message):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["import", "--store", "s.gpkg", "incidents", "f.csv", *argv])
        assert message in capsys.readouterr().err

    def test_store_is_required(self, capsys):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["import", "incidents", "f.csv"])
        assert "--store" in capsys.readouterr().err

    def test_modes_match_the_store(self):
        assert CLI_MODES == WRITE_MODES


class TestRun:
    def test_import_prints_a_swedish_summary(self, store, good_csv, capsys):
        run("import", "--store", str(store.path), "incidents", str(good_csv))
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "Importerade 2 rader till Händelser (incidents) från handelser.csv (append)."
        assert "Obs: Läst som CSV med koordinater." in out
        assert store.count("incidents") == 3

    def test_english(self, store, good_csv, capsys):
        run("--lang", "en", "import", "--store", str(store.path), "incidents", str(good_csv), "--dry-run")
        out = capsys.readouterr().out.splitlines()
        assert out[0].startswith("Dry run: all 2 rows of handelser.csv can be imported")
        assert store.count("incidents") == 1

    def test_problems_all_on_stderr_and_nothing_written(self, store, tmp_path, capsys):
        path = tmp_path / "fel.csv"
        path.write_text(
            "\n".join(
                [INCIDENT_HEADER, incident_line("a", category="x"), incident_line("b", at="2026-10-25 02:30")]
            )
            + "\n"
        )
        before = file_hash(store.path)
        with pytest.raises(ValidationError, match=r"^fel\.csv importerades inte: 2 problem, listade ovan; "
                                                  r"inget skrevs$") as info:
            run("import", "--store", str(store.path), "incidents", str(path))
        assert [(p.row, p.field) for p in info.value.problems] == [(2, "category"), (3, "occurred_at")]
        err = capsys.readouterr().err.splitlines()
        assert err[0] == (
            "2 problem i fel.csv (rad = radnumret i filen, rubrikraden är rad 1 och första dataraden rad 2):"
        )
        assert err[1].startswith("fel.csv:2:category: 'x' is not allowed")
        assert err[2].startswith("fel.csv:3:occurred_at: '2026-10-25 02:30' happens twice")
        assert file_hash(store.path) == before

    def test_dry_run_with_problems_fails_too(self, store, tmp_path, capsys):
        path = tmp_path / "fel.csv"
        path.write_text("\n".join([INCIDENT_HEADER, incident_line("a", category="x")]) + "\n")
        with pytest.raises(ValidationError):
            run("import", "--store", str(store.path), "incidents", str(path), "--dry-run")
        captured = capsys.readouterr()
        assert captured.out.startswith("1 problem i fel.csv; 0 av 1 rader utan problem. Inget skrevs.")
        assert "fel.csv:2:category:" in captured.err

    def test_layer_choice_is_asked_for(self, store, tmp_path):
        import geopandas as gpd
        import pyogrio
        import shapely

        path = tmp_path / "tva.gpkg"
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "status": ["working"]}, geometry=[shapely.Point(660870, 6590630)], crs=3006
        )
        pyogrio.write_dataframe(frame, path, layer="lampor")
        pyogrio.write_dataframe(frame, path, layer="andra")
        with pytest.raises(LayerChoiceError, match="choose one with --layer NAME"):
            run("import", "--store", str(store.path), "lighting", str(path))
        run("import", "--store", str(store.path), "lighting", str(path), "--layer", "andra")
        assert store.count("lighting") == 1

    def test_progress_for_big_files(self, store, good_csv, capsys, monkeypatch):
        monkeypatch.setattr(import_cli, "PROGRESS_BYTES", 1)
        run("import", "--store", str(store.path), "incidents", str(good_csv))
        err = capsys.readouterr().err
        assert "100% handelser.csv: 2 rows imported" in err
        assert "[##" in err

    def test_through_the_main_command_line(self, store, good_csv, capsys):
        from geo import cli

        sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
        assert "import" in sub.choices
        assert cli.main(["import", "--store", str(store.path), "incidents", str(good_csv)]) == 0
        assert "Importerade 2 rader" in capsys.readouterr().out
        assert store.count("incidents") == 3

    def test_refusal_through_the_main_command_line(self, store, tmp_path, capsys):
        from geo import cli

        path = tmp_path / "fel.csv"
        path.write_text("\n".join([INCIDENT_HEADER, incident_line("a", category="bilbrand")]) + "\n")
        before = file_hash(store.path)
        assert cli.main(["import", "--store", str(store.path), "incidents", str(path)]) == 1
        assert "fel.csv:2:category: 'bilbrand' is not allowed" in capsys.readouterr().err
        assert file_hash(store.path) == before


class TestOutput:
    def test_print_problems_for_a_plain_validation_error(self):
        from layers import Problem

        out = io.StringIO()
        print_problems(
            ValidationError([Problem(None, "geometry", "no CRS")], source="a.shp"), lang="en", out=out
        )
        assert out.getvalue().splitlines() == [
            "1 problem(s) in a.shp (row = feature number in the file, from 1):",
            "a.shp:-:geometry: no CRS",
        ]

    def test_progress_bar_on_a_pipe_prints_every_ten_percent(self):
        out = io.StringIO()
        bar = ProgressBar(out)
        for i in range(101):
            bar(i / 100, "x")
        bar.close()
        lines = out.getvalue().splitlines()
        assert len(lines) == 11
        assert lines[-1].startswith("[##############################] 100%")
