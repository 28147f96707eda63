"""Lighting: street lamps with status and fault times (action 9)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="lighting",
    sv="Belysning",
    en="Lighting",
    geometry_types=POINTS,
    columns=(
        ID,
        Column("lamp_id", "string", "Stolpnummer", "Lamp number"),
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("working", "Fungerar", "Working"),
                Choice("broken", "Trasig", "Broken"),
                Choice("planned", "Planerad", "Planned"),
            ),
        ),
        Column("fault_reported_at", "datetime", "Fel anmält", "Fault reported at"),
        Column("fault_fixed_at", "datetime", "Fel åtgärdat", "Fault fixed at"),
    ),
    sensitivity="open",
    actions=(9,),
    style=Style(
        color="#d4ac0d",
        radius=1.5,
        color_by="status",
        palette=(("working", "#f1c40f"), ("broken", "#7f8c8d"), ("planned", "#85c1e9")),
    ),
    time_column="fault_reported_at",
    category_column="status",
    description_sv="Belysningspunkter med status och felanmälningar.",
    description_en="Street lamps with status and fault reports.",
)
