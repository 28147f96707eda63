"""The one translation table: every text in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from geo.i18n import NAMESPACES, TEXTS, format_date, format_number, t

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
        "actions", "import_cli", "import_notes", "import_page", "import_report", "import_rows", "law_report",
        "printmap", "store", "walks", "worklists",
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


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language 'de' is not supported; allowed: sv, en"):
        t("layers", "de")
