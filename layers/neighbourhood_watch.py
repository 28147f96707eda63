"""Grannsamverkan groups (action 14)."""

from layers.spec import ID, Column, LayerSpec, Style

SPEC = LayerSpec(
    name="neighbourhood_watch",
    sv="Grannsamverkan",
    en="Neighbourhood watch",
    geometry_types=("Point", "Polygon", "MultiPolygon"),
    columns=(
        ID,
        Column("name", "string", "Namn", "Name", required=True),
        Column("started_at", "datetime", "Startad", "Started at"),
        Column("households", "int", "Hushåll", "Households", minimum=0),
    ),
    sensitivity="internal",
    actions=(14,),
    style=Style(color="#27ae60", fill_opacity=0.15, radius=5),
    description_sv="Grannsamverkansgrupper i flerbostadshus och utsatta områden.",
    description_en="Neighbourhood watch groups.",
)
