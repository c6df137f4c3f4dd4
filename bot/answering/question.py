"""Decide once what a message asks: ``interpret(parse, conversation, lexicon) -> Question``.

The only place that decides. In go the classifier's reading (intent ranking, entities), what
the conversation so far holds, and the message's own words, read against the knowledge base's
vocabulary (``Lexicon``) and the language data in ``bot/ingest/rules`` (question kinds with
their cue phrases, markers for counts, tables, corrections and follow-ups). Out comes a frozen
``Question``: its kind (and any further kinds a compound question asks), the fields, the
things it names, its own content words, a count, a format, and whether it follows up the
previous question. Pure: no I/O, no Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.answering.lexicon import Lexicon, Mention
from bot.answering.vocabulary import (
    TOPIC_SLOT,
    asked_concepts,
    concept_of,
    degrees,
    has_marker,
    is_cue_word,
    kind,
    kinds,
    marker_positions,
    markers,
    tokenize,
)
from bot.nlu.focus import focus_text
from bot.nlu.question_form import closed_question
from bot.text.english import is_english_word, is_stop_word
from bot.text.markup import latin_share, plain_text

# The classifier's intents that are not questions about the fields.
NON_KNOWLEDGE = {"greet": "greet", "goodbye": "goodbye", "thank": "thank",
                 "bot_challenge": "bot_challenge", "ask_capabilities": "capabilities",
                 "affirm": "acknowledge", "deny": "acknowledge", "stop": "stop",
                 "out_of_scope": "off_topic"}
FOLLOW_UP_INTENTS = ("inform", "affirm", "deny", "nlu_fallback")
# Weights of the evidence for a kind: the classifier's probability, each distinct cue phrase
# (two at most), and a mention of the kind's entity ("CAT" for admission).
CUE_WEIGHT = 0.45
TOPIC_CUE_WEIGHT = 0.7  # a cue that frames a field's name ("what is {topic}") says more
ENTITY_WEIGHT = 0.35
# A classifier this sure of a non-question is believed unless the message names a field or
# a thing the articles list.
SURE = 0.6
# A message naming nothing the articles name, most of whose own words they never use, is
# about something else ("explain the krebs cycle for my bio exam").
OFF_TOPIC_SHARE = 0.5
NAME_ONLY = 4  # words of a message that only names a field
ARTICLE_SHARE, ARTICLE_WORDS = 0.75, 2  # the articles' own words: a question about them
_DIGITS = re.compile(r"^\d{1,3}$")
_PERCENT = re.compile(r"(\d+)\s*%")
_MARKS = re.compile(r"^\(?\s*(?:marks?|mark|m)\b", re.IGNORECASE)
_QUESTION_NUMBER = {"q", "ques", "question", "no", "qn", "q.no", "sl", "sr"}
DIET_CONFIDENT = 0.6


@dataclass(frozen=True)
class Parse:
    """What Rasa's NLU made of the message (only what understanding uses)."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    ranking: tuple[tuple[str, float], ...] = ()
    entities: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_message(cls, message: dict[str, Any], typed: str | None = None) -> Parse:
        intent = message.get("intent") or {}
        ranking = tuple((str(i.get("name")), float(i.get("confidence") or 0.0))
                        for i in message.get("intent_ranking") or () if i.get("name"))
        entities = tuple(e for e in message.get("entities") or () if isinstance(e, dict))
        text = typed if typed is not None else str(message.get("text") or "")
        return cls(text, intent.get("name"), float(intent.get("confidence") or 0.0), ranking,
                   entities)


@dataclass(frozen=True)
class Background:
    """What the student said about themselves (for advice)."""

    degree: str | None = None
    branch: str | None = None
    mode: str | None = None
    interests: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def merged(self, newer: Background) -> Background:
        return Background(
            degree=newer.degree or self.degree,
            branch=newer.branch or (self.branch if not newer.degree else None),
            mode=newer.mode or self.mode,
            interests=newer.interests or self.interests,
            options=newer.options or self.options,
        )

    def changes(self, newer: Background) -> tuple[tuple[str, str, str], ...]:
        """(detail, old, new) for every detail the newer message changes."""
        out = []
        for name in ("degree", "branch", "mode"):
            old, new = getattr(self, name), getattr(newer, name)
            if old and new and old != new:
                out.append((name, old, new))
        return tuple(out)

    @property
    def empty(self) -> bool:
        return not (self.degree or self.branch or self.mode or self.interests or self.options)


