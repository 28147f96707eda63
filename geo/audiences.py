"""The audiences of every output, from the least to the most trusted.

- ``public``: anyone, without logging in;
- ``staff``: the kommun's staff, logged in;
- ``protected``: staff cleared for protected categories (aggregates only).

This module names them and what each may *do* (:data:`PERMISSIONS`); what
each may *see* of the data is decided in :mod:`geo.privacy`. It sits with
the core, so every stage can check an audience without importing the gate.
Every function that takes an audience defaults to :data:`DEFAULT_AUDIENCE`:
forgetting it must leak nothing.

Examples
--------
>>> check_audience("staff")
'staff'
>>> at_least("protected", "staff")
True
>>> may("public", "save_snapshot")
False
"""

from __future__ import annotations

from geo.errors import AccessError

AUDIENCES: tuple[str, ...] = ("public", "staff", "protected")
#: The audience of anything that does not name one.
DEFAULT_AUDIENCE: str = "public"
#: Audiences a logged-in user can have (the public does not log in).
USER_AUDIENCES: tuple[str, ...] = AUDIENCES[1:]

#: What each action needs: the least trusted audience that may do it. Every
#: write needs a logged-in user, whose name is recorded as its author.
PERMISSIONS: dict[str, str] = {
    "report_place": "public",          # Tipsa: residents pin an unsafe place, reviewed before shown
    "see_internal": "staff",           # internal layers, work lists, live figures of internal layers
    "see_protected": "protected",      # protected categories, as aggregates only
    "set_action_status": "staff",      # the action register's follow-up
    "save_snapshot": "staff",
    "import": "staff",
    "walks": "staff",                  # trygghetsvandringar: plan, record findings, protocol
    "moderate": "staff",               # review residents' reports
    "worklists": "staff",
}


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


def may(audience: str, action: str) -> bool:
    """Whether ``audience`` may do ``action``.

    Parameters
    ----------
    audience : str
        The audience asking.
    action : str
        A key of :data:`PERMISSIONS`.

    Returns
    -------
    bool
        True if the audience ranks at or above the action's.

    Raises
    ------
    KeyError
        If the action is unknown (a programming error, never a user's).
    """
    return at_least(audience, PERMISSIONS[action])


def require(audience: str, action: str) -> None:
    """Raise unless ``audience`` may do ``action``.

    Parameters
    ----------
    audience : str
        The audience asking.
    action : str
        A key of :data:`PERMISSIONS`.

    Raises
    ------
    AccessError
        If it may not; the message names the audience needed.
    """
    if not may(audience, action):
        msg = f"{action} needs a logged-in user of audience {PERMISSIONS[action]} or higher, not {audience}"
        raise AccessError(msg)
