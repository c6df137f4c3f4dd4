"""How well a fact or a passage answers what a question names: word overlap through lemmas
(word stems), the concepts' synonyms ("hire" ~ "recruit" ~ "employment") and the knowledge
base's own value synonyms, used to rank, never to filter; and whether the sources cover a
thing at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.answering.vocabulary import concept_of
from bot.text.english import lemma
from bot.text.words import words as plain_words

STEM = 5


def _stem(word: str) -> str:
    return word[:STEM] if len(word) > STEM else word


def equivalents(word: str, literal: bool = False) -> frozenset[str]:
    """The word, and (unless ``literal``) the words of the concepts it belongs to that are
    not things students ask about the sources often lack (those must be stated literally)."""
    found = {word}
    if not literal:
        for concept in concept_of().get(word, ()):
            if not concept.ask:
                found.update(concept.words)
    return frozenset(found)


class Words:
    """The words of a text, by stem and by lemma, for overlap and coverage checks."""

    def __init__(self, text: str | Iterable[str]) -> None:
        items = plain_words(text) if isinstance(text, str) else list(text)
        self.words = frozenset(items)
        self.stems = frozenset(_stem(w) for w in items)
        self.lemmas = frozenset(lemma(w) for w in items)

    def states(self, word: str) -> bool:
        """The word itself (any inflection), or a word of the same concept: stricter than
        ``has`` ("hospitals" is not "hospitality")."""
        for variant in equivalents(word, literal=any(c.ask for c in concept_of().get(word, ()))):
            parts = variant.split()
            if all(lemma(p) in self.lemmas or p in self.words for p in parts):
                return True
        return False

    def has(self, word: str, literal: bool = False) -> bool:
        if literal:
            forms = {word, word + "s", word + "es", word[:-1] if word.endswith("s") else word,
                     word[:-3] + "y" if word.endswith("ies") else word,
                     word[:-1] + "ies" if word.endswith("y") else word}
            return any(" " not in f and f in self.words for f in forms) or (
                " " in word and all(w in self.words for w in word.split()))
        for variant in equivalents(word, literal):
            for part in variant.split():
                if part in self.words or len(part) >= STEM and _stem(part) in self.stems:
                    break
            else:
                continue
            return True
        return False


def overlap(aspects: Iterable[str], text: str | Words) -> float:
    """Share of ``aspects`` (single words) the text contains (0..1)."""
    aspects = [a for a in aspects if a]
    if not aspects:
        return 0.0
    words = text if isinstance(text, Words) else Words(text)
    return sum(1 for a in aspects if words.has(a)) / len(aspects)


def covered(phrase: str, words: Words) -> bool:
    """Whether the sources' words state the phrase: every word of it, literally for things
    students ask about that sources often lack (salary, fees), else through synonyms."""
    asked = [w for w in plain_words(phrase) if len(w) > 2]
    if not asked:
        return True
    return all(words.states(word) for word in asked)
