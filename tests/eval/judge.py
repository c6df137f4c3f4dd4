"""Judge the bot's replies to the blind evaluation sets: "answered correctly and honestly".

The sets (``questions.yml``, ``sealed.yml``) were written by people who saw only the source
article, never the training data or the code. Each question carries what the student *means*
(``expect``: the kind of question, its fields, a count, a yes/no the article states). This module
turns one bot reply into a verdict:

* the reply must be the right *kind* (read from the domain response each message was rendered
  from: Rasa records it as ``utter_action`` in the bot event's metadata);
* a factual reply must carry facts the knowledge base holds for that kind of question and those
  fields, and cite its source; a counted list must have exactly the asked number of points (or
  say honestly that the sources support fewer);
* where the article is silent, or the question is off-topic, any honest decline counts; a
  confident factual answer does not.

What is correct is derived from the knowledge base and the labels, never from the wording of a
test question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

EVAL_DIR = Path(__file__).resolve().parent

# Which knowledge-base attributes hold a correct answer to each kind of question (the judge's
# own reading of the article's structure, broader than the bot's routing on purpose: an
# eligibility question answered with the streams that may apply is still answered).
KIND_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "definition": ("definition", "activities", "responsibility"),
    "scope": ("scope", "career_outlook", "activities", "career_sectors"),
    "qualification": ("min_qualification", "eligible_streams", "recommended_degree",
                      "specialisation", "preferred_background"),
    "admission": ("admission_route", "entrance_exams", "min_qualification"),
    "careers": ("career_outlook", "career_sectors", "recruiting_industries", "scope"),
    "sectors": ("career_sectors", "recruiting_industries"),
    "background": ("preferred_background", "eligible_streams", "min_qualification",
                   "recommended_degree"),
}
# The attributes that answer each kind directly: where the knowledge base holds none of them
# for the field asked about, "my sources don't say" is the correct reply.
CORE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "definition": ("definition",),
    "scope": ("scope", "career_outlook"),
    "qualification": ("min_qualification", "eligible_streams", "recommended_degree"),
    "admission": ("admission_route", "entrance_exams"),
    "careers": ("career_outlook", "career_sectors", "recruiting_industries"),
    "sectors": ("career_sectors", "recruiting_industries"),
    "background": ("preferred_background",),
}
FACTUAL = (*KIND_ATTRIBUTES, "india")
DECLINES = frozenset({
    "utter_out_of_scope", "utter_ask_rephrase", "utter_offer_topics", "utter_topic_not_covered",
    "utter_sources_silent", "utter_india_not_covered", "utter_college_not_covered",
    "utter_college_in_advice", "utter_membership_no", "utter_aspect_not_covered",
})
# "I have no direct answer, but this is the closest my sources come": honest for silent sources.
HONEST_PARTIAL = frozenset({"utter_passages"})
SMALL_TALK = {
    "greet": {"utter_greet"},
    "goodbye": {"utter_goodbye"},
    "thank": {"utter_you_are_welcome"},
    "bot_challenge": {"utter_iamabot"},
    "capabilities": {"utter_capabilities"},
}
ADVISOR = frozenset({
    "utter_ask_degree", "utter_ask_degree_again", "utter_ask_options", "utter_ask_mode",
    "utter_ask_interests", "utter_recommendation",
})
COLLEGE = frozenset({"utter_college_not_covered", "utter_college_in_advice"})
OFF_TOPIC = frozenset({
    "utter_out_of_scope", "utter_ask_rephrase", "utter_offer_topics", "utter_topic_not_covered",
})
_NUMBERED = re.compile(r"^\d+\. ", re.MULTILINE)
_TABLE_ROW = re.compile(r"^\|.*\|\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str
    topics: tuple[str, ...] = ()
    count: int | None = None
    table: bool = False
    thing: str | None = None
    answer: str | None = None


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
    """What the knowledge base holds, as the judge needs it."""

    values: dict[tuple[str, str], tuple[str, ...]]  # (topic, attribute) -> values
    differences: int
    source_title: str

    def values_for(self, kind: str, topics: Iterable[str]) -> list[str]:
        return [v for topic in topics for attribute in KIND_ATTRIBUTES.get(kind, ())
                for v in self.values.get((topic, attribute), ())]


def _turn(raw: dict) -> Turn:
    return Turn(
        text=str(raw["text"]),
        expect=str(raw["expect"]),
        topics=tuple(raw.get("topics") or ()),
        count=int(raw["count"]) if raw.get("count") is not None else None,
        table=raw.get("format") == "table",
        thing=str(raw["thing"]) if raw.get("thing") else None,
        answer=str(raw["answer"]) if raw.get("answer") else None,
    )


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = [Case(f"q{i}", (_turn(q),)) for i, q in enumerate(data.get("questions") or ())]
    cases += [
        Case(str(c.get("name") or f"c{i}"), tuple(_turn(t) for t in c["turns"]))
        for i, c in enumerate(data.get("conversations") or ())
    ]
    return cases


def _plain(text: str) -> str:
    return " ".join(text.replace("\\", "").lower().split())


def _mentions(text: str, value: str) -> bool:
    """The value (or, for a long statement, its opening words) appears in the text."""
    wanted = _plain(value).rstrip(".")
    return wanted[:40] in text


# Words a yes/no "thing" may carry that the answer need not repeat ("B.E. plus MBA").
_FILLER = frozenset({"plus", "and", "or", "with", "a", "an", "the", "graduates", "graduate",
                     "degree", "students", "student", "people", "sector", "industry",
                     "background"})


# A reply may name a stream by its degree ("commerce" -> B.Com): the judge's own reading.
_STREAMS = {"commerce": "bcom", "arts": "ba", "science": "bsc", "engineering": "be",
            "engineer": "be", "bachelors": "graduate", "bachelor": "graduate",
            "graduation": "graduate"}


def _addresses(text: str, thing: str) -> bool:
    """Every meaningful word of the asked-about thing appears in the reply (dots ignored:
    "B.E." matches "B.E"; a stream may appear as its degree)."""
    reply = {_singular(w) for w in re.findall(r"[a-z0-9]+", text.replace(".", ""))}
    words = re.findall(r"[a-z0-9]+", thing.lower().replace(".", "").replace("'", ""))
    wanted = [w for w in words if w not in _FILLER] or words
    return bool(wanted) and all(
        _singular(w) in reply or _STREAMS.get(w) in reply for w in wanted)


def _singular(word: str) -> str:
    """"institutes" addresses "institute", "jobs" addresses "job" (plain English plurals)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _topics_named(text: str, topics: Sequence[str]) -> bool:
    return all(_plain(topic) in text for topic in topics)


