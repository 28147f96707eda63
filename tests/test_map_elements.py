"""Class breaks and the compact Leaflet elements the map is drawn with."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.outputs.maps.classify import MISSING, NEGATIVE, POSITIVE, SEQUENTIAL, classify
from geo.outputs.maps.elements import feature_layer, legend, point_layer, web_geometries

X0, Y0 = 660_000, 6_590_000


def cells(n: int) -> gpd.GeoSeries:
    return gpd.GeoSeries([shapely.box(X0 + 250 * i, Y0, X0 + 250 * (i + 1), Y0 + 250) for i in range(n)],
                         crs="EPSG:3006")


def payload(element) -> dict:
    return json.loads(element.payload)


class TestClassify:
    def test_zero_is_its_own_class_and_positives_are_quantiles(self):
        values = np.array([0, 0, 0, 1, 1, 2, 2, 3, 4, 9, 20, np.nan])
        c = classify(values, k=3)
        # zero; then the positives 1..20 split at their median (3, "higher" quantile), which
        # closes the lower class
        assert c.bounds == ((0, 0), (1, 3), (4, 20))
        assert c.index.tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, -1]
        assert c.colours == (SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[-1])

    def test_ties_never_straddle_two_classes(self):
        values = np.array([1] * 50 + [2, 3, 4, 5], dtype=float)
        c = classify(values, k=5)
        assert len(set(c.index[:50])) == 1
        lows = [low for low, _ in c.bounds]
        assert lows == sorted(lows)
        assert c.bounds[0] == (1, 1)

    def test_both_signs_get_diverging_colours_by_sign(self):
        values = np.array([-8, -3, -1, 0, 0, 2, 5, 9], dtype=float)
        c = classify(values)
        colour_of = dict(zip(values.tolist(), [c.colours[i] for i in c.index], strict=True))
        assert all(colour_of[v] in NEGATIVE for v in (-8, -3, -1))
        assert all(colour_of[v] in POSITIVE for v in (2, 5, 9))
        assert colour_of[0] not in NEGATIVE + POSITIVE
        assert colour_of[-8] == NEGATIVE[0]
        assert colour_of[9] == POSITIVE[-1]

    def test_all_missing_and_constant(self):
        assert classify(np.array([np.nan, np.nan])).bounds == ()
        c = classify(np.array([4.0, 4.0, 4.0]))
        assert c.bounds == ((4, 4),)
        assert c.index.tolist() == [0, 0, 0]

    def test_k_checked(self):
        with pytest.raises(ValueError, match="k=9 classes is not supported"):
            classify(np.array([1.0]), k=9)


class TestFeatureLayer:
    def test_geometries_styles_and_columns_line_up(self):
        geometry = cells(3)
        layer = feature_layer(geometry, styles=[{"color": "#000"}, {"color": "#fff"}],
                              style_index=np.array([1, 0, 1]),
                              fields=[("Ruta", ["a", "b", "c"]), ("Antal", ["1", "2", "3"])],
                              tooltip_fields=1, popup=True)
        data = payload(layer)
        assert len(data["g"]) == 3
        assert data["k"] == [1, 0, 1]
        assert data["v"] == [["a", "b", "c"], ["1", "2", "3"]]
        assert data["t"] == 1
        assert data["p"] is True
        # EPSG:3006 -> 4326, rounded to 1e-5 degrees
        lon, lat = data["g"][0]["coordinates"][0][0]
        assert 17.8 < lon < 17.9
        assert 59.4 < lat < 59.5
        assert all(len(str(v).split(".")[1]) <= 5 for v in (lon, lat))

    def test_text_is_escaped_once(self):
        hostile = "<script>alert('x')</script> & co"
        layer = feature_layer(cells(1), styles=[{}], fields=[("<b>Namn</b>", [hostile])], tooltip_fields=1)
        data = payload(layer)
        assert data["f"] == ["&lt;b&gt;Namn&lt;/b&gt;"]
        assert data["v"] == [["&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co"]]
        assert "</script>" not in layer.payload

    def test_missing_and_empty_geometries_are_left_out_with_their_rows(self):
        geometry = gpd.GeoSeries([shapely.box(X0, Y0, X0 + 250, Y0 + 250), None, shapely.Polygon(),
                                  shapely.box(X0 + 500, Y0, X0 + 750, Y0 + 250)], crs="EPSG:3006")
        data = payload(feature_layer(geometry, styles=[{}, {}], style_index=np.array([0, 1, 1, 1]),
                                     fields=[("id", ["a", "b", "c", "d"])]))
        assert len(data["g"]) == 2
        assert data["k"] == [0, 1]
        assert data["v"] == [["a", "d"]]

    def test_lengths_checked(self):
        with pytest.raises(ValueError, match="one value per geometry"):
            feature_layer(cells(2), styles=[{}], fields=[("id", ["a"])])

    def test_web_geometries_need_a_crs(self):
        from geo.errors import CRSError

        with pytest.raises(CRSError):
            web_geometries(gpd.GeoSeries([shapely.Point(0, 0)]))


def test_point_layer_rows_are_lat_lon_and_colour():
    points = gpd.GeoSeries([shapely.Point(X0, Y0), None, shapely.Point(X0 + 100, Y0 + 100)], crs="EPSG:3006")
    layer = point_layer(points, colours=["#111", "#222"], colour_index=np.array([0, 1, 1]), radius=2,
                        class_name="tk-layer tk-layer-lighting")
    rows = json.loads(layer.rows)
    assert [r[2] for r in rows] == [0, 1]
    assert all(59 < r[0] < 60 and 17 < r[1] < 18 for r in rows)


def test_legend_escapes_and_lists_entries():
    box = legend("Händelser <i>", [(SEQUENTIAL[0], "0"), (MISSING, "inget värde <dolt>")], note="Kvantiler")
    markup = json.loads(box.html)
    assert "Händelser &lt;i&gt;" in markup
    assert "inget värde &lt;dolt&gt;" in markup
    assert len(re.findall(r"<span", markup)) == 2
    outlined = json.loads(legend("Hot spots", [], outlines=[({"color": "#b2182b", "weight": 3,
                                                               "dashArray": "5 4"}, "99 %")]).html)
    assert "border:3px dashed #b2182b" in outlined


def test_classify_docstring_examples():
    import doctest

    from geo.outputs.maps import classify as module

    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_template_syntax_in_stored_text_is_not_evaluated():
    """Text that looks like Jinja reaches the page verbatim (branca would compile it again)."""
    import folium

    fmap = folium.Map()
    group = folium.FeatureGroup().add_to(fmap)
    text = "{{ 7*7 }} {% if true %}yes{% endif %}"
    feature_layer(cells(1), styles=[{}], fields=[("Beskrivning", [text])], tooltip_fields=1).add_to(group)
    page = fmap.get_root().render()
    assert text in page
    assert "49" not in page.split(text)[0][-40:]


def test_web_geometries_cached_per_geometry_and_crs():
    first = web_geometries(cells(3))
    first[0] = None  # the caller's copy: the cache is not touched
    again = web_geometries(cells(3))
    assert again[0] is not None
    moved = web_geometries(cells(3).translate(1000, 0))
    assert moved[0] != again[0]
