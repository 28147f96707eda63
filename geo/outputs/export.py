"""Write frames to GeoPackage, GeoJSON, CSV or XLSX in a chosen CRS.

Every write goes to a temporary file beside the target and is moved into
place when complete, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import settings
from geo.audiences import DEFAULT_AUDIENCE, check_audience
from geo.crs import parse_crs, require_crs
from geo.errors import CRSError
from geo.outputs.formats import EXPORT_FORMATS, export_format
from geo.privacy import gate_features
from geo.store.base import Store
from geo.timeutil import times_to_utc
from layers import get_spec


def check_export_crs(crs: str) -> str:
    """Return ``crs`` as ``"EPSG:NNNN"`` if it is one of the export CRSs.

    Parameters
    ----------
    crs : str
        E.g. ``"EPSG:3011"`` or ``"3011"``.

    Returns
    -------
    str
        The normalised code.

    Raises
    ------
    CRSError
        If the CRS is not offered for exports.
    """
    epsg = parse_crs(crs, argument="crs").to_epsg()
    code = f"EPSG:{epsg}"
    if code not in settings.export_crs_choices:
        msg = f"crs={crs!r} is not offered for exports; allowed: {', '.join(settings.export_crs_choices)}"
        raise CRSError(msg)
    return code


def write_frame(
    frame: gpd.GeoDataFrame, out: str | Path, *, crs: str | None = None, layer: str = "data"
) -> Path:
    """Write a frame to a file whose format follows from its extension.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Data with a CRS.
    out : str or pathlib.Path
        Target file (``.gpkg``, ``.geojson``, ``.csv``, ``.xlsx``).
    crs : str, optional
        Output CRS, one of ``settings.export_crs_choices``; defaults to the
        analysis CRS.
    layer : str, default "data"
        Layer name inside a GeoPackage.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    CRSError
        If the frame has no CRS or ``crs`` is not offered.
    TrygghetskartanError
        If the extension is unknown.
    """
    out = Path(out)
    fmt = export_format(out)
    target = check_export_crs(crs or settings.analysis_crs)
    require_crs(frame, name=layer)
    data = frame.to_crs(target)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.part{out.suffix}")
    try:
        if fmt in ("CSV", "Excel"):
            table = _tabular(data)
            if fmt == "CSV":
                table.to_csv(tmp, index=False, encoding="utf-8")
            else:
                _write_xlsx(table, tmp, sheet=layer)
        else:
            driver = EXPORT_FORMATS[out.suffix.lower()][1]
            if driver == "GPKG":
                data = times_to_utc(data)
            pyogrio.write_dataframe(data, tmp, layer=layer, driver=driver)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def export_layer(
    store: Store,
    layer: str,
    out: str | Path,
    *,
    crs: str | None = None,
    audience: str = DEFAULT_AUDIENCE,
) -> tuple[Path, int, int]:
    """Export one stored layer through the privacy gate.

    Parameters
    ----------
    store : Store
        Where the layer is kept.
    layer : str
        Layer name.
    out : str or pathlib.Path
        Target file; the format follows from the extension.
    crs : str, optional
        ``EPSG:3006`` (default), ``EPSG:3011`` or ``EPSG:4326``.
    audience : {"public", "staff", "protected"}, default "public"
        Who the file is for.

    Returns
    -------
    path : pathlib.Path
        The written file.
    written : int
        Features written.
    withheld : int
        Protected features left out.

    Raises
    ------
    PrivacyError
        If the audience may not have the layer.
    """
    spec = get_spec(layer)
    check_audience(audience)
    export_format(out)
    code = check_export_crs(crs or settings.analysis_crs)
    gated = gate_features(store.read(layer), spec, audience)
    path = write_frame(gated.frame, out, crs=code, layer=layer)
    return path, len(gated.frame), gated.withheld


def _tabular(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Points as coordinate columns, other geometries as WKT; times as ISO text."""
    geoms = frame.geometry.to_numpy()
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    geographic = frame.crs is not None and frame.crs.is_geographic
    xname, yname = ("lon", "lat") if geographic else ("x", "y")
    points = shapely.get_type_id(geoms) == shapely.GeometryType.POINT.value
    if points.all():
        digits = 7 if geographic else 2
        table[xname] = shapely.get_x(geoms).round(digits)
        table[yname] = shapely.get_y(geoms).round(digits)
    else:
        table["wkt"] = shapely.to_wkt(geoms, rounding_precision=7 if geographic else 2)
    for name, dtype in table.dtypes.items():
        if isinstance(dtype, pd.DatetimeTZDtype):
            table[name] = table[name].map(lambda t: t.isoformat() if pd.notna(t) else "")
    return table


def _write_xlsx(table: pd.DataFrame, path: Path, *, sheet: str) -> None:
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
        sheet_obj = writer.sheets[sheet[:31]]
        sheet_obj.freeze_panes(1, 0)
        for i, name in enumerate(table.columns):
            sheet_obj.set_column(i, i, max(10, min(50, len(str(name)) + 2)))