@dataclass(frozen=True)
class Conversation:
    """What the conversation so far holds (read from the tracker's slots)."""

    kind: str | None = None
    topics: tuple[str, ...] = ()
    things: tuple[tuple[str, str], ...] = ()  # (kind, value) the last question named
    count: int | None = None
    table: bool = False
    background: Background = field(default_factory=Background)
    awaiting: str | None = None  # a detail the bot asked the student for ("degree")
    asked: tuple[str, ...] = ()  # details the bot has asked for already


@dataclass(frozen=True)
class Thing:
    kind: str  # sector | exam | role | degree | branch | institution | mode
    value: str
    key: str
    surface: str


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    also: tuple[str, ...] = ()  # further kinds a compound question asks
    topics: tuple[str, ...] = ()
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (wording, fields it may name)
    unknown: tuple[str, ...] = ()  # fields named that no article covers
    things: tuple[Thing, ...] = ()
    aspects: tuple[str, ...] = ()  # the message's own content words, in order
    phrases: tuple[str, ...] = ()  # the same, grouped into the phrases they stand in
    count: int | None = None
    table: bool = False
    rows: tuple[str, ...] = ()  # attributes a comparison is asked to cover ("exams, careers")
    polar: bool = False  # a yes/no question
    necessity: bool = False  # "is X compulsory / required / needed"
    choice: bool = False  # "X or Y, which is better?"
    universal: bool = False  # "do all institutes ..."
    follow_up: bool = False
    correction: bool = False  # "..., wait no, I meant PM"
    foreign: bool = False  # mostly not in English
    background: Background = field(default_factory=Background)
    background_changes: tuple[tuple[str, str, str], ...] = ()
    asks_for_task: bool = False  # "fill my form": a request the bot cannot do

    def things_of(self, *kinds_: str) -> tuple[Thing, ...]:
        return tuple(t for t in self.things if t.kind in kinds_)

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind, *self.also)


INTENT_KIND = {intent: k.kind for k in kinds() for intent in k.intents}


def interpret(parse: Parse, conversation: Conversation, lexicon: Lexicon) -> Question:
    text = lexicon.expanded(_PERCENT.sub(r"\1 percent", plain_text(parse.text)))
    if len(text) > 600:
        text = focus_text(text)
    tokens = tokenize(text)
    words = tuple(t.text for t in tokens)
    mentions = _with_entities(lexicon.find(text), parse, lexicon)
    correction = has_marker("correction", words)
    if correction:
        mentions = _corrected(mentions, words)
    topics, ambiguous = _topics(mentions, conversation, lexicon.partners)
    unknown = _unknown_fields(text, words, mentions, lexicon)
    things = tuple(dict.fromkeys(
        Thing(m.kind, m.value, m.key or m.value.lower(), m.surface)
        for m in mentions if m.kind not in ("topic", "table")))
    slotted = _with_topic_slots(words, mentions)
    scores = _kind_scores(slotted, mentions, parse, things)
    question = Question(
        kind="lookup",
        text=text,
        topics=topics,
        ambiguous=ambiguous,
        unknown=unknown,
        things=things,
        count=_count(tokens, words),
        table=any(m.kind == "table" for m in mentions),
        polar=closed_question(text),
        necessity=has_marker("necessity", words),
        choice=_is_choice(words, mentions),
        universal=any(w in markers()["universal"] for w in words[:4]) or "all" in words,
        correction=correction,
        foreign=_foreign(text, words, mentions),
        asks_for_task=_asks_for_task(words),
    )
    phrases = _aspects(text, tokens, mentions)
    question = replace(question, phrases=phrases, aspects=tuple(
        t.text for phrase in phrases for t in tokenize(phrase) if not is_cue_word(t.text)))
    own = [t.text for p in phrases for t in tokenize(p) if t.text.isalpha() and len(t.text) > 2]
    cues = [w for w in words if is_cue_word(w) and w not in own]
    known = sum(1.0 if lexicon.knows(w) or w in concept_of() else 0.5 if is_cue_word(w)
                else 0.0 for w in own) + 0.5 * len(cues)
    share = known / (len(own) + len(cues)) if own or cues else 1.0
    distinct = set(own)
    known_own = len({w for w in distinct if lexicon.knows(w)})
    own_share = known_own / len(distinct) if distinct else 0.0
    question = _decide_kind(question, scores, parse, conversation, mentions, words, share,
                            known_own if own_share >= ARTICLE_SHARE else 0)
    background = _background(mentions, parse, question)
    return replace(question, background=conversation.background.merged(background),
                   background_changes=conversation.background.changes(background))


