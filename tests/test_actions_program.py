"""The action register: parsing the program text, the data file, the map table."""

from __future__ import annotations

import json
import re

import pytest
from conftest import require_file

from geo.actions import (
    ACTION_COUNT,
    BODIES,
    SPATIAL_ACTIONS,
    Action,
    actions_path,
    build_actions_file,
    load_actions,
    load_body_names,
    parse_body_names,
    parse_program,
    seed_path,
)
from geo.errors import DataStoreError, ProgramParseError, TrygghetskartanError
from layers import layer_names

#: Section → (title, number of actions), counted by hand from the text.
SECTIONS: dict[str, tuple[str, int]] = {
    "5.1": ("Trygghet", 12),
    "5.2": ("Minskad brottslighet", 4),
    "5.3": ("Säkerhet", 5),
    "5.4": ("Informations- och cybersäkerhet", 4),
    "5.5": ("Riskhänsyn vid samhällsplanering och byggande", 3),
    "5.6": ("Krisberedskap", 11),
    "5.7": ("Civilt försvar", 10),
    "5.8": ("Social prevention", 7),
    "5.9": ("ANDTS", 1),
    "5.10": ("Hedersrelaterat våld och förtryck", 8),
    "5.11": ("Våld i nära relationer", 5),
    "5.12": ("Våldsbejakande extremism", 7),
}

ACTION_19 = (
    "Ge stöd och vägledning till kommunens förtroendevalda i syfte att öka säkerheten "
    "och tryggheten vid utförandet av deras förtroendeuppdrag kopplat till Järfälla kommun."
)

# A small program: two sections, three actions, one abbreviation (lines 1-14).
MINI = (
    "5. ÅTGÄRDER\n"
    "\n"
    "KS = Kommunstyrelsen\n"
    "\n"
    "5.1. Trygghet\n"
    "\n"
    "Nr\tÅtgärd\tHuvudansvarig\n"
    "1\tFörsta.\tKS\n"
    "2\tAndra.\tTEN JHAB\n"
    "\n"
    "5.2. Minskad brottslighet\n"
    "\n"
    "Nr\tÅtgärd\tHuvudansvarig\n"
    "3\tTredje.\tAlla nämnder"
)


