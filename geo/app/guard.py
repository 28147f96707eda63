"""Limits shared by every session: the login lock-out, and the count of residents' reports.

Lock-out after repeated failed logins, per user name and per client address.

One :data:`GUARD` is shared by every session of the server process (that is
the point: a reload or a new session must not reset it). While a name or an
address is locked, no password is even checked.

Examples
--------
>>> clock = iter(range(0, 10_000, 10)).__next__
>>> guard = LoginGuard(max_user_failures=3, clock=clock)
>>> for _ in range(3):
...     guard.failed("anna", "192.0.2.1")
>>> guard.locked_for("anna", "192.0.2.2") > 0
True
>>> guard.locked_for("bertil", "192.0.2.2")
0.0
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

import pandas as pd

#: Failures of one user name within the window before it is locked.
MAX_USER_FAILURES = 5
#: Failures from one client address within the window before it is locked (many names tried).
MAX_ADDRESS_FAILURES = 20
#: Seconds a failure counts, and seconds a lock lasts after the last failure.
WINDOW_S = 15 * 60.0


class LoginGuard:
    """Count failed logins and say how long a name or an address is locked.

    Parameters
    ----------
    max_user_failures : int
        Failures of one user name within ``window_s`` that lock it.
    max_address_failures : int
        Failures from one client address within ``window_s`` that lock it.
    window_s : float
        Seconds a failure counts; a lock lasts this long after the failure
        that made it.
    clock : callable, optional
        Seconds, monotonic (``time.monotonic``); tests pass their own.
    """

    def __init__(self, *, max_user_failures: int = MAX_USER_FAILURES,
                 max_address_failures: int = MAX_ADDRESS_FAILURES, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if min(max_user_failures, max_address_failures) < 1 or window_s <= 0:
            msg = "the failure limits must be at least 1 and the window positive"
            raise ValueError(msg)
        self._limits = {"user": max_user_failures, "address": max_address_failures}
        self._window = float(window_s)
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def locked_for(self, username: str, address: str | None) -> float:
        """Return the seconds left of a lock on this name or address (0.0 if neither is locked).

        Parameters
        ----------
        username : str
            The name typed (case and surrounding space do not matter).
        address : str or None
            The client's address (None when unknown).

        Returns
        -------
        float
            Seconds until a login may be tried again.
        """
        now = self._clock()
        with self._lock:
            return max((self._left(key, now) for key in self._keys(username, address)), default=0.0)

    def failed(self, username: str, address: str | None) -> None:
        """Count a failed login for the name and the address.

        Parameters
        ----------
        username : str
            The name typed.
        address : str or None
            The client's address.
        """
        now = self._clock()
        with self._lock:
            for key in self._keys(username, address):
                self._failures[key].append(now)
                self._expire(key, now)

    def succeeded(self, username: str) -> None:
        """Forget the name's failures after a successful login (the address keeps its own).

        Parameters
        ----------
        username : str
            The name that logged in.
        """
        with self._lock:
            self._failures.pop(("user", _name_key(username)), None)

    def _keys(self, username: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("user", _name_key(username))]
        if address:
            keys.append(("address", address))
        return keys

    def _expire(self, key: tuple[str, str], now: float) -> None:
        times = self._failures[key]
        while times and now - times[0] > self._window:
            times.popleft()

    def _left(self, key: tuple[str, str], now: float) -> float:
        if key not in self._failures:
            return 0.0
        self._expire(key, now)
        times = self._failures[key]
        if len(times) < self._limits[key[0]]:
            return 0.0
        return max(0.0, times[-1] + self._window - now)


def _name_key(username: str) -> str:
    return username.strip().casefold()


#: The guard of this server process, shared by all its sessions.
GUARD = LoginGuard()


class EventLog:
    """Times of events per key (a client address, or :data:`EVERYONE`), shared by all sessions.

    The Tipsa page keeps residents' reports here, so that its rate limit holds
    per address and for the whole server whatever the browser does (a reload
    or a new session starts a new ``st.session_state``, not a new log).

    Parameters
    ----------
    keep : pandas.Timedelta, optional
        How long an event is remembered; default one hour.
    """

    def __init__(self, keep: pd.Timedelta | None = None) -> None:
        self._keep = pd.Timedelta(hours=1) if keep is None else keep
        self._times: dict[str, list[pd.Timestamp]] = defaultdict(list)
        self._lock = threading.Lock()

    def times(self, key: str, now: pd.Timestamp) -> list[pd.Timestamp]:
        """Return the events of ``key`` still remembered at ``now``, oldest first.

        Parameters
        ----------
        key : str
            A client address, or :data:`EVERYONE`.
        now : pandas.Timestamp
            The current time, tz-aware.

        Returns
        -------
        list of pandas.Timestamp
            The times.
        """
        with self._lock:
            kept = [at for at in self._times.get(key, []) if now - at <= self._keep]
            self._times[key] = kept
            return list(kept)

    def add(self, key: str, now: pd.Timestamp) -> None:
        """Remember an event of ``key`` (and of :data:`EVERYONE`) at ``now``.

        Parameters
        ----------
        key : str
            A client address.
        now : pandas.Timestamp
            The time of the event, tz-aware.
        """
        with self._lock:
            for name in {key, EVERYONE}:
                self._times[name].append(now)


#: The key of every event of the server, whoever sent it.
EVERYONE = "*"
#: Residents' reports of this server process, per client address and in all.
REPORTS = EventLog()
