"""Interface texts of the safety walks and residents' reports: ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefix ``walks.``; data only, no imports.
"""

WALK_TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    # -- the residents' report page ----------------------------------------------------
    "report_page": ("Tipsa om en otrygg plats", "Report an unsafe place"),
    "report_intro": (
        "Markera platsen på kartan (eller skriv koordinaterna), välj varför den känns otrygg "
        "och beskriv kort. Skriv inte namn, telefonnummer, e-post eller personnummer. "
        "Din rapport granskas av kommunen innan den visas på kartan.",
        "Mark the place on the map (or type its coordinates), choose why it feels unsafe and "
        "describe it briefly. Do not write names, phone numbers, email addresses or personal "
        "identity numbers. The kommun reviews your report before it is shown on the map.",
    ),
    "report_map_hint": (
        "Klicka på kartan för att fylla i koordinaterna.",
        "Click the map to fill in the coordinates.",
    ),
    "latitude": ("Latitud (WGS 84)", "Latitude (WGS 84)"),
    "longitude": ("Longitud (WGS 84)", "Longitude (WGS 84)"),
    "reason": ("Orsak", "Reason"),
    "report_text": ("Beskrivning (högst {limit} tecken)", "Description (at most {limit} characters)"),
    "report_submit": ("Skicka rapport", "Send report"),
    "report_thanks": (
        "Tack! Rapporten är mottagen och granskas innan den visas på kartan.",
        "Thank you! The report has been received and is reviewed before it is shown on the map.",
    ),
    "report_no_personal": (
        "Vi frågar inte efter namn eller kontaktuppgifter och sparar inga.",
        "We do not ask for names or contact details and store none.",
    ),
    # -- moderation -------------------------------------------------------------------
    "moderation_page": ("Granska rapporter", "Review reports"),
    "staff_only": (
        "Sidan är för kommunens personal. Logga in i sidofältet.",
        "This page is for kommun staff. Log in in the sidebar.",
    ),
    "moderation_intro": (
        "Invånarnas rapporter visas inte förrän de godkänts här. Godkända blir otrygga platser "
        "(källa: invånarrapport); avvisade visas aldrig.",
        "Residents' reports are not shown until approved here. Approved reports become unsafe "
        "places (source: resident report); rejected ones are never shown.",
    ),
    "queue_empty": ("Inga rapporter väntar på granskning.", "No reports are waiting for review."),
    "queue_count": ("{n} rapporter väntar på granskning.", "{n} reports are waiting for review."),
    "approve": ("Godkänn", "Approve"),
    "reject": ("Avvisa", "Reject"),
    "approved_msg": ("Rapport {report_id} godkänd.", "Report {report_id} approved."),
    "rejected_msg": ("Rapport {report_id} avvisad.", "Report {report_id} rejected."),
    "moderated_history": ("Granskade rapporter", "Reviewed reports"),
    "col_report": ("Rapport", "Report"),
    "col_reason": ("Orsak", "Reason"),
    "col_text": ("Text", "Text"),
    "col_submitted": ("Inkom", "Received"),
    "col_lat": ("Lat", "Lat"),
    "col_lon": ("Lon", "Lon"),
    "col_status": ("Status", "Status"),
    "col_moderated_by": ("Granskad av", "Reviewed by"),
    "col_moderated_at": ("Granskad", "Reviewed at"),
    "status_new": ("Väntar", "Waiting"),
    "status_approved": ("Godkänd", "Approved"),
    "status_rejected": ("Avvisad", "Rejected"),
    # -- walks page -------------------------------------------------------------------
    "walks_page": ("Trygghetsvandringar", "Safety walks"),
    "walks_intro": (
        "Registrera vandringen med rutt, deltagare och fynd, publicera fynden som otrygga "
        "platser, följ upp varje fynd till beslut och ladda ned protokollet.",
        "Register the walk with route, participants and findings, publish the findings as "
        "unsafe places, follow every finding to a decision and download the protocol.",
    ),
    "tab_new": ("Ny vandring", "New walk"),
    "tab_walks": ("Vandringar och beslut", "Walks and decisions"),
    "tab_overdue": ("Fynd utan beslut", "Findings without decision"),
    "walk_date": ("Datum", "Date"),
    "walk_area": ("Område", "Area"),
    "walk_note": ("Anteckning", "Note"),
    "participants": ("Deltagare per roll", "Participants by role"),
    "route": ("Rutt", "Route"),
    "route_text": (
        "Rutt som WKT (SWEREF 99 TM) eller GeoJSON (WGS 84)",
        "Route as WKT (SWEREF 99 TM) or GeoJSON (WGS 84)",
    ),
    "route_file": ("…eller ladda upp en fil (.geojson, .json, .wkt, .txt)",
                   "…or upload a file (.geojson, .json, .wkt, .txt)"),
    "route_drawn": ("…eller rita rutten som en linje på kartan", "…or draw the route as a line on the map"),
    "route_from_drawing": ("Rutten från kartan används.", "The route drawn on the map is used."),
    "findings": ("Fynd", "Findings"),
    "findings_hint": (
        "Ett fynd per rad, i ordning längs rutten; position som latitud/longitud (WGS 84).",
        "One finding per row, in order along the route; position as latitude/longitude (WGS 84).",
    ),
    "save_walk": ("Spara vandringen", "Save the walk"),
    "walk_saved": ("Vandringen {walk_id} sparad med {n} fynd.", "Walk {walk_id} saved with {n} findings."),
    "walk_problems": ("Vandringen sparades inte:", "The walk was not saved:"),
    "no_walks": ("Inga vandringar registrerade ännu.", "No walks registered yet."),
    "pick_walk": ("Vandring", "Walk"),
    "publish": ("Publicera fynden som otrygga platser", "Publish the findings as unsafe places"),
    "published_on": ("Publicerad {date}.", "Published {date}."),
    "not_published": (
        "Inte publicerad: fynden finns ännu inte i lagret Otrygga platser.",
        "Not published: the findings are not yet in the Unsafe places layer.",
    ),
    "published_msg": ("{n} fynd publicerade som otrygga platser.",
                      "{n} findings published as unsafe places."),
    "decision_form": ("Beslut för ett fynd", "Decision on a finding"),
    "finding": ("Fynd", "Finding"),
    "responsible": ("Ansvarig nämnd/bolag", "Responsible committee/company"),
    "decision": ("Beslut", "Decision"),
    "decided_on": ("Beslutsdatum", "Decision date"),
    "save_decision": ("Spara beslutet", "Save the decision"),
    "decision_saved": ("Beslutet för {finding_id} sparat.", "The decision on {finding_id} was saved."),
    "download_protocol": ("Ladda ned protokollet (PDF)", "Download the protocol (PDF)"),
    "overdue_intro": (
        "Fynd från vandringar för mer än {months} månader sedan som ännu saknar beslut.",
        "Findings from walks more than {months} months ago that still have no decision.",
    ),
    "no_overdue": ("Inga försenade fynd.", "No overdue findings."),
    "overdue_count": ("{n} fynd saknar beslut efter {months} månader.",
                      "{n} findings have no decision after {months} months."),
    # -- finding table headings (page and protocol) ------------------------------------
    "col_nr": ("Nr", "No."),
    "col_finding": ("Fynd", "Finding"),
    "col_walk": ("Vandring", "Walk"),
    "col_date": ("Datum", "Date"),
    "col_area": ("Område", "Area"),
    "col_severity": ("Allvar", "Severity"),
    "col_description": ("Beskrivning", "Description"),
    "col_photo": ("Foto", "Photo"),
    "col_responsible": ("Ansvarig", "Responsible"),
    "col_decision": ("Beslut", "Decision"),
    "col_decided_on": ("Beslutsdatum", "Decided on"),
    "col_overdue": ("Över 6 mån utan beslut", "Over 6 months, no decision"),
    "yes": ("Ja", "Yes"),
    "no": ("Nej", "No"),
    "severity_1": ("1 – låg", "1 – low"),
    "severity_2": ("2 – medel", "2 – medium"),
    "severity_3": ("3 – hög", "3 – high"),
    # -- roles ------------------------------------------------------------------------
    "role_residents": ("Boende", "Residents"),
    "role_police": ("Polis", "Police"),
    "role_municipality": ("Kommun", "Municipality"),
    "role_property_owners": ("Fastighetsägare", "Property owners"),
    "role_associations": ("Föreningar", "Associations"),
    "role_other": ("Övriga", "Others"),
    # -- the protocol -----------------------------------------------------------------
    "protocol_title": ("Protokoll från trygghetsvandring", "Safety walk protocol"),
    "protocol_place": ("Järfälla kommun", "Järfälla municipality"),
    "protocol_walk": ("Vandring {walk_id}", "Walk {walk_id}"),
    "protocol_participants": ("Deltagare", "Participants"),
    "protocol_total": ("totalt {n}", "{n} in total"),
    "protocol_no_names": (
        "Deltagare redovisas per roll; protokollet innehåller inga namn.",
        "Participants are listed by role; the protocol holds no names.",
    ),
    "protocol_map": ("Rutt och fynd", "Route and findings"),
    "protocol_findings": ("Fynd och beslut", "Findings and decisions"),
    "protocol_no_findings": ("Vandringen registrerade inga fynd.", "The walk recorded no findings."),
    "protocol_overdue_note": (
        "* Fynd som saknar beslut mer än {months} månader efter vandringen (per {date}).",
        "* Findings with no decision more than {months} months after the walk (as of {date}).",
    ),
    "protocol_printed": ("Protokollet avser {date}", "Protocol as of {date}"),
    "protocol_page": ("Sida {page}", "Page {page}"),
    "protocol_crs": ("SWEREF 99 TM (EPSG:3006)", "SWEREF 99 TM (EPSG:3006)"),
    "protocol_route_label": ("Rutt", "Route"),
    "protocol_kommun_label": ("Kommungräns", "Municipal boundary"),
    # -- errors, by the code of ReportError / WalkProblem -------------------------------
    "err_reason": ("Välj en av de givna orsakerna.", "Choose one of the given reasons."),
    "err_text_empty": ("Skriv en kort beskrivning.", "Write a short description."),
    "err_text_too_long": ("Texten är för lång: {n} tecken, högst {limit}.",
                          "The text is too long: {n} characters, at most {limit}."),
    "err_personal_data": (
        "Texten verkar innehålla {kind}. Ta bort personuppgifter och skicka igen.",
        "The text seems to hold {kind}. Remove personal data and send again.",
    ),
    "kind_personnummer": ("ett personnummer", "a personal identity number"),
    "kind_email": ("en e-postadress", "an email address"),
    "kind_phone": ("ett telefonnummer", "a phone number"),
    "err_position": ("Ange en giltig position (latitud och longitud).",
                     "Give a valid position (latitude and longitude)."),
    "err_outside_kommun": (
        "Platsen ligger utanför Järfälla kommun. Välj en plats inom kommunen.",
        "The place lies outside Järfälla municipality. Choose a place inside it.",
    ),
    "err_no_kommun": (
        "Kommungränsen saknas i datalagret, så platsen kan inte kontrolleras.",
        "The store has no municipal boundary, so the place cannot be checked.",
    ),
    "err_busy": (
        "Många rapporter kommer in just nu. Försök igen om {minutes} minuter.",
        "Many reports are coming in right now. Try again in {minutes} minutes.",
    ),
    "err_rate_limited": (
        "Du har skickat {limit} rapporter på kort tid. Försök igen om {minutes} minuter.",
        "You have sent {limit} reports in a short time. Try again in {minutes} minutes.",
    ),
    "err_not_pending": ("Rapporten {report_id} är redan granskad ({status}).",
                        "Report {report_id} has already been reviewed ({status})."),
    "err_unknown_report": ("Rapporten {report_id} finns inte.", "Report {report_id} does not exist."),
    "err_date": ("Ange ett giltigt datum.", "Give a valid date."),
    "err_area": ("Ange område (högst {limit} tecken).", "Give the area (at most {limit} characters)."),
    "err_participants": (
        "Ange antal deltagare per roll (heltal, minst en deltagare totalt).",
        "Give the number of participants by role (whole numbers, at least one in total).",
    ),
    "err_route": ("Rutten går inte att läsa: {detail}", "The route cannot be read: {detail}"),
    "err_severity": ("Allvar ska vara 1, 2 eller 3.", "Severity must be 1, 2 or 3."),
    "err_far_from_route": (
        "Fyndet ligger {distance} m från rutten (högst {limit} m).",
        "The finding lies {distance} m from the route (at most {limit} m).",
    ),
    "err_photo": (
        "Ange bara ett filnamn för fotot (t.ex. IMG_0412.jpg), utan sökväg.",
        "Give only a file name for the photo (e.g. IMG_0412.jpg), no path.",
    ),
    "err_description": ("Beskrivningen är för lång (högst {limit} tecken).",
                        "The description is too long (at most {limit} characters)."),
    "err_published": (
        "Vandringen är publicerad; fynden kan inte längre ändras. Registrera beslut i stället.",
        "The walk is published; its findings can no longer be changed. Record decisions instead.",
    ),
    "err_unknown_walk": ("Vandringen {walk_id} finns inte.", "Walk {walk_id} does not exist."),
    "err_unknown_finding": ("Fyndet {finding_id} finns inte.", "Finding {finding_id} does not exist."),
    "err_walk_id": ("Ogiltigt id för vandringen.", "The walk id is not allowed."),
    "err_responsible": ("Välj ansvarig nämnd eller bolag.", "Choose the responsible committee or company."),
    "err_decision_date": (
        "Beslutsdatum ska anges med ett beslut och ligga efter vandringen.",
        "A decision date goes with a decision and lies after the walk.",
    ),
}

