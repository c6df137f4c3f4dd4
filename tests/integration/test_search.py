"""Passage search by the database's own full-text index: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.kb.db import make_engine
from bot.kb.repository import KnowledgeRepository
from tests.conftest import source_text, table_rows

HOSTILE = [
    "'; DROP TABLE passages;--",
    "\"; DELETE FROM facts; --",
    'NEAR(" OR *',
    "career* OR NEAR(exam institutes, 2) AND NOT {text}: ^x",
    "exam & !career | (mba <-> cat):*",
    '"',
    "'",
    "''''\"\"\"\"",
    "\\x00 \x00 %_ \\",
    "Ünïcödé Managemént — “quotes” ‘single’ naïve façade",
    "職業 経営 管理",
    "🎓📈 career 🚀 exam 😀",
    "exam " * 2000,
    "x" * 10_000,
    "",
    "   ",
]


@pytest.fixture(scope="module")
def engine(kb):
    engine = make_engine(kb.settings.database_url)
    yield engine
    engine.dispose()


def test_the_dialects_full_text_index_exists(kb, engine):
    with engine.connect() as connection:
        if kb.backend == "sqlite":
            sql = connection.scalar(text(
                "SELECT sql FROM sqlite_master WHERE name = 'passage_fts'"))
            assert "USING fts5" in sql and "porter" in sql
            indexed = connection.scalar(text("SELECT count(*) FROM passage_fts"))
            assert indexed == kb.report.counts["passages"]
        else:
            generated = connection.execute(text(
                "SELECT data_type, is_generated FROM information_schema.columns "
                "WHERE table_name = 'passages' AND column_name = 'tsv'")).one()
            assert tuple(generated) == ("tsvector", "ALWAYS")
            index = connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'passages_tsv_idx'"))
            assert "USING gin (tsv)" in index


def test_hits_are_ranked_scored_and_cited(kb):
    hits = kb.service.search("Which entrance exam do the institutes hold for admission?", limit=3)
    assert len(hits) == 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert scores[0] == 0.8  # 4 of its 5 content words: entrance, exam, institutes, admission
    best = hits[0].citation
    assert "entrance exam" in best.sentence and "institutes" in best.sentence
    for hit in hits:
        c = hit.citation
        assert source_text(c.source_path)[c.start : c.end] == c.sentence
        assert c.section and c.source_title.startswith("Difference between")


def test_stemmed_words_match(kb):
    # "recruiting" finds "recruited", "industry" finds "industries" (porter / english stemming)
    hits = kb.service.search("recruiting industry", limit=5)
    assert any("recruited by the energy, IT and the Telecom sectors" in h.citation.sentence
               for h in hits)


def test_limit_is_respected(kb):
    assert len(kb.service.search("management career students degree", limit=2)) == 2
    assert len(kb.service.search("management career students degree", limit=7)) == 7


def test_repository_ranks_best_first(kb, engine):
    with Session(engine) as session:
        ranked = KnowledgeRepository(session).search_passages(["exam", "institutes"], limit=10)
    assert len(ranked) >= 3
    ranks = [rank for _, rank in ranked]
    assert ranks == sorted(ranks, reverse=True)
    assert all(isinstance(pid, int) for pid, _ in ranked)


def test_a_question_without_content_words_finds_nothing(kb):
    assert kb.service.search("what is the?") == ()
    assert kb.service.search("nonexistentword zzzqqq") == ()


@pytest.mark.parametrize("question", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_neither_errors_nor_changes_anything(kb, engine, question):
    before = table_rows(kb.settings.database_url)
    hits = kb.service.search(question)
    assert isinstance(hits, tuple)
    assert all(0 <= h.score <= 1 for h in hits)
    with Session(engine) as session:
        # straight to the repository, past the service's own word filter
        ranked = KnowledgeRepository(session).search_passages(question.split() or [question], 5)
        assert len(ranked) <= 5
    assert table_rows(kb.settings.database_url) == before


def test_hostile_words_still_find_their_plain_words(kb, engine):
    with Session(engine) as session:
        repo = KnowledgeRepository(session)
        plain = repo.search_passages(["exam"], 5)
        assert plain
        assert repo.search_passages(['exam"*', "NEAR(", "'; --"], 5) == plain


def test_a_plural_counts_as_its_word_in_the_score(kb):
    hits = kb.service.search("exam institutes", limit=10)
    scores = {h.citation.sentence: h.score for h in hits}
    assert scores["These exams will be carried out by the concerned institutes."] == 1.0
