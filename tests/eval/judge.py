"""Judge the bot's replies by their content: does the reply answer the question asked?

Every evaluation turn (schema: ``tests/eval/SCHEMA.md``) carries what a correct reply must
contain, taken from the source article by people who never saw the bot: ``must`` (phrase
groups: each group must appear, one alternative is enough), ``silent`` (the asked thing the
sources do not cover: the reply must say so, naming it), ``count`` and ``format`` for
comparisons, ``recommends`` for advice. On top, every reply is checked for invented quotes
(anything in “curly quotes” must be a source sentence's words) and for a "Yes" the article does
not support. Turns written before the content schema (no ``must``/``silent``) are judged by
their kind: a cited factual reply, or an honest decline where the article is silent.

What is correct comes from the labels and the sources, never from the bot's own wording,
except the few phrases by which any honest reply says "my sources don't cover that".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.ingest.build import file_title

EVAL_DIR = Path(__file__).resolve().parent

SMALL_TALK = {
    "greet": {"utter_greet"},
    "goodbye": {"utter_goodbye"},
    "thank": {"utter_you_are_welcome"},
    "bot_challenge": {"utter_iamabot"},
    "capabilities": {"utter_capabilities"},
}
# How an honest reply says the sources do not cover something (normalised text).
DECLINES = (
    "my sources don t", "my sources do not", "sources don t", "my sources name no",
    "my sources say nothing", "not in my sources", "doesn t name", "does not name",
    "not stated", "couldn t find", "could not find", "no direct answer", "don t cover",
    "don t discuss", "don t mention", "don t say", "can t help", "outside what i can help",
    "i can t answer", "my sources support only", "not all by my sources", "nothing you told me",
)
OFF_TOPIC = frozenset({"utter_out_of_scope", "utter_ask_rephrase", "utter_offer_topics",
                       "utter_topic_not_covered", "utter_ask_which_topic"})
_NUMBERED = re.compile(r"^\d+\. ", re.MULTILINE)
_TABLE_ROW = re.compile(r"^\|.*\|\s*$", re.MULTILINE)
_QUOTED = re.compile(r"“([^”]{12,})”")
# Sentence ends: not the dots of "B.E." or "B.Tech." inside a sentence.
_SENTENCE = re.compile(r"(?<![A-Z]\.)(?<!Tech\.)(?<=[.!?:])\s+(?=[A-Z*“\"_])|\n+")
_READING = re.compile(r"my reading of the sources[^\n]*", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str
    topics: tuple[str, ...] = ()
    count: int | None = None
    table: bool = False
    thing: str | None = None
    answer: str | None = None
    must: tuple[tuple[str, ...], ...] = ()
    silent: tuple[str, ...] = ()
    recommends: str | None = None

    @property
    def content_labelled(self) -> bool:
        return bool(self.must or self.silent or self.recommends)


@dataclass(frozen=True)
class Case:
    """One conversation: a single question, or a few turns that depend on each other."""

    name: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Message:
    """One bot message: the domain response it was rendered from (if any) and its text."""

    response: str | None
    text: str


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str


@dataclass(frozen=True)
class Knowledge:
    """What the judge needs of the sources: their titles and text (to check citations and
    quotes) and how many differences the knowledge base holds for a pair."""

    titles: tuple[str, ...]
    texts: tuple[str, ...]  # normalised
    differences: int

    def cites(self, text: str) -> bool:
        return any(normal(title) in text for title in self.titles)

    def states(self, quote: str) -> bool:
        wanted = normal(quote)
        return any(wanted in source for source in self.texts) or any(
            wanted == normal(title) for title in self.titles)


def normal(text: str) -> str:
    """Lowercase words only: "B.Tech" is "b tech", "don't" is "don t"."""
    text = text.replace("’", "'").replace("\\", "")
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _alternatives(group) -> tuple[str, ...]:
    if isinstance(group, str):
        return (group,)
    return tuple(str(g) for g in group if str(g).strip())


def _answer(value) -> str | None:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value) if value else None


def _turn(raw: dict) -> Turn:
    must = tuple(a for a in (_alternatives(g) for g in raw.get("must") or ()) if a)
    silent = raw.get("silent") or ()
    return Turn(
        text=str(raw["text"]),
        expect=str(raw["expect"]),
        topics=tuple(raw.get("topics") or ()),
        count=int(raw["count"]) if raw.get("count") is not None else None,
        table=raw.get("format") == "table",
        thing=str(raw["thing"]) if raw.get("thing") else None,
        answer=_answer(raw.get("answer")),
        must=must,
        silent=tuple(str(s) for s in ([silent] if isinstance(silent, str) else silent)),
        recommends=str(raw["recommends"]) if raw.get("recommends") else None,
    )


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = [Case(f"q{i}", (_turn(q),)) for i, q in enumerate(data.get("questions") or ())]
    cases += [
        Case(str(c.get("name") or f"c{i}"), tuple(_turn(t) for t in c["turns"]))
        for i, c in enumerate(data.get("conversations") or ())
    ]
    return cases


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def contains(text: str, phrase: str) -> bool:
    """The normalised phrase occurs in the normalised text, at word boundaries (plurals aside)."""
    wanted = normal(phrase)
    if not wanted:
        return True
    if f" {wanted} " in f" {text} ":
        return True
    singular = " ".join(_singular(w) for w in wanted.split())
    body = " ".join(_singular(w) for w in text.split())
    return f" {singular} " in f" {body} "


def declines(text: str, words: Iterable[str]) -> bool:
    """A sentence of the reply says the sources do not cover one of ``words``."""
    for sentence in _SENTENCE.split(text):
        plain = normal(sentence)
        if any(d in plain for d in DECLINES) and any(contains(plain, w) for w in words):
            return True
    return False


def _declines_at_all(text: str) -> bool:
    return any(d in normal(text) for d in DECLINES)


def judge(turn: Turn, messages: Sequence[Message], knowledge: Knowledge) -> Verdict:
    if not messages:
        return Verdict(False, "no reply")
    responses = {m.response for m in messages}
    raw = "\n".join(m.text for m in messages)
    text = normal(raw)
    kind = turn.expect
    if kind in SMALL_TALK:
        hit = responses & SMALL_TALK[kind]
        return Verdict(bool(hit), "small talk" if hit else f"got {sorted(map(str, responses))}")
    invented = [q for q in _QUOTED.findall(raw) if not knowledge.states(q)]
    if invented:
        return Verdict(False, f"quotes what no source says: {invented[0][:60]!r}")
    if kind == "out_of_scope":
        ok = bool(responses & OFF_TOPIC) and not knowledge.cites(text)
        return Verdict(ok, "declined" if ok else f"answered an off-topic message: "
                       f"{sorted(map(str, responses))}")
    if turn.thing and turn.answer in ("no", "silent") and re.match(r"\s*yes\b", raw, re.I):
        return Verdict(False, f"said yes about {turn.thing!r}; the article says {turn.answer}")
    if turn.content_labelled:
        return _by_content(turn, raw, text, responses, knowledge)
    return _by_kind(turn, raw, text, responses, knowledge)


def _by_content(turn: Turn, raw: str, text: str, responses, knowledge: Knowledge) -> Verdict:
    missing = [group for group in turn.must if not any(contains(text, a) for a in group)]
    if missing:
        return Verdict(False, f"missing {missing[0][0]!r}")
    if turn.must and not knowledge.cites(text):
        return Verdict(False, "facts without a source line")
    if turn.silent and not declines(raw, turn.silent):
        return Verdict(False, f"did not say the sources don't cover {turn.silent[0]!r}")
    if turn.recommends:
        verdict = _recommendation(turn.recommends, raw)
        if not verdict.ok:
            return verdict
    if turn.expect in ("differences",) or turn.count or turn.table:
        verdict = _comparison(turn, raw, knowledge)
        if not verdict.ok:
            return verdict
    return Verdict(True, "content")


def _recommendation(recommends: str, raw: str) -> Verdict:
    reading = _READING.search(raw)
    if reading is None:
        return Verdict(False, "no reading of the sources")
    line = normal(reading.group(0))
    if recommends.lower() in ("either", "none", "both"):
        ok = any(w in line for w in ("both ways", "neither", "nothing you told me"))
        return Verdict(ok, "reading: either" if ok else f"favoured one: {line[:80]!r}")
    ok = normal(recommends) in line and not any(w in line for w in ("both ways", "neither"))
    return Verdict(ok, "reading" if ok else f"reading is not {recommends}: {line[:80]!r}")


def _comparison(turn: Turn, raw: str, knowledge: Knowledge) -> Verdict:
    if turn.table and not _TABLE_ROW.search(raw):
        return Verdict(False, "asked for a table, got none")
    if _TABLE_ROW.search(raw):
        shown = len(_TABLE_ROW.findall(raw)) - 2  # header and separator rows
    else:
        shown = len(_NUMBERED.findall(raw))
    if turn.count:
        wanted = min(turn.count, knowledge.differences)
        if shown != wanted:
            return Verdict(False, f"{shown} points for {turn.count} asked")
        if turn.count > knowledge.differences and not _declines_at_all(raw):
            return Verdict(False, "more asked than the sources hold, without saying so")
    elif turn.expect == "differences" and shown < 1:
        return Verdict(False, "no differences listed")
    return Verdict(True, f"{shown} points")


def _by_kind(turn: Turn, raw: str, text: str, responses, knowledge: Knowledge) -> Verdict:
    """Turns without content labels: a cited answer; or, where the article is silent, an
    honest decline."""
    silent = turn.answer in ("silent", "no") or turn.expect in ("not_covered", "india")
    if turn.expect in ("differences", "similarity"):
        if not knowledge.cites(text):
            return Verdict(False, "no source line")
        return _comparison(turn, raw, knowledge)
    if silent:
        ok = _declines_at_all(raw)
        return Verdict(ok, "declined" if ok else "answered what the sources don't say")
    if turn.expect == "college":
        ok = _declines_at_all(raw)
        return Verdict(ok, "no colleges" if ok else "named colleges?")
    if turn.expect == "recommendation":
        ok = _READING.search(raw) is not None or "?" in raw
        return Verdict(ok, "advice" if ok else "no advice")
    ok = knowledge.cites(text)
    return Verdict(ok, "cited facts" if ok else f"no source line ({sorted(map(str, responses))})")


def knowledge_from(service, pair: tuple[str, str], sources: Iterable[Path]) -> Knowledge:
    """The judge's view of the sources and of a knowledge base (a ``KnowledgeService``)."""
    texts, titles = [], []
    for path in sources:
        raw = path.read_text(encoding="utf-8")
        texts.append(normal(raw))
        titles.append(next(line for line in raw.splitlines() if line.strip()).strip(" #"))
        titles.append(file_title(path))  # the title of an article that has none
    comparison = service.compare(*pair)
    return Knowledge(tuple(titles), tuple(texts), len(comparison.differences))
