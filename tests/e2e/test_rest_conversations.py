"""Multi-turn conversations over REST against both real servers, checking source facts."""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.e2e


def say(rasa_server, sender: str, text: str) -> str:
    replies = rasa_server.rest(sender, text)
    assert replies, f"no reply to {text!r}"
    return "\n".join(r.get("text", "") for r in replies)


def numbered(text: str) -> list[str]:
    return re.findall(r"^\d+\. ", text, flags=re.MULTILINE)


@pytest.fixture
def sender() -> str:
    return f"student-{uuid.uuid4().hex[:8]}"


def test_differences_then_fewer_then_follow_up(rasa_server, sender) -> None:
    text = say(rasa_server, sender, "give any ten difference between production and "
                                    "operation management")
    assert len(numbered(text)) == 10
    assert "Source:" in text and "Difference between Operations Management" in text
    text = say(rasa_server, sender, "just 3 please")
    assert len(numbered(text)) == 3
    text = say(rasa_server, sender, "is mba compulsory for POM")
    assert "MBA: required" in text


def test_definition_follow_up_keeps_context(rasa_server, sender) -> None:
    text = say(rasa_server, sender, "what is operations management?")
    assert "supervision, planning and redesigning business operations" in text
    text = say(rasa_server, sender, "and production management?")
    assert "forecasting, planning or marketing" in text


def test_exams_and_sector_questions(rasa_server, sender) -> None:
    text = say(rasa_server, sender, "which entrance exams do i need for production management")
    assert all(exam in text for exam in ("XAT", "MAT", "CAT"))
    text = say(rasa_server, sender, "does telecom hire PM people?")
    assert "Telecom" in text and "recruited by" in text


def test_out_of_scope_and_honesty(rasa_server, sender) -> None:
    text = say(rasa_server, sender, "what's the weather in mumbai tomorrow")
    assert "outside what I can help with" in text
    text = say(rasa_server, sender, "which is the best college for mba in operations")
    assert "name no colleges" in text
    assert "graduate degree" in text  # what the sources do say about getting in


@pytest.mark.parametrize("text", ["", " ", "🙂🙂🙂", "<script>alert(1)</script>",
                                  "'; DROP TABLE passages;--", "x" * 20000,
                                  "¿Qué es la gestión de operaciones?"])
def test_bad_input_gets_a_polite_answer_and_the_bot_keeps_working(rasa_server, sender,
                                                                     text) -> None:
    replies = rasa_server.rest(sender, text)
    shown = "\n".join(r.get("text", "") for r in replies)
    assert "<script>" not in shown
    if text.strip():
        assert replies, "the bot must answer something"
    after = say(rasa_server, sender, "what is operations management")
    assert "supervision, planning and redesigning business operations" in after


def test_reader_comment_advisor_conversation(rasa_server, sender) -> None:
    comment = ("i have done be in electronics and communication. I want to opt for mba "
               "distance learning.Which college should i chose? Wherther i should prefer mba "
               "in (telecom and operations) or (telecom and hr).")
    text = say(rasa_server, sender, comment)
    assert "What did you study" not in text, "the comment already says the degree"
    assert "graduates of technology or engineering" in text
    assert "Telecom" in text
    assert "don't cover HR" in text
    assert "name no colleges" in text
    assert "distance" in text.lower()  # said once: the sources don't cover study modes
