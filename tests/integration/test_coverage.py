"""Knowledge base, NLU data, domain and actions stay in step with each other.

Fails when a knowledge-base term has no NLU coverage, an intent has no answer path, an action
utters a response the domain lacks, or the domain holds wording nothing uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.answer import ANSWERED_INTENTS, INTENT_ATTRIBUTES, MEMBERSHIP_CHECKS
from bot.config import PROJECT_ROOT
from bot.kb.vocabulary import build_vocabulary, render_yaml
from tests.conftest import add_sources, make_settings

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
ACTION_SOURCES = "\n".join(p.read_text() for p in (PROJECT_ROOT / "actions").glob("*.py"))
# Responses the channels send themselves (bot/channels/guard.py: the no-reply apology).
CHANNEL_SOURCES = "\n".join(
    p.read_text() for p in (PROJECT_ROOT / "bot" / "channels").glob("*.py"))


def _yaml_files(folder: str) -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted((PROJECT_ROOT / folder).glob("*.yml"))]


def _story_steps() -> list[dict]:
    steps = []
    for data in _yaml_files("data/stories"):
        for item in (data.get("rules") or []) + (data.get("stories") or []):
            for step in item.get("steps", []):
                steps += step["or"] if "or" in step else [step]
    return steps


@pytest.fixture(scope="module")
def deployed_service(tmp_path_factory, nlp):
    """A knowledge base built from data/sources, as `make run` builds it."""
    from bot.ingest.build import build_knowledge_base
    from bot.kb.db import make_engine, make_session_factory
    from bot.kb.service import KnowledgeService

    tmp = tmp_path_factory.mktemp("deployed")
    settings = make_settings(tmp, f"sqlite:///{tmp / 'kb.sqlite'}")
    for source in sorted((PROJECT_ROOT / "data" / "sources").iterdir()):
        add_sources(settings, source)
    build_knowledge_base(settings, nlp_factory=lambda: nlp)
    return KnowledgeService(make_session_factory(make_engine(settings.database_url)))


def test_generated_vocabulary_matches_the_knowledge_base(deployed_service) -> None:
    committed = (PROJECT_ROOT / "data" / "nlu" / "kb_vocabulary.yml").read_text()
    assert committed == render_yaml(build_vocabulary(deployed_service)), (
        "data/nlu/kb_vocabulary.yml is stale: run `python -m bot.kb vocabulary`")


@pytest.fixture(scope="module")
def nlu_data():
    """The NLU training data as Rasa loads it (lookup tables, synonyms, examples)."""
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(PROJECT_ROOT / "data" / "nlu"))


def test_every_knowledge_base_term_reaches_the_nlu(nlu_data, deployed_service) -> None:
    """Topic names and aliases, sectors and exams: each is in a lookup table, a synonym, or
    an annotated training example."""
    data = nlu_data
    covered = {term.lower() for table in data.lookup_tables for term in table["elements"]}
    covered |= {variant.lower() for variant in data.entity_synonyms}
    covered |= {value.lower() for value in data.entity_synonyms.values()}
    for example in data.training_examples:
        for entity in example.get("entities") or []:
            covered.add(example.get("text")[entity["start"]:entity["end"]].lower())
    terms = set()
    for info in deployed_service.topics():
        terms |= {info.name.lower(), *(a.lower() for a in info.aliases)}
        for answer in deployed_service.attributes(info.name, ("career_sectors",
                                                              "recruiting_industries",
                                                              "entrance_exams")):
            terms |= {v.lower() for v in answer.values}
    assert sorted(terms - covered) == []


def test_every_intent_has_an_answer_path() -> None:
    handled = {step["intent"] for step in _story_steps() if "intent" in step}
    missing = [intent for intent in DOMAIN["intents"] if intent not in handled]
    assert missing == []
    answered_by_action = {
        step_intent for step_intent in handled if step_intent in ANSWERED_INTENTS
    }
    assert answered_by_action >= set(INTENT_ATTRIBUTES) | set(MEMBERSHIP_CHECKS)


def test_every_attribute_can_be_asked_for(deployed_service) -> None:
    asked = {a for attributes in INTENT_ATTRIBUTES.values() for a in attributes}
    compared = {spec.dimension for spec in deployed_service.attribute_specs}
    for spec in deployed_service.attribute_specs:
        assert spec.name in asked or spec.dimension in compared, spec.name


def test_actions_only_utter_responses_the_domain_has() -> None:
    used = set(re.findall(r'response="(utter_\w+)"', ACTION_SOURCES))
    used |= {f"utter_phrase_{name}" for name in re.findall(r'phrases\(\s*"(\w+)"', ACTION_SOURCES)}
    templated = re.findall(r'phrases\(\s*f"(\w+)_\{', ACTION_SOURCES)
    used |= {f"utter_phrase_{name}" for name in templated}
    missing = sorted(name for name in used if not any(
        r == name or r.startswith(name) for r in DOMAIN["responses"]))
    assert missing == []


def test_no_wording_in_the_domain_is_dead() -> None:
    in_stories = {step["action"] for step in _story_steps() if "action" in step}
    prefixes = set(re.findall(r'phrases\(\s*f"(\w+_)\{', ACTION_SOURCES))
    dead = []
    for response in DOMAIN["responses"]:
        if response in in_stories or f'"{response}"' in ACTION_SOURCES + CHANNEL_SOURCES:
            continue
        if response.startswith("utter_ask_") and response[len("utter_ask_"):] in str(
                DOMAIN.get("forms")):
            continue
        phrase = response.removeprefix("utter_phrase_")
        if f'"{phrase}"' in ACTION_SOURCES or any(phrase.startswith(p) for p in prefixes):
            continue
        dead.append(response)
    assert dead == []


def test_actions_in_domain_exist_in_code() -> None:
    names = set(re.findall(r'return "((?:action|validate)_\w+)"', ACTION_SOURCES))
    assert set(DOMAIN["actions"]) == names


@pytest.mark.parametrize("path", sorted(Path(PROJECT_ROOT / "data" / "nlu").glob("*.yml")))
def test_nlu_files_load(path: Path) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    assert load_data(str(path)) is not None




def test_no_uncovered_aspect_is_mistaken_for_a_covered_one(nlu_data, deployed_service) -> None:
    """Every aspect the NLU vocabulary names as outside the sources ("salary") must read as not
    covered, or the "my sources don't say anything about X" lead never fires: a value such as
    "minimum marks" would match the "minimum qualification" attribute."""
    synonyms = {variant.lower(): value for variant, value in nlu_data.entity_synonyms.items()}
    aspects = {synonyms.get(term.lower(), term) for table in nlu_data.lookup_tables
               if table["name"] == "aspect" for term in table["elements"]}
    assert len(aspects) > 20
    assert sorted(a for a in aspects if deployed_service.covers(a)) == []
