"""The map page in headless Chromium: the folium map draws its own layers, and only public ones.

One Streamlit server (on the demo store) and one browser page serve the whole
module; the tests run in file order and the language tests come last, as
they change the page. No network: the map's libraries come from Debian's
packages (see ``tests/browser.py``) and basemap tiles never load, so the
tests look at the ``tk-layer-*`` classes ``geo.outputs.maps.base`` puts on every
feature, not at the basemap.

Needs ``playwright`` (PyPI) and Debian's ``chromium``, ``libjs-leaflet`` and
``libjs-d3``; without them these tests fail under ``CI`` and skip elsewhere.
Set ``TK_SAVE_SCREENSHOTS`` to copy the screenshot to ``tests/artifacts/map.png``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from browser import (
    MAP_IFRAME,
    MAP_TIMEOUT,
    chromium_context,
    chromium_path,
    layer_class_counts,
    map_frame,
    redraw_after,
    require_map_libraries,
    require_playwright,
    rerun_and_wait,
    streamlit_server,
    table_headers,
    wait_for_table_header,
)

from geo import settings
from geo.privacy import may_see_layer
from layers import all_specs

pytestmark = pytest.mark.browser

APP = settings.PROJECT_ROOT / "app.py"
ARTIFACTS = Path(__file__).parent / "artifacts"

#: Every layer the public map page draws by default, one class each. Extend it
#: when the page draws a new layer (``test_every_drawn_layer_is_expected`` says which).
#: Not here: ``tk-layer-incident-cells`` (drawn only without a lägesbild, which the page
#: always has) and ``tk-layer-unsafe_places`` (off in the page's layer picker by default).
EXPECTED_LAYER_CLASSES: tuple[str, ...] = (
    "tk-layer-lagesbild",  # the choropleth of the chosen indicator
    "tk-layer-hotspots",  # Gi* hot/cold spot outlines
    "tk-layer-areas",
    "tk-layer-lighting",
    "tk-layer-cameras",
    "tk-layer-flood_risk",
    "tk-layer-safety_offices",
    "tk-layer-guard_areas",
)
#: Incident points are internal: the public view shows them only aggregated.
INCIDENT_POINTS = "tk-layer-incidents"
#: Every layer the public may not see as features.
NOT_PUBLIC_CLASSES: tuple[str, ...] = tuple(sorted(
    {INCIDENT_POINTS}
    | {f"tk-layer-{name}" for name, spec in all_specs().items()
       if not may_see_layer(spec, "public") or spec.sensitivity == "protected"}
))


@pytest.fixture(scope="module")
def sync_playwright():
    factory = require_playwright()
    chromium_path()
    require_map_libraries()
    return factory


@pytest.fixture(scope="module")
def server(sync_playwright, demo_path):
    with streamlit_server(APP, demo_path) as url:
        yield url


@pytest.fixture(scope="module")
def page(sync_playwright, server, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright, chromium_context(playwright, user_data_dir=profile) as context:
        page = context.new_page()
        page.set_default_timeout(MAP_TIMEOUT * 1000)
        page.goto(server)
        yield page


@pytest.fixture(scope="module")
def drawn(page):
    """The map's frame once the first ``.tk-layer`` is visible in it."""
    return map_frame(page)


def sidebar_option(page, text: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stRadioOption"]').filter(has_text=text)


def test_map_draws_every_expected_layer(drawn):
    counts = layer_class_counts(drawn)
    missing = [cls for cls in EXPECTED_LAYER_CLASSES if counts.get(cls, 0) < 1]
    assert not missing, f"no element with {missing}; the map drew {counts}"


def test_every_drawn_layer_is_expected(drawn):
    drawn_classes = set(layer_class_counts(drawn))
    unexpected = sorted(drawn_classes - set(EXPECTED_LAYER_CLASSES))
    assert not unexpected, f"the map draws {unexpected}: add them to EXPECTED_LAYER_CLASSES"


def test_public_map_shows_no_incident_points_or_internal_layers(drawn):
    assert INCIDENT_POINTS in NOT_PUBLIC_CLASSES
    counts = {cls: drawn.locator(f".{cls}").count() for cls in NOT_PUBLIC_CLASSES}
    assert counts[INCIDENT_POINTS] == 0
    assert not {cls: n for cls, n in counts.items() if n}, counts


def test_layer_features_are_drawn_in_their_panes(drawn):
    """SVG paths with a size on screen: the choropleth in its own pane, under the point layers."""
    for selector in (".leaflet-tk-lagesbild-pane .tk-layer-lagesbild",
                     ".leaflet-overlay-pane .tk-layer-lighting"):
        box = drawn.locator(selector).first.bounding_box()
        assert box is not None, selector
        assert box["width"] > 0
        assert box["height"] > 0
    z_index = drawn.evaluate("""() => ['.leaflet-tk-lagesbild-pane', '.leaflet-tk-hotspots-pane',
        '.leaflet-overlay-pane'].map(s => Number(getComputedStyle(document.querySelector(s)).zIndex))""")
    assert z_index == [350, 390, 400]


def test_screenshot(page, drawn, tmp_path):
    path = tmp_path / "map.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    drawn.locator(".leaflet-control-layers").wait_for()
    if os.environ.get("TK_SAVE_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(path, ARTIFACTS / "map.png")


def test_swedish_title(page, drawn):
    assert "Trygghetskartan" in page.locator("h1").first.inner_text()
    assert "Lager" in table_headers(page)


def test_first_click_on_english_switches_the_language(page, drawn):
    """The first click counts, also on a fresh server (the pages are in app_pages/: no legacy wrapper)."""
    rerun_and_wait(page, sidebar_option(page, "English").click)
    assert sidebar_option(page, "English").locator("input").is_checked()
    wait_for_table_header(page, "Layer")


def test_english_layer_table_and_map(page, drawn):
    from playwright.sync_api import expect

    english = sidebar_option(page, "English")
    if not english.locator("input").is_checked():  # when run alone
        rerun_and_wait(page, english.click)
    wait_for_table_header(page, "Layer")
    assert "Trygghetskartan" in page.locator("h1").first.inner_text()
    control = page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-layers")
    expect(control).to_contain_text("Lighting", timeout=MAP_TIMEOUT * 1000)
    counts = layer_class_counts(map_frame(page))
    assert all(counts.get(cls, 0) for cls in EXPECTED_LAYER_CLASSES), counts


def test_filter_change_swaps_the_lagesbild_into_the_drawn_map(page, drawn):
    """A filter change replaces the lägesbild groups in the same iframe document (no reload).

    Last in the file: the language tests need the session's first change.
    """
    frame = map_frame(page)
    frame.evaluate("() => { window.tkSameDocument = true; }")
    cells = frame.locator(".tk-layer-lagesbild").count()
    hours = page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(
        has_text=re.compile("Begränsa tid på dygnet|Limit time of day"))
    for _ in range(2):  # on (22-05), then off again
        redraw_after(page, hours.click)
        frame = map_frame(page)
        assert frame.evaluate("() => window.tkSameDocument === true")
        assert frame.locator(".tk-layer-lagesbild[data-tk-stale]").count() == 0  # the old ones are gone
        assert frame.locator(".tk-layer-lagesbild").count() == cells
        assert frame.locator(".tk-layer-lighting[data-tk-stale]").count() > 0  # static layers kept
        assert frame.locator(".tk-legend").count() == 1
