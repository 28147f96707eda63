"""Exports: formats, CRSs with known coordinates, and the privacy gate."""

from __future__ import annotations

import json

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer
from shapely import Point

from geo.errors import CRSError, PrivacyError, TrygghetskartanError
from geo.outputs.export import export_layer, write_frame
from geo.store import GeoPackageStore

TZ = "Europe/Stockholm"
KNOWN = (660000.0, 6590000.0)  # a point in Jakobsberg, EPSG:3006


@pytest.fixture
def store(tmp_path):
    s = GeoPackageStore(tmp_path / "s.gpkg")
    lamps = gpd.GeoDataFrame(
        {"id": ["l1", "l2"], "status": ["working", "broken"]},
        geometry=[Point(*KNOWN), Point(660500, 6590500)], crs="EPSG:3006")
    s.write("lighting", lamps)
    incidents = gpd.GeoDataFrame(
        {
            "id": ["i1", "i2", "i3"],
            "occurred_at": pd.to_datetime(["2026-01-01 22:00"] * 3).tz_localize(TZ),
            "category": ["stold", "vald_i_nara_relation", "hedersrelaterat_vald"],
            "source": ["test"] * 3,
            "location_precision": ["exact"] * 3,
        },
        geometry=[Point(660100, 6590100), Point(660111, 6590222), Point(660333, 6590444)],
        crs="EPSG:3006")
    s.write("incidents", incidents)
    return s


@pytest.mark.parametrize("crs", ["EPSG:3006", "EPSG:3011", "EPSG:4326"])
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_known_point_lands_where_pyproj_says(store, tmp_path, crs, suffix):
    out = tmp_path / f"lamps{suffix}"
    export_layer(store, "lighting", out, crs=crs)
    back = pyogrio.read_dataframe(out)
    expected = Transformer.from_crs("EPSG:3006", crs, always_xy=True).transform(*KNOWN)
    first = back.geometry.iloc[0]
    tolerance = 1e-7 if crs == "EPSG:4326" else 1e-3
    assert first.x == pytest.approx(expected[0], abs=tolerance)
    assert first.y == pytest.approx(expected[1], abs=tolerance)
    if suffix == ".gpkg" or crs != "EPSG:4326":
        assert back.crs.to_epsg() == int(crs.split(":")[1])


def test_csv_in_3011_has_coordinate_columns(store, tmp_path):
    out = tmp_path / "lamps.csv"
    export_layer(store, "lighting", out, crs="EPSG:3011")
    table = pd.read_csv(out)
    ex, ey = Transformer.from_crs(3006, 3011, always_xy=True).transform(*KNOWN)
    assert list(table.columns) == ["id", "lamp_id", "status", "fault_reported_at", "fault_fixed_at",
                                   "x", "y"]
    assert table.loc[0, "x"] == pytest.approx(ex, abs=0.01)
    assert table.loc[0, "y"] == pytest.approx(ey, abs=0.01)


def test_csv_in_4326_uses_lon_lat(store, tmp_path):
    out = tmp_path / "lamps.csv"
    export_layer(store, "lighting", out, crs="EPSG:4326")
    table = pd.read_csv(out)
    assert {"lon", "lat"} <= set(table.columns)
    assert 59 < table.loc[0, "lat"] < 60
    assert 17 < table.loc[0, "lon"] < 18


def test_xlsx_opens_with_openpyxl(store, tmp_path):
    out = tmp_path / "lamps.xlsx"
    export_layer(store, "lighting", out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "lighting"
    assert [c.value for c in sheet[1]][:3] == ["id", "lamp_id", "status"]
    assert sheet.max_row == 3


def test_internal_layer_is_refused_for_the_public(store, tmp_path):
    out = tmp_path / "inc.gpkg"
    with pytest.raises(PrivacyError, match=r"'incidents' is internal .* needs audience staff"):
        export_layer(store, "incidents", out)
    assert not out.exists()


def test_protected_categories_never_leave_as_points(store, tmp_path):
    out = tmp_path / "inc.geojson"
    _, written, withheld = export_layer(store, "incidents", out, audience="protected")
    assert (written, withheld) == (1, 2)
    text = out.read_text()
    assert "vald_i_nara_relation" not in text
    assert "hedersrelaterat" not in text
    coords = json.loads(text)["features"][0]["geometry"]["coordinates"]
    assert coords == [660100.0, 6590100.0]


def test_timestamps_in_geojson_keep_local_offset(store, tmp_path):
    out = tmp_path / "inc.geojson"
    export_layer(store, "incidents", out, audience="staff")
    props = json.loads(out.read_text())["features"][0]["properties"]
    assert props["occurred_at"].startswith("2026-01-01T22:00:00")
    assert props["occurred_at"].endswith("+01:00")


def test_unknown_extension_and_crs(store, tmp_path):
    with pytest.raises(TrygghetskartanError, match=r"unknown extension '\.kml'; use one of \.gpkg"):
        export_layer(store, "lighting", tmp_path / "x.kml")
    with pytest.raises(CRSError, match="not offered for exports; allowed: EPSG:3006, EPSG:3011, EPSG:4326"):
        export_layer(store, "lighting", tmp_path / "x.gpkg", crs="EPSG:3857")


def test_write_frame_refuses_frame_without_crs(tmp_path):
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)])
    with pytest.raises(CRSError, match="has no CRS"):
        write_frame(frame, tmp_path / "x.gpkg")
    assert list(tmp_path.iterdir()) == []
