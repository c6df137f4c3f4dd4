"""Property-based tests (hypothesis): whatever the text and whatever the tracker holds, the
ingestion keeps valid offsets and the action answers without an exception."""

from __future__ import annotations

import asyncio

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from bot.config import PROJECT_ROOT
from bot.ingest.extract import Extractor
from bot.ingest.rules import load_rules
from tests.conftest import USER_ARTICLE
from tests.integration.actionkit import DOMAIN, built_service, tracker

pytestmark = pytest.mark.usefixtures("isolated_log")

INTENTS = sorted({i for i in yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
                  ["intents"]} | {"nlu_fallback"})
SLOTS = ("last_kind", "topics", "things", "count", "answer_format", "background", "awaiting",
         "asked")
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Article-like text: words, headings, list markers, tables, punctuation and odd characters.
pieces = st.sampled_from([
    "Operations management", "production management", " is ", " and ", " vs ", "Difference "
    "between X and Y", "\n", "\n\n", "# ", "- ", "1. ", "| a | b |\n|---|---|\n", ":", ".",
    ",", "Q: ", "A: ", "(OM)", "while ", "whereas ", "🙂", "\u200b", "\t", "é", "MBA", "CAT",
])
article_text = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=60).map("".join)
any_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


@pytest.fixture(scope="module")
def extractor(nlp):
    return Extractor(nlp, load_rules())


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp):
    return built_service(tmp_path_factory.mktemp("kb-props"), nlp, USER_ARTICLE)


@FUZZ
@given(text=article_text)
def test_any_text_ingests_without_a_crash_and_with_valid_offsets(extractor, text):
    extraction = extractor.extract(text)
    for passage in extraction.passages:
        assert 0 <= passage.start <= passage.end <= len(text)
        assert text[passage.start:passage.end] == passage.text
    for fact in extraction.facts:
        assert 0 <= fact.passage < len(extraction.passages)
        assert fact.topic in extraction.topics


@FUZZ
@given(text=st.text(max_size=300), intent=st.sampled_from(INTENTS),
       confidence=st.floats(0, 1), slots=st.fixed_dictionaries(
           {}, optional={name: any_value for name in SLOTS}))
def test_any_tracker_state_gets_a_reply_and_no_exception(service, text, intent, confidence,
                                                         slots):
    dispatcher = CollectingDispatcher()
    action = ActionAnswer(service)
    events = asyncio.run(action.run(dispatcher, tracker(text, intent, confidence, slots),
                                    DOMAIN))
    assert dispatcher.messages, "every turn gets a reply"
    for message in dispatcher.messages:
        assert message["response"] in DOMAIN["responses"]
    assert all(e.get("event") == "slot" and e["name"] in SLOTS for e in events)
