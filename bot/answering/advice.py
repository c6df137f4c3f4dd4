"""Advice that answers first: "which should I choose?" answered at once from cited facts, with
at most one question back, and only for a detail that would change the reading.

Reasons come only from the knowledge base: a field that lists the student's sector or kind of
work, a field that names the student's background as an advantage (or names another
background, when the student's is not it), each field's outlook. The reading names the field
the reasons support, says so when they point both ways, and is labelled as the bot's reading
of the sources. What the sources do not cover (HR, study modes, colleges) is said once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.evidence import is_question, silent_note, silent_phrases, thing_matches
from bot.answering.question import Background, Conversation, Question, Thing
from bot.answering.relevance import Words
from bot.answering.reply import Memory, Points, Reply, Say
from bot.answering.vocabulary import degrees, kinds
from bot.answering.vocabulary import kind as kind_of
from bot.kb.answers import Citation, FactItem
from bot.kb.service import KnowledgeService
from bot.text.english import is_english_word, is_stop_word, is_verb_form
from bot.text.words import same_word, words

SECTOR_ATTRIBUTES = ("career_sectors", "recruiting_industries", "job_roles")
BACKGROUND_ATTRIBUTES = ("preferred_background",)
OUTLOOK_ATTRIBUTES = ("career_outlook",)
# How much each kind of reason weighs in the reading: a listed sector decides more than a
# background. A field giving the edge to another background than the student's is said, but
# does not favour the other field: the sources do not say the student fits that one better
# (every writer of advice20/22 read "B.Com, OM or PM?" as "either").
WEIGHTS = {"sector": 2.0, "background": 1.0, "other_background": 0.0, "outlook": 0.0,
           "likes": 1.0, "common": 0.0, "tied": 1.0,
           "eligibility": 0.0, "advantage": 0.0, "sectors": 0.0}
COMMON_ATTRIBUTES = ("common_ground",)
ELIGIBILITY_ATTRIBUTES = ("min_qualification", "eligible_streams", "recommended_degree",
                          "specialisation")


@dataclass(frozen=True)
class Reason:
    kind: str  # sector | background | other_background | outlook
    topic: str  # the field the fact is about
    detail: str  # the student's sector or background, as they said it
    citation: Citation


@dataclass(frozen=True)
class Reading:
    best: str | None
    reasons: tuple[Reason, ...]
    support: tuple[tuple[str, float], ...]


def degree_terms(degree: str | None) -> tuple[str, ...]:
    """The words the sources use for a degree ("B.E." -> engineering, technology)."""
    if not degree:
        return ()
    table = degrees()["degrees"]
    for surface, (display, *terms) in table.items():
        if display == degree or surface == degree.lower():
            return (display, *terms)
    return (degree,)


def background_terms(background: Background) -> tuple[str, ...]:
    """The words the sources use for the student's background ("engineering", "commerce")."""
    return degree_terms(background.degree)


def terms_of(thing: Thing) -> tuple[str, ...]:
    """A degree or branch as the sources would say it ("mechanical" -> engineering)."""
    if thing.kind == "branch":
        return (thing.surface, *degree_terms(degrees()["branch_degree"].get(thing.value)))
    return (thing.surface, *degree_terms(thing.value))


