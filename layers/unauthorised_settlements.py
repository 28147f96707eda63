"""Unauthorised settlements on municipal land (action 12)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="unauthorised_settlements",
    sv="Otillåtna bosättningar",
    en="Unauthorised settlements",
    geometry_types=POINTS,
    columns=(
        ID,
        Column("observed_at", "datetime", "Observerad", "Observed at", required=True),
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("observed", "Observerad", "Observed"),
                Choice("notified", "Underrättad", "Notified"),
                Choice("removed", "Avvecklad", "Removed"),
            ),
        ),
        Column("description", "string", "Beskrivning", "Description"),
    ),
    sensitivity="internal",
    actions=(12,),
    style=Style(color="#784212", radius=5),
    time_column="observed_at",
    category_column="status",
    description_sv="Otillåtna bosättningar på kommunal fastighetsmark.",
    description_en="Unauthorised settlements on municipal land.",
)
