"""Labels of the work lists built on :func:`geo.i18n.t`: headings, list titles, sheet names, cell values.

The work lists' texts are in the one translation table :data:`geo.i18n.TEXTS`
under the prefix ``worklists.`` (written in :mod:`geo.i18n.worklists`); code
reads them with ``t("worklists.<key>", lang)``. Keys:

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
>>> from geo.i18n import t
>>> t("worklists.kind_graffiti", "sv"), t("worklists.kind_graffiti", "en")
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

from geo.i18n import TEXTS, check_language, t
from layers import get_spec

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
"""Columns whose codes are labelled from the table (``worklists.value_<code>``)."""

_UNKNOWN_WHEN_MISSING: frozenset[str] = frozenset({"reserve_power"})

__all__ = [
    "heading",
    "list_title",
    "sheet_name",
    "value_label",
]


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
        if f"worklists.{key}" in TEXTS:
            return t(f"worklists.{key}", lang, **values)
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
    if f"worklists.{name}" not in TEXTS:
        return key
    label = value_label("flood", "scenario", scenario, lang) if scenario else ""
    return t(f"worklists.{name}", lang, scenario=label)


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
    short = t(f"worklists.scenario_short_{scenario}", lang) if scenario else ""
    text = t(f"worklists.{name}", lang, scenario=short) if f"worklists.{name}" in TEXTS else key
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
        return t("worklists.value_unknown", lang) if column in _UNKNOWN_WHEN_MISSING else ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return t("worklists.value_true" if value else "worklists.value_false", lang)
    text = str(value)
    if column in _OWN_VALUES and text in _OWN_VALUES[column]:
        return t(f"worklists.value_{text}", lang)
    layer = _LAYER_VALUES.get((kind, column))
    if layer is not None:
        for choice in get_spec(layer[0]).column(layer[1]).choices:
            if choice.code == text:
                return choice.label(check_language(lang))
    return text


def _split(kind: str, key: str) -> tuple[str, str]:
    """``facilities_flode_200`` → (``facilities``, ``flode_200``) for flood; else (key, "")."""
    if kind == "flood" and key.startswith("facilities_"):
        return "facilities", key.removeprefix("facilities_")
    return key, ""
