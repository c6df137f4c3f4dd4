"""Answers about one or more fields' facts: definitions (the defining passage, whole), and the
kinds that draw on attributes (qualification, admission, careers, sectors, background, scope),
with yes/no and "is X required?" questions answered first."""

from __future__ import annotations

from dataclasses import replace

from bot.answering.evidence import (
    answer_to,
    excerpt,
    grouped,
    is_question,
    rank,
    silent_phrases,
    spelled_out,
    thing_in_sentence,
    thing_matches,
)
from bot.answering.question import Conversation, Question, Thing
from bot.answering.relevance import Words, overlap
from bot.answering.reply import Facts, Memory, Reply, Say
from bot.answering.vocabulary import kind as kind_of
from bot.answering.vocabulary import markers
from bot.kb.answers import Citation, FactItem
from bot.kb.service import KnowledgeService
from bot.text.words import words

ANAPHORA = ("this", "it", "its", "these", "they", "their", "such", "that")
# Words that limit a statement ("A few of the institutes ..."): "all" does not follow.
LIMITING = ("few", "some", "certain", "several", "many", "most", "may", "might", "also")
# What "is X required?" can be settled by: a modality fact ("MBA: required").
MODALITIES = ("required", "helpful, not required", "not required", "helpful")


def memory(question: Question, topics: tuple[str, ...], things=None) -> Memory:
    named = question.things if things is None else things
    return Memory(kind=question.kind, topics=topics,
                  things=tuple((t.kind, t.value) for t in named))


# --- definitions --------------------------------------------------------------------------------


def define(service: KnowledgeService, question: Question, topics: tuple[str, ...],
           conversation: Conversation) -> Reply:
    kind = kind_of("definition")
    parts, citations = [], []
    for topic in topics:
        passage = defining_passage(service, topic, kind.attributes, kind.fallback_attributes)
        named = tuple((c, "") for c in full_form_sentences(service, topic)
                      if c not in {q for q, _ in passage})
        passage = named + tuple(passage)
        if not passage:
            parts.append(Say.of("sources_silent_on", what="definition", topic=topic))
            continue
        quotes = tuple(c for c, _ in passage)
        parts.append(Facts(topic, service.label("definition"), (), quotes,
                           tuple(t for _, t in passage)))
        citations += quotes
        if question.aspects:
            extra = [s for s in rank(service, question, topic, ())
                     if s.item.citation not in quotes]
            more = grouped(service, topic, extra[:3], limit=2)
            parts += more
            citations += [q for f in more for q in f.quotes]
    return Reply("utter_answer", tuple(parts), tuple(citations),
                 memory=memory(question, topics))


def defining_passage(service: KnowledgeService, topic: str, attributes: tuple[str, ...],
                     fallback: tuple[str, ...]) -> tuple[tuple[Citation, str], ...]:
    """The sentences that define a field, each with the clause to quote ("" for all of it):
    every defining sentence with the sentences after it in its paragraph that go on about it
    ("This comprises the responsibility ..."), then what else the sources say of its kind
    (its responsibility, focus, relation to the other)."""
    facts = service.facts(topic)
    chosen: dict[Citation, str] = {}
    definitions = [i for i in facts if i.attribute == "definition"]
    if not definitions:
        definitions = next(([i for i in facts if i.attribute == a][:1] for a in fallback
                            if any(i.attribute == a for i in facts)), [])
    for item in definitions:
        if item.citation not in chosen:
            chosen[item.citation] = excerpt(service, item)
            for following in _continuation(service, topic, item.citation):
                chosen.setdefault(following, "")
    if not chosen:
        return ()
    extra = [i for i in facts if i.attribute in attributes[1:] and i.citation not in chosen]
    for item in extra[:2]:
        chosen.setdefault(item.citation, excerpt(service, item))
    return tuple(chosen.items())


def full_form_sentences(service: KnowledgeService, topic: str) -> tuple[Citation, ...]:
    """The sentence where an article spells out a field's short name ("... the Diploma in
    Elementary Education (D.El.Ed)"): what the name means, the start of a definition."""
    info = service.topic(topic)
    shorts = [n for n in (topic, *(info.aliases if info else ())) if " " not in n.strip()
              and len(n.strip(".")) >= 2]
    return spelled_out(service.passages_of((topic,)), shorts, 6)