# --- mentions -------------------------------------------------------------------------------


def _with_entities(mentions: tuple[Mention, ...], parse: Parse, lexicon: Lexicon
                   ) -> tuple[Mention, ...]:
    """The classifier's confident topic entities where the lexicon found none (other
    languages' field names, learnt as synonyms)."""
    if any(m.kind == "topic" and not m.weak for m in mentions):
        return mentions
    extra = []
    for entity in parse.entities:
        if entity.get("entity") != "topic":
            continue
        if entity.get("extractor") == "DIETClassifier" and (
                entity.get("confidence_entity") or 0.0) < DIET_CONFIDENT:
            continue
        value = str(entity.get("value") or "")
        if value in lexicon.topic_names:
            extra.append(Mention("topic", value, value, 0, 0, 0, 0, (value,)))
    return mentions + tuple(extra)


def _corrected(mentions: tuple[Mention, ...], words: tuple[str, ...]) -> tuple[Mention, ...]:
    """"careers in OM... wait no, I meant PM": what follows the last correction replaces what
    came before it, kind by kind."""
    cut = max(marker_positions("correction", words))
    after = [m for m in mentions if m.first >= cut]
    kinds_after = {m.kind for m in after}
    return tuple(m for m in mentions if m.first >= cut or m.kind not in kinds_after)


def _topics(mentions: tuple[Mention, ...], conversation: Conversation,
            partners: dict[str, tuple[str, ...]] | None = None
            ) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    strong = [m for m in mentions if m.kind == "topic" and not m.weak]
    weak = [m for m in mentions if m.kind == "topic" and m.weak]
    used = strong + [w for w in weak if len(strong) <= 1 or _coordinated(w, strong)]
    used.sort(key=lambda m: m.first)
    resolved: list[str] = [m.candidates[0] for m in used if not m.ambiguous]
    for mention in (m for m in used if m.both):
        resolved += [c for c in mention.candidates if c not in resolved]
    ambiguous = []
    for mention in (m for m in used if m.ambiguous and not m.both):
        context = resolved or list(conversation.topics)
        chosen = _by_context(mention.candidates, context, partners or {})
        if chosen:
            resolved.append(chosen)
        else:
            ambiguous.append((mention.surface, mention.candidates))
    ordered = []
    for mention in used:
        for topic in resolved:
            if topic in mention.candidates and topic not in ordered:
                ordered.append(topic)
                if not mention.both:
                    break
    return tuple(ordered), tuple(ambiguous)


def _coordinated(weak: Mention, strong: list[Mention]) -> bool:
    """"production and operations management", "production vs operations management"."""
    return any(abs(weak.last - s.first) <= 1 or abs(s.last - weak.first) <= 1 for s in strong)


def _by_context(candidates: tuple[str, ...], context: list[str],
                partners: dict[str, tuple[str, ...]]) -> str | None:
    """The candidate the conversation is about, or the one an article compares with a field
    the message or conversation names ("OM vs PM": production management)."""
    for topic in context:
        if topic in candidates:
            return topic
    related = [c for c in candidates if any(c in partners.get(t, ()) for t in context)]
    return related[0] if len(related) == 1 else None


