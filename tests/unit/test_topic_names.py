"""How a field may be named besides its full name: the words it does not share with the field it
is compared with, and who practises it."""

from __future__ import annotations

import pytest

from bot.ingest.rules import load_rules
from bot.ingest.titles import TitleParser
from bot.ingest.topics import TopicRegistry, acceptable_alias, agent_nouns, short_names

HEADS = ("management", "administration")


@pytest.mark.parametrize("topics, expected", [
    (["operations management", "production management"],
     {"operations": "operations management", "production": "production management"}),
    (["civil engineering", "structural engineering"],
     {"civil": "civil engineering", "structural": "structural engineering"}),
    (["data science", "data analytics"],
     {"science": "data science", "analytics": "data analytics"}),
    (["journalism", "mass communication"], {}),  # nothing shared: no short name
    (["hotel management", "hospitality"], {"hotel": "hotel management"}),  # a generic head
])
def test_short_names(topics, expected):
    assert short_names(topics, HEADS) == expected


@pytest.mark.parametrize("field, forms", [
    ("production management", {"production manager", "production managers"}),
    ("civil engineering", {"civil engineer", "civil engineers"}),
    ("journalism", {"journalist", "journalists"}),
    ("data analytics", {"data analyst", "data analysts"}),
    ("data science", {"data scientist", "data scientists"}),
    ("mass communication", set()),
    ("psychology", {"psychologist", "psychologists"}),
    ("psychiatry", {"psychiatrist", "psychiatrists"}),
    ("pharmacy", {"pharmacist"}),
    ("architecture", {"architect", "architects"}),
    ("interior design", {"interior designer", "interior designers"}),
])
def test_agent_nouns(field, forms):
    assert set(agent_nouns(field)) >= forms and (forms or not agent_nouns(field))


@pytest.mark.parametrize(("title", "field"), [
    ("Career in Actuarial Science: Eligibility, Entrance Exams, Scope", "actuarial science"),
    ("Careers in Hotel Management in India", "hotel management"),
    ("What is Supply Chain Management?", "supply chain management"),
    ("Psychology as a Career Option", "psychology"),
    ("A guide to interior design", "interior design"),
    ("Difference between Finance and Accounting", None),  # a pair: subjects(), not subject()
    ("Top 10 colleges", None),
])
def test_a_title_about_one_field(title, field) -> None:
    assert TitleParser(load_rules().article).subject(title) == field


def test_a_registry_of_many_fields_names_each_by_alias_stem_and_initials() -> None:
    registry = TopicRegistry.of({f"field {n} management": {f"f{n}m"} for n in range(5000)})
    registry.add("human resource management", ["hrm"])
    assert registry.identify("Field 42 Managements") == "field 42 management"  # stem key
    assert registry.identify("f7m") == "field 7 management"  # alias
    assert registry.identify("HRM") == "human resource management"  # initials / alias
    assert registry.identify("brand management") == "brand management"  # new


@pytest.mark.parametrize(("alias", "defined", "ok"), [
    ("IT", True, True),  # "Information Technology (IT)": the article defines it
    ("IT", False, False),  # initials alone that spell a word: never
    ("it", True, False),
    ("AM", False, False),
    ("HRM", False, True),
    ("P", True, False),
])
def test_an_alias_that_is_a_word_only_when_the_article_defines_it(alias, defined, ok) -> None:
    assert acceptable_alias(alias, defined) is ok
