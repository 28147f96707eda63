"""The store suite on both backends: GeoPackage and PostGIS behave the same.

The PostGIS cases run against a throwaway server (``postgis_server.py``);
each test gets a fresh schema, so a fresh store.
"""

from __future__ import annotations

import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import MultiPolygon, Point, Polygon

import geo.store.gpkg as gpkg_module
import geo.store.postgis.rows as postgis_rows
import geo.store.postgis.store as postgis_store_module
from geo.errors import DataStoreError, ValidationError
from geo.store import GeoPackageStore, open_store
from geo.store.postgis import PostGISStore

pytest_plugins = ["postgis_server"]

TZ = "Europe/Stockholm"
BACKENDS = ["gpkg", "postgis"]


def graffiti(ids=("g1", "g2", "g3"), start=0) -> gpd.GeoDataFrame:
    n = len(ids)
    reported = pd.to_datetime(
        ["2026-03-28 20:00", "2026-07-01 12:00", "2026-10-25 01:30", "2026-12-24 18:00"][:n]
    ).tz_localize(TZ)
    return gpd.GeoDataFrame(
        {
            "id": list(ids),
            "reported_at": reported,
            "removed_at": pd.Series([pd.NaT] * n, dtype=f"datetime64[ns, {TZ}]"),
            "object_kind": ["school", "pedestrian_tunnel", "other", "preschool"][:n],
            "offensive": [True, False, None, False][:n],
            "description": ["<script>alert(1)</script>", "tag på vägg\tmed\nrader \\N", None, "åäö"][:n],
        },
        geometry=[Point(660000 + 100 * (i + start), 6590000 + 100 * i) for i in range(n)],
        crs="EPSG:3006",
    )


def many_graffiti(prefix: str, n: int, start: int = 0) -> gpd.GeoDataFrame:
    frame = graffiti(ids=("x",))
    frame = pd.concat([frame] * n, ignore_index=True)
    frame["id"] = [f"{prefix}{start + i}" for i in range(n)]
    return frame.set_geometry(gpd.points_from_xy(660000 + np.arange(n), np.full(n, 6590000.0)),
                              crs="EPSG:3006")


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    if request.param == "gpkg":
        return GeoPackageStore(tmp_path / "store.gpkg")
    return PostGISStore(request.getfixturevalue("fresh_postgis_url"))


@pytest.fixture
def store(empty_store):
    empty_store.write("graffiti", graffiti(), source="test.csv")
    return empty_store


def fail_log_write(store, monkeypatch, error: Exception) -> None:
    """Make the import log write, after the features, fail inside the write."""
    def explode(*args, **kwargs):
        raise error

    if isinstance(store, GeoPackageStore):
        monkeypatch.setattr(gpkg_module, "_append_row", explode)
    else:
        monkeypatch.setattr(postgis_store_module, "append_log_row", explode)


