"""The unanswered-question log: salted sender hashes, grouping, --since, size limits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.kb.db import make_engine, make_session_factory
from bot.questions.log import MAX_TEXT, QuestionLog
from bot.questions.models import LogBase, UnansweredQuestion


@pytest.fixture
def log() -> QuestionLog:
    engine = make_engine("sqlite://")
    LogBase.metadata.create_all(engine)
    return QuestionLog(make_session_factory(engine), salt="pepper")


def test_sender_is_stored_only_as_a_salted_hash(log) -> None:
    log.record("what is the salary", "rest", "alice@example.com", "out_of_scope", 0.9, "x")
    with log._sessions() as session:
        row = session.get(UnansweredQuestion, 1)
    assert "alice" not in row.sender_hash and len(row.sender_hash) == 64
    other = QuestionLog(log._sessions, salt="salt")
    assert other.sender_hash("alice@example.com") != row.sender_hash


def test_report_groups_similar_questions_most_frequent_first(log) -> None:
    for text in ["which college is best for mba", "best college for mba?",
                 "which college is the best for an mba", "salary of operations manager"]:
        log.record(text, "rest", "s", "ask_college", 0.8, "college question")
    groups = log.report()
    assert [g.count for g in groups] == [3, 1]
    assert groups[0].example == "which college is best for mba"
    assert groups[0].intents == ("ask_college",)


def test_report_since_filters_old_questions(log) -> None:
    log.record("old question", "rest", "s", None, None, "x")
    with log._sessions.begin() as session:
        session.get(UnansweredQuestion, 1).asked_at = datetime.now(timezone.utc) - timedelta(
            days=30)
    log.record("new question", "slack", "s", None, None, "x")
    since = datetime.now(timezone.utc) - timedelta(days=1)
    assert [g.example for g in log.report(since=since)] == ["new question"]


def test_huge_text_is_cut_not_rejected(log) -> None:
    log.record("x" * (MAX_TEXT * 5), "rest", "s", None, None, "x")
    assert len(log.report()[0].example) == MAX_TEXT
