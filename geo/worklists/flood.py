"""Flood work lists (actions 26-27, 37-38): exposed facilities, flooded areas, the crisis table.

``facilities_<scenario>``
    Per flood scenario, the facilities inside a zone or within
    ``distance_m`` of one: critical facilities first, then those without
    reserve power (unknown counts as without), then the nearest, with the
    water depth where the zones record it. ``in_zone`` is True at distance
    0 (inside, or exactly on the edge). The order comes from
    :func:`geo.analysis.indicators.flood.facilities_exposed`.
``areas``
    The share of each area (kommundel by default) inside the zones of each
    scenario, largest first.
``exposure``
    The table for the crisis plan: per scenario and facility kind, how many
    facilities there are, how many are exposed, how many of those are
    critical, and how many critical ones lack reserve power.

The facilities layer is internal: the ``public`` audience gets a
:class:`geo.errors.PrivacyError`.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.indicators import flood as flood_ind
from geo.analysis.prepared import Prepared
from geo.audiences import DEFAULT_AUDIENCE
from geo.i18n import format_number, t
from geo.privacy import check_audience, gate_features
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists._common import place_xy as _xy
from layers import get_spec
from layers.facilities import KINDS as FACILITY_KINDS

SCENARIO_CODES: tuple[str, ...] = flood_ind.SCENARIO_CODES
"""Flood scenarios of the flood_risk layer, in the spec's order."""

DEFAULT_DISTANCE_M: float = 50.0
"""Facilities within this distance of a zone are listed."""

DEFAULT_AREA_KIND: str = "kommundel"
"""Areas whose flooded share is listed."""

FALLBACK_AREA_KINDS: tuple[str, ...] = ("kommundel", "kommun")
"""Area kinds tried in turn when the lists are built without ``area_kind``."""

FACILITY_COLUMNS: tuple[str, ...] = (
    "rank", "scenario", "id", "name", "kind", "critical", "reserve_power", "in_zone", "distance_m",
    "depth_m", "why", "x", "y",
)
"""Columns of a ``facilities_<scenario>`` list, in order."""

AREA_COLUMNS: tuple[str, ...] = (
    "rank", "code", "name", "scenario", "area_km2", "flooded_km2", "flooded_share",
)
"""Columns of the ``areas`` list, in order."""

EXPOSURE_COLUMNS: tuple[str, ...] = (
    "rank", "scenario", "kind", "facilities", "exposed", "critical_exposed", "without_reserve_power",
    "max_depth_m",
)
"""Columns of the ``exposure`` list, in order."""

_KIND_ORDER = {choice.code: i for i, choice in enumerate(FACILITY_KINDS)}

__all__ = [
    "AREA_COLUMNS",
    "DEFAULT_AREA_KIND",
    "DEFAULT_DISTANCE_M",
    "EXPOSURE_COLUMNS",
    "FACILITY_COLUMNS",
    "FALLBACK_AREA_KINDS",
    "SCENARIO_CODES",
    "area_shares",
    "exposed_facilities",
    "exposure_table",
    "flood_worklists",
    "scenarios_in",
]


def scenarios_in(flood: pd.DataFrame, scenarios: Sequence[str] | None = None) -> tuple[str, ...]:
    """Return the scenarios to list: those asked for, or those present in the layer.

    Parameters
    ----------
    flood : pandas.DataFrame
        The flood_risk layer (a ``scenario`` column).
    scenarios : sequence of str, optional
        Scenario codes; default every scenario with a zone, in the spec's
        order.

    Returns
    -------
    tuple of str
        Scenario codes, in the spec's order, without repeats.

    Raises
    ------
    ValueError
        If a scenario is unknown; the message lists the allowed ones.

    Examples
    --------
    >>> scenarios_in(pd.DataFrame({"scenario": ["flode_200", "skyfall_100"]}))
    ('skyfall_100', 'flode_200')
    """
    if scenarios is None:
        present = set(flood["scenario"].dropna()) if "scenario" in flood.columns else set()
        return tuple(code for code in SCENARIO_CODES if code in present)
    chosen = [scenarios] if isinstance(scenarios, str) else list(scenarios)
    unknown = [s for s in chosen if s not in SCENARIO_CODES]
    if unknown:
        msg = f"scenario {', '.join(map(repr, unknown))} is unknown; allowed: {', '.join(SCENARIO_CODES)}"
        raise ValueError(msg)
    return tuple(code for code in SCENARIO_CODES if code in chosen)