def fail_half_way(store, monkeypatch) -> None:
    """Make the feature write fail after half the rows are sent."""
    if isinstance(store, GeoPackageStore):
        real = gpkg_module.pyogrio.write_dataframe

        def half(frame, path, **kwargs):
            real(frame.iloc[: len(frame) // 2], path, **kwargs)
            raise OSError("connection lost")

        monkeypatch.setattr(gpkg_module.pyogrio, "write_dataframe", half)
        return
    real_blocks = postgis_rows.copy_blocks

    def half_blocks(frame, kinds):
        yield from real_blocks(frame.iloc[: len(frame) // 2], kinds)
        raise OSError("connection lost")

    monkeypatch.setattr(postgis_rows, "copy_blocks", half_blocks)


def snapshot_of(store) -> tuple:
    """What a failed write must leave unchanged."""
    return (store.count("graffiti"), list(store.read("graffiti")["id"]), len(store.import_log()))


class TestRoundTrip:
    def test_written_features_come_back(self, store):
        back = store.read("graffiti")
        assert list(back["id"]) == ["g1", "g2", "g3"]
        assert back.crs.to_epsg() == 3006
        assert back.geometry.iloc[1].equals(Point(660100, 6590100))
        assert back["description"].iloc[0] == "<script>alert(1)</script>"
        assert back["description"].iloc[1] == "tag på vägg\tmed\nrader \\N"
        assert pd.isna(back["description"].iloc[2])
        assert back["offensive"].tolist()[:2] == [True, False]
        assert pd.isna(back["offensive"].iloc[2])
        assert back["removed_at"].isna().all()

    def test_timestamps_keep_their_stockholm_offset(self, store):
        back = store.read("graffiti")["reported_at"]
        assert str(back.dt.tz) == TZ
        assert [t.isoformat() for t in back] == [
            "2026-03-28T20:00:00+01:00",  # winter time, the night before spring DST
            "2026-07-01T12:00:00+02:00",  # summer time
            "2026-10-25T01:30:00+02:00",  # the night autumn DST ends
        ]

    def test_input_in_wgs84_is_stored_in_sweref(self, empty_store):
        empty_store.write("graffiti", graffiti(ids=("a",)).to_crs(4326))
        back = empty_store.read("graffiti")
        assert back.crs.to_epsg() == 3006
        assert back.geometry.iloc[0].distance(Point(660000, 6590000)) < 0.01

    def test_unstored_layer_reads_as_empty_frame_with_columns(self, store):
        empty = store.read("lighting")
        assert len(empty) == 0
        assert list(empty.columns[:3]) == ["id", "lamp_id", "status"]
        assert empty.crs.to_epsg() == 3006

    def test_count_list_and_info(self, store):
        assert store.list_layers() == ["graffiti"]
        assert store.count("graffiti") == 3
        assert store.count("lighting") == 0
        (info,) = store.info()
        assert (info.name, info.count, info.crs) == ("graffiti", 3, "EPSG:3006")
        assert info.bounds == (660000.0, 6590000.0, 660200.0, 6590200.0)
        assert [t.isoformat() for t in info.time_span] == ["2026-03-28T20:00:00+01:00",
                                                          "2026-10-25T01:30:00+02:00"]

    def test_polygons_are_stored_as_multipolygons(self, empty_store):
        square = Polygon([(660000, 6590000), (661000, 6590000), (661000, 6591000), (660000, 6591000)])
        areas = gpd.GeoDataFrame(
            {"id": ["a1"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"],
             "population": pd.array([None], dtype="Int64")},
            geometry=[square], crs="EPSG:3006")
        empty_store.write("areas", areas)
        back = empty_store.read("areas")
        assert back.geometry.iloc[0].equals(MultiPolygon([square]))
        assert pd.isna(back["population"].iloc[0])
        assert str(back["population"].dtype) == "Int64"

    def test_mixed_geometry_layer_keeps_each_type(self, empty_store):
        square = Polygon([(660000, 6590000), (660100, 6590000), (660100, 6590100)])
        places = gpd.GeoDataFrame(
            {"id": ["u1", "u2"], "reason": ["lighting", "other"], "status": ["new", "approved"],
             "reported_at": pd.to_datetime(["2026-01-01 10:00", "2026-01-02 10:00"]).tz_localize(TZ),
             "source": ["walk", "survey"]},
            geometry=[Point(660000, 6590000), square], crs="EPSG:3006")
        empty_store.write("unsafe_places", places)
        back = empty_store.read("unsafe_places")
        assert back.geometry.geom_type.tolist() == ["Point", "Polygon"]


class TestFilters:
    def test_bbox(self, store):
        assert list(store.read("graffiti", bbox=(660050, 6590050, 660150, 6590150))["id"]) == ["g2"]

    def test_period_is_half_open_in_local_time(self, store):
        got = store.read("graffiti", start="2026-03-28 20:00", end="2026-10-25 01:30")
        assert list(got["id"]) == ["g1", "g2"]

    def test_categories(self, store):
        assert list(store.read("graffiti", categories=["school", "other"])["id"]) == ["g1", "g3"]

    def test_unknown_category_is_refused(self, store):
        with pytest.raises(ValueError, match=r"categories \['bridge'\] are not object_kind values"):
            store.read("graffiti", categories=["bridge"])

    def test_bad_bbox(self, store):
        with pytest.raises(ValueError, match=r"must be \(minx, miny, maxx, maxy\)"):
            store.read("graffiti", bbox=(1, 2, 0, 3))

    def test_time_filter_on_layer_without_time(self, store):
        with pytest.raises(ValueError, match="has no time column"):
            store.read("cameras", start="2026-01-01")


class TestAtomicWrites:
    def test_failure_after_the_features_changes_nothing(self, store, monkeypatch):
        before = snapshot_of(store)
        fail_log_write(store, monkeypatch, RuntimeError("disk full"))
        with pytest.raises(DataStoreError, match="nothing was changed: disk full"):
            store.write("graffiti", graffiti(ids=("g4",), start=9))
        monkeypatch.undo()
        assert snapshot_of(store) == before

    def test_failure_inside_the_feature_write_changes_nothing(self, store, monkeypatch):
        before = snapshot_of(store)
        fail_half_way(store, monkeypatch)
        with pytest.raises(DataStoreError, match="connection lost"):
            store.write("graffiti", graffiti(ids=("g4", "g5"), start=9))
        monkeypatch.undo()
        assert snapshot_of(store) == before

    def test_failed_replace_keeps_the_old_rows(self, store, monkeypatch):
        before = snapshot_of(store)
        fail_log_write(store, monkeypatch, RuntimeError("disk full"))
        with pytest.raises(DataStoreError, match="nothing was changed"):
            store.write("graffiti", graffiti(ids=("n1",), start=3), mode="replace")
        monkeypatch.undo()
        assert snapshot_of(store) == before

    def test_invalid_data_changes_nothing(self, store):
        before, token = snapshot_of(store), store.state_token()
        bad = graffiti(ids=("g1", "g9"), start=5)
        bad.loc[1, "object_kind"] = "bridge"
        with pytest.raises(ValidationError, match=r"2 problem\(s\)") as info:
            store.write("graffiti", bad, source="new.csv")
        assert {(p.row, p.field) for p in info.value.problems} == {(1, "id"), (2, "object_kind")}
        assert snapshot_of(store) == before
        assert store.state_token() == token

    def test_duplicate_ids_are_refused(self, store):
        with pytest.raises(ValidationError, match="id 'g2' already exists in the store"):
            store.write("graffiti", graffiti(ids=("g2",), start=7))
        assert store.count("graffiti") == 3

    def test_replace(self, store):
        store.write("graffiti", graffiti(ids=("n1",), start=3), mode="replace")
        assert list(store.read("graffiti")["id"]) == ["n1"]

    def test_bad_mode(self, store):
        with pytest.raises(ValueError, match="mode='upsert' is not allowed; allowed: append, replace"):
            store.write("graffiti", graffiti(), mode="upsert")

    def test_two_writers_at_once_lose_nothing(self, store):
        errors, start = [], threading.Barrier(2)

        def append(prefix):
            try:
                start.wait()
                for batch in range(4):
                    store.write("graffiti", many_graffiti(prefix, 25, start=25 * batch))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(p,)) for p in ("a", "b")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        ids = set(store.read("graffiti")["id"])
        assert len(ids) == store.count("graffiti") == 3 + 2 * 100
        assert {f"a{i}" for i in range(100)} | {f"b{i}" for i in range(100)} <= ids
        assert len(store.import_log()) == 1 + 8

    def test_state_token_changes_on_every_write(self, store):
        tokens = {store.state_token()}
        store.write("graffiti", graffiti(ids=("g7",), start=7))
        tokens.add(store.state_token())
        store.append_records("tk_notes", pd.DataFrame({"a": [1]}))
        tokens.add(store.state_token())
        cells = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(0, 0)], crs="EPSG:3006")
        store.save_snapshot("T", cells, {})
        tokens.add(store.state_token())
        assert len(tokens) == 4


class TestLogAndSnapshots:
    def test_import_log(self, store):
        store.write("graffiti", graffiti(ids=("g8",), start=8), source="b.geojson", note="andra")
        log = store.import_log()
        assert list(log["source"]) == ["test.csv", "b.geojson"]
        assert list(log["rows"]) == [3, 1]
        assert list(log["mode"]) == ["append", "append"]
        assert list(log["note"]) == ["", "andra"]
        assert str(log["at"].dt.tz) == "UTC"

    def test_snapshot_round_trip(self, store):
        cells = gpd.GeoDataFrame(
            {"unit_id": ["6600006590000"], "incidents": [5], "share": [0.25],
             "at": [pd.Timestamp("2026-07-01 12:00", tz=TZ)]},
            geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs="EPSG:3006")
        table = store.save_snapshot("Q3 2026", cells, {"unit": "grid250", "from": "2026-07-01"})
        assert table == "snapshot_q3_2026"
        frame, params = store.read_snapshot("Q3 2026")
        assert frame["incidents"].tolist() == [5]
        assert frame["share"].tolist() == [0.25]
        assert frame["at"].iloc[0] == pd.Timestamp("2026-07-01 10:00", tz="UTC")
        assert frame.geometry.iloc[0].equals(Polygon([(0, 0), (1, 0), (1, 1)]))
        assert params == {"from": "2026-07-01", "unit": "grid250"}
        assert list(store.list_snapshots()["name"]) == ["Q3 2026"]

    def test_snapshot_names(self, store):
        cells = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs="EPSG:3006")
        store.save_snapshot("Q3", cells, {})
        with pytest.raises(ValueError, match="exists already"):
            store.save_snapshot("Q3", cells, {})
        with pytest.raises(ValueError, match=r"is not allowed"):
            store.save_snapshot("../../etc", cells, {})
        with pytest.raises(DataStoreError, match=r"no snapshot named 'Q9'.*snapshots: Q3"):
            store.read_snapshot("Q9")


class TestRecords:
    def test_append_only_history(self, store):
        first = pd.DataFrame({"nr": [3], "status": ["ongoing"], "done": [False],
                              "changed_at": [pd.Timestamp("2026-11-01 10:00", tz=TZ)]})
        second = pd.DataFrame({"nr": [3], "status": ["done"], "done": [True],
                               "changed_at": [pd.Timestamp("2026-11-20 10:00", tz=TZ)]})
        store.append_records("tk_action_followup", first)
        store.append_records("tk_action_followup", second)
        rows = store.read_records("tk_action_followup")
        assert list(rows.columns) == ["nr", "status", "done", "changed_at"]
        assert rows["status"].tolist() == ["ongoing", "done"]
        assert rows["nr"].tolist() == [3, 3]
        assert rows["done"].tolist() == [False, True]
        assert rows["changed_at"].iloc[0] == pd.Timestamp("2026-11-01 09:00", tz="UTC")

    def test_missing_table_reads_empty(self, store):
        assert store.read_records("tk_nothing").empty

    @pytest.mark.parametrize("name", ["graffiti", "tk_import_log", "tk_x; DROP TABLE", "TK_A"])
    def test_table_names_are_checked(self, store, name):
        with pytest.raises(ValueError, match=r"is not allowed"):
            store.append_records(name, pd.DataFrame({"a": [1]}))


class TestOpenStore:
    def test_backend_follows_the_location(self, empty_store):
        reopened = open_store(empty_store.location)
        assert type(reopened) is type(empty_store)
        assert reopened.location == empty_store.location
