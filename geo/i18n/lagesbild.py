"""Texts of the lägesbild: indicators, index factors, filters and file sheets; ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefixes ``indicator.`` (one per
lägesbild column of :data:`geo.analysis.lagesbild.INDICATORS`), ``factor.``
(the composite index's factors, :data:`geo.analysis.composite.FACTORS`),
``unit_kinds.`` and ``weekday.`` (the app's filters) and ``lagesbild_file.``
(the extra sheets of the XLSX file); data only, no imports.
"""

INDICATOR_TEXTS: dict[str, tuple[str, str]] = {
    "incidents": ("Händelser", "Incidents"),
    "incidents_prev": ("Händelser föregående period", "Incidents previous period"),
    "change_abs": ("Förändring", "Change"),
    "change_pct": ("Förändring %", "Change %"),
    "incidents_rate": ("Händelser per 1 000 inv.", "Incidents per 1,000 inhabitants"),
    "gi_z": ("Gi* z-värde", "Gi* z-score"),
    "gi_p": ("Gi* p-värde", "Gi* p-value"),
    "gi_class": ("Hot spot-klass", "Hot spot class"),
    "dark_median_m": ("Avstånd till fungerande belysning (median)", "Distance to working lamp (median)"),
    "dark_share_far": ("Andel långt från belysning", "Share far from lighting"),
    "lamps_broken": ("Trasiga lampor", "Broken lamps"),
    "lamp_faults_open": ("Öppna belysningsfel", "Open lamp faults"),
    "camera_share": ("Andel kamerabevakad yta", "Share of area covered by cameras"),
    "incidents_in_camera_share": ("Andel händelser inom kamerasektor",
                                  "Share of incidents inside camera sectors"),
    "graffiti_reports": ("Klotteranmälningar", "Graffiti reports"),
    "graffiti_open": ("Öppet klotter", "Open graffiti"),
    "graffiti_within_72h_share": ("Andel sanerat inom 72 h", "Share removed within 72 h"),
    "flood_share_max": ("Andel yta i översvämningszon (max scenario)",
                        "Share of area in a flood zone (worst scenario)"),
    "unsafe_places": ("Otrygga platser", "Unsafe places"),
    "composite_index": ("Sammanvägt index", "Composite index"),
}

FACTOR_TEXTS: dict[str, tuple[str, str]] = {
    "incidents": ("Händelser", "Incidents"),
    "hotspot": ("Hot spot (Gi*)", "Hot spot (Gi*)"),
    "darkness": ("Mörker", "Darkness"),
    "broken_lamps": ("Trasiga lampor", "Broken lamps"),
    "graffiti": ("Öppet klotter", "Open graffiti"),
    "unsafe_places": ("Otrygga platser", "Unsafe places"),
    "camera_gap": ("Ej kamerabevakat", "Not covered by cameras"),
    "flood": ("Översvämning", "Flooding"),
}

UNIT_KIND_TEXTS: dict[str, tuple[str, str]] = {
    "grid250": ("Rutor 250 m", "250 m cells"),
    "grid1000": ("Rutor 1 km", "1 km cells"),
    "areas": ("Kommundelar", "Districts"),
}

WEEKDAY_TEXTS: dict[str, tuple[str, str]] = {
    "mon": ("mån", "Mon"),
    "tue": ("tis", "Tue"),
    "wed": ("ons", "Wed"),
    "thu": ("tor", "Thu"),
    "fri": ("fre", "Fri"),
    "sat": ("lör", "Sat"),
    "sun": ("sön", "Sun"),
}

LAGESBILD_FILE_TEXTS: dict[str, tuple[str, str]] = {
    "sheet_indicators": ("indikatorer", "indicators"),
    "sheet_provenance": ("proveniens", "provenance"),
    "sheet_parameters": ("parametrar", "parameters"),
    "col_column": ("kolumn", "column"),
    "col_indicator": ("indikator", "indicator"),
    "col_unit": ("enhet", "unit"),
    "col_action": ("åtgärd", "action"),
    "col_source": ("källa", "source"),
    "col_layer": ("lager", "layer"),
    "col_parameter": ("parameter", "parameter"),
    "col_value": ("värde", "value"),
}
