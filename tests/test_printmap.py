"""The printable map: sheet size, texts in both languages, scale bar, legend,
CRS handling, reproducible bytes and that nothing protected is drawn."""

from __future__ import annotations

import dataclasses
import doctest
import io
import re

import geopandas as gpd
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text
from shapely import Point, box

from geo.analysis.params import LagesbildParams
from geo.errors import CRSError, LayerSpecError, PrivacyError
from geo.outputs import printmap
from geo.outputs.maps.base import collect_map_data
from geo.outputs.print_features import HOTSPOT_WIDTH
from geo.outputs.printmap import _build_figure, nice_scale_length, render_print_map
from geo.privacy import build_lagesbild
from geo.store import open_store
from layers import get_spec

X0, Y0 = 660000, 6590000  # 10 x 2 cells of 500 m: a 5 km x 1 km strip in Järfälla
DATE = pd.Timestamp("2026-03-28")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def texts_of(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def legend_labels(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def map_axes(fig):
    return fig.axes[0]


@pytest.fixture
def cells() -> gpd.GeoDataFrame:
    """Twenty cells: counts with two suppressed, two hot spots side by side."""
    geoms = [box(X0 + 500 * i, Y0 + 500 * j, X0 + 500 * (i + 1), Y0 + 500 * (j + 1))
             for j in range(2) for i in range(10)]
    counts = pd.array([0, 5, None, 12, 4, None, 7, 9, 30, 31, *range(10, 20)], dtype="Int64")
    gi_class = ["not_significant"] * 20
    gi_class[8], gi_class[9] = "hot_99", "hot_90"
    frame = gpd.GeoDataFrame({"unit_id": [f"c{i}" for i in range(20)], "incidents": counts,
                              "gi_class": gi_class}, geometry=geoms, crs="EPSG:3006")
    frame["composite_index"] = np.linspace(0.0, 95.0, 20)
    return frame


@pytest.fixture
def cameras() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["k1", "k2"], "status": ["active", "planned"], "direction_deg": [0.0, 90.0],
         "angle_deg": [60.0, 60.0], "range_m": [50.0, 50.0]},
        geometry=[Point(X0 + 1200, Y0 + 400), Point(X0 + 3300, Y0 + 700)], crs="EPSG:3006")


@pytest.fixture
def lamps() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ["l1", "l2", "l3"], "status": ["working", "broken", "working"]},
                            geometry=[Point(X0 + 100, Y0 + 100), Point(X0 + 200, Y0 + 100),
                                      Point(X0 + 300, Y0 + 100)], crs="EPSG:3006")


def build(cells, **kwargs):
    options = {"title": "Händelser i Järfälla", "choropleth": cells, "column": "incidents", "date": DATE}
    return _build_figure(**(options | kwargs))


class TestNiceScaleLength:
    @pytest.mark.parametrize(
        ("width", "expected"),
        [(4000, 1000), (9500, 2000), (300, 50), (600, 100), (1000, 200), (2500, 500), (5300, 1000),
         (18_000, 5000), (30_000, 5000), (40_000, 10_000), (1, 1)],
    )
    def test_known_answers(self, width, expected):
        assert nice_scale_length(width) == expected

    @pytest.mark.parametrize("width", [0, -5, float("nan"), float("inf"), "4000"])
    def test_refuses_non_positive_or_non_finite(self, width):
        with pytest.raises(ValueError, match=r"width_m=.* must be a finite number of metres greater than 0"):
            nice_scale_length(width)

    def test_doctests_pass(self):
        result = doctest.testmod(printmap, optionflags=doctest.ELLIPSIS)
        assert result.attempted >= 5
        assert result.failed == 0


