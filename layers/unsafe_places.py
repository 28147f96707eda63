"""Unsafe places: from trygghetsvandringar, surveys and residents (actions 2, 3, 9)."""

from layers.spec import ID, Choice, Column, LayerSpec, Style

REASONS = (
    Choice("lighting", "Belysning", "Lighting"),
    Choice("vegetation", "Vegetation", "Vegetation"),
    Choice("visibility", "Skymd sikt", "Poor visibility"),
    Choice("littering", "Nedskräpning", "Littering"),
    Choice("graffiti", "Klotter", "Graffiti"),
    Choice("people", "Personer/grupper", "People or groups"),
    Choice("traffic", "Trafik", "Traffic"),
    Choice("other", "Övrigt", "Other"),
)

SPEC = LayerSpec(
    name="unsafe_places",
    sv="Otrygga platser",
    en="Unsafe places",
    geometry_types=("Point", "Polygon", "MultiPolygon"),
    columns=(
        ID,
        Column("reason", "string", "Orsak", "Reason", required=True, choices=REASONS),
        Column("reported_at", "datetime", "Rapporterad", "Reported at", required=True),
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("new", "Ny", "New"),
                Choice("approved", "Godkänd", "Approved"),
                Choice("in_progress", "Åtgärd pågår", "In progress"),
                Choice("resolved", "Åtgärdad", "Resolved"),
                Choice("rejected", "Avvisad", "Rejected"),
            ),
        ),
        Column(
            "source",
            "string",
            "Källa",
            "Source",
            required=True,
            choices=(
                Choice("walk", "Trygghetsvandring", "Safety walk"),
                Choice("report", "Invånarrapport", "Resident report"),
                Choice("survey", "Trygghetsundersökning", "Safety survey"),
            ),
        ),
        Column("description", "string", "Beskrivning", "Description"),
    ),
    sensitivity="open",
    actions=(2, 3, 9),
    style=Style(color="#e74c3c", fill_color="#f5b7b1", radius=6),
    time_column="reported_at",
    category_column="reason",
    description_sv="Platser som upplevs otrygga, från vandringar, enkäter och invånare.",
    description_en="Places perceived as unsafe, from walks, surveys and residents.",
)
