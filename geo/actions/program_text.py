"""The program text: its 77 actions parsed, and the data file built from them.

The source is the program text *77-punktsprogram för trygghet och säkerhet
i Järfälla kommun 2019-2022* (Dnr Kst 2019/135). Under each section heading
(``5.1. Trygghet`` … ``5.12. Våldsbejakande extremism``) it has a table::

    Nr<TAB>Åtgärd<TAB>Huvudansvarig
    1<TAB>Revidering ska ske av …<TAB>KS

:func:`parse_program` turns the text into :class:`~geo.actions.program.Action`
records and :func:`build_actions_file` writes them to ``data/actions.json``
(the file the app and the command line read, with
:func:`geo.actions.program.load_actions`).

Notes
-----
Quirks of the text that the parser handles:

- A row broken across a page: its text continues on a later line that
  starts with a TAB (``<TAB>text<TAB>``), after the footnote and the blank
  lines of the page break. Blank lines and footnote lines (starting with a
  superscript digit) inside a table are skipped.
- Footnote markers (superscript digits, e.g. ``⁶``) are removed from the
  action text, and so are ``<i>…</i>`` tags (the words are kept). Spaces the
  conversion left before punctuation (``kommun </i> ,``, ``säkerhetsskydd ⁶ .``)
  are removed; typographic quotes are kept as they are.
- *Huvudansvarig* may name several bodies separated by spaces
  (``KS TEN JHAB``); ``Alla nämnder`` and ``Alla nämnder och bolag`` are
  single bodies.
- The abbreviations are defined in the text (``KS = Kommunstyrelsen``). Two
  bodies are not: ``BUN`` and ``Alla nämnder och bolag``; their names come
  from :data:`~geo.actions.program.BODY_NAME_FALLBACKS`. The text defines ``Alla nämnder`` as
  ``Ej familjerättsnämnden`` (every committee except the family law
  committee); that definition is kept verbatim.

Regenerate the data file after the text changes::

    .venv/bin/python -c "from geo.actions import build_actions_file; build_actions_file()"
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from geo.actions.program import (
    ACTION_COUNT,
    BODIES,
    BODY_NAME_FALLBACKS,
    Action,
    actions_path,
    seed_path,
)
from geo.errors import DataStoreError, ProgramParseError

if TYPE_CHECKING:
    from collections.abc import Iterator

_TABLE_HEADER = ("Nr", "Åtgärd", "Huvudansvarig")
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
# Any numbered heading ends a table; two-level ones ("5.1. Trygghet") start a
# section. Table-of-contents lines hold TABs and so match neither.
_HEADING = re.compile(r"^[0-9]+(?:\.[0-9]+)*\. \S[^\t]*$")
_SECTION = re.compile(r"^(?P<number>[0-9]+\.[0-9]+)\. (?P<title>\S[^\t]*)$")
_ROW = re.compile(r"^[0-9]+\t")
_DEFINITION = re.compile(r"^(?P<key>\S[^\t=]*?) = (?P<name>\S[^\t=]*)$")
_FOOTNOTE_LINE = re.compile(f"^[{_SUPERSCRIPTS}]+\\s")
_FOOTNOTE_MARK = re.compile(f"\\s*[{_SUPERSCRIPTS}]+")
_TAG = re.compile(r"</?(?:i|em|b)>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:])")
_SPACES = re.compile(r"\s+")
# Longest first, so "Alla nämnder och bolag" wins over "Alla nämnder".
_BODY_PATTERN = re.compile(
    "|".join(re.escape(b) for b in sorted(BODIES, key=len, reverse=True)) + r"(?= |$)"
)


@dataclass
class _Row:
    """A table row being read, possibly continued on a later line."""

    nr: int
    section: str
    section_title: str
    lineno: int
    content: str
    parts: list[str]
    responsible: str


@dataclass
class _Parse:
    """What one pass over the text found."""

    actions: list[Action]
    names: dict[str, str]
    last: tuple[int, str] | None


def parse_program(text: str, *, expected: int = ACTION_COUNT) -> list[Action]:
    r"""Parse the program text into its actions.

    Parameters
    ----------
    text : str
        The whole program text (see the module notes for its layout).
    expected : int, default ACTION_COUNT
        How many actions the text must hold, numbered 1 to ``expected``.

    Returns
    -------
    list of Action
        The actions in number order.

    Raises
    ------
    ProgramParseError
        If a table row has no number, a number repeats or is out of
        sequence, a body is unknown, or the count is not ``expected``; the
        message names the line and quotes it.

    See Also
    --------
    parse_body_names : The abbreviation table of the same text.

    Examples
    --------
    >>> text = (
    ...     "5.1. Trygghet\n"
    ...     "Nr\tÅtgärd\tHuvudansvarig\n"
    ...     "1\tTa fram <i>lägesbilder</i> ⁶ .\tKS TEN\n"
    ...     "2\tArbeta aktivt.\tAlla nämnder och bolag"
    ... )
    >>> actions = parse_program(text, expected=2)
    >>> actions[0].text, actions[0].responsible
    ('Ta fram lägesbilder.', ('KS', 'TEN'))
    >>> actions[1].responsible
    ('Alla nämnder och bolag',)
    """
    if expected < 1:
        msg = f"expected must be a positive number of actions, got {expected!r}"
        raise ValueError(msg)
    return _check_count(_parse(text), expected)


def parse_body_names(text: str) -> dict[str, str]:
    r"""Parse the abbreviation table of the program text.

    Parameters
    ----------
    text : str
        The whole program text, with lines like ``KS = Kommunstyrelsen``.

    Returns
    -------
    dict of str to str
        Abbreviation → name, in the order of :data:`~geo.actions.program.BODIES`: as the text
        defines it, else from :data:`~geo.actions.program.BODY_NAME_FALLBACKS`. Bodies with
        neither are left out (:func:`build_actions_file` refuses that).

    Raises
    ------
    ProgramParseError
        If a definition names an unknown body or contradicts an earlier one.

    Examples
    --------
    >>> names = parse_body_names("KS = Kommunstyrelsen\nTEN = Tekniska nämnden")
    >>> names["KS"], names["BUN"]
    ('Kommunstyrelsen', 'Barn- och ungdomsnämnden')
    """
    return _named_bodies(_parse(text).names)


def build_actions_file(source: Path | None = None, out: Path | None = None) -> list[Action]:
    """Parse the program text and write the action register as JSON.

    Parameters
    ----------
    source : pathlib.Path, optional
        The program text (UTF-8). Default ``../shared/seed/`` + :data:`~geo.actions.program.SEED_NAME`
        beside the repository.
    out : pathlib.Path, optional
        The JSON file to write. Default ``data/actions.json`` in the repository.

    Returns
    -------
    list of Action
        The actions written, in number order.

    Raises
    ------
    DataStoreError
        If the source cannot be read or is not UTF-8.
    ProgramParseError
        If the text does not parse (see :func:`parse_program`).

    Notes
    -----
    The file holds ``source`` (file name and SHA-256 of its bytes, for
    provenance), ``bodies`` (the name table), ``body_fallbacks`` (bodies
    whose names are not from the text) and ``actions`` sorted by number. It
    is UTF-8 with ``ensure_ascii=False`` and ``indent=1``, so the same text
    always gives the same bytes.

    Examples
    --------
    >>> actions = build_actions_file(seed_path(), tmp_path / "actions.json")  # doctest: +SKIP
    >>> len(actions)  # doctest: +SKIP
    77
    """
    source = seed_path() if source is None else Path(source)
    out = actions_path() if out is None else Path(out)
    raw = _read_bytes(source)
    text = _decode(raw, source)
    parsed = _parse(text)
    actions = _check_count(parsed, ACTION_COUNT)
    names = _complete_names(parsed.names)
    document = {
        "source": {"file": source.name, "sha256": hashlib.sha256(raw).hexdigest()},
        "bodies": names,
        "body_fallbacks": [b for b in BODIES if b not in parsed.names],
        "actions": [_action_record(a) for a in sorted(actions, key=lambda a: a.nr)],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return actions


# --- parsing -----------------------------------------------------------------


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield 1-based line numbers and lines, NFC-normalised, without carriage returns."""
    for lineno, line in enumerate(unicodedata.normalize("NFC", text).split("\n"), start=1):
        yield lineno, line.rstrip("\r")


