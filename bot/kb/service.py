"""Answers for the bot: topics, attribute facts, comparisons and passage search, with citations.

Everything returned is a frozen dataclass from ``bot.kb.answers``; sessions never leak out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sqlalchemy.orm import sessionmaker

from bot.config import Settings, load_settings
from bot.ingest.rules import AttributeSpec, Rules, load_rules
from bot.ingest.titles import TitleParser
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
from bot.kb.text import STEM, content_words, same_word, words


def _citation(passage: Passage) -> Citation:
    return Citation(
        source_title=passage.source.title,
        source_path=passage.source.path,
        section=passage.section,
        sentence=passage.text,
        start=passage.start,
        end=passage.end,
    )


def _item(fact: Fact) -> FactItem:
    return FactItem(value=fact.value, key=fact.key, citation=_citation(fact.passage))


class KnowledgeService:
    def __init__(self, session_factory: sessionmaker, rules: Rules | None = None) -> None:
        self._sessions = session_factory
        self._rules = rules
        self._titles: TitleParser | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeService:
        return cls(make_session_factory(make_engine(settings.database_url)))

    @property
    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = load_rules()
        return self._rules

    @property
    def attribute_specs(self) -> tuple[AttributeSpec, ...]:
        return self.rules.attributes

    # --- topics -----------------------------------------------------------------------------

    def topics(self) -> tuple[TopicInfo, ...]:
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            pairs = {}
            for source in repo.sources():
                names = repo.topics_of_source(source.id)
                for name in names:
                    others = [n for n in names if n != name]
                    pairs.setdefault(name, others[0] if others else None)
            return tuple(
                TopicInfo(
                    name=topic.name,
                    aliases=tuple(dict.fromkeys(a.alias for a in topic.aliases)),
                    counterpart=pairs.get(topic.name),
                )
                for topic in repo.topics()
            )

    def _alias_table(self) -> list[tuple[str, str, int]]:
        """(surface, topic, priority): names first, curated and article aliases, initials last."""
        with self._sessions() as session:
            rows = []
            for topic in KnowledgeRepository(session).topics():
                rows.append((topic.name, topic.name, 0))
                for alias in topic.aliases:
                    rows.append((alias.alias.lower(), topic.name, 2 if alias.note == "initials"
                                 else 1))
            return rows

    def resolve_topic(self, text: str | None, context: str | None = None) -> str | None:
        """The canonical topic for a user's wording ("OM", "ops management", "managment")."""
        if not text:
            return None
        wanted = " ".join(text.lower().replace("&", "and").split()).strip(" ?.!,")
        table = self._alias_table()
        heads = self.rules.article["generic_heads"]
        short = self.rules.article.get("word_abbreviations", {})
        generic = set(heads) | {w for w, full in short.items() if full in heads}
        # Students' short forms word by word: "prod mgmt" -> "production management".
        expanded = " ".join(short.get(w, w) for w in wanted.split())
        # "operations" alone (as in "production and operations management") means the field.
        wordings = list(dict.fromkeys(
            [wanted, expanded] + [f"{w} {head}" for w in (wanted, expanded) for head in heads]))
        candidates = []
        for wording in wordings:
            candidates = [(prio, topic) for surface, topic, prio in table if surface == wording]
            if candidates:
                break
        if not candidates and set(wanted.split()) - generic:
            # Typos, also in a field word given alone ("opertion" -> "operation management").
            surfaces = [s for s, _, _ in table]
            for wording in wordings:
                close = difflib.get_close_matches(wording, surfaces, n=3, cutoff=0.82)
                candidates = [(prio, topic) for surface, topic, prio in table if surface in close]
                if candidates:
                    break
        if not candidates:
            return None
        if context:
            partner = {t.name: t.counterpart for t in self.topics()}.get(context)
            for _, topic in candidates:
                if topic == partner or topic == context:
                    return topic
        return min(candidates)[1]

    def named_subjects(self, question: str) -> tuple[str, ...]:
        """The subjects a question compares by name ("difference between mitosis and meiosis"
        -> mitosis, meiosis), read with the same rules as article titles."""
        if self._titles is None:
            import spacy  # a blank tokenizer; no model is loaded

            self._titles = TitleParser(spacy.blank("en"), self.rules.article)
        return tuple(self._titles.subjects(question))

    def counterpart(self, topic: str) -> str | None:
        return {t.name: t.counterpart for t in self.topics()}.get(topic)

    # --- facts ------------------------------------------------------------------------------

    def attribute(self, topic: str, attribute: str) -> AttributeAnswer:
        spec = self.rules.attribute(attribute)
        with self._sessions() as session:
            facts = KnowledgeRepository(session).facts(topic, [attribute])
            return AttributeAnswer(topic, attribute, spec.label, tuple(_item(f) for f in facts))

    def attributes(self, topic: str, names: Iterable[str]) -> tuple[AttributeAnswer, ...]:
        return tuple(self.attribute(topic, name) for name in names)

    def find_value(
        self, wording: str, attributes: Iterable[str], topic: str | None = None
    ) -> tuple[tuple[str, FactItem], ...]:
        """Facts whose value mentions ``wording`` ("telecom" -> Telecom sector), by topic."""
        wanted = " ".join(wording.lower().split())
        synonyms = self.rules.article["value_synonyms"]
        wanted_key = synonyms.get(wanted, wanted).lower()
        with self._sessions() as session:
            facts = KnowledgeRepository(session).facts(topic, list(attributes))
            wanted_words = words(wanted_key)
            found = []
            for fact in facts:
                key_words = words(fact.key)
                if wanted_key == fact.key or all(
                        any(same_word(w, k) for k in key_words) for w in wanted_words):
                    found.append((fact.topic.name, _item(fact)))
            return tuple(found)

    def covers(self, aspect: str) -> bool:
        """Whether the knowledge base has an attribute for an aspect of a career a student asks
        about ("salary", "entrance exams"): one of the aspect's content words is a word of an
        attribute's name or label. Facts are only ever stored under those attributes."""
        aspect_words = content_words(aspect)
        for spec in self.attribute_specs:
            spec_words = words(spec.label) + words(spec.name.replace("_", " "))
            if any(same_word(a, w) for a in aspect_words for w in spec_words):
                return True
        return False

    def compare(self, left: str, right: str) -> Comparison:
        """Dimension by dimension: what differs (two-sided first) and what both share."""
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            left_facts = repo.facts(left)
            right_facts = repo.facts(right)
        differences: list[Contrast] = []
        similarities: list[Contrast] = []
        for dimension, label, attributes in self._dimensions():
            lside = Side(left, tuple(_item(f) for f in left_facts if f.attribute in attributes))
            rside = Side(right, tuple(_item(f) for f in right_facts if f.attribute in attributes))
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

    def _dimensions(self) -> list[tuple[str, str, set[str]]]:
        dims: dict[str, tuple[str, set[str]]] = {}
        for spec in self.rules.attributes:
            label, names = dims.setdefault(spec.dimension, (spec.label, set()))
            names.add(spec.name)
        labels = self.rules.article.get("dimension_labels", {})
        return [(d, labels.get(d, label), names) for d, (label, names) in dims.items()]

    # --- passages ---------------------------------------------------------------------------

    def content_terms(self, question: str) -> list[str]:
        """The question's content words: no stop words, no topic names (those are context)."""
        topic_words = frozenset(w for surface, _, _ in self._alias_table() for w in words(surface))
        return content_words(question, exclude=topic_words)

    def search(self, question: str, limit: int = 3) -> tuple[PassageHit, ...]:
        """Passages by the database's full-text index, scored by how many of the question's
        content words they contain (0..1), best first."""
        terms = self.content_terms(question)
        if not terms:
            return ()
        with self._sessions() as session:
            repo = KnowledgeRepository(session)
            ranked = repo.search_passages(terms, limit=max(limit * 4, 12))
            passages = {p.id: p for p in repo.passages(pid for pid, _ in ranked)}
            hits = []
            for pid, rank in ranked:
                passage = passages[pid]
                passage_words = words(passage.text)
                covered = sum(
                    1 for t in terms if any(w.startswith(t[:STEM]) for w in passage_words))
                hits.append((covered / len(terms), rank, _citation(passage)))
            hits.sort(key=lambda h: (h[0], h[1]), reverse=True)
            return tuple(PassageHit(c, round(score, 3)) for score, _, c in hits[:limit])


_default: KnowledgeService | None = None


def default_service() -> KnowledgeService:
    """The process-wide service over the configured database, created on first use."""
    global _default
    if _default is None:
        _default = KnowledgeService.from_settings(load_settings())
    return _default
