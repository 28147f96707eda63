"""The one translation table: every text in both languages, with the same placeholders, read one way (t)."""

from __future__ import annotations

import ast
import string

import pandas as pd
import pytest

from geo import settings
from geo.analysis.composite import FACTORS
from geo.analysis.filters import WEEKDAY_CODES
from geo.analysis.lagesbild import INDICATORS, indicator_label
from geo.analysis.units import UNIT_KINDS
from geo.i18n import NAMESPACES, TEXTS, format_date, format_number, number_marks, t

#: Texts that name a thing by its Swedish and English name from different values, on purpose.
LOCALISED_VALUES = {"import_notes.format": ({"format_sv"}, {"format"})}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_present_with_the_same_placeholders(key):
    sv, en = TEXTS[key]
    assert sv.strip()
    assert en.strip()
    expected = LOCALISED_VALUES.get(key)
    if expected:
        assert (placeholders(sv), placeholders(en)) == expected
    else:
        assert placeholders(sv) == placeholders(en)


def test_every_part_is_in_the_one_table():
    assert sorted(NAMESPACES) == [
        "actions", "factor", "import_cli", "import_notes", "import_page", "import_report", "import_rows",
        "indicator", "lagesbild_file", "law_report", "printmap", "store", "unit_kinds", "walks", "weekday",
        "worklists",
    ]
    assert all(NAMESPACES.values())  # no part is empty
    keys = [f"{namespace}.{key}" for namespace, table in NAMESPACES.items() for key in table]
    assert [key for key in keys if key not in TEXTS] == []


def test_part_texts_are_read_with_their_full_key():
    assert t("actions.col_evidence", "en") == "Evidence"
    assert t("layers", "sv") == "Lager"
    with pytest.raises(KeyError):
        t("col_evidence", "en")  # no fallback: the key says which part


def test_swedish_number_and_date_formats():
    assert format_number(1234567.891, "sv", decimals=2) == "1\u00a0234\u00a0567,89"
    assert format_number(1234567.891, "en", decimals=2) == "1,234,567.89"
    assert format_date(pd.Timestamp("2026-03-28 20:00", tz="Europe/Stockholm"), "sv", with_time=True) == (
        "2026-03-28 20:00"
    )


def test_number_marks_match_format_number():
    assert number_marks("sv") == {"decimal": ",", "thousands": "\u00a0"}
    assert number_marks("en") == {"decimal": ".", "thousands": ","}
    assert format_number(1234.5, "sv", decimals=1) == "1\u00a0234,5"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language 'de' is not supported; allowed: sv, en"):
        t("layers", "de")


# -- one way to a text ---------------------------------------------------------------------------------

#: Text functions that once stood beside geo.i18n.t; none may come back.
RETIRED = frozenset({"t_in", "walk_text", "action_text", "worklist_text", "NAMESPACES"})
LANGUAGE_CODES = frozenset({"sv", "en"})


def text_lookups_besides_t(source: str) -> list[tuple[int, str]]:
    """Every way ``source`` reaches a text other than ``geo.i18n.t``, with its line.

    Flags a retired text function or :data:`geo.i18n.NAMESPACES` (used, imported or
    defined), an import of a part's table (``geo.i18n.<part>``), a comparison with a
    language code (``lang == "en"``: choosing a text by hand) and a lookup by
    language (``labels[lang]``).
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in RETIRED:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in RETIRED:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.FunctionDef) and node.name in RETIRED:
            found.append((node.lineno, f"def {node.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.startswith("geo.i18n."):
                found.append((node.lineno, f"from {module} import"))
            found += [(node.lineno, f"import {alias.name}") for alias in node.names if alias.name in RETIRED]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {alias.name}") for alias in node.names
                      if alias.name.startswith("geo.i18n.")]
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(side, ast.Constant) and side.value in LANGUAGE_CODES for side in sides):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name) and node.slice.id == "lang":
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_scan_finds_each_other_way():
    source = "\n".join([
        "from geo.i18n import t_in",
        "from geo.i18n.walks import WALK_TEXTS",
        "import geo.i18n.actions",
        "label = c.en if lang == 'en' else c.sv",
        "mark = ',' if check_language(lang) != 'sv' else '.'",
        "day = LABELS[lang][0]",
        "table = geo.i18n.NAMESPACES['walks']",
        "def walk_text(key, lang): ...",
        "text = t('walks.approve', lang)",
    ])
    assert sorted(line for line, _ in text_lookups_besides_t(source)) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_there_is_one_way_to_a_text():
    root = settings.PROJECT_ROOT
    paths = sorted([*(root / "geo").rglob("*.py"), *(root / "app_pages").glob("*.py"), root / "app.py"])
    outside = [path for path in paths if not path.is_relative_to(root / "geo" / "i18n")]
    assert len(outside) > 100
    found = [f"{path.relative_to(root)}:{line}: {what}" for path in outside
             for line, what in text_lookups_besides_t(path.read_text(encoding="utf-8"))]
    assert found == []
    assert not (root / "geo" / "participation" / "texts.py").exists()
    assert not (root / "geo" / "actions" / "texts.py").exists()


def test_lagesbild_texts_cover_their_records():
    assert {f"indicator.{i.column}" for i in INDICATORS} == {k for k in TEXTS if k.startswith("indicator.")}
    assert {f"factor.{f}" for f in FACTORS} == {k for k in TEXTS if k.startswith("factor.")}
    assert {f"unit_kinds.{u}" for u in UNIT_KINDS} == {k for k in TEXTS if k.startswith("unit_kinds.")}
    assert {f"weekday.{d}" for d in WEEKDAY_CODES} == {k for k in TEXTS if k.startswith("weekday.")}
    assert indicator_label("gi_z", "en") == "Gi* z-score"
    assert indicator_label("population", "sv") == "population"
