"""The lägesbild on the web map: choropleth, hot spot outlines, heat map, each a layer group.

:func:`lagesbild_layers` returns ``folium.FeatureGroup`` objects so the
page can hand them to ``st_folium`` as dynamic feature groups: a filter
change then replaces these groups in the drawn map instead of reloading
the map with every static layer. The choropleth uses quantile classes
(:mod:`geo.outputs.maps.classify`) and draws in a pane below the point layers; its
legend comes and goes with it. Only this module and :mod:`geo.outputs.maps.base`
convert to EPSG:4326 (through :mod:`geo.outputs.maps.elements`).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import HeatMap

from geo.analysis.lagesbild import INDICATORS
from geo.analysis.lagesbild import indicator_label as indicator_label  # re-exported
from geo.crs import to_web_crs
from geo.i18n import format_number, t
from geo.outputs.maps.classify import MISSING, classify
from geo.outputs.maps.elements import WEB_DECIMALS, feature_layer, legend

#: Map panes (created by :func:`geo.outputs.maps.base.base_map`): the choropleth below the point layers
#: (Leaflet's overlay pane is at 400), the hot spot outlines above the choropleth.
CHOROPLETH_PANE = "tk-lagesbild"
HOTSPOT_PANE = "tk-hotspots"
PANES: tuple[tuple[str, int], ...] = ((CHOROPLETH_PANE, 350), (HOTSPOT_PANE, 390))


def lagesbild_layers(frame: gpd.GeoDataFrame, indicator: str, lang: str, *,
                     heatmap: bool = False) -> list[folium.FeatureGroup]:
    """Return the lägesbild's layer groups: choropleth (with legend), hot spots, heat map.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The lägesbild (already computed for the audience), in EPSG:3006.
    indicator : str
        The numeric column to colour by.
    lang : {"sv", "en"}
        The language.
    heatmap : bool, default False
        Add a heat map of incident counts per unit (from unit centres and
        counts, never from incident points), labelled as not tested.

    Returns
    -------
    list of folium.FeatureGroup
        Add them to a :func:`geo.outputs.maps.base.base_map`, or pass them to
        ``st_folium(..., feature_group_to_add=...)``.

    Raises
    ------
    ValueError
        If ``indicator`` is not a numeric column of the lägesbild.
    """
    if indicator not in frame.columns or not pd.api.types.is_numeric_dtype(frame[indicator].dtype):
        msg = f"indicator={indicator!r} is not a numeric lägesbild column"
        raise ValueError(msg)
    values = pd.to_numeric(frame[indicator], errors="coerce").astype(float).to_numpy()
    classes = classify(values)
    outline = {"color": "#737373", "opacity": 0.5, "weight": 0.3, "className": "tk-layer tk-layer-lagesbild"}
    styles = [{**outline, "fillColor": colour, "fillOpacity": 0.7} for colour in classes.colours]
    styles.append({**outline, "fillColor": MISSING, "fillOpacity": 0.3})
    style_index = np.where(classes.index >= 0, classes.index, len(classes.colours))
    fields = [(column_label(c, lang), _popup_text(frame[c], c, lang)) for c in _popup_columns(frame)]
    choropleth = folium.FeatureGroup(name=f"{t('lagesbild', lang)}: {indicator_label(indicator, lang)}")
    feature_layer(frame.geometry, styles=styles, style_index=style_index, fields=fields,
                  tooltip_fields=2, popup=True, pane=CHOROPLETH_PANE).add_to(choropleth)
    decimals = _indicator_decimals(indicator)
    entries = [(colour, range_label(low, high, lang, decimals))
               for colour, (low, high) in zip(classes.colours, classes.bounds, strict=True)]
    if (classes.index < 0).any():
        entries.append((MISSING, t("no_value", lang)))
    groups = [choropleth]
    outlines = []
    codes = frame["gi_class"].astype(str).to_numpy() if "gi_class" in frame.columns else np.array([], str)
    hot = np.char.startswith(codes.astype(str), "hot_") | np.char.startswith(codes.astype(str), "cold_")
    if hot.any():
        style_index = np.array([HOTSPOT_CLASSES.index(c) for c in codes[hot]])
        spots = folium.FeatureGroup(name=t("hotspots_layer", lang))
        feature_layer(
            frame.geometry[hot], styles=[_hotspot_style(c) for c in HOTSPOT_CLASSES], style_index=style_index,
            fields=[(t("unit", lang), frame["unit_id"].astype(str).to_numpy()[hot]),
                    (t("hotspot_class", lang), [t(f"gi_{c}", lang) for c in codes[hot]])],
            tooltip_fields=2, pane=HOTSPOT_PANE,
        ).add_to(spots)
        groups.append(spots)
        present = set(codes[hot])
        outlines = [(_hotspot_style(c), t(f"gi_{c}", lang)) for c in HOTSPOT_CLASSES if c in present]
    legend(indicator_label(indicator, lang), entries, outlines=outlines,
           note=t("legend_quantiles", lang)).add_to(choropleth)
    if heatmap:
        heat = _heatmap(frame, lang)
        if heat is not None:
            groups.append(heat)
    return groups


def _heatmap(frame: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup | None:
    counts = pd.to_numeric(frame["incidents"], errors="coerce").fillna(0).to_numpy(float)
    keep = counts > 0
    if not keep.any():
        return None
    centres = to_web_crs(gpd.GeoDataFrame(geometry=frame.geometry.centroid[keep], crs=frame.crs))
    points = [[round(p.y, WEB_DECIMALS), round(p.x, WEB_DECIMALS), float(w)]
              for p, w in zip(centres.geometry, counts[keep], strict=True)]
    group = folium.FeatureGroup(name=t("heatmap_layer", lang), show=True)
    HeatMap(points, radius=25, blur=20, max_zoom=15).add_to(group)
    return group


#: Hot and cold spot classes, in legend order.
HOTSPOT_CLASSES: tuple[str, ...] = ("hot_99", "hot_95", "hot_90", "cold_90", "cold_95", "cold_99")


def _hotspot_style(code: str) -> dict:
    return {
        "color": "#b2182b" if code.startswith("hot") else "#2166ac",
        "weight": 3 if code.endswith("99") else 2,
        "dashArray": "5 4" if code.endswith("90") else None,
        "fill": False,
        "className": "tk-layer tk-layer-hotspots",
    }


def _indicator_decimals(indicator: str) -> int:
    unit = next((i.unit for i in INDICATORS if i.column == indicator), "")
    return 0 if unit in ("antal", "m") else 2 if unit in ("andel", "p", "z") else 1


def range_label(low: float, high: float, lang: str, decimals: int) -> str:
    """Return a legend label for a class: ``"4 – 9"``, or ``"0"`` when both ends are equal.

    Parameters
    ----------
    low, high : float
        The class's smallest and largest value.
    lang : {"sv", "en"}
        The language (number format).
    decimals : int
        Decimals to show.

    Returns
    -------
    str
        The label.
    """
    if low == high:
        return format_number(low, lang, decimals=decimals)
    return f"{format_number(low, lang, decimals=decimals)} – {format_number(high, lang, decimals=decimals)}"


_POPUP_FIELDS: tuple[str, ...] = ("name", "incidents", "change_abs", "change_pct", "gi_class",
                                  "composite_index", "drivers")


def _popup_columns(frame: gpd.GeoDataFrame) -> list[str]:
    return [c for c in ("unit_id", *_POPUP_FIELDS) if c in frame.columns]


def column_label(column: str, lang: str) -> str:
    """Return the heading of a lägesbild column in a popup or table.

    Parameters
    ----------
    column : str
        A lägesbild column.
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    str
        The label.
    """
    if column == "unit_id":
        return t("unit", lang)
    if column == "name":
        return t("name", lang)
    if column == "drivers":
        return t("drivers", lang)
    return indicator_label(column, lang)


def _popup_text(values: pd.Series, column: str, lang: str) -> list[str]:
    """Display text (not yet escaped: the map element escapes it) of a lägesbild column."""
    if column == "gi_class":
        return [t(f"gi_{v}", lang) if isinstance(v, str) else "–" for v in values]
    if pd.api.types.is_numeric_dtype(values.dtype):
        decimals = 1 if column in ("change_pct", "composite_index", "incidents_rate") else 0
        suppressed = t("suppressed", lang)
        return [suppressed if pd.isna(v) and column in ("incidents", "change_abs") else
                format_number(v, lang, decimals=decimals) for v in values]
    return [str(v) if isinstance(v, str) else "" for v in values]
