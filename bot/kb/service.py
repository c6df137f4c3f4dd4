"""Answers for the bot: topics, facts, comparisons and passage search, with citations.

Everything returned is a frozen dataclass from ``bot.kb.answers``; sessions never leak out.
What does not change between builds (topics, aliases, a topic's facts) is read once per build
and kept in memory; a rebuild is noticed on the next question (the SQLite file was swapped, or
the build id in ``kb_meta`` changed), so a running bot answers from a new article within a
second or two of ``python -m bot.kb build``, without a restart.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import sessionmaker

from bot.config import Settings, load_settings
from bot.ingest.rules import AttributeSpec, Rules, load_rules
from bot.kb.answers import (
    AttributeAnswer,
    Citation,
    Comparison,
    Contrast,
    FactItem,
    PassageHit,
    Side,
    TopicInfo,
)
from bot.kb.db import make_engine, make_session_factory
from bot.kb.models import Fact, Passage
from bot.kb.repository import KnowledgeRepository
from bot.text.words import STEM, content_words, same_word, words

T = TypeVar("T")

# How often a non-SQLite knowledge base is asked whether it was rebuilt (seconds).
BUILD_CHECK_INTERVAL = 1.0
FACT_CACHE_TOPICS = 512


def citation_of(passage: Passage) -> Citation:
    return Citation(
        source_title=passage.source.title,
        source_path=passage.source.path,
        section=passage.section,
        sentence=passage.text,
        start=passage.start,
        end=passage.end,
        passage_id=passage.id,
        block=passage.block or 0,
        kind=passage.kind or "sentence",
    )


def _item(fact: Fact) -> FactItem:
    return FactItem(value=fact.value, key=fact.key, citation=citation_of(fact.passage),
                    topic=fact.topic.name, attribute=fact.attribute)


class KnowledgeService:
    def __init__(self, session_factory: sessionmaker, rules: Rules | None = None,
                 sqlite_path: Path | None = None,
                 check_interval: float = BUILD_CHECK_INTERVAL) -> None:
        self._sessions = session_factory
        self._rules = rules
        self._sqlite_path = sqlite_path
        self._check_interval = check_interval
        self._lock = threading.Lock()
        self._build: object = None
        self._checked = 0.0
        self._topics: tuple[TopicInfo, ...] | None = None
        self._facts: OrderedDict[str, tuple[FactItem, ...]] = OrderedDict()
        self._blocks: dict[tuple[int, int], tuple[Citation, ...]] = {}
        self._values: dict[tuple[str, ...], tuple] = {}
        self._by_name: dict[str, TopicInfo] = {}
        self._memo: dict[str, object] = {}
        self._titles = None

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeService:
        return cls(make_session_factory(make_engine(settings.database_url)),
                   sqlite_path=settings.sqlite_path)

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    @property
    def attribute_specs(self) -> tuple[AttributeSpec, ...]:
        return self.rules.attributes

    # --- the build the caches belong to ------------------------------------------------------

    def build_id(self) -> object:
        """Identifies the knowledge base as built; changes after every rebuild."""
        self._refresh()
        return self._build

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._sqlite_path is not None:
            try:
                stat = os.stat(self._sqlite_path)
                current: object = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            except OSError:
                current = None
        elif self._build is not None and now - self._checked < self._check_interval:
            return
        else:
            with self._sessions() as session:
                current = KnowledgeRepository(session).meta("build_id")
        self._checked = now
        if current != self._build:
            with self._lock:
                self._build = current
                self._topics = None
                self._by_name = {}
                self._memo.clear()
                self._facts.clear()
                self._blocks.clear()
                self._values.clear()

    # --- topics -----------------------------------------------------------------------------

    def topics(self) -> tuple[TopicInfo, ...]:
        self._refresh()
        topics = self._topics
        if topics is None:
            topics = self._load_topics()
            self._by_name = {t.name: t for t in topics}
            self._topics = topics
        return topics

    def topic(self, name: str) -> TopicInfo | None:
        self.topics()
        return self._by_name.get(name)

    def per_build(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, once per build of the knowledge base (derived views of it)."""
        self._refresh()
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def _load_topics(self) -> tuple[TopicInfo, ...]:
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            partners: dict[str, list[str]] = {}
            for source in repo.sources():
                names = repo.topics_of_source(source.id)
                for name in names:
                    partners.setdefault(name, [])
                    partners[name] += [n for n in names if n != name and n not in partners[name]]
            infos = []
            for topic in repo.topics():
                pairs = list(dict.fromkeys((a.alias, a.note or "") for a in topic.aliases))
                others = tuple(partners.get(topic.name, ()))
                infos.append(TopicInfo(
                    name=topic.name,
                    aliases=tuple(a for a, _ in pairs),
                    counterpart=others[0] if others else None,
                    counterparts=others,
                    notes=tuple(n for _, n in pairs),
                ))
            return tuple(infos)

    def fields_of_passage(self, passage_id: int) -> tuple[str, ...]:
        """The fields of the article a passage belongs to, in the order it names them."""
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            source_id = repo.source_of_passage(passage_id)
            return () if source_id is None else tuple(repo.topics_of_source(source_id))

    def topic_names(self) -> tuple[str, ...]:
        return self.per_build("topic_names", lambda: tuple(t.name for t in self.topics()))

    def counterpart(self, topic: str) -> str | None:
        info = self.topic(topic)
        return info.counterpart if info else None

    def counterparts(self, topic: str) -> tuple[str, ...]:
        info = self.topic(topic)
        return info.counterparts if info else ()

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The pairs of fields the articles compare, in the order they were first stored."""
        pairs: list[tuple[str, str]] = []
        for info in self.topics():
            for other in info.counterparts:
                if (other, info.name) not in pairs and (info.name, other) not in pairs:
                    pairs.append((info.name, other))
        return tuple(pairs)

    def resolve_topic(self, text: str | None, context: str | None = None) -> str | None:
        """The one topic a wording names ("OM", "ops management", "operations"); None when it
        names none, or several and the context does not say which."""
        candidates = self.topic_candidates(text)
        if len(candidates) == 1:
            return candidates[0]
        if context and candidates:
            related = {context, *self.counterparts(context)}
            chosen = [c for c in candidates if c in related]
            if len(chosen) == 1:
                return chosen[0]
        return None

    def topic_candidates(self, text: str | None) -> tuple[str, ...]:
        """Every topic a wording may name: its name, an alias, the name without its generic
        head ("operations"), students' short forms ("prod mgmt"), or a close misspelling."""
        from bot.kb.naming import candidates

        return candidates(text, self.topics(), self.rules.article)

    def named_subjects(self, question: str) -> tuple[str, ...]:
        """The subjects a question compares by name ("difference between mitosis and meiosis"
        -> mitosis, meiosis), read with the same rules as article titles."""
        if self._titles is None:
            from bot.ingest.titles import TitleParser

            self._titles = TitleParser(self.rules.article)
        return tuple(self._titles.subjects(question))

    # --- facts ------------------------------------------------------------------------------

    def facts(self, topic: str) -> tuple[FactItem, ...]:
        """Every fact about ``topic``, in reading order (cached per build)."""
        self._refresh()
        with self._lock:
            cached = self._facts.get(topic)
            if cached is not None:
                self._facts.move_to_end(topic)
                return cached
        with self._sessions() as session:
            items = tuple(_item(f) for f in KnowledgeRepository(session).facts(topic))
        with self._lock:
            self._facts[topic] = items
            while len(self._facts) > FACT_CACHE_TOPICS:
                self._facts.popitem(last=False)
        return items

    def values(self, attributes: Iterable[str]) -> tuple[tuple[str, str, str, str], ...]:
        """(attribute, value, key, topic) of every fact under ``attributes`` (cached per build):
        the sectors, exams and degrees the articles name, for recognising them in questions."""
        self._refresh()
        wanted = tuple(sorted(set(attributes)))
        cached = self._values.get(wanted)
        if cached is None:
            with self._sessions() as session:
                cached = tuple(KnowledgeRepository(session).distinct_values(list(wanted)))
            self._values[wanted] = cached
        return cached

    def attribute(self, topic: str, attribute: str) -> AttributeAnswer:
        spec = self.rules.attribute(attribute)
        items = tuple(i for i in self.facts(topic) if i.attribute == attribute)
        return AttributeAnswer(topic, attribute, spec.label, items)

    def attributes(self, topic: str, names: Iterable[str]) -> tuple[AttributeAnswer, ...]:
        return tuple(self.attribute(topic, name) for name in names)

    def label(self, attribute: str) -> str:
        return self.rules.attribute(attribute).label

    def find_value(
        self, wording: str, attributes: Iterable[str] | None, topic: str | None = None
    ) -> tuple[tuple[str, FactItem], ...]:
        """Facts whose value names ``wording`` ("telecom" -> Telecom sector), by topic."""
        wanted = " ".join(wording.lower().split())
        synonyms = self.rules.article["value_synonyms"]
        wanted_key = synonyms.get(wanted, wanted).lower()
        wanted_words = words(wanted_key)
        names = set(attributes) if attributes is not None else None
        found = []
        for name in ([topic] if topic else self.topic_names()):
            for item in self.facts(name):
                if names is not None and item.attribute not in names:
                    continue
                key_words = words(item.key)
                if wanted_key == item.key or wanted_words and all(
                        any(same_word(w, k) for k in key_words) for w in wanted_words):
                    found.append((name, item))
        return tuple(found)

    def following(self, citation: Citation) -> tuple[Citation, ...]:
        """The sentences after ``citation`` in its paragraph (a definition's continuation)."""
        key = (citation.passage_id, citation.block)
        cached = self._blocks.get(key)
        if cached is None:
            with self._sessions() as session:
                passages = KnowledgeRepository(session).block_passages(citation.passage_id)
                cached = tuple(citation_of(p) for p in passages if p.id > citation.passage_id)
            self._blocks[key] = cached
        return cached

    def compare(self, left: str, right: str) -> Comparison:
        """Dimension by dimension: what differs (two-sided first) and what both share."""
        left_facts, right_facts = self.facts(left), self.facts(right)
        differences: list[Contrast] = []
        similarities: list[Contrast] = []
        for dimension, label, attributes in self._dimensions(left_facts + right_facts):
            lside = Side(left, tuple(i for i in left_facts if i.attribute in attributes))
            rside = Side(right, tuple(i for i in right_facts if i.attribute in attributes))
            if lside.is_silent and rside.is_silent:
                continue
            lkeys = {i.key for i in lside.items}
            rkeys = {i.key for i in rside.items}
            shared = tuple(dict.fromkeys(i.value for i in lside.items if i.key in rkeys))
            contrast = Contrast(dimension, label, lside, rside, shared)
            if lkeys != rkeys:
                differences.append(contrast)
            if shared:
                similarities.append(contrast)
        differences.sort(key=lambda c: c.one_sided)
        return Comparison(left, right, tuple(differences), tuple(similarities))

    def _dimensions(self, items: tuple[FactItem, ...]) -> list[tuple[str, str, set[str]]]:
        """The comparison's rows: the rules' dimensions, then the articles' own ("Time frame"),
        never the catch-all "statement"."""
        dims: dict[str, tuple[str, set[str]]] = {}
        for spec in self.rules.attributes:
            if spec.name == "statement":
                continue
            label, names = dims.setdefault(spec.dimension, (spec.label, set()))
            names.add(spec.name)
        for item in items:
            if item.attribute not in {n for _, ns in dims.values() for n in ns} and (
                    item.attribute != "statement"):
                spec = self.rules.attribute(item.attribute)
                dims.setdefault(spec.dimension, (spec.label, {spec.name}))
        labels = self.rules.article.get("dimension_labels", {})
        return [(d, labels.get(d, label), names) for d, (label, names) in dims.items()]

    # --- passages ---------------------------------------------------------------------------

    def content_terms(self, question: str) -> list[str]:
        """The question's content words: no stop words, no topic names (those are context)."""
        topic_words = frozenset(
            w for info in self.topics() for surface in (info.name, *info.aliases)
            for w in words(surface))
        return content_words(question, exclude=topic_words)

    def search(self, question: str | Iterable[str], limit: int = 3,
               topics: Iterable[str] | None = None) -> tuple[PassageHit, ...]:
        """Passages by the database's full-text index, scored by how many of the question's
        content words they contain (0..1), best first; optionally only from the articles about
        ``topics``."""
        terms = self.content_terms(question) if isinstance(question, str) else list(question)
        if not terms:
            return ()
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            sources = repo.source_ids_of_topics(list(topics)) if topics else None
            ranked = repo.search_passages(terms, limit=max(limit * 4, 12), sources=sources)
            passages = {p.id: p for p in repo.passages(pid for pid, _ in ranked)}
            hits = []
            for pid, rank in ranked:
                passage = passages[pid]
                if passage.text.rstrip("*_ ").endswith("?"):
                    continue  # an article's own question answers nothing
                passage_words = words(passage.text)
                covered = sum(
                    1 for t in terms if any(w.startswith(t[:STEM]) for w in passage_words))
                hits.append((covered / len(terms), rank, citation_of(passage)))
            hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
            return tuple(PassageHit(c, round(score, 3)) for score, _, c in hits[:limit])

    def vocabulary(self) -> frozenset[str]:
        """Every word the articles use (cached per build): what a message must share with
        them to be about them at all."""
        self._refresh()
        cached = self._values.get(("__words__",))
        if cached is None:
            with self._sessions() as session:
                found: set[str] = set()
                heads = tuple(self.rules.article["generic_heads"])
                for text_ in KnowledgeRepository(session).passage_texts():
                    tokens = words(text_)
                    found.update(tokens)
                    found.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)
                                 if b in heads)
            cached = frozenset(found)
            self._values[("__words__",)] = cached
        return cached

    def passages_of(self, topics: Iterable[str]) -> tuple[Citation, ...]:
        """Every sentence of the articles about ``topics`` (for the words they use; cached per
        build)."""
        self._refresh()
        key = ("__passages__", *sorted(set(topics)))
        cached = self._values.get(key)
        if cached is None:
            with self._sessions() as session:
                repo = KnowledgeRepository(session)
                ids = repo.source_ids_of_topics(list(key[1:]))
                cached = tuple(citation_of(p) for p in repo.passages_of_sources(ids))
            self._values[key] = cached
        return cached


_default: KnowledgeService | None = None


def default_service() -> KnowledgeService:
    """The process-wide service over the configured database, created on first use."""
    global _default
    if _default is None:
        _default = KnowledgeService.from_settings(load_settings())
    return _default