@pytest.fixture(scope="session")
def seed_text() -> str:
    path = seed_path()
    require_file(path, "the program text (../shared/seed/)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def actions(seed_text: str) -> dict[int, Action]:
    return {a.nr: a for a in parse_program(seed_text)}


class TestSeed:
    def test_finds_77_actions_numbered_1_to_77(self, seed_text):
        parsed = parse_program(seed_text)
        assert len(parsed) == ACTION_COUNT == 77
        assert [a.nr for a in parsed] == list(range(1, 78))

    def test_every_action_in_a_known_section_with_its_title(self, actions):
        assert sorted(actions) == list(range(1, 78))
        for action in actions.values():
            assert action.section in SECTIONS
            assert action.section_title == SECTIONS[action.section][0]

    @pytest.mark.parametrize(("section", "count"), [(s, n) for s, (_, n) in SECTIONS.items()])
    def test_actions_per_section(self, actions, section, count):
        assert sum(a.section == section for a in actions.values()) == count

    def test_sections_are_contiguous_and_in_order(self, actions):
        order = [a.section for a in actions.values()]
        runs = [s for i, s in enumerate(order) if i == 0 or order[i - 1] != s]
        assert runs == list(SECTIONS)

    @pytest.mark.parametrize(
        ("nr", "responsible"),
        [
            (3, ("KS",)),
            (7, ("TEN",)),
            (11, ("TEN", "JHAB")),
            (19, ("KS",)),
            (27, ("KS", "TEN", "JHAB")),
            (31, ("Alla nämnder och bolag",)),
            (39, ("SON", "ÄN")),
            (55, ("SON", "BUN")),
            (65, ("BUN", "KDN", "KON", "SON")),
            (71, ("Alla nämnder",)),
            (77, ("KS",)),
        ],
    )
    def test_responsible(self, actions, nr, responsible):
        assert actions[nr].responsible == responsible

    def test_every_body_is_known(self, actions):
        used = {b for a in actions.values() for b in a.responsible}
        assert used <= set(BODIES)

    def test_action_3_is_the_lagesbild(self, actions):
        assert actions[3].text.startswith("Ta fram geografiska lägesbilder")

    def test_action_7_has_the_72_hour_deadline(self, actions):
        assert "72 timmar" in actions[7].text

    def test_action_19_is_joined_across_the_page_break(self, actions):
        assert actions[19].text == ACTION_19

    def test_action_77_closes_section_5_12(self, actions):
        assert actions[77].section == "5.12"
        assert actions[77].text.startswith("En lägesbild ska årligen tas fram")

    @pytest.mark.parametrize(
        ("nr", "ending"),
        [
            (17, "tillräckligt säkerhetsskydd."),
            (45, "avseende säkerhetsskydd."),
            (52, "”SAMBU”."),
        ],
    )
    def test_footnote_markers_are_removed(self, actions, nr, ending):
        assert actions[nr].text.endswith(ending)

    def test_no_footnote_markers_or_tags_anywhere(self, actions):
        assert sorted(actions) == list(range(1, 78))
        for action in actions.values():
            assert not re.search("[¹²³⁰⁴-⁹<>]", action.text), action.nr
            assert action.text == action.text.strip()
            assert "  " not in action.text

    def test_italics_are_stripped_keeping_the_words(self, actions):
        assert actions[1].text == (
            "Revidering ska ske av Allmänna lokala ordningsföreskrifter för Järfälla kommun, "
            "beslutat av kommunfullmäktige 1995 med tillägg 1997."
        )

    def test_typographic_quotes_are_kept(self, actions):
        assert actions[5].text.startswith("”Trygghetskontor”")
        assert actions[29].text.endswith("i Järfälla kommun.”")

    def test_body_names_from_the_text_and_fallbacks(self, seed_text):
        names = parse_body_names(seed_text)
        assert tuple(names) == BODIES
        assert names["KS"] == "Kommunstyrelsen"
        assert names["ÄN"] == "Äldrenämnden"
        assert names["JNAB"] == "Järfälla Näringsliv AB"
        assert names["Alla nämnder"] == "Ej familjerättsnämnden"
        assert names["BUN"] == "Barn- och ungdomsnämnden"


class TestDataFile:
    def test_committed_file_equals_a_fresh_build(self, seed_text, tmp_path):
        out = tmp_path / "actions.json"
        build_actions_file(seed_path(), out)
        assert out.read_bytes() == actions_path().read_bytes(), (
            "data/actions.json is stale; rebuild it with build_actions_file()"
        )

    def test_load_actions_equals_a_fresh_parse(self, seed_text):
        assert load_actions() == parse_program(seed_text)

    def test_load_actions_returns_77(self):
        loaded = load_actions()
        assert len(loaded) == 77
        assert [a.nr for a in loaded] == list(range(1, 78))
        assert all(isinstance(a.responsible, tuple) for a in loaded)

    def test_provenance_and_name_table(self):
        document = json.loads(actions_path().read_text(encoding="utf-8"))
        assert document["source"]["file"] == "77-punktsprogram-2019-2022.txt"
        assert re.fullmatch("[0-9a-f]{64}", document["source"]["sha256"])
        assert document["body_fallbacks"] == ["BUN", "Alla nämnder och bolag"]
        assert tuple(load_body_names()) == BODIES

    def test_missing_file(self, tmp_path):
        with pytest.raises(DataStoreError, match=r"cannot read the action register .*nope\.json"):
            load_actions(tmp_path / "nope.json")

    def test_not_json(self, tmp_path):
        path = tmp_path / "actions.json"
        path.write_text("{", encoding="utf-8")
        with pytest.raises(DataStoreError, match="is not UTF-8 JSON"):
            load_actions(path)

    def test_record_without_a_field(self, tmp_path):
        path = tmp_path / "actions.json"
        path.write_text('{"actions": [{"nr": 1}]}', encoding="utf-8")
        with pytest.raises(DataStoreError, match="malformed action record"):
            load_actions(path)

    def test_build_refuses_a_missing_source(self, tmp_path):
        with pytest.raises(DataStoreError, match="cannot read the program text"):
            build_actions_file(tmp_path / "none.txt", tmp_path / "actions.json")


class TestSmallTexts:
    def test_mini_program(self):
        parsed = parse_program(MINI, expected=3)
        assert [(a.nr, a.section, a.section_title, a.responsible) for a in parsed] == [
            (1, "5.1", "Trygghet", ("KS",)),
            (2, "5.1", "Trygghet", ("TEN", "JHAB")),
            (3, "5.2", "Minskad brottslighet", ("Alla nämnder",)),
        ]

    def test_row_continued_after_a_page_break(self):
        text = MINI.replace(
            "1\tFörsta.\tKS\n", "1\tFörsta del i\tKS\n\n⁶ En fotnot.\n\n\n\n\tandra delen.\t\n"
        )
        assert parse_program(text, expected=3)[0].text == "Första del i andra delen."

    def test_responsible_on_the_continuation(self):
        text = MINI.replace("1\tFörsta.\tKS\n", "1\tFörsta\t\n\tdelen.\tKS\n")
        first = parse_program(text, expected=3)[0]
        assert (first.text, first.responsible) == ("Första delen.", ("KS",))

    def test_crlf_line_ends(self):
        assert parse_program(MINI.replace("\n", "\r\n"), expected=3)[1].text == "Andra."

    def test_table_of_contents_lines_are_not_sections(self):
        text = "5.1.\tTrygghet\t3\n5.2.\tMinskad brottslighet.....\t4\n" + MINI
        assert [a.section for a in parse_program(text, expected=3)] == ["5.1", "5.1", "5.2"]

    def test_body_names_of_a_small_text(self):
        assert parse_body_names(MINI) == {
            "KS": "Kommunstyrelsen",
            "BUN": "Barn- och ungdomsnämnden",
            "Alla nämnder och bolag": "Alla nämnder och bolag",
        }


class TestParseErrors:
    @pytest.mark.parametrize(
        ("old", "new", "match"),
        [
            pytest.param(
                "2\tAndra.", "1\tAndra.",
                r"^line 9: duplicate action number 1 \(first on line 8\): '1\\tAndra",
                id="duplicate",
            ),
            pytest.param(
                "TEN JHAB", "TEN XYZ",
                r"^line 9: action 2: unknown body 'XYZ'; known: KS, .*'2\\tAndra",
                id="unknown-body",
            ),
            pytest.param(
                "2\tAndra.\tTEN JHAB\n", "",
                r"^line 13: action number 3 out of sequence: expected 2: '3\\tTredje",
                id="missing-action",
            ),
            pytest.param(
                "1\tFörsta.", "4\tFörsta.",
                r"^line 8: action number 4 out of sequence: expected 1",
                id="out-of-sequence",
            ),
            pytest.param(
                "2\tAndra.", "\tAndra.",
                r"^line 9: row without an action number \(action 1 already has",
                id="missing-number-continuation",
            ),
            pytest.param(
                "2\tAndra.", "Andra.",
                r"^line 9: not an action row of section 5.1: .*'Andra.\\tTEN JHAB'",
                id="missing-number",
            ),
            pytest.param(
                "TEN JHAB", "",
                r"^line 9: action 2 names no responsible body",
                id="no-responsible",
            ),
            pytest.param(
                "Nr\tÅtgärd\tHuvudansvarig\n1", "1",
                r"^line 7: action row outside a table",
                id="no-table-header",
            ),
            pytest.param(
                "KS = Kommunstyrelsen", "KSX = Kommunstyrelsen",
                r"^line 3: definition of unknown body 'KSX'",
                id="unknown-definition",
            ),
        ],
    )
    def test_malformed_rows(self, old, new, match):
        text = MINI.replace(old, new, 1)
        assert text != MINI
        with pytest.raises(ProgramParseError, match=match):
            parse_program(text, expected=3)

    def test_missing_last_action(self):
        with pytest.raises(
            ProgramParseError, match=r"^line 14: found 3 actions, expected 4; the last is action 3"
        ):
            parse_program(MINI, expected=4)

    def test_no_table(self):
        with pytest.raises(ProgramParseError, match="no action table"):
            parse_program("5.1. Trygghet\n\nBara prosa.\n")

    def test_is_a_domain_error(self):
        with pytest.raises(TrygghetskartanError, match="found 3 actions, expected 77"):
            parse_program(MINI)

    def test_expected_must_be_positive(self):
        with pytest.raises(ValueError, match="must be a positive number of actions, got 0"):
            parse_program(MINI, expected=0)

    @pytest.mark.parametrize(
        ("old", "new", "match"),
        [
            pytest.param(
                "\n20\t", "\n19\t", r"duplicate action number 19 \(first on line", id="dup"
            ),
            pytest.param(
                "\n77\tEn lägesbild", "\nEn lägesbild", "not an action row of section 5.12",
                id="no-number",
            ),
            pytest.param(
                "\tTEN JHAB\n12\t", "\tTEN XYZ\n12\t", "action 11: unknown body 'XYZ'",
                id="unknown",
            ),
        ],
    )
    def test_malformed_seed(self, seed_text, old, new, match):
        text = seed_text.replace(old, new, 1)
        assert text != seed_text
        with pytest.raises(ProgramParseError, match=match):
            parse_program(text)

    def test_seed_without_its_last_action(self, seed_text):
        text = seed_text[: seed_text.rindex("\n77\t")]
        with pytest.raises(ProgramParseError, match="found 76 actions, expected 77"):
            parse_program(text)


class TestSpatialActions:
    def test_numbers(self):
        assert sorted(SPATIAL_ACTIONS) == [3, 5, 6, 7, 9, 12, 14, 16, 26, 27, 28, 36, 37, 38, 39]

    @pytest.mark.parametrize(
        ("nr", "layers"),
        [
            (3, ("incidents",)),
            (6, ("cameras",)),
            (7, ("graffiti",)),
            (9, ("lighting", "unsafe_places")),
            (28, ("vehicle_barriers",)),
            (37, ("flood_risk", "facilities")),
        ],
    )
    def test_layers(self, nr, layers):
        assert SPATIAL_ACTIONS[nr].layers == layers

    def test_entries_are_consistent(self):
        known = set(layer_names())
        keys = [a.indicator for a in SPATIAL_ACTIONS.values()]
        assert len(set(keys)) == len(keys)
        for nr, entry in SPATIAL_ACTIONS.items():
            assert entry.nr == nr
            assert 1 <= nr <= ACTION_COUNT
            assert set(entry.layers) <= known, entry.layers
            assert re.fullmatch("[a-z][a-z0-9_]*", entry.indicator)
            assert entry.description_sv
            assert entry.description_en

    def test_graffiti_indicator_key(self):
        assert SPATIAL_ACTIONS[7].indicator == "graffiti_within_72h_share"

    def test_table_is_read_only(self):
        with pytest.raises(TypeError, match="does not support item assignment"):
            SPATIAL_ACTIONS[1] = SPATIAL_ACTIONS[3]  # type: ignore[index]
