"""Compose the reply to a ``Question`` from the knowledge base: the asked thing first (stated,
or not stated), then the facts that bear on it, then the citation.

``COMPOSERS`` is the one table of question kinds and the function that answers each; adding a
kind is one row here and one in ``kinds.jsonl``. Every composer returns a ``Reply`` built only
from the knowledge base's facts and sentences and the domain's phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.answering import comparison, facts_reply
from bot.answering.advice import advise
from bot.answering.evidence import (
    answer_to,
    is_question,
    silent_note,
    silent_phrases,
    spelled_out,
)
from bot.answering.lookup import look_up
from bot.answering.question import Conversation, Question
from bot.answering.relevance import Words, overlap
from bot.answering.reply import Facts, Memory, Reply, Say
from bot.answering.vocabulary import kind as kind_of
from bot.kb.answers import Citation
from bot.kb.service import KnowledgeService
from bot.text.english import is_stop_word, lemma

Composer = Callable[[KnowledgeService, Question, tuple[str, ...], Conversation], Reply]

COMPOSERS: dict[str, Composer] = {
    "definition": facts_reply.define,
    "scope": facts_reply.answer,
    "qualification": facts_reply.answer,
    "admission": facts_reply.answer,
    "careers": facts_reply.answer,
    "sectors": facts_reply.answer,
    "background": facts_reply.answer,
    "relation": facts_reply.answer,
    "college": facts_reply.college,
    "differences": comparison.differences,
    "similarity": comparison.similarities,
    "advice": advise,
    "lookup": look_up,
}
# Replies that need no knowledge: the response, and whether the question goes to the editors.
PLAIN = {
    "greet": ("utter_greet", None),
    "goodbye": ("utter_goodbye", None),
    "thank": ("utter_you_are_welcome", None),
    "bot_challenge": ("utter_iamabot", None),
    "capabilities": ("utter_capabilities", None),
    "off_topic": ("utter_out_of_scope", "out of scope"),
    "stop": ("utter_stop_ack", None),
}


def topic_list(service: KnowledgeService) -> str:
    return service.per_build("topic_list", lambda: ", ".join(
        t[:1].upper() + t[1:] for t in service.topic_names()))


def compose(service: KnowledgeService, question: Question, conversation: Conversation
            ) -> Reply:
    values = (("topics", topic_list(service)),)
    if question.kind in ("off_topic", "unclear"):
        # "CPL full form": a short name an article spells out is the articles' own word,
        # whatever the classifier made of the message
        defined = _defining_sentences(service, question, ())
        if defined:
            return Reply("utter_answer", (Facts("", "", (), defined),), defined, values,
                         memory=Memory(kind="lookup"))
    if question.kind in PLAIN:
        response, unanswered = PLAIN[question.kind]
        memory = Memory() if question.kind == "stop" else None
        return Reply(response, values=values, unanswered=unanswered, memory=memory)
    if question.kind == "acknowledge":
        return Reply("utter_affirm_ack")
    if question.kind == "unclear":
        return look_up(service, question, (), conversation, unclear=True)
    if question.ambiguous:
        wording, candidates = question.ambiguous[0]
        options = " or ".join(c[:1].upper() + c[1:] for c in candidates)
        return Reply("utter_ask_which_field", values=values + (("wording", wording),
                                                              ("options", options)),
                     memory=Memory(kind=question.kind, count=question.count,
                                   table=question.table))
    topics = _topics(service, question, conversation)
    if question.unknown and not question.topics:
        return Reply("utter_topic_not_covered",
                     values=values + (("topic", ", ".join(question.unknown)),),
                     unanswered="unknown topic")
    if not topics and kind_of(question.kind).needs_field if question.kind in COMPOSERS else False:
        return Reply("utter_ask_which_topic", values=values,
                     memory=Memory(kind=question.kind))
    reply = COMPOSERS[question.kind](service, question, topics, conversation)
    reply = _answering_sentence_first(service, question, topics, reply)
    lead = _notes(service, question, topics)
    if lead:
        reply = Reply(reply.response, lead + reply.parts, reply.citations, reply.values,
                      reply.unanswered or "sources silent", reply.memory)
    for extra in question.also:
        if extra in facts_reply.ATTRIBUTE_KINDS and question.kind in facts_reply.ATTRIBUTE_KINDS:
            continue  # one answer draws on every attribute kind asked
        if extra in COMPOSERS and extra != question.kind:
            more = COMPOSERS[extra](service, question, topics, conversation)
            reply = Reply(reply.response, reply.parts + more.parts,
                          reply.citations + more.citations, reply.values,
                          reply.unanswered, reply.memory)
    if reply.response == "utter_answer" and all(
            isinstance(p, Say) and p.phrase == "asked_about" for p in reply.parts):
        # Nothing bears on it: say so, never an empty message.
        if not topics:
            return Reply("utter_ask_which_topic", values=values,
                         memory=Memory(kind=question.kind), unanswered="no field")
        asked = ", ".join(question.phrases) or question.text
        reply = Reply(reply.response, (Say.of("silent", thing=asked),), reply.citations,
                      reply.values, "sources silent", reply.memory)
    memory = reply.memory
    if memory is not None and not memory.background and not question.background.empty:
        memory = replace(memory, background=background_dict(question.background))
    return Reply(reply.response, reply.parts, tuple(dict.fromkeys(reply.citations)),
                 values + reply.values, reply.unanswered, memory)


# Kinds whose reply is built from the question's structure (rows, reasons, a list), not from
# the sentence that holds its words; and the fewest of the question's own words a sentence
# must hold, every one of them, to lead the reply.
STRUCTURED = ("differences", "similarity", "advice", "college", "lookup")
ANSWERING_WORDS = 2


def _answering_sentence_first(service: KnowledgeService, question: Question,
                              topics: tuple[str, ...], reply: Reply) -> Reply:
    """A sentence of the fields' articles that holds every word the question asks about
    ("why do IT firms value CS graduates?") answers it better than the kind's usual facts:
    it leads the reply, quoted and cited, unless the reply already quotes it."""
    defined = _defining_sentences(service, question, topics)
    if defined and question.kind not in ("advice", "differences", "similarity"):
        return _led_by(reply, defined)
    if (question.kind in STRUCTURED or question.count or not topics or reply.response
            != "utter_answer"):
        return reply
    # words the articles never use ("kitni", a typo) cannot be held by any sentence
    vocabulary = service.vocabulary()
    aspects = [a for a in dict.fromkeys(question.aspects)
               if {a, a + "s", a + "es", a.removesuffix("s"), lemma(a)} & vocabulary]
    quoted = set(reply.citations)
    best = list(_article_answer(service, question, topics))
    if not best and len(aspects) >= ANSWERING_WORDS:
        best = [h.citation for h in service.search(aspects, limit=3, topics=topics)
                if h.score >= 0.99 and overlap(aspects, h.citation.sentence) >= 0.99
                and h.citation not in quoted][:1]
    if not best:
        best = [c for c in _section_answer(service, question, topics) if c not in quoted]
    if not best:
        return reply
    return _led_by(reply, tuple(best))


def _led_by(reply: Reply, best: tuple[Citation, ...]) -> Reply:
    rest = _without(reply.parts, set(best))
    return Reply(reply.response, (Facts("", "", (), best),) + rest,
                 best + reply.citations, reply.values, reply.unanswered, reply.memory)


_SHORT_NAME = re.compile(r"\b[A-Za-z][A-Za-z]{1,7}\b")


def _defining_sentences(service: KnowledgeService, question: Question,
                        topics: tuple[str, ...]) -> tuple[Citation, ...]:
    """"CPL full form", "what is DIET": a short name the student uses that an article spells
    out in brackets ("Commercial Pilot Licence (CPL)", "District Institutes of Education and
    Training (DIETs)"), not a field's: the sentence that spells it out."""
    fields = service.per_build("field_name_words", lambda: frozenset(
        w.lower() for info in service.topics() for n in (info.name, *info.aliases)
        for w in n.split()))
    typed = [t for t in dict.fromkeys(_SHORT_NAME.findall(question.text))
             if (t.isupper() or len(t) <= 5) and t.lower() not in fields
             and not is_stop_word(t.lower())]
    if not typed:
        return ()
    passages = service.passages_of(topics or service.topic_names())
    for term in typed:  # the first term the articles spell out, in the student's order
        found = spelled_out(passages, (term,), 8, word=r"[\w'’&-]", plural=True)
        if found:
            return found
    return ()


SECTION_SENTENCES = 2


def _section_answer(service: KnowledgeService, question: Question, topics: tuple[str, ...]
                    ) -> tuple[Citation, ...]:
    """"pilot ki salary kitni?" under an article's "## Salary": a section whose heading names
    what is asked answers it with its first sentences, though none of them says "salary"."""
    asked = [a for a in dict.fromkeys(question.aspects) if len(a) > 3]
    if not asked:
        return ()
    passages = [c for c in service.passages_of(topics) if c.section != c.source_title]
    best: tuple[float, str, str] | None = None
    for section, path in dict.fromkeys((c.section, c.source_path) for c in passages):
        score = overlap(asked, section)
        if score > 0 and (best is None or score > best[0]):
            best = (score, section, path)
    if best is None:
        return ()
    _, section, path = best
    return tuple(c for c in passages if c.section == section and c.source_path == path
                 and not is_question(c))[:SECTION_SENTENCES]


def _without(parts: tuple, cited: set[Citation]) -> tuple:
    """The parts without the sentences that now lead the reply (a part left empty goes)."""
    out = []
    for part in parts:
        if isinstance(part, Facts) and set(part.quotes) & cited:
            kept = [(q, c) for q, c in zip(part.quotes, part.clauses or ("",) * len(part.quotes),
                                           strict=False) if q not in cited]
            if not kept and not part.values:
                continue
            part = Facts(part.topic, part.label, part.values, tuple(q for q, _ in kept),
                         tuple(c for _, c in kept) if part.clauses else ())
        out.append(part)
    return tuple(out)


# An article's own question ("Can I study forensic science after 12th commerce or arts?")
# is the student's when it holds this share of the student's words, and the student's
# message half of its own.
SAME_QUESTION = 0.6
THEIR_WORDS = 0.5


def _article_answer(service: KnowledgeService, question: Question, topics: tuple[str, ...]
                    ) -> tuple[Citation, ...]:
    """The answer an article gives to its own question (a Q&A page, an FAQ) when that question
    is the student's: the paragraph after it."""
    mine = service.content_terms(question.text)
    if len(mine) < ANSWERING_WORDS:
        return ()
    asked = Words(mine)
    passages = service.passages_of(topics)
    best: tuple[float, int] | None = None
    for index, citation in enumerate(passages):
        if not is_question(citation):
            continue
        theirs = service.content_terms(citation.sentence)
        if len(theirs) < ANSWERING_WORDS:
            continue
        ours, their = overlap(mine, citation.sentence), overlap(theirs, asked)
        if ours >= SAME_QUESTION and their >= THEIR_WORDS and (
                best is None or ours + their > best[0]):
            best = (ours + their, index)
    if best is None:
        return ()
    return answer_to(passages, best[1])


def background_dict(background) -> dict:
    return {"degree": background.degree, "branch": background.branch, "mode": background.mode,
            "interests": list(background.interests), "options": list(background.options)}


def _topics(service: KnowledgeService, question: Question, conversation: Conversation
            ) -> tuple[str, ...]:
    """The fields asked about: named, else the conversation's, else the only pair there is."""
    if question.topics:
        return question.topics
    if conversation.topics:
        return conversation.topics
    pairs = service.pairs()
    if len(pairs) == 1 and set(service.topic_names()) <= set(pairs[0]):
        return pairs[0]  # the only fields there are (no single-field guide beside them)
    return _topics_by_search(service, question)


def _topics_by_search(service: KnowledgeService, question: Question) -> tuple[str, ...]:
    """No field named, several articles: the fields of the article whose sentences match the
    question's own words best ("what is the eligibility for BHM?": hotel management)."""
    keys = {t.key for t in question.things}
    if keys:  # "can IIST students join ISRO?": the fields whose articles list what is named
        from bot.answering.lexicon import THING_ATTRIBUTES

        attributes = [a for group in THING_ATTRIBUTES.values() for a in group]
        owners = list(dict.fromkeys(topic for _, _, key, topic in service.values(attributes)
                                    if key in keys))
        if owners:
            partners = [p for p in service.counterparts(owners[0]) if p not in owners]
            return tuple((owners + partners)[:2])
    own = list(dict.fromkeys([*question.aspects, *question.phrases]))
    hits = []
    for terms in (own, [*own, *(t.value for t in question.things)]):
        hits = [h for h in service.search(terms, limit=1) if h.score >= 0.5] if terms else []
        if hits:
            break
    if not hits:
        return _topics_by_article(service, question)
    citation = hits[0].citation
    found = [name for name in service.topic_names()
             if any(i.citation.passage_id == citation.passage_id for i in service.facts(name))]
    return tuple(found[:2] or service.fields_of_passage(citation.passage_id)[:2])


# An article holds the question when it uses this share of the question's words, the most
# of any article (and at least two of them).
ARTICLE_WORDS_SHARE = 0.6


def _topics_by_article(service: KnowledgeService, question: Question) -> tuple[str, ...]:
    """"after finishing law degree which exam is needed to start practising in court?": no
    sentence holds half its words, but one article holds most of them: that article's fields."""
    terms = [a for a in dict.fromkeys(question.aspects) if len(a) > 2]
    if len(terms) < ANSWERING_WORDS:
        return ()
    by_article: dict[str, list[Citation]] = {}
    for citation in service.passages_of(service.topic_names()):
        by_article.setdefault(citation.source_path, []).append(citation)
    scored = sorted(((overlap(terms, Words(" ".join(c.sentence for c in cs))), path)
                     for path, cs in by_article.items()), reverse=True)
    if not scored or scored[0][0] < ARTICLE_WORDS_SHARE or scored[0][0] * len(terms) < 2 or (
            len(scored) > 1 and scored[1][0] == scored[0][0]):
        return ()
    first = by_article[scored[0][1]][0]
    return service.fields_of_passage(first.passage_id)[:2]


def _notes(service: KnowledgeService, question: Question, topics: tuple[str, ...]
           ) -> tuple[Say, ...]:
    """Said once, before the answer: that the answer is in English, what the sources do not
    cover among the things asked."""
    notes: list[Say] = []
    if question.foreign:
        notes.append(Say.of("answers_in_english"))
    if question.kind in ("advice",):
        return tuple(notes)
    for concept, phrase in silent_phrases(service, question, topics):
        notes.append(silent_note(concept, phrase))
    return tuple(notes)