def judge(turn: Turn, messages: Sequence[Message], knowledge: Knowledge) -> Verdict:
    if not messages:
        return Verdict(False, "no reply")
    responses = {m.response for m in messages}
    text = _plain("\n".join(m.text for m in messages))
    kind = turn.expect
    if kind in SMALL_TALK:
        return _one_of(responses, SMALL_TALK[kind])
    if kind == "out_of_scope":
        return _one_of(responses, OFF_TOPIC)
    if kind == "not_covered":
        return _one_of(responses, DECLINES | HONEST_PARTIAL)
    if kind == "recommendation":
        return _one_of(responses, ADVISOR)
    if kind == "college":
        return _one_of(responses, COLLEGE)
    if kind in ("differences", "similarity"):
        return _comparison(turn, messages, responses, text, knowledge)
    if kind in FACTUAL:
        return _factual(turn, responses, text, knowledge)
    raise ValueError(f"unknown expect label {kind!r}")


def _one_of(responses: set[str | None], accepted: Iterable[str]) -> Verdict:
    hit = responses & set(accepted)
    if hit:
        return Verdict(True, sorted(hit)[0])
    return Verdict(False, f"got {sorted(str(r) for r in responses)}")


def _comparison(turn, messages, responses, text, knowledge) -> Verdict:
    lists = {"utter_differences", "utter_differences_fewer"}
    accepted = lists | ({"utter_similarities"} if turn.expect == "similarity" else set())
    if not responses & accepted:
        return Verdict(False, f"got {sorted(str(r) for r in responses)}")
    if knowledge.source_title.lower() not in text:
        return Verdict(False, "no source line")
    if turn.expect == "similarity" or "utter_similarities" in responses:
        return Verdict(True, "comparison")
    body = "\n".join(m.text for m in messages if m.response in lists)
    if turn.table and not _TABLE_ROW.search(body):
        return Verdict(False, "asked for a table, got none")
    if _TABLE_ROW.search(body):
        # A table (asked for now, or kept from an earlier turn): its rows are the points.
        shown = len(_TABLE_ROW.findall(body)) - 2  # header and separator rows
    else:
        shown = len(_NUMBERED.findall(body))
    if turn.count:
        wanted = min(turn.count, knowledge.differences)
        if shown != wanted:
            return Verdict(False, f"{shown} points for {turn.count} asked")
        if turn.count > knowledge.differences and "utter_differences_fewer" not in responses:
            return Verdict(False, "more asked than the sources hold, without saying so")
    elif shown < 1:
        return Verdict(False, "no differences listed")
    return Verdict(True, f"{shown} differences")


