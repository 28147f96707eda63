"""Walk input as staff give it: routes, findings tables, and the checks of a walk and its findings.

A route is WKT (EPSG:3006 metres) or GeoJSON (WGS 84 degrees), or points
drawn on a web map; findings come from an edited table with WGS 84
positions. The checks report every problem at once as
:class:`~geo.participation.walks.WalkProblem` rows; they write nothing.

Examples
--------
>>> round(parse_route("LINESTRING (659000 6589700, 659300 6589900)").length, 1)
360.6
>>> checked = check_walk("2026-03-01", "", "LINESTRING (659000 6589700, 659300 6589900)", {"police": 1})
>>> [p.code for p in checked.problems]
['area']
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from geo import settings
from geo.errors import WalkError
from geo.participation.places import REASONS, point_from_latlon
from geo.participation.walks import (
    MAX_AREA_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    MAX_ROUTE_DISTANCE_M,
    PHOTO_PATTERN,
    ROLES,
    SEVERITIES,
    SWEREF_BOUNDS,
    WALK_ID_PATTERN,
    WKT_DECIMALS,
    Finding,
    WalkProblem,
    problem,
    to_date,
)


class CheckedWalk(NamedTuple):
    """A walk's fields as checked by :func:`check_walk`.

    Attributes
    ----------
    walk_date : datetime.date or None
        The day (None when refused).
    area : str
        The area, stripped.
    route : shapely.LineString or None
        The route in EPSG:3006 (None when refused).
    participants : dict of str to int
        Count per role, roles with none left out.
    problems : list of WalkProblem
        Every problem found.
    """

    walk_date: dt.date | None
    area: str
    route: shapely.LineString | None
    participants: dict[str, int]
    problems: list[WalkProblem]


def parse_route(text: str, *, crs: str | None = None) -> shapely.LineString:
    """Read a route from WKT or GeoJSON text.

    Parameters
    ----------
    text : str
        ``LINESTRING (...)`` WKT, or GeoJSON (a geometry, Feature or
        FeatureCollection holding one line). A MultiLineString whose parts
        join end to end is merged into one line.
    crs : str, optional
        CRS of the coordinates. Defaults to EPSG:3006 for WKT and, as
        RFC 7946 says, EPSG:4326 (longitude, latitude) for GeoJSON.

    Returns
    -------
    shapely.LineString
        The route in EPSG:3006.

    Raises
    ------
    WalkError
        If the text is neither, holds no single line, or lies outside Sweden
        once in EPSG:3006 (e.g. degrees given as metres).

    Examples
    --------
    >>> round(parse_route("LINESTRING (659000 6589700, 659300 6589900)").length, 1)
    360.6
    """
    source = (text or "").strip()
    if not source:
        raise _route_error("the route is empty")
    try:
        if source.startswith("{"):
            geom = _geojson_geometry(json.loads(source))
            crs = crs or settings.web_crs
        else:
            geom = shapely.from_wkt(source)
            crs = crs or settings.analysis_crs
    except (ValueError, TypeError, KeyError, shapely.errors.GEOSException) as exc:
        raise _route_error(f"not WKT or GeoJSON ({exc})") from exc
    return _as_route(geom, crs)


def route_from_lonlat(points: Sequence[Sequence[float]]) -> shapely.LineString:
    """Build a route from points drawn on a web map (longitude, latitude in WGS 84).

    Parameters
    ----------
    points : sequence of (lon, lat)
        At least two points, in walking order.

    Returns
    -------
    shapely.LineString
        The route in EPSG:3006.

    Raises
    ------
    WalkError
        If there are fewer than two points or they lie outside Sweden.
    """
    coords = [tuple(float(v) for v in p[:2]) for p in points]
    if len(coords) < 2:
        raise _route_error(f"a route needs at least 2 points; received {len(coords)}")
    return _as_route(shapely.LineString(coords), settings.web_crs)


def findings_from_table(table: pd.DataFrame) -> list[Finding]:
    """Turn an edited findings table into findings (positions in WGS 84 latitude/longitude).

    Rows with every cell empty are skipped. Values are taken as given;
    :func:`~geo.participation.walk_store.save_walk` checks them and reports every problem at once.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``reason``, ``severity``, ``description``, ``photo``, ``lat``, ``lon``.

    Returns
    -------
    list of Finding
        In table order; a missing or invalid position gives ``point=None``.

    Raises
    ------
    ValueError
        If a column is missing; the message lists the columns needed.
    """
    needed = ("reason", "severity", "description", "photo", "lat", "lon")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        msg = f"the findings table lacks columns {missing}; needed: {', '.join(needed)}"
        raise ValueError(msg)
    out = []
    for record in table[list(needed)].to_dict("records"):
        if all(_blank(v) for v in record.values()):
            continue
        severity = record["severity"]
        out.append(Finding(
            reason="" if _blank(record["reason"]) else str(record["reason"]),
            severity=severity if _blank(severity) else _maybe_int(severity),
            point=point_from_latlon(record["lat"], record["lon"]),
            description="" if _blank(record["description"]) else str(record["description"]).strip(),
            photo="" if _blank(record["photo"]) else str(record["photo"]).strip(),
        ))
    return out


def check_walk(
    walk_date: dt.date | str,
    area: str,
    route: shapely.LineString | str,
    participants: Mapping[str, int],
) -> CheckedWalk:
    """Check a walk's date, area, route and participants.

    Parameters
    ----------
    walk_date : datetime.date or str
        The day of the walk.
    area : str
        The area walked (1 to :data:`~geo.participation.walks.MAX_AREA_LENGTH` characters).
    route : shapely.LineString or str
        A line in EPSG:3006, or WKT/GeoJSON text for :func:`parse_route`.
    participants : mapping of str to int
        Count per role of :data:`~geo.participation.walks.ROLES`; at least one participant.

    Returns
    -------
    CheckedWalk
        The values as they will be saved, and every problem found (none: all allowed).
    """
    problems: list[WalkProblem] = []
    day = check_date(walk_date, problems)
    area_text = str(area or "").strip()
    if not 1 <= len(area_text) <= MAX_AREA_LENGTH:
        problems.append(problem(None, "area", "area", f"{len(area_text)} characters; allowed: 1 to "
                                f"{MAX_AREA_LENGTH}", limit=MAX_AREA_LENGTH))
    line = _check_route(route, problems)
    counts = _check_participants(participants, problems)
    return CheckedWalk(day, area_text, line, counts, problems)


def check_findings(
    findings: Sequence[Finding], route: shapely.LineString | None, kommun: shapely.Geometry | None
) -> list[WalkProblem]:
    """Return the problems of a walk's findings, numbered from 1 in walking order.

    Parameters
    ----------
    findings : sequence of Finding
        The findings.
    route : shapely.LineString or None
        The walk's route; findings must lie within
        :data:`~geo.participation.walks.MAX_ROUTE_DISTANCE_M` of it (not checked when None).
    kommun : shapely.Geometry or None
        The kommun polygon; findings must lie in it (not checked when None).

    Returns
    -------
    list of WalkProblem
        Empty when every finding is allowed.
    """
    problems = []
    for n, finding in enumerate(findings, start=1):
        if finding.reason not in REASONS:
            problems.append(problem(n, "reason", "reason",
                                    f"{finding.reason!r} is not allowed; allowed: {', '.join(REASONS)}"))
        if finding.severity not in SEVERITIES or isinstance(finding.severity, bool):
            problems.append(problem(n, "severity", "severity",
                                    f"{finding.severity!r} is not allowed; allowed: 1, 2, 3"))
        if len(finding.description) > MAX_DESCRIPTION_LENGTH:
            problems.append(problem(n, "description", "description",
                                    f"{len(finding.description)} characters; allowed: at most "
                                    f"{MAX_DESCRIPTION_LENGTH}", limit=MAX_DESCRIPTION_LENGTH))
        if finding.photo and not PHOTO_PATTERN.match(finding.photo):
            problems.append(problem(n, "photo", "photo",
                                    f"{finding.photo!r} is not a photo file name; allowed: a name without "
                                    "a path, ending .jpg, .jpeg, .png, .heic, .heif, .webp or .tif"))
        problems += _check_position(n, finding.point, route, kommun)
    return problems


def check_date(
    value: object, problems: list[WalkProblem], *, field_name: str = "walk_date"
) -> dt.date | None:
    """Return a day, or None after adding a ``date`` problem to ``problems``.

    Parameters
    ----------
    value : object
        A date, a time or ISO text.
    problems : list of WalkProblem
        Where a problem is added.
    field_name : str, default "walk_date"
        The field, for the problem.

    Returns
    -------
    datetime.date or None
        The day, or None when ``value`` is not a date.
    """
    try:
        return to_date(value, field_name)
    except ValueError as exc:
        problems.append(problem(None, field_name, "date", str(exc)))
        return None


def check_walk_id(walk_id: str) -> str:
    """Return a walk id when allowed (:data:`~geo.participation.walks.WALK_ID_PATTERN`).

    Parameters
    ----------
    walk_id : str
        The id.

    Returns
    -------
    str
        The id.

    Raises
    ------
    WalkError
        If the id is not allowed.
    """
    if not isinstance(walk_id, str) or not WALK_ID_PATTERN.match(walk_id):
        raise WalkError([problem(None, "walk_id", "walk_id",
                                 f"{walk_id!r} is not allowed; allowed: 1-40 lowercase letters, digits "
                                 "or '-', starting with a letter or digit")])
    return walk_id


def _route_error(detail: str) -> WalkError:
    return WalkError([problem(None, "route", "route", detail, detail=detail)])


def _geojson_geometry(data: dict) -> shapely.Geometry:
    kind = data.get("type")
    if kind == "FeatureCollection":
        geoms = [shape(f["geometry"]) for f in data.get("features", []) if f.get("geometry")]
        lines = [g for g in geoms if g.geom_type in ("LineString", "MultiLineString")]
        if len(lines) != 1:
            msg = f"the FeatureCollection must hold exactly one line; it holds {len(lines)}"
            raise ValueError(msg)
        return lines[0]
    if kind == "Feature":
        return shape(data["geometry"])
    return shape(data)


def _as_route(geom: shapely.Geometry, crs: str) -> shapely.LineString:
    if geom is None or geom.is_empty:
        raise _route_error("the route is empty")
    if geom.geom_type == "MultiLineString":
        geom = shapely.line_merge(geom)
    if geom.geom_type != "LineString":
        raise _route_error(f"received a {geom.geom_type}; allowed: LineString (or joined MultiLineString)")
    try:
        line = gpd.GeoSeries([geom], crs=crs).to_crs(settings.analysis_crs).iloc[0]
    except Exception as exc:  # pyproj raises several types for a bad CRS
        raise _route_error(f"crs={crs!r} cannot be used ({exc})") from exc
    minx, miny, maxx, maxy = line.bounds
    lo_x, lo_y, hi_x, hi_y = SWEREF_BOUNDS
    if not (lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y) or not line.length > 0:
        raise _route_error(
            f"the route lies outside Sweden in {settings.analysis_crs} "
            f"(bounds {tuple(round(b) for b in line.bounds)}); "
            "WKT is read as SWEREF 99 TM metres and GeoJSON as WGS 84 degrees")
    return shapely.set_precision(line, 10**-WKT_DECIMALS)


def _check_route(route: shapely.LineString | str, problems: list[WalkProblem]) -> shapely.LineString | None:
    try:
        if isinstance(route, str):
            return parse_route(route)
        if not isinstance(route, shapely.Geometry):
            raise _route_error(f"received {type(route).__name__}; allowed: a LineString or WKT/GeoJSON text")
        return _as_route(route, settings.analysis_crs)
    except WalkError as exc:
        problems.extend(exc.problems)
        return None


def _check_participants(participants: Mapping[str, int], problems: list[WalkProblem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    bad = []
    for role, value in dict(participants or {}).items():
        number = _maybe_int(value)
        if role not in ROLES or not isinstance(number, int) or number < 0:
            bad.append(f"{role}={value!r}")
        elif number:
            counts[role] = number
    if bad or not counts:
        received = ", ".join(bad) if bad else "no participants"
        problems.append(problem(None, "participants", "participants",
                                f"{received}; allowed: whole numbers >= 0 for roles {', '.join(ROLES)}, "
                                "at least one participant"))
    return {role: counts[role] for role in ROLES if role in counts}


def _check_position(
    n: int, point: shapely.Point | None, route: shapely.LineString | None, kommun: shapely.Geometry | None
) -> list[WalkProblem]:
    if not isinstance(point, shapely.Point) or point.is_empty:
        return [problem(n, "position", "position", f"received {point!r}; allowed: a point (lat, lon)")]
    if kommun is not None and not kommun.covers(point):
        return [problem(n, "position", "outside_kommun",
                        f"({point.x:.0f}, {point.y:.0f}) lies outside the kommun polygon of the "
                        "areas layer")]
    if route is not None:
        distance = float(route.distance(point))
        if distance > MAX_ROUTE_DISTANCE_M:
            return [problem(n, "position", "far_from_route",
                            f"{distance:.0f} m from the route; allowed: at most "
                            f"{MAX_ROUTE_DISTANCE_M:.0f} m",
                            distance=round(distance), limit=round(MAX_ROUTE_DISTANCE_M))]
    return []


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _maybe_int(value: object) -> object:
    """Return a whole number as int (``2``, ``2.0``, ``"2"``); anything else unchanged."""
    if isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if np.isfinite(number) and number == int(number) else value

