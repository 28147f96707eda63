"""Domain exceptions of Trygghetskartan.

Every exception subclasses :class:`TrygghetskartanError`, itself a
:class:`ValueError`, so callers can catch all of them at once (the command
line does, and prints one line instead of a traceback).
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.i18n import TEXTS, format_number, t
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


# -- reading and importing files (geo.io) --

class SourceError(TrygghetskartanError):
    """A source file cannot be read: missing, empty, unsafe or of an unknown format."""


class LayerChoiceError(SourceError):
    """A source holds several layers and none was chosen.

    Parameters
    ----------
    source : str
        The file name.
    layers : list of str
        The layers to choose from.
    """

    def __init__(self, source: str, layers: list[str]) -> None:
        self.source = source
        self.layers = list(layers)
        super().__init__(
            f"{source} holds {len(layers)} layers: {', '.join(layers)}; "
            "choose one with --layer NAME (layer_name=...)"
        )


class ImportArgumentError(TrygghetskartanError):
    """An import argument does not fit the file or the layer (mapping, fill, mode)."""


class ImportValidationError(ValidationError):
    """An import was refused; every problem is listed with its file, row and field.

    Parameters
    ----------
    problems : list of Problem
        Every problem found.
    source : str
        The file name.
    row_convention : str, default "vector"
        How rows are numbered, one of :data:`geo.io.import_report.ROW_CONVENTIONS`
        (its text is ``import_rows.<convention>``); an unknown one counts as ``vector``.
    """

    def __init__(self, problems: list, source: str | None = None, *, row_convention: str = "vector") -> None:
        super().__init__(problems, source=source)
        known = f"import_rows.{row_convention}" in TEXTS
        self.row_convention = row_convention if known else "vector"
        head, _, rest = str(self.args[0]).partition(" problem(s): ")
        convention = t(f"import_rows.{self.row_convention}", "en")
        self.args = (f"{head} problem(s) ({convention}): {rest}",)


class ImportRefusedError(ValidationError):
    """The command line's last word on a refused import, its problems printed already.

    A :class:`~geo.errors.ValidationError` with the same problems, whose text
    is one short line in the user's language instead of the list again.

    Parameters
    ----------
    error : geo.errors.ValidationError
        The refusal.
    lang : str
        ``"sv"`` or ``"en"``.
    """

    def __init__(self, error: ValidationError, lang: str) -> None:
        super().__init__(error.problems, source=error.source)
        self.row_convention = getattr(error, "row_convention", "vector")
        self.args = (t("import_cli.refused", lang, file=error.source or "-",
                       n=format_number(len(error.problems), lang)),)


class Open311Error(TrygghetskartanError):
    """An Open311 argument does not fit (a layer or service mapping)."""


# -- work lists, the action register, residents' input --

class WorklistError(TrygghetskartanError):
    """A work list cannot be built from the arguments or data given."""


class ActionRegisterError(TrygghetskartanError):
    """An argument of the action register is not allowed.

    Parameters
    ----------
    argument : str
        The argument's name, e.g. ``"nr"``.
    received : object
        The value given.
    allowed : str
        What is allowed, e.g. ``"1-77"``.
    """

    def __init__(self, argument: str, received: object, allowed: str) -> None:
        self.argument = argument
        self.received = received
        self.allowed = allowed
        super().__init__(f"{argument}={received!r} is not allowed; allowed: {allowed}")


class ProgramParseError(TrygghetskartanError):
    """The program text does not have the expected structure.

    Parameters
    ----------
    problem : str
        What is wrong.
    lineno : int, optional
        1-based line number in the text.
    content : str, optional
        The offending line, quoted in the message.
    """

    def __init__(self, problem: str, lineno: int | None = None, content: str | None = None) -> None:
        self.problem = problem
        self.lineno = lineno
        self.content = content
        where = f"line {lineno}: " if lineno is not None else ""
        quoted = f": {content!r}" if content is not None else ""
        super().__init__(f"{where}{problem}{quoted}")


class LawReportError(TrygghetskartanError):
    """The law report cannot be built or written from the arguments given."""


class WalkError(TrygghetskartanError):
    """A walk, finding or decision was refused; every problem is listed.

    Parameters
    ----------
    problems : sequence of geo.participation.walks.WalkProblem
        What is wrong.
    """

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class ReportError(TrygghetskartanError):
    """A report, or a moderation of one, was refused.

    Parameters
    ----------
    code : str
        Stable code; ``walks.err_<code>`` in :data:`geo.i18n.TEXTS`.
    message : str
        English message naming what was received and what is allowed.
    **values
        Placeholder values for the translated text.
    """

    def __init__(self, code: str, message: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(message)


# -- the app --

class AuthError(TrygghetskartanError):
    """The users file or the OIDC role map is malformed, or a login failed."""


__all__ = [
    "AccessError",
    "ActionRegisterError",
    "AuthError",
    "CRSError",
    "DataStoreError",
    "ImportArgumentError",
    "ImportRefusedError",
    "ImportValidationError",
    "LawReportError",
    "LayerChoiceError",
    "LayerSpecError",
    "Open311Error",
    "PrivacyError",
    "ProgramParseError",
    "ReportError",
    "SourceError",
    "TrygghetskartanError",
    "ValidationError",
    "WalkError",
    "WorklistError",
]
