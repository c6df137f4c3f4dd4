import pytest

from bot.nlu.question_form import closed_question


@pytest.mark.parametrize("text", [
    "is mba compulsory for production management",
    "Can arts students do MBA in PM?",
    "do i need a masters to work in production management",
    "so does an MBA help in operations management?",
    "sir, is a graduate degree from any stream ok for PM mba?",
    "I did BA in history in 2021. am I even eligible or is it only for engineers??",
    "PM karne ke baad job milegi kya?",
    "kya BBA ke baad production management kar sakte hai",
    "DOES TELECOM HIRE PM PEOPLE",
])
def test_yes_no_questions_are_closed(text):
    assert closed_question(text)


@pytest.mark.parametrize("text", [
    "what is the minimum qualification for production management",
    "which streams can apply for MBA in PM",
    "eligibility for operations management",
    "how do I get into an operations management program?",
    "island of operations",  # "is" only as the start of a word
    "",
])
def test_open_questions_and_statements_are_not(text):
    assert not closed_question(text)
