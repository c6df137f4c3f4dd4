"""Advice that answers first (issue 13), over the user's article: the background is read from
the message, the facts that bear on the choice come at once, the reading follows from its
reasons, what the sources lack is said once, and at most one question comes back."""

from __future__ import annotations

import re

import pytest

from tests.conftest import USER_ARTICLE
from tests.integration.actionkit import Conversation, built_service

pytestmark = pytest.mark.usefixtures("isolated_log")

OM, PM = "Operations management", "Production management"


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp):
    return built_service(tmp_path_factory.mktemp("kb-advice"), nlp, USER_ARTICLE)


def reading(reply: str) -> str:
    match = re.search(r"My reading of the sources[^\n]*", reply)
    assert match, reply
    return match.group(0)


def reasons(reply: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", reply, re.MULTILINE)


@pytest.mark.parametrize(("text", "degree"), [
    ("mechanical engg final year, OM or PM?", "B.E."),
    ("BE in electronics & comm. which one should I take, OM or PM?", "B.E."),
    ("ECE grad, which MBA suits me: operations or production?", "B.E."),
    ("commerce background here, OM or PM?", "B.Com"),
    ("BCA grad working in IT, OM or PM for me?", "BCA"),
])
def test_the_background_in_the_message_is_read_not_asked_again(service, text, degree) -> None:
    talk = Conversation(service)
    reply = talk.say(text, "ask_recommendation")
    assert "what did you study" not in reply.lower()
    assert talk.slots["background"]["degree"] == degree


@pytest.mark.parametrize(("text", "field", "fact"), [
    ("I want to work for an automobile company: OM or PM?", PM, "automobiles"),
    ("I love logistics, which field should I choose?", OM, "Logistics"),
    ("Interested in the power sector. OM or PM?", PM, "energy"),
])
def test_a_sector_the_sources_list_settles_the_choice_at_once(service, text, field, fact):
    reply = Conversation(service).say(text, "ask_recommendation")
    assert f"**{field}**" in reading(reply)
    assert fact in reasons(reply)[0]


@pytest.mark.parametrize(("text", "field", "fact"), [
    ("I'm obsessed with cars and dream of working at a car plant. Which specialisation?", PM,
     "automobiles"),
    ("fascinated by steel plants, which field lines up with that?", PM, "iron steel"),
])
def test_a_narrowed_head_is_not_a_sector_of_its_own(service, text, field, fact) -> None:
    # "car plant" is the car industry, not any plant ("Manufacturing" for the other field)
    reply = Conversation(service).say(text, "ask_recommendation")
    assert f"**{field}**" in reading(reply), reply
    assert fact in reasons(reply)[0]


@pytest.mark.parametrize("text", [
    "I am a B.Com graduate. Should I choose operations management or production management?",
    "i have done bcom. which should i prefer mba in operations or production",
    "BA in history, want to switch careers into management. OM or PM?",
])
def test_no_field_is_recommended_on_facts_about_the_other(service, text) -> None:
    # "engineers have an edge in PM" is said, but it is not a reason for OM
    reply = Conversation(service).say(text, "ask_recommendation")
    assert "**" not in reading(reply) and "both ways" in reading(reply), reply
    assert any("another background than yours" in line for line in reasons(reply))


def test_which_is_better_with_nothing_personal_gives_what_is_said_of_both(service) -> None:
    reply = Conversation(service).say("which is better, OM or PM?", "ask_recommendation")
    common = [line for line in reasons(reply) if "big impact on our industries" in line]
    assert len(common) == 1, reasons(reply)  # said once, though stored under both fields


def test_every_reason_names_its_field_and_quotes_its_sentence(service) -> None:
    reply = Conversation(service).say(
        "I did B.E. in electronics and communication, want a distance MBA. Telecom and "
        "operations or telecom and HR?", "ask_recommendation")
    article = USER_ARTICLE.read_text(encoding="utf-8")
    for line in reasons(reply):
        field = OM if line.startswith(OM) else PM
        assert line.startswith(field)
        sentence = re.search(r'"([^"]+)"', line).group(1)
        assert sentence.replace("\\", "") in article
        # a reason about telecom or the B.E. is about production management, never operations
        if "Telecom" in sentence or "engineering" in sentence:
            assert field == PM


def test_the_reading_follows_from_its_reasons_not_from_the_options_named(service) -> None:
    reply = Conversation(service).say(
        "I did B.E. in electronics and communication, want a distance MBA. Telecom and "
        "operations or telecom and HR?", "ask_recommendation")
    assert "**Production management**" in reading(reply)
    assert "not among the options you named" in reading(reply)


def test_what_the_sources_lack_is_said_once(service) -> None:
    reply = Conversation(service).say(
        "BE ECE, distance MBA: telecom+operations or telecom+HR? which college?",
        "ask_recommendation")
    assert reply.count("don't cover HR") == 1
    assert len(re.findall(r"distance", reply, re.IGNORECASE)) == 1  # declined once
    assert "name no colleges" in reply


def test_when_the_facts_point_both_ways_the_reply_says_so(service) -> None:
    reply = Conversation(service).say("I'm into IT. OM or PM?", "ask_recommendation")
    assert "both ways" in reading(reply)


def test_one_question_only_when_it_would_change_the_reading(service) -> None:
    talk = Conversation(service)
    reply = talk.say("which one should I pick, OM or PM?", "ask_recommendation")
    assert reply.count("One thing would change this reading") == 1
    assert talk.slots["awaiting"] == "degree"
    # the answer to it revises the reading; the same question is never asked twice
    reply = talk.say("B.Tech mechanical", "inform", 0.6)
    assert "**Production management**" in reading(reply)
    assert "what did you study" not in reply.lower()
    settled = Conversation(service).say("mechanical engineer who loves cars, OM or PM?",
                                        "ask_recommendation")
    assert "One thing would change" not in settled


def test_a_changed_detail_is_acknowledged_and_the_advice_revised(service) -> None:
    talk = Conversation(service)
    first = talk.say("I did B.E., OM or PM?", "ask_recommendation")
    assert "**Production management**" in reading(first)
    reply = talk.say("actually I'm B.Com, not B.E.", "inform", 0.6)
    assert "Noted: your degree is B.Com, not B.E." in reply
    assert "**Production management**" not in reading(reply)


def test_the_student_can_leave_the_advice_and_ask_something_else(service) -> None:
    talk = Conversation(service)
    talk.say("which one should I pick, OM or PM?", "ask_recommendation")
    reply = talk.say("ok forget it, what exams do I need for PM?", "ask_admission")
    assert "XAT" in reply and "My reading" not in reply
    assert talk.slots["awaiting"] is None


@pytest.mark.parametrize("text", ["i did B.E. in mechanical, OM or PM?",
                                  "B.Tech grad here, which is better for me, OM or PM?"])
def test_a_sentence_naming_the_students_degree_among_others_counts_for_it(service, text):
    # "students who possess B.Tech or B.E degrees": a reason for, never "another background".
    reply = Conversation(service).say(text, "ask_recommendation")
    both = [line for line in reasons(reply) if "B.Tech or B.E degrees" in line]
    assert both and all("names your background" in line for line in both), reasons(reply)


def test_advice_asked_with_the_exams_answers_both(service) -> None:
    reply = Conversation(service).say(
        "SBI PO, 3 yrs, B.Com. Want MBA but staying in BFSI. OM or PM? Also which entrance "
        "exams?", "ask_admission")
    assert f"**{OM}**" in reading(reply), reply
    assert "XAT" in reply, reply
    # the words of the other question tie the student to no field
    assert "entrance, exams" not in reply, reply


@pytest.mark.parametrize(("text", "unlisted"), [
    ("B.Tech IT 2023. I'm obsessed with aviation. OM or PM?", "aviation"),
    ("textile engg 3rd year. I want to work in a big textile mill. OM or PM?", "textile mill"),
])
def test_an_interest_the_sources_do_not_name_is_said_to_be_unnamed(service, text, unlisted):
    reply = Conversation(service).say(text, "ask_recommendation")
    sentence = next(line for line in reply.split("\n") if unlisted in line)
    assert "don't" in sentence or "not" in sentence, reply
