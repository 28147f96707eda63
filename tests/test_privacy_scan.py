"""No output leaks a protected incident's position.

Every public output is built from the demo store (which holds protected
incidents: violence in close relationships, honour-related violence) and
scanned for their coordinates in EPSG:3006, 3011 and 4326. A positive
control shows the scanner finds ordinary incidents where they are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from geo.analysis.params import LagesbildParams
from geo.errors import PrivacyError
from geo.outputs.export import export_layer
from geo.outputs.lagesbild_files import write_lagesbild
from geo.outputs.maps.base import build_map, collect_map_data
from geo.privacy import build_lagesbild, may_see_layer
from geo.store import open_store
from layers import get_spec

CRSS = ("EPSG:3006", "EPSG:3011", "EPSG:4326")
FORMATS = (".gpkg", ".geojson", ".csv", ".xlsx")
PROTECTED = ("vald_i_nara_relation", "hedersrelaterat_vald")
NUMBER = re.compile(r"-?\d+\.\d+|-?\d{6,7}")


@pytest.fixture(scope="module")
def store(demo_path):
    return open_store(demo_path)


@pytest.fixture(scope="module")
def protected_points(store) -> np.ndarray:
    inc = store.read("incidents")
    # kommun-level events all sit on the kommun's centroid: that point is no one's location
    mine = inc[inc["category"].isin(PROTECTED) & inc["location_precision"].isin(["exact", "street"])]
    assert len(mine) > 20  # the demo must hold protected incidents for this test to mean anything
    return shapely.get_coordinates(mine.geometry.to_numpy())


@pytest.fixture(scope="module")
def ordinary_points(store) -> np.ndarray:
    inc = store.read("incidents")
    mine = inc[~inc["category"].isin(PROTECTED) & (inc["location_precision"] == "exact")]
    return shapely.get_coordinates(mine.geometry.to_numpy())


class Scanner:
    """Finds any of a set of positions among the coordinates of an output, in any of three CRSs."""

    def __init__(self, points_3006: np.ndarray) -> None:
        self.trees = {}
        for crs in CRSS:
            x, y = Transformer.from_crs("EPSG:3006", crs, always_xy=True).transform(
                points_3006[:, 0], points_3006[:, 1])
            self.trees[crs] = (cKDTree(np.column_stack([x, y])), 1e-5 if crs == "EPSG:4326" else 0.6)

    def hits(self, pairs: np.ndarray) -> int:
        if len(pairs) == 0:
            return 0
        found = 0
        for tree, tol in self.trees.values():
            for candidate in (pairs, pairs[:, ::-1]):
                dist, _ = tree.query(candidate, distance_upper_bound=tol)
                found += int(np.isfinite(dist).sum())
        return found


def coordinate_pairs(path: Path) -> np.ndarray:
    """Every coordinate pair an output holds, read back as a user's tool would."""
    suffix = path.suffix
    if suffix in (".gpkg", ".geojson"):
        frame = pyogrio.read_dataframe(path)
        return shapely.get_coordinates(frame.geometry.to_numpy())
    if suffix == ".xlsx":
        rows = openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    else:
        text = path.read_text(encoding="utf-8")
    return text_pairs(text)


def text_pairs(text: str) -> np.ndarray:
    numbers = np.array([float(n) for n in NUMBER.findall(text)])
    if len(numbers) < 2:
        return np.empty((0, 2))
    return np.column_stack([numbers[:-1], numbers[1:]])


def public_outputs(store, tmp: Path) -> list[Path]:
    paths = []
    for layer in store.list_layers():
        spec = get_spec(layer)
        for crs in CRSS:
            for suffix in FORMATS:
                out = tmp / f"{layer}_{crs[5:]}{suffix}"
                if may_see_layer(spec, "public"):
                    export_layer(store, layer, out, crs=crs, audience="public")
                    paths.append(out)
                else:
                    with pytest.raises(PrivacyError):
                        export_layer(store, layer, out, crs=crs, audience="public")
                    assert not out.exists()
    for unit in ("grid250", "grid1000", "areas"):
        frame = build_lagesbild(store, LagesbildParams.from_text(
            unit=unit, date_from="2023-10-01", date_to="2026-09-30", audience="public"))
        for crs in CRSS:
            for suffix in FORMATS:
                paths.append(write_lagesbild(frame, tmp / f"lagesbild_{unit}_{crs[5:]}{suffix}", crs=crs))
    return paths


