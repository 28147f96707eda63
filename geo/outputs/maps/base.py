"""Folium maps of the layers: the only place that converts to EPSG:4326.

Every feature path carries the CSS class ``tk-layer-<name>`` so a browser
test can find the map's own layers without any basemap tiles. Text values
are HTML-escaped before they reach a tooltip or popup.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.map import CustomPane
from folium.plugins import FastMarkerCluster, HeatMap

from geo.analysis.grid import count_points_in_cells, make_grid
from geo.analysis.prepared import LOCATED_PRECISIONS
from geo.crs import to_web_crs
from geo.i18n import format_date, format_number, t
from geo.outputs.maps.classify import classify
from geo.outputs.maps.elements import WEB_DECIMALS, Scripts, feature_layer, legend, point_layer
from geo.outputs.maps.lagesbild import PANES, column_label, lagesbild_layers, range_label
from geo.outputs.maps.lagesbild import indicator_label as indicator_label  # re-exported for the pages
from geo.privacy import gate_features, may_see_layer, suppress_small_counts
from geo.store.base import Store
from layers import all_specs, get_spec
from layers.spec import LayerSpec

#: Above this many points a layer is drawn as clusters, not single markers.
CLUSTER_THRESHOLD = 10_000
#: Above this many points a layer is sent as a compact coordinate array (no per-feature GeoJSON).
COMPACT_THRESHOLD = 1_000
JARFALLA_CENTER = (59.425, 17.83)


@dataclass
class MapData:
    """What one audience may see on the map.

    Attributes
    ----------
    layers : dict of str to geopandas.GeoDataFrame
        Features per layer (EPSG:3006), already through the privacy gate.
        Incidents located only to the kommun or county are left out: their
        point is a centroid, not where they happened.
    cells : geopandas.GeoDataFrame or None
        Incident counts per grid cell (``unit_id``, ``incidents``), small
        counts suppressed for the public.
    kommun_level : int
        Incidents located only to the kommun (not counted in cells).
    hidden_layers : list of str
        Stored layers the audience may not see as features.

    Notes
    -----
    The web form of each layer (its map element) is kept once built, per
    language, so a page that keeps a ``MapData`` (the app caches one per
    store state and audience) builds the static layers once. Treat the
    frames as read-only.
    """

    layers: dict[str, gpd.GeoDataFrame]
    cells: gpd.GeoDataFrame | None = None
    kommun_level: int = 0
    hidden_layers: list[str] = field(default_factory=list)
    _web: dict[tuple[str, str], MacroElement] = field(default_factory=dict, repr=False)
    _bounds: list[list[float]] | None = field(default=None, repr=False)


def collect_map_data(store: Store, audience: str, *, cell_size: int | None = None,
                     cells: bool = True) -> MapData:
    """Read every stored layer the audience may see, and incidents per cell.

    Parameters
    ----------
    store : Store
        The store.
    audience : {"public", "staff", "protected"}
        Who looks at the map.
    cell_size : int, optional
        Grid cell size for incident counts; defaults to ``settings.cell_size``.
    cells : bool, default True
        Count incidents per cell (the map without a lägesbild); False skips
        reading the incidents.

    Returns
    -------
    MapData
        The gated layers and the aggregated incidents.
    """
    stored = store.list_layers()
    wanted = [n for n in stored if _shown_as_features(n, audience)]
    if cells:
        wanted += [n for n in ("incidents", "areas") if n in stored and n not in wanted]
    frames = {name: store.read(name) for name in wanted}
    data = map_data(frames, audience, cell_size=cell_size, cells=cells)
    data.hidden_layers = [n for n in stored if not _shown_as_features(n, audience)]
    return data


def map_data(frames: Mapping[str, gpd.GeoDataFrame], audience: str, *, cell_size: int | None = None,
             cells: bool = True) -> MapData:
    """Gate already read layers for an audience (as :func:`collect_map_data` does after reading).

    Parameters
    ----------
    frames : mapping of str to geopandas.GeoDataFrame
        Stored layers by name, e.g. :attr:`geo.analysis.prepared.Prepared.frames`.
    audience : {"public", "staff", "protected"}
        Who looks at the map.
    cell_size : int, optional
        Grid cell size for incident counts.
    cells : bool, default True
        Count incidents per cell (needs ``incidents`` and ``areas``).

    Returns
    -------
    MapData
        The gated layers, the layers hidden from the audience, and (with
        ``cells``) the aggregated incidents.
    """
    data = MapData(layers={})
    located = None
    if "incidents" in frames:
        # an event known only to the kommun or county sits on a centroid: never drawn, never in a cell
        located = frames["incidents"]["location_precision"].isin(LOCATED_PRECISIONS).to_numpy()
        data.kommun_level = int((~located).sum())
    for name, frame in frames.items():
        if _shown_as_features(name, audience):
            shown = frame.loc[located] if name == "incidents" and not located.all() else frame
            data.layers[name] = gate_features(shown, get_spec(name), audience).frame
        else:
            data.hidden_layers.append(name)
    if cells and located is not None and "areas" in frames:
        data.cells = incident_cells(frames["incidents"].loc[located], frames["areas"], audience,
                                    cell_size=cell_size)
    return data


def _shown_as_features(layer: str, audience: str) -> bool:
    spec = get_spec(layer)
    return may_see_layer(spec, audience) and spec.sensitivity != "protected"


def incident_cells(
    incidents: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, audience: str, *, cell_size: int | None = None
) -> gpd.GeoDataFrame:
    """Count located incidents per grid cell over the kommun, with suppression.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        Incidents with an exact or street-level location (EPSG:3006).
    areas : geopandas.GeoDataFrame
        The areas layer; the ``kommun`` polygon (or the union of all areas)
        is the grid's extent.
    audience : str
        ``public`` suppresses counts from 1 to k-1.
    cell_size : int, optional
        Cell size in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        Every cell of the kommun with ``unit_id`` and ``incidents``
        (nullable; ``<NA>`` where suppressed).
    """
    kommun = areas[areas["kind"] == "kommun"]
    grid = make_grid(kommun if len(kommun) else areas, cell_size)
    counts = count_points_in_cells(incidents, cell_size)
    raw = counts.reindex(grid["unit_id"]).fillna(0).astype("int64").to_numpy()
    grid["incidents"] = suppress_small_counts(pd.Series(raw, index=grid.index), audience)
    return grid


def base_map(
    data: MapData,
    *,
    lang: str = "sv",
    tiles: bool = True,
    show_layers: Sequence[str] | None = None,
    layer_control: bool = True,
    heatmap: bool = False,
) -> folium.Map:
    """Draw the layers that no lägesbild filter changes: basemap, stored layers, panes.

    Parameters
    ----------
    data : MapData
        From :func:`collect_map_data` or :func:`map_data`.
    lang : {"sv", "en"}, default "sv"
        Language of layer names and tooltips.
    tiles : bool, default True
        Add an OpenStreetMap basemap. The map's own layers do not depend on
        it, so the map stays usable offline.
    show_layers : sequence of str, optional
        The layers to draw (default: all in ``data``).
    layer_control : bool, default True
        Add a layer control (False when ``st_folium`` adds one for the
        dynamic lägesbild groups).
    heatmap : bool, default False
        Load the heat map plugin, for a heat map group added later.

    Returns
    -------
    folium.Map
        Fitted to the data, with the panes the lägesbild groups draw in.
    """
    fmap = folium.Map(location=JARFALLA_CENTER, zoom_start=12, tiles=None, control_scale=True)
    # Leaflet is all these layers need: no jQuery, Bootstrap or icon fonts for the iframe to fetch
    fmap.default_js = [(name, url) for name, url in folium.Map.default_js if name == "leaflet"]
    fmap.default_css = [(name, url) for name, url in folium.Map.default_css if name == "leaflet_css"]
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True).add_to(fmap)
    for pane, z_index in PANES:
        CustomPane(pane, z_index=z_index, pointer_events=True).add_to(fmap)
    if heatmap:
        Scripts(HeatMap.default_js).add_to(fmap)
    wanted = data.layers if show_layers is None else {k: v for k, v in data.layers.items()
                                                      if k in set(show_layers)}
    for name, frame in wanted.items():
        if len(frame):
            group = folium.FeatureGroup(name=f"{get_spec(name).label(lang)} ({len(frame)})", show=True)
            key = (name, lang)
            if key not in data._web:
                data._web[key] = _layer_element(frame, get_spec(name), lang)
            _copy_of(data._web[key]).add_to(group)
            group.add_to(fmap)
    bounds = _bounds_of(data)
    if bounds is not None:
        fmap.fit_bounds(bounds)
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def build_map(
    data: MapData,
    *,
    lang: str = "sv",
    tiles: bool = True,
    lagesbild: gpd.GeoDataFrame | None = None,
    indicator: str = "incidents",
    show_layers: Sequence[str] | None = None,
    heatmap: bool = False,
) -> folium.Map:
    """Draw the lägesbild, the layers and the legend on one folium map.

    The app draws the same through ``st_folium`` with :func:`base_map` and
    :func:`geo.outputs.maps.lagesbild.lagesbild_layers` as dynamic groups; this is
    the whole map in one object (for a saved HTML map and the tests).

    Parameters
    ----------
    data : MapData
        From :func:`collect_map_data`: the layers the audience may see.
    lang : {"sv", "en"}, default "sv"
        Language of layer names, legends and popups.
    tiles : bool, default True
        Add an OpenStreetMap basemap.
    lagesbild : geopandas.GeoDataFrame, optional
        A lägesbild (already computed for the audience); drawn as a
        choropleth of ``indicator`` with hot spots outlined. Without it the
        incident counts per cell of ``data`` are drawn.
    indicator : str, default "incidents"
        The lägesbild column to colour by.
    show_layers : sequence of str, optional
        The layers to draw (default: all in ``data``).
    heatmap : bool, default False
        Add a heat map of incident counts per unit, labelled as not tested.

    Returns
    -------
    folium.Map
        One toggleable layer per data layer and a layer control.
    """
    fmap = base_map(data, lang=lang, tiles=tiles, show_layers=show_layers, layer_control=False,
                    heatmap=heatmap)
    if lagesbild is not None:
        for group in lagesbild_layers(lagesbild, indicator, lang, heatmap=heatmap):
            group.add_to(fmap)
    elif data.cells is not None:
        _add_cells(fmap, data.cells, lang)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _bounds_of(data: MapData) -> list[list[float]] | None:
    if data._bounds is None:
        data._bounds = _web_bounds(data)
    return data._bounds


def _web_bounds(data: MapData) -> list[list[float]] | None:
    frames = [f for f in data.layers.values() if len(f)]
    if data.cells is not None and len(data.cells):
        frames.append(data.cells)
    if not frames:
        return None
    boxes = np.array([to_web_crs(f[[f.geometry.name]]).total_bounds for f in frames])
    return [[boxes[:, 1].min(), boxes[:, 0].min()], [boxes[:, 3].max(), boxes[:, 2].max()]]


def web_frame(frame: gpd.GeoDataFrame, spec: LayerSpec | None, lang: str) -> gpd.GeoDataFrame:
    """Prepare a frame for the browser: WGS 84, rounded, text escaped, labels applied.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Data in any CRS.
    spec : LayerSpec or None
        The layer's spec, for category labels and dates; None for derived data.
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326 with coordinates rounded to :data:`WEB_DECIMALS`; every
        non-geometry value a JSON-safe, HTML-escaped string or number.
    """
    web = to_web_crs(frame)
    web = web.set_geometry(shapely.set_precision(web.geometry.to_numpy(), 10**-WEB_DECIMALS))
    out = gpd.GeoDataFrame(geometry=web.geometry, crs=web.crs)
    for name in frame.columns:
        if name == frame.geometry.name:
            continue
        values = web[name]
        labels = {}
        if spec is not None and name in spec.column_names:
            labels = {c.code: c.label(lang) for c in spec.column(name).choices}
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[name] = [format_date(v, lang, with_time=True) for v in values]
        elif pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
            out[name] = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in values]
        else:
            out[name] = [
                "" if v is None or (not isinstance(v, str) and pd.isna(v))
                else html.escape(str(labels.get(v, v)))
                for v in values
            ]
    return out


def _layer_styles(spec: LayerSpec) -> tuple[list[dict], dict[str, int]]:
    """Leaflet styles of a layer: the spec's colour, then one per palette entry; palette positions."""
    style = spec.style
    colours = [style.color, *dict(style.palette).values()]
    styles = [{
        "color": colour,
        "fillColor": (style.fill_color or colour) if not style.palette else colour,
        "fillOpacity": style.fill_opacity if not spec.is_point_layer else 0.8,
        "weight": 0.5 if spec.is_point_layer else style.weight,
        "radius": style.radius,
        "className": f"tk-layer tk-layer-{spec.name}",
    } for colour in colours]
    return styles, {value: i for i, value in enumerate(dict(style.palette), start=1)}


