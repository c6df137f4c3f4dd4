"""A user's wording of a topic resolves to the canonical topic of the knowledge base."""

from __future__ import annotations

import pytest

OM, PM = "operations management", "production management"
HRM, PERSONNEL = "human resource management", "personnel management"


@pytest.fixture(scope="module")
def service(sqlite_kb):
    return sqlite_kb.service


@pytest.mark.parametrize(
    ("wording", "topic"),
    [
        ("OM", OM),
        ("om", OM),
        (" Om? ", OM),
        ("ops management", OM),
        ("Ops  Management", OM),
        ("operation management", OM),
        ("Operations Management", OM),
        ("operation managment", OM),  # typo
        ("opertions management", OM),  # typo
        ("production management", PM),
        ("producton managment", PM),  # typos
        ("product management", PM),  # the article's own wording
        ("HR", HRM),
        ("HRM", HRM),
        ("Personnel Administration", PERSONNEL),
        ("sales force management", "sales management"),
        ("prod mgmt", PM),  # students' short forms, word by word
        ("Prodn Mgt", PM),
        ("ops mgmt", OM),
        ("oprations mgmt", OM),  # short form and typo
        ("prod", PM),
        ("HR mgmt", HRM),
        ("opertion", OM),  # a misspelt field word alone (DIET tags just that word)
        ("prodction", PM),
    ],
)
def test_wordings_resolve_to_the_canonical_topic(service, wording, topic):
    assert service.resolve_topic(wording) == topic


@pytest.mark.parametrize(
    ("context", "topic"),
    [
        (None, None),  # two fields abbreviate to PM: never silently guessed
        (OM, PM),
        (PM, PM),
        (PERSONNEL, PERSONNEL),
        (HRM, PERSONNEL),  # the counterpart of the topic being discussed
    ],
)
def test_pm_is_ambiguous_and_context_decides(service, context, topic):
    assert service.resolve_topic("PM", context=context) == topic


def test_an_abbreviation_of_two_fields_names_both_candidates(service):
    assert set(service.topic_candidates("PM")) == {PM, PERSONNEL}
    assert set(service.topic_candidates("POM")) == {OM, PM}  # "production and operations"


@pytest.mark.parametrize("wording", [None, "", "astrology", "?", "finance", "x" * 500])
def test_unknown_wordings_resolve_to_nothing(service, wording):
    assert service.resolve_topic(wording) is None


@pytest.mark.parametrize("wording", ["management", "mgmt", "mgt"])
def test_the_generic_word_management_alone_is_no_topic(service, wording):
    assert service.resolve_topic(wording) is None


def test_topics_list_aliases_and_counterparts(service):
    topics = {t.name: t for t in service.topics()}
    assert set(topics) == {OM, PM, HRM, PERSONNEL, "marketing management", "sales management"}
    assert {"OM", "ops management"} <= set(topics[OM].aliases)
    assert {"PM", "POM", "Product management"} <= set(topics[PM].aliases)
    assert topics[OM].counterpart == PM
    assert topics[PM].counterpart == OM
    assert topics[PERSONNEL].counterpart == HRM
    assert service.counterpart("sales management") == "marketing management"


def test_the_article_alias_is_stored_with_its_note(sqlite_kb):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from bot.kb.db import make_engine
    from bot.kb.models import Topic, TopicAlias

    engine = make_engine(sqlite_kb.settings.database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Topic.name, TopicAlias.alias, TopicAlias.note).join(TopicAlias.topic)
        ).all()
    engine.dispose()
    notes = {(name, alias): note for name, alias, note in rows}
    assert "article's own wording" in notes[(PM, "Product management")]
    assert "personnel" in notes[(PM, "PM")]
    assert notes[(PERSONNEL, "PM")] == "initials"
