"""Folium maps of the layers: the only place that converts to EPSG:4326.

Every feature path carries the CSS class ``tk-layer-<name>`` so a browser
test can find the map's own layers without any basemap tiles. Text values
are HTML-escaped before they reach a tooltip or popup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import to_web_crs
from geo.grid import count_points_in_cells, make_grid
from geo.i18n import format_date, t
from geo.privacy import gate_features, may_see_layer, suppress_small_counts
from geo.store.base import Store
from layers import all_specs, get_spec
from layers.spec import LayerSpec

#: Decimal places kept in web-map coordinates (1e-5 degrees is about 1 m).
WEB_DECIMALS = 5
#: Above this many points a layer is drawn as clusters, not single markers.
CLUSTER_THRESHOLD = 20_000
JARFALLA_CENTER = (59.425, 17.83)


@dataclass
class MapData:
    """What one audience may see on the map.

    Attributes
    ----------
    layers : dict of str to geopandas.GeoDataFrame
        Features per layer (EPSG:3006), already through the privacy gate.
    cells : geopandas.GeoDataFrame or None
        Incident counts per grid cell (``unit_id``, ``incidents``), small
        counts suppressed for the public.
    kommun_level : int
        Incidents located only to the kommun (not counted in cells).
    hidden_layers : list of str
        Stored layers the audience may not see as features.
    """

    layers: dict[str, gpd.GeoDataFrame]
    cells: gpd.GeoDataFrame | None = None
    kommun_level: int = 0
    hidden_layers: list[str] = field(default_factory=list)


def collect_map_data(store: Store, audience: str, *, cell_size: int | None = None) -> MapData:
    """Read every stored layer the audience may see, and incidents per cell.

    Parameters
    ----------
    store : Store
        The store.
    audience : {"public", "staff", "protected"}
        Who looks at the map.
    cell_size : int, optional
        Grid cell size for incident counts; defaults to ``settings.cell_size``.

    Returns
    -------
    MapData
        The gated layers and the aggregated incidents.
    """
    data = MapData(layers={})
    stored = store.list_layers()
    for name in stored:
        spec = get_spec(name)
        if may_see_layer(spec, audience) and spec.sensitivity != "protected":
            data.layers[name] = gate_features(store.read(name), spec, audience).frame
        else:
            data.hidden_layers.append(name)
    if "incidents" in stored and "areas" in stored:
        incidents = store.read("incidents")
        located = incidents["location_precision"].isin(["exact", "street"]).to_numpy()
        data.kommun_level = int((~located).sum())
        data.cells = incident_cells(incidents.loc[located], store.read("areas"), audience,
                                    cell_size=cell_size)
    return data


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


def build_map(data: MapData, *, lang: str = "sv", tiles: bool = True) -> folium.Map:
    """Draw the layers and the incident grid on a folium map.

    Parameters
    ----------
    data : MapData
        From :func:`collect_map_data`.
    lang : {"sv", "en"}, default "sv"
        Language of layer names, legends and tooltips.
    tiles : bool, default True
        Add an OpenStreetMap basemap. The map's own layers do not depend on
        it, so the map stays usable offline.

    Returns
    -------
    folium.Map
        With one toggleable layer per data layer and a layer control.
    """
    fmap = folium.Map(location=JARFALLA_CENTER, zoom_start=12, tiles=None, control_scale=True,
                      prefer_canvas=False)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=True).add_to(fmap)
    if data.cells is not None:
        _add_cells(fmap, data.cells, lang)
    for name, frame in data.layers.items():
        if len(frame):
            _add_layer(fmap, frame, get_spec(name), lang)
    bounds = _bounds_of(data)
    if bounds is not None:
        fmap.fit_bounds(bounds)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def _bounds_of(data: MapData) -> list[list[float]] | None:
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
            labels = {c.code: (c.en if lang == "en" else c.sv) for c in spec.column(name).choices}
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


def _feature_style(spec: LayerSpec):
    style = spec.style
    palette = dict(style.palette)

    def style_function(feature: dict) -> dict:
        colour = style.color
        if style.color_by:
            colour = palette.get(feature["properties"].get(f"_{style.color_by}"), style.color)
        return {
            "color": colour,
            "fillColor": style.fill_color or colour,
            "fillOpacity": style.fill_opacity if not spec.is_point_layer else 0.8,
            "weight": style.weight,
            "radius": style.radius,
            "className": f"tk-layer tk-layer-{spec.name}",
        }

    return style_function


def _add_layer(fmap: folium.Map, frame: gpd.GeoDataFrame, spec: LayerSpec, lang: str) -> None:
    web = web_frame(frame, spec, lang)
    if spec.style.color_by:
        web[f"_{spec.style.color_by}"] = frame[spec.style.color_by].astype(str).to_numpy()
    fields = [c for c in spec.column_names if c != "id" and c in web.columns][:5]
    aliases = [spec.column(c).label(lang) for c in fields]
    tooltip = folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=False) if fields else None
    group = folium.FeatureGroup(name=f"{spec.label(lang)} ({len(frame)})", show=True)
    marker = folium.CircleMarker(radius=spec.style.radius) if spec.is_point_layer else None
    folium.GeoJson(
        web,
        name=spec.label(lang),
        style_function=_feature_style(spec),
        tooltip=tooltip,
        marker=marker,
        embed=True,
        zoom_on_click=False,
    ).add_to(group)
    group.add_to(fmap)


def _add_cells(fmap: folium.Map, cells: gpd.GeoDataFrame, lang: str) -> None:
    shown = cells[cells["incidents"].notna() & (cells["incidents"] > 0)]
    if shown.empty:
        return
    values = shown["incidents"].astype(float)
    colormap = cm.LinearColormap(
        ["#fff5eb", "#fd8d3c", "#a63603"], vmin=float(values.min()), vmax=float(values.max()),
        caption=t("incidents_per_cell", lang),
    )
    web = web_frame(shown[["unit_id", "incidents", shown.geometry.name]], None, lang)
    group = folium.FeatureGroup(name=t("incidents_per_cell", lang), show=True)

    def style_function(feature: dict) -> dict:
        return {
            "color": "#7f2704",
            "weight": 0.5,
            "fillColor": colormap(feature["properties"]["incidents"]),
            "fillOpacity": 0.6,
            "className": "tk-layer tk-layer-incident-cells",
        }

    folium.GeoJson(
        web,
        style_function=style_function,
        tooltip=folium.GeoJsonTooltip(
            fields=["unit_id", "incidents"], aliases=["Ruta" if lang == "sv" else "Cell",
                                                      t("count", lang)]),
        zoom_on_click=False,
    ).add_to(group)
    group.add_to(fmap)
    colormap.add_to(fmap)


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