def _continuation(service: KnowledgeService, topic: str, citation: Citation
                  ) -> list[Citation]:
    out = []
    about = {i.citation.passage_id for i in service.facts(topic)}
    for following in service.following(citation):
        first = words(following.sentence)[:1]
        if not first or first[0] not in ANAPHORA or following.passage_id not in about:
            break
        out.append(following)
    return out


# --- attribute questions ------------------------------------------------------------------------


ATTRIBUTE_KINDS = ("scope", "qualification", "admission", "careers", "sectors", "background",
                   "relation")
# A field named with others shows facts only where it has one of the kind's first attributes
# (or one that holds the question's words): "exams for OM and PM" says OM's exams are not stated.
CORE = 2


def answer(service: KnowledgeService, question: Question, topics: tuple[str, ...],
           conversation: Conversation) -> Reply:
    asked = [k for k in question.kinds if k in ATTRIBUTE_KINDS] or [question.kind]
    named = {t.kind for t in question.things}
    asked += [k.kind for k in map(kind_of, ATTRIBUTE_KINDS)
              if k.entity in named and k.entity in ("exam",) and k.kind not in asked]
    kinds_ = [kind_of(k) for k in asked]
    attributes = tuple(dict.fromkeys(a for k in kinds_ for a in k.attributes))
    core = {a for k in kinds_ for a in k.attributes[:CORE]}
    entity = next((k.entity for k in kinds_ if k.entity), None)
    things = _asked_things(question, entity)
    parts: list = []
    citations: list[Citation] = []
    lead = _lead(service, question, topics, things)
    parts += lead.parts
    citations += lead.citations
    for topic in topics:
        scored = rank(service, question, topic, attributes, things)
        strong = [s for s in scored if s.item.attribute in core or s.score >= 1.5]
        if not strong:
            found = _passages_about(service, question, topic, kinds_)
            if found:
                # No fact of the kind's own, but a sentence says it ("Logistics professionals
                # are hired ... by shipping lines"): every sentence is reachable.
                parts.append(Facts(topic, "", (), found))
                citations += found
                continue
            if topic in question.topics or not question.topics and topic == topics[-1] and (
                    not citations):
                labels = ", ".join(dict.fromkeys(service.label(a) for a in attributes[:2]))
                parts.append(Say.of("sources_silent_on", what=labels, topic=topic))
                if scored and topic in question.topics:
                    blocks = grouped(service, topic, scored, limit=2)
                    parts += blocks
                    citations += [q for block in blocks for q in block.quotes]
            continue
        shown = " ".join(s.item.citation.sentence.lower() for s in scored[:8])
        for attribute in _asked_attributes(service, question, attributes):
            cues = service.rules.attribute(attribute).cues
            if not any(s.item.attribute == attribute for s in scored) and not any(
                    f" {c}" in f" {shown}" for c in cues):
                parts.append(Say.of("sources_silent_on", what=service.label(attribute),
                                    topic=topic))
        blocks = grouped(service, topic, scored, limit=2 + 2 * len(kinds_))
        if question.count:
            blocks = [replace(b, values=b.values[:question.count]) for b in blocks]
        parts += blocks
        citations += [q for block in blocks for q in block.quotes]
    unanswered = None if citations else "sources silent"
    return Reply("utter_answer", tuple(parts), tuple(citations), unanswered=unanswered,
                 memory=memory(question, topics, things))


