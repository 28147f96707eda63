"""Areas where ordningsvakter are deployed (action 16)."""

from layers.spec import ID, POLYGONS, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="guard_areas",
    sv="Ordningsvaktsområden",
    en="Security guard areas",
    geometry_types=POLYGONS,
    columns=(
        ID,
        Column("name", "string", "Namn", "Name", required=True),
        Column("decided_at", "datetime", "Beslutat", "Decided at"),
        Column("valid_until", "datetime", "Gäller till", "Valid until"),
    ),
    sensitivity="open",
    actions=(16,),
    style=Style(color="#1a5276", fill_opacity=0.1, weight=2),
    description_sv="Områden med ordningsvakter enligt länsstyrelsens beslut.",
    description_en="Areas with security guards by county board decision.",
)