def _palette_index(frame: gpd.GeoDataFrame, spec: LayerSpec, positions: dict[str, int]) -> np.ndarray:
    index = np.zeros(len(frame), dtype=np.int64)
    if spec.style.color_by and spec.style.color_by in frame.columns:
        codes = frame[spec.style.color_by].astype(str).to_numpy()
        for value, position in positions.items():
            index[codes == value] = position
    return index


def _display_text(values: pd.Series, spec: LayerSpec, column: str, lang: str) -> list[str]:
    """Display text (escaped later by the map element) of a layer column: labels, dates, numbers."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return [format_date(v, lang, with_time=True) if not pd.isna(v) else "" for v in values]
    labels = {c.code: c.label(lang) for c in spec.column(column).choices}
    if pd.api.types.is_bool_dtype(values.dtype):
        yes, no = t("yes", lang), t("no", lang)
        return ["" if pd.isna(v) else yes if v else no for v in values]
    if pd.api.types.is_numeric_dtype(values.dtype):
        return ["" if pd.isna(v) else format_number(v, lang, decimals=0 if float(v).is_integer() else 2)
                for v in values]
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(labels.get(v, v))
            for v in values]


def _copy_of(element: MacroElement) -> MacroElement:
    """Return a shallow copy to add to a new map, with a parent and a children list of its own."""
    twin = copy.copy(element)
    twin._children = element._children.copy()
    return twin


def _layer_element(frame: gpd.GeoDataFrame, spec: LayerSpec, lang: str) -> MacroElement:
    """Build the map element of a stored layer: clusters, compact points, or features with tooltips."""
    styles, positions = _layer_styles(spec)
    if spec.is_point_layer and len(frame) > CLUSTER_THRESHOLD:
        return _clustered_points(frame, spec)
    if spec.is_point_layer and len(frame) > COMPACT_THRESHOLD:
        return point_layer(frame.geometry, colours=[s["color"] for s in styles],
                           colour_index=_palette_index(frame, spec, positions), radius=spec.style.radius,
                           class_name=f"tk-layer tk-layer-{spec.name}")
    # big layers carry fewer tooltip fields, so the page stays small
    limit = 5 if len(frame) <= 1000 else 2
    columns = [c for c in spec.column_names if c != "id" and c in frame.columns][:limit]
    fields = [(spec.column(c).label(lang), _display_text(frame[c], spec, c, lang)) for c in columns]
    return feature_layer(frame.geometry, styles=styles, style_index=_palette_index(frame, spec, positions),
                         fields=fields, tooltip_fields=len(fields))


def _clustered_points(frame: gpd.GeoDataFrame, spec: LayerSpec) -> FastMarkerCluster:
    """Draw a large point layer as clusters: coordinates only, markers made in the browser."""
    web = to_web_crs(frame[[frame.geometry.name]])
    coords = np.round(shapely.get_coordinates(web.geometry.to_numpy())[:, ::-1], WEB_DECIMALS)
    callback = (
        "function (row) { return L.circleMarker(new L.LatLng(row[0], row[1]), "
        f"{{radius: {spec.style.radius}, color: '{spec.style.color}', weight: 1, fillOpacity: 0.8, "
        f"className: 'tk-layer tk-layer-{spec.name}'}}); }}"
    )
    return FastMarkerCluster(coords.tolist(), callback=callback)


def _add_cells(fmap: folium.Map, cells: gpd.GeoDataFrame, lang: str) -> None:
    shown = cells[cells["incidents"].notna() & (cells["incidents"] > 0)]
    if shown.empty:
        return
    classes = classify(shown["incidents"].astype(float).to_numpy())
    styles = [{"color": "#7f2704", "weight": 0.5, "fillColor": colour, "fillOpacity": 0.65,
               "className": "tk-layer tk-layer-incident-cells"} for colour in classes.colours]
    group = folium.FeatureGroup(name=t("incidents_per_cell", lang), show=True)
    feature_layer(shown.geometry, styles=styles, style_index=classes.index,
                  fields=[(t("unit", lang), shown["unit_id"].astype(str).to_numpy()),
                          (t("count", lang), [format_number(v, lang) for v in shown["incidents"]])],
                  tooltip_fields=2).add_to(group)
    group.add_to(fmap)
    entries = [(colour, range_label(low, high, lang, 0))
               for colour, (low, high) in zip(classes.colours, classes.bounds, strict=True)]
    legend(t("incidents_per_cell", lang), entries, note=t("legend_quantiles", lang)).add_to(group)


def layer_legend(lang: str = "sv") -> list[dict]:
    """Return one legend entry per layer: name, colour, actions, sensitivity.

    Parameters
    ----------
    lang : {"sv", "en"}, default "sv"
        The language.

    Returns
    -------
    list of dict
        Keys ``layer``, ``label``, ``color``, ``actions``, ``sensitivity``.
    """
    return [
        {
            "layer": spec.name,
            "label": spec.label(lang),
            "color": spec.style.color,
            "actions": ", ".join(map(str, spec.actions)),
            "sensitivity": t(spec.sensitivity, lang),
        }
        for spec in all_specs().values()
    ]


def unit_center(frame: gpd.GeoDataFrame, unit_id: str) -> tuple[float, float] | None:
    """Return ``(lat, lon)`` of a unit's representative point, for zooming the map to it.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A lägesbild (any projected CRS).
    unit_id : str
        The unit.

    Returns
    -------
    tuple of float or None
        Latitude and longitude, or None if the unit is not in the frame.
    """
    match = frame[frame["unit_id"] == unit_id]
    if match.empty:
        return None
    point = to_web_crs(gpd.GeoDataFrame(geometry=match.geometry.representative_point(),
                                        crs=frame.crs)).geometry.iloc[0]
    return round(point.y, WEB_DECIMALS), round(point.x, WEB_DECIMALS)


def unit_table(frame: gpd.GeoDataFrame, lang: str = "sv", *, limit: int | None = None) -> pd.DataFrame:
    """Return the lägesbild as a display table, highest composite index first.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A lägesbild.
    lang : {"sv", "en"}, default "sv"
        Language of headings and classes.
    limit : int, optional
        Keep only the first ``limit`` rows.

    Returns
    -------
    pandas.DataFrame
        Columns unit, name, incidents, change, change %, hot spot class,
        composite index and drivers, with translated headings; ``unit_id``
        kept as the index.
    """
    columns = [c for c in ("name", "incidents", "change_abs", "change_pct", "gi_class",
                           "composite_index", "drivers") if c in frame.columns]
    if "name" in columns and frame["name"].equals(frame["unit_id"]):
        columns.remove("name")  # grid cells have no name of their own
    table = pd.DataFrame(frame[["unit_id", *columns]]).sort_values(
        ["composite_index", "unit_id"], ascending=[False, True], kind="stable")
    if limit is not None:
        table = table.head(limit)
    if "gi_class" in table:
        table["gi_class"] = [t(f"gi_{c}", lang) for c in table["gi_class"].astype(str)]
    table = table.set_index("unit_id")
    table.index.name = t("unit", lang)
    return table.rename(columns={c: column_label(c, lang) for c in columns})
