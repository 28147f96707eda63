"""Incidents: reported crimes and disorder with time and category (actions 3, 13-16).

Two categories are protected (actions 58 and 70): violence in close
relationships and honour-related violence. They are never drawn or exported
as points.
"""

from layers.spec import ID, POINTS, Choice, Column, LayerSpec, Style

CATEGORIES = (
    Choice("stold", "Stöld", "Theft"),
    Choice("inbrott", "Inbrott", "Burglary"),
    Choice("skadegorelse", "Skadegörelse", "Vandalism"),
    Choice("misshandel", "Misshandel", "Assault"),
    Choice("ran", "Rån", "Robbery"),
    Choice("narkotika", "Narkotikabrott", "Drug offence"),
    Choice("ordningsstorning", "Ordningsstörning", "Public disorder"),
    Choice("fordonsbrott", "Fordonsbrott", "Vehicle crime"),
    Choice("brand", "Brand", "Fire"),
    Choice("hot", "Olaga hot", "Unlawful threat"),
    Choice("trafik", "Trafikbrott", "Traffic offence"),
    Choice("ovrigt", "Övrigt", "Other"),
    Choice("vald_i_nara_relation", "Våld i nära relation", "Violence in close relationships",
           protected=True),
    Choice("hedersrelaterat_vald", "Hedersrelaterat våld", "Honour-related violence",
           protected=True),
)

PRECISIONS = (
    Choice("exact", "Exakt plats", "Exact location"),
    Choice("street", "Gata/kvarter", "Street or block"),
    Choice("kommun", "Endast kommun", "Municipality only"),
    Choice("county", "Endast län", "County only"),
)

SPEC = LayerSpec(
    name="incidents",
    sv="Händelser",
    en="Incidents",
    geometry_types=POINTS,
    columns=(
        ID,
        Column("occurred_at", "datetime", "Tidpunkt", "Occurred at", required=True),
        Column("category", "string", "Kategori", "Category", required=True, choices=CATEGORIES),
        Column("source", "string", "Källa", "Source", required=True),
        Column(
            "location_precision",
            "string",
            "Lägesnoggrannhet",
            "Location precision",
            required=True,
            choices=PRECISIONS,
        ),
        Column("description", "string", "Beskrivning", "Description"),
    ),
    sensitivity="internal",
    actions=(3, 13, 14, 15, 16),
    style=Style(color="#c0392b", radius=3),
    time_column="occurred_at",
    category_column="category",
    description_sv="Anmälda brott och ordningsstörningar med tid och kategori.",
    description_en="Reported crimes and disorder with time and category.",
)