def _unknown_fields(text: str, words: tuple[str, ...], mentions: tuple[Mention, ...],
                    lexicon: Lexicon) -> tuple[str, ...]:
    """Fields the message names that no article covers: "X management" that is not a known
    field, or the pair of "difference between A and B" when neither is one."""
    covered = {i for m in mentions if m.kind == "topic" for i in range(m.first, m.last)}
    unknown = []
    for index, word in enumerate(words):
        if word not in lexicon.heads or index in covered or index == 0:
            continue
        modifier = words[index - 1]
        if index - 1 in covered or is_stop_word(modifier) or not modifier.isalpha():
            continue
        typed = text.split()
        upper = any(w.strip(",.?!").lower() == modifier and w.strip(",.?!").isupper()
                    for w in typed)
        if len(modifier) <= 2 and not upper or modifier in markers()["fillers"]:
            continue
        if lexicon.knows(modifier) and f"{modifier} {word}" in lexicon.phrases:
            continue  # "fashion management": named in an article, just not a field of its own
        before = words[index - 2] if index >= 2 and index - 2 not in covered else ""
        if before and before.isalpha() and not is_stop_word(before) and len(before) > 2 and (
                before not in markers()["fillers"] and not is_cue_word(before)):
            unknown.append(f"{before} {modifier} {word}")
        else:
            unknown.append(f"{modifier} {word}")
    if not any(m.kind == "topic" for m in mentions):
        from bot.ingest.rules import load_rules
        from bot.ingest.titles import TitleParser

        named = TitleParser(load_rules().article).subjects(text)
        if named and not any(lexicon.find(n) for n in named):
            unknown += named
    return tuple(dict.fromkeys(unknown))


def _with_topic_slots(words: tuple[str, ...], mentions: tuple[Mention, ...]) -> tuple[str, ...]:
    """The words with each field's name replaced by ``{topic}``, for cues like
    "what is {topic}"."""
    out: list[str] = []
    index = 0
    starts = {m.first: m for m in mentions if m.kind == "topic" and m.last > m.first}
    while index < len(words):
        mention = starts.get(index)
        if mention is not None:
            out.append(TOPIC_SLOT)
            index = mention.last
        else:
            out.append(words[index])
            index += 1
    return tuple(out)


# --- the kind ---------------------------------------------------------------------------------


