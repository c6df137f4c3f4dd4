"""Engines, sessions and schema (including the database's own full-text index)."""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool, StaticPool

from bot.kb.models import SCHEMA_VERSION, Base

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5("
    "text, section, content='passages', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN "
    "INSERT INTO passage_fts(rowid, text, section) VALUES (new.id, new.text, new.section); END",
    "CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN "
    "INSERT INTO passage_fts(passage_fts, rowid, text, section) "
    "VALUES ('delete', old.id, old.text, old.section); END",
)

_POSTGRES_FTS = (
    "ALTER TABLE passages ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(section, '') || ' ' || text)) STORED",
    "CREATE INDEX IF NOT EXISTS passages_tsv_idx ON passages USING GIN (tsv)",
)


def make_engine(url: str) -> Engine:
    """An engine for ``url``: 2.0-style, SQLite with foreign keys on.

    File SQLite uses no pool, so every session opens the current file: after an atomic
    rebuild swaps the file, the next question already reads the new knowledge base.
    """
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            future=True,
            poolclass=StaticPool if in_memory else NullPool,
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def reset_if_outdated(engine: Engine) -> None:
    """Drop the knowledge-base tables when they were made by another schema version (the
    build then ingests every source again); a base with no tables is left alone."""
    from sqlalchemy import inspect

    if "kb_meta" not in inspect(engine).get_table_names():
        return
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT value FROM kb_meta WHERE key = 'schema_version'")).first()
    if row is None or row[0] != SCHEMA_VERSION:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS passages CASCADE"))
        Base.metadata.drop_all(engine)


def create_schema(engine: Engine) -> None:
    """Create tables and the dialect's full-text index (FTS5 or tsvector + GIN)."""
    Base.metadata.create_all(engine)
    statements = {"sqlite": _SQLITE_FTS, "postgresql": _POSTGRES_FTS}.get(engine.dialect.name, ())
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
