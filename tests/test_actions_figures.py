"""Live figures of the spatial actions, checked against hand computations on the demo store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.actions.figures import (
    default_time,
    format_share,
    last_12_months,
    last_full_quarter,
    live_figures,
)
from geo.actions.spatial import SPATIAL_ACTIONS
from geo.analysis.indicators.cameras import points_in_sectors, view_sectors
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import prepare
from geo.privacy import compute_lagesbild
from geo.store import open_store


@pytest.fixture(scope="module")
def prep(demo_path):
    return prepare(open_store(demo_path))


@pytest.fixture(scope="module")
def figures(prep):
    return live_figures(prep, audience="staff")


def test_every_spatial_action_has_a_dated_text(figures, prep):
    assert sorted(figures) == sorted(SPATIAL_ACTIONS)
    date = default_time(prep).strftime("%Y-%m-%d")
    for nr, text in figures.items():
        assert text, nr
        assert date in text, (nr, text)


def test_camera_coverage_share_matches_an_independent_computation(figures, prep):
    start, end = last_12_months(default_time(prep))
    params = LagesbildParams.from_text(unit="grid250", date_from=start, date_to=end, audience="staff")
    frame = compute_lagesbild(prep, params)
    hot = frame[frame["gi_class"].isin(["hot_99", "hot_95"])]
    centres = shapely.get_coordinates(hot.geometry.centroid.to_numpy())
    covered = points_in_sectors(centres, view_sectors(prep.frame("cameras"))).sum()
    assert len(hot) > 0
    assert f"({format_share(covered / len(hot), 'sv')})" in figures[6]
    assert f"{covered} av {len(hot)} hot spot-rutor" in figures[6]


def test_graffiti_share_matches_a_hand_computation(figures, prep):
    at = default_time(prep)
    start, end, label = last_full_quarter(at)
    g = prep.frame("graffiti")
    g = g[(g["reported_at"] >= start) & (g["reported_at"] < end)]
    removed = g["removed_at"].notna() & (g["removed_at"] <= at)
    hours = (g["removed_at"] - g["reported_at"]).dt.total_seconds() / 3600
    within = removed & (hours <= 72)
    open_overdue = ~removed & ((at - g["reported_at"]).dt.total_seconds() / 3600 > 72)
    share = within.sum() / (removed.sum() + open_overdue.sum())
    assert f"{format_share(share, 'sv')} sanerat inom 72 h under {label}" in figures[7]


def test_fac_001_is_critical_without_reserve_power_in_flode_200(figures):
    flode = [part for part in figures[37].split("; ") if part.startswith("flode_200")]
    assert flode
    assert "utan reservkraft" in flode[0]
    assert "fac-001" in flode[0]


def test_public_audience_withholds_internal_layers(prep):
    public = live_figures(prep, audience="public", lang="en")
    assert public[37] == "shown to staff only"
    assert "hot spot cells" in public[3]


def test_default_time_is_the_latest_incident(prep):
    assert default_time(prep) == prep.frame("incidents")["occurred_at"].max()
    assert np.isfinite(pd.Timestamp(default_time(prep)).value)
