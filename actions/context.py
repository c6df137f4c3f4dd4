"""What the user is asking about: topics, count and sector from the message, else from slots."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.kb.service import KnowledgeService
from bot.kb.text import only_function_words

_NUMBER = re.compile(r"\d+")
# In a pasted exam question, "Q.2" numbers the question and "(5 marks)" is what the answer is
# worth: neither is how many points it wants.
_MARKS = re.compile(r"\W*marks?\b", re.IGNORECASE)
_QUESTION_NUMBER = re.compile(r"\b(?:q|ques|question|no)\W{0,2}$", re.IGNORECASE)
_NUMBER_AT_END = re.compile(r"\d+\W*$")
# DIET's entity guesses below this were noise on the evaluation sets ("pls" as a topic at 0.56,
# "names" as an aspect at 0.46), unless the knowledge base knows the value ("production", 0.58).
ENTITY_CONFIDENCE = 0.6


@dataclass(frozen=True)
class QuestionContext:
    topics: tuple[str, ...]  # from the message if it names any, else from the slots
    unknown_topics: tuple[str, ...]  # topic wordings the knowledge base does not know
    count: int | None
    entities: dict[str, tuple[str, ...]]  # other entities by type, values as extracted


def is_bare_follow_up(message: dict[str, Any]) -> bool:
    """True when the message carries entities and nothing else but function words
    ("and production management?", "what about IT?", "just 3 please")."""
    text = message.get("text") or ""
    entities = message.get("entities") or []
    if not entities:
        return False
    for entity in sorted(entities, key=lambda e: e.get("start", 0), reverse=True):
        if isinstance(entity.get("start"), int) and isinstance(entity.get("end"), int):
            text = text[: entity["start"]] + " " + text[entity["end"]:]
    return only_function_words(text)


def entity_values(message: dict[str, Any], entity: str,
                  confident: bool = False) -> tuple[str, ...]:
    """The values of one entity type; with ``confident``, without DIET's unsure guesses."""
    values = [
        str(e.get("value")) for e in message.get("entities", [])
        if e.get("entity") == entity and e.get("value") not in (None, "")
        and (not confident or _confident(e))
    ]
    return tuple(dict.fromkeys(values))


def guessed(entity: dict[str, Any]) -> bool:
    """Whether the entity is DIET's guess, not a lookup-table or regex match."""
    return entity.get("extractor") == "DIETClassifier"


def _confident(entity: dict[str, Any]) -> bool:
    """Lookup-table and regex matches always count; DIET's guesses from ENTITY_CONFIDENCE."""
    if not guessed(entity):
        return True
    return (entity.get("confidence_entity") or 0.0) >= ENTITY_CONFIDENCE


def _without_exam_numbers(message: dict[str, Any]) -> dict[str, Any]:
    """The message without the count entities that number an exam question or give its
    marks."""
    text = message.get("text") or ""
    entities = [e for e in message.get("entities") or []
                if not (e.get("entity") == "count" and _exam_number(text, e))]
    return {**message, "entities": entities}


def _exam_number(text: str, entity: dict[str, Any]) -> bool:
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return False
    # DIET may tag the whole "Q.2"; the regex extractor just the "2".
    before = text[:start] + _NUMBER_AT_END.sub("", text[start:end])
    return bool(_MARKS.match(text, end) or _QUESTION_NUMBER.search(before))


def read_context(
    message: dict[str, Any], slots: dict[str, Any], service: KnowledgeService
) -> QuestionContext:
    resolved: list[str] = []
    unknown: list[str] = []
    wordings = entity_values(message, "topic")
    if not wordings:
        # Bare field words ("production and operations are same?") may come out as
        # specialisations; those that name a known field are topics here.
        wordings = tuple(w for w in entity_values(message, "specialisation")
                         if service.resolve_topic(w) is not None)
    # An unsure guess that names no known field ("pls" in "put it in a table pls") is noise;
    # one that does ("production" at 0.58 in "and production?") is backed by the knowledge base.
    confident = set(entity_values(message, "topic", confident=True))
    for wording in wordings:
        context = resolved[0] if resolved else slots.get("topic")
        topic = service.resolve_topic(wording, context=context)
        if topic is None:
            if wording in confident:
                unknown.append(wording)
        elif topic not in resolved:
            resolved.append(topic)
    if not resolved and not unknown:
        for slot in ("topic", "other_topic"):
            value = slots.get(slot)
            if value and value not in resolved:
                resolved.append(value)
    count = None
    for value in entity_values(_without_exam_numbers(message), "count"):
        match = _NUMBER.search(value)
        if match:
            count = int(match.group(0))
            break
    others = {
        name: entity_values(message, name)
        for name in ("sector", "degree", "exam", "specialisation", "mode", "answer_format",
                     "institution")
    }
    return QuestionContext(tuple(resolved), tuple(unknown), count, others)
