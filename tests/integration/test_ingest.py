"""Ingest the user's article and both fixture articles into SQLite and PostgreSQL.

Read-only checks use the session's built knowledge base (``kb``); checks that rebuild use a
fresh database per test (``kb_settings``). Both are parametrized over the two backends.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.ingest.build import BuildError
from bot.kb.db import make_engine, make_session_factory
from bot.kb.models import Passage, Source
from bot.kb.service import KnowledgeService
from tests.conftest import (
    ALL_ARTICLES,
    HR_ARTICLE,
    MARKETING_ARTICLE,
    USER_ARTICLE,
    add_sources,
    source_text,
    table_rows,
)

OM, PM = "operations management", "production management"
HRM, PERSONNEL = "human resource management", "personnel management"
MARKETING, SALES = "marketing management", "sales management"


def values(kb, topic: str, attribute: str) -> tuple[str, ...]:
    return kb.service.attribute(topic, attribute).values


def display(path: Path) -> str:
    return str(path.resolve())


# --- the user's article: the facts issue 2 asks for --------------------------------------------


def test_first_build_adds_every_source(kb):
    assert sorted(kb.report.added) == sorted(display(p) for p in kb.sources)
    assert kb.report.changed and not kb.report.updated and not kb.report.removed
    assert kb.report.counts["sources"] == 3
    assert kb.report.counts["topics"] == 6
    assert kb.report.counts["facts"] >= 150


def test_definitions(kb):
    om, pm = values(kb, OM, "definition"), values(kb, PM, "definition")
    assert len(om) == 1 and len(pm) == 2
    assert "deals with the supervision, planning and redesigning business operations" in om[0]
    assert om[0].endswith("is called as Operations Management.")
    assert "deals with the forecasting, planning or marketing of products" in pm[0]
    # said after the definition, "X is about ..." is what the field focuses on
    [focus] = values(kb, OM, "focus")
    assert focus.startswith("Operations Management is about the administration and planning")
    assert pm[1].startswith("Product Management is the organizational life cycle procedure")


def test_scope_goods_and_services_versus_goods(kb):
    assert set(values(kb, OM, "scope")) == {"goods", "services"}
    assert set(values(kb, PM, "scope")) == {"goods"}


def test_qualification_and_the_role_of_an_mba(kb):
    assert values(kb, OM, "min_qualification") == ("graduate degree",)
    assert values(kb, PM, "min_qualification") == ("graduate degree",)
    assert values(kb, PM, "eligible_streams") == ("any stream",)
    assert values(kb, OM, "recommended_degree") == ("MBA: helpful",)
    assert values(kb, PM, "recommended_degree") == ("MBA: required",)
    [helpful] = kb.service.attribute(OM, "recommended_degree").items
    assert helpful.citation.sentence.startswith("A Masters degree in Business Administration")


def test_admission_route_and_entrance_exams(kb):
    assert values(kb, PM, "admission_route") == (
        "The admission into the MBA in PM program is made through an entrance exam.",
        "These exams will be carried out by the concerned institutes.",
    )
    assert values(kb, PM, "entrance_exams") == ("XAT", "MAT", "CAT")
    assert values(kb, OM, "entrance_exams") == ()


def test_preferred_background(kb):
    items = kb.service.attribute(PM, "preferred_background").items
    assert [i.value for i in items] == ["technology", "engineering", "B.Tech", "B.E"]
    # the article writes "B.E"; the comparison key is the usual "B.E."
    assert {i.value: i.key for i in items}["B.E"] == "b.e."


def test_career_sectors_each_a_separate_value(kb):
    assert values(kb, OM, "career_sectors") == (
        "Information Technology", "Transportation", "Financial Institutions",
        "Consulting Firms", "Logistics", "Construction", "Manufacturing", "Insurance",
        "Retail", "Hospitality",
    )


def test_recruiting_industries(kb):
    items = kb.service.attribute(PM, "recruiting_industries").items
    assert [i.value for i in items] == [
        "automobiles", "heavy machinery", "engineering goods",
        "iron steel and other metal industries", "energy", "IT", "Telecom",
    ]
    assert {i.value: i.key for i in items}["IT"] == "information technology"


def test_career_outlook(kb):
    assert values(kb, OM, "career_outlook") == (
        "Now a day’s operations management has emerged as a very lucrative career.",)
    assert values(kb, PM, "career_outlook")[0].startswith("There are a lot of job opportunities")


def test_every_fact_cites_the_exact_sentence_of_its_source(kb):
    total = 0
    for topic in kb.service.topics():
        for spec in kb.service.attribute_specs:
            for item in kb.service.attribute(topic.name, spec.name).items:
                c = item.citation
                text = source_text(c.source_path)
                assert text[c.start : c.end] == c.sentence
                assert c.source_title == text.splitlines()[0].strip()
                assert c.section in " ".join(text.split())
                total += 1
    assert total == kb.report.counts["facts"]


def test_reader_comments_are_no_passages(kb):
    engine = make_engine(kb.settings.database_url)
    with Session(engine) as session:
        texts = list(session.scalars(select(Passage.text)))
    engine.dispose()
    assert len(texts) == kb.report.counts["passages"]
    for comment in ("give any ten difference", "Which college should i chose",
                    "plz tell", "which one have more salary", "Do you have any question"):
        assert not any(comment in t for t in texts), comment


# --- comparison ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("left", "right", "at_least"),
                         [(OM, PM, 10), (HRM, PERSONNEL, 8), (MARKETING, SALES, 8)])
def test_comparison_differences_cite_both_sides_or_say_which_is_silent(kb, left, right, at_least):
    comparison = kb.service.compare(left, right)
    assert len(comparison.differences) >= at_least
    dimensions = [d.dimension for d in comparison.differences]
    assert len(dimensions) == len(set(dimensions))
    for difference in comparison.differences:
        sides = (difference.left, difference.right)
        assert [s.topic for s in sides] == [left, right]
        # honest: the two sides really state different things
        assert {i.key for i in difference.left.items} != {i.key for i in difference.right.items}
        if difference.one_sided:
            assert sum(side.is_silent for side in sides) == 1
        for side in sides:
            for item in side.items:
                c = item.citation
                assert source_text(c.source_path)[c.start : c.end] == c.sentence


def test_operations_versus_production_differences(kb):
    comparison = kb.service.compare(OM, PM)
    by_dimension = {d.dimension: d for d in comparison.differences}
    assert {"definition", "scope", "activities", "recommended_degree", "career_fields",
            "career_outlook", "admission_route", "entrance_exams",
            "preferred_background"} <= set(by_dimension)
    two_sided = [d for d in comparison.differences if not d.one_sided]
    assert len(two_sided) >= 6
    assert by_dimension["recommended_degree"].left.values == ("MBA: helpful",)
    assert by_dimension["recommended_degree"].right.values == ("MBA: required",)
    exams = by_dimension["entrance_exams"]
    assert exams.left.is_silent and exams.right.values == ("XAT", "MAT", "CAT")
    # shared ground is no difference
    similar = {s.dimension: s for s in comparison.similarities}
    assert similar["min_qualification"].shared == ("graduate degree",)
    assert "min_qualification" not in by_dimension
    assert "Information Technology" in similar["career_fields"].shared


# --- the fixture articles: the same rules ------------------------------------------------------


def test_hr_versus_personnel_facts(kb):
    assert values(kb, HRM, "definition")[0].endswith("is called as Human Resource Management.")
    assert values(kb, HRM, "scope") == ("people",)
    assert values(kb, HRM, "eligible_streams") == ("arts", "commerce", "psychology")
    assert values(kb, HRM, "recommended_degree") == ("MBA: helpful, not required",)
    assert values(kb, HRM, "career_sectors") == (
        "Information Technology", "Banking", "Business Process Outsourcing", "Consulting Firms",
        "Healthcare", "Education", "Hospitality")
    assert values(kb, PERSONNEL, "definition")[0].startswith(
        "The traditional administrative function inside a company")
    assert values(kb, PERSONNEL, "recommended_degree") == ("MBA: required",)
    assert values(kb, PERSONNEL, "entrance_exams") == ("CAT", "CMAT", "XAT")
    assert values(kb, PERSONNEL, "preferred_background") == (
        "psychology", "sociology", "law", "BA Psychology", "LL.B")
    assert values(kb, PERSONNEL, "recruiting_industries") == (
        "textiles", "mining", "cement", "tea and other plantation industries", "power",
        "banking", "public")
    assert values(kb, PERSONNEL, "admission_route")[0].startswith("Admission into the MBA")


def test_marketing_versus_sales_facts(kb):
    assert set(values(kb, MARKETING, "scope")) == {"goods", "services"}
    assert values(kb, MARKETING, "activities")[:4] == (
        "research", "pricing", "promotion", "distribution")
    assert values(kb, MARKETING, "eligible_streams") == ("commerce", "economics",
                                                         "business studies")
    assert values(kb, MARKETING, "recommended_degree") == ("MBA: helpful, not required",)
    assert len(values(kb, MARKETING, "career_sectors")) == 9
    assert "Fast Moving Consumer Goods" in values(kb, MARKETING, "career_sectors")
    assert values(kb, SALES, "definition")[0].endswith("better known simply as Sales Management.")
    assert values(kb, SALES, "recommended_degree") == ("MBA: required",)
    assert values(kb, SALES, "entrance_exams") == ("CMAT", "NMAT", "SNAP")
    assert values(kb, SALES, "preferred_background") == ("B.Com", "BBA", "B.Sc", "B.Pharm")
    assert values(kb, SALES, "recruiting_industries")[:3] == (
        "FMCG", "consumer durables", "automobiles")
    assert {"Sales Force Management", "SM"} <= set(
        {t.name: t for t in kb.service.topics()}[SALES].aliases)


# --- rebuilding ---------------------------------------------------------------------------------


def file_digest(settings) -> str | None:
    path = settings.sqlite_path
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else None


def test_rebuilding_unchanged_sources_changes_nothing(kb_settings, build):
    sources = add_sources(kb_settings, *ALL_ARTICLES)
    first = build(kb_settings)
    rows, digest = table_rows(kb_settings.database_url), file_digest(kb_settings)
    again = build(kb_settings)
    assert not again.changed
    assert sorted(again.unchanged) == sorted(display(p) for p in sources)
    assert again.counts == first.counts
    assert table_rows(kb_settings.database_url) == rows
    assert file_digest(kb_settings) == digest


def test_changing_a_source_reingests_only_that_source(kb_settings, build):
    user, hr, marketing = add_sources(kb_settings, *ALL_ARTICLES)
    build(kb_settings)
    before = table_rows(kb_settings.database_url)
    hr.write_text(hr.read_text(encoding="utf-8").replace("CAT, CMAT or XAT", "CAT, GMAT or XAT"),
                  encoding="utf-8")
    report = build(kb_settings)
    assert report.updated == [display(hr)]
    assert sorted(report.unchanged) == sorted([display(user), display(marketing)])
    assert not report.added and not report.removed
    after = table_rows(kb_settings.database_url)
    untouched = {row[0] for row in before["sources"] if row[1] != display(hr)}
    assert [r for r in after["sources"] if r[0] in untouched] == [
        r for r in before["sources"] if r[0] in untouched]
    assert [r for r in after["passages"] if r[1] in untouched] == [
        r for r in before["passages"] if r[1] in untouched]
    service = KnowledgeService(make_session_factory(make_engine(kb_settings.database_url)),
                               check_interval=0)
    assert service.attribute(PERSONNEL, "entrance_exams").values == ("CAT", "GMAT", "XAT")


def test_removing_a_source_removes_its_facts_topics_and_passages(kb_settings, build):
    add_sources(kb_settings, USER_ARTICLE, MARKETING_ARTICLE)
    first = build(kb_settings)
    service = KnowledgeService(make_session_factory(make_engine(kb_settings.database_url)),
                               check_interval=0)
    marketing = display(kb_settings.sources_dir / MARKETING_ARTICLE.name)
    assert [h.citation.source_path for h in service.search("advertising tourism")] == [
        marketing, marketing]
    (kb_settings.sources_dir / MARKETING_ARTICLE.name).unlink()
    report = build(kb_settings)
    assert report.removed == [marketing]
    assert {t.name for t in service.topics()} == {OM, PM}
    assert service.attribute(SALES, "entrance_exams").items == ()
    assert service.search("advertising tourism") == ()  # gone from the full-text index too
    assert report.counts["sources"] == 1
    assert report.counts["facts"] < first.counts["facts"]
    rows = table_rows(kb_settings.database_url)
    assert len(rows["facts"]) == report.counts["facts"]
    assert len(rows["topic_aliases"]) == report.counts["topic_aliases"] == 7


def test_changed_rules_reingest_every_source(kb_settings, build, monkeypatch):
    sources = add_sources(kb_settings, USER_ARTICLE, HR_ARTICLE)
    first = build(kb_settings)
    monkeypatch.setattr("bot.ingest.build.rules_fingerprint", lambda: "rules-changed")
    report = build(kb_settings)
    assert sorted(report.updated) == sorted(display(p) for p in sources)
    assert report.counts == first.counts


# --- bad sources leave the knowledge base untouched --------------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


def _latin1(path: Path) -> None:
    path.write_bytes("Difference between caf\xe9 and th\xe9 management\n\nText.".encode("latin-1"))


def _directory(path: Path) -> None:
    path.mkdir()  # unreadable as a file; chmod 000 would not stop root, who runs the tests


def _dangling_symlink(path: Path) -> None:
    path.symlink_to(path.parent / "missing-target.txt")


def _no_title(path: Path) -> None:
    path.write_text("Some notes\n\nThe weather was fine. We went for a walk.\n")


@pytest.mark.parametrize(
    "make",
    [_empty, _binary, _latin1, _directory, _dangling_symlink, _no_title],
    ids=["empty", "binary", "non-utf8", "directory", "dangling-symlink", "no-title"],
)
def test_a_bad_source_raises_naming_the_file_and_changes_nothing(kb_settings, build, make):
    add_sources(kb_settings, USER_ARTICLE)
    build(kb_settings)
    rows, digest = table_rows(kb_settings.database_url), file_digest(kb_settings)
    bad = kb_settings.sources_dir / "bad-article.txt"
    make(bad)
    with pytest.raises(BuildError) as caught:
        build(kb_settings)
    assert "bad-article.txt" in str(caught.value)
    assert [e.path for e in caught.value.errors] == [bad]
    assert table_rows(kb_settings.database_url) == rows
    assert file_digest(kb_settings) == digest
    assert sorted(p.name for p in kb_settings.sources_dir.parent.glob("*.building")) == []


def test_all_bad_sources_are_reported_at_once(sqlite_settings, build):
    for name, make in (("a.txt", _empty), ("b.md", _binary), ("c.txt", _latin1)):
        make(sqlite_settings.sources_dir / name)
    with pytest.raises(BuildError) as caught:
        build(sqlite_settings)
    assert [e.path.name for e in caught.value.errors] == ["a.txt", "b.md", "c.txt"]
    assert not sqlite_settings.sqlite_path.exists()


def test_other_files_in_the_sources_directory_are_ignored(sqlite_settings, build):
    add_sources(sqlite_settings, USER_ARTICLE)
    (sqlite_settings.sources_dir / "notes.pdf").write_bytes(b"%PDF\x00")
    (sqlite_settings.sources_dir / "README").write_text("")
    assert build(sqlite_settings).counts["sources"] == 1


def test_a_missing_sources_directory_is_an_error(sqlite_settings, build):
    sqlite_settings.sources_dir.rmdir()
    with pytest.raises(BuildError, match="source directory does not exist"):
        build(sqlite_settings)


# --- atomic swap (SQLite) ----------------------------------------------------------------------


def test_a_rebuild_swaps_the_file_under_an_open_reader(sqlite_settings, build):
    (user,) = add_sources(sqlite_settings, USER_ARTICLE)
    build(sqlite_settings)
    service = KnowledgeService.from_settings(sqlite_settings)
    assert service.attribute(PM, "entrance_exams").values == ("XAT", "MAT", "CAT")
    reader = sqlite3.connect(sqlite_settings.sqlite_path)
    try:
        reader.execute("BEGIN")
        old_checksum = reader.execute("SELECT checksum FROM sources").fetchone()[0]
        user.write_text(user.read_text(encoding="utf-8").replace("XAT, MAT or CAT",
                                                                 "XAT, MAT, SNAP or CAT"),
                        encoding="utf-8")
        inode = os.stat(sqlite_settings.sqlite_path).st_ino
        report = build(sqlite_settings)
        assert report.updated == [display(user)]
        # the reader still sees the old, complete knowledge base ...
        assert reader.execute("SELECT checksum FROM sources").fetchone()[0] == old_checksum
        assert reader.execute(
            "SELECT count(*) FROM facts WHERE value = 'SNAP'").fetchone()[0] == 0
    finally:
        reader.close()
    # ... while the live path is a new file that the next session reads
    assert os.stat(sqlite_settings.sqlite_path).st_ino != inode
    assert service.attribute(PM, "entrance_exams").values == ("XAT", "MAT", "SNAP", "CAT")
    with Session(make_engine(sqlite_settings.database_url)) as session:
        assert session.scalar(select(Source.checksum)) != old_checksum
    leftovers = list(sqlite_settings.sqlite_path.parent.glob("*.building*"))
    assert leftovers == []
