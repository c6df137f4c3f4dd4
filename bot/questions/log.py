"""Record unanswered questions and report them grouped by similarity, most frequent first."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.config import Settings
from bot.kb.db import make_engine, make_session_factory
from bot.questions.models import LogBase, UnansweredQuestion
from bot.text.words import content_words

MAX_TEXT = 2000  # a huge message is kept, cut to this many characters


@dataclass(frozen=True)
class QuestionGroup:
    example: str
    others: tuple[str, ...]
    count: int
    intents: tuple[str, ...]
    channels: tuple[str, ...]
    last_asked: datetime


def _words(text: str) -> frozenset[str]:
    """Content words: what two questions must share to count as the same question."""
    return frozenset(content_words(text))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= 0.5


class QuestionLog:
    def __init__(self, session_factory: sessionmaker, salt: str) -> None:
        self._sessions = session_factory
        self._salt = salt

    @classmethod
    def from_settings(cls, settings: Settings) -> QuestionLog:
        url = settings.log_database_url
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(url)
        LogBase.metadata.create_all(engine)
        return cls(make_session_factory(engine), settings.hash_salt or _local_salt(settings))

    def sender_hash(self, sender: str) -> str:
        return hashlib.sha256(f"{self._salt}:{sender}".encode()).hexdigest()

    def record(self, text: str, channel: str, sender: str, intent: str | None,
               confidence: float | None, reason: str) -> None:
        row = UnansweredQuestion(
            text=(text or "")[:MAX_TEXT], channel=channel or "unknown", intent=intent,
            confidence=confidence, reason=reason, sender_hash=self.sender_hash(sender))
        with self._sessions.begin() as session:
            session.add(row)

    def report(self, since: datetime | None = None) -> list[QuestionGroup]:
        query = select(UnansweredQuestion).order_by(UnansweredQuestion.asked_at)
        if since is not None:
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            query = query.where(UnansweredQuestion.asked_at >= since)
        with self._sessions() as session:
            rows = list(session.scalars(query))
        groups: list[list[UnansweredQuestion]] = []
        signatures: list[frozenset[str]] = []
        for row in rows:
            words = _words(row.text)
            for index, signature in enumerate(signatures):
                if _similar(words, signature):
                    groups[index].append(row)
                    break
            else:
                groups.append([row])
                signatures.append(words)
        result = []
        for group in groups:
            texts = list(dict.fromkeys(r.text for r in group))
            result.append(QuestionGroup(
                example=texts[0], others=tuple(texts[1:]), count=len(group),
                intents=tuple(dict.fromkeys(r.intent for r in group if r.intent)),
                channels=tuple(dict.fromkeys(r.channel for r in group)),
                last_asked=max(_aware(r.asked_at) for r in group)))
        result.sort(key=lambda g: (-g.count, g.example))
        return result


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _local_salt(settings: Settings) -> str:
    """A per-installation salt in var/ when BOT_HASH_SALT is not set (never in the repo)."""
    path = settings.var_dir / "hash-salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