def _passages_about(service: KnowledgeService, question: Question, topic: str,
                    kinds_) -> tuple[Citation, ...]:
    """The topic's sentences that say what its kind asks (a word of the kind's attributes'
    cues: "Eligibility is also similar.") and hold most of the question's own words, for
    articles whose sentences gave no fact of the kind ("You need 10+2 with ..."): every
    sentence is reachable. A short lead-in brings the sentence after it; a sentence that names
    only another field is not about this one."""
    from bot.answering.vocabulary import is_cue_word

    cues = {c for k in kinds_ for a in k.attributes[:CORE]
            for c in service.rules.attribute(a).cues if " " not in c}
    named = {w for t in service.topic_names() for w in words(t)}
    cues.update(w for w in words(question.text) if is_cue_word(w) and len(w) > 3)
    cues -= named
    own = [a for a in dict.fromkeys(question.aspects) if len(a) > 2 and a not in named]
    if not cues:
        return ()
    def names(field: str) -> list[frozenset[str]]:
        info = service.topic(field)
        surfaces = (field, *(info.aliases if info else ()))
        return [frozenset(words(s)) for s in surfaces if words(s)]

    others = [n for t in service.topic_names() if t != topic for n in names(t)]
    mine = names(topic)
    found = []
    passages = service.passages_of((topic,))
    answers: dict[Citation, tuple[Citation, ...]] = {}
    for position, citation in enumerate(passages):
        text = Words(citation.sentence)
        hits = sum(1 for c in cues if c in text.words)
        if not hits:
            continue
        if is_question(citation):
            # "**What is the eligibility for these courses?**": its answer says it
            answers[citation] = answer_to(passages, position)
            if not answers[citation]:
                continue
            text = Words(" ".join(c.sentence for c in (citation, *answers[citation])))
        section = frozenset(words(citation.section))
        if not any(n <= text.words or n <= section for n in mine) and any(
                n <= text.words or n <= section for n in others):
            continue  # about another field ("The admission into the MBA in PM ...")
        found.append((overlap(own, text) if own else 0.0, hits, -position, citation))
    if not found:
        return ()
    found.sort(key=lambda row: row[:3], reverse=True)
    best = found[0][0]
    chosen: list[Citation] = []
    for score, _, _, citation in found:
        if score < best or len(chosen) >= 2:
            break
        if citation in answers:
            chosen += list(answers[citation])
            continue
        chosen.append(citation)
        if len(words(citation.sentence)) <= LEAD_IN_WORDS:
            chosen += list(service.following(citation)[:1])
    return tuple(dict.fromkeys(chosen))[:3]


# A sentence this short announces what the next one says ("Eligibility is also similar.",
# "I'd say geology has the edge for government jobs.").
LEAD_IN_WORDS = 12


def _asked_attributes(service: KnowledgeService, question: Question,
                      attributes: tuple[str, ...]) -> list[str]:
    """The kind's attributes the question names by their own words ("a particular stream?":
    eligible streams), so a field the sources are silent on for it can be told so."""
    text = f" {' '.join(words(question.text))} "
    named = []
    for attribute in attributes:
        spec = service.rules.attribute(attribute)
        if any(f" {cue} " in text for cue in spec.cues):
            named.append(attribute)
    return named


def _asked_things(question: Question, entity: str | None) -> tuple[Thing, ...]:
    """The things a question asks about: those of its kind's entity, or any it names."""
    wanted = {"sector", "exam", "role", "degree", "branch"}
    if entity:
        of_kind = [t for t in question.things if t.kind == entity or
                   entity == "degree" and t.kind == "branch"]
        if of_kind:
            return tuple(of_kind)
    return tuple(t for t in question.things if t.kind in wanted)


