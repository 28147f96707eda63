"""Physical barriers against ramming on pedestrian routes (action 28)."""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="vehicle_barriers",
    sv="Påkörningsskydd",
    en="Vehicle barriers",
    geometry_types=POINTS,
    columns=(
        ID,
        Column(
            "kind",
            "string",
            "Typ",
            "Kind",
            required=True,
            choices=(
                Choice("bollard", "Pollare", "Bollard"),
                Choice("planter", "Planteringskärl", "Planter"),
                Choice("block", "Betongsugga", "Concrete block"),
                Choice("gate", "Grind/bom", "Gate"),
            ),
        ),
        Column(
            "status",
            "string",
            "Status",
            "Status",
            required=True,
            choices=(
                Choice("existing", "Befintlig", "Existing"),
                Choice("planned", "Planerad", "Planned"),
            ),
        ),
    ),
    sensitivity="internal",
    actions=(28,),
    style=Style(color="#616a6b", radius=3),
    category_column="kind",
    description_sv="Fysiska hinder mot påkörning på gångstråk.",
    description_en="Physical barriers against vehicles on pedestrian routes.",
)
