"""Interface texts of the action register: ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefix ``actions.``; data only, no imports.
"""

ACTION_TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    # -- statuses ---------------------------------------------------------------
    "status_not_started": ("Ej påbörjad", "Not started"),
    "status_ongoing": ("Pågår", "Ongoing"),
    "status_done": ("Genomförd", "Done"),
    "status_continuous": ("Löpande", "Continuous"),
    "status_not_applicable": ("Ej aktuell", "Not applicable"),
    # -- column headings ----------------------------------------------------------
    "col_nr": ("Nr", "No."),
    "col_year": ("År", "Year"),
    "col_section": ("Avsnitt", "Section"),
    "col_section_title": ("Avsnittsrubrik", "Section title"),
    "col_text": ("Åtgärd", "Action"),
    "col_responsible": ("Huvudansvarig", "Responsible"),
    "col_status": ("Status", "Status"),
    "col_comment": ("Kommentar", "Comment"),
    "col_evidence": ("Underlag", "Evidence"),
    "col_changed_by": ("Ändrad av", "Changed by"),
    "col_changed_at": ("Ändrad", "Changed"),
    "col_figure": ("Aktuell siffra", "Current figure"),
    "col_count": ("Antal", "Count"),
    "total": ("Totalt", "Total"),
    # -- titles and notes ---------------------------------------------------------
    "register_title": ("Åtgärdsregister {year}", "Action register {year}"),
    "register_page": ("Åtgärdsregister", "Action register"),
    "register_subtitle": (
        "Uppföljning av 77-punktsprogrammet för trygghet och säkerhet i Järfälla kommun",
        "Follow-up of the 77-point programme for safety and security in Järfälla municipality",
    ),
    "summary_sheet": ("Sammanfattning", "Summary"),
    "status_summary": ("Antal åtgärder per status", "Actions per status"),
    "list_date": ("Listans datum: {date}", "Date of the list: {date}"),
    "follow_up_year": ("Uppföljningsår: {year}", "Follow-up year: {year}"),
    "figures_note": (
        "Aktuell siffra: antal objekt i de kartlager åtgärden följs upp från, när listan togs fram.",
        "Current figure: number of features in the map layers the action is followed up from, "
        "when the list was made.",
    ),
    "body_sheet_title": ("{body} – {name}", "{body} – {name}"),
    "section_heading": ("{section}. {title}", "{section}. {title}"),
    "page_number": ("Sida {page}", "Page {page}"),
    "layer_not_loaded": ("ej inläst", "not loaded"),
    # -- page ---------------------------------------------------------------------
    "filters": ("Urval", "Filters"),
    "all": ("Alla", "All"),
    "year": ("År", "Year"),
    "section": ("Avsnitt", "Section"),
    "body": ("Nämnd eller bolag", "Committee or company"),
    "status": ("Status", "Status"),
    "shown_actions": ("{n} av {total} åtgärder visas.", "{n} of {total} actions shown."),
    "set_status": ("Ändra status", "Change status"),
    "action": ("Åtgärd", "Action"),
    "comment": ("Kommentar", "Comment"),
    "evidence": ("Underlag (länk, arbetslista, export, dokument)",
                 "Evidence (link, work list, export, document)"),
    "evidence_snapshot": ("Lägesbild (ögonblicksbild)", "Situation picture (snapshot)"),
    "no_snapshot": ("Ingen", "None"),
    "save": ("Spara", "Save"),
    "status_saved": (
        "Åtgärd {nr} ({year}): status {status} sparad.",
        "Action {nr} ({year}): status {status} saved.",
    ),
    "history": ("Historik", "History"),
    "no_history": ("Ingen uppföljning registrerad för {year} ännu.",
                   "No follow-up recorded for {year} yet."),
    "downloads": ("Ladda ner", "Download"),
    "download_as": ("Ladda ner {fmt}", "Download {fmt}"),
    "store_unavailable": ("Datalagret kan inte öppnas: {error}", "The store cannot be opened: {error}"),
    # -- command line ---------------------------------------------------------------
    "register_written": (
        "Skrev åtgärdsregistret {year} ({n} åtgärder) till {path}.",
        "Wrote the action register {year} ({n} actions) to {path}.",
    ),
    "status_line": ("{counts} – totalt {total}", "{counts} – total {total}"),
}