def _lead(service: KnowledgeService, question: Question, topics: tuple[str, ...],
          things: tuple[Thing, ...]) -> Reply:
    """What settles a yes/no question before the facts: the thing is listed (for which
    field), or not; "required?" by a modality fact; "all?" by a limiting sentence."""
    parts: list = []
    citations: list[Citation] = []
    synonyms = service.rules.article["value_synonyms"]
    if question.choice and len(question.things_of("exam", "sector")) >= 2:
        named = question.things_of("exam", "sector")
        parts.append(Say.of("choice_not_compared", first=named[0].surface,
                            second=named[1].surface))
    degrees_said = False
    for thing in things:
        if thing.kind in ("degree", "branch") and not question.necessity:
            if not degrees_said:
                degrees_said = True
                parts += _background_lead(service, thing, topics)
            continue
        found = [(t, i) for t in topics for i in service.facts(t)
                 if thing_matches(thing, i, synonyms) or thing.kind == "exam"
                 and thing_in_sentence(thing, i.citation)]
        if question.necessity:
            parts += _necessity(thing, found, topics)
            continue
        if question.universal:
            limited = [i for _, i in found if set(words(i.citation.sentence)) & set(LIMITING)]
            if limited:
                parts.append(Say.of("not_all", thing=thing.surface))
                citations.append(limited[0].citation)
                continue
        if found and not question.polar:
            where = list(dict.fromkeys(t for t, _ in found))
            parts.append(Say.of("named_for", thing=thing.surface, topics=" and ".join(where)))
            citations += [i.citation for _, i in found]
            missing = [t for t in topics if t not in where]
            if missing and len(topics) > 1:
                parts.append(Say.of("not_listed_for", thing=thing.surface,
                                    topics=" and ".join(missing)))
        elif found:
            where = list(dict.fromkeys(t for t, _ in found))
            listed = list(dict.fromkeys(i.value for _, i in found))
            parts.append(Say.of("listed", thing=thing.surface, value=", ".join(listed),
                                topics=" and ".join(where)))
            citations += [i.citation for _, i in found]
            missing = [t for t in topics if t not in where]
            if missing and len(topics) > 1:
                parts.append(Say.of("not_listed_for", thing=thing.surface,
                                    topics=" and ".join(missing)))
        else:
            others = [t for t in service.topic_names() if t not in topics
                      and any(thing_matches(thing, i, synonyms) for i in service.facts(t))]
            if others:
                parts.append(Say.of("listed_elsewhere", thing=thing.surface,
                                    topics=" and ".join(topics), others=" and ".join(others)))
            else:
                parts.append(Say.of("not_listed", thing=thing.surface,
                                    topics=" and ".join(topics)))
    silent = silent_phrases(service, question, topics)
    if question.necessity and not things and not silent:
        parts += _necessity_of_aspects(service, question, topics)
    if question.polar and not things and not question.necessity and not silent:
        lead = _aspects_listed(service, question, topics)
        parts += lead.parts
        citations += lead.citations
    return Reply("utter_answer", tuple(parts), tuple(citations))


def _aspects_listed(service: KnowledgeService, question: Question, topics: tuple[str, ...]
                    ) -> Reply:
    """"Does PM do marketing?", "is forecasting part of PM's job?": is the thing among the
    values the sources list for the field (activities, scope, sectors ...)?"""
    parts: list = []
    citations: list[Citation] = []
    asked = [p for p in question.phrases if len(p.split()) <= 3]
    asked += [a for a in question.aspects if len(a) > 3]
    for phrase in dict.fromkeys(asked):
        thing = Thing("aspect", phrase, phrase, phrase)
        found = [(t, i) for t in topics for i in service.facts(t)
                 if service.rules.attribute(i.attribute).is_set
                 and i.attribute not in ("recommended_degree",) and thing_matches(thing, i, {})]
        if found:
            if parts and any(phrase.lower() in str(dict(p.values).get("thing", "")).lower()
                             for p in parts):
                continue
            where = list(dict.fromkeys(t for t, _ in found))
            parts.append(Say.of("listed", thing=phrase, value=", ".join(
                dict.fromkeys(i.value for _, i in found)), topics=" and ".join(where)))
            citations += [i.citation for _, i in found]
            continue
        others = [t for t in service.topic_names() if t not in topics and any(
            service.rules.attribute(i.attribute).is_set and i.attribute != "recommended_degree"
            and thing_matches(thing, i, {}) for i in service.facts(t))]
        if others:
            parts.append(Say.of("listed_elsewhere", thing=phrase, topics=" and ".join(topics),
                                others=" and ".join(others)))
    return Reply("utter_answer", tuple(parts), tuple(citations))


def _background_lead(service: KnowledgeService, thing: Thing, topics: tuple[str, ...]
                     ) -> list[Say]:
    """"Does my mechanical degree help in OM?": is the background named as an advantage,
    for which field."""
    from bot.answering.advice import names_background, terms_of

    terms = terms_of(thing)
    where = [t for t in topics if any(i.attribute == "preferred_background"
                                      and names_background(i, terms) for i in service.facts(t))]
    parts = [Say.of("asked_about", thing=thing.surface)]
    shown = " or ".join(dict.fromkeys(t for t in terms[1:] if t.lower() != thing.surface.lower()))
    thing = Thing(thing.kind, thing.value, thing.key,
                  f"{thing.surface} ({shown})" if shown else thing.surface)
    if where:
        parts.append(Say.of("background_named", thing=thing.surface, topics=" and ".join(where)))
    missing = [t for t in topics if t not in where]
    if missing:
        others = [t for t in service.topic_names() if t not in missing and any(
            i.attribute == "preferred_background" and names_background(i, terms)
            for i in service.facts(t))]
        parts.append(Say.of("background_not_named", thing=thing.surface,
                            topics=" and ".join(missing)))
        if others and not where:
            parts.append(Say.of("background_named", thing=thing.surface,
                                topics=" and ".join(others)))
    return parts


