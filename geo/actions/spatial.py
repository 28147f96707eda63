"""The actions followed up on the map: which layers and which indicator.

:data:`SPATIAL_ACTIONS` maps the number of each action with a live map
indicator to a :class:`SpatialAction`: the layers (names as in
:mod:`layers`) it is followed up from, the key of its indicator and a short
description in Swedish and English. The table is data only; nothing
computes the figures yet, and the keys are the names those computations
will report under.

Examples
--------
>>> SPATIAL_ACTIONS[7].indicator
'graffiti_within_72h_share'
>>> sorted(n for n, a in SPATIAL_ACTIONS.items() if "facilities" in a.layers)
[26, 27, 36, 37, 38, 39]
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class SpatialAction:
    """How one action of the program is followed up on the map.

    Parameters
    ----------
    nr : int
        The action number, 1 to 77.
    layers : tuple of str
        Layers the indicator is computed from, by layer name.
    indicator : str
        Key of the indicator (snake_case, stable; reports and scripts use it).
    description_sv, description_en : str
        What the indicator shows, in Swedish and English.
    """

    nr: int
    layers: tuple[str, ...]
    indicator: str
    description_sv: str
    description_en: str


_FLOOD_AND_FACILITIES = ("flood_risk", "facilities")

_ENTRIES: tuple[SpatialAction, ...] = (
    SpatialAction(
        3,
        ("incidents",),
        "lagesbild_incidents",
        "Geografisk lägesbild: anmälda brott och ordningsstörningar per ruta, med hot spots.",
        "Geographic situation picture: reported crime and disorder per grid cell, with hot spots.",
    ),
    SpatialAction(
        5,
        ("safety_offices",),
        "safety_offices_open",
        "Trygghetskontor som är öppna i utvalda områden.",
        "Safety offices open in selected areas.",
    ),
    SpatialAction(
        6,
        ("cameras",),
        "camera_coverage",
        "Yta som täcks av trygghetskameror i drift.",
        "Area covered by active safety cameras.",
    ),
    SpatialAction(
        7,
        ("graffiti",),
        "graffiti_within_72h_share",
        "Andel klotter på kommunala fastigheter som sanerats inom 72 timmar.",
        "Share of graffiti on municipal property removed within 72 hours.",
    ),
    SpatialAction(
        9,
        ("lighting", "unsafe_places"),
        "dark_places_open_lamp_faults",
        "Mörka platser: otrygga platser med orsak belysning, och öppna belysningsfel.",
        "Dark places: places reported unsafe for lighting, and open lamp faults.",
    ),
    SpatialAction(
        12,
        ("unauthorised_settlements",),
        "unauthorised_settlements_open",
        "Otillåtna bosättningar på kommunal mark som ännu inte avvecklats.",
        "Unauthorised settlements on municipal land not yet removed.",
    ),
    SpatialAction(
        14,
        ("neighbourhood_watch",),
        "neighbourhood_watch_groups",
        "Grannsamverkansgrupper i flerbostadshus och utsatta områden.",
        "Neighbourhood watch groups in blocks of flats and vulnerable areas.",
    ),
    SpatialAction(
        16,
        ("guard_areas",),
        "guard_areas_in_force",
        "Områden med ordningsvakter enligt gällande beslut.",
        "Areas with security guards under a decision in force.",
    ),
    SpatialAction(
        26,
        _FLOOD_AND_FACILITIES,
        "flood_share_in_planning",
        "Översvämningsrisk och exponerade verksamheter som underlag för samhällsplanering.",
        "Flood risk and exposed facilities as input to planning and building.",
    ),
    SpatialAction(
        27,
        ("facilities", "vehicle_barriers"),
        "critical_facilities_protected",
        "Samhällsviktig verksamhet i planering och nybyggnation, med skydd i närheten.",
        "Critical facilities in planning and new building, with protection nearby.",
    ),
    SpatialAction(
        28,
        ("vehicle_barriers",),
        "vehicle_barriers_by_status",
        "Befintliga och planerade påkörningsskydd på gångstråk.",
        "Existing and planned vehicle barriers on pedestrian routes.",
    ),
    SpatialAction(
        36,
        _FLOOD_AND_FACILITIES,
        "water_supply_facilities",
        "Anläggningar för vattenförsörjning vid kris och deras översvämningsrisk.",
        "Water supply facilities for crises and their flood exposure.",
    ),
    SpatialAction(
        37,
        _FLOOD_AND_FACILITIES,
        "facilities_in_flood_zones",
        "Samhällsviktiga verksamheter inom översvämningsytor.",
        "Critical facilities inside flood zones.",
    ),
    SpatialAction(
        38,
        _FLOOD_AND_FACILITIES,
        "critical_facilities_without_reserve_power",
        "Samhällsviktiga verksamheter utan reservkraft, och deras översvämningsrisk.",
        "Critical facilities without reserve power, and their flood exposure.",
    ),
    SpatialAction(
        39,
        _FLOOD_AND_FACILITIES,
        "care_facilities_supply",
        "Omsorgsverksamheter att planera livsmedel och vatten för vid kris, och deras "
        "översvämningsrisk.",
        "Care facilities to plan food and water supply for in a crisis, and their flood exposure.",
    ),
)

#: Action number → how it is followed up on the map (read-only).
SPATIAL_ACTIONS: Mapping[int, SpatialAction] = MappingProxyType({a.nr: a for a in _ENTRIES})
