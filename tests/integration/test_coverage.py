"""Language data, domain, rules and code stay in step with each other.

Fails when an intent has no rule, a question kind has no composer or draws on an attribute
that does not exist, the code says a phrase the domain lacks, or the domain holds wording
nothing uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.answering.compose import COMPOSERS, PLAIN
from bot.answering.vocabulary import kinds
from bot.config import PROJECT_ROOT
from bot.ingest.rules import load_rules

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
CODE = "\n".join(p.read_text() for folder in ("actions", "bot")
                 for p in (PROJECT_ROOT / folder).rglob("*.py"))
PHRASE = re.compile(r"Say\.of\(\s*f?[\"']([a-z_{}]+)")


def _rules() -> list[dict]:
    rules = []
    for path in sorted((PROJECT_ROOT / "data" / "stories").glob("*.yml")):
        rules += yaml.safe_load(path.read_text()).get("rules") or []
    return rules


def test_every_intent_has_a_rule() -> None:
    ruled = {step["intent"] for rule in _rules() for step in rule["steps"] if "intent" in step}
    assert set(DOMAIN["intents"]) <= ruled
    assert "nlu_fallback" in ruled


def test_every_question_kind_has_a_composer_and_known_attributes() -> None:
    names = {spec.name for spec in load_rules().attributes}
    for kind in kinds():
        assert kind.kind in COMPOSERS, kind.kind
        assert set(kind.attributes) <= names, kind.kind
        assert set(kind.fallback_attributes) <= names, kind.kind


def test_every_intent_a_kind_names_exists() -> None:
    intents = set(DOMAIN["intents"])
    for kind in kinds():
        assert set(kind.intents) <= intents, kind.kind


def test_the_code_says_only_phrases_the_domain_has() -> None:
    responses = DOMAIN["responses"]
    said = {name for name in PHRASE.findall(CODE) if "{" not in name and not name.endswith("_")}
    missing = sorted(n for n in said if f"utter_phrase_{n}" not in responses)
    assert missing == []
    for response, _ in PLAIN.values():
        assert response in responses


def test_no_wording_in_the_domain_is_dead() -> None:
    dead = []
    for name in DOMAIN["responses"]:
        short = name.removeprefix("utter_phrase_")
        used = name in CODE or f'"{short}"' in CODE or f"'{short}'" in CODE or any(
            f'{prefix}{short.removeprefix(prefix.strip(chr(34)))}' in CODE
            for prefix in ('"reason_', '"necessity_', '"silent_', '"advice_ask_'))
        used = used or short.startswith(("reason_", "necessity_", "silent_", "advice_ask_"))
        stories = "\n".join(p.read_text() for p in (PROJECT_ROOT / "data").rglob("*.yml"))
        if not used and name not in stories:
            dead.append(name)
    assert dead == []


def test_actions_in_domain_exist_in_code() -> None:
    for action in DOMAIN["actions"]:
        assert f'"{action}"' in CODE


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")),
                         ids=lambda p: p.name)
def test_nlu_files_load(path: Path) -> None:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    assert data.training_examples or data.lookup_tables or data.entity_synonyms


def test_every_ask_concept_word_is_lowercase() -> None:
    from bot.answering.vocabulary import concepts

    for concept in concepts():
        assert all(w == w.lower() for w in concept.words), concept.name
