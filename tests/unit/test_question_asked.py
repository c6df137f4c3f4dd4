"""Which question a message asks: the classifier's intent, corrected by the conversation and by
what the message names (actions.answer.question_asked, a pure function)."""

from __future__ import annotations

import pytest

from actions.answer import question_asked


def message(text: str, *entities: tuple[str, str, int, int]) -> dict:
    return {"text": text, "entities": [
        {"entity": e, "value": v, "start": start, "end": end} for e, v, start, end in entities]}


@pytest.mark.parametrize(("text", "entities", "intent", "confidence", "previous", "expected"), [
    # a follow-up keeps the previous question
    ("and PM?", [("topic", "production management", 4, 6)], "inform", 0.9, "ask_sectors",
     ("ask_sectors", True)),
    # ... unless it names what another question asks about
    ("what about telecom?", [("sector", "telecom", 11, 18)], "inform", 0.9, "ask_definition",
     ("ask_sectors", True)),
    # a count or a table with nothing before it: the differences
    ("make it 10 points", [("count", "10", 8, 10)], "inform", 0.9, None,
     ("ask_differences", False)),
    # a field named on its own: its definition
    ("operations management?", [("topic", "operations management", 0, 21)], "inform", 0.9,
     None, ("ask_definition", False)),
    # a confident question is the classifier's
    ("is CAT needed for eligibility", [("exam", "CAT", 3, 6)], "ask_qualification", 0.95,
     None, ("ask_qualification", False)),
    # an unsure one gives way to what the message names
    ("MAT chalega for PM", [("exam", "MAT", 0, 3)], "ask_qualification", 0.57, None,
     ("ask_admission", False)),
    # comparisons are never overruled ("explain OM in 2 lines" stays what it was)
    ("differences in telecom", [("sector", "telecom", 15, 22)], "ask_differences", 0.6, None,
     ("ask_differences", False)),
])
def test_question_asked(text, entities, intent, confidence, previous, expected) -> None:
    assert question_asked(message(text, *entities), intent, confidence, previous) == expected
