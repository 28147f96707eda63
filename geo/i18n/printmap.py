"""Interface texts of the printable map: ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefix ``printmap.``; data only, no imports.
"""

PRINT_TEXTS: dict[str, tuple[str, str]] = {
    # key: (svenska, English)
    "place": ("Järfälla kommun", "Järfälla municipality"),
    "period": ("Period {start} – {end}", "Period {start} – {end}"),
    "legend": ("Teckenförklaring", "Legend"),
    "suppressed": ("Dold (färre än {k})", "Suppressed (fewer than {k})"),
    "hotspot": ("Hot spot (Gi*, 90–99 % konfidens)", "Hot spot (Gi*, 90–99 % confidence)"),
    "north": ("N", "N"),
    "source": ("Källa: {sources}", "Source: {sources}"),
    "default_source": ("Trygghetskartan, Järfälla kommun", "Trygghetskartan, Järfälla municipality"),
    "crs": ("Koordinatsystem SWEREF 99 TM (EPSG:3006)",
            "Coordinate reference system SWEREF 99 TM (EPSG:3006)"),
}

