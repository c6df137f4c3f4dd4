"""The content judge can fail: each rule rejects the reply that breaks it."""

from __future__ import annotations

import pytest

from tests.eval.judge import Knowledge, Message, Turn, contains, declines, judge, normal

SOURCE = ("Difference between A and B. A student needs a graduate degree from any stream. "
          "A few of the institutes will also consider XAT, MAT or CAT scores.")
KNOWLEDGE = Knowledge(("Difference between A and B",), (normal(SOURCE),), differences=5)
CITED = "\n\n_Source: Difference between A and B (“A”)_"


def reply(text: str, response: str = "utter_answer") -> list[Message]:
    return [Message(response, text)]


def test_phrases_match_whatever_the_case_punctuation_or_plural() -> None:
    text = normal("Needs a **Graduate Degree**; B.Tech grads welcome")
    assert contains(text, "graduate degree") and contains(text, "B.Tech")
    assert contains(text, "grad") and not contains(text, "graduate degrees from")


def test_every_must_group_is_needed_and_one_alternative_is_enough() -> None:
    turn = Turn("which exams?", "admission", must=(("XAT",), ("entrance exam", "CAT")))
    assert judge(turn, reply("XAT and CAT." + CITED), KNOWLEDGE).ok
    missing = judge(turn, reply("XAT only." + CITED), KNOWLEDGE)
    assert not missing.ok and "entrance exam" in missing.reason


def test_facts_need_the_source_line() -> None:
    turn = Turn("which exams?", "admission", must=(("XAT",),))
    assert not judge(turn, reply("XAT."), KNOWLEDGE).ok


def test_silent_needs_a_decline_that_names_the_thing() -> None:
    turn = Turn("salary?", "not_covered", silent=("salary", "pay"))
    assert judge(turn, reply("My sources don't say anything about salary."), KNOWLEDGE).ok
    assert not judge(turn, reply("My sources don't say anything about fees."), KNOWLEDGE).ok
    assert not judge(turn, reply("The salary is good." + CITED), KNOWLEDGE).ok


def test_a_decline_is_read_within_one_sentence_even_with_abbreviations() -> None:
    assert declines("My sources don't name B.E. holders as an edge for OM.", ["holders"])
    assert not declines("My sources don't say. Holders are welcome.", ["holders"])


def test_an_invented_quote_fails_even_with_the_right_facts() -> None:
    turn = Turn("which exams?", "admission", must=(("XAT",),))
    text = "“All institutes require XAT and a 90% score.”" + CITED
    verdict = judge(turn, reply(text), KNOWLEDGE)
    assert not verdict.ok and "quotes what no source says" in verdict.reason
    quoted = "“A few of the institutes will also consider XAT, MAT or CAT scores.”" + CITED
    assert judge(turn, reply(quoted), KNOWLEDGE).ok


def test_counts_and_tables() -> None:
    three = "\n".join(f"{i}. point" for i in range(1, 4)) + CITED
    turn = Turn("3 differences", "differences", count=3)
    assert judge(turn, reply(three), KNOWLEDGE).ok
    assert not judge(Turn("4 differences", "differences", count=4), reply(three), KNOWLEDGE).ok
    more = Turn("9 differences", "differences", count=9)
    five = "\n".join(f"{i}. point" for i in range(1, 6))
    assert not judge(more, reply(five + CITED), KNOWLEDGE).ok  # fewer, without saying so
    assert judge(more, reply("My sources support only 5.\n" + five + CITED), KNOWLEDGE).ok
    table = Turn("as a table", "differences", table=True)
    assert not judge(table, reply(three), KNOWLEDGE).ok
    assert judge(table, reply("| a | b |\n|---|---|\n| x | y |" + CITED), KNOWLEDGE).ok


@pytest.mark.parametrize(("recommends", "line", "ok"), [
    ("production management", "My reading of the sources: **B** fits best.", False),
    ("production management", "My reading of the sources: **Production management** fits.",
     True),
    ("either", "My reading of the sources: the facts point both ways.", True),
    ("either", "My reading of the sources: **A** fits best.", False),
])
def test_advice_is_judged_by_its_reading(recommends, line, ok) -> None:
    turn = Turn("which one?", "recommendation", recommends=recommends)
    assert judge(turn, reply(line), KNOWLEDGE).ok is ok


def test_off_topic_needs_a_decline_not_facts() -> None:
    turn = Turn("weather?", "out_of_scope")
    assert judge(turn, reply("Sorry, that's outside ...", "utter_out_of_scope"), KNOWLEDGE).ok
    assert not judge(turn, reply("Facts." + CITED), KNOWLEDGE).ok


def test_a_yes_the_article_does_not_support_fails() -> None:
    turn = Turn("is GMAT accepted?", "admission", thing="GMAT", answer="silent",
                silent=("GMAT",))
    assert not judge(turn, reply("Yes: GMAT. My sources don't say anything about GMAT."),
                     KNOWLEDGE).ok


def test_small_talk_by_its_response() -> None:
    assert judge(Turn("hi", "greet"), reply("Hi!", "utter_greet"), KNOWLEDGE).ok
    assert not judge(Turn("hi", "greet"), reply("Facts.", "utter_answer"), KNOWLEDGE).ok


def test_no_reply_fails() -> None:
    assert not judge(Turn("hi", "greet"), [], KNOWLEDGE).ok
