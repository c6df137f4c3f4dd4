"""The question inside a long message (bot/nlu/focus.py)."""

from __future__ import annotations

import pytest

from bot.nlu.focus import SubjectTerms, asks, focus, read_equals, split_sentences

SUBJECTS = SubjectTerms(["operations management", "production management", "OM", "PM", "pm",
                         "B.E.", "be", "telecom", "IT", "it", "CAT", "college"])
CONTEXT = SubjectTerms(["B.E.", "BE", "be", "btech", "distance"])


def test_sentences_split_at_ends_but_not_inside_degree_abbreviations() -> None:
    assert split_sentences("So I did B.E. in civil. Does it help? ok B.Tech. fine\nthanks") == [
        "So I did B.E. in civil.", "Does it help?", "ok B.Tech. fine", "thanks"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Is it a field with a good future", True), ("so what is the difference", True),
    ("please guide", True), ("any future in it?", True), ("I work in a factory.", False),
    ("My boss says I should go into management.", False)])
def test_a_sentence_asks_with_a_question_mark_or_a_question_or_request_opening(
        sentence, expected) -> None:
    assert asks(sentence) is expected


def test_the_story_around_a_question_is_dropped() -> None:
    text = ("I'm a mechanical engineer, 6 years on the shop floor of a forging plant. My boss "
            "says I should go into management. What kind of career openings would I have if I "
            "do production management?")
    assert focus(text, SUBJECTS) == ("What kind of career openings would I have if I do "
                                     "production management?")


def test_a_question_without_its_subject_keeps_the_nearest_sentence_that_names_it() -> None:
    text = ("I am a B.E. civil guy working as a site engineer for two years now. A senior told "
            "me engineers do better in production management. My cousin agrees. Is that true?")
    assert focus(text, SUBJECTS) == ("A senior told me engineers do better in production "
                                     "management. Is that true?")


def test_sentences_naming_the_students_degree_or_mode_are_kept_as_context() -> None:
    text = ("I finished my btech last year. My father runs a shop in Pune and I help him. "
            "Everybody says I should do an MBA now. Is PM a good field?")
    assert focus(text, SUBJECTS, CONTEXT) == "I finished my btech last year. Is PM a good field?"


def test_chatter_after_the_question_is_dropped_but_a_subject_after_it_keeps_it_whole() -> None:
    worried = ("My son wants to do production management after his degree and has no other "
               "plan. Is there really a good future in it? I am worried about him.")
    assert focus(worried, SUBJECTS) == ("My son wants to do production management after his "
                                        "degree and has no other plan. Is there really a good "
                                        "future in it?")
    comment = ("i have done be in electronics and communication. I want to opt for mba "
               "distance learning.Which college should i chose? Wherther i should prefer mba "
               "in (telecom and operations) or (telecom and hr).")
    assert focus(comment, SUBJECTS, CONTEXT) == comment


@pytest.mark.parametrize("text", [
    # short: classified whole
    "I did BE. will it help me in PM?",
    # one sentence, however long
    "i am in final year of btech and my father wants me to do mba but i am confused whether "
    "OM or PM is better for me so please help",
    # asks nothing
    "I work in telecom. My manager did an MBA in operations management. He likes his job a "
    "lot and says it pays well.",
    # every sentence asks
    "What is OM? What is PM? How are they different from each other in terms of jobs?",
    # names no subject anywhere: an off-topic story stays off-topic
    "My laptop keeps overheating when I play games for a long time. I've cleaned the fan "
    "already. What else can I do?",
])
def test_messages_without_a_story_to_drop_stay_whole(text) -> None:
    assert focus(text, SUBJECTS) == text


def test_two_letter_terms_count_as_written_and_function_words_only_in_capitals() -> None:
    assert not SUBJECTS.named_in("it will be fine, I know it")
    assert not SUBJECTS.named_in("see you at 5 Pm")
    assert SUBJECTS.named_in("is pm good")
    assert SUBJECTS.named_in("jobs in IT?")
    assert SUBJECTS.named_in("I did BE")
    assert SUBJECTS.named_in("Production Management jobs")
    assert not SUBJECTS.named_in("productionmanagement")
    assert SubjectTerms([]).named_in("anything") is False


@pytest.mark.parametrize(("text", "expected"), [
    ("OM = PM ?", "OM same as PM ?"),
    ("operations management==production management", "operations management same as "
                                                      "production management"),
    ("OM != PM", "OM different from PM"),
    ("OM ≠ PM?", "OM different from PM?"),
    # not between two subjects, or more than one sign: left alone
    ("btech + mba in PM = better jobs?", "btech + mba in PM = better jobs?"),
    ("x = 1; SELECT * FROM t WHERE a = b", "x = 1; SELECT * FROM t WHERE a = b"),
    ("OM=PM=telecom?", "OM=PM=telecom?"),
])
def test_an_equals_sign_between_two_subjects_is_read_as_words(text, expected) -> None:
    assert read_equals(text, SUBJECTS) == expected
