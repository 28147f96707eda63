"""PostGIS-only behaviour: table types, constraints, concurrency, connection settings and errors."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point, Polygon

import geo.store.postgis.rows as postgis_rows
from geo import settings
from geo.errors import DataStoreError, ValidationError
from geo.store import open_store
from geo.store.postgis import PostGISStore

pytest_plugins = ["postgis_server"]

TZ = "Europe/Stockholm"


def graffiti(ids, x0=660000) -> gpd.GeoDataFrame:
    n = len(ids)
    return gpd.GeoDataFrame(
        {"id": list(ids),
         "reported_at": pd.date_range("2026-01-01 10:00", periods=n, freq="h", tz=TZ),
         "object_kind": ["school"] * n, "offensive": [True] * n},
        geometry=[Point(x0 + 10 * i, 6590000) for i in range(n)], crs="EPSG:3006")


def areas() -> gpd.GeoDataFrame:
    square = Polygon([(660000, 6590000), (661000, 6590000), (661000, 6591000), (660000, 6591000)])
    return gpd.GeoDataFrame({"id": ["a1"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"],
                             "population": [80000]}, geometry=[square], crs="EPSG:3006")


@pytest.fixture
def store(fresh_postgis_url) -> PostGISStore:
    return PostGISStore(fresh_postgis_url)


def query(store: PostGISStore, statement: str, args=()) -> list[tuple]:
    with store.connect() as conn:
        return conn.execute(statement, list(args)).fetchall()


class TestTables:
    def test_columns_have_the_specs_types(self, store):
        store.write("graffiti", graffiti(["g1"]))
        types = dict(query(store, "SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = current_schema() AND table_name = 'graffiti'"))
        assert types == {
            "fid": "bigint", "id": "text", "reported_at": "timestamp with time zone",
            "removed_at": "timestamp with time zone", "object_kind": "text", "property": "text",
            "offensive": "boolean", "description": "text", "geom": "USER-DEFINED",
        }

    @pytest.mark.parametrize(("layer", "kind"), [("graffiti", "POINT"), ("areas", "MULTIPOLYGON"),
                                                 ("unsafe_places", "GEOMETRY")])
    def test_geometry_column_in_sweref_with_a_gist_index(self, store, layer, kind):
        store.write("graffiti", graffiti(["g1"]))
        store.write("areas", areas())
        store.write("unsafe_places", gpd.GeoDataFrame(
            {"id": ["u1"], "reason": ["lighting"], "status": ["new"], "source": ["walk"],
             "reported_at": [pd.Timestamp("2026-01-01", tz=TZ)]},
            geometry=[Point(660000, 6590000)], crs="EPSG:3006"))
        rows = query(store, "SELECT type, srid FROM geometry_columns "
                            "WHERE f_table_schema = current_schema() AND f_table_name = %s", [layer])
        assert rows == [(kind, 3006)]
        indexes = [r[0] for r in query(store, "SELECT indexdef FROM pg_indexes WHERE "
                                              "schemaname = current_schema() AND tablename = %s", [layer])]
        assert any("USING gist (geom)" in d for d in indexes)

    def test_id_is_unique_and_areas_code_too(self, store):
        store.write("areas", areas())
        unique = {r[0] for r in query(
            store, "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a "
                   "ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                   "WHERE c.contype = 'u' AND c.conrelid = 'areas'::regclass")}
        assert unique == {"id", "code"}

    def test_large_writes_go_in_several_copy_blocks(self, store, monkeypatch):
        monkeypatch.setattr(postgis_rows, "COPY_CHUNK_ROWS", 7)
        ids = [f"g{i:03d}" for i in range(50)]
        store.write("graffiti", graffiti(ids))
        assert list(store.read("graffiti")["id"]) == ids

    def test_hostile_column_names_are_quoted(self, store):
        store.write("graffiti", graffiti(["g1"]))
        name = 'a"; DROP TABLE graffiti; --'
        store.append_records("tk_notes", pd.DataFrame({name: ["x"], "user": ["y"]}))
        assert store.read_records("tk_notes")[name].tolist() == ["x"]
        assert store.count("graffiti") == 1


def test_points_given_by_coordinates_are_made_and_stored(store):
    frame = graffiti(["p1", "p2"])
    xy = (frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy())
    unmade = frame.set_geometry(gpd.GeoSeries([None, None], index=frame.index, crs=frame.crs))
    assert store.write_validated("graffiti", unmade, points=xy) == 2
    back = store.read("graffiti").set_index("id")
    assert back.geometry.loc["p2"].equals(frame.geometry.iloc[1])


class TestConcurrency:
    def test_the_unique_constraint_refuses_ids_the_check_missed(self, store, monkeypatch):
        store.write("graffiti", graffiti(["g1", "g2"]))
        monkeypatch.setattr(PostGISStore, "_ids", lambda self, layer: set())
        with pytest.raises(ValidationError, match=r"new\.csv: 1 problem\(s\): row 2, id: id 'g2' already"):
            store.write("graffiti", graffiti(["g9", "g2"], x0=661000), source="new.csv")
        monkeypatch.undo()
        assert store.count("graffiti") == 2
        assert len(store.import_log()) == 1

    def test_two_writers_of_the_same_id_store_it_once(self, store):
        store.write("graffiti", graffiti(["g0"]))
        start, outcomes = threading.Barrier(2), []

        def append(x0):
            start.wait()
            try:
                store.write("graffiti", graffiti(["dup"], x0=x0))
                outcomes.append("written")
            except ValidationError as exc:
                outcomes.append(str(exc))

        threads = [threading.Thread(target=append, args=(x,)) for x in (661000, 662000)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert sorted(outcomes)[1] == "written"
        assert "id 'dup' already exists in the store" in sorted(outcomes)[0]
        assert list(store.read("graffiti")["id"]) == ["g0", "dup"]

    def test_two_departments_write_at_once_and_every_row_arrives(self, fresh_postgis_url):
        first, second = PostGISStore(fresh_postgis_url), PostGISStore(fresh_postgis_url)
        errors, start = [], threading.Barrier(2)

        def work(store, prefix):
            try:
                start.wait()
                for batch in range(5):
                    ids = [f"{prefix}{batch}-{i}" for i in range(200)]
                    store.write("graffiti", graffiti(ids), source=prefix)
                    store.append_records("tk_followup", pd.DataFrame({"who": [prefix], "batch": [batch]}))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(s, p)) for s, p in ((first, "a"), (second, "b"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        assert first.count("graffiti") == 2000
        assert len(set(second.read("graffiti")["id"])) == 2000
        assert sorted(first.import_log()["source"]) == ["a"] * 5 + ["b"] * 5
        assert len(second.read_records("tk_followup")) == 10

    def test_state_token_sees_edits_made_outside_the_program(self, store):
        store.write("graffiti", graffiti(["g1"]))
        before = store.state_token()
        with store.connect() as conn:  # as QGIS would
            conn.execute("UPDATE graffiti SET object_kind = 'other'")
        assert store.state_token() != before


    def test_a_table_that_lost_its_trigger_gets_it_back(self, store):
        store.write("graffiti", graffiti(["g1"]))
        with store.connect() as conn:
            conn.execute("DROP TRIGGER trygghetskartan_bump ON graffiti")
        store.write("graffiti", graffiti(["g2"], x0=661000))
        before = store.state_token()
        with store.connect() as conn:
            conn.execute("DELETE FROM graffiti WHERE id = 'g1'")
        assert store.state_token() != before


class TestServerPolicy:
    """CI must fail, not skip, when the throwaway server cannot start."""

    class Config:
        def __init__(self):
            self.stash, self.cleanups = pytest.Stash(), []

        def add_cleanup(self, fn):
            self.cleanups.append(fn)

    @pytest.fixture
    def broken(self, monkeypatch):
        import postgis_server

        def refuse(self):
            raise postgis_server.ServerUnavailableError("initdb failed with status 1: no space")

        monkeypatch.setattr(postgis_server.ThrowawayServer, "start", refuse)
        return postgis_server

    def test_ci_fails(self, broken, monkeypatch):
        monkeypatch.setenv("CI", "true")
        config = self.Config()
        with pytest.raises(pytest.fail.Exception, match=r"(?s)initdb failed .*CI installs the Debian"):
            broken._shared_server(config)
        for cleanup in config.cleanups:
            cleanup()

    def test_elsewhere_skips(self, broken, monkeypatch):
        monkeypatch.delenv("CI", raising=False)
        config = self.Config()
        with pytest.raises(pytest.skip.Exception, match="cannot start a throwaway PostgreSQL"):
            broken._shared_server(config)
        for cleanup in config.cleanups:
            cleanup()


class TestConnection:
    def test_open_store_picks_postgis(self, fresh_postgis_url):
        store = open_store(fresh_postgis_url)
        assert type(store) is PostGISStore
        assert store.schema == fresh_postgis_url.split("search_path%3D")[1].split(",")[0]
        assert store.list_layers() == []

    def test_password_is_never_shown(self, postgis_server):
        url = postgis_server.url.replace("postgres@", "postgres:hemligt@")
        store = PostGISStore(url)
        assert "hemligt" not in store.location
        assert "hemligt" not in repr(store)
        assert store.location == postgis_server.url

    def test_unreachable_server(self, postgis_server):
        port = type(postgis_server).free_port()
        with pytest.raises(DataStoreError, match=rf"cannot connect to postgresql://tk@127\.0\.0\.1:{port}/"
                                                 r"db: .*(refused|failed)") as info:
            PostGISStore(f"postgresql://tk:hemligt@127.0.0.1:{port}/db")
        assert "hemligt" not in str(info.value)

    def test_database_without_postgis_and_no_right_to_create_it(self, postgis_server):
        name = f"tk_plain_{uuid.uuid4().hex[:8]}"
        postgis_server.sql("postgres", f'CREATE DATABASE "{name}"')
        postgis_server.sql("postgres", f'CREATE ROLE "{name}" LOGIN')
        with pytest.raises(DataStoreError, match=rf"PostGIS is not installed in database {name}: "
                                                 r"CREATE EXTENSION postgis"):
            PostGISStore(postgis_server.url_for(name, user=name))

    def test_postgis_is_created_when_the_user_may(self, postgis_server):
        name = f"tk_auto_{uuid.uuid4().hex[:8]}"
        postgis_server.sql("postgres", f'CREATE DATABASE "{name}"')
        store = PostGISStore(postgis_server.url_for(name))
        store.write("graffiti", graffiti(["g1"]))
        assert store.count("graffiti") == 1

    def test_not_a_url(self):
        with pytest.raises(DataStoreError, match="not a valid postgresql:// URL") as info:
            PostGISStore("postgresql://u:hemligt@host:notaport:5/db?x=y=z")
        assert "hemligt" not in str(info.value)

    def test_without_psycopg_the_error_names_the_feature_and_package(self, monkeypatch):
        monkeypatch.setitem(sys.modules, "psycopg", None)
        with pytest.raises(ImportError, match=r"PostGIS store .* needs the package psycopg 3.*"
                                              r"psycopg\[binary\]"):
            open_store("postgresql://localhost/db")

    def test_geopackage_users_never_import_psycopg(self):
        code = "import geo.store, geo.store.copy, geo.cli.store, sys; print('psycopg' in sys.modules)"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=settings.PROJECT_ROOT)
        assert done.stdout.strip() == "False"


class TestSettings:
    @pytest.fixture
    def clean_env(self, monkeypatch):
        for name in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSERVICE",
                     settings.postgis_dsn_env):
            monkeypatch.delenv(name, raising=False)
        return monkeypatch

    def config(self, tmp_path, server, **overrides) -> str:
        values = {"host": "127.0.0.1", "port": str(server.port), "dbname": server.database,
                  "user": "postgres", "password": "hemligt", **overrides}
        path = tmp_path / "pg.ini"
        path.write_text("[postgis]\n" + "".join(f"{k} = {v}\n" for k, v in values.items()))
        return str(path)

    def test_everything_from_the_config_file(self, clean_env, tmp_path, postgis_server):
        clean_env.setenv("TRYGGHETSKARTAN_PG_CONFIG", self.config(tmp_path, postgis_server))
        store = PostGISStore("postgresql://")
        assert store.location == postgis_server.url
        assert store.database == postgis_server.database

    def test_url_beats_environment_beats_config_file(self, clean_env, tmp_path, postgis_server):
        clean_env.setenv("TRYGGHETSKARTAN_PG_CONFIG", self.config(tmp_path, postgis_server,
                                                                  dbname="no_such_db"))
        assert PostGISStore(f"postgresql:///{postgis_server.database}").database == postgis_server.database
        clean_env.setenv("PGDATABASE", postgis_server.database)
        assert PostGISStore("postgresql://").database == postgis_server.database
        clean_env.delenv("PGDATABASE")
        with pytest.raises(DataStoreError, match=r"cannot connect to .*/no_such_db: .*no_such_db"):
            PostGISStore("postgresql://")

    def test_url_from_the_settings_variable(self, clean_env, postgis_server):
        clean_env.setenv(settings.postgis_dsn_env, postgis_server.url)
        assert PostGISStore().location == postgis_server.url

    @pytest.mark.parametrize(("text", "message"), [
        ("[postgis]\npasword = x\n", r"unknown keys \['pasword'\] in \[postgis\]; allowed: host, port"),
        ("[other]\nhost = x\n", r"has no \[postgis\] section"),
        ("host = x\n", "cannot be read as an INI file"),
    ])
    def test_bad_config_file(self, clean_env, tmp_path, text, message):
        path = tmp_path / "bad.ini"
        path.write_text(text)
        clean_env.setenv("TRYGGHETSKARTAN_PG_CONFIG", str(path))
        with pytest.raises(DataStoreError, match=message):
            PostGISStore("postgresql://")


def test_reads_return_the_same_dtypes_as_the_geopackage(store, tmp_path):
    from geo.store import GeoPackageStore

    gpkg = GeoPackageStore(tmp_path / "s.gpkg")
    frame = graffiti(["g1", "g2"])
    frame["property"] = ["Järfällahus", None]
    frame["description"] = [None, "tag"]
    frame["removed_at"] = [pd.NaT, pd.Timestamp("2026-02-01 10:00", tz=TZ)]
    for target in (store, gpkg):
        target.write("graffiti", frame)
    ours, theirs = store.read("graffiti"), gpkg.read("graffiti")
    assert dict(ours.dtypes.astype(str)) == dict(theirs.dtypes.astype(str))
    assert np.array_equal(ours.geometry.x, theirs.geometry.x)
    pd.testing.assert_frame_equal(pd.DataFrame(ours.drop(columns="geometry")),
                                  pd.DataFrame(theirs.drop(columns="geometry")))