def _factual(turn: Turn, responses, text: str, knowledge: Knowledge) -> Verdict:
    silent = turn.answer in ("silent", "no") or turn.expect == "india"
    if turn.thing and turn.answer == "yes":
        if "utter_membership_no" in responses and "utter_membership_yes" not in responses:
            return Verdict(False, f"said {turn.thing!r} is not mentioned")
        if not _addresses(text, turn.thing) and not responses & {"utter_membership_yes"}:
            return Verdict(False, f"{turn.thing!r} not in the reply")
    if turn.thing and turn.answer in ("no", "silent") and "utter_membership_yes" in responses:
        return Verdict(False, f"said yes about {turn.thing!r}; the article says {turn.answer}")
    if responses & {"utter_facts", "utter_membership_yes"}:
        if knowledge.source_title.lower() not in text:
            return Verdict(False, "facts without a source line")
        topics = turn.topics or tuple({t for t, _ in knowledge.values})
        values = knowledge.values_for(turn.expect, topics)
        if turn.expect != "india" and not any(_mentions(text, v) for v in values):
            return Verdict(False, f"no {turn.expect} facts in the reply")
        if turn.topics and not _topics_named(text, turn.topics):
            return Verdict(False, f"not about {', '.join(turn.topics)}")
        return Verdict(True, "facts")
    if not turn.topics and "utter_ask_which_topic" in responses:
        return Verdict(True, "asked which field")
    if silent and responses & (DECLINES | HONEST_PARTIAL):
        return Verdict(True, "honest decline")
    core = CORE_ATTRIBUTES.get(turn.expect, ())
    if responses & {"utter_sources_silent"} and turn.topics and not any(
            knowledge.values.get((t, a)) for t in turn.topics for a in core):
        # The knowledge base holds nothing of this kind for the field: "not in my sources" is
        # the correct answer, whatever the label's author expected.
        return Verdict(True, "sources silent, correctly")
    return Verdict(False, f"got {sorted(str(r) for r in responses)}")


def knowledge_from(service, pair: tuple[str, str]) -> Knowledge:
    """The judge's view of a knowledge base (a ``bot.kb.service.KnowledgeService``)."""
    values = {}
    for topic in pair:
        for spec in service.attribute_specs:
            values[(topic, spec.name)] = service.attribute(topic, spec.name).values
    comparison = service.compare(*pair)
    with_title = [i.citation.source_title for c in comparison.differences
                  for s in (c.left, c.right) for i in s.items]
    return Knowledge(values, len(comparison.differences), with_title[0])
