"""Queries over the knowledge base (2.0-style ``select()``); the only module that builds SQL."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, joinedload

from bot.kb.models import Fact, Meta, Passage, Source, Topic, TopicAlias

_PLAIN_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; no operators, quotes


class KnowledgeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- writes (ingestion) ----------------------------------------------------------------

    def source_checksums(self) -> dict[str, str]:
        rows = self.session.execute(select(Source.path, Source.checksum))
        return {path: checksum for path, checksum in rows}

    def delete_source(self, path: str) -> None:
        source = self.session.scalars(select(Source).where(Source.path == path)).first()
        if source is not None:
            self.session.delete(source)
            self.session.flush()

    def add_source(self, path: str, title: str, checksum: str) -> Source:
        source = Source(path=path, title=title, checksum=checksum)
        self.session.add(source)
        self.session.flush()
        return source

    def add_passage(self, source: Source, section: str, text_: str, start: int, end: int,
                    block: int = 0, kind: str = "sentence"):
        passage = Passage(source=source, section=section, text=text_, start=start, end=end,
                          block=block, kind=kind)
        self.session.add(passage)
        return passage

    def topic(self, name: str) -> Topic:
        """Get or create."""
        topic = self.session.scalars(select(Topic).where(Topic.name == name)).first()
        if topic is None:
            topic = Topic(name=name)
            self.session.add(topic)
            self.session.flush()
        return topic

    def topic_aliases(self) -> dict[str, list[tuple[str, str]]]:
        """Every topic with its aliases and their notes (to match a new article's fields)."""
        return {topic.name: [(a.alias, a.note or "") for a in topic.aliases]
                for topic in self.topics()}

    def add_alias(self, topic: Topic, alias: str, note: str, source: Source) -> None:
        self.session.add(TopicAlias(topic=topic, alias=alias, note=note, source_id=source.id))

    def add_fact(self, topic: Topic, attribute: str, value: str, key: str, passage) -> None:
        self.session.add(
            Fact(topic=topic, attribute=attribute, value=value, key=key, passage=passage)
        )

    def delete_orphan_topics(self) -> None:
        used = select(Fact.topic_id).union(select(TopicAlias.topic_id))
        orphans = delete(Topic).where(Topic.id.not_in(used))
        self.session.execute(orphans.execution_options(synchronize_session=False))

    def meta(self, key: str) -> str | None:
        row = self.session.get(Meta, key)
        return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.session.merge(Meta(key=key, value=value))

    # --- reads ------------------------------------------------------------------------------

    def sources(self) -> list[Source]:
        return list(self.session.scalars(select(Source).order_by(Source.path)))

    def topics(self) -> list[Topic]:
        query = select(Topic).options(joinedload(Topic.aliases)).order_by(Topic.name)
        return list(self.session.scalars(query).unique())

    def facts(
        self, topic: str | None = None, attributes: Iterable[str] | None = None
    ) -> list[Fact]:
        query = (
            select(Fact)
            .join(Fact.topic)
            .join(Fact.passage)
            .options(joinedload(Fact.topic), joinedload(Fact.passage).joinedload(Passage.source))
            .order_by(Passage.source_id, Passage.start, Fact.id)
        )
        if topic is not None:
            query = query.where(Topic.name == topic)
        if attributes is not None:
            query = query.where(Fact.attribute.in_(list(attributes)))
        return list(self.session.scalars(query).unique())

    def source_of_passage(self, passage_id: int) -> int | None:
        return self.session.scalar(select(Passage.source_id).where(Passage.id == passage_id))

    def topics_of_source(self, source_id: int) -> list[str]:
        query = (
            select(Topic.name)
            .join(Fact, Fact.topic_id == Topic.id)
            .join(Passage, Fact.passage_id == Passage.id)
            .where(Passage.source_id == source_id)
            .group_by(Topic.name)
            .order_by(func.min(Passage.start))
        )
        return list(self.session.scalars(query))

    def passages(self, ids: Iterable[int]) -> list[Passage]:
        query = select(Passage).options(joinedload(Passage.source)).where(Passage.id.in_(list(ids)))
        return list(self.session.scalars(query))

    def counts(self) -> dict[str, int]:
        return {
            model.__tablename__: self.session.scalar(select(func.count()).select_from(model))
            for model in (Source, Passage, Topic, TopicAlias, Fact)
        }

    def distinct_values(self, attributes: list[str]) -> list[tuple[str, str, str, str]]:
        """(attribute, value, key, topic) for every fact under ``attributes``."""
        query = (
            select(Fact.attribute, Fact.value, Fact.key, Topic.name)
            .join(Topic, Fact.topic_id == Topic.id)
            .where(Fact.attribute.in_(attributes))
            .distinct()
        )
        return [tuple(row) for row in self.session.execute(query)]

    def source_ids_of_topics(self, topics: list[str]) -> list[int]:
        """The articles that state anything about ``topics``."""
        query = (
            select(Passage.source_id)
            .join(Fact, Fact.passage_id == Passage.id)
            .join(Topic, Fact.topic_id == Topic.id)
            .where(Topic.name.in_(topics))
            .distinct()
        )
        return sorted(self.session.scalars(query))

    def block_passages(self, passage_id: int) -> list[Passage]:
        """The sentences of the paragraph (or item, row) that ``passage_id`` belongs to."""
        passage = self.session.get(Passage, passage_id)
        if passage is None:
            return []
        query = (
            select(Passage)
            .options(joinedload(Passage.source))
            .where(Passage.source_id == passage.source_id, Passage.block == passage.block)
            .order_by(Passage.start)
        )
        return list(self.session.scalars(query))

    def passage_texts(self):
        """The text of every passage, streamed."""
        yield from self.session.scalars(select(Passage.text).execution_options(yield_per=2000))

    def passages_of_sources(self, source_ids: list[int]) -> list[Passage]:
        query = (
            select(Passage)
            .options(joinedload(Passage.source))
            .where(Passage.source_id.in_(source_ids))
            .order_by(Passage.source_id, Passage.start)
        )
        return list(self.session.scalars(query))

    def search_passages(self, terms: list[str], limit: int,
                        sources: list[int] | None = None) -> list[tuple[int, float]]:
        """Passage ids matching any of ``terms`` by the database's own full-text index,
        optionally only in the articles ``sources``.

        ``terms`` are reduced to plain words (letters and digits), so no query syntax of FTS5
        (NEAR, *, quotes) or tsquery (&, |, !, :) gets through; the query and the source ids
        are bound as parameters, never spliced into SQL. Higher rank is better.
        """
        terms = list(dict.fromkeys(w for term in terms for w in _PLAIN_WORD.findall(term)))
        if not terms or sources == []:
            return []
        dialect = self.session.get_bind().dialect.name
        params: dict = {"limit": limit}
        if dialect == "sqlite":
            where = ""
            if sources is not None:
                where = (" AND rowid IN (SELECT id FROM passages WHERE source_id IN "
                         f"({', '.join(f':s{i}' for i in range(len(sources)))}))")
                params.update({f"s{i}": source for i, source in enumerate(sources)})
            query = text(
                "SELECT rowid, -bm25(passage_fts) AS rank FROM passage_fts "
                f"WHERE passage_fts MATCH :query{where} ORDER BY rank DESC LIMIT :limit"
            )
            params["query"] = " OR ".join(f'"{term}"' for term in terms)
        elif dialect == "postgresql":
            where = ""
            if sources is not None:
                where = " AND source_id = ANY(:sources)"
                params["sources"] = list(sources)
            query = text(
                "SELECT id, ts_rank_cd(tsv, q) AS rank "
                "FROM passages, to_tsquery('english', :query) AS q "
                f"WHERE tsv @@ q{where} ORDER BY rank DESC LIMIT :limit"
            )
            params["query"] = " | ".join(terms)
        else:
            raise NotImplementedError(f"full-text search is not set up for {dialect}")
        rows = self.session.execute(query, params)
        return [(int(row[0]), float(row[1])) for row in rows]