def _kind_scores(words: tuple[str, ...], mentions: tuple[Mention, ...], parse: Parse,
                 things: tuple[Thing, ...]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for intent, confidence in parse.ranking or ((parse.intent or "", parse.confidence),):
        name = INTENT_KIND.get(intent) or NON_KNOWLEDGE.get(intent)
        if name:
            scores[name] = scores.get(name, 0.0) + confidence
    named = {t.kind for t in things}
    for k in kinds():
        hits = {cue for cue, _ in k.cue_hits(words)}
        if hits:
            plain = k.cue_weight or CUE_WEIGHT
            weight = sum(max(TOPIC_CUE_WEIGHT, plain) if TOPIC_SLOT in c.words else plain
                         for c in sorted(hits, key=lambda c: TOPIC_SLOT not in c.words)[:2])
            scores[k.kind] = scores.get(k.kind, 0.0) + weight
        if k.entity and (k.entity in named or k.entity == "degree" and "branch" in named):
            scores[k.kind] = scores.get(k.kind, 0.0) + ENTITY_WEIGHT
    return scores


def _cue_kinds(words: tuple[str, ...]) -> list[str]:
    return [k.kind for k in kinds() if k.cue_hits(words)]


def _decide_kind(question: Question, scores: dict[str, float], parse: Parse,
                 conversation: Conversation, mentions: tuple[Mention, ...],
                 words: tuple[str, ...], known_share: float = 1.0, known_own: int = 0
                 ) -> Question:
    """``known_share``: the share of the message's own words the articles use at all;
    ``known_own``: how many of its own words the articles use, when they use most of them
    (else 0). A message in the articles' own words is about them
    whatever the classifier, trained before the article came, says ("how many planes did
    IndiGo order?" after an article on pilots)."""
    asks_silent_thing = any(c.name not in ("country", "abroad", "companies")
                            for c, _ in asked_concepts(question.text))
    knowledge_named = bool(question.topics or question.ambiguous or question.unknown
                           or question.things_of("sector", "exam", "role", "institution",
                                                 "degree")
                           or asks_silent_thing and (conversation.topics or len(words) <= 10
                                                     or known_share >= OFF_TOPIC_SHARE)
                           or has_marker("pair_reference", words)
                           or (question.table or question.count) and conversation.kind
                           or known_own >= ARTICLE_WORDS)
    slotted = _with_topic_slots(words, mentions)
    cue_kinds = _cue_kinds(slotted)
    top_intent = parse.intent or ""
    non_knowledge = NON_KNOWLEDGE.get(top_intent)
    if question.asks_for_task and not question.topics:
        return replace(question, kind="off_topic")
    if non_knowledge and parse.confidence >= SURE and not knowledge_named and not (
            cue_kinds and non_knowledge == "off_topic" and question.things):
        if non_knowledge == "acknowledge" and conversation.awaiting:
            return replace(question, kind="advice", follow_up=True)
        return replace(question, kind=non_knowledge)
    chat = _small_talk(words)
    if chat and not knowledge_named and not cue_kinds:
        return replace(question, kind=chat)
    if question.foreign and not knowledge_named:
        return replace(question, kind="off_topic")
    if not any(ch.isalpha() for ch in question.text) and not knowledge_named:
        return replace(question, kind="unclear")  # emoji, punctuation, numbers only
    small_talk = non_knowledge in ("greet", "goodbye", "thank", "acknowledge", "stop")
    sure_knowledge = INTENT_KIND.get(top_intent) and parse.confidence >= 0.8
    threshold = OFF_TOPIC_SHARE / 2 if sure_knowledge else OFF_TOPIC_SHARE
    continuing = bool(conversation.kind) and len(words) <= 4
    if _follows_up(question, parse, conversation, cue_kinds, words) and (
            knowledge_named or known_share > threshold or has_marker("follow_up", words)):
        return _as_follow_up(question, conversation)
    if not knowledge_named and known_share <= threshold and not (
            small_talk and parse.confidence >= SURE) and not conversation.awaiting and not (
            continuing):
        return replace(question, kind="off_topic")  # "recipe for paneer butter masala"
    knowledge = {k: v for k, v in scores.items() if k in {q.kind for q in kinds()}}
    if not knowledge and not knowledge_named:
        if non_knowledge:
            return replace(question, kind=non_knowledge)
        return replace(question, kind="unclear")
    if question.choice and len(question.topics) >= 2 and not set(cue_kinds) & {
            "differences", "similarity", "relation"}:
        knowledge["advice"] = knowledge.get("advice", 0.0) + 2 * CUE_WEIGHT
    # "civil engg grad, I want to stay in construction. which of the two fits?": a choice
    # asked about oneself is advice, whatever sector or degree it names besides (the advice
    # gives the sectors and backgrounds that bear on it)
    personal_choice = "advice" in cue_kinds and _tells_own_situation(question, words) and set(
        cue_kinds) <= ADVICE_COMPANIONS
    if len(question.topics) >= 2 and not cue_kinds:
        knowledge["differences"] = knowledge.get("differences", 0.0) + CUE_WEIGHT
    if question.table and "differences" in cue_kinds:
        knowledge["differences"] = knowledge.get("differences", 0.0) + CUE_WEIGHT  # a chart
    rows = _rows(words) if "differences" in cue_kinds else ()
    if len(rows) >= 2:
        # "compare them on focus, qualification and industries": the named attributes are the
        # rows of a comparison, not questions of their own (the classifier often takes the
        # last one for the question).
        knowledge["differences"] = knowledge.get("differences", 0.0) + CUE_WEIGHT
    best = max(knowledge.items(), key=lambda kv: kv[1])[0] if knowledge else "lookup"
    if personal_choice:
        best = "advice"
    if best == "advice" and question.choice and question.things_of("exam") and len(
            question.topics) < 2:
        best = "admission"  # "MAT or XAT, which is better?" compares exams, not fields
    if question.topics and not question.aspects and not cue_kinds and not question.things \
            and not question.choice and len(question.topics) == 1 and len(words) <= NAME_ONLY:
        best = "definition"  # "deled", "food technology?": a field named alone, what it is
    if best == "lookup" and question.topics and not question.aspects:
        best = "definition"  # a field named with nothing else asked: what it is
    if best == "lookup" and not question.topics and not question.things and not knowledge_named:
        best = non_knowledge or "unclear"
    also = tuple(k for k in cue_kinds if k != best and k not in _SUBSUMED.get(best, ())
                 and kind(k).attributes and knowledge.get(k, 0.0) >= CUE_WEIGHT
                 and (best in _COMPOUND and k in _COMPOUND or k == "definition"
                      and _topic_cue(k, slotted) or best == "advice" and k in WITH_ADVICE))
    count = question.count if kind(best).counted or best == "differences" else None
    return replace(question, kind=best, also=also, count=count,
                   rows=(rows or _rows(words)) if best == "differences" else ())


# What an advice question may ask besides, answered in the same reply ("OM or PM? Also which
# entrance exams?").
WITH_ADVICE = ("admission",)
# Cues that go with a personal choice without asking something else ("exams", "eligible").
ADVICE_COMPANIONS = frozenset(("advice", "sectors", "careers", "background"))
FIRST_PERSON = frozenset(("i", "im", "i'm", "my", "mine", "myself"))


def _tells_own_situation(question: Question, words: tuple[str, ...]) -> bool:
    """The message says who the student is or what they want (a degree, a sector, "I ...")."""
    return bool(question.things_of("degree", "branch", "sector") or FIRST_PERSON & set(words))


# Kinds one answer combines when a message asks several ("eligibility and exams?").
_COMPOUND = ("scope", "qualification", "admission", "careers", "sectors", "background",
             "definition", "lookup", "college", "relation")


def _topic_cue(name: str, words: tuple[str, ...]) -> bool:
    return any(TOPIC_SLOT in cue.words for cue, _ in kind(name).cue_hits(words))


def _small_talk(words: tuple[str, ...]) -> str | None:
    """"thank you so much ... God bless": small talk by its words, when the classifier
    missed it and nothing else is asked."""
    for name, cues in markers()["small_talk"].items():
        if any(w in cues for w in words):
            return name
    return None


# Kinds whose answer already holds another's ("careers" lists the sectors).
_SUBSUMED = {
    "careers": ("sectors",), "sectors": ("careers",), "qualification": ("background",),
    "background": ("qualification",), "differences": ("similarity", "definition", "scope"),
    "similarity": ("differences",), "advice": ("qualification", "background", "careers",
                                               "sectors", "differences"),
    "college": ("admission", "qualification"), "definition": ("scope",),
    "scope": ("definition",),
}


def _follows_up(question: Question, parse: Parse, conversation: Conversation,
                cue_kinds: list[str], words: tuple[str, ...]) -> bool:
    """A message that continues the previous question: "and PM?", "what about banks?",
    "only 3", "as a table", "which ones exactly?"."""
    if not conversation.kind:
        return False
    if conversation.awaiting and not cue_kinds:
        return True
    detail = {"degree": ("degree", "branch"), "interests": ("sector", "role")}
    if conversation.awaiting and question.things_of(*detail.get(conversation.awaiting, ())):
        return True
    if question.choice and len(question.topics) >= 2:
        return False  # "so production or operations?": a choice of its own
    if conversation.kind == "advice" and question.things_of(
            "degree", "branch", "sector", "role", "mode") and "admission" not in cue_kinds:
        return True  # "actually I'm B.Com, not B.E.": a detail for the advice
    if parse.intent in INTENT_KIND and parse.confidence >= 0.8 and INTENT_KIND[
            parse.intent] != conversation.kind and len(words) > 3 and not (
            question.count or question.table):
        return False
    # "only 3 differences" / "differences as a table" continue a comparison; after any other
    # kind of answer, "give 5 differences between OM and PM" asks a question of its own.
    reformat = bool(question.count or question.table)
    own = [k for k in cue_kinds if not (k == "differences" and conversation.kind == k
                                         and reformat)]
    if reformat and not question.topics and "similarity" in own:
        # "now the same in table form": "same" refers back to the answer, it asks no
        # similarity of its own unless another similarity cue says so
        rest = tuple(w for w in words if w != "same")
        if "similarity" not in _cue_kinds(rest):
            own.remove("similarity")
    if own and not (len(words) <= 3 and set(own) <= {conversation.kind}):
        return False
    short = len(words) <= 8
    unsure = parse.intent in FOLLOW_UP_INTENTS or parse.confidence < 0.8
    continued = question.count is not None or question.table or has_marker("follow_up", words)
    named_only = bool(question.topics or question.things) and len(question.aspects) <= 2
    return short and (unsure or continued) and (continued or named_only or not question.aspects)


def _as_follow_up(question: Question, conversation: Conversation) -> Question:
    previous = conversation.kind or "lookup"
    if previous == "advice" or conversation.awaiting:
        return replace(question, kind="advice", follow_up=True,
                       topics=question.topics or conversation.topics)
    listing = previous in ("sectors", "careers", "admission") and question.count is not None \
        and not question.table
    if (question.count is not None or question.table) and previous not in ("differences",) \
            and not listing:
        previous = "differences"
    topics = question.topics or conversation.topics
    if question.topics and len(question.topics) == 1 and len(conversation.topics) == 2 and (
            kind(previous).compares):
        other = [t for t in conversation.topics if t != question.topics[0]]
        topics = (question.topics[0], *other[:1])
    things = question.things
    if not things and conversation.things and previous != "differences" and not (
            question.aspects):
        things = tuple(Thing(k, v, v.lower(), v) for k, v in conversation.things)
    count = question.count if question.count is not None else (
        conversation.count if previous == "differences" else None)
    if listing:
        return replace(question, kind=previous, follow_up=True, topics=topics,
                       things=things, count=count)
    return replace(question, kind=previous, follow_up=True, topics=topics, things=things,
                   count=count, table=question.table or (conversation.table and
                                                         previous == "differences"))


def _cue_match(cue: str, word: str) -> bool:
    return word.startswith(cue[:-1]) if cue.endswith("*") else word == cue


def _rows(words: tuple[str, ...]) -> tuple[str, ...]:
    """Attributes a comparison names as its rows ("compare OM and PM on eligibility, exams
    and careers"), in the order named."""
    from bot.ingest.rules import load_rules

    start = next((i for i, w in enumerate(words)
                  if any(_cue_match(c, w) for c in ("differ*", "compar*", "contrast*", "vs",
                                                     "versus", "distinguish*", "table", "chart"))),
                 0)
    words = words[start:]
    rows = []
    for spec in load_rules().attributes:
        for cue in spec.cues:
            cue_words = tuple(cue.split())
            size = len(cue_words)
            for i in range(len(words) - size + 1):
                window = words[i:i + size]
                if all(w == c or len(c) > 4 and w.startswith(c[:5]) for w, c in
                       zip(window, cue_words, strict=True)):
                    rows.append((i, spec.name))
    ordered = [name for _, name in sorted(rows)]
    return tuple(dict.fromkeys(ordered))


# --- the message's shape ----------------------------------------------------------------------


def _count(tokens, words: tuple[str, ...]) -> int | None:
    """How many points are asked for: a number next to a list word ("10 differences", "any
    five", "top 3", "just 2 pls"); not a question's number ("Q3.") or its marks ("5 marks")."""
    number_words = markers()["number_words"]
    context = set(markers()["count_context"])
    text = f" {' '.join(words)} "
    for phrase in sorted((p for p in number_words if " " in p), key=len, reverse=True):
        if f" {phrase} " in text:
            return number_words[phrase]
    for index, word in enumerate(words):
        value = None
        if _DIGITS.match(word):
            value = int(word)
        elif word in number_words:
            value = number_words[word]
        if value is None:
            continue
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        if before in _QUESTION_NUMBER or after in ("marks", "mark", "m") or _MARKS.match(after):
            continue
        if word in ("do", "das", "che", "char", "teen", "one", "single", "ek") and not (
                after in context or before in context):
            continue
        near = set(words[max(0, index - 3):index + 3])
        if near & context or len(words) <= 4:
            return value if 0 < value <= 100 else None
    return None


def _is_choice(words: tuple[str, ...], mentions: tuple[Mention, ...]) -> bool:
    """"OM or PM, which is better?", "MAT or XAT": an either-or between two named things."""
    if "or" not in words and not {"better", "prefer", "choose"} & set(words):
        return False
    named = [m for m in mentions if m.kind in ("topic", "exam", "sector")]
    options = set(markers()["specialisations"])
    named += [w for w in words if w in options and not any(m.first <= words.index(w) < m.last
                                                           for m in mentions)]
    if len(named) < 2:
        return False
    return bool({"better", "best", "prefer", "choose", "which", "should", "or"} & set(words))


def _foreign(text: str, words: tuple[str, ...], mentions: tuple[Mention, ...]) -> bool:
    """Mostly not English (another script, or Latin words that are neither English, Hinglish
    nor names the bot knows)."""
    if latin_share(text) < 0.5:
        return True
    # a word only like a field's ("operaciones") is still a word of another language
    covered = {i for m in mentions if not m.approximate for i in range(m.first, m.last)}
    hinglish = set(markers()["hinglish"])
    alpha = [(i, w) for i, w in enumerate(words)
             if w.isalpha() and len(w) > 2 and i not in covered]
    if len(alpha) < 3:
        return False
    foreign = [w for _, w in alpha if not is_english_word(w) and w not in hinglish]
    return len(foreign) / len(alpha) > 0.6


def _asks_for_task(words: tuple[str, ...]) -> bool:
    tasks = markers()["off_topic_requests"]
    return any(w in tasks for w in words[:3]) and not closed_question(" ".join(words))


def _aspects(text: str, tokens, mentions: tuple[Mention, ...]) -> tuple[str, ...]:
    """The message's own content words, grouped into phrases: what it asks about beyond its
    kind and the things it names ("marketing", "work experience", "placement rates")."""
    covered = {i for m in mentions for i in range(m.first, m.last)}
    cue_positions = set()
    for k in kinds():
        for cue, start in k.cue_hits(tuple(t.text for t in tokens)):
            if len(cue.words) > 1 or cue.words[0].endswith("*"):
                cue_positions.update(range(start, start + len(cue.words)))
    fillers = set(markers()["fillers"]) | set(markers()["hinglish"]) | set(
        markers()["necessity"]) | set(markers()["universal"]) | set(markers()["table"])
    phrases: list[list] = [[]]
    for index, token in enumerate(tokens):
        word = token.text
        typed = text[token.start:token.end]
        keep = index not in covered and word.isalpha() and word not in fillers and (
            len(word) > 2 and not is_stop_word(word) or word in concept_of()
            or len(typed) == 2 and typed.isupper())
        if keep:
            phrases[-1].append(token)
        elif phrases[-1]:
            phrases.append([])
    return tuple(text[p[0].start:p[-1].end] for p in phrases if p)


def _background(mentions: tuple[Mention, ...], parse: Parse, question: Question
                ) -> Background:
    """The student's degree, branch, study mode, interests and the options they weigh."""
    data = degrees()
    degree = next((m.value for m in mentions if m.kind == "degree"), None)
    branch = next((m.value for m in mentions if m.kind == "branch"), None)
    if branch and not degree:
        degree = data["branch_degree"].get(branch)
    mode = next((m.value for m in mentions if m.kind == "mode"), None)
    interests = tuple(dict.fromkeys(m.value for m in mentions if m.kind in ("sector", "role")))
    options = list(question.topics) if question.kind == "advice" else []
    if question.kind == "advice":
        named = {i for m in mentions for i in range(m.first, m.last)}
        for index, token in enumerate(tokenize(question.text)):
            if token.text in markers()["specialisations"] and index not in named:
                typed = question.text[token.start:token.end]
                option = typed if typed.isupper() or len(typed) <= 3 and typed.upper() in (
                    "HR", "IT", "IB") else token.text
                option = option.upper() if len(option) <= 3 else option
                if option.lower() not in (o.lower() for o in options) and not any(
                        option.lower() in t for t in question.topics):
                    options.append(option)
    for entity in parse.entities:
        if entity.get("entity") == "specialisation" and entity.get("value"):
            start, end = entity.get("start"), entity.get("end")
            value = str(entity["value"])
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                value = parse.text[start:end] or value
            value = value if value.isupper() else value.lower()
            if value not in options and not any(value in t for t in question.topics):
                options.append(value)
    return Background(degree, branch, mode, interests, tuple(options))
