r"""Interface texts in Swedish (default) and English, from one table.

Every text is read one way: :func:`t` with its key in :data:`TEXTS`.
Shared texts have plain keys (``"layers"``); a part's texts, written in its
own module here (:mod:`geo.i18n.actions`, :mod:`geo.i18n.walks`,
:mod:`geo.i18n.lagesbild` …), are merged in under the part's prefix
(``"actions.col_status"``, ``"indicator.gi_z"``). There is no fallback from a
part's key to a shared one: the key says where the text is. Layer names,
column headings and category labels come from the layer specs
(:mod:`layers`, ``spec.label(lang)``); everything else the user reads is
here. Numbers and dates are formatted the Swedish way in Swedish
(:func:`format_number`, :func:`format_date`, :func:`number_marks`).

Examples
--------
>>> t("layers", "en")
'Layers'
>>> t("actions.register_title", "sv", year=2026)
'Åtgärdsregister 2026'
>>> t("walks.err_text_too_long", "sv", limit=500, n=612)
'Texten är för lång: 612 tecken, högst 500.'
>>> format_number(84000.5, "sv", decimals=1)
'84\xa0000,5'
"""

from __future__ import annotations

import os

import pandas as pd

from geo.i18n.actions import ACTION_TEXTS
from geo.i18n.imports import (
    IMPORT_CLI_TEXTS,
    IMPORT_NOTES_TEXTS,
    IMPORT_PAGE_TEXTS,
    IMPORT_REPORT_TEXTS,
    IMPORT_ROW_TEXTS,
)
from geo.i18n.lagesbild import (
    FACTOR_TEXTS,
    INDICATOR_TEXTS,
    LAGESBILD_FILE_TEXTS,
    UNIT_KIND_TEXTS,
    WEEKDAY_TEXTS,
)
from geo.i18n.law_report import LAW_REPORT_TEXTS
from geo.i18n.printmap import PRINT_TEXTS
from geo.i18n.store import STORE_TEXTS
from geo.i18n.walks import WALK_TEXTS
from geo.i18n.worklists import WORKLIST_TEXTS