class TestOutput:
    @pytest.mark.parametrize(
        ("paper", "landscape", "dpi", "shape"),
        [("A4", True, 150, (1240, 1753)), ("A4", True, 100, (826, 1169)), ("A4", False, 100, (1169, 826)),
         ("A3", True, 72, (841, 1190))],
    )
    def test_png_has_the_paper_size_at_dpi(self, cells, paper, landscape, dpi, shape):
        png = render_print_map(title="T", choropleth=cells, column="incidents", date=DATE, paper=paper,
                               landscape=landscape, dpi=dpi)
        assert png.startswith(PNG_SIGNATURE)
        image = matplotlib.image.imread(io.BytesIO(png), format="png")
        assert image.shape[:2] == shape

    def test_pdf_is_a4_landscape_in_points(self, cells):
        pdf = render_print_map(title="T", choropleth=cells, column="incidents", date=DATE, fmt="pdf")
        assert pdf.startswith(b"%PDF")
        width, height = map(float, re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
        assert (width, height) == pytest.approx((297 / 25.4 * 72, 210 / 25.4 * 72), abs=0.01)

    @pytest.mark.parametrize("fmt", ["png", "pdf"])
    def test_same_input_gives_the_same_bytes(self, cells, cameras, fmt):
        def once():
            return render_print_map(title="T", choropleth=cells, column="incidents", date=DATE, fmt=fmt,
                                    layers={"cameras": cameras}, dpi=72)

        assert once() == once()

    def test_pdf_carries_fixed_metadata_and_no_creation_date(self, cells):
        pdf = render_print_map(title="T", choropleth=cells, column="incidents", date=DATE, fmt="pdf")
        assert b"/Creator (Trygghetskartan)" in pdf
        assert b"/CreationDate" not in pdf

    def test_png_software_is_fixed(self, cells):
        png = render_print_map(title="T", choropleth=cells, column="incidents", date=DATE, dpi=50)
        assert b"Trygghetskartan" in png
        assert b"Matplotlib version" not in png


class TestTexts:
    def test_swedish_by_default(self, cells):
        texts = texts_of(build(cells, sources=("Polisen",)))
        assert "Händelser i Järfälla" in texts
        assert "Järfälla kommun · 2026-03-28" in texts
        assert "Källa: Polisen. Koordinatsystem SWEREF 99 TM (EPSG:3006)" in texts
        assert {"N", "0", "1 km", "Händelser", "Teckenförklaring"} <= set(texts)

    def test_english_with_lang_en(self, cells):
        fig = build(cells, lang="en")
        texts = texts_of(fig)
        assert "Source: Trygghetskartan, Järfälla municipality. Coordinate reference system SWEREF 99 TM " \
               "(EPSG:3006)" in texts
        assert {"N", "1 km", "Incidents", "Legend"} <= set(texts)
        assert legend_labels(fig) == ["Suppressed (fewer than 4)", "Hot spot (Gi*, 90–99 % confidence)"]
        assert not any("Källa" in t or "Dold" in t for t in texts)

    def test_period_from_lagesbild_attrs(self, cells):
        cells.attrs["params"] = {"start": "2025-10-01T00:00:00+02:00", "end": "2026-10-01T00:00:00+02:00"}
        assert "Järfälla kommun · Period 2025-10-01 – 2026-09-30 · 2026-03-28" in texts_of(build(cells))

    @pytest.mark.parametrize(("column", "lang", "label"), [
        ("incidents", "sv", "Händelser"), ("composite_index", "sv", "Sammanvägt index"),
        ("composite_index", "en", "Composite index"), ("my_count", "en", "my_count"),
    ])
    def test_colour_bar_label_from_indicators(self, cells, column, lang, label):
        cells["my_count"] = cells["incidents"]
        assert label in texts_of(build(cells, column=column, lang=lang))

    def test_swedish_tick_labels_use_decimal_comma(self, cells):
        cells["share"] = np.linspace(0.0, 0.5, 20)
        fig = build(cells, column="share")
        fig.draw_without_rendering()  # tick labels are made at draw time
        texts = texts_of(fig)
        assert "0,10" in texts
        assert "0.10" not in texts


class TestLegend:
    def test_suppressed_and_hot_spot_entries(self, cells):
        assert legend_labels(build(cells)) == ["Dold (färre än 4)", "Hot spot (Gi*, 90–99 % konfidens)"]

    def test_no_suppressed_entry_without_missing_values(self, cells):
        assert legend_labels(build(cells, column="composite_index")) == ["Hot spot (Gi*, 90–99 % konfidens)"]

    def test_hotspots_off(self, cells):
        assert legend_labels(build(cells, hotspots=False)) == ["Dold (färre än 4)"]

    def test_adjacent_hot_spots_share_one_outline(self, cells):
        outlines = [c for c in map_axes(build(cells)).collections
                    if isinstance(c, PathCollection) and c.get_linewidths()[0] == HOTSPOT_WIDTH]
        assert len(outlines) == 1
        (path,) = outlines[0].get_paths()
        xs, ys = path.vertices[:, 0], path.vertices[:, 1]
        assert (xs.min(), xs.max(), ys.min(), ys.max()) == (X0 + 4000, X0 + 5000, Y0, Y0 + 500)

    @pytest.mark.parametrize(("lang", "expected"), [
        ("sv", ["Kameror", "Belysning: Fungerar", "Belysning: Trasig"]),
        ("en", ["Cameras", "Lighting: Working", "Lighting: Broken"]),
    ])
    def test_layers_named_and_coloured_by_spec(self, cells, cameras, lamps, lang, expected):
        fig = build(cells, layers={"cameras": cameras, "lighting": lamps}, lang=lang)
        assert legend_labels(fig)[2:] == expected
        handles = map_axes(fig).collections
        scatter = [c for c in handles if isinstance(c, PathCollection) and len(c.get_sizes())]
        assert len(scatter) == 2
        cam_edges = scatter[0].get_edgecolors()
        assert np.allclose(cam_edges[0][:3], to_rgb(get_spec("cameras").style.color))
        lamp_edges = [to_hex(c) for c in scatter[1].get_edgecolors()]
        assert lamp_edges == ["#f1c40f", "#7f8c8d", "#f1c40f"]

    def test_layer_without_choropleth(self, cameras):
        fig = _build_figure(title="Kameror", layers={"cameras": cameras}, date=DATE)
        assert legend_labels(fig) == ["Kameror"]


class TestScaleBarAndNorth:
    def test_scale_bar_is_one_km_in_four_alternating_segments(self, cells):
        ax = map_axes(build(cells))
        width = ax.get_xlim()[1] - ax.get_xlim()[0]
        assert nice_scale_length(width) == 1000
        segments = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == 250]
        assert len(segments) == 4
        assert [to_hex(p.get_facecolor()) for p in segments] == [
            "#000000", "#ffffff", "#000000", "#ffffff"]

    def test_metres_are_equal_across_and_up(self, cells):
        fig = build(cells)
        ax = map_axes(fig)
        fig.draw_without_rendering()  # applies the aspect
        box = ax.get_position()
        width_in, height_in = fig.get_size_inches()
        x_scale = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (box.width * width_in)
        y_scale = (ax.get_ylim()[1] - ax.get_ylim()[0]) / (box.height * height_in)
        assert x_scale == pytest.approx(y_scale, rel=1e-3)

    def test_north_arrow_points_up(self, cells):
        (arrow,) = [a for a in map_axes(build(cells)).texts if isinstance(a, Annotation)]
        assert arrow.get_text() == "N"
        assert arrow.xy[1] > arrow.xyann[1]
        assert arrow.xy[0] == arrow.xyann[0]


