"""Interface texts of the action register, Swedish and English.

:data:`ACTION_TEXTS` has the same ``key: (svenska, English)`` form as
:data:`geo.i18n.TEXTS`, into which it is meant to be merged; until then
:func:`action_text` reads it, and falls back to :data:`geo.i18n.TEXTS` for
the keys the two share (so the merge changes nothing for callers).

Examples
--------
>>> action_text("status_continuous", "sv"), action_text("status_continuous", "en")
('Löpande', 'Continuous')
>>> action_text("register_title", "sv", year=2026)
'Åtgärdsregister 2026'
"""

from __future__ import annotations

from geo.i18n import DEFAULT_LANGUAGE, TEXTS, check_language

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
    "your_name": ("Ditt namn", "Your name"),
    "name_required": ("Ange ditt namn, så att ändringen kan spåras.",
                      "Enter your name, so that the change can be traced."),
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


def action_text(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Return the text ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`ACTION_TEXTS` (or, failing that, of :data:`geo.i18n.TEXTS`).
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
        If neither table has the key.
    ValueError
        If the language is not supported.

    Examples
    --------
    >>> action_text("col_evidence", "en")
    'Evidence'
    """
    sv, en = ACTION_TEXTS[key] if key in ACTION_TEXTS else TEXTS[key]
    text = en if check_language(lang) == "en" else sv
    return text.format(**values) if values else text
