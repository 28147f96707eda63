"""Points read as coordinates and made only when needed give what made geometries gave.

* :func:`geo.io.wkb_points.point_coordinates` against shapely on every
  shape of Arrow column GDAL may hand over, and its refusals;
* :func:`geo.io.readers.read_vector_layer` with ``points_as_xy`` against the
  plain read, and its fallback when one feature is not a plain point;
* the importer: a dry run of plain points makes no geometry beyond its
  preview, the stored points equal the file's, and a missing or empty
  point keeps its own message.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import pytest
import shapely
from bad_inputs.make_corpus import make_store
from shapely import Point

from geo.io.importer import PREVIEW_ROWS, import_file
from geo.io.readers import read_vector, read_vector_layer
from geo.io.wkb_points import point_coordinates
from geo.store import GeoPackageStore
from layers import get_spec, validate_frame


def _wkb(geoms, **kwargs) -> pa.Array:
    return pa.array(shapely.to_wkb(np.asarray(geoms, dtype=object), **kwargs).tolist(), type=pa.binary())


def _points(n: int, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return shapely.points(rng.uniform(650_000, 670_000, n), rng.uniform(6_580_000, 6_600_000, n))


class TestPointCoordinates:
    def test_equal_to_shapely(self):
        geoms = _points(1_000)
        x, y = point_coordinates(_wkb(geoms))
        assert np.array_equal(x, shapely.get_x(geoms))
        assert np.array_equal(y, shapely.get_y(geoms))

    def test_slices_chunks_large_binary_and_extension_type(self):
        geoms = _points(300)
        column = _wkb(geoms)
        x, _ = point_coordinates(column.slice(17, 100))
        assert np.array_equal(x, shapely.get_x(geoms[17:117]))
        chunked = pa.chunked_array([column.slice(0, 120), column.slice(120)])
        x, y = point_coordinates(chunked)
        assert np.array_equal(y, shapely.get_y(geoms))
        x, _ = point_coordinates(column.cast(pa.large_binary()).slice(5))
        assert np.array_equal(x, shapely.get_x(geoms[5:]))
        wrapped = pa.ExtensionArray.from_storage(_Wkb(), column)
        assert np.array_equal(point_coordinates(wrapped)[0], shapely.get_x(geoms))

    def test_empty_column(self):
        x, y = point_coordinates(pa.array([], type=pa.binary()))
        assert len(x) == len(y) == 0

    @pytest.mark.parametrize(
        "odd",
        [
            None,
            shapely.from_wkt("POINT EMPTY"),
            Point(1, 2, 3),
            shapely.MultiPoint([(1, 2)]),
            shapely.LineString([(0, 0), (1, 1)]),
            Point(np.inf, 1),
        ],
        ids=["missing", "empty", "z", "multipoint", "line", "infinite"],
    )
    def test_one_odd_row_refuses_the_whole_column(self, odd):
        geoms = list(_points(50))
        geoms[31] = odd
        assert point_coordinates(_wkb(geoms)) is None

    def test_big_endian_and_extended_wkb_are_refused(self):
        geoms = _points(5)
        assert point_coordinates(_wkb(geoms, byte_order=0)) is None
        with_srid = shapely.set_srid(geoms, 3006)
        assert point_coordinates(_wkb(with_srid, include_srid=True, flavor="extended")) is None


class _Wkb(pa.ExtensionType):
    def __init__(self) -> None:
        super().__init__(pa.binary(), "test.wkb")

    def __arrow_ext_serialize__(self) -> bytes:
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized):
        return cls()


def _point_file(path, geoms, crs="EPSG:3006", n=None) -> None:
    n = len(geoms) if n is None else n
    frame = gpd.GeoDataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "occurred_at": "2024-05-01T14:30:00+02:00",
            "category": "stold",
            "source": "test",
            "location_precision": "exact",
        },
        geometry=gpd.GeoSeries(list(geoms), crs=crs),
    )
    pyogrio.write_dataframe(frame, path, layer="punkter", driver="GPKG")


class TestReadVectorLayer:
    def test_points_as_xy_equal_the_plain_read(self, tmp_path):
        path = tmp_path / "p.gpkg"
        _point_file(path, _points(500))
        plain, _ = read_vector(path, "gpkg")
        read = read_vector_layer(path, "gpkg", points_as_xy=True)
        assert read.xy is not None
        assert np.array_equal(read.xy[0], shapely.get_x(plain.geometry.to_numpy()))
        assert np.array_equal(read.xy[1], shapely.get_y(plain.geometry.to_numpy()))
        assert read.frame.geometry.isna().all()
        assert read.frame.crs == plain.crs
        assert read.frame.drop(columns="geometry").equals(plain.drop(columns="geometry"))

    def test_read_vector_equals_pyogrio(self, tmp_path):
        path = tmp_path / "p.gpkg"
        geoms = list(_points(30))
        geoms[3] = shapely.from_wkt("POINT EMPTY")
        _point_file(path, geoms)
        plain = pyogrio.read_dataframe(path, use_arrow=True, datetime_as_string=True)
        read, warnings = read_vector(path, "gpkg")
        pd.testing.assert_frame_equal(pd.DataFrame(read), pd.DataFrame(plain))
        assert read.crs == plain.crs
        assert warnings == []

    def test_one_empty_point_means_geometries_are_made(self, tmp_path):
        path = tmp_path / "p.gpkg"
        geoms = list(_points(20))
        geoms[7] = shapely.from_wkt("POINT EMPTY")
        _point_file(path, geoms)
        read = read_vector_layer(path, "gpkg", points_as_xy=True)
        assert read.xy is None
        assert read.frame.geometry.is_empty.sum() == 1
        assert read.frame.geometry.iloc[7].is_empty

    def test_not_asked_makes_geometries(self, tmp_path):
        path = tmp_path / "p.gpkg"
        _point_file(path, _points(20))
        read = read_vector_layer(path, "gpkg")
        assert read.xy is None
        assert (read.frame.geom_type == "Point").all()


@pytest.fixture
def kommun_store(tmp_path) -> GeoPackageStore:
    path = tmp_path / "store.gpkg"
    make_store(path)
    return GeoPackageStore(path)


def _points_in(store: GeoPackageStore, n: int) -> np.ndarray:
    outline = store.read("areas", categories=["kommun"]).geometry.iloc[0]
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = outline.bounds
    x, y = rng.uniform(minx, maxx, 20 * n), rng.uniform(miny, maxy, 20 * n)
    keep = shapely.contains_xy(outline, x, y)
    return shapely.points(x[keep][:n], y[keep][:n])


class TestPendingPoints:
    def test_a_dry_run_makes_only_the_preview(self, kommun_store, tmp_path, monkeypatch):
        n = PREVIEW_ROWS + 300
        path = tmp_path / "p.gpkg"
        _point_file(path, _points_in(kommun_store, n))
        made, decoded = [], []
        real_points, real_from_wkb = shapely.points, shapely.from_wkb

        def counted(real, sizes):
            return lambda *a, **k: sizes.append(len(np.atleast_1d(a[0]))) or real(*a, **k)

        monkeypatch.setattr(shapely, "points", counted(real_points, made))
        monkeypatch.setattr(shapely, "from_wkb", counted(real_from_wkb, decoded))
        report = import_file(kommun_store, "incidents", path, dry_run=True)
        assert report.ok
        assert report.rows_ok == n
        assert made == [PREVIEW_ROWS]
        assert decoded == [1]  # the kommun outline from the store; none of the file's points
        assert (report.preview.geom_type == "Point").all()

    def test_stored_points_equal_the_file(self, kommun_store, tmp_path, monkeypatch):
        path = tmp_path / "p.gpkg"
        geoms = _points_in(kommun_store, 400)
        _point_file(path, geoms)
        made, real_points = [], shapely.points
        monkeypatch.setattr(shapely, "points", lambda *a, **k: made.append(len(a[0])) or real_points(*a, **k))
        assert import_file(kommun_store, "incidents", path).written == 400
        assert made == [PREVIEW_ROWS]  # the preview's; the write takes the coordinates
        monkeypatch.undo()
        stored = kommun_store.read("incidents").set_index("id").loc[[f"p{i}" for i in range(400)]]
        assert np.array_equal(
            shapely.get_coordinates(stored.geometry.to_numpy()), shapely.get_coordinates(geoms)
        )

    def test_reprojected_points_equal_geopandas(self, kommun_store, tmp_path):
        path = tmp_path / "p.gpkg"
        geoms = _points_in(kommun_store, 100)
        wgs = gpd.GeoSeries(geoms, crs="EPSG:3006").to_crs("EPSG:4326")
        _point_file(path, wgs.to_numpy(), crs="EPSG:4326")
        report = import_file(kommun_store, "incidents", path, dry_run=True)
        assert report.ok
        back = wgs.to_crs("EPSG:3006").to_numpy()[: len(report.preview)]
        assert np.allclose(
            shapely.get_coordinates(report.preview.geometry.to_numpy()),
            shapely.get_coordinates(back),
            atol=1e-6,
        )

    @pytest.mark.parametrize(
        ("odd", "message"),
        [
            (None, "geometry is missing"),
            (shapely.from_wkt("POINT EMPTY"), "geometry is empty"),
        ],
    )
    def test_missing_and_empty_points_keep_their_message(self, kommun_store, tmp_path, odd, message):
        path = tmp_path / "p.gpkg"
        geoms = list(_points_in(kommun_store, 30))
        geoms[11] = odd
        _point_file(path, geoms)
        report = import_file(kommun_store, "incidents", path, dry_run=True)
        assert [(p.row, p.field, p.message) for p in report.problems] == [(12, "geometry", message)]


class TestValidateWithPoints:
    def test_rows_of_points_not_made_pass_as_points(self):
        frame = gpd.GeoDataFrame(
            {"id": ["a", "b", "c"], "status": "working"},
            geometry=[None, None, Point(660_000, 6_590_000)],
            crs="EPSG:3006",
        )
        spec = get_spec("lighting")
        assert [p.row for p in validate_frame(frame, spec)] == [1, 2]
        assert validate_frame(frame, spec, points=np.array([True, True, False])) == []
        assert [p.row for p in validate_frame(frame, spec, points=np.array([True, False, False]))] == [2]

    def test_points_not_made_are_still_held_against_the_spec(self):
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "name": ["x"], "kind": ["kommun"], "code": ["0123"]},
            geometry=[None],
            crs="EPSG:3006",
        )
        problems = validate_frame(frame, get_spec("areas"), points=np.array([True]))
        assert [(p.row, p.message) for p in problems if p.field == "geometry"] == [
            (1, "geometry type Point is not allowed; allowed: Polygon, MultiPolygon")
        ]