def exposed_facilities(
    facilities: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    *,
    scenario: str,
    distance_m: float = DEFAULT_DISTANCE_M,
    lang: str = "sv",
) -> pd.DataFrame:
    """List the facilities a flood scenario reaches, most urgent first, with the reasons.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        The facilities layer (``id``, ``name``, ``kind``, ``critical``,
        optionally ``reserve_power``) in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer, same CRS.
    scenario : str
        One of :data:`SCENARIO_CODES`.
    distance_m : float, default 50.0
        Search distance, metres; 0 lists only facilities that touch a zone.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FACILITY_COLUMNS`: critical first, then without
        reserve power, then by distance, then ``id``. ``reserve_power`` is
        nullable (``<NA>`` when unknown); ``depth_m`` is NaN when unknown.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If the scenario is unknown, the distance negative or a column missing.

    Examples
    --------
    >>> from shapely import Point, box
    >>> flood = gpd.GeoDataFrame({"scenario": ["flode_200"], "depth_m": [0.5]},
    ...                          geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> fac = gpd.GeoDataFrame(
    ...     {"id": ["edge", "near", "far"], "name": ["A", "B", "C"], "kind": ["school"] * 3,
    ...      "critical": [False] * 3},
    ...     geometry=[Point(100, 50), Point(130, 50), Point(400, 50)], crs="EPSG:3006")
    >>> exposed_facilities(fac, flood, scenario="flode_200")[["rank", "id", "in_zone", "distance_m"]]
       rank    id  in_zone  distance_m
    0     1  edge     True         0.0
    1     2  near    False        30.0
    """
    ranked = flood_ind.facilities_exposed(facilities, flood, scenario=scenario, distance_m=distance_m)
    xy = _xy(facilities.loc[ranked.index])
    table = pd.DataFrame({
        "scenario": scenario,
        "id": ranked["id"].astype(str).to_numpy(),
        "name": ranked["name"].astype(object).to_numpy(),
        "kind": ranked["kind"].astype(object).to_numpy(),
        "critical": ranked["critical"].astype("boolean").fillna(False).to_numpy(dtype=bool),
        "reserve_power": ranked["reserve_power"].astype("boolean").array,
        "in_zone": (ranked["distance_m"] == 0).to_numpy(dtype=bool),
        "distance_m": np.round(ranked["distance_m"].to_numpy(dtype=float), 1),
        "depth_m": ranked["depth_m"].to_numpy(dtype=float),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })
    table = with_rank(table)
    table["why"] = [_why_facility(row, lang) for row in table.itertuples(index=False)]
    return table[list(FACILITY_COLUMNS)]


