"""Roles for users who log in through the municipality's identity provider (OIDC).

The app logs such users in with Streamlit's ``st.login``; this module only
turns the claims of their ID token (``st.user``) into a :class:`User`. One
claim (``settings.oidc_role_claim``, default ``"groups"``) holds the user's
groups or roles; a TOML file (``settings.oidc_roles_path``) maps its values
to an audience::

    # data/oidc_roles.toml
    [roles]
    "tk-personal" = "staff"          # a group name (Keycloak) or object id (Entra ID)
    "tk-skyddat" = "protected"

A user gets the highest audience any of their values maps to; a user with
no mapped value is ``public`` (logged in, but sees only the public view).
This module never imports Streamlit.

Examples
--------
>>> roles = {"tk-personal": "staff", "tk-skyddat": "protected"}
>>> audience_from_claims({"groups": ["alla", "tk-personal"]}, roles)
'staff'
>>> audience_from_claims({"groups": ["tk-personal", "tk-skyddat"]}, roles)
'protected'
>>> audience_from_claims({"groups": ["alla"]}, roles)
'public'
>>> user_from_claims({"sub": "x1", "name": "Anna", "groups": "tk-personal"}, roles)
User(username='x1', name='Anna', audience='staff')
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo import settings
from geo.app.auth import User
from geo.audiences import AUDIENCES, DEFAULT_AUDIENCE, USER_AUDIENCES
from geo.errors import AuthError

#: Claims tried, in order, for the user name shown in the audit log.
USERNAME_CLAIMS: tuple[str, ...] = ("preferred_username", "upn", "email", "sub")


def load_role_map(path: str | Path | None = None) -> dict[str, str]:
    """Read the mapping claim value → audience (empty when the file does not exist).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The TOML file; defaults to ``settings.oidc_roles_path``.

    Returns
    -------
    dict
        ``{claim value: "staff" or "protected"}``.

    Raises
    ------
    AuthError
        If the file is not TOML, or maps a value to anything but ``staff``
        or ``protected``.
    """
    target = Path(settings.oidc_roles_path if path is None else path)
    if not target.exists():
        return {}
    try:
        roles = tomllib.loads(target.read_text(encoding="utf-8")).get("roles", {})
    except tomllib.TOMLDecodeError as exc:
        msg = f"{target}: not valid TOML ({exc})"
        raise AuthError(msg) from exc
    if not isinstance(roles, dict):
        msg = f"{target}: [roles] must be a table of claim value = audience"
        raise AuthError(msg)
    for value, audience in roles.items():
        if audience not in USER_AUDIENCES:
            msg = f"{target}: role {value!r} = {audience!r}; allowed: {', '.join(USER_AUDIENCES)}"
            raise AuthError(msg)
    return dict(roles)


def claim_values(claims: Mapping[str, Any], claim: str | None = None) -> list[str]:
    """Return the values of the role claim as strings.

    Parameters
    ----------
    claims : mapping
        The ID token's claims (``st.user.to_dict()``).
    claim : str, optional
        The claim; defaults to ``settings.oidc_role_claim``. Dots read a
        nested claim: ``"realm_access.roles"``.

    Returns
    -------
    list of str
        Empty when the claim is missing; a single string becomes one value.

    Examples
    --------
    >>> claim_values({"realm_access": {"roles": ["a", "b"]}}, "realm_access.roles")
    ['a', 'b']
    >>> claim_values({"groups": "a"}, "groups")
    ['a']
    """
    value: Any = claims
    for part in (settings.oidc_role_claim if claim is None else claim).split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None:
        return []
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int)]
    return []


def audience_from_claims(claims: Mapping[str, Any], role_map: Mapping[str, str] | None = None,
                         claim: str | None = None) -> str:
    """Return the highest audience the user's role claim maps to (``public`` if none).

    Parameters
    ----------
    claims : mapping
        The ID token's claims.
    role_map : mapping, optional
        Claim value → audience; defaults to :func:`load_role_map`.
    claim : str, optional
        The role claim; defaults to ``settings.oidc_role_claim``.

    Returns
    -------
    str
        ``public``, ``staff`` or ``protected``.
    """
    roles = load_role_map() if role_map is None else role_map
    mapped = [roles[v] for v in claim_values(claims, claim) if roles.get(v) in AUDIENCES]
    return max(mapped, key=AUDIENCES.index, default=DEFAULT_AUDIENCE)


def user_from_claims(claims: Mapping[str, Any], role_map: Mapping[str, str] | None = None,
                     claim: str | None = None) -> User:
    """Build the app's :class:`User` of an OIDC login.

    Parameters
    ----------
    claims : mapping
        The ID token's claims.
    role_map : mapping, optional
        Claim value → audience; defaults to :func:`load_role_map`.
    claim : str, optional
        The role claim; defaults to ``settings.oidc_role_claim``.

    Returns
    -------
    User
        User name from the first of :data:`USERNAME_CLAIMS` present, display
        name from ``name`` (else the user name), audience from
        :func:`audience_from_claims`.
    """
    username = next((str(claims[c]) for c in USERNAME_CLAIMS if claims.get(c)), "?")
    name = str(claims.get("name") or username)
    return User(username, name, audience_from_claims(claims, role_map, claim))