def _necessity(thing: Thing, found: list[tuple[str, FactItem]], topics: tuple[str, ...]
               ) -> list[Say]:
    modal = [(t, i) for t, i in found if i.attribute == "recommended_degree"]
    if modal:
        return [Say.of("necessity_" + _modality(i.value), thing=thing.surface, topic=t)
                for t, i in modal]
    return [Say.of("necessity_not_stated", thing=thing.surface, topics=" and ".join(topics))]


def _necessity_of_aspects(service: KnowledgeService, question: Question,
                          topics: tuple[str, ...]) -> list[Say]:
    """"Is an MBA compulsory?": the modality facts of the fields, for what the question names."""
    out = []
    asked = set(question.aspects) | {"mba"} if {"mba", "masters", "master's", "pg"} & set(
        question.aspects) else set(question.aspects)
    if len(question.phrases) > 1:
        return out  # "a specific stream to do an MBA?" asks about the stream, not the MBA
    for topic in topics:
        for item in service.facts(topic):
            if item.attribute != "recommended_degree":
                continue
            degree = item.value.split(":")[0].strip()
            if degree.lower() in asked:
                out.append(Say.of("necessity_" + _modality(item.value), thing=degree,
                                  topic=topic))
    return out


def _modality(value: str) -> str:
    modality = value.split(":", 1)[-1].strip().lower()
    for known in MODALITIES:
        if modality == known:
            return known.replace(", ", "_").replace(" ", "_")
    return "stated"


# --- colleges -----------------------------------------------------------------------------------


def college(service: KnowledgeService, question: Question, topics: tuple[str, ...],
            conversation: Conversation) -> Reply:
    """The sources name no colleges (unless they do): say so, then what they say about
    getting in."""
    kind = kind_of("college")
    named = institutions_named(service, topics)
    parts: list = [Say.of("colleges_named"), Facts("", "", (), named)] if named else [
        Say.of("no_colleges")]
    citations: list[Citation] = list(named)
    for topic in topics:
        scored = [s for s in rank(service, question, topic, kind)
                  if s.item.attribute in kind.attributes]
        blocks = grouped(service, topic, scored)
        parts += blocks
        citations += [q for b in blocks for q in b.quotes]
    exam = question.things_of("exam")
    if exam:
        more = answer(service, question, topics, conversation)
        parts += list(more.parts)
        citations += list(more.citations)
    return Reply("utter_answer", tuple(parts), tuple(citations),
                 unanswered=None if named else "college question",
                 memory=memory(question, topics))


MAX_INSTITUTIONS = 6


def institutions_named(service: KnowledgeService, topics: tuple[str, ...]
                       ) -> tuple[Citation, ...]:
    """The sentences of the fields' articles that name an institution ("LNJN National Institute
    of Criminology ...", "all IITs and NITs"), those under a heading about colleges first."""
    names = {w.lower() for w in markers()["institutions"]}
    found = []
    for citation in service.passages_of(topics) if topics else ():
        if _names_institution(citation.sentence, names):
            under_heading = any(w in names for w in words(citation.section))
            found.append((not under_heading, citation))
    found.sort(key=lambda pair: pair[0])
    return tuple(c for _, c in found[:MAX_INSTITUTIONS])


def _names_institution(sentence: str, names: set[str]) -> bool:
    """A proper name with an institution word: "Punjabi University", "Institute of Forensic
    Science", "IITs" (capitalised or an acronym as written, not "the concerned institutes")."""
    tokens = sentence.replace("(", " ").replace(")", " ").replace(",", " ").split()
    for i, token in enumerate(tokens):
        bare = token.strip(".;:'\"")
        if bare.lower() not in names and bare.lower().rstrip("s") not in names:
            continue
        if bare.isupper() and len(bare) >= 3:
            return True
        if bare[:1].isupper() and (i > 0 and tokens[i - 1][:1].isupper() and i > 1
                                   or i + 2 < len(tokens) and tokens[i + 1] == "of"
                                   and tokens[i + 2][:1].isupper()):
            return True
    return False


def universal_words() -> tuple[str, ...]:
    return tuple(markers()["universal"])