def read(service: KnowledgeService, fields: tuple[str, ...], background: Background,
         interests: tuple[Thing, ...], likes: tuple[str, ...] = (),
         told: tuple[str, ...] = ()) -> Reading:
    """``likes``: the kinds of work the student says they enjoy ("storytelling", "planning"),
    matched in what each field involves; ``told``: the content words of what the student
    wrote, matched in the sentences that name one field ("If you get excited by robots and
    drones, mechatronics will suit you better")."""
    synonyms = service.rules.article["value_synonyms"]
    reasons: list[Reason] = list(_tied(service, fields, told))
    terms = background_terms(background)
    for field in fields:
        facts = tuple(i for i in service.facts(field) if not is_question(i.citation))
        for interest in interests:
            for item in facts:
                if item.attribute in SECTOR_ATTRIBUTES and (
                        thing_matches(interest, item, synonyms)
                        or Words(item.citation.sentence).states(interest.key)):
                    reasons.append(Reason("sector", field, interest.value, item.citation))
                    break
        for item in facts:
            if item.attribute not in BACKGROUND_ATTRIBUTES:
                continue
            if terms and names_background(item, terms):
                reasons.append(Reason("background", field, background.degree or "",
                                      item.citation))
            elif terms:
                reasons.append(Reason("other_background", field, background.degree or "",
                                      item.citation))
        for item in facts:
            if item.attribute in OUTLOOK_ATTRIBUTES:
                reasons.append(Reason("outlook", field, "", item.citation))
                break
        for word in likes:
            for item in facts:
                if item.attribute not in SECTOR_ATTRIBUTES and Words(
                        item.citation.sentence).states(word):
                    reasons.append(Reason("likes", field, word, item.citation))
                    break
        # What else bears on any choice between the fields: who may apply, who has an edge
        # (when the student's background is not known), where the jobs are (when no interest).
        for item in facts:
            if item.attribute in ELIGIBILITY_ATTRIBUTES:
                reasons.append(Reason("eligibility", field, "", item.citation))
            elif item.attribute in BACKGROUND_ATTRIBUTES and not terms:
                reasons.append(Reason("advantage", field, "", item.citation))
        if not interests:
            for item in facts:
                if item.attribute in SECTOR_ATTRIBUTES[:2]:
                    reasons.append(Reason("sectors", field, "", item.citation))
        if not interests and not terms:
            # Nothing personal to weigh: what the sources say of both fields bears on "which
            # is better?" ("both ... have a big impact on our industries").
            for item in facts:
                if item.attribute in COMMON_ATTRIBUTES:
                    reasons.append(Reason("common", field, "", item.citation))
    reasons = _unique(reasons)
    order = ("sector", "tied", "likes", "background", "other_background", "advantage",
             "eligibility", "sectors", "common", "outlook")
    reasons.sort(key=lambda r: order.index(r.kind))
    # Each thing the student told counts once per field, however many sentences state it
    # (two sentences favouring engineers are one background, not two).
    support = {f: sum(WEIGHTS[kind] for kind, _ in {(r.kind, r.detail) for r in reasons
                                                     if r.topic == f}) for f in fields}
    ranked = sorted(support.items(), key=lambda kv: -kv[1])
    best = None
    if ranked and (len(ranked) == 1 and ranked[0][1] > 0 or len(ranked) > 1
                   and ranked[0][1] > ranked[1][1]):
        best = ranked[0][0]
    return Reading(best, tuple(reasons), tuple(ranked))


# A sentence ties the student to a field when it names that field alone and holds this many
# of the student's own words; a field counts at most TIED_SENTENCES such sentences.
TIED_WORDS = 2
TIED_SENTENCES = 2
TIED_RARE = 3  # in at most this many of the articles' sentences


def _tied(service: KnowledgeService, fields: tuple[str, ...], told: tuple[str, ...]
          ) -> list[Reason]:
    if len(fields) < 2 or len(told) < TIED_WORDS:
        return []
    names = {f: _name_words(service, f) for f in fields}
    own = {w for f in fields for w in names[f]}
    wanted = [w for w in dict.fromkeys(told) if w not in own]
    found: dict[str, list[Reason]] = {}
    passages = service.passages_of(fields)
    texts = [Words(c.sentence) for c in passages]
    # a word the articles use everywhere ("goods", "makes") ties the student to nothing
    wanted = [w for w in wanted if sum(1 for t in texts if t.states(w)) <= TIED_RARE]
    for citation, text in zip(passages, texts, strict=True):
        if is_question(citation):
            continue  # a question states nothing
        named = [f for f in fields if names[f] & text.words]
        if not named:  # "Many dentists set up their own clinic ..." under "Career after BDS"
            section = frozenset(words(citation.section))
            named = [f for f in fields if names[f] & section]
        if len(named) != 1:
            continue
        shared = [w for w in wanted if text.states(w)]
        if len(shared) >= TIED_WORDS and len(found.get(named[0], ())) < TIED_SENTENCES:
            found.setdefault(named[0], []).append(
                Reason("tied", named[0], ", ".join(shared), citation))
    return [r for rs in found.values() for r in rs]


def _name_words(service: KnowledgeService, field: str) -> frozenset[str]:
    """The words that name a field in a sentence: its own words but the generic heads
    ("management"), and its aliases (lower-cased)."""
    heads = set(service.rules.article.get("generic_heads", ()))
    info = service.topic(field)
    shared = {w for other in service.counterparts(field) for w in words(other)}
    own = {w for w in words(field) if w not in heads and w not in shared and len(w) > 2}
    aliases = {w for a in (info.aliases if info else ()) for w in words(a) if len(w) > 1}
    return frozenset(own | aliases)


def _told(question: Question) -> tuple[str, ...]:
    """The student's content words, but those a negation governs ("i dont care about psu")."""
    tokens = words(question.text)
    negated: set[str] = set()
    for index, word in enumerate(tokens):
        if word in NEGATIONS:
            negated.update(tokens[index + 1:index + 1 + NEGATION_REACH])
    asking = _asking_words()
    return tuple(dict.fromkeys(
        w for w in tokens if len(w) > 2 and w not in negated and w not in asking
        and w.isalpha() and not is_stop_word(w) and not is_verb_form(w)))


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    """Words that ask rather than tell: the advice cues, the liking verbs, and the words of
    what else a message may ask ("which entrance exams?"); the words of work wanted
    ("government jobs") are not among them."""
    asking = {w.rstrip("*") for cue in kind_of("advice").cues for w in cue.words}
    asking |= set(words(" ".join(LIKING)))
    asking |= {w.rstrip("*") for k in kinds() if k.kind not in ("careers", "sectors")
               for cue in k.cues for w in cue.words}
    return frozenset(asking)


