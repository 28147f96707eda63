"""The GeoPackage store: round trips, filters, atomic writes, log and snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely import Point, Polygon

import geo.store.gpkg as gpkg_module
from geo.errors import DataStoreError, LayerSpecError, ValidationError
from geo.io.layer_store import LayerStore
from geo.store import GeoPackageStore, open_store
from geo.store.postgis import PostGISStore

TZ = "Europe/Stockholm"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
            "description": ["<script>alert(1)</script>", "tag på vägg", None, "åäö"][:n],
        },
        geometry=[Point(660000 + 100 * (i + start), 6590000 + 100 * i) for i in range(n)],
        crs="EPSG:3006",
    )


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "store.gpkg")
    s.write("graffiti", graffiti(), source="test.csv")
    return s


def _unmade(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, tuple]:
    """The frame with its points taken out, and their coordinates."""
    xy = (frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy())
    return frame.set_geometry(gpd.GeoSeries([None] * len(frame), index=frame.index, crs=frame.crs)), xy


def _schema(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                          "AND name != 'tk_import_log' ORDER BY name").fetchall()


class TestPointsWrittenFromCoordinates:
    """``points=(x, y)`` writes WKB made from the coordinates: the same file content as made points."""

    def test_new_layer_and_append_equal_the_made_points(self, tmp_path):
        made, given = GeoPackageStore(tmp_path / "made.gpkg"), GeoPackageStore(tmp_path / "given.gpkg")
        for ids, start in ((("g1", "g2", "g3"), 0), (("g4", "g5"), 7)):
            frame = graffiti(ids, start=start)
            made.write_validated("graffiti", frame)
            unmade, xy = _unmade(frame)
            given.write_validated("graffiti", unmade, points=xy)
        pd.testing.assert_frame_equal(given.read("graffiti"), made.read("graffiti"))
        assert given.read("graffiti").geometry.iloc[4].equals(Point(660800, 6590100))  # g5: start 7, i 1
        assert _schema(given.path) == _schema(made.path)
        assert pyogrio.read_info(given.path, layer="graffiti")["geometry_type"] == "Point"

    def test_no_point_is_made(self, tmp_path, monkeypatch):
        import shapely

        frame = graffiti()
        unmade, xy = _unmade(frame)
        made: list[str] = []

        def recorded(name):
            real = getattr(shapely, name)
            return lambda *args, **kwargs: made.append(name) or real(*args, **kwargs)

        for name in ("points", "to_wkb"):
            monkeypatch.setattr(shapely, name, recorded(name))
        store = GeoPackageStore(tmp_path / "s.gpkg")
        store.write_validated("graffiti", unmade, points=xy)
        assert made == []  # neither a point made nor WKB written with GEOS
        monkeypatch.undo()
        back = store.read("graffiti")
        assert back["id"].tolist() == ["g1", "g2", "g3"]
        assert back.geometry.geom_type.tolist() == ["Point"] * 3
        assert back.geometry.geom_equals_exact(frame.geometry, tolerance=0).all()


class TestRoundTrip:
    def test_written_features_come_back(self, store):
        back = store.read("graffiti")
        assert list(back["id"]) == ["g1", "g2", "g3"]
        assert back.crs.to_epsg() == 3006
        assert back.geometry.iloc[1].equals(Point(660100, 6590100))
        assert back["description"].iloc[0] == "<script>alert(1)</script>"
        assert back["description"].iloc[3 - 1] is None or pd.isna(back["description"].iloc[2])
        assert back["offensive"].tolist()[:2] == [True, False]
        assert pd.isna(back["offensive"].iloc[2])

    @pytest.mark.parametrize("dtype", ["str", object])
    def test_missing_text_is_stored_as_null_from_arrow_and_object_text(self, tmp_path, dtype):
        frame = graffiti()
        frame["description"] = pd.Series(["<b>x</b>", None, "åäö"], dtype=dtype)
        frame["object_kind"] = frame["object_kind"].astype(dtype)
        store = GeoPackageStore(tmp_path / "s.gpkg")
        store.write("graffiti", frame)
        with sqlite3.connect(store.path) as db:
            stored = db.execute("SELECT description, object_kind FROM graffiti ORDER BY fid").fetchall()
        assert stored == [("<b>x</b>", "school"), (None, "pedestrian_tunnel"), ("åäö", "other")]
        assert store.read("graffiti")["description"].tolist() == ["<b>x</b>", None, "åäö"]

    def test_timestamps_keep_their_stockholm_offset(self, store):
        back = store.read("graffiti")["reported_at"]
        assert str(back.dt.tz) == TZ
        assert [t.isoformat() for t in back] == [
            "2026-03-28T20:00:00+01:00",  # winter time, the night before spring DST
            "2026-07-01T12:00:00+02:00",  # summer time
            "2026-10-25T01:30:00+02:00",  # the night autumn DST ends
        ]

    def test_stored_as_utc_in_a_standard_geopackage(self, store):
        info = pyogrio.read_info(store.path, layer="graffiti")
        assert info["crs"] == "EPSG:3006"
        assert info["geometry_type"] == "Point"
        with sqlite3.connect(store.path) as con:
            kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
            stored = con.execute("SELECT reported_at FROM graffiti ORDER BY fid").fetchone()[0]
            srs = con.execute(
                "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='graffiti'").fetchone()[0]
        assert kinds == {"graffiti": "features", "tk_import_log": "attributes"}
        assert stored.startswith("2026-03-28T19:00:00")
        assert stored.endswith("Z")
        assert srs == 3006

    def test_input_in_wgs84_is_stored_in_sweref(self, tmp_path):
        s = GeoPackageStore(tmp_path / "s.gpkg")
        frame = graffiti(ids=("a",)).to_crs(4326)
        s.write("graffiti", frame)
        back = s.read("graffiti")
        assert back.crs.to_epsg() == 3006
        assert back.geometry.iloc[0].distance(Point(660000, 6590000)) < 0.01

    def test_unstored_layer_reads_as_empty_frame_with_columns(self, store):
        empty = store.read("lighting")
        assert len(empty) == 0
        assert list(empty.columns[:3]) == ["id", "lamp_id", "status"]
        assert empty.crs.to_epsg() == 3006

    def test_count_and_list(self, store):
        assert store.list_layers() == ["graffiti"]
        assert store.count("graffiti") == 3
        assert store.count("lighting") == 0


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
    def test_failure_half_way_leaves_file_byte_identical(self, store, monkeypatch):
        before = sha256(store.path)

        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        # The features are written to the working copy; then the log write fails.
        monkeypatch.setattr(gpkg_module, "_append_row", explode)
        with pytest.raises(DataStoreError, match="nothing was changed: disk full"):
            store.write("graffiti", graffiti(ids=("g4",), start=9))
        assert sha256(store.path) == before
        assert not list(store.path.parent.glob(".*.tmp.gpkg"))

    def test_failure_inside_the_feature_write(self, store, monkeypatch):
        before = sha256(store.path)
        real = pyogrio.write_dataframe

        def half(frame, path, **kwargs):
            real(frame.iloc[: len(frame) // 2], path, **kwargs)
            raise OSError("connection lost")

        monkeypatch.setattr(gpkg_module.pyogrio, "write_dataframe", half)
        with pytest.raises(DataStoreError, match="connection lost"):
            store.write("graffiti", graffiti(ids=("g4", "g5"), start=9))
        assert sha256(store.path) == before

    def test_invalid_data_changes_nothing(self, store):
        before = sha256(store.path)
        bad = graffiti(ids=("g1", "g9"), start=5)
        bad.loc[1, "object_kind"] = "bridge"
        with pytest.raises(ValidationError, match=r"2 problem\(s\)") as info:
            store.write("graffiti", bad, source="new.csv")
        assert {(p.row, p.field) for p in info.value.problems} == {(1, "id"), (2, "object_kind")}
        assert sha256(store.path) == before

    def test_replace(self, store):
        store.write("graffiti", graffiti(ids=("n1",), start=3), mode="replace")
        assert list(store.read("graffiti")["id"]) == ["n1"]

    def test_bad_mode(self, store):
        with pytest.raises(ValueError, match="mode='upsert' is not allowed; allowed: append, replace"):
            store.write("graffiti", graffiti(), mode="upsert")

    def test_two_writers_at_once_lose_nothing(self, store):
        errors = []

        def append(prefix):
            try:
                for i in range(3):
                    store.write("graffiti", graffiti(ids=(f"{prefix}{i}",), start=10 + i))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=append, args=(p,)) for p in ("a", "b")]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        assert store.count("graffiti") == 9

    def test_state_token_changes_on_write(self, store):
        before = store.state_token()
        store.write("graffiti", graffiti(ids=("g7",), start=7))
        assert store.state_token() != before


class TestLogAndSnapshots:
    def test_import_log(self, store):
        store.write("graffiti", graffiti(ids=("g8",), start=8), source="b.geojson", note="andra")
        log = store.import_log()
        assert list(log["source"]) == ["test.csv", "b.geojson"]
        assert list(log["rows"]) == [3, 1]
        assert list(log["mode"]) == ["append", "append"]
        assert str(log["at"].dt.tz) == "UTC"

    def test_snapshot_round_trip(self, store):
        cells = gpd.GeoDataFrame({"unit_id": ["6600006590000"], "incidents": [5]},
                                 geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs="EPSG:3006")
        table = store.save_snapshot("Q3 2026", cells, {"unit": "grid250", "from": "2026-07-01"})
        assert table == "snapshot_q3_2026"
        frame, params = store.read_snapshot("Q3 2026")
        assert frame["incidents"].tolist() == [5]
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


class TestImporterInterface:
    """The store is the ``LayerStore`` the importer writes into, through its public methods only."""

    def test_both_backends_are_layer_stores(self, store):
        assert isinstance(store, LayerStore)
        assert issubclass(PostGISStore, LayerStore)

    def test_existing_ids(self, store):
        assert store.existing_ids("graffiti") == {"g1", "g2", "g3"}
        assert store.existing_ids("lighting") == set()  # not stored yet
        with pytest.raises(LayerSpecError):
            store.existing_ids("no_such_layer")

    def test_write_validated_writes_what_write_writes(self, tmp_path):
        checked, validated = GeoPackageStore(tmp_path / "a.gpkg"), GeoPackageStore(tmp_path / "b.gpkg")
        assert checked.write("graffiti", graffiti()) == validated.write_validated("graffiti", graffiti()) == 3
        pd.testing.assert_frame_equal(checked.read("graffiti"), validated.read("graffiti"))


class TestOpenStore:
    def test_must_exist(self, tmp_path):
        with pytest.raises(DataStoreError, match=r"no store at .*x\.gpkg; create one with"):
            open_store(tmp_path / "x.gpkg", must_exist=True)

    def test_not_a_geopackage(self, tmp_path):
        fake = tmp_path / "fake.gpkg"
        fake.write_text("hello")
        with pytest.raises(DataStoreError, match="is not a readable GeoPackage"):
            open_store(fake)

    def test_wrong_suffix(self, tmp_path):
        with pytest.raises(DataStoreError, match=r"must be a \.gpkg file or a postgresql:// URL"):
            open_store(tmp_path / "x.shp")


class TestRecords:
    def test_append_only_history(self, store):
        first = pd.DataFrame({"nr": [3], "status": ["ongoing"],
                              "changed_at": [pd.Timestamp("2026-11-01 10:00", tz=TZ)]})
        second = pd.DataFrame({"nr": [3], "status": ["done"],
                               "changed_at": [pd.Timestamp("2026-11-20 10:00", tz=TZ)]})
        store.append_records("tk_action_followup", first)
        store.append_records("tk_action_followup", second)
        rows = store.read_records("tk_action_followup")
        assert rows["status"].tolist() == ["ongoing", "done"]
        assert rows["changed_at"].iloc[0] == pd.Timestamp("2026-11-01 09:00", tz="UTC")

    def test_missing_table_reads_empty(self, store):
        assert store.read_records("tk_nothing").empty

    @pytest.mark.parametrize("name", ["graffiti", "tk_import_log", "tk_x; DROP TABLE", "TK_A"])
    def test_table_names_are_checked(self, store, name):
        with pytest.raises(ValueError, match=r"is not allowed"):
            store.append_records(name, pd.DataFrame({"a": [1]}))


def test_racing_writers_cannot_both_add_the_same_id(tmp_path):
    store = GeoPackageStore(tmp_path / "race.gpkg")
    store.write("graffiti", graffiti(ids=("g1",)))
    results = []

    def append():
        try:
            store.write("graffiti", graffiti(ids=("dup",), start=5))
            results.append("ok")
        except ValidationError as exc:
            results.append(str(exc))

    threads = [threading.Thread(target=append) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count("ok") == 1
    assert all("already exists" in r for r in results if r != "ok")
    assert list(store.read("graffiti")["id"]).count("dup") == 1
