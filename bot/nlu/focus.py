"""The question inside a long message: the sentences that ask, without the life story around them.

Students write "I'm 26, six years a supervisor in a small factory, my boss says ... Is it a field
with a good future?". Classified whole, the story outweighs the question (off-topic, advice, a
sector check); classified alone, the question is easy. Measured on the evaluation sets' long
messages of 15 words or more (docs/nlu.md), the right intent went from 127 to 135 of 148.

Rules, not a model: a sentence asks when it has a question mark or starts like a question or a
request. Only a story that ends in its question is focused (chatter after it aside). A question
that names no subject ("Is that actually true?") keeps the nearest sentence before it that
does; sentences naming the student's degree or study mode are kept as context. A message
without a subject anywhere is left whole (an off-topic story stays off-topic), as is one that
has a single sentence, asks nothing or asks in every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.text.words import only_function_words

# Sentence ends, except the dots of abbreviations such as "B.E." or "B.Tech." and of one letter.
_SENTENCE_END = re.compile(
    r"(?<![A-Z]\.[A-Z]\.)(?<!\b[A-Z]\.)(?<!\btech\.)(?<!\bcom\.)(?<!\bsc\.)(?<=[.!?])\s+|\n+",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"\?"
    r"|^\W*(?:so|but|and|now|also|then|ok|okay)?\W*"
    r"(?:what|which|how|why|where|when|who|whom|whether|is|are|am|can|could|should|shall|do|does"
    r"|did|will|would|may|might|tell|explain|give|list|suggest|guide|help|pls|plz|please|kindly"
    r"|differentiate|distinguish|compare|describe|define)\b"
    r"|\b(?:want(?:ed)? to know|let me know|tell me|suggest|advi[cs]e|difference|diff)\b",
    re.IGNORECASE,
)
# "OM = PM ??": Rasa's whitespace tokenizer drops the "=", leaving two bare names. Between two
# subjects it asks whether they are the same (or, crossed out, different).
_EQUALS = re.compile(r"\s*(?<![=!<>])(==?|!=|=/=|≠)(?!=)\s*")
_EQUALS_READ = {"=": " same as ", "==": " same as ", "!=": " different from ",
                "=/=": " different from ", "≠": " different from "}
DEFAULT_MIN_WORDS = 15
SHORT = 2  # letters of an abbreviation that is also a word ("om", "pm", "ba")


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def asks(sentence: str) -> bool:
    return _ASKS.search(sentence) is not None


class SubjectTerms:
    """Whole-word matching of the terms that name what the bot is about.

    Terms of two letters count only as written, where they are abbreviations ("OM", "om", "BA"),
    and function words among them only in capitals ("IT", "BE"; not "it", "be"); longer terms
    that are function words never count."""

    def __init__(self, terms: Iterable[str]) -> None:
        cleaned = {" ".join(t.split()) for t in terms if t and t.strip()}
        kept = {t for t in cleaned if len(t) <= SHORT or not only_function_words(t)}
        self.terms = tuple(sorted(kept, key=str.lower))
        longer = sorted({t.lower() for t in kept if len(t) > SHORT}, key=len, reverse=True)
        short = sorted({t if not only_function_words(t) else t.upper()
                        for t in kept if len(t) <= SHORT})
        self._patterns = tuple(
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in group) + r")(?!\w)", flags)
            for group, flags in ((longer, re.IGNORECASE), (short, 0)) if group
        )

    def named_in(self, sentence: str) -> bool:
        return any(pattern.search(sentence) for pattern in self._patterns)


def read_equals(text: str, subjects: SubjectTerms) -> str:
    """``text`` with an equals sign between two subjects read as words ("OM = PM?" is
    "OM same as PM?"); any other "=" (code, "btech + mba = better jobs?") is left alone."""
    parts = _EQUALS.split(text)  # [left, sign, right] for exactly one sign
    if len(parts) != 3 or not (subjects.named_in(parts[0]) and subjects.named_in(parts[2])):
        return text
    left, sign, right = parts
    return left + _EQUALS_READ[sign] + right


def focus(text: str, subjects: SubjectTerms, context: SubjectTerms | None = None,
          min_words: int = DEFAULT_MIN_WORDS) -> str:
    """The asking sentences of a story that ends in a question, else ``text``. Trailing
    sentences that name no subject ("I don't want her to regret it.") do not count.

    Kept with them: the nearest sentence before them that names a subject, when they name none,
    and every sentence that names a ``context`` term (the student's degree or study mode, which
    eligibility questions and the advisor need)."""
    if len(text.split()) < min_words:
        return text
    sentences = split_sentences(text)
    asking = [i for i, sentence in enumerate(sentences) if asks(sentence)]
    if len(sentences) < 2 or not asking or len(asking) == len(sentences):
        return text
    named = [subjects.named_in(sentence) for sentence in sentences]
    if any(named[asking[-1] + 1:]):
        return text  # more after the question: not a story that ends in it
    keep = set(asking)
    if not any(named[i] for i in asking):
        before = [i for i in range(asking[0]) if named[i]]
        if not before:
            return text
        keep.add(before[-1])
    if context is not None:
        keep.update(i for i, sentence in enumerate(sentences) if context.named_in(sentence))
    return " ".join(sentences[i] for i in sorted(keep))


MAX_FOCUSED_CHARS = 1200


def focus_text(text: str, max_chars: int = MAX_FOCUSED_CHARS) -> str:
    """A very long message cut to what can be answered: its asking sentences (the last ones,
    up to ``max_chars``), or its end when nothing in it asks."""
    sentences = split_sentences(text)
    asking = [s for s in sentences if asks(s)]
    kept: list[str] = []
    for sentence in reversed(asking or sentences):
        if sum(len(s) for s in kept) + len(sentence) > max_chars and kept:
            break
        # a run-on sentence longer than the limit keeps its end, where the question is
        kept.insert(0, sentence[-max_chars:])
    return " ".join(kept)