NEGATIONS = ("dont", "not", "never", "no", "hate", "without", "nor")
NEGATION_REACH = 4


def names_background(item: FactItem, terms: tuple[str, ...]) -> bool:
    value = words(item.value.replace(".", ""))
    for term in terms:
        wanted = words(term.replace(".", ""))
        if wanted and all(any(same_word(w, v) for v in value) for w in wanted):
            return True
    return False


def _unique(reasons: list[Reason]) -> list[Reason]:
    # A sentence that names the student's background among others ("B.Tech or B.E degrees")
    # favours it: it is not also counted against that field, whichever of its facts came first.
    favoured = {(r.topic, r.citation.sentence) for r in reasons if r.kind == "background"}
    seen, out = set(), []
    for reason in reasons:
        # what is said of both fields is said once
        key = ("" if reason.kind == "common" else reason.topic, reason.citation.sentence)
        if key in seen or reason.kind == "other_background" and key in favoured:
            continue
        seen.add(key)
        out.append(reason)
    return out


def _fields(service: KnowledgeService, question: Question, topics: tuple[str, ...]
            ) -> tuple[str, ...]:
    named = [o for o in question.background.options if o in service.topic_names()]
    chosen = tuple(dict.fromkeys([*question.topics, *named])) or topics
    if len(chosen) == 1:
        other = service.counterpart(chosen[0])
        if other:
            chosen = (chosen[0], other)
    return chosen


def _interests(service: KnowledgeService, question: Question, fields: tuple[str, ...]
               ) -> tuple[Thing, ...]:
    """The student's sectors and kinds of work: named things, and words of theirs that a
    field's sector list holds ("logistics", "cars")."""
    found = list(question.things_of("sector", "role"))
    known = {t.value.lower() for t in found}
    for value in question.background.interests:
        if value.lower() not in known:
            found.append(Thing("sector", value, value.lower(), value))
            known.add(value.lower())
    # the listed sectors themselves, not the words of their sentences ("can get employment")
    sector_words = Words(" ".join(i.value for f in fields for i in service.facts(f)
                                  if i.attribute in SECTOR_ATTRIBUTES))
    modified = _modified_heads(question.text)
    for word in question.aspects:
        if word not in known and len(word) > 3 and word not in modified and (
                sector_words.states(word)):
            found.append(Thing("sector", word, word, word))
            known.add(word)
    return tuple(found)


def _modified_heads(text: str) -> set[str]:
    """Heads like "plant" or "company" that a word before them narrows ("car plant", "steel
    plants"): the narrower word is the interest, the head alone would read as any factory."""
    tokens = words(text)
    return {word for before, word in itertools.pairwise(tokens)
            if word in SECTOR_HEADS and before.isalpha() and not is_stop_word(before)}


def advise(service: KnowledgeService, question: Question, topics: tuple[str, ...],
           conversation: Conversation) -> Reply:
    fields = _fields(service, question, topics)
    background = question.background
    interests = _interests(service, question, fields)
    named = {w for f in fields for w in _name_words(service, f)}
    likes = tuple(w for w in _likes(question, interests) if w not in named)
    reading = read(service, fields, background, interests, likes, _told(question))
    parts: list = []
    for detail, old, new in question.background_changes:
        parts.append(Say.of("advice_changed", detail=detail, old=old, new=new))
    if reading.best and question.topics and reading.best not in question.topics:
        # "telecom+operations or telecom+HR?": the facts favour a field the student did not
        # name; say that, rather than recommend one of their options on another's facts.
        parts.append(Say.of("advice_reading_elsewhere", topic=reading.best,
                            options=" and ".join(question.topics)))
    elif reading.best:
        parts.append(Say.of("advice_reading", topic=reading.best))
    elif any(score > 0 for _, score in reading.support) or (
            len({r.topic for r in reading.reasons if r.kind != "outlook"}) > 1):
        parts.append(Say.of("advice_both_ways"))
    else:
        parts.append(Say.of("advice_no_lean"))
    lines = [Say.of(f"reason_{r.kind}", topic=r.topic, detail=r.detail,
                    sentence=r.citation.sentence) for r in reading.reasons]
    if lines:
        parts.append(Points(tuple(lines)))
    notes, unanswered = _gaps(service, question, fields)
    parts += notes
    asked = tuple(dict.fromkeys((*conversation.asked,)))
    awaiting = _missing(service, reading, background, interests, fields, asked)
    if awaiting:
        parts.append(Say.of(f"advice_ask_{awaiting}"))
        asked = (*asked, awaiting)
    memory = Memory(kind="advice", topics=fields, background=_as_dict(background),
                    awaiting=awaiting, asked=asked)
    citations = tuple(dict.fromkeys(r.citation for r in reading.reasons))
    return Reply("utter_answer", tuple(parts), citations,
                 unanswered="advice gap" if unanswered else None, memory=memory)


