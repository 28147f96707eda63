"""Exports as bytes for download buttons, through the same writers and privacy gate."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd

from geo.outputs.export import export_layer
from geo.outputs.formats import EXPORT_FORMATS
from geo.outputs.lagesbild_files import write_lagesbild
from geo.store.base import Store

#: Format name → file extension, for the download choices.
DOWNLOAD_FORMATS: dict[str, str] = {
    "GeoPackage": ".gpkg",
    "GeoJSON": ".geojson",
    "CSV": ".csv",
    "Excel": ".xlsx",
}
MIME_TYPES: dict[str, str] = {
    ".gpkg": "application/geopackage+sqlite3",
    ".geojson": "application/geo+json",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _suffix(fmt: str) -> str:
    if fmt not in DOWNLOAD_FORMATS:
        msg = f"format={fmt!r} is not offered; allowed: {', '.join(DOWNLOAD_FORMATS)}"
        raise ValueError(msg)
    suffix = DOWNLOAD_FORMATS[fmt]
    if suffix not in EXPORT_FORMATS:  # pragma: no cover - the two tables are kept together
        raise ValueError(suffix)
    return suffix


def lagesbild_bytes(frame: gpd.GeoDataFrame, fmt: str, *, crs: str, lang: str = "sv") -> bytes:
    """Return a lägesbild file's bytes.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A lägesbild computed for the downloading audience.
    fmt : {"GeoPackage", "GeoJSON", "CSV", "Excel"}
        File format.
    crs : str
        ``EPSG:3006``, ``EPSG:3011`` or ``EPSG:4326``.
    lang : {"sv", "en"}, default "sv"
        Language of the documentation sheets.

    Returns
    -------
    bytes
        The file.
    """
    suffix = _suffix(fmt)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_lagesbild(frame, Path(tmp) / f"lagesbild{suffix}", crs=crs, lang=lang)
        return path.read_bytes()


def layer_bytes(store: Store, layer: str, fmt: str, *, crs: str, audience: str) -> tuple[bytes, int, int]:
    """Return a layer export's bytes, through the privacy gate.

    Parameters
    ----------
    store : Store
        The store.
    layer : str
        Layer name.
    fmt : {"GeoPackage", "GeoJSON", "CSV", "Excel"}
        File format.
    crs : str
        Output CRS.
    audience : {"public", "staff", "protected"}
        Who downloads it.

    Returns
    -------
    data : bytes
        The file.
    written : int
        Features in it.
    withheld : int
        Protected features left out.

    Raises
    ------
    PrivacyError
        If the audience may not have the layer.
    """
    suffix = _suffix(fmt)
    with tempfile.TemporaryDirectory() as tmp:
        path, written, withheld = export_layer(
            store, layer, Path(tmp) / f"{layer}{suffix}", crs=crs, audience=audience
        )
        return path.read_bytes(), written, withheld
