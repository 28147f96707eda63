"""Who may see what: users with bcrypt-hashed passwords, their audience, and the audit log.

Users live in a TOML file (``settings.users_path``)::

    [users.anna]
    name = "Anna Andersson"
    password = "$2b$12$..."        # bcrypt hash, made with `trygghetskartan users hash`
    audience = "staff"             # or "protected"

Nobody logs in to see the public view. Passwords of any length are
accepted: a password is hashed with SHA-256 before bcrypt (bcrypt reads 72
bytes at most), and such hashes are stored with the prefix ``sha256$``;
plain bcrypt hashes of earlier versions are still read. Logins, failed
ones included, and every view or export of protected data go to the audit
log (:mod:`geo.audit`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.audiences import AUDIENCES
from geo.errors import AuthError

#: Shortest password accepted for a new user.
MIN_PASSWORD_LENGTH = 8
#: Longest password accepted (any length a person types; this only bounds the work).
MAX_PASSWORD_LENGTH = 4096
#: Prefix of hashes made of the SHA-256 of the password.
PREHASH_PREFIX = "sha256$"
_DUMMY_HASH = "sha256$$2b$12$zpvAhTLwhPnk.NoYq5hJ9eqnvp4CBejRVXl.ZmztI9SrLSmmCwUpa"


@dataclass(frozen=True)
class User:
    """A user who may see more than the public view.

    Attributes
    ----------
    username : str
        Login name.
    name : str
        Display name.
    audience : {"staff", "protected", "public"}
        What the user may see (``public`` only for a login through the
        identity provider whose role claim maps to nothing, :mod:`geo.app.oidc`).
    """

    username: str
    name: str
    audience: str


def hash_password(password: str) -> str:
    """Return a bcrypt hash of ``password`` for the users file.

    Parameters
    ----------
    password : str
        The password: at least :data:`MIN_PASSWORD_LENGTH` characters, of
        any length up to :data:`MAX_PASSWORD_LENGTH`.

    Returns
    -------
    str
        The hash, ``sha256$$2b$...``.

    Raises
    ------
    AuthError
        If the password is too short or absurdly long.
    """
    import bcrypt

    if len(password) < MIN_PASSWORD_LENGTH:
        msg = f"a password must have at least {MIN_PASSWORD_LENGTH} characters"
        raise AuthError(msg)
    if len(password) > MAX_PASSWORD_LENGTH:
        msg = f"a password may have at most {MAX_PASSWORD_LENGTH} characters"
        raise AuthError(msg)
    return PREHASH_PREFIX + bcrypt.hashpw(_prehash(password), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, secret: str) -> bool:
    """Whether ``password`` matches a stored hash (``sha256$`` prefixed, or plain bcrypt).

    Parameters
    ----------
    password : str
        What the user typed, of any length.
    secret : str
        The stored hash.

    Returns
    -------
    bool
        True if it matches. A password too long for a plain bcrypt hash
        does not match it (no error).
    """
    import bcrypt

    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    if secret.startswith(PREHASH_PREFIX):
        return bcrypt.checkpw(_prehash(password), secret[len(PREHASH_PREFIX):].encode("ascii"))
    raw = password.encode("utf-8")
    if len(raw) > 72:  # bcrypt 5 refuses longer input; such a password was never hashed this way
        bcrypt.checkpw(b"x", secret.encode("ascii"))  # the same time as a real check
        return False
    return bcrypt.checkpw(raw, secret.encode("ascii"))


def _prehash(password: str) -> bytes:
    """SHA-256 of the password, base64: 44 bytes, never a NUL, for bcrypt."""
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def load_users(path: str | Path | None = None) -> dict[str, tuple[User, str]]:
    """Read the users file: username → (user, bcrypt hash).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Defaults to ``settings.users_path``; a missing file means no users.

    Returns
    -------
    dict
        Users by login name.

    Raises
    ------
    AuthError
        If the file is malformed: every problem is named.
    """
    path = Path(settings.users_path if path is None else path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path.name}: not valid TOML: {exc}"
        raise AuthError(msg) from exc
    users: dict[str, tuple[User, str]] = {}
    problems = []
    for username, entry in (data.get("users") or {}).items():
        audience = entry.get("audience")
        secret = entry.get("password", "")
        if audience not in AUDIENCES[1:]:
            problems.append(f"user {username!r}: audience {audience!r} not in staff, protected")
        if not str(secret).startswith(("$2", PREHASH_PREFIX + "$2")):
            problems.append(f"user {username!r}: password must be a bcrypt hash")
        users[username] = (User(username, entry.get("name", username), audience), str(secret))
    if problems:
        raise AuthError(f"{path.name}: " + "; ".join(problems))
    return users


def authenticate(username: str, password: str, *, path: str | Path | None = None) -> User:
    """Check a login and return the user.

    Parameters
    ----------
    username, password : str
        What the user typed.
    path : str or pathlib.Path, optional
        The users file.

    Returns
    -------
    User
        The logged-in user.

    Raises
    ------
    AuthError
        If the user is unknown or the password wrong (one message for both).
    """
    users = load_users(path)
    found = users.get(username)
    # compare against a dummy hash for unknown users, so timing does not tell who exists
    secret = found[1] if found else _DUMMY_HASH
    ok = check_password(password, secret)
    if not found or not ok:
        msg = "wrong user name or password"
        raise AuthError(msg)
    return found[0]


def add_user(
    username: str, password: str, *, audience: str, name: str | None = None, path: str | Path | None = None
) -> Path:
    """Add or replace a user in the users file, storing only the bcrypt hash.

    Parameters
    ----------
    username : str
        Login name: letters, digits, ``.``, ``-``, ``_``.
    password : str
        The password (hashed before it is written).
    audience : {"staff", "protected", "public"}
        What the user may see (``public`` only for a login through the
        identity provider whose role claim maps to nothing, :mod:`geo.app.oidc`).
    name : str, optional
        Display name.
    path : str or pathlib.Path, optional
        The users file.

    Returns
    -------
    pathlib.Path
        The users file.

    Raises
    ------
    AuthError
        If the user name or audience is not allowed, or the password too short.
    """
    import re

    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", username):
        msg = f"user name {username!r} is not allowed; use letters, digits, '.', '-' or '_'"
        raise AuthError(msg)
    if audience not in AUDIENCES[1:]:
        msg = f"audience={audience!r} is not allowed for a user; allowed: staff, protected"
        raise AuthError(msg)
    target = Path(settings.users_path if path is None else path)
    users = load_users(target)
    users[username] = (User(username, name or username, audience), hash_password(password))
    lines = []
    for key, (user, secret) in sorted(users.items()):
        lines += [
            f"[users.{json.dumps(key)}]",
            f"name = {json.dumps(user.name, ensure_ascii=False)}",
            f"password = {json.dumps(secret)}",
            f"audience = {json.dumps(user.audience)}",
            "",
        ]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(target)
    return target
