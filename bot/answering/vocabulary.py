"""The language data understanding reads: question kinds, concepts, markers and degree names.

All of it lives in ``bot/ingest/rules`` next to the attributes the kinds draw on
(``kinds.jsonl``, ``concepts.jsonl``, ``markers.json``, ``degrees.json``); this module loads it
into frozen dataclasses once and matches cue phrases against a message's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent.parent / "ingest" / "rules"
TOPIC_SLOT = "{topic}"
# Words as students write them: "b.tech", "b.e.", "o&m" stay one token; "om/pm" is two.
_TOKEN = re.compile(r"(?:[^\W_]{1,2}(?:\.[^\W_]+)+|[^\W_]+)(?:['’&-][^\W_]+)*\.?", re.UNICODE)


@dataclass(frozen=True)
class Token:
    text: str  # lowercase, without a trailing full stop unless it is part of an abbreviation
    start: int
    end: int


def tokenize(text: str) -> tuple[Token, ...]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group(0).lower()
        end = match.end()
        if word.endswith(".") and word.count(".") == 1:
            word, end = word[:-1], end - 1
        if word.endswith(("'s", "’s")) and len(word) > 3:  # "PM's job"
            word, end = word[:-2], end - 2
        tokens.append(Token(word.replace("’", "'"), match.start(), end))
    return tuple(tokens)


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]  # each may end in "*" (a prefix) or be TOPIC_SLOT

    def matches(self, words: tuple[str, ...]) -> list[int]:
        """Start indexes where the cue occurs in ``words``."""
        first, rest = self.words[0], self.words[1:]
        hits = []
        for i in range(len(words) - len(rest)):
            if _word_matches(first, words[i]) and all(
                    _word_matches(c, w) for c, w in zip(rest, words[i + 1:], strict=False)):
                hits.append(i)
        return hits


def _word_matches(cue: str, word: str) -> bool:
    if cue == "*":
        return True
    if cue.endswith("*"):
        return word.startswith(cue[:-1])
    return cue == word


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question: the attributes it draws on (a prior for ranking, not a filter),
    the entity it takes ("does telecom hire ...": sector), whether it needs a field, whether
    it compares two fields or is counted."""

    kind: str
    intents: tuple[str, ...]
    attributes: tuple[str, ...] = ()
    fallback_attributes: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()
    entity: str | None = None
    needs_field: bool = False
    compares: bool = False
    counted: bool = False
    cue_weight: float | None = None  # how much one of its cues says (default: CUE_WEIGHT)

    def cue_hits(self, words: tuple[str, ...]) -> list[tuple[Cue, int]]:
        return [(cue, i) for cue in self.cues for i in cue.matches(words)]


@dataclass(frozen=True)
class Concept:
    """Words that mean the same thing to a student; ``ask`` marks things students ask about
    that sources often lack (salary, fees), named when a reply says the sources are silent."""

    name: str
    words: tuple[str, ...]
    ask: bool = False
    weak: tuple[str, ...] = ()  # its words with other meanings too ("earn" certifications):
    #                            their presence in the sources does not mean it is covered


def _cue(phrase: str) -> Cue:
    return Cue(tuple(w if w in ("*", TOPIC_SLOT) else w.lower() for w in phrase.split()))


@lru_cache(maxsize=1)
def kinds() -> tuple[QuestionKind, ...]:
    rows = []
    for line in (RULES_DIR / "kinds.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        rows.append(QuestionKind(
            kind=row["kind"],
            intents=tuple(row.get("intents", ())),
            attributes=tuple(row.get("attributes", ())),
            fallback_attributes=tuple(row.get("fallback_attributes", ())),
            cues=tuple(_cue(c) for c in row.get("cues", ())),
            entity=row.get("entity"),
            needs_field=bool(row.get("needs_field")),
            compares=bool(row.get("compares")),
            counted=bool(row.get("counted")),
            cue_weight=row.get("cue_weight"),
        ))
    return tuple(rows)


def kind(name: str) -> QuestionKind:
    return next(k for k in kinds() if k.kind == name)


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    rows = []
    for line in (RULES_DIR / "concepts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(Concept(row["name"], tuple(w.lower() for w in row["words"]),
                                bool(row.get("ask")), tuple(row.get("weak", ()))))
    return tuple(rows)


@lru_cache(maxsize=1)
def concept_of() -> dict[str, tuple[Concept, ...]]:
    """Each concept word -> the concepts it belongs to."""
    index: dict[str, list[Concept]] = {}
    for concept in concepts():
        for word in concept.words:
            index.setdefault(word, []).append(concept)
    return {w: tuple(c) for w, c in index.items()}


@lru_cache(maxsize=1)
def markers() -> dict[str, Any]:
    return json.loads((RULES_DIR / "markers.json").read_text(encoding="utf-8"))


@cache
def marker_cues(name: str) -> tuple[Cue, ...]:
    return tuple(_cue(p) for p in markers()[name])


@lru_cache(maxsize=1)
def degrees() -> dict[str, Any]:
    return json.loads((RULES_DIR / "degrees.json").read_text(encoding="utf-8"))


def has_marker(name: str, words: tuple[str, ...]) -> bool:
    return any(cue.matches(words) for cue in marker_cues(name))


def marker_positions(name: str, words: tuple[str, ...]) -> list[int]:
    return sorted(i for cue in marker_cues(name) for i in cue.matches(words))


@lru_cache(maxsize=1)
def _cue_words() -> tuple[frozenset[str], tuple[str, ...]]:
    exact, prefixes = set(), []
    for k in kinds():
        for cue in k.cues:
            for word in cue.words:
                if word in ("*", TOPIC_SLOT):
                    continue
                if word.endswith("*"):
                    prefixes.append(word[:-1])
                elif word not in ("*", TOPIC_SLOT):
                    exact.add(word)
    return frozenset(exact), tuple(prefixes)


def is_cue_word(word: str) -> bool:
    """A word that says what kind of question it is ("eligibility", "sectors"), not what
    it is about."""
    exact, prefixes = _cue_words()
    return word in exact or any(word.startswith(p) for p in prefixes)


def asked_concepts(text: str) -> list[tuple[Concept, str]]:
    """The things students often ask about that sources lack, as the message names them:
    (concept, the words it used), multi-word ones included ("how long", "work-life balance")."""
    from bot.text.english import lemma

    tokens = [t.text for t in tokenize(text)]
    plain = f" {' '.join(tokens)} {' '.join(lemma(t) for t in tokens)} "
    found = []
    for concept in concepts():
        if concept.ask:
            typed = [w for w in (concept.name, *concept.words) if f" {w} " in plain]
            if typed:
                word = max(typed, key=len)
                match = re.search(r"\b" + re.escape(word).replace(r"\ ", r"\W+") + r"\b",
                                  text, re.IGNORECASE)
                found.append((concept, match.group(0) if match else word))
    return found
