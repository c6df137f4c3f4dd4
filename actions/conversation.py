"""The conversation as slots: read into ``bot.answering.question.Conversation``, written back
from a reply's ``Memory``. The only module that knows the slot names."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.answering.question import Background, Conversation
from bot.answering.reply import Memory
from bot.answering.vocabulary import kinds

KINDS = frozenset(k.kind for k in kinds())
SLOTS = ("last_kind", "topics", "things", "count", "answer_format", "background", "awaiting",
         "asked")


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if isinstance(v, (str, int, float)) and str(v))
    return ()


def _count(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 100 else None


def read(tracker: Tracker) -> Conversation:
    """Whatever the slots hold (any tracker state: missing, wrong types) gives a valid
    Conversation."""
    slot = tracker.get_slot
    kind = slot("last_kind")
    things = []
    for entry in _strings(slot("things")):
        kind_, _, value = entry.partition(":")
        if value:
            things.append((kind_, value))
    raw = slot("background")
    raw = raw if isinstance(raw, dict) else {}
    background = Background(
        degree=raw.get("degree") if isinstance(raw.get("degree"), str) else None,
        branch=raw.get("branch") if isinstance(raw.get("branch"), str) else None,
        mode=raw.get("mode") if isinstance(raw.get("mode"), str) else None,
        interests=_strings(raw.get("interests")),
        options=_strings(raw.get("options")),
    )
    awaiting = slot("awaiting")
    return Conversation(
        kind=kind if isinstance(kind, str) and kind in KINDS else None,
        topics=_strings(slot("topics")),
        things=tuple(things),
        count=_count(slot("count")),
        table=slot("answer_format") == "table",
        background=background,
        awaiting=awaiting if isinstance(awaiting, str) and awaiting else None,
        asked=_strings(slot("asked")),
    )


def events(memory: Memory | None, conversation: Conversation) -> list[EventType]:
    """Slot events for what the next turn needs; nothing when the reply keeps the context."""
    if memory is None:
        return []
    background = memory.background or _background(conversation.background)
    return [
        SlotSet("last_kind", memory.kind),
        SlotSet("topics", list(memory.topics) or None),
        SlotSet("things", [f"{k}:{v}" for k, v in memory.things] or None),
        SlotSet("count", str(memory.count) if memory.count else None),
        SlotSet("answer_format", "table" if memory.table else None),
        SlotSet("background", background if any(background.values()) else None),
        SlotSet("awaiting", memory.awaiting),
        SlotSet("asked", list(memory.asked) or list(conversation.asked) or None),
    ]


def _background(background: Background) -> dict[str, Any]:
    return {"degree": background.degree, "branch": background.branch, "mode": background.mode,
            "interests": list(background.interests), "options": list(background.options)}
