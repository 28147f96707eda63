"""Open311 GeoReport v2 service requests into the graffiti or lighting layer.

A GeoReport v2 ``requests.json`` is a JSON list of service requests with
``service_request_id``, ``status`` (``open``/``closed``), ``service_code``,
``service_name``, ``description``, ``requested_datetime``,
``updated_datetime``, ``address``, ``lat`` and ``long`` (some servers write
``lon``); a list wrapped as ``{"service_requests": [...]}`` is read too.
Coordinates are WGS 84; timestamps are ISO 8601, usually with an offset.

Which requests go to which layer is a table, :data:`DEFAULT_SERVICE_LAYERS`,
keyed by service code or by service name (case-insensitive). The user's
``service_codes`` mapping (``--service-code CODE=layer``) is looked up
first; its value is ``graffiti``, ``lighting``, or ``skip``. Requests
for other services, or for the other layer, are skipped and counted.

Fields (``id`` gets the prefix ``open311-`` so it cannot clash with ids
from other sources in the same layer):

=====================  =====================================================
graffiti               from the request
=====================  =====================================================
``id``                 ``service_request_id``
``reported_at``        ``requested_datetime``
``removed_at``         ``updated_datetime`` when the status is ``closed``
``object_kind``        not in Open311: ``other`` unless set (``--set``)
``description``        ``description`` and ``address``, joined with " – "
=====================  =====================================================

=====================  =====================================================
lighting               from the request
=====================  =====================================================
``id``                 ``service_request_id``
``status``             ``broken`` while ``open``, ``working`` when ``closed``
``fault_reported_at``  ``requested_datetime``
``fault_fixed_at``     ``updated_datetime`` when the status is ``closed``
=====================  =====================================================
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import Open311Error, SourceError
from layers.validate import Problem

OPEN311_CRS: str = "EPSG:4326"
ID_PREFIX: str = "open311-"
#: The layers Open311 requests can go to.
OPEN311_LAYERS: tuple[str, ...] = ("graffiti", "lighting")
SKIP: str = "skip"

#: Service code or lower-case service name → layer.
DEFAULT_SERVICE_LAYERS: dict[str, str] = {
    **dict.fromkeys(
        ("graffiti", "graffiti removal", "graffiti removal request", "klotter", "klottersanering",
         "klotter och skadegörelse", "klotter/skadegörelse"),
        "graffiti",
    ),
    **dict.fromkeys(
        ("street light out", "street lights - all/out", "street light - 1/out", "alley light out",
         "street light", "streetlight", "street lights", "streetlight out", "gatubelysning",
         "belysning", "gatlykta", "trasig gatlykta", "belysning ur funktion"),
        "lighting",
    ),
}

#: Open311 status → lighting status.
LIGHTING_STATUS: dict[str, str] = {"open": "broken", "closed": "working"}
#: The value object_kind gets when the file does not say.
DEFAULT_OBJECT_KIND: str = "other"


@dataclass
class Open311Requests:
    """Service requests read for one layer.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The layer's columns, in WGS 84; timestamps still as text.
    rows : numpy.ndarray
        Each request's number in the file (the first is 1).
    problems : list of Problem
        Unreadable requests, by row and key.
    total : int
        Requests in the file.
    skipped : collections.Counter
        Requests left out, by service name.
    defaults : dict
        Values for columns Open311 does not carry, used where not set.
    """

    frame: gpd.GeoDataFrame
    rows: np.ndarray
    problems: list[Problem]
    total: int
    skipped: Counter = field(default_factory=Counter)
    defaults: dict = field(default_factory=dict)


def check_service_codes(service_codes: Mapping[str, str] | None) -> dict[str, str]:
    """Return the user's service mapping with lower-cased names, or raise.

    Parameters
    ----------
    service_codes : mapping of str to str, optional
        Service code or name → ``graffiti``, ``lighting`` or ``skip``.

    Returns
    -------
    dict of str to str
        Keys as given and lower-cased.

    Raises
    ------
    Open311Error
        If a value is not one of the allowed layers.
    """
    allowed = (*OPEN311_LAYERS, SKIP)
    out: dict[str, str] = {}
    for key, value in (service_codes or {}).items():
        if value not in allowed:
            msg = f"service_codes maps {key!r} to {value!r}; allowed: {', '.join(allowed)}"
            raise Open311Error(msg)
        out[str(key).strip()] = value
        out[str(key).strip().lower()] = value
    return out


def service_layer(code: object, name: object, service_codes: Mapping[str, str]) -> str | None:
    """Return the layer a request's service goes to, or None.

    Parameters
    ----------
    code, name : object
        The request's ``service_code`` and ``service_name``.
    service_codes : mapping of str to str
        The user's mapping from :func:`check_service_codes`.

    Returns
    -------
    str or None
        ``graffiti``, ``lighting``, or None when the service is not mapped
        (or mapped to ``skip``).

    Examples
    --------
    >>> service_layer("4ffa9f2d6018277d400000c8", "Street Light Out", {})
    'lighting'
    """
    keys = [str(k).strip() for k in (code, name) if k not in (None, "")]
    for table in (service_codes, DEFAULT_SERVICE_LAYERS):
        for key in keys:
            layer = table.get(key, table.get(key.lower()))
            if layer is not None:
                return None if layer == SKIP else layer
    return None


def read_open311(
    path: str | Path, layer: str, *, service_codes: Mapping[str, str] | None = None
) -> Open311Requests:
    """Read GeoReport v2 service requests for one layer.

    Parameters
    ----------
    path : str or pathlib.Path
        A JSON file.
    layer : {"graffiti", "lighting"}
        The target layer.
    service_codes : mapping of str to str, optional
        Service code or name → layer (or ``skip``); looked up before
        :data:`DEFAULT_SERVICE_LAYERS`.

    Returns
    -------
    Open311Requests
        The requests for ``layer`` and the problems found.

    Raises
    ------
    Open311Error
        If ``layer`` cannot take Open311 requests, or a mapping value is
        not allowed.
    SourceError
        If the file is not JSON, or not a list of requests.
    """
    path = Path(path)
    if layer not in OPEN311_LAYERS:
        msg = f"Open311 requests go to {', '.join(OPEN311_LAYERS)}; got layer={layer!r}"
        raise Open311Error(msg)
    mapping = check_service_codes(service_codes)
    requests = _load(path)
    problems: list[Problem] = []
    skipped: Counter = Counter()
    records, rows, geoms = [], [], []
    for number, request in enumerate(requests, start=1):
        if not isinstance(request, dict):
            problems.append(Problem(number, "request", f"expected an object, got {type(request).__name__}"))
            continue
        target = service_layer(request.get("service_code"), request.get("service_name"), mapping)
        if target != layer:
            skipped[str(request.get("service_name") or request.get("service_code") or "?")] += 1
            continue
        point, found = _point(number, request)
        problems.extend(found)
        record, found = _record(number, request, layer)
        problems.extend(found)
        records.append(record)
        rows.append(number)
        geoms.append(point)
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS[layer])
    result = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(np.array(geoms, dtype=object), index=frame.index),
                              crs=OPEN311_CRS)
    defaults = {"object_kind": DEFAULT_OBJECT_KIND} if layer == "graffiti" else {}
    return Open311Requests(result, np.asarray(rows, dtype=int), problems, len(requests), skipped, defaults)


_COLUMNS: dict[str, list[str]] = {
    "graffiti": ["id", "reported_at", "removed_at", "description"],
    "lighting": ["id", "status", "fault_reported_at", "fault_fixed_at"],
}


def _load(path: Path) -> list:
    try:
        with path.open(encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        msg = f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise SourceError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"{path.name} is not UTF-8 text, as JSON must be: {exc}"
        raise SourceError(msg) from exc
    if isinstance(data, dict) and isinstance(data.get("service_requests"), list):
        data = data["service_requests"]
    if not isinstance(data, list):
        msg = (
            f"{path.name} is not a GeoReport v2 request list: expected a JSON list of service "
            f"requests, got {type(data).__name__}"
        )
        raise SourceError(msg)
    return data


def _point(number: int, request: dict) -> tuple[shapely.Point | None, list[Problem]]:
    problems = []
    values = []
    lon_key = "long" if "long" in request else "lon"
    for key in ("lat", lon_key):
        value = request.get(key)
        if value in (None, ""):
            problems.append(Problem(number, key, "coordinate is empty"))
            values.append(None)
            continue
        try:
            number_value = float(value)
        except (TypeError, ValueError):
            problems.append(Problem(number, key, f"{value!r} is not a number"))
            values.append(None)
            continue
        values.append(number_value)
    lat, lon = values
    if lat is None or lon is None:
        return None, problems
    return shapely.Point(lon, lat), problems


def _record(number: int, request: dict, layer: str) -> tuple[dict, list[Problem]]:
    problems = []
    raw_id = request.get("service_request_id")
    if raw_id in (None, ""):
        problems.append(Problem(number, "service_request_id", "required value is empty"))
    status = str(request.get("status") or "").strip().lower()
    if status not in LIGHTING_STATUS:
        problems.append(Problem(number, "status", f"{request.get('status')!r} is not a GeoReport v2 "
                                                  f"status; allowed: {', '.join(LIGHTING_STATUS)}"))
    closed_at = request.get("updated_datetime") if status == "closed" else None
    record: dict = {"id": None if raw_id in (None, "") else f"{ID_PREFIX}{raw_id}"}
    if layer == "graffiti":
        parts = [str(request[k]).strip() for k in ("description", "address") if request.get(k)]
        record |= {
            "reported_at": request.get("requested_datetime"),
            "removed_at": closed_at,
            "description": " – ".join(p for p in parts if p) or None,
        }
    else:
        record |= {
            "status": LIGHTING_STATUS.get(status),
            "fault_reported_at": request.get("requested_datetime"),
            "fault_fixed_at": closed_at,
        }
    return record, problems
