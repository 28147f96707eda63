"""The follow-up of the 77 actions: status per action and year, with its history.

Every change of status is one row appended to the store table
:data:`FOLLOWUP_TABLE` (``tk_action_followup``): the action, the year, the
status, a comment, the evidence (a lägesbild snapshot, a work list, an
export, a document name), who made the change and when. Rows are never
updated or deleted, so the whole history is kept; the status of an action
in a year is its latest row for that year, or ``not_started`` when it has
none.

- :func:`set_status` records a change; :func:`followup_history` reads them.
- :func:`register_table` gives the register for a year, one row per action,
  with the figure of each spatial action beside its status.
- :func:`status_counts` counts a register table per status.
- :func:`layer_counts_figures` gives the simple figure for now: the feature
  counts of the layers each spatial action is followed up from.

Examples
--------
>>> import tempfile, pathlib
>>> from geo.store import open_store
>>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
>>> _ = set_status(store, 7, 2024, "ongoing", comment="Avtal klart", user="anna")
>>> table = register_table(store, 2024)
>>> len(table), table.loc[table["nr"] == 7, "status"].item()
(77, 'ongoing')
>>> status_counts(table).to_dict()
{'not_started': 76, 'ongoing': 1, 'done': 0, 'continuous': 0, 'not_applicable': 0}
"""

from __future__ import annotations

import numbers
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd

from geo import settings
from geo.actions.program import ACTION_COUNT, BODIES, load_actions
from geo.actions.spatial import SPATIAL_ACTIONS
from geo.errors import ActionRegisterError
from geo.i18n import DEFAULT_LANGUAGE, format_number, t
from geo.store.records import default_user, latest_rows, read_history
from layers import get_spec

if TYPE_CHECKING:
    from collections.abc import Mapping

    from geo.actions.program import Action
    from geo.store import Store

#: Store table of the follow-up history (append-only).
FOLLOWUP_TABLE: str = "tk_action_followup"

#: Columns of :data:`FOLLOWUP_TABLE`, in order.
FOLLOWUP_COLUMNS: tuple[str, ...] = (
    "nr",
    "year",
    "status",
    "comment",
    "evidence",
    "changed_by",
    "changed_at",
)

#: Status codes, in the order reports list them. Labels: :func:`status_label`.
STATUSES: tuple[str, ...] = ("not_started", "ongoing", "done", "continuous", "not_applicable")

#: Status of an action with no follow-up row for the year.
DEFAULT_STATUS: str = "not_started"

#: First and last year a follow-up may be recorded for (the program starts in 2019).
FIRST_YEAR: int = 2019
LAST_YEAR: int = 2100

#: Columns of :func:`register_table`, in order.
REGISTER_COLUMNS: tuple[str, ...] = (
    "nr",
    "section",
    "section_title",
    "text",
    "responsible",
    "status",
    "comment",
    "evidence",
    "changed_by",
    "changed_at",
    "figure",
)

#: Separator of several responsible bodies in :func:`register_table`.
BODY_SEPARATOR: str = ", "

_TIME_DTYPE = f"datetime64[ns, {settings.timezone}]"


def current_year() -> int:
    """Return the current year in the local time zone (Europe/Stockholm).

    Returns
    -------
    int
        The year, e.g. ``2026``.

    Examples
    --------
    >>> current_year() >= 2019
    True
    """
    return pd.Timestamp.now(tz=settings.timezone).year


