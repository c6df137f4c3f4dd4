"""Build the knowledge base from ``data/sources``: atomic, and quick when nothing changed.

SQLite: the new base is built in a copy beside the live file and swapped in with
``os.replace``, so a running bot reads either the old or the new base, never half of one.
Other databases (PostgreSQL): everything happens in one transaction.
Unchanged sources (same checksum, same rules) are skipped.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from bot.config import PROJECT_ROOT, Settings
from bot.ingest.extract import Extraction, Extractor
from bot.ingest.reader import SourceError, SourceText, read_source
from bot.ingest.rules import RULES_DIR, load_rules
from bot.ingest.topics import DEFINED, TopicRegistry
from bot.kb.db import create_schema, make_engine, make_session_factory, reset_if_outdated
from bot.kb.models import SCHEMA_VERSION
from bot.kb.repository import KnowledgeRepository
from bot.text.words import normalise_value

SOURCE_SUFFIXES = (".txt", ".md")
_CODE_FILES = ("extract.py", "enumeration.py", "reader.py", "titles.py", "topics.py")


class BuildError(Exception):
    """Sources that cannot be ingested; the knowledge base was left as it was."""

    def __init__(self, errors: list[SourceError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def rules_fingerprint() -> str:
    """Facts depend on the rules and the extraction code: a change re-ingests every source."""
    digest = hashlib.sha256()
    for path in sorted(RULES_DIR.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def find_sources(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise BuildError([SourceError(directory, "source directory does not exist")])
    try:
        return sorted(p for p in directory.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
    except OSError as error:
        reason = f"source directory cannot be listed ({error.strerror or error})"
        raise BuildError([SourceError(directory, reason)]) from error


def build_knowledge_base(
    settings: Settings,
    sources: list[Path] | None = None,
    nlp_factory: Callable[[], Language] | None = None,
) -> BuildReport:
    """Bring the knowledge base in line with the sources. Raises BuildError, touching nothing,
    when any source is empty, binary, not UTF-8 or unreadable."""
    paths = find_sources(settings.sources_dir) if sources is None else sources
    texts, errors = [], []
    for path in paths:
        try:
            texts.append(read_source(path))
        except SourceError as error:
            errors.append(error)
    if errors:
        raise BuildError(errors)
    target = settings.sqlite_path
    if target is None:
        return _build(settings.database_url, texts, nlp_factory)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".building")
    staging.unlink(missing_ok=True)
    if target.exists() and _schema_version(target) == SCHEMA_VERSION:
        _copy_sqlite(target, staging)
    try:
        report = _build(f"sqlite:///{staging}", texts, nlp_factory)
        if report.changed or not target.exists():
            os.replace(staging, target)
        return report
    finally:
        staging.unlink(missing_ok=True)


def _display_path(path: Path) -> str:
    """Project-relative where possible, so a clone elsewhere sees the same source paths."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(resolved)


def _copy_sqlite(source: Path, destination: Path) -> None:
    """A consistent copy even while a bot reads the live file (SQLite's backup API)."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(destination)) as copy:
        live.backup(copy)


def _schema_version(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(path)) as connection:
            row = connection.execute(
                "SELECT value FROM kb_meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _build(url: str, texts: list[SourceText], nlp_factory) -> BuildReport:
    engine = make_engine(url)
    try:
        if not url.startswith("sqlite"):
            reset_if_outdated(engine)
        create_schema(engine)
        with make_session_factory(engine).begin() as session:
            return _sync(KnowledgeRepository(session), texts, nlp_factory)
    finally:
        engine.dispose()


def _sync(repo: KnowledgeRepository, texts: list[SourceText], nlp_factory) -> BuildReport:
    report = BuildReport()
    fingerprint = rules_fingerprint()
    same_rules = repo.meta("rules_fingerprint") == fingerprint
    known = repo.source_checksums()
    current = {_display_path(t.path): t for t in texts}
    for path in sorted(set(known) - set(current)):
        repo.delete_source(path)
        report.removed.append(path)
    todo = []
    if repo.meta("schema_version") not in (None, SCHEMA_VERSION):
        same_rules = False
    for path, source in current.items():
        if same_rules and known.get(path) == source.checksum:
            report.unchanged.append(path)
            continue
        (report.updated if path in known else report.added).append(path)
        repo.delete_source(path)
        todo.append(source)
    if todo:
        rules = load_rules(validate=True)
        if nlp_factory is None:
            from bot.nlp.pipeline import build_nlp

            nlp_factory = build_nlp
        extractor = Extractor(nlp_factory(), rules)
        synonyms = rules.article["value_synonyms"]
        registry = TopicRegistry.of({name: [a for a, note in aliases if note == DEFINED]
                                     for name, aliases in repo.topic_aliases().items()})
        for alias in rules.aliases:
            registry.add(alias.topic, [alias.alias])
        for source in sorted(todo, key=lambda t: _display_path(t.path)):
            extraction = extractor.extract(source.text, registry, file_title(source.path))
            _store(repo, source, extraction, synonyms)
            for topic in extraction.topics:
                registry.add(topic, [a.alias for a in extraction.aliases
                                     if a.topic == topic and a.note == DEFINED])
    if report.removed or todo:
        repo.delete_orphan_topics()
    if report.changed or repo.meta("build_id") is None:
        repo.set_meta("build_id", uuid.uuid4().hex)
    repo.set_meta("rules_fingerprint", fingerprint)
    repo.set_meta("schema_version", SCHEMA_VERSION)
    repo.session.flush()
    report.counts = repo.counts()
    return report


def file_title(path: Path) -> str:
    """"data-science-vs-data-analytics.txt" -> "Data science vs data analytics": the title of
    an article that has none."""
    words = re.sub(r"[-_.]+", " ", path.stem).split()
    return " ".join(words).capitalize()


def _store(repo: KnowledgeRepository, source: SourceText, extraction: Extraction, synonyms):
    if not extraction.topics:
        raise BuildError([SourceError(source.path, "names no fields: give it a title such as "
                                      "'Difference between X and Y' or 'X vs Y'")])
    row = repo.add_source(_display_path(source.path), extraction.title, source.checksum)
    topics = {name: repo.topic(name) for name in extraction.topics}
    for alias in extraction.aliases:
        repo.add_alias(topics[alias.topic], alias.alias, alias.note, row)
    passages = [
        repo.add_passage(row, p.section, p.text, p.start, p.end, p.block, p.kind)
        for p in extraction.passages
    ]
    for fact in extraction.facts:
        repo.add_fact(
            topics[fact.topic],
            fact.attribute,
            fact.value,
            normalise_value(fact.value, synonyms),
            passages[fact.passage],
        )
