"""Answer layout: numbered lists, tables, source lines, and no markup from data."""

from __future__ import annotations

import pytest

from actions import presenter
from bot.kb.answers import Citation, Contrast, FactItem, Side

DOMAIN = {"responses": {
    "utter_phrase_source": [{"text": "Source: {sources}"}],
    "utter_phrase_source_part": [{"text": "{title} ({sections})"}],
    "utter_phrase_contrast": [{"text": "**{label}**: {sides}"}],
    "utter_phrase_side": [{"text": "{topic}: {values}"}],
    "utter_phrase_not_stated": [{"text": "not stated"}],
    "utter_phrase_table_aspect": [{"text": "Aspect"}],
}}


def item(value: str, section: str = "A", title: str = "T") -> FactItem:
    return FactItem(value, value.lower(), Citation(title, "p.txt", section, value + ".", 0, 1))


@pytest.fixture
def phrases() -> presenter.Phrases:
    return presenter.Phrases(DOMAIN)


def test_missing_phrase_names_the_response(phrases) -> None:
    with pytest.raises(KeyError, match="utter_phrase_nope"):
        phrases("nope")


def test_numbered_list_counts_from_one() -> None:
    assert presenter.numbered(["a", "b", "c"]) == "1. a\n2. b\n3. c"


def test_source_line_groups_sections_by_title_in_first_seen_order(phrases) -> None:
    citations = [item("x", "B").citation, item("y", "A").citation, item("z", "B").citation,
                 item("w", "C", title="U").citation]
    assert presenter.source_line(citations, phrases) == "Source: T (“B”, “A”); U (“C”)"


def test_contrast_line_says_when_a_side_is_silent(phrases) -> None:
    contrast = Contrast("d", "role of an MBA", Side("operations management", ()),
                        Side("production management", (item("MBA: required"),)), ())
    line = presenter.contrast_line(contrast, phrases)
    assert line == ("**Role of an MBA**: Operations management: not stated; "
                    "Production management: MBA: required")


def test_table_has_a_header_and_one_row_per_contrast(phrases) -> None:
    rows = [Contrast("d", f"label {n}", Side("a", (item(f"v{n}"),)), Side("b", ()), ())
            for n in range(3)]
    table = presenter.table(rows, phrases).splitlines()
    assert table[0] == "| Aspect | A | B |"
    assert len(table) == 2 + 3
    assert table[2] == "| Label 0 | v0 | not stated |"


@pytest.mark.parametrize("raw", ["<script>alert(1)</script>", "[x](javascript:alert(1))",
                                 "**bold** _it_ `code` | pipe"])
def test_values_from_data_cannot_become_markup(raw) -> None:
    escaped = presenter.escape_markdown(raw)
    for char in "<>[]*_`|":
        assert char not in escaped.replace("\\" + char, "")
