"""SQLAlchemy tables of the knowledge base. Every fact points at the passage it came from."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

SCHEMA_VERSION = "2"  # bump when a table changes: the next build starts from an empty base


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Source(Base):
    __tablename__ = "sources"

    id = Column(Integer, primary_key=True)
    path = Column(String(500), nullable=False, unique=True)
    title = Column(String(500), nullable=False)
    checksum = Column(String(64), nullable=False)
    ingested_at = Column(DateTime(timezone=True), nullable=False, default=_now)

    passages = relationship("Passage", back_populates="source", cascade="all, delete-orphan")
    aliases = relationship("TopicAlias", cascade="all, delete-orphan")


class Passage(Base):
    """One sentence of a source, with its section heading and character offsets."""

    __tablename__ = "passages"

    id = Column(Integer, primary_key=True)
    source_id = Column(ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True)
    section = Column(String(500), nullable=False)
    text = Column(Text, nullable=False)
    start = Column(Integer, nullable=False)
    end = Column(Integer, nullable=False)
    block = Column(Integer, nullable=False, default=0)  # paragraph, list item or table row
    kind = Column(String(20), nullable=False, default="sentence")  # sentence | row

    source = relationship("Source", back_populates="passages")
    facts = relationship("Fact", back_populates="passage", cascade="all, delete-orphan")


class Topic(Base):
    __tablename__ = "topics"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)

    aliases = relationship("TopicAlias", back_populates="topic", cascade="all, delete-orphan",
                           order_by="TopicAlias.id")
    facts = relationship("Fact", back_populates="topic", cascade="all, delete-orphan")


class TopicAlias(Base):
    """Another name for a topic; ``note`` says where the alias comes from when that matters."""

    __tablename__ = "topic_aliases"
    __table_args__ = (UniqueConstraint("topic_id", "alias", "source_id"),)

    id = Column(Integer, primary_key=True)
    topic_id = Column(ForeignKey("topics.id", ondelete="CASCADE"), nullable=False, index=True)
    alias = Column(String(200), nullable=False, index=True)
    note = Column(Text, nullable=True)
    source_id = Column(ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True)

    topic = relationship("Topic", back_populates="aliases")


class Fact(Base):
    """``topic`` has ``attribute`` = ``value``, as stated by ``passage``."""

    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("topic_id", "attribute", "value", "passage_id"),)

    id = Column(Integer, primary_key=True)
    topic_id = Column(ForeignKey("topics.id", ondelete="CASCADE"), nullable=False, index=True)
    attribute = Column(String(100), nullable=False, index=True)
    value = Column(Text, nullable=False)
    key = Column(Text, nullable=False)  # normalised value, for comparison and look-up
    passage_id = Column(ForeignKey("passages.id", ondelete="CASCADE"), nullable=False, index=True)

    topic = relationship("Topic", back_populates="facts")
    passage = relationship("Passage", back_populates="facts")


class Meta(Base):
    """Build bookkeeping, e.g. the fingerprint of the rules the facts were extracted with."""

    __tablename__ = "kb_meta"

    key = Column(String(100), primary_key=True)
    value = Column(Text, nullable=False)
