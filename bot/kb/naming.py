"""Which fields a student's wording may name: "OM", "ops mgmt", "operations", "opertions
managment", "Production Management". Pure functions over the knowledge base's topics.

A field's own name decides alone. An alias or abbreviation that two fields share ("PM":
production and personnel management) yields both, so the caller can use the conversation or
ask; it never silently picks one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from bot.kb.answers import TopicInfo

FUZZY_CUTOFF = 0.82


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("&", " and ").replace("’", "'").split()).strip(" ?.!,")


def _stem(text: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in text.split())


def surfaces(topics: Sequence[TopicInfo]) -> list[tuple[str, str, bool]]:
    """(lowercase surface, topic, is the topic's own name)."""
    rows = []
    for info in topics:
        rows.append((info.name, info.name, True))
        rows += [(alias.lower(), info.name, False) for alias in info.aliases]
    return rows


def candidates(text: str | None, topics: Sequence[TopicInfo],
               article_rules: Mapping[str, Any]) -> tuple[str, ...]:
    if not text:
        return ()
    wanted = _normal(text)
    if not wanted:
        return ()
    heads = tuple(article_rules["generic_heads"])
    short = article_rules.get("word_abbreviations", {})
    generic = set(heads) | {w for w, full in short.items() if full in heads}
    expanded = " ".join(short.get(w, w) for w in wanted.split())
    wordings = list(dict.fromkeys(
        [wanted, expanded] + [f"{w} {head}" for w in (wanted, expanded) for head in heads
                              if not w.endswith(head)]))
    table = surfaces(topics)
    for wording in wordings:
        found = _exact(wording, table)
        if found:
            return found
    if not set(wanted.split()) - generic:
        return ()
    names = [s for s, _, _ in table]
    for wording in wordings:
        if len(wording) < 5:
            continue
        scored = [(difflib.SequenceMatcher(None, wording, n).ratio(), n) for n in names]
        best = max((r for r, _ in scored), default=0.0)
        if best < FUZZY_CUTOFF:
            continue
        close = {n for r, n in scored if r >= best - 0.02}
        found = tuple(dict.fromkeys(t for s, t, _ in table if s in close))
        if found:
            return found
    return ()


def _exact(wording: str, table: list[tuple[str, str, bool]]) -> tuple[str, ...]:
    own = [t for s, t, is_name in table if is_name and (s == wording or _stem(s) == _stem(wording))]
    if own:
        return tuple(dict.fromkeys(own))
    return tuple(dict.fromkeys(
        t for s, t, _ in table if s == wording or len(wording) > 4 and _stem(s) == _stem(wording)))
