"""Flood risk: flood zones per scenario with water depth (action 37)."""

from layers.spec import ID, POLYGONS, Choice, Column, LayerSpec, Style

SCENARIOS = (
    Choice("skyfall_100", "100-årsregn (skyfall)", "100-year rain (cloudburst)"),
    Choice("flode_200", "200-årsflöde", "200-year flow"),
    Choice("bhf", "Beräknat högsta flöde (BHF)", "Highest computed flow (BHF)"),
)

SPEC = LayerSpec(
    name="flood_risk",
    sv="Översvämningsrisk",
    en="Flood risk",
    geometry_types=POLYGONS,
    columns=(
        ID,
        Column("scenario", "string", "Scenario", "Scenario", required=True, choices=SCENARIOS),
        Column("depth_m", "float", "Vattendjup", "Water depth", minimum=0, maximum=50, unit="m"),
    ),
    sensitivity="open",
    actions=(26, 37),
    style=Style(
        color="#2471a3",
        fill_opacity=0.35,
        weight=1,
        color_by="scenario",
        palette=(("skyfall_100", "#5dade2"), ("flode_200", "#1f618d"), ("bhf", "#154360")),
    ),
    category_column="scenario",
    description_sv="Översvämningsytor per scenario med vattendjup.",
    description_en="Flood zones per scenario with water depth.",
)
