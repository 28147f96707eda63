"""Areas: kommundelar, DeSO and RegSO polygons with population (action 3)."""

from layers.spec import ID, POLYGONS, Choice, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="areas",
    sv="Områden",
    en="Areas",
    geometry_types=POLYGONS,
    columns=(
        ID,
        Column("code", "string", "Kod", "Code", required=True, unique=True),
        Column("name", "string", "Namn", "Name", required=True),
        Column(
            "kind",
            "string",
            "Typ",
            "Kind",
            required=True,
            choices=(
                Choice("kommun", "Kommun", "Municipality"),
                Choice("kommundel", "Kommundel", "District"),
                Choice("deso", "DeSO", "DeSO"),
                Choice("regso", "RegSO", "RegSO"),
            ),
        ),
        Column("population", "int", "Folkmängd", "Population", minimum=0, unit="inv."),
    ),
    sensitivity="open",
    actions=(3,),
    style=Style(color="#444444", fill_opacity=0.0, weight=2),
    category_column="kind",
    description_sv="Områdesindelning med folkmängd, för indikatorer per område.",
    description_en="Area polygons with population, for indicators per area.",
)