def area_shares(
    areas: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    *,
    scenarios: Sequence[str],
    area_kind: str = DEFAULT_AREA_KIND,
) -> pd.DataFrame:
    """Return the share of each area inside the zones of each scenario.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        The areas layer (``code``, ``name``, ``kind``) in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer, same CRS.
    scenarios : sequence of str
        Scenario codes.
    area_kind : str, default "kommundel"
        Which areas to use.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AREA_COLUMNS`, one row per area and scenario, ordered
        by ``flooded_share`` (largest first), then scenario and ``code``.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a scenario is unknown or there are no areas of ``area_kind``.

    Examples
    --------
    >>> from shapely import box
    >>> areas = gpd.GeoDataFrame({"code": ["01"], "name": ["Norr"], "kind": ["kommundel"]},
    ...                          geometry=[box(0, 0, 1000, 1000)], crs="EPSG:3006")
    >>> flood = gpd.GeoDataFrame({"scenario": ["bhf"]}, geometry=[box(0, 0, 250, 1000)], crs="EPSG:3006")
    >>> area_shares(areas, flood, scenarios=["bhf"])[["code", "flooded_km2", "flooded_share"]]
      code  flooded_km2  flooded_share
    0   01         0.25           0.25
    """
    chosen_scenarios = scenarios_in(flood, scenarios)
    if "kind" not in areas.columns:
        msg = f"areas lacks column 'kind'; columns: {', '.join(map(str, areas.columns))}"
        raise ValueError(msg)
    chosen = areas[(areas["kind"] == area_kind).to_numpy(dtype=bool, na_value=False)]
    if chosen.empty:
        kinds = ", ".join(sorted(map(str, areas["kind"].dropna().unique())))
        msg = f"there are no areas of kind {area_kind!r}; kinds present: {kinds or 'none'}"
        raise ValueError(msg)
    area_m2 = shapely.area(np.asarray(chosen.geometry.array, dtype=object))
    frames = []
    for scenario in chosen_scenarios:
        share = flood_ind.flood_share_by_unit(chosen, flood, scenario=scenario)
        frames.append(pd.DataFrame({
            "code": chosen["code"].astype(str).to_numpy() if "code" in chosen else chosen.index.astype(str),
            "name": chosen["name"].astype(object).to_numpy() if "name" in chosen else "",
            "scenario": scenario,
            "area_km2": np.round(area_m2 / 1e6, 3),
            "flooded_km2": np.round(share * area_m2 / 1e6, 3),
            "flooded_share": np.round(share, 4),
            "_order": chosen_scenarios.index(scenario),
        }))
    columns = [c for c in AREA_COLUMNS if c != "rank"]
    if not frames:
        return with_rank(pd.DataFrame(columns=columns))
    table = pd.concat(frames, ignore_index=True).sort_values(
        ["flooded_share", "_order", "code"], ascending=[False, True, True], kind="stable")
    return with_rank(table[columns])[list(AREA_COLUMNS)]


