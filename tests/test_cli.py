"""The command line: subcommands, output, and one-line errors with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
from shapely import Point

from geo.cli import main
from geo.store import GeoPackageStore


@pytest.fixture
def small_store(tmp_path):
    path = tmp_path / "s.gpkg"
    lamps = gpd.GeoDataFrame(
        {"id": ["l1", "l2"], "status": ["working", "broken"]},
        geometry=[Point(660000, 6590000), Point(660500, 6590500)], crs="EPSG:3006")
    GeoPackageStore(path).write("lighting", lamps)
    return path


def test_layers_lists_all_thirteen(capsys):
    assert main(["layers"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 13
    assert out[1].startswith("incidents – Händelser [intern] Point")


def test_layers_json_one_layer(capsys):
    assert main(["layers", "incidents", "--json"]) == 0
    spec = json.loads(capsys.readouterr().out)[0]
    category = next(c for c in spec["columns"] if c["name"] == "category")
    protected = [a["code"] for a in category["allowed"] if a["protected"]]
    assert protected == ["vald_i_nara_relation", "hedersrelaterat_vald"]
    assert spec["sensitivity"] == "internal"


def test_layers_in_english(capsys):
    assert main(["layers", "graffiti", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("graffiti – Graffiti [open] Point; actions: 7")


def test_info(small_store, capsys):
    assert main(["info", "--store", str(small_store)]) == 0
    out = capsys.readouterr().out
    assert "lighting" in out
    assert "Belysning" in out
    assert "EPSG:3006" in out


def test_info_json(small_store, capsys):
    assert main(["info", "--store", str(small_store), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["layers"] == [{"layer": "lighting", "count": 2, "crs": "EPSG:3006",
                              "bounds": [660000.0, 6590000.0, 660500.0, 6590500.0],
                              "time_span": None}]


def test_export(small_store, tmp_path, capsys):
    out = tmp_path / "lamps.geojson"
    assert main(["export", "--store", str(small_store), "lighting", "--out", str(out),
                 "--crs", "EPSG:4326"]) == 0
    assert "Skrev 2 objekt" in capsys.readouterr().out
    assert len(json.loads(out.read_text())["features"]) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["info", "--store", "nowhere.gpkg"], "no store at nowhere.gpkg"),
        (["layers", "lamps"], "unknown layer 'lamps'"),
        (["export", "--store", "{store}", "incidents", "--out", "{tmp}/x.gpkg"], None),
        (["export", "--store", "{store}", "lighting", "--out", "{tmp}/x.kml"], "unknown extension"),
    ],
)
def test_errors_are_one_line_with_exit_1(small_store, tmp_path, capsys, argv, message):
    argv = [a.format(store=small_store, tmp=tmp_path) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("trygghetskartan: fel: ")
    assert "Traceback" not in err
    if message:
        assert message in err


def test_usage_error_exits_2(capsys):
    assert main(["export", "--store", "x.gpkg"]) == 2
    assert "required" in capsys.readouterr().err


def test_python_dash_m_geo_runs(small_store):
    done = subprocess.run([sys.executable, "-m", "geo", "--lang", "en", "info", "--store", str(small_store)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Lighting" in done.stdout
