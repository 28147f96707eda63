"""Cameras: trygghetskameror with view direction, angle and range (action 6)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="cameras",
    sv="Kameror",
    en="Cameras",
    geometry_types=POINTS,
    columns=(
        ID,
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("active", "I drift", "Active"),
                Choice("planned", "Planerad", "Planned"),
                Choice("removed", "Nedmonterad", "Removed"),
            ),
        ),
        Column("direction_deg", "float", "Riktning", "Direction", required=True,
               minimum=0, maximum=360, unit="grader"),
        Column("angle_deg", "float", "Öppningsvinkel", "Opening angle", required=True,
               minimum=1, maximum=360, unit="grader"),
        Column("range_m", "float", "Räckvidd", "Range", required=True, minimum=1,
               maximum=500, unit="m"),
        Column("permit_valid_until", "datetime", "Tillstånd gäller till", "Permit valid until"),
    ),
    sensitivity="open",
    actions=(6,),
    style=Style(color="#8e44ad", radius=5),
    category_column="status",
    description_sv="Trygghetskameror med riktning, vinkel och räckvidd.",
    description_en="Safety cameras with direction, opening angle and range.",
)