def _parse(text: str) -> _Parse:
    """Read every table row and abbreviation; check numbering as rows complete."""
    found = _Parse(actions=[], names={}, last=None)
    seen: dict[int, int] = {}
    section: tuple[str, str] | None = None
    in_table = False
    row: _Row | None = None
    for lineno, line in _lines(text):
        if _HEADING.match(line):
            row = _finish(row, found, seen)
            in_table = False
            if match := _SECTION.match(line):
                section = (match["number"], match["title"].strip())
        elif not in_table:
            in_table = _read_outside_table(lineno, line, section, found.names)
        else:
            row = _read_table_line(lineno, line, section, row, found, seen)
    _finish(row, found, seen)
    return found


def _read_outside_table(
    lineno: int, line: str, section: tuple[str, str] | None, names: dict[str, str]
) -> bool:
    """Handle a line of prose; return whether it opens an action table."""
    if tuple(line.split("\t")) == _TABLE_HEADER:
        if section is None:
            raise ProgramParseError("action table before any section heading", lineno, line)
        return True
    if _ROW.match(line):
        raise ProgramParseError(
            "action row outside a table (no 'Nr<TAB>Åtgärd<TAB>Huvudansvarig' above it)",
            lineno,
            line,
        )
    if match := _DEFINITION.match(line):
        _add_definition(lineno, line, match["key"], match["name"].strip(), names)
    return False


