"""The rows a reader hands the import pipeline, with what it learned about them."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from pyproj import CRS

from geo.io.import_report import Note
from layers.validate import Problem


@dataclass
class Source:
    """What a reader hands the import pipeline: the rows and what it learned about them.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The rows in file order, columns as in the file.
    rows : numpy.ndarray
        Each row's number as the user sees it in the file (1-based).
    convention : str
        One of :data:`geo.io.import_report.ROW_CONVENTIONS`.
    problems, notes : list
        What the reader found wrong, and what it detected or fixed.
    declared_crs, implied_crs : pyproj.CRS, optional
        The CRS the file declares, or the one its columns imply (lat/lon).
    crs_hint : str
        Why the file may lack a CRS, for the message.
    explicit_axes : bool
        Whether the columns say which axis is which (E/N, lat/lon).
    axis_names : tuple of str
        The coordinate columns' names, for messages.
    decimal_comma : bool
        Whether numbers use a decimal comma.
    defaults : dict
        Column values the reader sets where the file has none.
    coordinate_columns : tuple of str
        The file's columns that held the coordinates.
    total : int, optional
        Records in the file before the reader skipped some (Open311).
    xy : tuple of numpy.ndarray, optional
        Point coordinates in the file's CRS when the reader kept points as
        coordinates; the frame's geometries are then missing.
    file_columns : tuple of str
        The file's column names.
    """

    frame: gpd.GeoDataFrame
    rows: np.ndarray
    convention: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    declared_crs: CRS | None = None
    implied_crs: CRS | None = None
    crs_hint: str = ""
    explicit_axes: bool = True
    axis_names: tuple[str, str] = ("x", "y")
    decimal_comma: bool = False
    defaults: dict = field(default_factory=dict)
    coordinate_columns: tuple[str, ...] = ()
    total: int | None = None
    xy: tuple[np.ndarray, np.ndarray] | None = None
    file_columns: tuple[str, ...] = ()


__all__ = ["Source"]
