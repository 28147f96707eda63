"""Which columns of a CSV file hold the coordinates (or a WKT geometry).

Names are compared lower-cased with å/ä → a and ö → o
(:func:`normalise_name`). ``lat``/``lon`` (and ``long``, ``lng``,
``latitude``/``longitude``, ``breddgrad``/``längdgrad``) are degrees, WGS 84
unless ``--crs`` names another geographic CRS. ``E``/``N``,
``easting``/``northing``, ``ost``/``nord`` are projected and say which axis
is which; ``x``/``y`` are projected and do not (in Swedish geodesy X is
north). Projected columns need ``--crs``. A ``wkt`` (``geometry``,
``geom``) column is read as WKT when no coordinate pair is found. The
user's column mapping can name the columns with the roles of
:data:`COORDINATE_ROLES`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from geo.errors import ValidationError
from layers.validate import Problem

#: Normalised column name → (axis, kind). Kinds: "geographic" (degrees),
#: "projected" (metres, names say which axis), "ambiguous" (metres, x/y).
COORDINATE_COLUMNS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("lon", "long", "lng", "longitude", "langdgrad", "lon_wgs84", "wgs84_lon"),
                    ("x", "geographic")),
    **dict.fromkeys(("lat", "latitude", "breddgrad", "lat_wgs84", "wgs84_lat"), ("y", "geographic")),
    **dict.fromkeys(("e", "east", "easting", "ost", "ostlig", "ostkoordinat", "e_koordinat",
                     "e_koord", "sweref_e", "e_sweref"), ("x", "projected")),
    **dict.fromkeys(("n", "north", "northing", "nord", "nordlig", "nordkoordinat", "n_koordinat",
                     "n_koord", "sweref_n", "n_sweref"), ("y", "projected")),
    **dict.fromkeys(("x", "x_koordinat", "x_koord", "xkoord", "x_coordinate", "x_coord", "xcoord",
                     "koordinat_x"), ("x", "ambiguous")),
    **dict.fromkeys(("y", "y_koordinat", "y_koord", "ykoord", "y_coordinate", "y_coord", "ycoord",
                     "koordinat_y"), ("y", "ambiguous")),
}
#: Normalised names of a WKT geometry column.
WKT_COLUMNS: tuple[str, ...] = ("wkt", "geometry", "geom", "the_geom", "geometri")
#: Roles a user mapping can give a column (``--map Easting=e``).
COORDINATE_ROLES: dict[str, tuple[str, str]] = {
    "lon": ("x", "geographic"),
    "lat": ("y", "geographic"),
    "e": ("x", "projected"),
    "n": ("y", "projected"),
    "x": ("x", "ambiguous"),
    "y": ("y", "ambiguous"),
    "wkt": ("wkt", ""),
}
_KIND_ORDER = ("geographic", "projected", "ambiguous")
_KIND_ORDER_PROJECTED = ("projected", "ambiguous", "geographic")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def normalise_name(name: str) -> str:
    """Return a column name lower-cased, with å/ä → a, ö → o and separators as ``_``.

    Parameters
    ----------
    name : str
        A header name.

    Returns
    -------
    str
        The normalised name.

    Examples
    --------
    >>> normalise_name(" Öst-Koordinat ")
    'ost_koordinat'
    """
    text = str(name).strip().strip('"').lower().translate(_FOLD)
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


def find_coordinate_columns(
    source: str, columns: tuple[str, ...], roles: Mapping[str, str], prefer_projected: bool
) -> tuple[str | None, str | None, str | None, str]:
    """Return the coordinate columns of a header: by the user's roles, or by their names.

    Parameters
    ----------
    source : str
        The file's name, for the error.
    columns : tuple of str
        The header names.
    roles : mapping of str to str
        Column → role (a key of :data:`COORDINATE_ROLES`) from the user;
        when given, it decides alone.
    prefer_projected : bool
        Prefer a projected pair when the file has both kinds.

    Returns
    -------
    x_column, y_column : str or None
        The east/longitude and north/latitude columns (None for WKT).
    wkt_column : str or None
        The WKT column, when there is no coordinate pair.
    axes : str
        ``"geographic"``, ``"projected"``, ``"ambiguous"``, or ``""`` for WKT.

    Raises
    ------
    ValidationError
        If no pair (or WKT column) is found, or the roles name a column the
        file does not have, only one axis, or two kinds.

    Examples
    --------
    >>> find_coordinate_columns("a.csv", ("id", "Lat", "Lon"), {}, False)
    ('Lon', 'Lat', None, 'geographic')
    """
    if roles:
        return _columns_from_roles(source, columns, roles)
    found: dict[str, dict[str, str]] = {kind: {} for kind in _KIND_ORDER}
    for column in columns:
        match = COORDINATE_COLUMNS.get(normalise_name(column))
        if match is not None:
            axis, kind = match
            found[kind].setdefault(axis, column)
    for kind in _KIND_ORDER_PROJECTED if prefer_projected else _KIND_ORDER:
        if {"x", "y"} <= set(found[kind]):
            return found[kind]["x"], found[kind]["y"], None, kind
    wkt = next((c for c in columns if normalise_name(c) in WKT_COLUMNS), None)
    if wkt is not None:
        return None, None, wkt, ""
    halves = [c for kind in found.values() for c in kind.values()]
    seen = f"; found only {', '.join(map(repr, halves))}" if halves else ""
    message = (
        f"no coordinate columns found in the header ({', '.join(columns)}){seen}; expected a pair "
        "such as lat/lon, latitude/longitude, long/lat, E/N, ost/nord or x/y, or a wkt column; "
        "or name yours with --map COLUMN=lat --map COLUMN=lon (roles: "
        f"{', '.join(COORDINATE_ROLES)})"
    )
    raise ValidationError([Problem(None, "geometry", message)], source=source)


def _columns_from_roles(
    source: str, columns: tuple[str, ...], roles: Mapping[str, str]
) -> tuple[str | None, str | None, str | None, str]:
    problems = [
        Problem(None, column, f"the mapping names column {column!r}, which is not in the file; "
                              f"columns: {', '.join(columns)}")
        for column in roles if column not in columns
    ]
    by_axis: dict[str, tuple[str, str]] = {}
    for column, role in roles.items():
        axis, kind = COORDINATE_ROLES[role]
        by_axis[axis] = (column, kind)
    if "wkt" in by_axis and not problems:
        return None, None, by_axis["wkt"][0], ""
    if not problems and not {"x", "y"} <= set(by_axis):
        problems.append(Problem(None, "geometry", "map both coordinate columns (e.g. --map A=lat "
                                                  "--map B=lon), not only one"))
    elif not problems and by_axis["x"][1] != by_axis["y"][1]:
        problems.append(Problem(None, "geometry", f"the mapped coordinate roles do not match: "
                                                  f"{by_axis['x'][1]} and {by_axis['y'][1]}"))
    if problems:
        raise ValidationError(problems, source=source)
    return by_axis["x"][0], by_axis["y"][0], None, by_axis["x"][1]

