"""Interface texts of the action register, Swedish and English.

:data:`ACTION_TEXTS` (in :mod:`geo.i18n.actions`) is part of the one
translation table :data:`geo.i18n.TEXTS`, under the prefix ``actions.``;
:func:`action_text` reads it there, and falls back to the shared keys.

Examples
--------
>>> action_text("status_continuous", "sv"), action_text("status_continuous", "en")
('Löpande', 'Continuous')
>>> action_text("register_title", "sv", year=2026)
'Åtgärdsregister 2026'
"""

from __future__ import annotations

from geo.i18n import DEFAULT_LANGUAGE, t_in


def action_text(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Return the text ``key`` in ``lang``, with ``{placeholders}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`ACTION_TEXTS` (or, failing that, of :data:`geo.i18n.TEXTS`).
    lang : {"sv", "en"}
        The language.
    **values
        Values for the placeholders.

    Returns
    -------
    str
        The text.

    Raises
    ------
    KeyError
        If neither table has the key.
    ValueError
        If the language is not supported.

    Examples
    --------
    >>> action_text("col_evidence", "en")
    'Evidence'
    """
    return t_in("actions", key, lang, **values)
