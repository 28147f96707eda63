"""Leaflet elements that carry their data as compact JSON and build features in the browser.

``folium.GeoJson`` calls a Python style function for every feature and
serialises every feature's properties; for the 5,000 cells of a 250 m
lägesbild and the point layers that was most of a map's build time, and
``st_folium`` renders a map twice. The elements here send each geometry
once (GeoJSON from shapely, coordinates rounded to :data:`WEB_DECIMALS`), a
style class per feature, and the tooltip and popup text as columns; the
browser makes the features.

Every path gets its layer's CSS classes (``tk-layer tk-layer-<name>``), so
a test finds the map's own layers without basemap tiles. Every text is
HTML-escaped here, before it is put in the JSON: no value can open a tag or
end the script. Only :mod:`geo.outputs.maps.base` uses this module; frames come in
any projected CRS and are converted to EPSG:4326 here, for the browser.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.crs import require_crs, to_web_crs

#: Decimal places kept in web-map coordinates (1e-5 degrees is about 1 m).
WEB_DECIMALS = 5

_ROWS_JS = """
function tkRows(d, i, n) {
    var h = '<table class="tk-popup">';
    for (var k = 0; k < n; k++) {
        h += '<tr><th>' + d.f[k] + '</th><td>' + d.v[k][i] + '</td></tr>';
    }
    return h + '</table>';
}
"""


class _Text(Element):
    """Text put into the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        del kwargs
        return self.text


class _DirectScript(MacroElement):
    """A MacroElement whose script is put into the page as it is.

    branca wraps a rendered script in ``Element(script)``, which compiles it
    as a Jinja template once more: slow for a payload of hundreds of
    kilobytes, and a stored text holding ``{{ ... }}`` would be evaluated.
    """

    def render(self, **kwargs: object) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Text(script(self, kwargs)), name=self.get_name())


