"""Reply layout: phrases from the domain, quotes and tables, and no markup from data."""

from __future__ import annotations

import pytest

from actions import presenter
from bot.answering.reply import Facts, Points, Reply, Say, Table
from bot.kb.answers import Citation

DOMAIN = {"responses": {
    "utter_phrase_source": [{"text": "Source: {sources}"}],
    "utter_phrase_source_part": [{"text": "{title} ({sections})"}],
    "utter_phrase_contrast": [{"text": "**{label}**: {sides}"}],
    "utter_phrase_side": [{"text": "{topic}: {values}"}],
    "utter_phrase_not_stated": [{"text": "not stated"}],
    "utter_phrase_table_aspect": [{"text": "Aspect"}],
    "utter_phrase_facts_heading": [{"text": "**{topic}** — {label}:"}],
    "utter_phrase_label_heading": [{"text": "**{label}**:"}],
    "utter_phrase_topic_heading": [{"text": "**{topic}**:"}],
    "utter_phrase_silent": [{"text": "My sources don't say anything about {thing}."}],
    "utter_phrase_silent_concept": [{"text": "My sources don't say anything about {concept} "
                                             "or {thing}."}],
}}


def cite(sentence: str, section: str = "A", title: str = "T", kind: str = "sentence"
         ) -> Citation:
    return Citation(title, "p.txt", section, sentence, 0, len(sentence), kind=kind)


@pytest.fixture
def phrases() -> presenter.Phrases:
    return presenter.Phrases(DOMAIN)


def test_missing_phrase_names_the_response(phrases) -> None:
    with pytest.raises(KeyError, match="utter_phrase_nope"):
        phrases("nope")


def test_facts_are_headed_and_their_sentences_quoted(phrases) -> None:
    part = Facts("production management", "entrance exams", ("XAT", "CAT"),
                 (cite("A few institutes consider XAT or CAT."),))
    text = presenter.render_part(part, phrases)
    assert text.splitlines()[0] == "**Production management** — entrance exams: XAT, CAT"
    assert text.splitlines()[1] == "- “A few institutes consider XAT or CAT.”"


def test_a_clause_of_a_two_field_sentence_is_quoted_alone(phrases) -> None:
    sentence = "While A is about x, B is about y."
    part = Facts("a", "focus", (), (cite(sentence),), ("A is about x",))
    assert "“A is about x”" in presenter.render_part(part, phrases)


def test_a_table_row_is_shown_as_its_cells_not_as_a_quote(phrases) -> None:
    part = Facts("", "", (), (cite("| Scope | narrow | broad |", kind="row"),))
    assert presenter.render_part(part, phrases) == "- Scope — narrow — broad"


def test_contrast_line_says_when_a_side_is_silent(phrases) -> None:
    part = Points((Say.of("contrast", label="scope", sides=(("a", ("goods",)), ("b", ()))),))
    assert presenter.render_part(part, phrases) == "1. **Scope**: A: goods; B: not stated"


def test_table_has_a_header_and_one_row_per_contrast(phrases) -> None:
    table = presenter.render_part(Table(("", "a", "b"), (("scope", "goods", ""),)), phrases)
    assert table.splitlines() == ["| Aspect | A | B |", "|---|---|---|",
                                  "| Scope | Goods | not stated |"]


@pytest.mark.parametrize(("hostile", "escaped"), [
    ("<script>alert(1)</script>", "\\<script\\>"),
    ("[x](javascript:1)", "\\[x\\]"),
    ("**bold** | pipe", "\\*\\*bold\\*\\* \\| pipe"),
])
def test_text_from_users_or_sources_is_escaped(phrases, hostile, escaped) -> None:
    text = presenter.render_part(Say.of("silent", thing=hostile), phrases)
    assert escaped in text


def test_a_concept_without_a_sentence_of_its_own_names_both_words(phrases) -> None:
    text = presenter.render_part(Say.of("silent_duration", thing="how long",
                                        concept="duration"), phrases)
    assert text == "My sources don't say anything about duration or how long."


def test_the_source_line_lists_each_article_once_with_its_sections(phrases) -> None:
    reply = Reply("utter_answer", (), (cite("x", "A", "T1"), cite("y", "B", "T1"),
                                        cite("z", "A", "T2")))
    assert presenter.render(reply, phrases)["source"] == "Source: T1 (“A”, “B”); T2 (“A”)"
