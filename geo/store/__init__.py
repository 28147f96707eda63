"""The store: where layers, the import log and snapshots are kept.

:func:`open_store` picks the backend from the location: a ``postgresql://``
URL is PostGIS, anything else a GeoPackage path. With no location it reads
``settings.store_path``.
"""

from __future__ import annotations

from pathlib import Path

from geo import settings
from geo.errors import DataStoreError
from geo.store.base import LayerInfo, Store
from geo.store.gpkg import GeoPackageStore

POSTGIS_SCHEMES: tuple[str, ...] = ("postgresql://", "postgres://")


def open_store(location: str | Path | None = None, *, must_exist: bool = False) -> Store:
    """Open the store at ``location``.

    Parameters
    ----------
    location : str or pathlib.Path, optional
        A ``.gpkg`` path or a ``postgresql://`` URL. Defaults to
        ``settings.store_path``.
    must_exist : bool, default False
        Refuse a GeoPackage path that does not exist yet (for commands that
        only read).

    Returns
    -------
    Store
        The backend for the location.

    Raises
    ------
    DataStoreError
        If the location cannot be opened, does not exist while
        ``must_exist``, or names a backend that is not available.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg").list_layers()
    []
    """
    target = settings.store_path if location is None else location
    text = str(target)
    if text.startswith(POSTGIS_SCHEMES):
        from geo.store.postgis import PostGISStore  # lazy: psycopg only when PostGIS is used

        return PostGISStore(text)
    path = Path(text)
    if must_exist and not path.exists():
        msg = (
            f"no store at {text}; create one with 'trygghetskartan demo --store {text}' "
            "or import data into it"
        )
        raise DataStoreError(msg)
    return GeoPackageStore(path)


__all__ = ["GeoPackageStore", "LayerInfo", "Store", "open_store"]
