"""The evaluation judge rejects wrong, unsourced and dishonest replies (it must be able to fail)."""

from __future__ import annotations

from tests.eval.judge import Knowledge, Message, Turn, judge

TITLE = "Difference between A and B"
SOURCE = f"_Source: {TITLE} (“Careers”)_"
KB = Knowledge(
    values={
        ("a", "career_sectors"): ("Manufacturing", "Telecom"),
        ("b", "career_sectors"): ("Banking",),
        ("a", "definition"): ("the planning of production",),
    },
    differences=4,
    source_title=TITLE,
)


def facts(text: str) -> list[Message]:
    return [Message("utter_facts", f"{text}\n\n{SOURCE}")]


def test_factual_answer_needs_facts_of_that_kind_about_that_field_and_a_source() -> None:
    turn = Turn("which sectors hire A people", "sectors", topics=("a",))
    assert judge(turn, facts("**A**\n- career sectors: Manufacturing, Telecom"), KB).ok
    assert not judge(turn, [Message("utter_facts", "**A**\n- sectors: Telecom")], KB).ok
    assert not judge(turn, facts("**B**\n- career sectors: Banking"), KB).ok
    assert not judge(turn, facts("**A**\n- definition: the planning of production"), KB).ok


def test_a_stated_yes_must_not_be_denied_and_a_no_must_not_be_confirmed() -> None:
    yes = Turn("does telecom hire A grads", "sectors", topics=("a",), thing="telecom",
               answer="yes")
    assert judge(yes, [Message("utter_membership_yes", f"Yes. **telecom** ... Telecom\n{SOURCE}"
                               " career sectors Manufacturing A")], KB).ok
    assert not judge(yes, [Message("utter_membership_no", "My sources don't mention")], KB).ok
    silent = Turn("does healthcare hire A grads", "sectors", topics=("a",),
                  thing="healthcare", answer="silent")
    assert judge(silent, [Message("utter_membership_no", "My sources don't mention")], KB).ok
    assert not judge(silent, [Message("utter_membership_yes", f"Yes. {SOURCE}")], KB).ok


def test_counted_differences_must_have_exactly_that_many_or_say_fewer() -> None:
    three = Turn("3 differences", "differences", topics=("a", "b"), count=3)
    body = "\n".join(f"{i}. point" for i in range(1, 4))
    assert judge(three, [Message("utter_differences", f"{body}\n{SOURCE}")], KB).ok
    two = "\n".join(f"{i}. point" for i in range(1, 3))
    assert not judge(three, [Message("utter_differences", f"{two}\n{SOURCE}")], KB).ok
    assert not judge(three, [Message("utter_differences", body)], KB).ok  # no source
    ten = Turn("10 differences", "differences", topics=("a", "b"), count=10)
    four = "\n".join(f"{i}. point" for i in range(1, 5))
    assert judge(ten, [Message("utter_differences_fewer", f"{four}\n{SOURCE}")], KB).ok
    assert not judge(ten, [Message("utter_differences", f"{four}\n{SOURCE}")], KB).ok


def test_a_table_must_be_a_table() -> None:
    turn = Turn("table please", "differences", topics=("a", "b"), table=True)
    table = "| Aspect | A | B |\n|---|---|---|\n| x | 1 | 2 |"
    assert judge(turn, [Message("utter_differences", f"{table}\n{SOURCE}")], KB).ok
    assert not judge(turn, [Message("utter_differences", f"1. x\n{SOURCE}")], KB).ok


def test_silent_or_off_topic_questions_need_a_decline_not_facts() -> None:
    salary = Turn("salary of A managers", "not_covered")
    assert judge(salary, [Message("utter_sources_silent", "My sources don't say")], KB).ok
    assert not judge(salary, facts("**A**\n- career sectors: Telecom"), KB).ok
    weather = Turn("weather in delhi", "out_of_scope")
    assert judge(weather, [Message("utter_out_of_scope", "Sorry")], KB).ok
    assert not judge(weather, [Message("utter_ask_which_topic", "Which field?")], KB).ok
    assert not judge(weather, [], KB).ok


def test_a_stated_yes_counts_when_the_reply_names_the_thing_in_its_own_spelling() -> None:
    turn = Turn("is B.E. plus MBA good for A", "background", topics=("a",), thing="B.E. plus MBA",
                answer="yes")
    kb = Knowledge({("a", "preferred_background"): ("B.Tech", "B.E")}, 4, TITLE)
    assert judge(turn, facts("**A**\n- backgrounds: B.Tech, B.E\n- MBA: required"), kb).ok
    assert not judge(turn, facts("**A**\n- backgrounds: B.Tech, B.E"), kb).ok  # MBA unaddressed


def test_a_stream_may_be_answered_by_its_degree_and_filler_words_still_count() -> None:
    kb = Knowledge({("a", "eligible_streams"): ("any stream",),
                    ("a", "min_qualification"): ("graduate degree",)}, 4, TITLE)
    commerce = Turn("can a commerce student do A", "qualification", topics=("a",),
                    thing="commerce", answer="yes")
    assert judge(commerce, facts("You asked about **B.Com**.\n**A**\n- any stream"), kb).ok
    degree = Turn("is graduation enough for A", "qualification", topics=("a",),
                  thing="graduate degree", answer="yes")
    assert judge(degree, facts("**A**\n- minimum qualification: graduate degree"), kb).ok
    assert not judge(degree, facts("**A**\n- eligible streams: any stream"), kb).ok


def test_sources_silent_counts_only_where_the_knowledge_base_holds_nothing_of_that_kind() -> None:
    silent = [Message("utter_sources_silent", "My sources don't say anything about ...")]
    assert judge(Turn("how to get into B", "admission", topics=("b",)), silent, KB).ok
    # A has career sectors: "my sources don't say" would be a wrong answer there.
    assert not judge(Turn("which sectors hire A people", "sectors", topics=("a",)), silent,
                     KB).ok


def test_naming_what_the_sources_lack_is_an_honest_decline() -> None:
    lead = Message("utter_aspect_not_covered", "My sources don't say anything about salary")
    assert judge(Turn("salary of A people", "not_covered"), [lead], KB).ok
    assert judge(Turn("salary of A people", "not_covered"),
                 [lead, *facts("**A**\n- career sectors: Telecom")], KB).ok
    assert not judge(Turn("salary of A people", "not_covered"),
                     facts("**A**\n- career sectors: Telecom"), KB).ok


def test_a_plural_in_the_reply_addresses_the_singular_asked_about() -> None:
    kb = Knowledge({("a", "admission_route"): ("carried out by the concerned institutes",)},
                   4, TITLE)
    turn = Turn("does each institute hold its own test for A", "admission", topics=("a",),
                thing="institute", answer="yes")
    assert judge(turn, facts("**A**\n- admission route: carried out by the concerned institutes"),
                 kb).ok
    other = Turn("is GMAT taken for A", "admission", topics=("a",), thing="GMAT", answer="yes")
    assert not judge(other, facts("**A**\n- admission route: carried out by the concerned "
                                  "institutes"), kb).ok


def test_a_count_kept_as_a_table_is_counted_by_its_rows() -> None:
    turn = Turn("only 2 points", "differences", topics=("a", "b"), count=2)
    two = "| Aspect | A | B |\n|---|---|---|\n| x | 1 | 2 |\n| y | 3 | 4 |"
    assert judge(turn, [Message("utter_differences", f"{two}\n{SOURCE}")], KB).ok
    three = two + "\n| z | 5 | 6 |"
    assert not judge(turn, [Message("utter_differences", f"{three}\n{SOURCE}")], KB).ok
