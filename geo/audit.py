"""The audit log: who logged in, and who saw or exported protected data.

One JSON object per line in ``settings.audit_log_path``, only ever appended
to. Every stage may log (it sits with the core), so the command line, the
app and the outputs write the same log.

Examples
--------
>>> import tempfile, pathlib
>>> log = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
>>> log_event("login_failed", who="anna", address="192.0.2.1", path=log)
>>> [e["action"] for e in read_events(log)]
['login_failed']
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import threading
from pathlib import Path

from geo import settings

_WRITE_LOCK = threading.Lock()


def log_event(action: str, *, who: str | None, what: str = "", audience: str | None = None,
              address: str | None = None, path: str | Path | None = None) -> None:
    """Append one event to the audit log.

    Parameters
    ----------
    action : str
        What happened: ``"login"``, ``"login_failed"``, ``"login_locked"``,
        ``"logout"``, ``"logout_idle"``, ``"view"``, ``"export"`` …
    who : str or None
        The user (the operating system's user when None, e.g. on the command line).
    what : str, optional
        What was seen, exported or tried.
    audience : str, optional
        The audience of an output, or the role of a login.
    address : str, optional
        The client's address, for the app.
    path : str or pathlib.Path, optional
        The log file; defaults to ``settings.audit_log_path``.
    """
    target = Path(settings.audit_log_path if path is None else path)
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "who": who or _os_user(),
             "action": action}
    if audience is not None:
        entry["audience"] = audience
    if address is not None:
        entry["address"] = address
    entry["what"] = what
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _WRITE_LOCK:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as log:
            log.write(line)


def log_access(action: str, *, who: str | None, audience: str, what: str,
               path: str | Path | None = None) -> None:
    """Log a view or export of protected data (other audiences are not logged).

    Parameters
    ----------
    action : str
        ``"view"`` or ``"export"``.
    who : str or None
        The user (the operating system's user when None).
    audience : str
        The audience of the output; only ``protected`` is logged.
    what : str
        What was seen (a page, a file name, the parameters).
    path : str or pathlib.Path, optional
        The log file; defaults to ``settings.audit_log_path``.
    """
    if audience == "protected":
        log_event(action, who=who, audience=audience, what=what, path=path)


def read_events(path: str | Path | None = None) -> list[dict]:
    """Return the events of the audit log, oldest first (none if there is no log).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The log file; defaults to ``settings.audit_log_path``.

    Returns
    -------
    list of dict
        One dict per line.
    """
    target = Path(settings.audit_log_path if path is None else path)
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