def status_label(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return the label of a status code.

    Parameters
    ----------
    status : str
        One of :data:`STATUSES`.
    lang : {"sv", "en"}
        The language.

    Returns
    -------
    str
        E.g. ``"Löpande"`` for ``"continuous"`` in Swedish.

    Raises
    ------
    ActionRegisterError
        If the status is unknown; the message lists the codes.

    Examples
    --------
    >>> status_label("not_applicable"), status_label("done", "en")
    ('Ej aktuell', 'Done')
    """
    return t(f"actions.status_{_check_status(status)}", lang)


def set_status(
    store: Store,
    nr: int,
    year: int,
    status: str,
    *,
    comment: str = "",
    evidence: str = "",
    user: str | None = None,
    at: pd.Timestamp | datetime | str | None = None,
) -> dict[str, object]:
    """Record the status of an action for a year, keeping every earlier record.

    Parameters
    ----------
    store : Store
        The store; the row is appended to :data:`FOLLOWUP_TABLE`.
    nr : int
        The action, 1 to 77.
    year : int
        The follow-up year, :data:`FIRST_YEAR` to :data:`LAST_YEAR`.
    status : str
        One of :data:`STATUSES`.
    comment : str, default ""
        What was done, or why the status changed.
    evidence : str, default ""
        What shows it: a link to a lägesbild snapshot, a work list, an
        export or a document name.
    user : str, optional
        Who made the change; default the operating-system user.
    at : pandas.Timestamp, datetime or str, optional
        When; default now. Naive times are read as Europe/Stockholm.

    Returns
    -------
    dict
        The row appended (keys :data:`FOLLOWUP_COLUMNS`), ``changed_at`` in
        Europe/Stockholm.

    Raises
    ------
    ActionRegisterError
        If an argument is not allowed; the message names the argument, what
        was received and what is allowed. Nothing is written.
    DataStoreError
        If the store cannot be written; it is left as it was.

    See Also
    --------
    followup_history : Every row recorded, oldest first.
    register_table : The latest status of every action for a year.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> row = set_status(store, 28, 2025, "done", evidence="Arbetslista påkörningsskydd 2025",
    ...                  user="anna", at="2025-12-01 10:00")
    >>> row["status"], str(row["changed_at"])
    ('done', '2025-12-01 10:00:00+01:00')
    """
    row = {
        "nr": _check_nr(nr),
        "year": _check_year(year),
        "status": _check_status(status),
        "comment": _check_text("comment", comment),
        "evidence": _check_text("evidence", evidence),
        "changed_by": _check_user(user),
        "changed_at": _check_time(at),
    }
    frame = pd.DataFrame([row], columns=list(FOLLOWUP_COLUMNS))
    frame["changed_at"] = frame["changed_at"].astype(_TIME_DTYPE)
    store.append_records(FOLLOWUP_TABLE, frame)
    return row


def followup_history(store: Store, *, nr: int | None = None, year: int | None = None) -> pd.DataFrame:
    """Return the recorded status changes, oldest first.

    Parameters
    ----------
    store : Store
        The store.
    nr : int, optional
        Only this action.
    year : int, optional
        Only this follow-up year.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FOLLOWUP_COLUMNS`; ``changed_at`` in Europe/Stockholm.
        Rows with the same time keep the order they were recorded in.

    Raises
    ------
    ActionRegisterError
        If ``nr`` or ``year`` is not allowed.
    DataStoreError
        If the stored table lacks a column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> followup_history(store).columns.tolist()
    ['nr', 'year', 'status', 'comment', 'evidence', 'changed_by', 'changed_at']
    """
    wanted_nr = None if nr is None else _check_nr(nr)
    wanted_year = None if year is None else _check_year(year)
    history = _read_history(store)
    keep = pd.Series(True, index=history.index)
    if wanted_nr is not None:
        keep &= history["nr"] == wanted_nr
    if wanted_year is not None:
        keep &= history["year"] == wanted_year
    return history.loc[keep].reset_index(drop=True)


def register_table(
    store: Store,
    year: int,
    *,
    figures: Mapping[int, str] | None = None,
    section: str | None = None,
    body: str | None = None,
    status: str | None = None,
) -> pd.DataFrame:
    """Return the register for a year: one row per action with its latest status.

    Parameters
    ----------
    store : Store
        The store with the follow-up history.
    year : int
        The follow-up year.
    figures : mapping of int to str, optional
        Action number → its current figure, already formatted (e.g. from
        :func:`layer_counts_figures`); shown in the ``figure`` column.
    section : str, optional
        Only this section, e.g. ``"5.1"``.
    body : str, optional
        Only actions this body is responsible for (one of
        :data:`geo.actions.BODIES`, e.g. ``"TEN"``).
    status : str, optional
        Only actions with this status for the year.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REGISTER_COLUMNS` in action order: 77 rows unless
        filtered. ``responsible`` joins the bodies with ``", "``; an action
        with no follow-up for the year has status ``not_started``, empty
        texts and no ``changed_at``; ``figure`` is ``""`` where none is given.

    Raises
    ------
    ActionRegisterError
        If ``year``, ``section``, ``body`` or ``status`` is not allowed; the
        message lists what is.

    See Also
    --------
    status_counts : Count the rows per status.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> ten = register_table(store, 2024, body="TEN", figures={7: "Klotter: 12"})
    >>> ten["nr"].tolist()
    [7, 9, 11, 12, 21, 27, 28, 36, 37, 38]
    >>> ten.loc[0, "figure"], ten.loc[0, "status"]
    ('Klotter: 12', 'not_started')
    """
    year = _check_year(year)
    actions = load_actions()
    actions = _filter_actions(actions, section=section, body=body)
    wanted_status = None if status is None else _check_status(status)
    latest = _latest(followup_history(store, year=year))
    table = _assemble(actions, latest, dict(figures or {}))
    if wanted_status is not None:
        table = table.loc[table["status"] == wanted_status].reset_index(drop=True)
    return table


def status_counts(table: pd.DataFrame) -> pd.Series:
    """Count the actions of a register table per status.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`register_table` (needs a ``status`` column).

    Returns
    -------
    pandas.Series
        Index :data:`STATUSES` (every status, zeros included), name
        ``"count"``; the counts add up to ``len(table)``.

    Raises
    ------
    ActionRegisterError
        If the table has no ``status`` column or holds an unknown status.

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["done", "done", "ongoing"]})).tolist()
    [0, 1, 2, 0, 0]
    """
    if "status" not in table.columns:
        raise ActionRegisterError("table", list(table.columns), "a table with a 'status' column")
    unknown = sorted(set(table["status"]) - set(STATUSES))
    if unknown:
        raise ActionRegisterError("status", unknown[0], ", ".join(STATUSES))
    counts = table["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return counts.astype("int64").rename("count").rename_axis("status")


def layer_counts_figures(store: Store, *, lang: str = DEFAULT_LANGUAGE) -> dict[int, str]:
    """Return, for each spatial action, the feature counts of its linked layers.

    A simple, honest figure until the indicators are computed: how many
    features each layer the action is followed up from holds in the store
    (all features, whatever their status), e.g. ``"Kameror: 24"``.

    Parameters
    ----------
    store : Store
        The store.
    lang : {"sv", "en"}
        Language of the layer names and numbers.

    Returns
    -------
    dict of int to str
        Action number (each of :data:`geo.actions.SPATIAL_ACTIONS`) → e.g.
        ``"Verksamheter: 120; Översvämningsrisk: 8"``. A layer not in the
        store shows ``"ej inläst"`` (not loaded) rather than a count.

    Notes
    -----
    The counts are whole-layer totals for the kommun, never locations;
    internal layers (e.g. ``facilities``) are counted too, so the figures
    are meant for staff and the verksamhetsberättelse, not for the map's
    public view.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from geo.store import open_store
    >>> store = open_store(pathlib.Path(tempfile.mkdtemp()) / "s.gpkg")
    >>> layer_counts_figures(store)[6]
    'Kameror: ej inläst'
    """
    stored = set(store.list_layers())
    counts: dict[str, int] = {}
    figures = {}
    for nr, spatial in sorted(SPATIAL_ACTIONS.items()):
        parts = []
        for layer in spatial.layers:
            if layer in stored and layer not in counts:
                counts[layer] = store.count(layer)
            value = (format_number(counts[layer], lang) if layer in stored
                     else t("actions.layer_not_loaded", lang))
            parts.append(f"{get_spec(layer).label(lang)}: {value}")
        figures[nr] = "; ".join(parts)
    return figures


# --- checks ------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_nr(nr: object) -> int:
    if not _is_int(nr) or not 1 <= int(nr) <= ACTION_COUNT:
        raise ActionRegisterError("nr", nr, f"a whole number 1-{ACTION_COUNT}")
    return int(nr)


def _check_year(year: object) -> int:
    if not _is_int(year) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ActionRegisterError("year", year, f"a whole number {FIRST_YEAR}-{LAST_YEAR}")
    return int(year)


def _check_status(status: object) -> str:
    if not isinstance(status, str) or status not in STATUSES:
        raise ActionRegisterError("status", status, ", ".join(STATUSES))
    return status


def _check_text(argument: str, value: object) -> str:
    if not isinstance(value, str):
        raise ActionRegisterError(argument, value, "a text (str)")
    return value.strip()


def _check_user(user: object) -> str:
    if user is None:
        return default_user()
    if not isinstance(user, str) or not user.strip():
        raise ActionRegisterError("user", user, "a non-empty name, or None for the current user")
    return user.strip()


def _check_time(at: object) -> pd.Timestamp:
    if at is None:
        return pd.Timestamp.now(tz=settings.timezone)
    try:
        stamp = pd.Timestamp(at)
    except (TypeError, ValueError) as exc:
        raise ActionRegisterError("at", at, "a date and time, e.g. '2026-03-28 14:00'") from exc
    if pd.isna(stamp):
        raise ActionRegisterError("at", at, "a date and time, e.g. '2026-03-28 14:00'")
    if stamp.tzinfo is None:
        try:
            stamp = stamp.tz_localize(settings.timezone, ambiguous="raise", nonexistent="raise")
        except (ValueError, TypeError) as exc:  # the DST gap or the repeated autumn hour
            raise ActionRegisterError(
                "at", at, f"a time that exists exactly once in {settings.timezone}, or one with an offset"
            ) from exc
    return stamp.tz_convert(settings.timezone)


def _check_section(section: str, actions: list[Action]) -> str:
    sections = list(dict.fromkeys(a.section for a in actions))
    if section not in sections:
        raise ActionRegisterError("section", section, ", ".join(sections))
    return section


def _check_body(body: str) -> str:
    if body not in BODIES:
        raise ActionRegisterError("body", body, ", ".join(BODIES))
    return body


# --- assembly ------------------------------------------------------------------------


def _read_history(store: Store) -> pd.DataFrame:
    """Read the follow-up table with canonical dtypes, oldest first."""
    history = read_history(store, FOLLOWUP_TABLE, FOLLOWUP_COLUMNS, integers=("nr", "year"),
                           times=("changed_at",), required=True)
    return history.sort_values("changed_at", kind="stable").reset_index(drop=True)


def _latest(history: pd.DataFrame) -> pd.DataFrame:
    """Return the last row per action of an oldest-first history, indexed by nr."""
    return latest_rows(history, "nr").set_index("nr")


def _filter_actions(actions: list[Action], *, section: str | None, body: str | None) -> list[Action]:
    if section is not None:
        section = _check_section(section, actions)
        actions = [a for a in actions if a.section == section]
    if body is not None:
        body = _check_body(body)
        actions = [a for a in actions if body in a.responsible]
    return actions


def _assemble(actions: list[Action], latest: pd.DataFrame, figures: dict[int, str]) -> pd.DataFrame:
    """Join the actions with their latest follow-up and figure."""
    rows = []
    for action in actions:
        found = action.nr in latest.index
        record = latest.loc[action.nr] if found else None
        rows.append(
            {
                "nr": action.nr,
                "section": action.section,
                "section_title": action.section_title,
                "text": action.text,
                "responsible": BODY_SEPARATOR.join(action.responsible),
                "status": record["status"] if found else DEFAULT_STATUS,
                "comment": record["comment"] if found else "",
                "evidence": record["evidence"] if found else "",
                "changed_by": record["changed_by"] if found else "",
                "changed_at": record["changed_at"] if found else pd.NaT,
                "figure": str(figures.get(action.nr, "")),
            }
        )
    table = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    table["nr"] = table["nr"].astype("int64")
    table["changed_at"] = pd.to_datetime(table["changed_at"], utc=True).dt.tz_convert(settings.timezone)
    table["changed_at"] = table["changed_at"].astype(_TIME_DTYPE)
    return table
