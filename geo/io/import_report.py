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
from geo.i18n import format_number, t
from layers import get_spec
from layers.validate import Problem

#: How each reader numbers the rows it reports; the text of one is ``import_rows.<convention>``.
ROW_CONVENTIONS: tuple[str, ...] = ("csv", "vector", "open311", "polisen")


@dataclass(frozen=True)
class Note:
    """Something the import did or found that is not a problem.

    Attributes
    ----------
    code : str
        The note's code; its text is ``import_notes.<code>`` in :data:`geo.i18n.TEXTS`.
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
        values = {k: format_number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v
                  for k, v in self.params.items()}
        return t(f"import_notes.{self.code}", lang, **values)

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
        One of :data:`ROW_CONVENTIONS`.
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
        lines = [t(f"import_report.{key}", lang, **values)]
        if self.problems:
            lines.append(t(f"import_rows.{self.row_convention}", lang).capitalize() + ".")
        lines.extend(t("import_report.note", lang, note=note.text(lang)) for note in self.notes)
        return lines


__all__ = [
    "ROW_CONVENTIONS",
    "ImportArgumentError",
    "ImportReport",
    "ImportValidationError",
    "Note",
]
