"""Interface texts of ``trygghetskartan store``: ``key: (svenska, English)``.

Merged into :data:`geo.i18n.TEXTS` under the prefix ``store.``; data only, no imports.
"""

STORE_TEXTS: dict[str, tuple[str, str]] = {
    'done': ('Kopierade {source} till {target}:', 'Copied {source} to {target}:'),
    'rows': ('rader', 'rows'),
    'import_log': ('importloggen (nya poster)', 'import log (new entries)'),
    'snapshots': ('ögonblicksbilder', 'snapshots'),
}
