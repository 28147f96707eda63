"""Who may see what: users with bcrypt-hashed passwords, their audience, and the audit log.

Users live in a TOML file (``settings.users_path``)::

    [users.anna]
    name = "Anna Andersson"
    password = "$2b$12$..."        # bcrypt hash, made with `trygghetskartan users hash`
    audience = "staff"             # or "protected"

Nobody logs in to see the public view. Every view or export of protected
data is appended to the audit log (``settings.audit_log_path``), one JSON
object per line, never rewritten.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.audiences import AUDIENCES
from geo.errors import TrygghetskartanError


class AuthError(TrygghetskartanError):
    """The users file is malformed, or a login failed."""


@dataclass(frozen=True)
class User:
    """A user who may see more than the public view.

    Attributes
    ----------
    username : str
        Login name.
    name : str
        Display name.
    audience : {"staff", "protected"}
        What the user may see.
    """

    username: str
    name: str
    audience: str


def hash_password(password: str) -> str:
    """Return a bcrypt hash of ``password`` for the users file.

    Parameters
    ----------
    password : str
        The password (at least 8 characters).

    Returns
    -------
    str
        The hash, ``$2b$...``.

    Raises
    ------
    AuthError
        If the password is shorter than 8 characters.
    """
    import bcrypt

    if len(password) < 8:
        msg = "a password must have at least 8 characters"
        raise AuthError(msg)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


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
        if not str(secret).startswith("$2"):
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
    import bcrypt

    users = load_users(path)
    found = users.get(username)
    # compare against a dummy hash for unknown users, so timing does not tell who exists
    secret = found[1] if found else "$2b$12$zpvAhTLwhPnk.NoYq5hJ9eqnvp4CBejRVXl.ZmztI9SrLSmmCwUpa"
    ok = bcrypt.checkpw(password.encode("utf-8"), secret.encode("ascii"))
    if not found or not ok:
        msg = "wrong user name or password"
        raise AuthError(msg)
    return found[0]


def log_access(
    action: str, *, who: str | None, audience: str, what: str, path: str | Path | None = None
) -> None:
    """Append one line to the audit log when protected data is seen or exported.

    Only the ``protected`` audience is logged; other calls do nothing.

    Parameters
    ----------
    action : str
        ``"view"`` or ``"export"``.
    who : str or None
        The user (the OS user when None, e.g. on the command line).
    audience : str
        The audience of the output.
    what : str
        What was seen (a page, a file name, the parameters).
    path : str or pathlib.Path, optional
        The log file; defaults to ``settings.audit_log_path``.
    """
    if audience != "protected":
        return
    target = Path(settings.audit_log_path if path is None else path)
    target.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": who or _os_user(),
        "action": action,
        "audience": audience,
        "what": what,
    }
    with target.open("a", encoding="utf-8") as log:
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


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
    audience : {"staff", "protected"}
        What the user may see.
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
