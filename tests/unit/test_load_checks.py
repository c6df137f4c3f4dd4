"""The load and replica tests' check of a stored conversation (tests/e2e/load.py): it finds lost,
duplicated and reordered turns, and lets a turn re-sent after a broken connection be stored
twice, only that."""

from __future__ import annotations

import pytest

from tests.e2e.load import problems_in_tracker
from tests.e2e.reference import Turn

TURNS = [Turn("a"), Turn("b"), Turn("c")]


def stored(*texts: str) -> list[dict]:
    events: list[dict] = []
    for text in texts:
        events += [{"event": "user", "text": text, "timestamp": len(events)},
                   {"event": "bot", "text": "ok", "timestamp": len(events) + 0.1},
                   {"event": "action", "name": "action_listen", "timestamp": len(events) + 0.2}]
    return events


@pytest.mark.parametrize(("texts", "resent", "ok"), [
    (("a", "b", "c"), (), True),
    (("a", "b", "b", "c"), (), False),  # duplicated
    (("a", "c"), (), False),  # lost
    (("a", "c", "b"), (), False),  # reordered
    (("a", "b", "b", "c"), (1,), True),  # re-sent after its server died: at least once
    (("a", "b", "c"), (1,), True),  # ... or the dead server had not stored it
    (("a", "c"), (1,), False),  # never lost
    (("a", "a", "b", "c"), (1,), False),  # only the re-sent turn may repeat
])
def test_a_stored_conversation_is_checked_turn_by_turn(texts, resent, ok) -> None:
    assert (problems_in_tracker(stored(*texts), TURNS, resent) == []) is ok


def test_an_unanswered_turn_is_found() -> None:
    events = stored("a", "b", "c")
    del events[4]  # the bot's reply to "b"
    assert problems_in_tracker(events, TURNS) == ["no bot reply stored after 'b'"]