# ("prefer" is not among them: "should I prefer MBA in X or Y" weighs options, it likes nothing)
LIKING = ("like", "likes", "love", "loves", "enjoy", "enjoys", "into", "passion", "interested",
          "fascinated", "obsessed")


def _likes(question: Question, interests: tuple[Thing, ...]) -> tuple[str, ...]:
    """The words after "I like/love/enjoy ..." that are not sectors already."""
    tokens = words(question.text)
    known = {w for t in interests for w in words(t.value)}
    out = []
    for index, word in enumerate(tokens):
        if word in LIKING:
            for follower in tokens[index + 1:index + 6]:
                if follower in ("and", "or", "the", "a", "an", "in", "with", "to", "of", "so",
                                "much", "working", "doing", "on", "around", "all"):
                    continue
                if follower in known or is_stop_word(follower) or not follower.isalpha():
                    break
                if len(follower) > 3 and not is_verb_form(follower):
                    out.append(follower)
    return tuple(dict.fromkeys(out))


def _gaps(service: KnowledgeService, question: Question, fields: tuple[str, ...]
          ) -> tuple[list[Say], bool]:
    """What the sources do not cover of what the student weighs: other specialisations (HR),
    the study mode, colleges; and anything else they ask that no sentence states."""
    notes: list[Say] = []
    text = Words(" ".join(c.sentence for c in service.passages_of(fields)))
    for option in question.background.options:
        if option not in service.topic_names() and not text.has(option, literal=True):
            notes.append(Say.of("advice_silent_option", option=option))
    mode = question.background.mode
    if mode and not text.has(mode.split("-")[0], literal=True):
        notes.append(Say.of("advice_silent_mode", mode=mode))
    if question.things_of("institution"):
        notes.append(Say.of("advice_silent_colleges"))
    degree = question.background.degree
    if degree and not any(text.states(w.lower()) for w in words(degree.replace(".", ""))):
        notes.append(Say.of("advice_silent_degree", degree=degree))
    for interest in _unlisted_interests(question, text):
        notes.append(Say.of("advice_silent_interest", interest=interest))
    said_words = {w for n in notes for _, v in n.values for w in words(str(v))}
    for like in _likes(question, ()):  # "obsessed with aviation": not in the sources
        if like not in said_words and not text.states(like) and is_english_word(like):
            notes.append(Say.of("advice_silent_interest", interest=like))
    said = {n.values for n in notes}
    for concept, phrase in silent_phrases(service, question, fields):
        if concept in ("colleges", "study mode"):
            continue
        note = silent_note(concept, phrase)
        if note.values not in said:
            notes.append(note)
    return notes, bool(notes)


# Words that make the word before them a sector a student means ("chemical factory").
SECTOR_HEADS = ("factory", "factories", "company", "companies", "industry", "industries",
                "sector", "plant", "plants", "firm", "firms", "business", "world", "chain",
                "chains", "mill", "mills", "unit", "units", "hub", "hubs", "manufacturing",
                "operations", "ops")


def _unlisted_interests(question: Question, text: Words) -> list[str]:
    tokens = words(question.text)
    out = []
    for index, word in enumerate(tokens[1:], start=1):
        modifier = tokens[index - 1]
        if word in SECTOR_HEADS and modifier.isalpha() and len(modifier) > 2 and not (
                text.states(modifier)) and is_english_word(modifier) and not is_stop_word(
                modifier) and not is_verb_form(modifier):
            out.append(f"{modifier} {word}")
    return list(dict.fromkeys(out))


def _missing(service: KnowledgeService, reading: Reading, background: Background,
             interests: tuple[Thing, ...], fields: tuple[str, ...], asked: tuple[str, ...]
             ) -> str | None:
    """The one detail worth asking for: only if it could change the reading, never twice."""
    decided_by_sector = any(r.kind == "sector" for r in reading.reasons)
    has_background_facts = any(i.attribute in BACKGROUND_ATTRIBUTES
                               for f in fields for i in service.facts(f))
    if not background.degree and has_background_facts and "degree" not in asked and not (
            decided_by_sector and reading.best):
        return "degree"
    if not interests and not reading.best and "interests" not in asked:
        return "interests"
    return None


def _as_dict(background: Background) -> dict:
    return {"degree": background.degree, "branch": background.branch, "mode": background.mode,
            "interests": list(background.interests), "options": list(background.options)}