def exposure_table(
    facilities: gpd.GeoDataFrame,
    flood: gpd.GeoDataFrame,
    *,
    scenarios: Sequence[str],
    distance_m: float = DEFAULT_DISTANCE_M,
) -> pd.DataFrame:
    """Return the crisis-plan table: facilities exposed per scenario and kind.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        The facilities layer in a projected CRS.
    flood : geopandas.GeoDataFrame
        The flood_risk layer, same CRS.
    scenarios : sequence of str
        Scenario codes.
    distance_m : float, default 50.0
        Search distance, metres.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPOSURE_COLUMNS`, one row per scenario and facility
        kind present in the layer: ``facilities`` (of the kind),
        ``exposed``, ``critical_exposed``, ``without_reserve_power``
        (critical, exposed, reserve power false or unknown) and
        ``max_depth_m``. Ordered by scenario, then exposed (most first),
        then the spec's order of kinds.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a scenario is unknown, the distance negative or a column missing.

    Examples
    --------
    >>> from shapely import Point, box
    >>> flood = gpd.GeoDataFrame({"scenario": ["bhf"]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> fac = gpd.GeoDataFrame(
    ...     {"id": ["a", "b"], "name": ["A", "B"], "kind": ["care_home", "care_home"],
    ...      "critical": [True, True], "reserve_power": [False, True]},
    ...     geometry=[Point(50, 50), Point(900, 900)], crs="EPSG:3006")
    >>> exposure_table(fac, flood, scenarios=["bhf"])[["kind", "facilities", "exposed",
    ...                                                "without_reserve_power"]]
            kind  facilities  exposed  without_reserve_power
    0  care_home           2        1                      1
    """
    chosen_scenarios = scenarios_in(flood, scenarios)
    kinds = facilities["kind"].astype(object)
    rows = []
    for order, scenario in enumerate(chosen_scenarios):
        exposed = flood_ind.facilities_exposed(facilities, flood, scenario=scenario, distance_m=distance_m)
        critical = exposed["critical"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        powered = exposed["reserve_power"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        for kind in sorted(set(kinds.dropna()), key=lambda k: _KIND_ORDER.get(k, len(_KIND_ORDER))):
            mine = (exposed["kind"] == kind).to_numpy(dtype=bool)
            depth = exposed.loc[mine, "depth_m"].to_numpy(dtype=float)
            rows.append({
                "scenario": scenario,
                "kind": kind,
                "facilities": int((kinds == kind).sum()),
                "exposed": int(mine.sum()),
                "critical_exposed": int((mine & critical).sum()),
                "without_reserve_power": int((mine & critical & ~powered).sum()),
                "max_depth_m": float(np.nanmax(depth)) if np.isfinite(depth).any() else np.nan,
                "_scenario": order,
                "_kind": _KIND_ORDER.get(kind, len(_KIND_ORDER)),
            })
    columns = [c for c in EXPOSURE_COLUMNS if c != "rank"]
    if not rows:
        return with_rank(pd.DataFrame(columns=columns))
    table = pd.DataFrame(rows).sort_values(["_scenario", "exposed", "_kind"], ascending=[True, False, True],
                                           kind="stable")
    return with_rank(table[columns])[list(EXPOSURE_COLUMNS)]


def flood_worklists(
    prep: Prepared,
    *,
    at: pd.Timestamp,
    start: pd.Timestamp,
    end: pd.Timestamp,
    scenarios: Sequence[str] | None = None,
    distance_m: float = DEFAULT_DISTANCE_M,
    area_kind: str | None = None,
    audience: str = DEFAULT_AUDIENCE,
    lang: str = "sv",
) -> Worklists:
    """Build the flood lists: one ``facilities_<scenario>`` per scenario, ``areas`` and ``exposure``.

    Parameters
    ----------
    prep : Prepared
        The store's layers (:func:`geo.analysis.prepared.prepare`).
    at : pandas.Timestamp
        Reference time (the date of the lists).
    start, end : pandas.Timestamp
        Carried for the record; flood zones have no time.
    scenarios : sequence of str, optional
        Scenario codes; default every scenario with a zone.
    distance_m : float, default 50.0
        Search distance, metres.
    area_kind : str, optional
        Areas of the ``areas`` list; by default the first of
        :data:`FALLBACK_AREA_KINDS` the store has.
    audience : {"public", "staff", "protected"}, default "public"
        Who the lists are for.
    lang : {"sv", "en"}, default "sv"
        Language of the ``why`` texts.

    Returns
    -------
    Worklists
        Kind ``flood``.

    Raises
    ------
    PrivacyError
        If the audience may not see the facilities layer (``public``).
    ValueError
        If an argument cannot be used (the message names it).
    """
    check_audience(audience)
    facilities = gate_features(prep.frame("facilities"), get_spec("facilities"), audience).frame
    flood = prep.frame("flood_risk")
    chosen = scenarios_in(flood, scenarios)
    lists: dict[str, pd.DataFrame] = {
        f"facilities_{scenario}": exposed_facilities(facilities, flood, scenario=scenario,
                                                     distance_m=distance_m, lang=lang)
        for scenario in chosen
    }
    areas = prep.frame("areas")
    if area_kind is None:
        present = set(areas["kind"].dropna()) if "kind" in areas.columns else set()
        area_kind = next((k for k in FALLBACK_AREA_KINDS if k in present), DEFAULT_AREA_KIND)
    lists["areas"] = area_shares(areas, flood, scenarios=chosen, area_kind=area_kind)
    lists["exposure"] = exposure_table(facilities, flood, scenarios=chosen, distance_m=distance_m)
    return Worklists(kind="flood", at=at, start=start, end=end, audience=audience, lists=lists,
                     options={"distance_m": distance_m, "scenarios": list(chosen), "area_kind": area_kind})


# --------------------------------------------------------------------------- helpers


def _why_facility(row: object, lang: str) -> str:
    parts = [t("worklists.why_critical", lang) if row.critical else t("worklists.why_not_critical", lang)]
    if pd.isna(row.reserve_power):
        parts.append(t("worklists.why_reserve_unknown", lang))
    elif row.reserve_power:
        parts.append(t("worklists.why_reserve", lang))
    else:
        parts.append(t("worklists.why_no_reserve", lang))
    if row.in_zone:
        parts.append(t("worklists.why_in_zone", lang))
    else:
        parts.append(t("worklists.why_near_zone", lang, m=format_number(row.distance_m, lang, decimals=1)))
    if pd.notna(row.depth_m):
        parts.append(t("worklists.why_depth", lang, m=format_number(row.depth_m, lang, decimals=2)))
    return "; ".join(parts)

