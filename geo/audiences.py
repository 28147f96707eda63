"""The audiences of every output, from the least to the most trusted.

- ``public``: anyone, without logging in;
- ``staff``: the kommun's staff, logged in;
- ``protected``: staff cleared for protected categories (aggregates only).

What each may see is decided in :mod:`geo.privacy`; this module only names
them, so that every stage can check an audience without importing the gate.
Every function that takes an audience defaults to :data:`DEFAULT_AUDIENCE`:
forgetting it must leak nothing.

Examples
--------
>>> check_audience("staff")
'staff'
>>> at_least("protected", "staff")
True
"""

from __future__ import annotations

AUDIENCES: tuple[str, ...] = ("public", "staff", "protected")
#: The audience of anything that does not name one.
DEFAULT_AUDIENCE: str = "public"


def check_audience(audience: str) -> str:
    """Return ``audience`` if valid.

    Parameters
    ----------
    audience : str
        One of ``public``, ``staff``, ``protected``.

    Returns
    -------
    str
        The audience.

    Raises
    ------
    ValueError
        If the audience is unknown; the message lists the valid ones.
    """
    if audience not in AUDIENCES:
        msg = f"audience={audience!r} is not allowed; allowed: {', '.join(AUDIENCES)}"
        raise ValueError(msg)
    return audience


def at_least(audience: str, required: str) -> bool:
    """Whether ``audience`` is ``required`` or more trusted.

    Parameters
    ----------
    audience : str
        The audience asking.
    required : str
        The least trusted audience that may.

    Returns
    -------
    bool
        True if ``audience`` ranks at or above ``required``.
    """
    return AUDIENCES.index(check_audience(audience)) >= AUDIENCES.index(check_audience(required))
