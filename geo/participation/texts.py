"""Interface texts of trygghetsvandringar and residents' reports, in Swedish and English.

:data:`WALK_TEXTS` (in :mod:`geo.i18n.walks`) is part of the one translation
table :data:`geo.i18n.TEXTS`, under the prefix ``walks.``; :func:`walk_text`
looks a key up there and falls back to the shared keys.

The ``err_<code>`` keys translate the ``code`` of a
:class:`geo.errors.ReportError` or of a :class:`geo.participation.walks.WalkProblem`.

Examples
--------
>>> walk_text("protocol_title", "en")
'Safety walk protocol'
>>> walk_text("err_text_too_long", "sv", limit=500, n=612)
'Texten är för lång: 612 tecken, högst 500.'
>>> walk_text("layers", "en")  # not a walk text: from geo.i18n
'Layers'
"""

from __future__ import annotations

from geo.i18n import t_in


def walk_text(key: str, lang: str = "sv", **values: object) -> str:
    """Return the text ``key`` in ``lang``, from :data:`WALK_TEXTS` or else :func:`geo.i18n.t`.

    Parameters
    ----------
    key : str
        A key of :data:`WALK_TEXTS` or of :data:`geo.i18n.TEXTS`.
    lang : {"sv", "en"}, default "sv"
        The language.
    **values
        Values for the ``{placeholders}``.

    Returns
    -------
    str
        The text.

    Raises
    ------
    KeyError
        If the key is in neither table.
    ValueError
        If the language is not supported.

    Examples
    --------
    >>> walk_text("approve", "en")
    'Approve'
    """
    return t_in("walks", key, lang, **values)


_t = walk_text