LANGUAGES: tuple[str, ...] = ("sv", "en")
#: Each language's name in itself, for the language choice.
LANGUAGE_NAMES: dict[str, str] = {"sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE: str = os.environ.get("TRYGGHETSKARTAN_LANG", "sv")

TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    "app_title": ("Trygghetskartan", "Trygghetskartan (safety map)"),
    "app_subtitle": (
        "Järfälla kommun · 77-punktsprogrammet för trygghet och säkerhet",
        "Järfälla municipality · the 77-point programme for safety and security",
    ),
    "language": ("Språk", "Language"),
    "layers": ("Lager", "Layers"),
    "layer": ("Lager", "Layer"),
    "name": ("Namn", "Name"),
    "count": ("Antal", "Count"),
    "time_span": ("Tidsperiod", "Time span"),
    "crs": ("Koordinatsystem", "CRS"),
    "sensitivity": ("Känslighet", "Sensitivity"),
    "actions": ("Åtgärder", "Actions"),
    "geometry": ("Geometri", "Geometry"),
    "fields": ("Fält", "Fields"),
    "required": ("obligatoriskt", "required"),
    "allowed_values": ("tillåtna värden", "allowed values"),
    "open": ("öppen", "open"),
    "internal": ("intern", "internal"),
    "protected": ("skyddad", "protected"),
    "store": ("Datalager", "Store"),
    "no_layers": ("Datalagret har inga lager ännu.", "The store has no layers yet."),
    "store_missing": (
        "Inget datalager hittades på {path}. Skapa demodata med: trygghetskartan demo --store {path}",
        "No store found at {path}. Create demo data with: trygghetskartan demo --store {path}",
    ),
    "demo_done": ("Demodata skrivet till {path}.", "Demo data written to {path}."),
    "export_done": (
        "Skrev {n} objekt till {path} ({crs}).",
        "Wrote {n} features to {path} ({crs}).",
    ),
    "export_withheld": (
        "{n} objekt i skyddade kategorier utelämnades (visas bara som aggregat).",
        "{n} features in protected categories were left out (shown only as aggregates).",
    ),
    "error": ("fel", "error"),
    "map": ("Karta", "Map"),
    "import_data": ("Importera data", "Import data"),
    "report_page": ("Tipsa om en otrygg plats", "Report an unsafe place"),
    "walks_page": ("Trygghetsvandringar", "Safety walks"),
    "moderation_page": ("Granska rapporter", "Review reports"),
    "worklists": ("Arbetslistor", "Work lists"),
    "login_required": (
        "Den här sidan visar interna uppgifter. Logga in som personal i sidomenyn.",
        "This page shows internal data. Log in as staff in the sidebar.",
    ),
    "user_saved": ("Användaren {user} sparad i {path}.", "User {user} saved in {path}."),
    "login": ("Logga in (personal)", "Log in (staff)"),
    "logout": ("Logga ut", "Log out"),
    "username": ("Användarnamn", "User name"),
    "password": ("Lösenord", "Password"),
    "login_failed": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "login_locked": (
        "För många misslyckade inloggningar. Försök igen om {minutes} min.",
        "Too many failed logins. Try again in {minutes} min.",
    ),
    "logged_out_idle": (
        "Du loggades ut efter {minutes} minuter utan aktivitet.",
        "You were logged out after {minutes} minutes without activity.",
    ),
    "logged_in_as": ("Inloggad: {name} ({role})", "Logged in: {name} ({role})"),
    "login_oidc": ("Logga in med kommunens konto", "Log in with the municipality's account"),
    "oidc_no_role": (
        "Ditt konto har ingen roll i Trygghetskartan: du ser samma vy som allmänheten.",
        "Your account has no role in Trygghetskartan: you see the same view as the public.",
    ),
    "role_public": ("allmänheten", "the public"),
    "role_staff": ("personal", "staff"),
    "role_protected": ("personal med behörighet till skyddade uppgifter", "staff cleared for protected data"),
    "access_denied": (
        "Den här åtgärden kräver inloggning som {role}.",
        "This needs a login as {role}.",
    ),
    "audience_staff": ("Personalvy", "Staff view"),
    "audience_protected": ("Skyddad vy – visningar loggas", "Protected view – views are logged"),
    "incidents_total": ("Händelser", "Incidents"),
    "hotspot_units": ("Hot spots", "Hot spots"),
    "top5_share": ("Andel i de 5 % mest utsatta enheterna", "Share in the top 5 % of units"),
    "top20_share": ("Andel i de 20 % mest utsatta enheterna", "Share in the top 20 % of units"),
    "change_note": (
        "Förändring mot föregående period av samma längd. "
        "Procent visas inte när föregående antal är under 5.",
        "Change against the previous period of equal length. "
        "No percentage when the previous count is below 5.",
    ),
    "chart_indicator": ("Diagram: indikator", "Chart: indicator"),
    "provenance": ("Källor och täckning", "Sources and coverage"),
    "download_xlsx": ("Ladda ned lägesbilden (XLSX)", "Download the lägesbild (XLSX)"),
    "download_csv": ("Ladda ned (CSV)", "Download (CSV)"),
    "snapshots": ("Ögonblicksbilder", "Snapshots"),
    "snapshot_name": ("Namn på ögonblicksbilden", "Snapshot name"),
    "save_snapshot": ("Spara ögonblicksbild", "Save snapshot"),
    "snapshot_before": ("Före", "Before"),
    "snapshot_after": ("Efter", "After"),
    "export": ("Export", "Export"),
    "export_files": ("Lager och lägesbild som fil", "Layers and the lägesbild as files"),
    "file_format": ("Filformat", "File format"),
    "download": ("Ladda ned", "Download"),
    "print_map": ("Utskriftskarta (PNG/PDF)", "Printable map (PNG/PDF)"),
    "print_title": ("Rubrik", "Title"),
    "make_print_map": ("Skapa utskriftskarta", "Make the printable map"),
    "making_print_map": ("Ritar kartan …", "Drawing the map …"),
    "print_default_title": ("Lägesbild Järfälla", "Situation picture Järfälla"),
    "filters": ("Urval", "Filters"),
    "unit_kind": ("Indelning", "Geography"),
    "period": ("Period", "Period"),
    "limit_hours": ("Begränsa tid på dygnet", "Limit time of day"),
    "from_hour": ("Från kl.", "From hour"),
    "to_hour": ("Till kl.", "To hour"),
    "weekdays": ("Veckodagar (tomt = alla)", "Weekdays (empty = all)"),
    "categories": ("Kategorier (tomt = alla)", "Categories (empty = all)"),
    "weights": ("Vikter i sammanvägt index", "Composite index weights"),
    "indicator": ("Visa indikator", "Show indicator"),
    "show_layers": ("Lager på kartan", "Layers on the map"),
    "heatmap_toggle": ("Värmekarta (ej statistiskt testad)", "Heat map (not statistically tested)"),
    "basemap": ("Bakgrundskarta", "Basemap"),
    "table_units": ("Enheter efter sammanvägt index", "Units by composite index"),
    "zoom_hint": (
        "De {shown} av {total} enheter som har högst sammanvägt index (alla finns på sidan Lägesbild). "
        "– betyder dolt (1–{k_minus} händelser) eller odefinierat. "
        "Klicka på en rad för att zooma kartan dit.",
        "The {shown} of {total} units with the highest composite index (the Lägesbild page has them all). "
        "– means suppressed (1–{k_minus} incidents) or undefined. Click a row to zoom the map there.",
    ),
    "lagesbild": ("Lägesbild", "Situation picture"),
    "unit": ("Enhet", "Unit"),
    "drivers": ("Drivande faktorer", "Driving factors"),
    "suppressed": ("dolt", "suppressed"),
    "sort_by": ("Sortera efter", "Sort by"),
    "table_top_note": (
        "Visar de {shown} av {total} enheter som ligger högst på {indicator}; hela tabellen finns i "
        "Excel-filen nedan. – betyder dolt (1–{k_minus} händelser) eller odefinierat.",
        "Showing the {shown} of {total} units highest on {indicator}; the whole table is in the Excel "
        "file below. – means suppressed (1–{k_minus} incidents) or undefined.",
    ),
    "no_value": ("inget värde (dolt eller odefinierat)", "no value (suppressed or undefined)"),
    "legend_quantiles": (
        "Kvantilklasser: ungefär lika många enheter per färg.",
        "Quantile classes: about as many units per colour.",
    ),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "hotspots_layer": ("Hot spots (Gi*, statistiskt testade)", "Hot spots (Gi*, statistically tested)"),
    "hotspot_class": ("Klass", "Class"),
    "heatmap_layer": (
        "Värmekarta (täthet, ej statistiskt testad)",
        "Heat map (density, not statistically tested)",
    ),
    "gi_hot_99": ("Hot spot 99 %", "Hot spot 99 %"),
    "gi_hot_95": ("Hot spot 95 %", "Hot spot 95 %"),
    "gi_hot_90": ("Hot spot 90 %", "Hot spot 90 %"),
    "gi_cold_99": ("Cold spot 99 %", "Cold spot 99 %"),
    "gi_cold_95": ("Cold spot 95 %", "Cold spot 95 %"),
    "gi_cold_90": ("Cold spot 90 %", "Cold spot 90 %"),
    "gi_not_significant": ("Ej signifikant", "Not significant"),
    "reading_store": ("Läser {path} …", "Reading {path} …"),
    "lagesbild_done": (
        "Lägesbild med {n} enheter skriven till {path}.",
        "Lägesbild with {n} units written to {path}.",
    ),
    "lagesbild_suppressed": (
        "{n} enheter med färre än {k} händelser visas som dolda (röjandeskydd).",
        "{n} units with fewer than {k} incidents are suppressed (disclosure control).",
    ),
    "snapshot_saved": ("Sparad som ögonblicksbild {name!r}.", "Saved as snapshot {name!r}."),
    "no_snapshots": ("Inga ögonblicksbilder sparade ännu.", "No snapshots saved yet."),
    "compare_done": (
        "Jämförelse {before} → {after} skriven till {path}.",
        "Comparison {before} → {after} written to {path}.",
    ),
    "action_register": ("Åtgärdsregister", "Action register"),
    "incidents_per_cell": ("Händelser per 250 m-ruta", "Incidents per 250 m cell"),
    "suppressed_note": (
        "Rutor med 1–{k_minus} händelser visas inte (röjandeskydd).",
        "Cells with 1–{k_minus} incidents are not shown (disclosure control).",
    ),
    "audience_public": ("Allmän vy", "Public view"),
    "layers_shown": ("Visade lager", "Layers shown"),
    "layer_not_public": (
        "{layer} är internt och visas inte i den allmänna vyn.",
        "{layer} is internal and not shown in the public view.",
    ),
    "actions_followed": ("Följer upp åtgärd {actions}", "Follows up action {actions}"),
    "legend": ("Teckenförklaring", "Legend"),
    "kommun_level_note": (
        "{n} händelser har bara kommun som läge och räknas inte i rutor.",
        "{n} incidents are located only to the municipality and are not counted in cells.",
    ),
    "source_note": (
        "Källa: Trygghetskartans datalager ({path}), uppdaterat {date}.",
        "Source: the Trygghetskartan store ({path}), updated {date}.",
    ),
}


