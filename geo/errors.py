"""Domain exceptions of Trygghetskartan.

Every exception subclasses :class:`TrygghetskartanError`, itself a
:class:`ValueError`, so callers can catch all of them at once (the command
line does, and prints one line instead of a traceback).
"""

from __future__ import annotations

from layers.errors import LayerSpecError, TrygghetskartanError


class CRSError(TrygghetskartanError):
    """A coordinate reference system is missing, wrong or mismatched."""


class ValidationError(TrygghetskartanError):
    """Data does not satisfy its layer spec.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, not only the first.
    source : str, optional
        The file or object the data came from, for the message.
    """

    def __init__(self, problems: list, source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        n = len(self.problems)
        first = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {n - 5} more)" if n > 5 else ""
        super().__init__(f"{head}{n} problem(s): {first}{more}")


class DataStoreError(TrygghetskartanError):
    """The store cannot be opened, read or written."""


class AccessError(TrygghetskartanError):
    """The user (or the lack of one) may not do this: a write without a login, a page above the role."""


class PrivacyError(TrygghetskartanError):
    """An output would reveal data the audience may not see."""


__all__ = [
    "AccessError",
    "CRSError",
    "DataStoreError",
    "LayerSpecError",
    "PrivacyError",
    "TrygghetskartanError",
    "ValidationError",
]
