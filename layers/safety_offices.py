"""Trygghetskontor in selected areas (action 5)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="safety_offices",
    sv="Trygghetskontor",
    en="Safety offices",
    geometry_types=POINTS,
    columns=(
        ID,
        Column("name", "string", "Namn", "Name", required=True),
        Column("opened_at", "datetime", "Öppnat", "Opened at"),
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("open", "Öppet", "Open"),
                Choice("planned", "Planerat", "Planned"),
                Choice("closed", "Stängt", "Closed"),
            ),
        ),
    ),
    sensitivity="open",
    actions=(5,),
    style=Style(color="#2e86c1", radius=7),
    category_column="status",
    description_sv="Trygghetskontor i utvalda områden.",
    description_en="Safety offices in selected areas.",
)