class TestCRS:
    def test_frame_without_crs_raises(self, cells):
        with pytest.raises(CRSError, match="the choropleth has no CRS"):
            build(cells.set_crs(None, allow_override=True))

    def test_layer_without_crs_raises(self, cells, cameras):
        with pytest.raises(CRSError, match="layer 'cameras' has no CRS"):
            build(cells, layers={"cameras": cameras.set_crs(None, allow_override=True)})

    def test_geographic_input_is_drawn_in_sweref(self, cells):
        ax = map_axes(build(cells.to_crs("EPSG:4326")))
        assert X0 - 1000 < ax.get_xlim()[0] < X0
        assert ax.get_xlim()[1] - ax.get_xlim()[0] == pytest.approx(5300, rel=1e-4)

    def test_geographic_analysis_crs_is_refused(self, cells, monkeypatch):
        monkeypatch.setattr("geo.settings.analysis_crs", "EPSG:4326")
        with pytest.raises(CRSError, match="geographic CRS"):
            build(cells)


class TestArguments:
    @pytest.mark.parametrize(("kwargs", "match"), [
        ({"column": "gi_class"}, r"column='gi_class' is not a numeric column of the choropleth; allowed: "
                                 r"incidents, composite_index"),
        ({"column": None}, r"column=None is not a numeric column"),
        ({"choropleth": None}, r"column='incidents' was given without a choropleth frame"),
        ({"paper": "A5"}, r"paper='A5' is not supported; allowed: A4, A3"),
        ({"dpi": 10}, r"dpi=10 must be a whole number from 50 to 1200"),
        ({"lang": "fi"}, r"language 'fi' is not supported"),
    ])
    def test_bad_arguments(self, cells, kwargs, match):
        with pytest.raises(ValueError, match=match):
            build(cells, **kwargs)

    def test_bad_format(self, cells):
        with pytest.raises(ValueError, match=r"fmt='svg' is not supported; allowed: png, pdf"):
            render_print_map(title="T", choropleth=cells, column="incidents", fmt="svg")

    def test_nothing_to_draw(self):
        with pytest.raises(ValueError, match="nothing to draw"):
            _build_figure(title="T", date=DATE)

    def test_unknown_layer(self, cells, cameras):
        with pytest.raises(LayerSpecError, match="no_such_layer"):
            build(cells, layers={"no_such_layer": cameras})

    def test_flags_are_keyword_only(self, cells):
        with pytest.raises(TypeError, match="positional"):
            render_print_map("T", cells, "incidents")  # type: ignore[misc]


