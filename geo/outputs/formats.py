"""File formats by extension: one table, not a chain of ifs."""

from __future__ import annotations

from pathlib import Path

from geo.errors import TrygghetskartanError

#: Output formats: extension → (name, GDAL driver or None for our own writer).
EXPORT_FORMATS: dict[str, tuple[str, str | None]] = {
    ".gpkg": ("GeoPackage", "GPKG"),
    ".geojson": ("GeoJSON", "GeoJSON"),
    ".json": ("GeoJSON", "GeoJSON"),
    ".csv": ("CSV", None),
    ".xlsx": ("Excel", None),
}


def export_format(path: str | Path) -> str:
    """Return the format name for an output path, from its extension.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write.

    Returns
    -------
    str
        ``"GeoPackage"``, ``"GeoJSON"``, ``"CSV"`` or ``"Excel"``.

    Raises
    ------
    TrygghetskartanError
        If the extension is not supported; the message lists those that are.

    Examples
    --------
    >>> export_format("lager.GPKG")
    'GeoPackage'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        allowed = ", ".join(EXPORT_FORMATS)
        msg = f"cannot write {Path(path).name!r}: unknown extension {suffix!r}; use one of {allowed}"
        raise TrygghetskartanError(msg)
    return EXPORT_FORMATS[suffix][0]
