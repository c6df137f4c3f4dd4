"""Differences and similarities between two fields, dimension by dimension: as many points as
asked (or all the sources support, saying so), as a list or a table, on the rows asked for."""

from __future__ import annotations

from bot.answering.evidence import is_question
from bot.answering.question import Conversation, Question
from bot.answering.relevance import Words, overlap
from bot.answering.reply import Facts, Memory, Points, Reply, Say, Table
from bot.answering.vocabulary import has_marker
from bot.kb.answers import Citation, Comparison, Contrast, Side
from bot.kb.service import KnowledgeService
from bot.text.words import words

# A value longer than this many words is a statement: one per side is shown.
STATEMENT_WORDS = 8


def pair_of(service: KnowledgeService, topics: tuple[str, ...]) -> tuple[str, str] | None:
    if len(topics) >= 2:
        return topics[0], topics[1]
    if len(topics) == 1:
        other = service.counterpart(topics[0])
        return (topics[0], other) if other else None
    pairs = service.pairs()
    return pairs[0] if len(pairs) == 1 else None


def _memory(question: Question, pair, count, table) -> Memory:
    return Memory(kind=question.kind, topics=tuple(pair), count=count, table=table)


def _side_values(side: Side) -> tuple[str, ...]:
    """A list's values, or (for statements) the first two, e.g. the prose and the table row."""
    values = side.values
    if values and len(values[0].split()) > STATEMENT_WORDS:
        return values[:2]
    return values


def _citations(contrasts: tuple[Contrast, ...]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(i.citation for c in contrasts for s in (c.left, c.right)
                               for i in s.items))


def differences(service: KnowledgeService, question: Question, topics: tuple[str, ...],
                conversation: Conversation) -> Reply:
    pair = pair_of(service, topics)
    if pair is None:
        return Reply("utter_ask_which_topic", memory=Memory(kind=question.kind,
                                                            count=question.count))
    comparison = service.compare(*pair)
    contrasts = _chosen(service, comparison, question.rows)
    wanted = question.count if question.count and question.count > 0 else len(contrasts)
    shown = contrasts[:wanted]
    parts: list = []
    left, right = pair
    if question.count and question.count > len(contrasts):
        parts.append(Say.of("differences_fewer", wanted=question.count,
                            available=len(contrasts), left=left, right=right))
    else:
        parts.append(Say.of("differences_intro", shown=len(shown), left=left, right=right))
    if question.table:
        header = ("", left, right)
        rows = tuple((c.label, *(", ".join(_side_values(s)) for s in (c.left, c.right)))
                     for c in shown)
        parts.append(Table(header, rows))
    else:
        parts.append(Points(tuple(
            Say.of("contrast", label=c.label,
                   sides=((c.left.topic, _side_values(c.left)),
                          (c.right.topic, _side_values(c.right))))
            for c in shown)))
    named = [c for c in shown if question.rows and c.dimension in {
        service.rules.attribute(a).dimension for a in question.rows}]
    quotes = tuple(dict.fromkeys(i.citation for c in named for s in (c.left, c.right)
                                 for i in s.items))
    if quotes:
        parts.append(Facts("", service.label("statement"), (), quotes[:4]))
    focused = _focused(service, question, pair)
    if focused:
        parts.insert(0, Facts("", "", (), focused))
    return Reply("utter_answer", tuple(parts), _citations(tuple(shown)) + focused,
                 memory=_memory(question, pair, question.count, question.table))


def _focused(service: KnowledgeService, question: Question, pair) -> tuple[Citation, ...]:
    """"How is quality control different in PM and OM?": the sentences about the thing the
    comparison is asked on, first."""
    terms = [a for a in question.aspects if len(a) > 3]
    if not terms or question.count:
        return ()
    hits = service.search(terms, limit=3, topics=pair)
    return tuple(h.citation for h in hits if h.score >= 0.99)[:2]


def _chosen(service: KnowledgeService, comparison: Comparison, rows: tuple[str, ...]
            ) -> tuple[Contrast, ...]:
    """The rows the question names first (even where both sides agree); with two or more
    named, only those; with one ("how do they differ in what they cover?"), then the rest."""
    if not rows:
        return comparison.differences
    dimensions = [service.rules.attribute(a).dimension for a in rows]
    every = {c.dimension: c for c in (*comparison.differences, *comparison.similarities)}
    chosen = [every[d] for d in dict.fromkeys(dimensions) if d in every]
    if len(chosen) >= 2:
        return tuple(chosen)
    return tuple(chosen) + tuple(c for c in comparison.differences if c not in chosen)


def similarities(service: KnowledgeService, question: Question, topics: tuple[str, ...],
                 conversation: Conversation) -> Reply:
    pair = pair_of(service, topics)
    if pair is None:
        return Reply("utter_ask_which_topic", memory=Memory(kind=question.kind))
    comparison = service.compare(*pair)
    left, right = pair
    parts: list = [Say.of("similarities_intro", left=left, right=right,
                          differences=len(comparison.differences))]
    shared = [Facts("", c.label, c.shared) for c in comparison.similarities]
    citations = [i.citation for c in comparison.similarities for s in (c.left, c.right)
                 for i in s.items if i.value in c.shared]
    relation = [i.citation for t in pair for i in service.facts(t)
                if i.attribute in ("relation", "common_ground")]
    stated = [c for c in _shared_sentences(service, question, pair)
              if c not in citations and c not in relation]
    if shared:
        parts.append(Points(tuple(shared), numbered=False))
    elif not stated:
        parts.append(Say.of("nothing_shared"))
    if stated:
        parts.append(Facts("", "", (), stated))
        citations += stated
    if relation:
        parts.append(Facts("", service.label("relation"), (), tuple(dict.fromkeys(relation))))
    return Reply("utter_answer", tuple(parts), tuple(dict.fromkeys(citations + relation)),
                 memory=_memory(question, pair, None, False))


MAX_SHARED_SENTENCES = 3


def _shared_sentences(service: KnowledgeService, question: Question, pair
                      ) -> tuple[Citation, ...]:
    """Sentences that say what the two have in common ("Both are four-year degrees", "soil
    science ... are common to both"): a word of sharing, and both fields named or neither;
    those holding the question's own words first."""
    heads = set(service.rules.article.get("generic_heads", ()))
    names = [{w for w in words(t) if w not in heads} - set(words(pair[1 - i]))
             for i, t in enumerate(pair)]
    found = []
    for position, citation in enumerate(service.passages_of(pair)):
        tokens = tuple(words(citation.sentence))
        if is_question(citation) or not has_marker("shared_statement", tokens):
            continue
        text = Words(tokens)
        named = [bool(n & text.words) for n in names]
        if any(named) and not all(named):
            continue
        found.append((overlap(question.aspects, text), -position, citation))
    found.sort(key=lambda row: row[:2], reverse=True)
    return tuple(c for _, _, c in found[:MAX_SHARED_SENTENCES])
