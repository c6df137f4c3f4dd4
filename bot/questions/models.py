"""Its own tables (own metadata): the knowledge base is rebuilt and swapped; this log is not."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import declarative_base

LogBase = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UnansweredQuestion(LogBase):
    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    channel = Column(String(100), nullable=False)
    intent = Column(String(100), nullable=True)
    confidence = Column(Float, nullable=True)
    reason = Column(String(100), nullable=False)
    sender_hash = Column(String(64), nullable=False)  # salted: no personal data is kept
    asked_at = Column(DateTime(timezone=True), nullable=False, default=_now, index=True)
