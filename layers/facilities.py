"""Facilities: schools, care homes, water works and other samhällsviktig verksamhet.

Linked to actions 7 (schools first for graffiti), 27 and 36-39 (critical
facilities, reserve power, flood exposure).
"""

from layers.spec import ID, Choice, Column, LayerSpec, Style

KINDS = (
    Choice("school", "Skola", "School"),
    Choice("preschool", "Förskola", "Preschool"),
    Choice("care_home", "Äldreboende/omsorg", "Care home"),
    Choice("water_works", "Vattenverk", "Water works"),
    Choice("sewage_works", "Avloppspumpstation", "Sewage pumping station"),
    Choice("health_centre", "Vårdcentral", "Health centre"),
    Choice("fire_station", "Brandstation", "Fire station"),
    Choice("sports_centre", "Idrottsanläggning", "Sports centre"),
    Choice("other", "Övrigt", "Other"),
)

SPEC = LayerSpec(
    name="facilities",
    sv="Verksamheter",
    en="Facilities",
    geometry_types=("Point", "Polygon", "MultiPolygon"),
    columns=(
        ID,
        Column("name", "string", "Namn", "Name", required=True),
        Column("kind", "string", "Typ", "Kind", required=True, choices=KINDS),
        Column("critical", "bool", "Samhällsviktig", "Critical", required=True),
        Column("reserve_power", "bool", "Reservkraft", "Reserve power"),
    ),
    sensitivity="internal",
    actions=(7, 26, 27, 36, 37, 38, 39),
    style=Style(
        color="#117a65",
        radius=5,
        color_by="kind",
        palette=(
            ("school", "#1abc9c"),
            ("preschool", "#48c9b0"),
            ("care_home", "#a04000"),
            ("water_works", "#1b4f72"),
        ),
    ),
    category_column="kind",
    description_sv="Skolor, förskolor, omsorg och samhällsviktig verksamhet.",
    description_en="Schools, preschools, care and critical facilities.",
)