def _add_definition(lineno: int, line: str, key: str, name: str, names: dict[str, str]) -> None:
    """Record ``key = name``, refusing unknown bodies and contradictions."""
    if key not in BODIES:
        msg = f"definition of unknown body {key!r}; known: {', '.join(BODIES)}"
        raise ProgramParseError(msg, lineno, line)
    if names.get(key, name) != name:
        msg = f"body {key!r} defined again with another name (first {names[key]!r})"
        raise ProgramParseError(msg, lineno, line)
    names[key] = name


def _read_table_line(
    lineno: int,
    line: str,
    section: tuple[str, str],
    row: _Row | None,
    found: _Parse,
    seen: dict[int, int],
) -> _Row | None:
    """Handle one line inside an action table; return the row being read."""
    if not line.strip() or _FOOTNOTE_LINE.match(line):
        return row
    fields = line.split("\t")
    if _ROW.match(line):
        _finish(row, found, seen)
        return _start_row(lineno, line, fields, section)
    if fields[0] == "" and len(fields) in (2, 3) and fields[1].strip():
        return _continue_row(lineno, line, fields, row)
    msg = (
        f"not an action row of section {section[0]}: expected "
        "'<number><TAB><text><TAB><responsible>' or a continuation '<TAB><text>'"
    )
    raise ProgramParseError(msg, lineno, line)


def _start_row(lineno: int, line: str, fields: list[str], section: tuple[str, str]) -> _Row:
    """Start a row from ``N<TAB>text<TAB>responsible`` (responsible may follow later)."""
    if len(fields) not in (2, 3) or not fields[1].strip():
        msg = "an action row needs '<number><TAB><text><TAB><responsible>'"
        raise ProgramParseError(msg, lineno, line)
    responsible = fields[2].strip() if len(fields) == 3 else ""
    return _Row(
        nr=int(fields[0]),
        section=section[0],
        section_title=section[1],
        lineno=lineno,
        content=line,
        parts=[fields[1]],
        responsible=responsible,
    )


def _continue_row(lineno: int, line: str, fields: list[str], row: _Row | None) -> _Row:
    """Append a ``<TAB>text[<TAB>responsible]`` line to the row it continues."""
    responsible = fields[2].strip() if len(fields) == 3 else ""
    if row is None:
        raise ProgramParseError("row without an action number", lineno, line)
    if responsible and row.responsible:
        msg = f"row without an action number (action {row.nr} already has a responsible body)"
        raise ProgramParseError(msg, lineno, line)
    row.parts.append(fields[1])
    row.responsible = row.responsible or responsible
    return row


