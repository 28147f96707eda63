"""Source files: format detection, layers of multi-layer sources, zip safety, vector reading."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.errors import LayerChoiceError, SourceError
from geo.io import readers
from geo.io.readers import (
    EXTENSION_FORMATS,
    SOURCE_FORMATS,
    check_zip,
    detect_format,
    list_source_layers,
    read_vector,
)

POINT = shapely.Point(660870, 6590630)


def write_points(path, *, layer="punkter", driver="GPKG", crs="EPSG:3006", n=2):
    frame = gpd.GeoDataFrame({"id": [f"p{i}" for i in range(n)]}, geometry=[POINT] * n, crs=crs)
    pyogrio.write_dataframe(frame, path, layer=layer, driver=driver)
    return path


def shapefile_zip(tmp_path, name="lager.zip", members=("lager",), *, folder=""):
    for stem in members:
        write_points(tmp_path / f"{stem}.shp", driver="ESRI Shapefile")
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for stem in members:
            for ext in (".shp", ".shx", ".dbf", ".prj"):
                archive.write(tmp_path / f"{stem}{ext}", f"{folder}{stem}{ext}")
    return path


class TestDetectFormat:
    @pytest.mark.parametrize(
        ("name", "content", "expected"),
        [
            ("a.csv", b"lat;lon\n59,4;17,8\n", "csv"),
            ("a.tsv", b"lat\tlon\n59.4\t17.8\n", "csv"),
            ("a.txt", b"x,y\n1,2\n", "csv"),
            ("a.geojson", json.dumps({"type": "FeatureCollection", "features": []}).encode(), "geojson"),
            ("a.json", json.dumps([{"service_request_id": "1", "lat": 59.4, "long": 17.8}]).encode(),
             "open311"),
            ("a.json", json.dumps({"service_requests": []}).encode(), "open311"),
            ("a.json", json.dumps([{"id": 1, "datetime": "x", "type": "Brand", "location": {}}]).encode(),
             "polisen"),
            ("a.json", b"[]", "open311"),
        ],
    )
    def test_by_extension_and_content(self, tmp_path, name, content, expected):
        path = tmp_path / name
        path.write_bytes(content)
        assert detect_format(path) == expected

    def test_gpkg_and_zip_by_magic_bytes(self, tmp_path):
        gpkg = write_points(tmp_path / "lager.gpkg")
        assert detect_format(gpkg) == "gpkg"
        renamed = tmp_path / "lager.csv"
        renamed.write_bytes(gpkg.read_bytes())
        assert detect_format(renamed) == "gpkg"  # the content wins over the name
        assert detect_format(shapefile_zip(tmp_path)) == "zip"

    def test_polisen_geojson_by_its_fields(self, tmp_path):
        frame = gpd.GeoDataFrame({"id": [1], "event_type": ["Brand"],
                                  "datetime": ["2024-01-01 1:00:00 +01:00"],
                                  "location_name": ["Järfälla"], "name": ["x"]},
                                 geometry=[shapely.Point(17.8, 59.4)], crs="EPSG:4326")
        path = tmp_path / "handelser.geojson"
        pyogrio.write_dataframe(frame, path, driver="GeoJSON")
        assert detect_format(path) == "polisen"

    def test_explicit_format_is_taken(self, tmp_path):
        path = tmp_path / "data.json"
        path.write_text("[]")
        assert detect_format(path, fmt="polisen") == "polisen"

    @pytest.mark.parametrize(
        ("name", "content", "match"),
        [
            ("a.xls", b"abc", r"extension '\.xls' is not supported; allowed: \.gpkg"),
            ("a.gpkg", b"not sqlite", r"a\.gpkg is not a GeoPackage: it does not start with a SQLite header"),
            ("a.zip", b"not a zip", r"is not a zipped Shapefile"),
            ("a.csv", b"<!DOCTYPE html><html></html>", r"looks like an HTML page"),
            ("a.json", b'[{"foo": 1}]', r"JSON list of unknown records \(keys: foo\)"),
            ("a.json", b"[{", r"not valid JSON"),
            ("a.json", b"hello", r"is not JSON"),
            ("a.csv", b"", r"is empty \(0 bytes\)"),
        ],
    )
    def test_refusals(self, tmp_path, name, content, match):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(SourceError, match=match):
            detect_format(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(SourceError, match=r"nope\.csv: no such file"):
            detect_format(tmp_path / "nope.csv")

    def test_unknown_explicit_format(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("x")
        with pytest.raises(SourceError, match=r"format='xml' is not supported; allowed: auto, gpkg"):
            detect_format(path, fmt="xml")

    def test_tables_cover_each_other(self):
        assert set(EXTENSION_FORMATS.values()) - {"json"} <= set(SOURCE_FORMATS)
        assert {f.kind for f in SOURCE_FORMATS.values()} == {"vector", "csv", "open311", "polisen"}


class TestLayers:
    def test_gpkg_with_two_layers(self, tmp_path):
        path = write_points(tmp_path / "two.gpkg", layer="lampor")
        write_points(path, layer="kameror")
        assert list_source_layers(path) == ["lampor", "kameror"]
        with pytest.raises(LayerChoiceError, match=r"2 layers: lampor, kameror; choose one with --layer"):
            read_vector(path, "gpkg")
        frame, warnings = read_vector(path, "gpkg", layer="kameror")
        assert len(frame) == 2
        assert warnings == []

    def test_unknown_layer(self, tmp_path):
        path = write_points(tmp_path / "one.gpkg", layer="lampor")
        with pytest.raises(SourceError, match=r"has no layer 'x'; layers: lampor"):
            read_vector(path, "gpkg", layer="x")

    def test_attribute_tables_are_not_layers(self, tmp_path):
        path = write_points(tmp_path / "s.gpkg", layer="lampor")
        import pandas as pd

        pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), path, layer="logg", driver="GPKG")
        assert list_source_layers(path) == ["lampor"]

    def test_zip_with_two_shapefiles(self, tmp_path):
        path = shapefile_zip(tmp_path, members=("lampor", "kameror"), folder="data/")
        assert list_source_layers(path) == ["data/lampor", "data/kameror"]
        with pytest.raises(LayerChoiceError) as info:
            read_vector(path, "zip")
        assert info.value.layers == ["data/lampor", "data/kameror"]
        frame, _ = read_vector(path, "zip", layer="data/kameror")
        assert frame.crs.to_epsg() == 3006
        assert frame.geometry.iloc[0].equals(POINT)

    def test_single_file_formats_have_one_layer(self, tmp_path):
        path = write_points(tmp_path / "p.geojson", driver="GeoJSON", crs="EPSG:4326")
        assert list_source_layers(path) == ["p"]


class TestZipSafety:
    def test_path_traversal(self, tmp_path):
        path = tmp_path / "evil.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("../../x.shp", b"")
            archive.writestr("/etc/passwd", b"")
        with pytest.raises(SourceError, match=r"\(path traversal\): '\.\./\.\./x\.shp', '/etc/passwd'"):
            check_zip(path)

    def test_windows_absolute_path(self, tmp_path):
        path = tmp_path / "evil.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("C:/x.shp", b"")
        with pytest.raises(SourceError, match="path traversal"):
            check_zip(path)

    def test_declared_total_size(self, tmp_path, monkeypatch):
        monkeypatch.setattr(readers, "MAX_ZIP_TOTAL_BYTES", 1000)
        path = tmp_path / "big.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.shp", b"a" * 2000)
        with pytest.raises(SourceError, match=r"declares 2,000 bytes uncompressed; allowed: at most 1,000"):
            check_zip(path)

    def test_compression_ratio(self, tmp_path, monkeypatch):
        monkeypatch.setattr(readers, "ZIP_RATIO_MIN_BYTES", 1000)
        monkeypatch.setattr(readers, "MAX_ZIP_RATIO", 10.0)
        path = tmp_path / "bomb.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a.shp", b"\0" * 100_000)
        with pytest.raises(SourceError, match=r"'a\.shp' is compressed [\d,]+ to 1; allowed: at most 10 to"):
            check_zip(path)

    def test_too_many_members(self, tmp_path, monkeypatch):
        monkeypatch.setattr(readers, "MAX_ZIP_MEMBERS", 2)
        path = tmp_path / "many.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for i in range(3):
                archive.writestr(f"{i}.txt", b"")
        with pytest.raises(SourceError, match=r"3 members; allowed: at most 2"):
            check_zip(path)

    def test_shp_without_dbf(self, tmp_path):
        path = tmp_path / "half.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("lager.shp", b"")
            archive.writestr("lager.shx", b"")
        with pytest.raises(SourceError, match=r"lager\.shp has no \.dbf beside it"):
            check_zip(path)

    def test_macos_copies_are_ignored(self, tmp_path):
        path = shapefile_zip(tmp_path)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("__MACOSX/._lager.shp", b"junk")
        assert check_zip(path) == ["lager.shp"]

    def test_broken_zip(self, tmp_path):
        path = tmp_path / "broken.zip"
        path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
        with pytest.raises(SourceError, match="is not a readable zip archive"):
            check_zip(path)


class TestReadVector:
    def test_z_is_dropped(self, tmp_path):
        frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(660870, 6590630, 12.0)], crs=3006)
        path = tmp_path / "z.gpkg"
        pyogrio.write_dataframe(frame, path)
        read, _ = read_vector(path, "gpkg")
        assert not shapely.has_z(read.geometry.to_numpy()).any()

    def test_times_stay_text(self, tmp_path):
        path = tmp_path / "t.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"t": "2024-05-01T12:00:00"},
             "geometry": {"type": "Point", "coordinates": [17.8, 59.4]}},
            {"type": "Feature", "properties": {"t": "2024-05-01T12:00:00+02:00"},
             "geometry": {"type": "Point", "coordinates": [17.8, 59.4]}},
        ]}))
        frame, _ = read_vector(path, "geojson")
        assert frame["t"].tolist() == ["2024-05-01T12:00:00", "2024-05-01T12:00:00+02:00"]

    def test_gdal_warnings_are_returned(self, tmp_path):
        path = tmp_path / "w.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Point", "coordinates": []}},
        ]}))
        frame, warnings = read_vector(path, "geojson")
        assert frame.geometry.iloc[0] is None
        assert any("coord" in w for w in warnings)

    def test_unreadable_gpkg(self, tmp_path):
        path = tmp_path / "bad.gpkg"
        path.write_bytes(b"SQLite format 3\x00" + b"\0" * 100)
        with pytest.raises(SourceError, match=r"bad\.gpkg"):
            read_vector(path, "gpkg")
