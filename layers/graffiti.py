"""Graffiti: reports and removals against the 72-hour deadline (action 7)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

OBJECT_KINDS = (
    Choice("school", "Skola", "School"),
    Choice("preschool", "Förskola", "Preschool"),
    Choice("pedestrian_tunnel", "Gångtunnel", "Pedestrian tunnel"),
    Choice("other", "Övrigt", "Other"),
)

SPEC = LayerSpec(
    name="graffiti",
    sv="Klotter",
    en="Graffiti",
    geometry_types=POINTS,
    columns=(
        ID,
        Column("reported_at", "datetime", "Anmält", "Reported at", required=True),
        Column("removed_at", "datetime", "Sanerat", "Removed at"),
        Column("object_kind", "string", "Objekttyp", "Object kind", required=True,
               choices=OBJECT_KINDS),
        Column("property", "string", "Fastighet", "Property"),
        Column("offensive", "bool", "Kränkande innehåll", "Offensive content"),
        Column("description", "string", "Beskrivning", "Description"),
    ),
    sensitivity="open",
    actions=(7,),
    style=Style(color="#e67e22", radius=4),
    time_column="reported_at",
    category_column="object_kind",
    description_sv="Klotteranmälningar och sanering, mot 72-timmarsmålet.",
    description_en="Graffiti reports and removals, against the 72-hour target.",
)