def test_no_public_file_holds_a_protected_position(store, protected_points, tmp_path):
    scanner = Scanner(protected_points)
    paths = public_outputs(store, tmp_path)
    assert len(paths) > 50
    leaks = {p.name: scanner.hits(coordinate_pairs(p)) for p in paths}
    assert {name: n for name, n in leaks.items() if n} == {}


def test_the_rendered_public_map_holds_no_protected_position(store, protected_points):
    frame = build_lagesbild(store, LagesbildParams.from_text(
        date_from="2023-10-01", date_to="2026-09-30", audience="public"))
    html = build_map(collect_map_data(store, "public"), lagesbild=frame, heatmap=True,
                     tiles=False).get_root().render()
    assert "tk-layer-lagesbild" in html
    assert "tk-layer-incidents" not in html
    assert Scanner(protected_points).hits(text_pairs(html)) == 0


@pytest.mark.parametrize("audience", ["staff", "protected"])
def test_protected_rows_never_leave_as_points_for_any_audience(store, protected_points, ordinary_points,
                                                               tmp_path, audience):
    out = tmp_path / f"incidents_{audience}.geojson"
    export_layer(store, "incidents", out, crs="EPSG:4326", audience=audience)
    pairs = coordinate_pairs(out)
    assert Scanner(protected_points).hits(pairs) == 0
    # positive control: the scanner does find the ordinary incidents staff may have
    assert Scanner(ordinary_points[:50]).hits(pairs) >= 50


def test_suppressed_cell_of_two_is_hidden_in_the_public_file(store, tmp_path):
    frame = build_lagesbild(store, LagesbildParams.from_text(
        date_from="2026-09-01", date_to="2026-09-30", audience="public"))
    staff = build_lagesbild(store, LagesbildParams.from_text(
        date_from="2026-09-01", date_to="2026-09-30", audience="staff"))
    twos = staff.loc[staff["incidents"] == 2, "unit_id"]
    assert len(twos) > 0
    out = write_lagesbild(frame, tmp_path / "lb.csv")
    table = pd.read_csv(out, dtype={"unit_id": str}).set_index("unit_id")
    assert table.loc[twos, "incidents"].isna().all()


def test_unreviewed_and_rejected_places_never_reach_the_public(store, tmp_path):
    places = store.read("unsafe_places")
    hidden = places["status"].isin(["new", "rejected"])
    assert hidden.sum() > 0
    _, written, _ = export_layer(store, "unsafe_places", tmp_path / "u.csv", audience="public")
    assert written == len(places) - hidden.sum()
    shown = collect_map_data(store, "public").layers["unsafe_places"]
    assert not shown["id"].isin(places.loc[hidden, "id"]).any()
    staff = collect_map_data(store, "staff").layers["unsafe_places"]
    assert len(staff) == len(places)


def test_script_in_a_text_field_is_shown_as_text_on_the_map(tmp_path):
    from shapely import Point

    from geo.store import GeoPackageStore

    store = GeoPackageStore(tmp_path / "s.gpkg")
    hostile = "<script>alert('x')</script>"
    places = __import__("geopandas").GeoDataFrame(
        {"id": ["u1"], "reason": ["lighting"], "status": ["approved"], "source": ["report"],
         "reported_at": [pd.Timestamp("2026-05-01", tz="Europe/Stockholm")], "description": [hostile]},
        geometry=[Point(660000, 6590000)], crs="EPSG:3006")
    store.write("unsafe_places", places)
    assert store.read("unsafe_places")["description"].iloc[0] == hostile  # stored as text, unchanged
    html = build_map(collect_map_data(store, "public"), tiles=False).get_root().render()
    # HTML-escaped inside the layer's JSON: the tooltip shows it as text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert(" not in html


def test_protected_audience_exports_are_logged(demo_path, tmp_path, monkeypatch):
    from geo import settings
    from geo.cli import main

    log = tmp_path / "audit.jsonl"
    monkeypatch.setattr(settings, "audit_log_path", log)
    assert main(["export", "--store", str(demo_path), "cameras", "--out", str(tmp_path / "c.csv")]) == 0
    assert not log.exists()  # public: nothing to log
    assert main(["export", "--store", str(demo_path), "incidents", "--out", str(tmp_path / "i.csv"),
                 "--audience", "protected"]) == 0
    entry = log.read_text().splitlines()
    assert len(entry) == 1
    assert '"action": "export"' in entry[0]
    assert "incidents" in entry[0]
