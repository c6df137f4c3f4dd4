"""Advice for "which specialisation / which MBA?": reasons built only from cited facts.

The recommendation ranks the student's options by how many source facts support them; the
ranking is the bot's reading of the facts (said so in the reply), each reason cites its fact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.kb.answers import FactItem
from bot.kb.service import KnowledgeService

SECTOR_ATTRIBUTES = ("career_sectors", "recruiting_industries")


@dataclass(frozen=True)
class Reason:
    kind: str  # background_advantage | sector_recruits | careers_in | eligible
    option: str
    topic: str
    detail: str  # the matched wording (degree, sector) or the list of values
    facts: tuple[FactItem, ...]


@dataclass(frozen=True)
class Advice:
    best: str | None  # the option with the most support (None: no option has any)
    reasons: tuple[Reason, ...]
    silent_options: tuple[str, ...]  # options the sources say nothing about
    mode_covered: bool  # whether the sources say anything about the study mode


@lru_cache(maxsize=1)
def degree_vocabulary() -> dict[str, tuple[str, ...]]:
    path = Path(__file__).resolve().parent / "degrees.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data["degrees"].items()}


def background_terms(degree: str | None) -> tuple[str, ...]:
    if not degree:
        return ()
    key = " ".join(degree.lower().split())
    return degree_vocabulary().get(key, (degree,))


def advise(service: KnowledgeService, degree: str | None, options: list[str],
           interests: list[str], mode: str | None) -> Advice:
    reasons: list[Reason] = []
    silent: list[str] = []
    support: dict[str, int] = {}
    for option in dict.fromkeys(o.lower() for o in options):
        topic = service.resolve_topic(f"{option} management") or service.resolve_topic(option)
        found = _topic_reasons(service, option, topic, degree, interests) if topic else []
        found += _sector_reasons(service, option)
        if not found:
            silent.append(option)
        reasons += found
        support[option] = len(found)
    ranked = sorted(support.items(), key=lambda pair: pair[1], reverse=True)
    clear_winner = ranked and ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
    best = ranked[0][0] if clear_winner else None
    return Advice(best, tuple(reasons), tuple(silent), mode_covered=_mode_covered(service, mode))


def _topic_reasons(service, option, topic, degree, interests) -> list[Reason]:
    reasons = []
    related = [topic] + [t for t in [service.counterpart(topic)] if t]
    for term in background_terms(degree):
        for owner, item in service.find_value(term, ("preferred_background",)):
            if owner in related:
                reasons.append(Reason("background_advantage", option, owner, term, (item,)))
    for interest in interests:
        for owner, item in service.find_value(interest, SECTOR_ATTRIBUTES, topic=topic):
            reasons.append(Reason("sector_recruits", option, owner, interest, (item,)))
    careers = [a for a in service.attributes(topic, SECTOR_ATTRIBUTES) if a.items]
    if careers:
        items = tuple(i for a in careers for i in a.items)
        values = ", ".join(dict.fromkeys(i.value for i in items))
        reasons.append(Reason("careers_in", option, topic, values, items))
    return _unique(reasons)


def _sector_reasons(service, option) -> list[Reason]:
    """An option that is a sector ("telecom"): which fields the sources say it recruits from."""
    return [Reason("sector_recruits", option, owner, option, (item,))
            for owner, item in service.find_value(option, SECTOR_ATTRIBUTES)]


def _mode_covered(service, mode) -> bool:
    if not mode:
        return True
    return any(hit.score >= 1.0 for hit in service.search(f"{mode} learning", limit=1))


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen, result = set(), []
    for reason in reasons:
        key = (reason.kind, reason.topic, reason.facts[0].citation.sentence)
        if key not in seen:
            seen.add(key)
            result.append(reason)
    return result