def _finish(row: _Row | None, found: _Parse, seen: dict[int, int]) -> None:
    """Check a completed row's number and bodies and add it as an Action."""
    if row is None:
        return
    if row.nr in seen:
        msg = f"duplicate action number {row.nr} (first on line {seen[row.nr]})"
        raise ProgramParseError(msg, row.lineno, row.content)
    wanted = found.actions[-1].nr + 1 if found.actions else 1
    if row.nr != wanted:
        msg = f"action number {row.nr} out of sequence: expected {wanted}"
        raise ProgramParseError(msg, row.lineno, row.content)
    seen[row.nr] = row.lineno
    found.actions.append(
        Action(
            nr=row.nr,
            section=row.section,
            section_title=row.section_title,
            text=_clean_text(" ".join(row.parts)),
            responsible=_split_bodies(row),
        )
    )
    found.last = (row.lineno, row.content)


def _clean_text(text: str) -> str:
    """Drop markup and footnote markers, and tidy the spaces they leave."""
    text = _TAG.sub("", text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _SPACES.sub(" ", text)
    return _SPACE_BEFORE_PUNCTUATION.sub("", text).strip()


def _split_bodies(row: _Row) -> tuple[str, ...]:
    """Split *Huvudansvarig* into bodies, multi-word bodies kept whole."""
    if not row.responsible:
        msg = f"action {row.nr} names no responsible body"
        raise ProgramParseError(msg, row.lineno, row.content)
    bodies: list[str] = []
    rest = _SPACES.sub(" ", row.responsible)
    while rest:
        match = _BODY_PATTERN.match(rest)
        if match is None:
            unknown = rest.split(" ", 1)[0]
            msg = f"action {row.nr}: unknown body {unknown!r}; known: {', '.join(BODIES)}"
            raise ProgramParseError(msg, row.lineno, row.content)
        bodies.append(match.group())
        rest = rest[match.end() :].lstrip(" ")
    return tuple(bodies)


def _check_count(found: _Parse, expected: int) -> list[Action]:
    """Return the actions if they are exactly 1 to ``expected``."""
    if not found.actions:
        raise ProgramParseError("no action table ('Nr<TAB>Åtgärd<TAB>Huvudansvarig') found")
    if len(found.actions) != expected:
        lineno, content = found.last
        msg = (
            f"found {len(found.actions)} actions, expected {expected}; "
            f"the last is action {found.actions[-1].nr}"
        )
        raise ProgramParseError(msg, lineno, content)
    return list(found.actions)


def _named_bodies(names: dict[str, str]) -> dict[str, str]:
    """Order the names as :data:`~geo.actions.program.BODIES`, filling gaps from the fallbacks."""
    merged = {**BODY_NAME_FALLBACKS, **names}
    return {b: merged[b] for b in BODIES if b in merged}


def _complete_names(names: dict[str, str]) -> dict[str, str]:
    """Return :func:`_named_bodies`, refusing a body without a name."""
    named = _named_bodies(names)
    missing = [b for b in BODIES if b not in named]
    if missing:
        msg = f"no name for bodies {missing}: define them as 'ABBR = Name' in the text"
        raise ProgramParseError(msg)
    return named


# --- files -------------------------------------------------------------------


def _action_record(action: Action) -> dict:
    """Return the JSON record of one action."""
    return {
        "nr": action.nr,
        "section": action.section,
        "section_title": action.section_title,
        "text": action.text,
        "responsible": list(action.responsible),
    }


def _read_bytes(source: Path) -> bytes:
    """Read the program text, with a domain error when it is missing."""
    try:
        return source.read_bytes()
    except OSError as err:
        msg = f"cannot read the program text {str(source)!r}: {err.strerror or err}"
        raise DataStoreError(msg) from err


def _decode(raw: bytes, source: Path) -> str:
    """Decode the program text as UTF-8, naming the file when it is not."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        msg = f"the program text {str(source)!r} is not UTF-8 ({err.reason} at byte {err.start})"
        raise DataStoreError(msg) from err
