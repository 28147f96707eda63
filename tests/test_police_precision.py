"""Events known only to the kommun or county are never drawn or counted at their centroid.

Police events carry the centroid of the kommun or county they happened in
(``location_precision`` ``kommun`` or ``county``). They count for the kommun
as a whole: not in a grid cell, and not as a point on any map.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from conftest import require_file
from shapely import Point

from geo import settings
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.io.importer import import_file
from geo.outputs.maps.base import collect_map_data, map_data
from geo.privacy import compute_lagesbild
from geo.store import GeoPackageStore

REAL = settings.PROJECT_ROOT.parent / "shared" / "data" / "real"


def test_only_located_incidents_are_drawn():
    incidents = gpd.GeoDataFrame(
        {"id": ["e1", "s1", "k1", "k2", "c1"],
         "occurred_at": pd.Timestamp("2026-01-10 12:00", tz="Europe/Stockholm"),
         "category": "stold", "source": "test",
         "location_precision": ["exact", "street", "kommun", "kommun", "county"]},
        geometry=[Point(660100, 6590100), Point(660300, 6590300)] + [Point(661000, 6591000)] * 3,
        crs="EPSG:3006")
    data = map_data({"incidents": incidents}, "staff", cells=False)
    assert data.layers["incidents"]["id"].tolist() == ["e1", "s1"]
    assert data.kommun_level == 3


@pytest.fixture(scope="module")
def police_store(tmp_path_factory) -> GeoPackageStore:
    boundary = require_file(REAL / "kommuner_lantmateriet/jarfalla.geojson", "the Järfälla boundary")
    events = require_file(REAL / "polisen_handelser/jarfalla_polisen_events.geojson", "the police events")
    store = GeoPackageStore(tmp_path_factory.mktemp("police") / "store.gpkg")
    import_file(store, "areas", boundary, fill={"kind": "kommun"})
    assert import_file(store, "incidents", events).written == 276
    return store


def test_real_police_events_are_not_drawn(police_store):
    data = collect_map_data(police_store, "staff", cell_size=250)
    assert len(data.layers["incidents"]) == 0
    assert data.kommun_level == 276  # 245 kommun, 31 county
    assert int(data.cells["incidents"].fillna(0).sum()) == 0


def test_real_police_events_count_for_the_kommun_only(police_store):
    incidents = police_store.read("incidents")
    first, last = incidents["occurred_at"].min(), incidents["occurred_at"].max()
    params = LagesbildParams.from_text(date_from=f"{first:%Y-%m-%d}", date_to=f"{last:%Y-%m-%d}",
                                       audience="staff")
    out = compute_lagesbild(prepare(police_store), params)
    assert out["incidents"].sum() == 0
    assert out.attrs["kommun_level_incidents"] == 276