#: The parts' texts, merged into this one table under a prefix ("actions.col_status"); read them with t.
NAMESPACES: dict[str, dict[str, tuple[str, str]]] = {
    "actions": ACTION_TEXTS,
    "worklists": WORKLIST_TEXTS,
    "walks": WALK_TEXTS,
    "printmap": PRINT_TEXTS,
    "import_cli": IMPORT_CLI_TEXTS,
    "import_notes": IMPORT_NOTES_TEXTS,
    "import_page": IMPORT_PAGE_TEXTS,
    "import_report": IMPORT_REPORT_TEXTS,
    "import_rows": IMPORT_ROW_TEXTS,
    "store": STORE_TEXTS,
    "law_report": LAW_REPORT_TEXTS,
    "indicator": INDICATOR_TEXTS,
    "factor": FACTOR_TEXTS,
    "unit_kinds": UNIT_KIND_TEXTS,
    "weekday": WEEKDAY_TEXTS,
    "lagesbild_file": LAGESBILD_FILE_TEXTS,
}
TEXTS.update({f"{ns}.{key}": pair for ns, table in NAMESPACES.items() for key, pair in table.items()})


def check_language(lang: str) -> str:
    """Return ``lang`` if supported.

    Parameters
    ----------
    lang : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        The language code.

    Raises
    ------
    ValueError
        If the language is not supported.
    """
    if lang not in LANGUAGES:
        msg = f"language {lang!r} is not supported; allowed: {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    return lang


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Return the text ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`TEXTS`.
    lang : {"sv", "en"}
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
    """
    sv, en = TEXTS[key]
    text = en if check_language(lang) == "en" else sv
    return text.format(**values) if values else text


def format_number(value: float, lang: str = DEFAULT_LANGUAGE, *, decimals: int = 0) -> str:
    """Format a number: ``84 000,5`` in Swedish, ``84,000.5`` in English.

    Parameters
    ----------
    value : float
        The number; NaN gives ``"–"``.
    lang : {"sv", "en"}
        The language.
    decimals : int, default 0
        Decimals to show.

    Returns
    -------
    str
        The formatted number (Swedish uses a no-break space for thousands).
    """
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    if check_language(lang) == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def number_marks(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    r"""Return the decimal mark and thousands separator of ``lang``, as ``Styler.format`` takes them.

    Parameters
    ----------
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    dict
        ``decimal`` and ``thousands``: a comma and a no-break space in
        Swedish, a point and a comma in English (as :func:`format_number`).

    Examples
    --------
    >>> number_marks("sv")
    {'decimal': ',', 'thousands': '\xa0'}
    """
    if check_language(lang) == "sv":
        return {"decimal": ",", "thousands": "\u00a0"}
    return {"decimal": ".", "thousands": ","}


def format_date(stamp: pd.Timestamp, lang: str = DEFAULT_LANGUAGE, *, with_time: bool = False) -> str:
    """Format a date as ISO ``2026-03-28`` (the Swedish standard), optionally with time.

    Parameters
    ----------
    stamp : pandas.Timestamp
        The time; NaT gives ``"–"``.
    lang : {"sv", "en"}
        The language (both use ISO dates; English adds the zone name).
    with_time : bool, default False
        Append ``HH:MM``.

    Returns
    -------
    str
        The formatted date.
    """
    if stamp is None or pd.isna(stamp):
        return "–"
    check_language(lang)
    text = stamp.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    if with_time and lang == "en" and stamp.tzinfo is not None:
        text += f" {stamp.tzname()}"
    return text

