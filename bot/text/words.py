"""Small text helpers shared by ingestion and the knowledge service."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
# Letters two forms of a word share: "plan"/"planning" in search, "engineer"/"engineering".
STEM = 5


def words(text: str) -> list[str]:
    """The lowercase words of a text (letters and digits in any script; no punctuation)."""
    return _WORD.findall(text.lower())


def same_word(a: str, b: str, stem: int = STEM) -> bool:
    """Equal, or one is the other plus an ending, for words of ``stem`` letters or more
    ("engineer" / "engineering", "recruit" / "recruiters"; not "it" / "item")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= stem and long_.startswith(short)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from bot.text.english import stop_words

    return stop_words()


def content_words(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """The words that carry meaning, in order and without repeats: no English stop words, no
    single characters, nothing in ``exclude``."""
    stop = _stop_words()
    return list(dict.fromkeys(
        w for w in words(text) if len(w) > 1 and w not in stop and w not in exclude))


def only_function_words(text: str) -> bool:
    """True when every word of the text is an English stop word ("and the", "what about")."""
    stop = _stop_words()
    return all(w in stop for w in words(text))


def normalise_value(value: str, synonyms: dict[str, str], display: bool = False) -> str:
    """The comparison key of a value (lowercase, synonyms applied), or its display form."""
    key = " ".join(value.lower().split()).strip(" .,;")
    mapped = synonyms.get(key)
    if display:
        return mapped or value
    return (mapped or key).lower()
