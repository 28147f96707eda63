"""What an import tells its user: notes, the report, the refusal, and their texts.

An import ends in an :class:`ImportReport` (rows read and accepted, every
problem, the notes on what was detected or fixed, a preview) or, when it
was to be written and is refused, an :class:`ImportValidationError` that
lists every problem with its file, row and field. Rows are numbered as the
user sees them in the file; :data:`ROW_CONVENTIONS` says how, per reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.errors import ImportArgumentError, ImportValidationError
from geo.i18n import NAMESPACES, format_number
from geo.i18n.imports import ROW_CONVENTIONS
from layers import get_spec
from layers.validate import Problem

#: Note code → (Swedish, English) text with ``{named}`` parameters.
NOTE_TEXTS = NAMESPACES['import_notes']  # this part of the one table, geo.i18n.TEXTS


@dataclass(frozen=True)
class Note:
    """Something the import did or found that is not a problem.

    Attributes
    ----------
    code : str
        A key of :data:`NOTE_TEXTS`.
    params : dict
        Values for the text.
    """

    code: str
    params: dict = field(default_factory=dict, compare=False)

    def text(self, lang: str = "en") -> str:
        """Return the note in ``lang`` (``"sv"`` or ``"en"``).

        Parameters
        ----------
        lang : str, default "en"
            Language code.

        Returns
        -------
        str
            The note with its values filled in (numbers the Swedish way in Swedish).
        """
        sv, en = NOTE_TEXTS[self.code]
        values = {k: format_number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v
                  for k, v in self.params.items()}
        return (sv if lang == "sv" else en).format(**values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class ImportReport:
    """What an import read, found and did.

    Attributes
    ----------
    source : str
        The file name.
    layer : str
        The target layer.
    format : str
        The format code it was read as.
    rows_read : int
        Data rows in the file (blank lines and skipped requests not counted).
    rows_ok : int
        Rows without a problem of their own.
    problems : list of Problem
        Every problem (empty when the import can be, or was, written).
    notes : list of Note
        What was detected or fixed ("swapped lat/lon fixed in 50 rows").
    preview : geopandas.GeoDataFrame
        The first :data:`PREVIEW_ROWS` rows as they would be stored.
    dry_run : bool
        Whether nothing was to be written.
    written : int
        Rows written (0 for a dry run).
    mode : str
        ``append`` or ``replace``.
    row_convention : str
        A key of :data:`ROW_CONVENTIONS`.
    """

    source: str
    layer: str
    format: str
    rows_read: int
    rows_ok: int
    problems: list[Problem]
    notes: list[Note]
    preview: gpd.GeoDataFrame
    dry_run: bool = True
    written: int = 0
    mode: str = "append"
    row_convention: str = "vector"

    @property
    def ok(self) -> bool:
        """Whether the file has no problems."""
        return not self.problems

    def problem_table(self) -> pd.DataFrame:
        """Return the problems as a table with columns row, field, message.

        Returns
        -------
        pandas.DataFrame
            One row per problem; ``row`` is empty for whole-file problems.
        """
        return pd.DataFrame(
            {
                "row": pd.array([p.row for p in self.problems], dtype="Int64"),
                "field": [p.field for p in self.problems],
                "message": [p.message for p in self.problems],
            }
        )

    def summary(self, lang: str = "sv") -> list[str]:
        """Return the outcome and the notes as lines of text.

        Parameters
        ----------
        lang : str, default "sv"
            ``"sv"`` or ``"en"``.

        Returns
        -------
        list of str
            A headline, the row convention when there are problems, and one
            line per note.
        """
        spec = get_spec(self.layer)
        values = {
            "n": format_number(self.rows_read, lang), "ok": format_number(self.rows_ok, lang),
            "written": format_number(self.written, lang), "p": format_number(len(self.problems), lang),
            "source": self.source, "layer": self.layer, "label": spec.label(lang), "mode": self.mode,
        }
        if not self.dry_run:
            key = "written"
        elif self.problems:
            key = "refused"
        else:
            key = "checked"
        lines = [_SUMMARY[key][lang == "en"].format(**values)]
        if self.problems:
            lines.append(ROW_CONVENTIONS[self.row_convention][lang == "en"].capitalize() + ".")
        prefix = "Obs: " if lang == "sv" else "Note: "
        lines.extend(prefix + note.text(lang) for note in self.notes)
        return lines


_SUMMARY: dict[str, tuple[str, str]] = {
    "written": ("Importerade {written} rader till {label} ({layer}) från {source} ({mode}).",
                "Imported {written} rows into {label} ({layer}) from {source} ({mode})."),
    "checked": ("Kontroll utan import: alla {n} rader i {source} kan importeras till {label} ({layer}); "
                "inget skrevs.", "Dry run: all {n} rows of {source} can be imported into {label} "
                                 "({layer}); nothing was written."),
    "refused": ("{p} problem i {source}; {ok} av {n} rader utan problem. Inget skrevs.",
                "{p} problem(s) in {source}; {ok} of {n} rows without problems. Nothing was written."),
}


__all__ = [
    "NOTE_TEXTS",
    "ROW_CONVENTIONS",
    "ImportArgumentError",
    "ImportReport",
    "ImportValidationError",
    "Note",
]
