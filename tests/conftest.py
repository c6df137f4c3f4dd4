"""Shared fixtures: spaCy pipelines and temporary knowledge bases on SQLite and PostgreSQL.

The PostgreSQL fixtures create a uniquely named database on the server at 127.0.0.1:5432
(``KB_TEST_POSTGRES_URL`` overrides where) and drop it in a finalizer; they skip only when
nothing listens there. Any other failure (authentication, permissions) fails the test.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT, Settings, load_settings
from bot.kb.db import make_engine, make_session_factory
from bot.kb.models import Base
from bot.kb.service import KnowledgeService

if TYPE_CHECKING:
    from bot.ingest.build import BuildReport

# Before anything imports spaCy (and with it TensorFlow): ingestion is imported lazily below.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

USER_ARTICLE = PROJECT_ROOT / "data" / "sources" / "operations-vs-production-management.txt"
FIXTURE_SOURCES = PROJECT_ROOT / "tests" / "fixtures" / "sources"
HR_ARTICLE = FIXTURE_SOURCES / "hr-vs-personnel-management.txt"
MARKETING_ARTICLE = FIXTURE_SOURCES / "marketing-vs-sales-management.txt"
ALL_ARTICLES = (USER_ARTICLE, HR_ARTICLE, MARKETING_ARTICLE)

POSTGRES_ADMIN_URL = os.environ.get(
    "KB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


# --- the trained model ------------------------------------------------------------------------

# scripts/test.sh trains beside the unit and integration tests and names the file where `rasa
# train` leaves its exit status; tests that need the model wait for it.
TRAINING_STATUS = "BOT_TRAINING_STATUS"
TRAINING_WAIT = 900.0


def trained_model() -> Path:
    """The newest model in models/, once a training running beside the tests has finished."""
    status = os.environ.get(TRAINING_STATUS)
    if status:
        path, deadline = Path(status), time.monotonic() + TRAINING_WAIT
        while not path.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"rasa train did not finish within {TRAINING_WAIT:.0f} s")
            time.sleep(0.5)
        if path.read_text().strip() != "0":
            log = path.with_suffix(".log")
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            pytest.fail(f"rasa train failed (exit {path.read_text().strip()}):\n{tail}")
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail(f"No trained model in {PROJECT_ROOT / 'models'}: run `make train` first.")
    return models[-1]


# --- spaCy -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def blank_nlp():
    """A bare ``spacy.blank("en")`` (tokenizer only), made once. Do not add pipes to it."""
    import spacy

    return spacy.blank("en")


@pytest.fixture(scope="session")
def nlp():
    """The ingestion pipeline (blank en + sentencizer + lookup lemmas + entity ruler), built once.
    Read-only: tests must not add pipes to it."""
    from bot.nlp.pipeline import build_nlp

    return build_nlp()


# --- databases ---------------------------------------------------------------------------------


def create_postgres_database(request: pytest.FixtureRequest) -> str:
    """A new, uniquely named PostgreSQL database; dropped by a finalizer on ``request``."""
    admin = make_url(POSTGRES_ADMIN_URL)
    host, port = admin.host or "127.0.0.1", admin.port or 5432
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as error:
        pytest.skip(f"PostgreSQL server unreachable at {host}:{port} ({error})")
    name = f"kb_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    engine = make_engine(POSTGRES_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    request.addfinalizer(drop)
    return admin.set(database=name).render_as_string(hide_password=False)


def database_url(backend: str, directory: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / 'kb.sqlite'}"
    return create_postgres_database(request)


def make_settings(directory: Path, url: str) -> Settings:
    """Settings over a database ``url`` and an (empty) sources directory under ``directory``."""
    (directory / "sources").mkdir(parents=True, exist_ok=True)
    return load_settings({
        "KB_DATABASE_URL": url,
        "KB_SOURCES_DIR": str(directory / "sources"),
        "BOT_VAR_DIR": str(directory / "var"),
    })


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """A not yet built SQLite file knowledge base in ``tmp_path``, empty sources directory."""
    return make_settings(tmp_path, f"sqlite:///{tmp_path / 'kb.sqlite'}")


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """URL of a new empty PostgreSQL database, dropped after the test."""
    return create_postgres_database(request)


@pytest.fixture(params=BACKENDS)
def kb_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for an empty knowledge base on each backend, empty sources directory."""
    return make_settings(tmp_path, database_url(request.param, tmp_path, request))


def add_sources(settings: Settings, *articles: Path) -> list[Path]:
    """Copy ``articles`` into the settings' sources directory; the copies' paths."""
    return [Path(shutil.copy(article, settings.sources_dir)) for article in articles]


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every knowledge-base table, in primary-key order (a full snapshot)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            return {
                table.name: [tuple(row) for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables
                if table.name in present
            }
    finally:
        engine.dispose()


# --- built knowledge bases (read-only) ---------------------------------------------------------


@dataclass
class BuiltKB:
    """A knowledge base built from the user's article and both fixture articles."""

    backend: str
    settings: Settings
    service: KnowledgeService
    report: BuildReport  # of the first build
    sources: tuple[Path, ...]


def source_text(path: str | Path) -> str:
    """The decoded text a citation's offsets point into."""
    from bot.ingest.reader import read_source

    path = Path(path)
    return read_source(path if path.is_absolute() else PROJECT_ROOT / path).text


def _built(backend: str, request, tmp_path_factory, nlp) -> Iterator[BuiltKB]:
    from bot.ingest.build import build_knowledge_base

    directory = tmp_path_factory.mktemp(f"kb-{backend}")
    settings = make_settings(directory, database_url(backend, directory, request))
    sources = tuple(add_sources(settings, *ALL_ARTICLES))
    report = build_knowledge_base(settings, nlp_factory=lambda: nlp)
    engine = make_engine(settings.database_url)
    yield BuiltKB(backend, settings, KnowledgeService(make_session_factory(engine)),
                  report, sources)
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def kb(request, tmp_path_factory, nlp) -> Iterator[BuiltKB]:
    """All three articles, built once per backend for the session. Do not modify it."""
    yield from _built(request.param, request, tmp_path_factory, nlp)


@pytest.fixture(scope="session")
def sqlite_kb(request, tmp_path_factory, nlp) -> Iterator[BuiltKB]:
    """All three articles in a SQLite file, built once for the session. Do not modify it."""
    yield from _built("sqlite", request, tmp_path_factory, nlp)


@pytest.fixture
def build(nlp) -> Callable[..., BuildReport]:
    """``build(settings, **kwargs)``: ``build_knowledge_base`` with the session's pipeline."""
    from bot.ingest.build import build_knowledge_base

    return lambda settings, **kwargs: build_knowledge_base(
        settings, nlp_factory=lambda: nlp, **kwargs
    )
