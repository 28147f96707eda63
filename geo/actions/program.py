"""The action register: the 77 actions of the program, as the app reads them.

The actions are parsed from the program text by :mod:`geo.actions.program_text`
and written to ``data/actions.json``; this module holds what the rest of the
app needs of them: the :class:`Action` record, the bodies that may be
responsible (:data:`BODIES`, with :data:`BODY_NAME_FALLBACKS`), and
:func:`load_actions` and :func:`load_body_names`, which read the data file.

Examples
--------
>>> actions = load_actions()
>>> actions[6].section_title, actions[6].responsible
('Trygghet', ('TEN',))
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from geo import settings
from geo.errors import DataStoreError

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Number of actions in the program; :func:`parse_program` requires exactly these.
ACTION_COUNT: int = 77

#: File name of the program text, under ``../shared/seed/`` beside the repository.
SEED_NAME: str = "77-punktsprogram-2019-2022.txt"

#: Bodies allowed under *Huvudansvarig*, in the order the name table lists them.
BODIES: tuple[str, ...] = (
    "KS",
    "KDN",
    "KON",
    "TEN",
    "SON",
    "ÄN",
    "BUN",
    "JHAB",
    "JNAB",
    "Alla nämnder",
    "Alla nämnder och bolag",
)

#: Names of the bodies the text uses but does not define. ``BUN`` is the
#: Barn- och ungdomsnämnden of the 2019 organisation; ``Alla nämnder och
#: bolag`` describes itself.
BODY_NAME_FALLBACKS: Mapping[str, str] = MappingProxyType(
    {
        "BUN": "Barn- och ungdomsnämnden",
        "Alla nämnder och bolag": "Alla nämnder och bolag",
    }
)

@dataclass(frozen=True)
class Action:
    """One action of the program.

    Parameters
    ----------
    nr : int
        The action number, 1 to 77.
    section : str
        Number of the section it is listed under, e.g. ``"5.1"``.
    section_title : str
        Title of that section, e.g. ``"Trygghet"``.
    text : str
        The action as written, without footnote markers and markup.
    responsible : tuple of str
        The bodies with main responsibility (*Huvudansvarig*), each one of
        :data:`BODIES`, in the order the text gives them.
    """

    nr: int
    section: str
    section_title: str
    text: str
    responsible: tuple[str, ...]


def load_actions(path: Path | None = None) -> list[Action]:
    """Read the action register written by :func:`build_actions_file`.

    Parameters
    ----------
    path : pathlib.Path, optional
        The JSON file. Default ``data/actions.json`` in the repository.

    Returns
    -------
    list of Action
        The actions in number order.

    Raises
    ------
    DataStoreError
        If the file is missing, is not JSON or lacks a field.

    Examples
    --------
    >>> actions = load_actions()
    >>> len(actions), actions[6].responsible
    (77, ('TEN',))
    """
    document = _read_document(path)
    try:
        actions = [
            Action(
                nr=int(r["nr"]),
                section=str(r["section"]),
                section_title=str(r["section_title"]),
                text=str(r["text"]),
                responsible=tuple(r["responsible"]),
            )
            for r in document["actions"]
        ]
    except (KeyError, TypeError, ValueError) as err:
        msg = (
            f"{_document_name(path)}: malformed action record ({err!r}); "
            "rebuild it with build_actions_file()"
        )
        raise DataStoreError(msg) from err
    return sorted(actions, key=lambda a: a.nr)


def load_body_names(path: Path | None = None) -> dict[str, str]:
    """Read the body name table written by :func:`build_actions_file`.

    Parameters
    ----------
    path : pathlib.Path, optional
        The JSON file. Default ``data/actions.json`` in the repository.

    Returns
    -------
    dict of str to str
        Abbreviation → name, e.g. ``"TEN"`` → ``"Tekniska nämnden"``.

    Raises
    ------
    DataStoreError
        If the file is missing, is not JSON or has no name table.

    Examples
    --------
    >>> load_body_names()["JHAB"]
    'Järfällahus AB'
    """
    document = _read_document(path)
    names = document.get("bodies")
    if not isinstance(names, dict):
        msg = f"{_document_name(path)}: no 'bodies' table; rebuild it with build_actions_file()"
        raise DataStoreError(msg)
    return {str(k): str(v) for k, v in names.items()}


def seed_path() -> Path:
    """Return where the program text is expected: ``../shared/seed/`` beside the repository.

    Returns
    -------
    pathlib.Path
        ``settings.PROJECT_ROOT.parent / "shared" / "seed" / SEED_NAME``.

    Examples
    --------
    >>> seed_path().name
    '77-punktsprogram-2019-2022.txt'
    """
    return settings.PROJECT_ROOT.parent / "shared" / "seed" / SEED_NAME


def actions_path() -> Path:
    """Return the default action register file, ``data/actions.json``.

    Returns
    -------
    pathlib.Path
        ``settings.PROJECT_ROOT / "data" / "actions.json"``.

    Examples
    --------
    >>> actions_path().name
    'actions.json'
    """
    return settings.PROJECT_ROOT / "data" / "actions.json"


# --- the data file ---------------------------------------------------------------


def _document_name(path: Path | None) -> str:
    """Return the action file's path for messages."""
    return repr(str(actions_path() if path is None else path))


def _read_document(path: Path | None) -> dict:
    """Read and decode the action register JSON."""
    path = actions_path() if path is None else Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        msg = (
            f"cannot read the action register {str(path)!r}: {err.strerror or err}; "
            "build it with build_actions_file()"
        )
        raise DataStoreError(msg) from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        msg = f"the action register {str(path)!r} is not UTF-8 JSON: {err}"
        raise DataStoreError(msg) from err
    if not isinstance(document, dict) or not isinstance(document.get("actions"), list):
        msg = f"the action register {str(path)!r} has no 'actions' list"
        raise DataStoreError(msg)
    return document
