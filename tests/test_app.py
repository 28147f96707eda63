"""The Streamlit app in AppTest: it starts on the demo store, renders its layers, and
its controls change the result in the way the data says they should."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.store import open_store

TIMEOUT = 120
APP = str(settings.PROJECT_ROOT / "app.py")


@pytest.fixture
def app(demo_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(demo_path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    for frame in app.dataframe:
        value = frame.value
        if column in value.columns or value.index.name == column:
            return value
    raise AssertionError(f"no table with column {column!r}")


def test_map_page_renders_the_public_layers(app):
    app.run()
    assert not app.exception
    layers = table_with(app, "Lager")
    shown = dict(zip(layers["Lager"], layers["Antal"], strict=True))
    assert shown["Belysning"] > 4000
    assert shown["Kameror"] == 28
    assert "Händelser" not in shown  # internal: aggregated only, in the lägesbild
    captions = " ".join(c.value for c in app.caption)
    assert "Händelser är internt" in captions
    units = table_with(app, "Händelser")
    assert len(units) == 300  # the units with the highest composite index
    assert units["Händelser"].isna().any()  # the public view suppresses counts 1-3 ...
    assert all(frame.proto.placeholder == "–" for frame in app.dataframe
               if frame.value.index.name == "Enhet")  # ... and shows them as –, not None


def expected_staff_count(demo_path, start, end, weekday=None) -> int:
    """Count by hand from the store: located, not protected, in [start, end]."""
    inc = open_store(demo_path).read("incidents")
    local = inc["occurred_at"]
    keep = (
        inc["location_precision"].isin(["exact", "street"])
        & ~inc["category"].isin(["vald_i_nara_relation", "hedersrelaterat_vald"])
        & (local >= pd.Timestamp(start, tz="Europe/Stockholm"))
        & (local < pd.Timestamp(end, tz="Europe/Stockholm") + pd.Timedelta(days=1))
    )
    if weekday is not None:
        keep &= local.dt.day_of_week == weekday
    return int(keep.sum())


def test_weekday_filter_changes_the_count_as_the_data_says(app, demo_path):
    app.run()
    units = table_with(app, "Enhet")
    total_before = units["Händelser"].sum()
    app.sidebar.multiselect(key="f_weekdays").set_value([4]).run()  # Fridays only
    assert not app.exception
    units = table_with(app, "Enhet")
    friday_visible = units["Händelser"].sum()
    assert friday_visible < total_before
    # the public view hides cells of 1-3, so the visible sum is at most the true Friday count,
    # and the hidden part is below 4 per suppressed cell
    period = app.sidebar.date_input(key="f_period").value
    true_friday = expected_staff_count(demo_path, period[0], period[1], weekday=4)
    hidden = units["Händelser"].isna().sum()
    assert friday_visible <= true_friday <= friday_visible + 3 * hidden


def test_language_toggle_changes_labels(app):
    app.run()
    app.sidebar.radio[0].set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Trygghetskartan (safety map)"
    layers = table_with(app, "Layer")
    assert "Lighting" in set(layers["Layer"])
    assert "Incidents" in table_with(app, "Unit").columns


def test_missing_store_says_how_to_create_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(tmp_path / "none.gpkg"))
    app = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not app.exception
    assert "trygghetskartan demo --store" in app.warning[0].value


def test_areas_weekday_count_is_exact(app, demo_path):
    app.run()
    app.sidebar.selectbox(key="f_unit").set_value("areas").run()
    app.sidebar.multiselect(key="f_weekdays").set_value([5]).run()  # Saturdays
    assert not app.exception
    units = table_with(app, "Enhet")
    assert len(units) == 4
    period = app.sidebar.date_input(key="f_period").value
    assert units["Händelser"].sum() == expected_staff_count(demo_path, period[0], period[1], weekday=5)
