"""``store copy``: GeoPackage → PostGIS → GeoPackage loses nothing."""

from __future__ import annotations

import argparse

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely import Point

from geo.cli.store import add_store_parser
from geo.errors import DataStoreError
from geo.store import GeoPackageStore, open_store
from geo.store.copy import copy_store
from geo.store.postgis import PostGISStore

pytest_plugins = ["postgis_server"]

TZ = "Europe/Stockholm"
COPY_NOTE = "trygghetskartan store copy"


def small_store(path) -> GeoPackageStore:
    """A few features, a snapshot, a product table and three log entries."""
    store = GeoPackageStore(path)
    store.write("graffiti", gpd.GeoDataFrame(
        {"id": ["g1", "g2"], "object_kind": ["school", "other"], "offensive": [True, None],
         "reported_at": pd.to_datetime(["2026-03-28 20:00", "2026-10-25 01:30"]).tz_localize(TZ),
         "description": ["tag", ""]},
        geometry=[Point(660000, 6590000), Point(660100, 6590100)], crs="EPSG:3006"), source="a.csv")
    store.write("areas", gpd.GeoDataFrame(
        {"id": ["a1"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"], "population": [80000]},
        geometry=[shapely.box(659000, 6589000, 662000, 6592000)], crs="EPSG:3006"), source="scb.gpkg")
    store.write("graffiti", gpd.GeoDataFrame(
        {"id": ["g3"], "object_kind": ["preschool"],
         "reported_at": [pd.Timestamp("2026-07-01 12:00", tz=TZ)]},
        geometry=[Point(660200, 6590200)], crs="EPSG:3006"), source="b.csv", note="andra")
    cells = gpd.GeoDataFrame(
        {"unit_id": ["6600006590000", "6602506590000"], "incidents": [5, 0],
         "rate": [1.5, float("nan")], "hot": [True, False]},
        geometry=[shapely.box(660000, 6590000, 660250, 6590250),
                  shapely.box(660250, 6590000, 660500, 6590250)], crs="EPSG:3006")
    store.save_snapshot("Q3 2026", cells, {"unit": "grid250", "hours": [22, 5], "from": "2026-07-01"})
    store.append_records("tk_action_followup", pd.DataFrame(
        {"nr": [3, 3], "status": ["ongoing", "done"], "comment": ["påbörjad", None],
         "changed_at": pd.to_datetime(["2026-03-29 01:30", "2026-10-25 02:30"]).tz_localize(
             "UTC").tz_convert(TZ)}))
    return store


@pytest.fixture(scope="module")
def demo_round_trip(demo_path, postgis_demo_url, tmp_path_factory):
    """The demo copied to PostGIS (shared with the counts tests) and on to a new GeoPackage."""
    source, middle = GeoPackageStore(demo_path), PostGISStore(postgis_demo_url)
    back = GeoPackageStore(tmp_path_factory.mktemp("back") / "back.gpkg")
    return source, middle, back, copy_store(middle, back)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> GeoPackageStore:
    return small_store(tmp_path_factory.mktemp("copy") / "source.gpkg")


@pytest.fixture(scope="module")
def round_trip(source, postgis_server, tmp_path_factory):
    """Copy the small store to PostGIS and on to a new GeoPackage; return the stores and what was copied."""
    middle = PostGISStore(postgis_server.new_schema_url())
    first = copy_store(source, middle)
    back = GeoPackageStore(tmp_path_factory.mktemp("back") / "back.gpkg")
    second = copy_store(middle, back)
    return middle, back, first, second


def assert_same_layer(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    assert len(a) == len(b)
    assert list(a.columns) == list(b.columns)
    assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), tolerance=0).all()
    assert b.crs.to_epsg() == 3006
    plain_a, plain_b = pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
    pd.testing.assert_frame_equal(plain_a, plain_b)
    for column in a.columns:
        if isinstance(a[column].dtype, pd.DatetimeTZDtype):
            assert [str(t) for t in a[column]] == [str(t) for t in b[column]]  # offsets kept


class TestDemoRoundTrip:
    def test_every_layer_arrives_and_comes_back_equal(self, demo_round_trip):
        source, middle, back, copied = demo_round_trip
        assert middle.list_layers() == source.list_layers() == back.list_layers()
        for layer in source.list_layers():
            original = source.read(layer)
            assert copied[layer] == len(original) == middle.count(layer) == back.count(layer)
            assert_same_layer(original, middle.read(layer))
            assert_same_layer(original, back.read(layer))

    def test_incident_timestamps_categories_and_points(self, demo_round_trip):
        source, middle, back, _ = demo_round_trip
        original = source.read("incidents", categories=["vald_i_nara_relation"])
        for copy in (middle, back):
            got = copy.read("incidents", categories=["vald_i_nara_relation"])
            assert got["id"].tolist() == original["id"].tolist()
            assert [t.isoformat() for t in got["occurred_at"]] == \
                [t.isoformat() for t in original["occurred_at"]]
            assert got["occurred_at"].map(lambda t: t.utcoffset()).nunique() == 2  # winter and summer
        counts = source.read("incidents")["category"].value_counts()
        assert back.read("incidents")["category"].value_counts().equals(counts)

    def test_demo_import_log_arrives(self, demo_round_trip):
        source, middle, back, _ = demo_round_trip
        original = source.import_log()[["layer", "rows", "source", "note"]]
        for copy in (middle, back):
            log = copy.import_log()
            kept = log[log["note"] != COPY_NOTE][["layer", "rows", "source", "note"]].reset_index(drop=True)
            pd.testing.assert_frame_equal(kept, original.reset_index(drop=True))


class TestRoundTrip:
    def test_layers_with_empty_strings_and_nulls(self, source, round_trip):
        middle, back, first, second = round_trip
        assert first["graffiti"] == second["graffiti"] == 3
        for layer in ("graffiti", "areas"):
            for copy in (middle, back):
                assert_same_layer(source.read(layer), copy.read(layer))
        assert middle.read("graffiti")["description"].iloc[1] == ""

    def test_import_log_entries_arrive(self, source, round_trip):
        middle, back, first, _ = round_trip

        def key(log):
            return [(row.at.floor("ms"), row.layer, row.mode, row.rows, row.source, row.user, row.note)
                    for row in log.itertuples()]

        original = key(source.import_log())
        assert first["import_log"] == len(original)
        for copy in (middle, back):
            log = copy.import_log()
            assert set(original) <= set(key(log))
        assert len(back.import_log()) == len(original) + 2 * len(source.list_layers())
        assert (middle.import_log()["note"] == COPY_NOTE).sum() == len(source.list_layers())

    def test_snapshots_keep_name_date_data_and_params(self, source, round_trip):
        middle, back, first, _ = round_trip
        assert first["snapshots"] == 1
        original = source.list_snapshots()
        frame, params = source.read_snapshot("Q3 2026")
        for copy in (middle, back):
            index = copy.list_snapshots()
            assert index[["name", "table", "rows"]].equals(original[["name", "table", "rows"]])
            assert index["created_at"].iloc[0] == original["created_at"].iloc[0]
            got, got_params = copy.read_snapshot("Q3 2026")
            assert got_params == params == {"from": "2026-07-01", "hours": [22, 5], "unit": "grid250"}
            assert got["incidents"].tolist() == [5, 0]
            assert got["hot"].tolist() == [True, False]
            assert got["rate"].iloc[0] == 1.5
            assert pd.isna(got["rate"].iloc[1])
            assert shapely.equals_exact(got.geometry.to_numpy(), frame.geometry.to_numpy(), 0).all()

    def test_product_tables_arrive(self, source, round_trip):
        middle, back, first, _ = round_trip
        assert first["tk_action_followup"] == 2
        original = source.read_records("tk_action_followup")
        for copy in (middle, back):
            rows = copy.read_records("tk_action_followup")
            assert rows["status"].tolist() == ["ongoing", "done"]
            assert rows["comment"].iloc[0] == "påbörjad"
            assert pd.isna(rows["comment"].iloc[1])
            assert rows["changed_at"].tolist() == original["changed_at"].tolist()

    def test_copying_again_adds_nothing_twice(self, source, round_trip):
        middle, _, _, _ = round_trip
        before = len(middle.import_log())
        again = copy_store(source, middle)
        assert (again["import_log"], again["snapshots"]) == (0, 0)
        assert "tk_action_followup" not in again
        assert len(middle.import_log()) == before + len(source.list_layers())
        assert len(middle.read_records("tk_action_followup")) == 2
        assert middle.count("graffiti") == source.count("graffiti") == 3


class TestRefusals:
    def test_a_different_snapshot_of_the_same_name_is_refused_before_writing(self, source, fresh_postgis_url):
        target = PostGISStore(fresh_postgis_url)
        cells = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:3006")
        target.save_snapshot("Q3 2026", cells, {"other": True})
        with pytest.raises(DataStoreError, match="already has other snapshots named 'Q3 2026'; nothing"):
            copy_store(source, target)
        assert target.list_layers() == []

    def test_same_store(self, source):
        with pytest.raises(ValueError, match="are the same store"):
            copy_store(source, GeoPackageStore(source.path))


class TestCommandLine:
    def test_store_copy_both_ways(self, source, fresh_postgis_url, tmp_path, capsys):
        parser = argparse.ArgumentParser()
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--lang", default="en")
        add_store_parser(parser.add_subparsers(dest="command"), common)
        back = tmp_path / "back.gpkg"
        for argv in (["store", "copy", "--from", str(source.path), "--to", fresh_postgis_url],
                     ["store", "copy", "--from", fresh_postgis_url, "--to", str(back)]):
            args = parser.parse_args(argv)
            args.func(args)
        out, err = capsys.readouterr()
        assert "graffiti: 3 rows" in out
        assert "snapshots: 1" in out
        assert "import log (new entries): 3" in out
        assert "tk_action_followup: 2 rows" in err
        assert open_store(back).count("graffiti") == 3

    def test_missing_source_is_refused(self, tmp_path):
        parser = argparse.ArgumentParser()
        add_store_parser(parser.add_subparsers(dest="command"), argparse.ArgumentParser(add_help=False))
        args = parser.parse_args(["store", "copy", "--from", str(tmp_path / "none.gpkg"),
                                  "--to", str(tmp_path / "b.gpkg")])
        with pytest.raises(DataStoreError, match="no store at"):
            args.func(args)
