"""Texts of the work lists in Swedish and English: titles, headings, labels, reasons.

:data:`WORKLIST_TEXTS` has the same ``key: (svenska, English)`` form as
:data:`geo.i18n.TEXTS`, into which it can be merged. Keys:

- ``kind_<kind>``: the kinds (tab names);
- ``list_<kind>_<list>`` and ``sheet_<kind>_<list>``: list titles and XLSX
  sheet names (at most 31 characters);
- ``col_<column>``, or ``col_<kind>_<column>`` where a column means
  something else in one kind: headings;
- ``why_*``, ``priority_*``: the parts of the ``why`` texts;
- ``value_*``, ``opt_*``, ``meta_*``, ``page_*``, ``cli_*``: labels of
  values and options, file metadata, the page and the command line.

Labels of layer codes (object kinds, facility kinds, scenarios, statuses)
come from the layer specs.

Examples
--------
>>> worklist_text("kind_graffiti", "sv"), worklist_text("kind_graffiti", "en")
('Klotter', 'Graffiti')
>>> heading("graffiti", "hours_to_removal", "sv")
'Timmar till sanering'
>>> value_label("flood", "scenario", "flode_200", "sv")
'200-årsflöde'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from geo.i18n import check_language
from layers import get_spec

WORKLIST_TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    # -- kinds and lists -------------------------------------------------------------
    "kind_lighting": ("Belysning", "Lighting"),
    "kind_graffiti": ("Klotter", "Graffiti"),
    "kind_cameras": ("Kameror", "Cameras"),
    "kind_flood": ("Översvämning", "Flooding"),
    "list_lighting_places": ("Platser att belysa", "Places to light"),
    "list_lighting_faults": ("Öppna belysningsfel", "Open lamp faults"),
    "list_lighting_repairs": ("Tid till åtgärd av belysningsfel per månad",
                              "Time to repair lamp faults per month"),
    "list_graffiti_queue": ("Klotter att sanera", "Graffiti to remove"),
    "list_graffiti_compliance": ("Sanering inom 72 timmar per månad och kvartal",
                                 "Removal within 72 hours per month and quarter"),
    "list_graffiti_late": ("Sena saneringar", "Late removals"),
    "list_graffiti_reports": ("Klotteranmälningar under perioden", "Graffiti reports in the period"),
    "list_cameras_candidates": ("Hot spots utan kamera (förslag på platser)",
                                "Hot spots without a camera (candidate sites)"),
    "list_cameras_permits": ("Kameratillstånd som löper ut", "Camera permits running out"),
    "list_cameras_coverage": ("Kamerornas bevakningssektorer", "Camera view sectors"),
    "list_flood_facilities": ("Verksamheter i eller nära översvämningszon – {scenario}",
                              "Facilities in or near a flood zone – {scenario}"),
    "list_flood_areas": ("Andel av varje område som översvämmas", "Share of each area that floods"),
    "list_flood_exposure": ("Exponering per verksamhetstyp (krisplan)",
                            "Exposure per facility kind (crisis plan)"),
    "sheet_lighting_places": ("Platser att belysa", "Places to light"),
    "sheet_lighting_faults": ("Öppna fel", "Open faults"),
    "sheet_lighting_repairs": ("Tid till åtgärd", "Time to repair"),
    "sheet_graffiti_queue": ("Saneringskö", "Removal queue"),
    "sheet_graffiti_compliance": ("Uppföljning 72 h", "72 h follow-up"),
    "sheet_graffiti_late": ("Sena saneringar", "Late removals"),
    "sheet_graffiti_reports": ("Anmälningar", "Reports"),
    "sheet_cameras_candidates": ("Kameraförslag", "Candidate sites"),
    "sheet_cameras_permits": ("Tillstånd", "Permits"),
    "sheet_cameras_coverage": ("Bevakning", "Coverage"),
    "sheet_flood_facilities": ("Verksamheter {scenario}", "Facilities {scenario}"),
    "sheet_flood_areas": ("Områden", "Areas"),
    "sheet_flood_exposure": ("Exponering", "Exposure"),
    "scenario_short_skyfall_100": ("100-årsregn", "100-year rain"),
    "scenario_short_flode_200": ("200-årsflöde", "200-year flow"),
    "scenario_short_bhf": ("BHF", "BHF"),
    # -- headings ----------------------------------------------------------------------
    "col_rank": ("Rang", "Rank"),
    "col_why": ("Varför", "Why"),
    "col_x": ("X (SWEREF 99 TM)", "X (SWEREF 99 TM)"),
    "col_y": ("Y (SWEREF 99 TM)", "Y (SWEREF 99 TM)"),
    "col_id": ("Id", "Id"),
    "col_name": ("Namn", "Name"),
    "col_status": ("Status", "Status"),
    "col_description": ("Beskrivning", "Description"),
    "col_place_id": ("Plats", "Place"),
    "col_source": ("Underlag", "Source"),
    "col_distance_m": ("Avstånd till fungerande lampa (m)", "Distance to a working lamp (m)"),
    "col_night_incidents": ("Händelser i mörker efter mörkrets inbrott", "Incidents in the dark after dark"),
    "col_lighting_reports": ("Rapporter om otrygghet", "Unsafe-place reports"),
    "col_reports_lighting": ("Varav om belysning", "Of which about lighting"),
    "col_broken_lamps": ("Trasiga lampor i närheten", "Lamps out nearby"),
    "col_score": ("Poäng", "Score"),
    "col_lamp_id": ("Stolpnummer", "Lamp number"),
    "col_fault_reported_at": ("Fel anmält", "Fault reported"),
    "col_age_days": ("Ålder (dagar)", "Age (days)"),
    "col_month": ("Månad", "Month"),
    "col_repairs": ("Åtgärdade fel", "Faults repaired"),
    "col_median_days": ("Median dagar till åtgärd", "Median days to repair"),
    "col_max_days": ("Längsta tid (dagar)", "Longest (days)"),
    "col_object_kind": ("Objekttyp", "Object kind"),
    "col_priority": ("Prioriterat objekt", "Priority object"),
    "col_offensive": ("Kränkande innehåll", "Offensive content"),
    "col_property": ("Fastighet", "Property"),
    "col_reported_at": ("Anmält", "Reported"),
    "col_removed_at": ("Sanerat", "Removed"),
    "col_deadline_hours": ("Frist (h)", "Deadline (h)"),
    "col_deadline_at": ("Sanera senast", "Remove by"),
    "col_hours_open": ("Öppen (h)", "Open (h)"),
    "col_hours_left": ("Timmar kvar", "Hours left"),
    "col_hours_late": ("Timmar försenad", "Hours late"),
    "col_hours_to_removal": ("Timmar till sanering", "Hours to removal"),
    "col_within_72h": ("Inom {deadline} h", "Within {deadline} h"),
    "col_within_deadline": ("Inom egen frist", "Within own deadline"),
    "col_period_kind": ("Periodtyp", "Period kind"),
    "col_period": ("Period", "Period"),
    "col_graffiti_reports": ("Anmälningar", "Reports"),
    "col_removed": ("Sanerade", "Removed"),
    "col_removed_within_72h": ("Sanerade inom {deadline} h", "Removed within {deadline} h"),
    "col_removed_late": ("Sanerade för sent", "Removed late"),
    "col_open_overdue": ("Öppna, försenade", "Open, overdue"),
    "col_open_pending": ("Öppna, inom frist", "Open, not yet due"),
    "col_share_within_72h": ("Andel inom {deadline} h", "Share within {deadline} h"),
    "col_share_within_deadline": ("Andel inom egen frist", "Share within own deadline"),
    "col_unit_id": ("Ruta/område", "Cell/area"),
    "col_gi_class": ("Hot spot-klass", "Hot spot class"),
    "col_gi_z": ("Gi* z-värde", "Gi* z-score"),
    "col_incidents": ("Händelser under perioden", "Incidents in the period"),
    "col_camera_share": ("Andel kamerabevakad yta", "Share of area in camera view"),
    "col_nearest_camera_m": ("Närmaste aktiva kamera (m)", "Nearest active camera (m)"),
    "col_permit_valid_until": ("Tillstånd gäller till", "Permit valid until"),
    "col_days_left": ("Dagar kvar", "Days left"),
    "col_direction_deg": ("Riktning (grader)", "Direction (degrees)"),
    "col_angle_deg": ("Öppningsvinkel (grader)", "Opening angle (degrees)"),
    "col_range_m": ("Räckvidd (m)", "Range (m)"),
    "col_sector_area_m2": ("Bevakad yta (m²)", "Area in view (m²)"),
    "col_hotspots_seen": ("Hot spots i sektorn", "Hot spots in view"),
    "col_scenario": ("Scenario", "Scenario"),
    "col_kind": ("Typ", "Kind"),
    "col_critical": ("Samhällsviktig", "Critical"),
    "col_reserve_power": ("Reservkraft", "Reserve power"),
    "col_in_zone": ("I zonen", "In the zone"),
    "col_flood_distance_m": ("Avstånd till zon (m)", "Distance to zone (m)"),
    "col_depth_m": ("Vattendjup (m)", "Water depth (m)"),
    "col_code": ("Kod", "Code"),
    "col_area_km2": ("Yta (km²)", "Area (km²)"),
    "col_flooded_km2": ("Översvämmad yta (km²)", "Flooded area (km²)"),
    "col_flooded_share": ("Andel översvämmad", "Share flooded"),
    "col_facilities": ("Verksamheter", "Facilities"),
    "col_exposed": ("Exponerade", "Exposed"),
    "col_critical_exposed": ("Varav samhällsviktiga", "Of which critical"),
    "col_without_reserve_power": ("Samhällsviktiga utan reservkraft", "Critical without reserve power"),
    "col_max_depth_m": ("Största vattendjup (m)", "Largest water depth (m)"),
    # -- values ------------------------------------------------------------------------
    "value_true": ("Ja", "Yes"),
    "value_false": ("Nej", "No"),
    "value_unknown": ("Okänd", "Unknown"),
    "value_unsafe_place": ("Otrygg plats", "Unsafe place"),
    "value_incident_cluster": ("Händelsekluster", "Incident cluster"),
    "value_open": ("Öppen", "Open"),
    "value_removed": ("Sanerad", "Removed"),
    "value_all": ("Alla", "All"),
    "value_month": ("Månad", "Month"),
    "value_quarter": ("Kvartal", "Quarter"),
    "value_hot_99": ("Hot spot 99 %", "Hot spot 99 %"),
    "value_hot_95": ("Hot spot 95 %", "Hot spot 95 %"),
    "value_hot_90": ("Hot spot 90 %", "Hot spot 90 %"),
    "value_not_significant": ("Inte signifikant", "Not significant"),
    "value_cold_90": ("Cold spot 90 %", "Cold spot 90 %"),
    "value_cold_95": ("Cold spot 95 %", "Cold spot 95 %"),
    "value_cold_99": ("Cold spot 99 %", "Cold spot 99 %"),
    # -- why: lighting -----------------------------------------------------------------
    "why_no_lamp": ("ingen fungerande lampa", "no working lamp"),
    "why_distance": ("{m} m till närmaste fungerande lampa", "{m} m to the nearest working lamp"),
    "why_night": ("händelser i mörker efter mörkrets inbrott inom {r} m: {n}",
                  "incidents in unlit spots after dark within {r} m: {n}"),
    "why_night_few": ("händelser i mörker efter mörkrets inbrott inom {r} m: färre än {k}",
                      "incidents in unlit spots after dark within {r} m: fewer than {k}"),
    "why_reports": ("rapporter om otrygghet inom {r} m: {n}, varav om belysning: {lighting}",
                    "unsafe-place reports within {r} m: {n}, about lighting: {lighting}"),
    "why_broken": ("trasiga lampor inom {r} m: {n}", "lamps out within {r} m: {n}"),
    "why_fault": ("felanmäld {date}, dagar öppet: {days}", "reported {date}, days open: {days}"),
    "why_fault_undated": ("trasig, inget datum för felanmälan", "broken, no fault report date"),
    "cluster_description": ("kluster av händelser i mörker efter mörkrets inbrott: {n}",
                            "cluster of incidents in unlit spots after dark: {n}"),
    "option_sun": ("solnedgång till soluppgång", "sunset to sunrise"),
    "option_dark_hours": ("klockan {hours}", "hours {hours}"),
    # -- why: graffiti -----------------------------------------------------------------
    "why_priority": ("prioriterat: {what}", "priority: {what}"),
    "priority_school": ("skola", "school"),
    "priority_preschool": ("förskola", "preschool"),
    "priority_pedestrian_tunnel": ("gångtunnel", "pedestrian tunnel"),
    "priority_near_school": ("nära skola", "near a school"),
    "priority_near_preschool": ("nära förskola", "near a preschool"),
    "why_offensive": ("kränkande innehåll, frist {hours} h", "offensive content, deadline {hours} h"),
    "why_deadline": ("frist {hours} h", "deadline {hours} h"),
    "why_hours_left": ("{hours} h kvar", "{hours} h left"),
    "why_hours_late": ("{hours} h försenad", "{hours} h late"),
    "why_late": ("sanerat efter {hours} h, {over} h efter fristen ({deadline} h)",
                 "removed after {hours} h, {over} h past the deadline ({deadline} h)"),
    # -- why: cameras ------------------------------------------------------------------
    "why_hotspot": ("{cls} (z = {z})", "{cls} (z = {z})"),
    "why_incidents": ("händelser under perioden: {n}", "incidents in the period: {n}"),
    "why_incidents_few": ("händelser under perioden: färre än {k}",
                          "incidents in the period: fewer than {k}"),
    "why_no_camera": ("ingen aktiv kamera", "no active camera"),
    "why_nearest_camera": ("ingen kamera ser mitten, närmaste aktiva kamera {m} m bort",
                           "no camera sees the centre, nearest active camera {m} m away"),
    "why_camera_share": ("{pct} % av ytan bevakas", "{pct} % of the area in view"),
    "why_permit_missing": ("inget tillstånd registrerat", "no permit recorded"),
    "why_permit_expired": ("tillståndet gick ut {date} (dagar sedan: {days})",
                           "the permit ran out on {date} (days ago: {days})"),
    "why_permit_expires": ("tillståndet gäller till {date} (dagar kvar: {days})",
                           "the permit is valid until {date} (days left: {days})"),
    # -- why: flood --------------------------------------------------------------------
    "why_critical": ("samhällsviktig verksamhet", "critical facility"),
    "why_not_critical": ("ej samhällsviktig", "not critical"),
    "why_reserve": ("har reservkraft", "has reserve power"),
    "why_no_reserve": ("saknar reservkraft", "no reserve power"),
    "why_reserve_unknown": ("reservkraft okänd", "reserve power unknown"),
    "why_in_zone": ("i zonen eller på dess kant", "in the zone or on its edge"),
    "why_near_zone": ("{m} m från zonen", "{m} m from the zone"),
    "why_depth": ("vattendjup {m} m", "water depth {m} m"),
    # -- metadata, options ------------------------------------------------------------
    "meta_list_date": ("Listans datum: {date}", "Date of the list: {date}"),
    "meta_period": ("Period: {start} – {end}", "Period: {start} – {end}"),
    "meta_audience": ("Målgrupp: {audience}", "Audience: {audience}"),
    "meta_options": ("Inställningar: {options}", "Settings: {options}"),
    "meta_source": ("Trygghetskartan, Järfälla kommun", "Trygghetskartan, Järfälla municipality"),
    "meta_title": ("{title} – {date}", "{title} – {date}"),
    "audience_public": ("allmänheten", "the public"),
    "audience_staff": ("kommunens personal", "municipal staff"),
    "audience_protected": ("behörig personal (skyddade uppgifter)", "authorised staff (protected data)"),
    "opt_dark": ("mörker", "after dark"),
    "opt_dark_threshold_m": ("mörkt bortom (m)", "dark beyond (m)"),
    "opt_radius_m": ("radie (m)", "radius (m)"),
    "opt_deadline_hours": ("frist (h)", "deadline (h)"),
    "opt_offensive_hours": ("frist kränkande (h)", "deadline offensive (h)"),
    "opt_per_kind": ("frist per objekttyp (h)", "deadline per object kind (h)"),
    "opt_facility_m": ("nära skola/förskola (m)", "near a school/preschool (m)"),
    "opt_unit": ("indelning", "units"),
    "opt_min_confidence": ("lägsta konfidens (%)", "lowest confidence (%)"),
    "opt_months": ("tillstånd inom (månader)", "permits within (months)"),
    "opt_distance_m": ("avstånd till zon (m)", "distance to zone (m)"),
    "opt_scenarios": ("scenarier", "scenarios"),
    "opt_area_kind": ("områden", "areas"),
    "empty_list": ("Listan är tom.", "The list is empty."),
    # -- page --------------------------------------------------------------------------
    "page_title": ("Arbetslistor", "Work lists"),
    "page_caption": (
        "Rangordnade listor för tekniska nämnden och krisberedskapen: belysning (åtgärd 9), "
        "klotter inom 72 timmar (7), kameror (6) och översvämning (37, 38).",
        "Ranked lists for the technical committee and crisis planning: lighting (action 9), "
        "graffiti within 72 hours (7), cameras (6) and flooding (37, 38).",
    ),
    "page_list_date": ("Listans datum", "Date of the list"),
    "page_period": ("Period för händelser och uppföljning: {start} – {end}",
                    "Period of incidents and follow-up: {start} – {end}"),
    "page_audience_note": ("Listorna är interna (kommunens personal).",
                           "The lists are internal (municipal staff)."),
    "page_download_xlsx": ("Ladda ner Excel", "Download Excel"),
    "page_download_csv": ("Ladda ner CSV", "Download CSV"),
    "page_store_unavailable": ("Datalagret kunde inte läsas: {error}",
                               "The store could not be read: {error}"),
    "page_list_failed": ("Listan kunde inte tas fram: {error}", "The list could not be made: {error}"),
    "metric_places": ("Platser att belysa", "Places to light"),
    "metric_faults": ("Öppna belysningsfel", "Open lamp faults"),
    "metric_open_graffiti": ("Öppna klotteranmälningar", "Open graffiti reports"),
    "metric_overdue": ("Varav försenade", "Of which overdue"),
    "metric_share_month": ("Inom 72 h, {period}", "Within 72 h, {period}"),
    "metric_share_quarter": ("Inom 72 h, {period}", "Within 72 h, {period}"),
    "metric_candidates": ("Hot spots utan kamera", "Hot spots without a camera"),
    "metric_permits": ("Tillstånd som löper ut", "Permits running out"),
    "metric_exposed": ("Exponerade verksamheter ({scenario})", "Exposed facilities ({scenario})"),
    "metric_critical_no_power": ("Samhällsviktiga utan reservkraft", "Critical without reserve power"),
    # -- command line ------------------------------------------------------------------
    "cli_written": ("Skrev {kind} ({date}) till {paths}.", "Wrote {kind} ({date}) to {paths}."),
    "cli_list_line": ("  {title}: {n} rader", "  {title}: {n} rows"),
}

_LAYER_VALUES: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType(
    {
        ("lighting", "status"): ("lighting", "status"),
        ("cameras", "status"): ("cameras", "status"),
        ("graffiti", "object_kind"): ("graffiti", "object_kind"),
        ("flood", "kind"): ("facilities", "kind"),
        ("flood", "scenario"): ("flood_risk", "scenario"),
    }
)
"""(kind, column) → (layer, column) whose spec choices label the values."""

_OWN_VALUES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "source": frozenset({"unsafe_place", "incident_cluster"}),
        "status": frozenset({"open", "removed"}),
        "object_kind": frozenset({"all"}),
        "period_kind": frozenset({"month", "quarter"}),
        "gi_class": frozenset({"hot_99", "hot_95", "hot_90", "not_significant", "cold_90", "cold_95",
                               "cold_99"}),
    }
)
"""Columns whose codes are labelled from :data:`WORKLIST_TEXTS` (``value_<code>``)."""

_UNKNOWN_WHEN_MISSING: frozenset[str] = frozenset({"reserve_power"})

__all__ = [
    "WORKLIST_TEXTS",
    "heading",
    "list_title",
    "sheet_name",
    "value_label",
    "worklist_text",
]


def worklist_text(key: str, lang: str = "sv", **values: object) -> str:
    """Return the text ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`WORKLIST_TEXTS`.
    lang : {"sv", "en"}, default "sv"
        The language.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        The text.

    Raises
    ------
    KeyError
        If the key is missing from the table.
    ValueError
        If the language is not supported.

    Examples
    --------
    >>> worklist_text("why_hours_late", "en", hours="5.0")
    '5.0 h late'
    """
    if key not in WORKLIST_TEXTS:
        msg = f"no work-list text {key!r}"
        raise KeyError(msg)
    sv, en = WORKLIST_TEXTS[key]
    text = en if check_language(lang) == "en" else sv
    return text.format(**values) if values else text


def heading(kind: str, column: str, lang: str = "sv", **values: object) -> str:
    """Return the heading of a column of a work list.

    Parameters
    ----------
    kind : str
        The kind of list (``lighting`` …); a heading ``col_<kind>_<column>``
        is preferred to ``col_<column>``.
    column : str
        The column code.
    lang : {"sv", "en"}, default "sv"
        The language.
    **values
        Placeholders, e.g. ``deadline=72`` for ``within_72h``.

    Returns
    -------
    str
        The heading; the code itself when the table has none.

    Examples
    --------
    >>> heading("flood", "distance_m", "en"), heading("lighting", "distance_m", "en")
    ('Distance to zone (m)', 'Distance to a working lamp (m)')
    >>> heading("graffiti", "within_72h", "sv", deadline=72)
    'Inom 72 h'
    """
    values = {"deadline": 72, **values}
    for key in (f"col_{kind}_{column}", f"col_{column}"):
        if key in WORKLIST_TEXTS:
            return worklist_text(key, lang, **values)
    return column


def list_title(kind: str, key: str, lang: str = "sv") -> str:
    """Return the title of a list.

    Parameters
    ----------
    kind : str
        The kind of list.
    key : str
        The list's key (``queue``, ``facilities_flode_200`` …).
    lang : {"sv", "en"}, default "sv"
        The language.

    Returns
    -------
    str
        The title; per-scenario flood lists name their scenario.

    Examples
    --------
    >>> list_title("flood", "facilities_bhf", "en")
    'Facilities in or near a flood zone – Highest computed flow (BHF)'
    """
    base, scenario = _split(kind, key)
    name = f"list_{kind}_{base}"
    if name not in WORKLIST_TEXTS:
        return key
    label = value_label("flood", "scenario", scenario, lang) if scenario else ""
    return worklist_text(name, lang, scenario=label)


def sheet_name(kind: str, key: str, lang: str = "sv") -> str:
    """Return the XLSX sheet name of a list (at most 31 characters, no ``[]:*?/`` or backslash).

    Parameters
    ----------
    kind : str
        The kind of list.
    key : str
        The list's key.
    lang : {"sv", "en"}, default "sv"
        The language.

    Returns
    -------
    str
        The sheet name.

    Examples
    --------
    >>> sheet_name("flood", "facilities_skyfall_100", "sv")
    'Verksamheter 100-årsregn'
    """
    base, scenario = _split(kind, key)
    name = f"sheet_{kind}_{base}"
    short = worklist_text(f"scenario_short_{scenario}", lang) if scenario else ""
    text = worklist_text(name, lang, scenario=short) if name in WORKLIST_TEXTS else key
    for bad in "[]:*?/\\":
        text = text.replace(bad, "-")
    return text[:31]


def value_label(kind: str, column: str, value: object, lang: str = "sv") -> str:
    """Return a cell as people read it: labels for codes, Ja/Nej for booleans.

    Parameters
    ----------
    kind : str
        The kind of list (statuses differ between lamps and cameras).
    column : str
        The column code.
    value : object
        The stored value.
    lang : {"sv", "en"}, default "sv"
        The language.

    Returns
    -------
    str
        The label; ``""`` for a missing value (``"Okänd"`` for unknown
        reserve power); the value as text when it has no label.

    Examples
    --------
    >>> value_label("graffiti", "object_kind", "pedestrian_tunnel", "sv")
    'Gångtunnel'
    >>> value_label("flood", "reserve_power", None, "en"), value_label("flood", "critical", True, "sv")
    ('Unknown', 'Ja')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return worklist_text("value_unknown", lang) if column in _UNKNOWN_WHEN_MISSING else ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return worklist_text("value_true" if value else "value_false", lang)
    text = str(value)
    if column in _OWN_VALUES and text in _OWN_VALUES[column]:
        return worklist_text(f"value_{text}", lang)
    layer = _LAYER_VALUES.get((kind, column))
    if layer is not None:
        for choice in get_spec(layer[0]).column(layer[1]).choices:
            if choice.code == text:
                return choice.en if check_language(lang) == "en" else choice.sv
    return text


def _split(kind: str, key: str) -> tuple[str, str]:
    """``facilities_flode_200`` → (``facilities``, ``flode_200``) for flood; else (key, "")."""
    if kind == "flood" and key.startswith("facilities_"):
        return "facilities", key.removeprefix("facilities_")
    return key, ""
