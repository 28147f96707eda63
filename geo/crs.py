"""CRS discipline: every frame carries its CRS; analysis runs in EPSG:3006.

The functions here are the only place that reprojects. Distances, buffers,
grids and hot-spot statistics call :func:`require_projected` before they
measure anything, and only the map layer calls :func:`to_web_crs`.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from geo import settings
from geo.errors import CRSError


def parse_crs(value: str | int | CRS, *, argument: str = "crs") -> CRS:
    """Turn user input such as ``"EPSG:3011"``, ``"3011"`` or ``3011`` into a CRS.

    Parameters
    ----------
    value : str, int or pyproj.CRS
        The CRS as the user wrote it.
    argument : str, default "crs"
        Name of the argument, used in the error message.

    Returns
    -------
    pyproj.CRS
        The parsed CRS.

    Raises
    ------
    CRSError
        If ``value`` is not a CRS pyproj knows.

    Examples
    --------
    >>> parse_crs("3011").to_epsg()
    3011
    """
    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except PyprojCRSError as exc:
        msg = (
            f"{argument}={value!r} is not a known CRS; "
            f"use an EPSG code such as {', '.join(settings.export_crs_choices)}"
        )
        raise CRSError(msg) from exc


def require_crs(frame: gpd.GeoDataFrame, *, name: str = "the data") -> CRS:
    """Return the frame's CRS, or raise if it has none.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The frame to check.
    name : str, default "the data"
        What the frame is (a layer or file name), for the message.

    Returns
    -------
    pyproj.CRS
        The frame's CRS.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    """
    if frame.crs is None:
        msg = (
            f"{name} has no CRS; set it with .set_crs(...) or give --crs "
            f"(for Swedish data usually {settings.analysis_crs} or EPSG:3011)"
        )
        raise CRSError(msg)
    return frame.crs


def require_projected(frame: gpd.GeoDataFrame, *, name: str = "the data") -> None:
    """Refuse a geographic CRS before distances or areas are measured.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The frame about to be measured.
    name : str, default "the data"
        What the frame is, for the message.

    Raises
    ------
    CRSError
        If the frame has no CRS, or a geographic one (degrees, not metres).
    """
    crs = require_crs(frame, name=name)
    if crs.is_geographic:
        msg = (
            f"{name} is in a geographic CRS ({crs.to_string()}); distances in degrees "
            f"are meaningless. Reproject first with .to_crs({settings.analysis_crs!r})"
        )
        raise CRSError(msg)


def to_analysis_crs(frame: gpd.GeoDataFrame, *, name: str = "the data") -> gpd.GeoDataFrame:
    """Return the frame in the analysis CRS (EPSG:3006 by default).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A frame with a CRS.
    name : str, default "the data"
        What the frame is, for the message.

    Returns
    -------
    geopandas.GeoDataFrame
        The same frame if already in the analysis CRS, else a reprojected copy.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    """
    crs = require_crs(frame, name=name)
    target = CRS.from_user_input(settings.analysis_crs)
    if crs.equals(target):
        return frame
    return frame.to_crs(target)


def to_web_crs(frame: gpd.GeoDataFrame, *, name: str = "the data") -> gpd.GeoDataFrame:
    """Return the frame in WGS 84 for a web map; only the map layer calls this.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        A frame with a CRS.
    name : str, default "the data"
        What the frame is, for the message.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326.

    Raises
    ------
    CRSError
        If the frame has no CRS.
    """
    require_crs(frame, name=name)
    return frame.to_crs(settings.web_crs)


def check_same_crs(
    left: gpd.GeoDataFrame,
    right: gpd.GeoDataFrame,
    *,
    left_name: str = "left",
    right_name: str = "right",
    strict: bool = True,
) -> None:
    """Check that two frames share a CRS before they are joined.

    Parameters
    ----------
    left, right : geopandas.GeoDataFrame
        The frames to compare.
    left_name, right_name : str
        Their names, for the message.
    strict : bool, default True
        Raise on a mismatch (the app pipeline); with ``False`` warn instead
        (notebooks).

    Raises
    ------
    CRSError
        If either frame has no CRS, or (``strict``) if the CRSs differ.
    """
    a = require_crs(left, name=left_name)
    b = require_crs(right, name=right_name)
    if a.equals(b):
        return
    msg = (
        f"CRS mismatch: {left_name} is {a.to_string()} and {right_name} is "
        f"{b.to_string()}; use .to_crs({settings.analysis_crs!r}) on both"
    )
    if strict:
        raise CRSError(msg)
    warnings.warn(msg, UserWarning, stacklevel=2)
