"""Texts of the live action figures and the law report: ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefix ``law_report.``; data only, no imports.
"""

LAW_REPORT_TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    # -- periods ------------------------------------------------------------------
    "last_12_months": ("senaste 12 mån. till {date}", "last 12 months to {date}"),
    "as_of": ("per {date}", "as of {date}"),
    "quarter": ("kvartal {quarter}", "quarter {quarter}"),
    "not_for_audience": ("visas endast för personal", "shown to staff only"),
    "not_loaded": ("ej inläst", "not loaded"),
    "suppressed": ("undertryckt", "suppressed"),
    # -- figures per action -------------------------------------------------------
    "fig_3": (
        "{hot} hot spot-rutor (99/95 %), {incidents} händelser, {top5} i de 5 % mest belastade rutorna; "
        "{period}",
        "{hot} hot spot cells (99/95 %), {incidents} incidents, {top5} in the 5 % most burdened cells; "
        "{period}",
    ),
    "fig_5": ("{open} öppna trygghetskontor, {planned} planerade; {period}",
              "{open} safety offices open, {planned} planned; {period}"),
    "fig_6": (
        "{covered} av {hot} hot spot-rutor ({share}) inom sektor för kamera i drift; "
        "{cameras} kameror i drift; {period}",
        "{covered} of {hot} hot spot cells ({share}) inside the sector of an active camera; "
        "{cameras} active cameras; {period}",
    ),
    "fig_7": (
        "{share} sanerat inom 72 h under {quarter} ({decided} avgjorda); {open} öppna anmälningar {now}",
        "{share} removed within 72 h in {quarter} ({decided} decided); {open} open reports {now}",
    ),
    "fig_9": (
        "{faults} öppna belysningsfel; {dark} godkända otrygga platser (belysning) mer än {metres} m "
        "från fungerande lampa; {period}",
        "{faults} open lamp faults; {dark} approved unsafe places (lighting) farther than {metres} m "
        "from a working lamp; {period}",
    ),
    "fig_12": ("{open} otillåtna bosättningar ej avvecklade (av {total} observerade); {period}",
               "{open} unauthorised settlements not removed (of {total} observed); {period}"),
    "fig_14": ("{groups} grannsamverkansgrupper, {households} hushåll; {period}",
               "{groups} neighbourhood watch groups, {households} households; {period}"),
    "fig_16": ("{areas} områden med ordningsvakter enligt beslut i kraft; {period}",
               "{areas} areas with security guards under a decision in force; {period}"),
    "fig_28": ("{existing} befintliga och {planned} planerade påkörningsskydd; {period}",
               "{existing} existing and {planned} planned vehicle barriers; {period}"),
    "fig_flood_scenario": ("{scenario}: {value}", "{scenario}: {value}"),
    "fig_26": ("{exposed} verksamheter i zon, varav {critical} samhällsviktiga",
               "{exposed} facilities in a zone, {critical} of them critical"),
    "fig_27": ("{critical} samhällsviktiga i zon", "{critical} critical in a zone"),
    "fig_36": ("{water} vattenverk i zon", "{water} water works in a zone"),
    "fig_37": ("{critical} samhällsviktiga i zon, utan reservkraft {unpowered}",
               "{critical} critical in a zone, without reserve power {unpowered}"),
    "fig_38": ("{unpowered} samhällsviktiga utan reservkraft i zon",
               "{unpowered} critical without reserve power in a zone"),
    "fig_39": ("{care} omsorgsverksamheter i zon", "{care} care facilities in a zone"),
    "fig_flood_tail": ("Verksamheter som når en översvämningsyta, {period}: {parts}",
                       "Facilities reached by a flood zone, {period}: {parts}"),
    "fig_no_flood": ("inga översvämningsytor i lagret; {period}", "no flood zones in the layer; {period}"),
    # -- the law report -----------------------------------------------------------
    "title": (
        "Lägesbild och åtgärdsplan enligt lagen (2023:196) om kommuners ansvar för "
        "brottsförebyggande arbete",
        "Situation picture and action plan under the Act (2023:196) on municipalities' responsibility "
        "for crime prevention",
    ),
    "subtitle": ("Järfälla kommun · underlag från sparad lägesbild {snapshot} och åtgärdsregistret {year}",
                 "Järfälla municipality · from the saved situation picture {snapshot} and the action "
                 "register {year}"),
    "part_mapping": ("1. Kartläggning", "1. Mapping"),
    "part_analysis": ("2. Analys", "2. Analysis"),
    "part_plan": ("3. Åtgärdsplan", "3. Action plan"),
    "mapping_intro": (
        "Kartläggning av brottsligheten och det som påverkar den, från lägesbilden {snapshot}.",
        "Mapping of crime and what drives it, from the situation picture {snapshot}.",
    ),
    "parameters": ("Parametrar", "Parameters"),
    "param_snapshot": ("Lägesbild", "Situation picture"),
    "param_period": ("Period", "Period"),
    "param_previous": ("Jämförelseperiod", "Comparison period"),
    "param_unit": ("Geografi", "Geography"),
    "param_hours": ("Tid på dygnet", "Time of day"),
    "param_weekdays": ("Veckodagar", "Weekdays"),
    "param_categories": ("Kategorier", "Categories"),
    "param_audience": ("Målgrupp", "Audience"),
    "param_created": ("Sparad", "Saved"),
    "all": ("alla", "all"),
    "indicators": ("Indikatorer", "Indicators"),
    "col_indicator": ("Indikator", "Indicator"),
    "col_unit": ("Enhet", "Unit"),
    "col_actions": ("Åtgärd", "Action"),
    "col_source": ("Källa", "Source"),
    "col_total": ("Summa", "Total"),
    "col_mean": ("Medel", "Mean"),
    "col_max": ("Max", "Max"),
    "summary_line": ("{incidents} händelser i {units} enheter; {kommun} händelser utan exakt plats "
                     "(kommunnivå).",
                     "{incidents} incidents in {units} units; {kommun} incidents without an exact "
                     "location (kommun level)."),
    "provenance": ("Källor", "Sources"),
    "col_layer": ("Lager", "Layer"),
    "col_rows": ("Rader", "Rows"),
    "col_first": ("Från", "From"),
    "col_last": ("Till", "To"),
    "col_exact": ("Andel exakt plats", "Exact location share"),
    "col_covers": ("Täcker perioden", "Covers the period"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "hotspots": ("Hot spots och drivande faktorer", "Hot spots and driving factors"),
    "col_unit_id": ("Enhet", "Unit"),
    "col_name": ("Namn", "Name"),
    "col_class": ("Klass", "Class"),
    "col_incidents": ("Händelser", "Incidents"),
    "col_drivers": ("Drivande faktorer", "Driving factors"),
    "no_hotspots": ("Inga hot spots i lägesbilden.", "No hot spots in the situation picture."),
    "concentration": ("Koncentration", "Concentration"),
    "concentration_line": ("{top5} av händelserna i de 5 % mest belastade enheterna, {top20} i de 20 %.",
                           "{top5} of the incidents in the 5 % most burdened units, {top20} in the 20 %."),
    "trend": ("Utveckling mot föregående period", "Trend against the previous period"),
    "trend_line": ("{now} händelser mot {prev} föregående period: {change}.",
                   "{now} incidents against {prev} in the previous period: {change}."),
    "largest_increase": ("Största ökningar", "Largest increases"),
    "col_prev": ("Föregående", "Previous"),
    "col_change": ("Förändring", "Change"),
    "col_change_pct": ("Förändring %", "Change %"),
    "plan_intro": (
        "Åtgärderna i avsnitt 5.1-5.2 och alla åtgärder med kartindikator, med status {year} och "
        "aktuell siffra.",
        "The actions of sections 5.1-5.2 and every action with a map indicator, with their {year} "
        "status and current figure.",
    ),
    "col_nr": ("Nr", "No."),
    "col_action": ("Åtgärd", "Action"),
    "col_responsible": ("Ansvarig", "Responsible"),
    "col_status": ("Status", "Status"),
    "col_comment": ("Kommentar", "Comment"),
    "col_evidence": ("Underlag", "Evidence"),
    "col_figure": ("Aktuell siffra", "Current figure"),
    "page_number": ("Sida {page}", "Page {page}"),
    "unknown_snapshot": ("okänd lägesbild \"{name}\"; sparade: {names}",
                         "unknown situation picture \"{name}\"; saved: {names}"),
    "report_written": ("Skrev rapporten till {path}.", "Wrote the report to {path}."),
    "download_law_report": ("Rapport enligt lag (2023:196)", "Report under the Act (2023:196)"),
    "choose_snapshot": ("Sparad lägesbild", "Saved situation picture"),
    "download_as": ("Ladda ned {fmt}", "Download {fmt}"),
}
