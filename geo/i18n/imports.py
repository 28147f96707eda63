"""Interface texts of the import: command line, notes and page; ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefixes ``import_cli.``, ``import_notes.``,
``import_page.``, ``import_report.`` and ``import_rows.``; data only, no imports.
"""

IMPORT_CLI_TEXTS: dict[str, tuple[str, str]] = {
    "problems": ("{n} problem i {file} ({convention}):", "{n} problem(s) in {file} ({convention}):"),
    "refused": ("{file} importerades inte: {n} problem, listade ovan; inget skrevs",
                "{file} was not imported: {n} problem(s), listed above; nothing was written"),
}


IMPORT_NOTES_TEXTS: dict[str, tuple[str, str]] = {
    "format": ("Läst som {format_sv}.", "Read as {format}."),
    "encoding": ("Teckenkodningen är {encoding}, inte UTF-8 (vanligt i svenska Excel-exporter).",
                 "Read as {encoding}, not UTF-8 (common in Swedish Excel exports)."),
    "delimiter": ("Avgränsare: {delimiter}.", "Delimiter: {delimiter}."),
    "decimal_comma": ("Decimalkomma lästes i {columns}.", "Decimal comma read in {columns}."),
    "coordinates": ("Koordinater lästes från {columns} ({crs}).",
                    "Coordinates read from {columns} ({crs})."),
    "blank_lines": ("{n} tomma rader hoppades över.", "{n} blank lines skipped."),
    "chunks": ("Filen lästes i {n} delar om högst {size} rader.",
               "The file was read in {n} chunks of at most {size} rows."),
    "reprojected": ("Omprojicerat från {crs} till {target}.", "Reprojected from {crs} to {target}."),
    "crs_given": ("Koordinatsystemet {crs} angavs av användaren.", "The CRS {crs} was given by the user."),
    "swapped": ("Omkastade {columns} rättades i {n} rader: punkterna hamnar i Sverige eller "
                "kommunen först när koordinaterna byts om.",
                "swapped {columns} fixed in {n} rows: the points land in Sweden or the kommun only "
                "with the coordinates exchanged."),
    "column_mapped": ("Kolumnen {source} lästes som {column}.", "Column {source} read as {column}."),
    "extra_columns": ("Kolumner som lagret inte har ignoreras: {columns}.",
                      "Columns the layer does not have are ignored: {columns}."),
    "ids_derived": ("Filen har ingen id-kolumn; id bildades av filnamn och radnummer (t.ex. {example}).",
                    "The file has no id column; ids were made from the file name and row (e.g. {example})."),
    "filled": ("{column} sattes till {value} i {n} rader.", "{column} set to {value} in {n} rows."),
    "labels_as_codes": ("{n} värden i {column} angavs som namn och lästes som koder ({examples}).",
                        "{n} values of {column} given as labels were read as codes ({examples})."),
    "markup": ("{n} textvärden innehåller HTML eller skript; de lagras som vanlig text och visas "
               "escapade.", "{n} text values contain HTML or script; they are stored as plain text "
                            "and shown escaped."),
    "made_valid": ("{n} ogiltiga geometrier lagades med make_valid (rad {rows}).",
                   "{n} invalid geometries repaired with make_valid (rows {rows})."),
    "multipoint": ("{n} multipunkter med en enda punkt lästes som punkter.",
                   "{n} single-part multipoints read as points."),
    "outside_allowed": ("{n} rader utanför {where} importeras på begäran (allow_outside).",
                        "{n} rows outside {where} are imported as asked (allow_outside)."),
    "no_kommun": ("Datalagret har ingen kommungräns (områden av typen kommun); läget kontrollerades "
                  "bara mot Sverige.", "The store has no kommun outline (areas of kind kommun); "
                                        "locations were checked against Sweden only."),
    "centroid_precision": (
        "{kommun} händelser har bara kommunen och {county} bara länet som läge: punkten är en "
        "mittpunkt, och händelsen räknas för kommunen som helhet, aldrig i en ruta eller som en "
        "plats på kartan.",
        "{kommun} events are located only to the kommun and {county} only to the county: the point "
        "is a centroid, and the event counts for the kommun as a whole, never for a grid cell or as "
        "a place on the map."),
    "police_unknown_types": ("Okända händelsetyper blev 'ovrigt': {types}.",
                             "Unknown event types became 'ovrigt': {types}."),
    "police_time": ("Tidpunkten togs från rubriken för {n} händelser, annars publiceringstiden.",
                    "The time was taken from the title for {n} events, else the publication time."),
    "police_time_dst": (
        "{n} händelser har en tid i rubriken som inte finns eller som inträffar två gånger när "
        "sommartiden börjar eller slutar (rad {rows}); för dem användes publiceringstiden, ingen "
        "gissning.",
        "{n} events have a time in their title that does not exist or occurs twice when summer time "
        "begins or ends (rows {rows}); their publication time was used, not a guess."),
    "open311_skipped": ("{n} av {total} ärenden gäller andra tjänster eller lager och hoppades över: "
                        "{services}.", "{n} of {total} requests are for other services or layers "
                                       "and were skipped: {services}."),
    "default_value": ("{column} finns inte i formatet och sattes till {value} (ändra med --set).",
                      "{column} is not in the format and was set to {value} (change it with --set)."),
    "gdal": ("GDAL varnade: {message}", "GDAL warned: {message}"),
}


