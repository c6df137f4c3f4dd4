"""How a field may be named besides its full name: the words it does not share with the field it
is compared with, and who practises it."""

from __future__ import annotations

import pytest

from bot.ingest.topics import agent_nouns, short_names

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
])
def test_agent_nouns(field, forms):
    assert set(agent_nouns(field)) >= forms and (forms or not agent_nouns(field))