class TestPrivacyGuard:
    def incidents(self, category: str) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"id": ["i1"], "occurred_at": [pd.Timestamp("2026-01-05 23:30", tz="Europe/Stockholm")],
             "category": [category], "source": ["test"], "location_precision": ["exact"]},
            geometry=[Point(X0 + 100, Y0 + 100)], crs="EPSG:3006")

    def test_protected_rows_are_refused(self, cells):
        with pytest.raises(PrivacyError, match=r"layer 'incidents' holds 1 rows in protected categories"):
            build(cells, layers={"incidents": self.incidents("vald_i_nara_relation")})

    def test_protected_layer_is_refused(self, cells, cameras, monkeypatch):
        protected = dataclasses.replace(get_spec("cameras"), sensitivity="protected")
        monkeypatch.setattr(printmap, "get_spec", lambda name: protected)
        with pytest.raises(PrivacyError, match=r"layer 'cameras' is protected"):
            build(cells, layers={"cameras": cameras})


# --- the demo store -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(demo_path):
    return open_store(demo_path)


@pytest.fixture(scope="module")
def public_lagesbild(demo_store) -> gpd.GeoDataFrame:
    params = LagesbildParams.from_text(date_from="2025-10-01", date_to="2026-09-30", audience="public")
    return build_lagesbild(demo_store, params)


@pytest.fixture(scope="module")
def public_layers(demo_store) -> dict[str, gpd.GeoDataFrame]:
    return collect_map_data(demo_store, "public").layers


@pytest.fixture(scope="module")
def incident_coordinates(demo_store) -> set[tuple[float, float]]:
    xy = demo_store.read("incidents").get_coordinates().to_numpy()
    return {(round(x, 3), round(y, 3)) for x, y in xy}


def drawn_coordinates(fig) -> set[tuple[float, float]]:
    """Every point offset and line vertex in the figure, in data units."""
    arrays = []
    for artist in fig.findobj(lambda a: isinstance(a, PathCollection | Line2D)):
        arrays.append(artist.get_offsets() if isinstance(artist, PathCollection) else artist.get_xydata())
    xy = np.concatenate([np.asarray(a, dtype=float).reshape(-1, 2) for a in arrays])
    return {(round(x, 3), round(y, 3)) for x, y in xy}


def demo_kwargs(lagesbild, layers, **extra):
    return {"title": "Lägesbild", "choropleth": lagesbild, "column": "incidents", "layers": layers,
            "sources": ("Polisen", "Järfälla kommun"), "date": DATE} | extra


class TestDemo:
    @pytest.mark.parametrize("fmt", ["png", "pdf"])
    def test_renders_identically_twice(self, public_lagesbild, public_layers, fmt):
        first = render_print_map(**demo_kwargs(public_lagesbild, public_layers, fmt=fmt))
        second = render_print_map(**demo_kwargs(public_lagesbild, public_layers, fmt=fmt))
        assert first.startswith(PNG_SIGNATURE if fmt == "png" else b"%PDF")
        assert first == second

    def test_png_decodes_to_a4_at_150_dpi(self, public_lagesbild, public_layers):
        png = render_print_map(**demo_kwargs(public_lagesbild, public_layers))
        assert matplotlib.image.imread(io.BytesIO(png), format="png").shape == (1240, 1753, 4)

    def test_legend_has_hot_spots_suppressed_and_layers(self, public_lagesbild, public_layers):
        assert public_lagesbild["incidents"].isna().any()
        assert public_lagesbild["gi_class"].str.startswith("hot").any()
        labels = legend_labels(_build_figure(**demo_kwargs(public_lagesbild, public_layers)))
        assert labels[:2] == ["Dold (färre än 4)", "Hot spot (Gi*, 90–99 % konfidens)"]
        assert {"Områden", "Kameror", "Klotter", "Trygghetskontor"} <= set(labels)

    def test_texts(self, public_lagesbild, public_layers):
        texts = texts_of(_build_figure(**demo_kwargs(public_lagesbild, public_layers)))
        assert {"Lägesbild", "N", "0", "Händelser"} <= set(texts)
        assert any(re.fullmatch(r"\d+ k?m", t) for t in texts)
        assert any(t.startswith("Källa: Polisen, Järfälla kommun.") for t in texts)


class TestNoLeak:
    def test_public_layers_leave_out_incidents(self, public_layers):
        assert "incidents" not in public_layers
        assert public_layers  # the rest is drawn

    def test_no_incident_coordinate_is_drawn(self, public_lagesbild, public_layers, incident_coordinates):
        fig = _build_figure(**demo_kwargs(public_lagesbild, public_layers))
        labels = legend_labels(fig)
        assert get_spec("incidents").label("sv") not in labels
        assert not drawn_coordinates(fig) & incident_coordinates

    def test_the_check_would_catch_a_leak(self, demo_store, public_lagesbild, incident_coordinates):
        staff = collect_map_data(demo_store, "staff").layers
        fig = _build_figure(**demo_kwargs(public_lagesbild, {"incidents": staff["incidents"]}))
        assert drawn_coordinates(fig) & incident_coordinates