IMPORT_PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Importera data", "Import data"),
    "subtitle": (
        "GeoPackage, GeoJSON, zippad Shapefile, CSV med koordinater, Open311 eller Polisens händelser. "
        "Filen kontrolleras först; inget skrivs förrän du bekräftar, och en fil med problem skrivs "
        "inte alls.",
        "GeoPackage, GeoJSON, zipped Shapefile, CSV with coordinates, Open311 or police events. "
        "The file is checked first; nothing is written until you confirm, and a file with problems "
        "is not written at all.",
    ),
    "upload": ("Fil att importera", "File to import"),
    "upload_help": ("Högst {mb} MB. En Shapefile laddas upp som zip med .shp, .shx, .dbf och .prj.",
                    "At most {mb} MB. Upload a Shapefile as a zip with .shp, .shx, .dbf and .prj."),
    "no_file": ("Ladda upp en fil för att börja.", "Upload a file to begin."),
    "layer": ("Till lager", "Into layer"),
    "format": ("Format", "Format"),
    "source_layer": ("Lager i filen", "Layer in the file"),
    "crs": ("Koordinatsystem om filen saknar (t.ex. EPSG:3006)", "CRS if the file has none (e.g. EPSG:3006)"),
    "mode": ("Läge", "Mode"),
    "append": ("Lägg till", "Append"),
    "replace": ("Ersätt lagrets innehåll", "Replace the layer's content"),
    "make_valid": ("Laga ogiltiga geometrier (make_valid)", "Repair invalid geometries (make_valid)"),
    "allow_outside": ("Importera även rader utanför kommunen/Sverige",
                      "Also import rows outside the kommun/Sweden"),
    "options": ("Fler val", "More options"),
    "mapping": ("Kolumnmappning, en per rad: FILKOLUMN=LAGERKOLUMN",
                "Column mapping, one per line: FILE=LAYER"),
    "fill": ("Fasta värden där filen saknar, en per rad: KOLUMN=VÄRDE",
             "Values where the file has none, one per line: COLUMN=VALUE"),
    "service_codes": ("Open311-tjänster, en per rad: KOD=graffiti|lighting|skip",
                      "Open311 services, one per line: CODE=graffiti|lighting|skip"),
    "bad_line": ("Raden {line!r} saknar '='.", "The line {line!r} has no '='."),
    "checking": ("Kontrollerar filen …", "Checking the file …"),
    "cannot_read": ("Filen kunde inte läsas eller importeras:", "The file cannot be read or imported:"),
    "refused": ("{n} problem hittades. Inget importeras; rätta filen eller valen och ladda upp igen.",
                "{n} problem(s) found. Nothing is imported; correct the file or the options and try again."),
    "ready": ("Filen kan importeras: {n} rader.", "The file can be imported: {n} rows."),
    "rows_read": ("Rader i filen", "Rows in the file"),
    "rows_ok": ("Rader utan problem", "Rows without problems"),
    "problems": ("Problem", "Problems"),
    "notes": ("Noteringar", "Notes"),
    "preview": ("Förhandsvisning (första {n} raderna, EPSG:3006)", "Preview (first {n} rows, EPSG:3006)"),
    "confirm": ("Importera {n} rader till {layer}", "Import {n} rows into {layer}"),
    "done": ("Importerade {n} rader till {layer} från {source}.",
             "Imported {n} rows into {layer} from {source}."),
    "store_unavailable": ("Datalagret kan inte öppnas: {error}", "The store cannot be opened: {error}"),
    "col_row": ("Rad", "Row"),
    "col_field": ("Fält", "Field"),
    "col_message": ("Meddelande", "Message"),
    "col_note": ("Notering", "Note"),
}

#: Row numbering of each reader, shown with every problem list (``import_rows.<convention>``).
IMPORT_ROW_TEXTS: dict[str, tuple[str, str]] = {
    "csv": ("rad = radnumret i filen, rubrikraden är rad 1 och första dataraden rad 2",
            "row = line number in the file; the header is row 1, the first data row is row 2"),
    "vector": ("rad = objektets nummer i filen, från 1", "row = feature number in the file, from 1"),
    "open311": ("rad = ärendets nummer i listan, från 1", "row = request number in the list, from 1"),
    "polisen": ("rad = händelsens nummer i filen, från 1", "row = event number in the file, from 1"),
}


#: The report's summary lines (``import_report.<outcome>``) and the frame of a note.
IMPORT_REPORT_TEXTS: dict[str, tuple[str, str]] = {
    "written": ("Importerade {written} rader till {label} ({layer}) från {source} ({mode}).",
                "Imported {written} rows into {label} ({layer}) from {source} ({mode})."),
    "checked": ("Kontroll utan import: alla {n} rader i {source} kan importeras till {label} ({layer}); "
                "inget skrevs.", "Dry run: all {n} rows of {source} can be imported into {label} "
                                 "({layer}); nothing was written."),
    "refused": ("{p} problem i {source}; {ok} av {n} rader utan problem. Inget skrevs.",
                "{p} problem(s) in {source}; {ok} of {n} rows without problems. Nothing was written."),
    "note": ("Obs: {note}", "Note: {note}"),
}
