"""The lägesbild's incident counts in SQL equal the in-memory path on the demo data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest

from geo.analysis.filters import hour_mask, weekday_mask
from geo.analysis.indicators.counts import count_by_unit
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.analysis.sql.counts import count_incidents_in_db
from geo.privacy import compute_lagesbild
from geo.store import GeoPackageStore
from geo.store.postgis import PostGISStore

pytest_plugins = ["postgis_server"]

UNITS = ["grid250", "grid1000", "areas"]
FILTERS = {
    "everything": {},
    "night-across-midnight": {"hours": "22-05"},
    "office-hours-weekend": {"hours": "08-17", "weekdays": "fri,sat"},
    "late-evening-to-midnight": {"hours": "20-24", "weekdays": "sun"},
    "mondays-violence": {"weekdays": "mon", "categories": "misshandel,ran,hot"},
    "protected-hidden-from-staff": {"categories": "misshandel,vald_i_nara_relation"},
    "protected-audience": {"categories": "misshandel,vald_i_nara_relation,hedersrelaterat_vald",
                           "audience": "protected", "hours": "18-02"},
    "public-dst-summer": {"date_from": "2025-03-30", "date_to": "2025-10-25", "audience": "public"},
}


@pytest.fixture(scope="module")
def memory(demo_path):
    return prepare(GeoPackageStore(demo_path))


@pytest.fixture(scope="module")
def database(postgis_demo_url) -> PostGISStore:
    return PostGISStore(postgis_demo_url)


def params_for(unit: str, name: str) -> LagesbildParams:
    options = {"date_from": "2024-01-01", "date_to": "2026-06-30", "audience": "staff", **FILTERS[name]}
    return LagesbildParams.from_text(unit=unit, **options)


def in_memory_counts(prep, params: LagesbildParams, period) -> np.ndarray:
    """The lägesbild's rule, spelled out on the prepared arrays."""
    inc, ctx = prep.incidents, prep.units_context(params.unit)
    mask = hour_mask(inc.local_hour, params.hours) & weekday_mask(inc.weekday, params.weekdays)
    if params.categories is not None:
        mask &= np.isin(inc.category, [inc.categories.index(c) for c in params.categories])
    if params.audience != "protected":
        mask &= ~inc.protected
    mask &= (inc.time_ns >= period[0].value) & (inc.time_ns < period[1].value)
    return count_by_unit(ctx.incident_pos, len(ctx.units), mask=mask)


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize("unit", UNITS)
def test_sql_counts_equal_the_in_memory_counts(memory, database, unit, name):
    params = params_for(unit, name)
    units = memory.units_context(unit).units
    for period in ((params.start, params.end), params.previous):
        expected = in_memory_counts(memory, params, period)
        got = count_incidents_in_db(database, params, units, unit=unit, period=period)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected)
    assert expected.sum() > 0


@pytest.mark.parametrize("unit", UNITS)
def test_sql_counts_equal_the_lagesbild(memory, database, unit):
    params = params_for(unit, "night-across-midnight")
    picture = compute_lagesbild(memory, params)
    units = memory.units_context(unit).units
    np.testing.assert_array_equal(count_incidents_in_db(database, params, units, unit=unit),
                                  picture["incidents"].to_numpy())
    np.testing.assert_array_equal(
        count_incidents_in_db(database, params, units, unit=unit, period=params.previous),
        picture["incidents_prev"].to_numpy())


def test_prepare_over_postgis_gives_the_same_arrays(memory, database):
    other = prepare(database)
    for name in ("x", "y", "time_ns", "local_hour", "weekday", "category", "located", "protected"):
        np.testing.assert_array_equal(getattr(other.incidents, name), getattr(memory.incidents, name))


def test_only_a_postgis_store_counts_in_the_database(memory, demo_path):
    params = params_for("grid250", "everything")
    with pytest.raises(TypeError, match=r"store must be a PostGISStore .* got GeoPackageStore"):
        count_incidents_in_db(GeoPackageStore(demo_path), params, memory.units_context("grid250").units,
                              unit="grid250")


def test_grid_units_need_their_corners(memory, database):
    units = memory.units_context("areas").units
    with pytest.raises(ValueError, match="needs grid units with cell_x and cell_y"):
        count_incidents_in_db(database, params_for("grid250", "everything"), units, unit="grid250")


def test_store_without_incidents_counts_zero(memory, fresh_postgis_url):
    units = memory.units_context("grid1000").units
    got = count_incidents_in_db(PostGISStore(fresh_postgis_url), params_for("grid1000", "everything"),
                                units, unit="grid1000")
    assert isinstance(units, gpd.GeoDataFrame)
    assert got.tolist() == [0] * len(units)
