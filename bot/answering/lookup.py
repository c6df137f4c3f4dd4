"""A question of no particular kind ("who does PM employ besides factories?", "is inventory
management part of PM?"): the sentences whose words match it best, quoted and cited, found
by the database's full-text index and ranked by the question's own words."""

from __future__ import annotations

from bot.answering.question import Conversation, Question
from bot.answering.relevance import overlap
from bot.answering.reply import Facts, Memory, Reply, Say
from bot.config import load_settings
from bot.kb.service import KnowledgeService

# A sentence must hold this share of the question's words to be quoted as the answer; the
# default is calibrated in docs/nlu.md (MIN_SEARCH_SCORE).
DIRECT = 0.75
MAX_QUOTES = 3


def look_up(service: KnowledgeService, question: Question, topics: tuple[str, ...],
            conversation: Conversation, unclear: bool = False) -> Reply:
    terms = list(question.aspects) + [t.value for t in question.things]
    if not terms:
        if topics and not unclear:
            from bot.answering.facts_reply import define

            return define(service, question, topics, conversation)
        return _rephrase(conversation)
    hits = service.search(terms, limit=8, topics=topics or None)
    threshold = load_settings().min_search_score
    scored = sorted(((overlap(terms, h.citation.sentence), h) for h in hits),
                    key=lambda pair: -pair[0])
    best = [h for score, h in scored if score >= threshold][:MAX_QUOTES]
    if not best:
        if topics and not unclear:
            from bot.answering.facts_reply import define

            reply = define(service, question, topics, conversation)
            return Reply(reply.response, (Say.of("no_direct_answer"),) + reply.parts,
                         reply.citations, unanswered="no direct answer", memory=reply.memory)
        return _rephrase(conversation)
    top = scored[0][0]
    lead: tuple = () if top >= DIRECT and not unclear else (Say.of("closest"),)
    if question.polar and topics:
        from bot.answering.facts_reply import _aspects_listed

        listed = _aspects_listed(service, question, topics)
        lead = listed.parts + lead
    quotes = tuple(h.citation for h in best)
    return Reply("utter_answer", lead + (Facts("", "", (), quotes),), quotes,
                 unanswered=None if top >= DIRECT else "no direct answer",
                 memory=Memory(kind="lookup", topics=topics))


def _rephrase(conversation: Conversation) -> Reply:
    response = "utter_offer_topics" if conversation.kind == "unclear" else "utter_ask_rephrase"
    return Reply(response, unanswered="low confidence", memory=Memory(kind="unclear"))
