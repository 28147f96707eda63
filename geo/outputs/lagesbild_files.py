"""Write a lägesbild (or a snapshot comparison) to GPKG, GeoJSON, CSV or XLSX.

XLSX gets three more sheets beside the table: the indicators with their
unit and action, the provenance of every source layer, and the parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.i18n import t
from geo.outputs.export import write_frame
from geo.outputs.formats import export_format


def write_lagesbild(frame: gpd.GeoDataFrame, out: str | Path, *, crs: str | None = None,
                    lang: str = "sv") -> Path:
    """Write a lägesbild with its documentation.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        From :func:`geo.privacy.compute_lagesbild` (``attrs`` are used).
    out : str or pathlib.Path
        ``.gpkg``, ``.geojson``, ``.csv`` or ``.xlsx``.
    crs : str, optional
        Output CRS (default EPSG:3006).
    lang : {"sv", "en"}, default "sv"
        Language of the documentation sheets.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    out = Path(out)
    if export_format(out) != "Excel":
        return write_frame(frame, out, crs=crs, layer="lagesbild")
    path = write_frame(frame, out, crs=crs, layer="lagesbild")
    _append_sheets(path, frame, lang)
    return path


def _append_sheets(path: Path, frame: gpd.GeoDataFrame, lang: str) -> None:
    from geo.analysis.lagesbild import INDICATORS, indicator_label

    docs = pd.DataFrame(
        [
            {
                t("lagesbild_file.col_column", lang): i.column,
                t("lagesbild_file.col_indicator", lang): indicator_label(i.column, lang),
                t("lagesbild_file.col_unit", lang): i.unit,
                t("lagesbild_file.col_action", lang): ", ".join(map(str, i.actions)),
                t("lagesbild_file.col_source", lang): i.source,
            }
            for i in INDICATORS
        ]
    )
    prov = pd.DataFrame.from_dict(frame.attrs.get("provenance", {}), orient="index")
    prov.index.name = t("lagesbild_file.col_layer", lang)
    params = {**frame.attrs.get("params", {}),
              "concentration": frame.attrs.get("concentration"),
              "kommun_level_incidents": frame.attrs.get("kommun_level_incidents"),
              "suppressed": frame.attrs.get("suppressed")}
    param_table = pd.DataFrame(
        [(k, json.dumps(v, ensure_ascii=False, default=str) if not isinstance(v, str) else v)
         for k, v in params.items()],
        columns=[t("lagesbild_file.col_parameter", lang), t("lagesbild_file.col_value", lang)],
    )
    with pd.ExcelWriter(path, engine="openpyxl", mode="a") as writer:
        docs.to_excel(writer, sheet_name=t("lagesbild_file.sheet_indicators", lang), index=False)
        prov.to_excel(writer, sheet_name=t("lagesbild_file.sheet_provenance", lang))
        param_table.to_excel(writer, sheet_name=t("lagesbild_file.sheet_parameters", lang), index=False)