class FeatureLayer(_DirectScript):
    """GeoJSON geometries styled by class, with tooltips and popups made from columns.

    Build it with :func:`feature_layer`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var d = {{ this.payload }};
            """ + _ROWS_JS + """
            var features = d.g.map(function (g, i) {
                return {type: 'Feature', geometry: g, properties: {i: i}};
            });
            var options = {
                style: function (f) { return d.s[d.k[f.properties.i]]; },
                pointToLayer: function (f, latlng) {
                    var style = L.extend({}, d.s[d.k[f.properties.i]]);
                    if (d.pane) { style.pane = d.pane; }
                    return L.circleMarker(latlng, style);
                }
            };
            if (d.pane) { options.pane = d.pane; }
            var layer = L.geoJSON({type: 'FeatureCollection', features: features}, options);
            if (d.t > 0) {
                layer.bindTooltip(function (l) { return tkRows(d, l.feature.properties.i, d.t); },
                                  {sticky: true});
            }
            if (d.p) {
                layer.bindPopup(function (l) { return tkRows(d, l.feature.properties.i, d.f.length); },
                                {maxWidth: 380});
            }
            layer.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, payload: str) -> None:
        super().__init__()
        self._name = "FeatureLayer"
        self.payload = payload


class PointLayer(_DirectScript):
    """Circle markers made in the browser from ``[lat, lon, colour index]`` rows.

    For dense point layers: a fifth of the size of the same points as
    GeoJSON features, with no per-point tooltip. The markers shrink when
    the map is zoomed out, so thousands of lamps do not cover a town
    centre. Build it with :func:`point_layer`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var rows = {{ this.rows }};
            var colours = {{ this.colours }};
            var group = {{ this._parent.get_name() }};
            var markers = [];
            for (var i = 0; i < rows.length; i++) {
                markers.push(L.circleMarker([rows[i][0], rows[i][1]], {
                    radius: {{ this.radius }}, color: colours[rows[i][2]], weight: 0, fill: true,
                    fillOpacity: 0.35, className: {{ this.class_name }}
                }).addTo(group));
            }
            function resize() {
                var zoom = group._map ? group._map.getZoom() : 15;
                var r = {{ this.radius }} * (zoom >= 15 ? 1 : zoom >= 13 ? 0.6 : 0.35);
                for (var j = 0; j < markers.length; j++) { markers[j].setRadius(r); }
            }
            group.on('add', function () { group._map.on('zoomend', resize); resize(); });
            group.on('remove', function (e) { e.target._map && e.target._map.off('zoomend', resize); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: str, colours: str, *, radius: float, class_name: str) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.rows = rows
        self.colours = colours
        self.radius = float(radius)
        self.class_name = json.dumps(class_name)


class Legend(_DirectScript):
    """A legend box in a map corner that comes and goes with its layer group.

    Add it to the ``folium.FeatureGroup`` it explains: the box is shown while
    the group is on the map (so it follows the layer control, and
    ``st_folium``'s dynamic feature groups). Build it with :func:`legend`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var legend = L.control({position: {{ this.position }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'tk-legend');
                div.style.cssText = 'background:rgba(255,255,255,0.9);padding:4px 6px;'
                    + 'font:11px/1.25 sans-serif;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);'
                    + 'max-width:190px';
                div.innerHTML = {{ this.html }};
                return div;
            };
            group.on('add', function () { legend.addTo(group._map); });
            group.on('remove', function () { legend.remove(); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, *, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = json.dumps(markup)
        self.position = json.dumps(position)


class Scripts(JSCSSMixin, MacroElement):
    """Nothing drawn: makes the map's page load a plugin's scripts.

    ``st_folium`` loads scripts only when it first draws a map, so a plugin
    that a dynamic layer group will use (the heat map) must be asked for by
    the base map.
    """

    _template = Template("")

    def __init__(self, scripts: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Scripts"
        self.default_js = list(scripts)


def web_geometries(geometry: gpd.GeoSeries) -> np.ndarray:
    """Return each geometry as GeoJSON text in EPSG:4326, rounded for the web.

    The last few results are kept, keyed by the geometries' bytes and CRS:
    every lägesbild of one geography has the same unit polygons, so a filter
    change does not project them again.

    Parameters
    ----------
    geometry : geopandas.GeoSeries
        Geometries with a CRS.

    Returns
    -------
    numpy.ndarray of object
        One GeoJSON geometry string per row; None for a missing or empty
        geometry (or one that collapses when rounded).
    """
    frame = gpd.GeoDataFrame(geometry=geometry)
    require_crs(frame, name="the map layer")
    digest = hashlib.sha1(b"".join(g or b"" for g in shapely.to_wkb(geometry.to_numpy())))
    key = (digest.hexdigest(), len(geometry), geometry.crs.to_string())
    with _WEB_LOCK:
        cached = _WEB_GEOMETRIES.get(key)
    if cached is None:
        web = to_web_crs(frame, name="the map layer").geometry.to_numpy()
        rounded = shapely.set_precision(web, 10**-WEB_DECIMALS)
        cached = shapely.to_geojson(rounded)
        cached[shapely.is_empty(rounded) | shapely.is_missing(rounded)] = None
        with _WEB_LOCK:  # sessions run in threads
            _WEB_GEOMETRIES[key] = cached
            while len(_WEB_GEOMETRIES) > _KEEP_GEOMETRIES:
                _WEB_GEOMETRIES.pop(next(iter(_WEB_GEOMETRIES)))
    return cached.copy()


#: Recent results of :func:`web_geometries` (oldest first).
_WEB_GEOMETRIES: dict[tuple[str, int, str], np.ndarray] = {}
_KEEP_GEOMETRIES = 8
_WEB_LOCK = threading.Lock()


def feature_layer(
    geometry: gpd.GeoSeries,
    *,
    styles: Sequence[dict],
    style_index: np.ndarray | None = None,
    fields: Sequence[tuple[str, Sequence[str]]] = (),
    tooltip_fields: int = 0,
    popup: bool = False,
    pane: str | None = None,
) -> FeatureLayer:
    """Build a :class:`FeatureLayer` from geometries, style classes and text columns.

    Parameters
    ----------
    geometry : geopandas.GeoSeries
        The features' geometries, with a CRS (converted to EPSG:4326 here).
    styles : sequence of dict
        Leaflet path options per style class (``color``, ``fillColor``,
        ``weight``, ``radius`` for points, ``className``...).
    style_index : numpy.ndarray of int, optional
        Style class of each feature (default: all class 0).
    fields : sequence of (label, values)
        Text columns for the tooltip and popup: a label and one display
        string per feature. Both are HTML-escaped here.
    tooltip_fields : int, default 0
        How many of the first ``fields`` the tooltip shows (0: none).
    popup : bool, default False
        Show all ``fields`` in a popup on click.
    pane : str, optional
        A map pane (``folium.map.CustomPane``) to draw in, e.g. one below
        the point layers for a choropleth.

    Returns
    -------
    FeatureLayer
        Add it to a ``folium.FeatureGroup``.

    Raises
    ------
    ValueError
        If a column's or ``style_index``'s length differs from the geometries'.
    """
    n = len(geometry)
    index = np.zeros(n, dtype=np.int64) if style_index is None else np.asarray(style_index, dtype=np.int64)
    if len(index) != n or any(len(values) != n for _, values in fields):
        msg = f"style_index and every field need one value per geometry ({n})"
        raise ValueError(msg)
    geojson = web_geometries(geometry)
    keep = np.flatnonzero(geojson != None)  # noqa: E711 - an object array, compared elementwise
    columns = [[html.escape(str(values[i])) for i in keep] for _, values in fields]
    payload = "".join([
        '{"g":[', ",".join(geojson[keep]), '],"k":', json.dumps(index[keep].tolist()),
        ',"s":', json.dumps(list(styles)),
        ',"f":', json.dumps([html.escape(label) for label, _ in fields]),
        ',"v":', json.dumps(columns, separators=(",", ":")),
        ',"t":', str(int(min(tooltip_fields, len(fields)))), ',"p":', "true" if popup and fields else "false",
        ',"pane":', json.dumps(pane), "}",
    ])
    return FeatureLayer(payload)


def point_layer(
    geometry: gpd.GeoSeries,
    *,
    colours: Sequence[str],
    colour_index: np.ndarray | None = None,
    radius: float,
    class_name: str,
) -> PointLayer:
    """Build a :class:`PointLayer` from point geometries.

    Parameters
    ----------
    geometry : geopandas.GeoSeries
        Points with a CRS; missing or empty ones are left out.
    colours : sequence of str
        The palette.
    colour_index : numpy.ndarray of int, optional
        Palette position of each point (default 0).
    radius : float
        Marker radius in pixels.
    class_name : str
        CSS classes of every marker.

    Returns
    -------
    PointLayer
        Add it to a ``folium.FeatureGroup``.
    """
    points = geometry.to_numpy()
    keep = ~(shapely.is_missing(points) | shapely.is_empty(points))
    web = to_web_crs(gpd.GeoDataFrame(geometry=geometry[keep]), name="the map layer").geometry.to_numpy()
    coords = np.round(shapely.get_coordinates(web)[:, ::-1], WEB_DECIMALS)
    index = np.zeros(len(points), dtype=np.int64) if colour_index is None else np.asarray(colour_index)
    rows = np.column_stack([coords, index[keep]]).tolist()
    text = json.dumps([[lat, lon, int(c)] for lat, lon, c in rows], separators=(",", ":"))
    return PointLayer(text, json.dumps(list(colours)), radius=radius, class_name=class_name)


def legend(title: str, entries: Sequence[tuple[str, str]], *,
           outlines: Sequence[tuple[dict, str]] = (), note: str | None = None) -> Legend:
    """Build a :class:`Legend`: a title, filled and outlined swatches with labels, a note.

    Parameters
    ----------
    title : str
        The legend's heading (escaped here).
    entries : sequence of (colour, label)
        Fill colours and their labels (labels escaped here).
    outlines : sequence of (style, label), optional
        Outlines drawn on the map (a Leaflet path style with ``color``,
        ``weight`` and optionally ``dashArray``) and their labels.
    note : str, optional
        A line under the swatches (escaped here).

    Returns
    -------
    Legend
        Add it to the layer group it explains.
    """
    swatch = "display:inline-block;width:12px;height:9px;margin-right:5px;vertical-align:middle;"
    rows = [f'<div><span style="{swatch}border:1px solid #7f2704;background:{html.escape(colour)}">'
            f"</span>{html.escape(label)}</div>" for colour, label in entries]
    rows += [f'<div><span style="{swatch}border:{int(style.get("weight", 1))}px '
             f'{"dashed" if style.get("dashArray") else "solid"} {html.escape(style["color"])}">'
             f"</span>{html.escape(label)}</div>" for style, label in outlines]
    foot = f'<div style="margin-top:3px;color:#555;font-size:10px">{html.escape(note)}</div>' if note else ""
    return Legend(f"<b>{html.escape(title)}</b>{''.join(rows)}{foot}")
