"""The extraction rules are data: they load, they validate, and a broken rule fails at load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.ingest.extract import Extractor
from bot.ingest.rules import METHODS, RULES_DIR, RulesError, load_rules

REQUIRED_ATTRIBUTES = {
    "definition", "scope", "min_qualification", "recommended_degree", "admission_route",
    "entrance_exams", "preferred_background", "career_sectors", "recruiting_industries",
    "career_outlook",
}


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A copy of the shipped rules to break."""
    return Path(shutil.copytree(RULES_DIR, tmp_path / "rules"))


def append_line(path: Path, row: dict | str) -> int:
    """Append a JSONL line; its line number."""
    line = row if isinstance(row, str) else json.dumps(row)
    lines = path.read_text(encoding="utf-8").splitlines() + [line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_shipped_rules_load_and_validate():
    rules = load_rules(validate=True)
    names = [spec.name for spec in rules.attributes]
    assert REQUIRED_ATTRIBUTES <= set(names)
    assert len(names) == len(set(names))
    assert {rule.attribute for rule in rules.fact_rules} <= set(names)
    assert {rule.method for rule in rules.fact_rules} <= set(METHODS)
    assert all(spec.kind in ("set", "text") for spec in rules.attributes)


def test_curated_aliases_from_the_issue_are_rules():
    pairs = {(a.topic, a.alias) for a in load_rules().aliases}
    assert {
        ("operations management", "OM"),
        ("operations management", "ops management"),
        ("production management", "PM"),
        ("production management", "POM"),
    } <= pairs


def test_the_extractor_compiles_with_validating_matchers(nlp, rules_dir):
    Extractor(nlp, load_rules())  # the shipped rules compile
    append_line(rules_dir / "fact_rules.jsonl",
                {"attribute": "scope", "method": "match", "patterns": [[{"LOWR": "scope"}]]})
    broken = load_rules(rules_dir)  # structure is fine; only the pattern is wrong
    with pytest.raises(ValueError, match="LOWR"):
        Extractor(nlp, broken)


def test_entity_patterns_are_loaded_by_the_pipeline(nlp):
    doc = nlp("A few institutes consider XAT, MAT or CAT scores after a graduate degree and an "
              "MBA.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("XAT", "EXAM"), ("MAT", "EXAM"), ("CAT", "EXAM"),
        ("graduate degree", "QUALIFICATION"), ("MBA", "PG_DEGREE"),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"attribute": "scope", "method": "match", "patterns": [[{"LOWR": "scope"}]]},
         "LOWR"),
        ({"attribute": "scope", "method": "match", "patterns": [[{"LOWER": "x", "OP": "!!"}]]},
         "OP"),
        ({"attribute": "scope", "method": "enumeration",
          "triggers": [[{"LEMMA": {"INN": ["field"]}}]]}, "INN"),
        ({"attribute": "scope", "method": "match", "patterns": [[]]}, "at least 1"),
    ],
    ids=["attribute-name", "operator", "set-predicate", "empty"],
)
def test_a_bad_token_pattern_fails_at_load_naming_file_and_line(rules_dir, row, message):
    line = append_line(rules_dir / "fact_rules.jsonl", row)
    with pytest.raises(RulesError) as caught:
        load_rules(rules_dir, validate=True)
    assert f"fact_rules.jsonl:{line}" in str(caught.value)
    assert message in str(caught.value)


def test_a_bad_entity_pattern_fails_at_load(rules_dir):
    line = append_line(rules_dir / "entities.jsonl",
                       {"label": "EXAM", "pattern": [{"ORTH": "CAT", "FUZZY": 1}]})
    with pytest.raises(RulesError, match=rf"entities.jsonl:{line}.*FUZZY"):
        load_rules(rules_dir, validate=True)


def test_the_pipeline_itself_rejects_a_bad_entity_pattern(rules_dir):
    from spacy.errors import MatchPatternError

    from bot.nlp.pipeline import build_nlp

    append_line(rules_dir / "entities.jsonl", {"label": "EXAM", "pattern": [{"LOWR": "cat"}]})
    with pytest.raises(MatchPatternError):
        build_nlp(rules_dir / "entities.jsonl")


def test_a_bad_title_pattern_fails_at_load(rules_dir):
    path = rules_dir / "article.json"
    article = json.loads(path.read_text(encoding="utf-8"))
    article["title_patterns"].append([{"LOWER": "versus", "OPP": "?"}])
    path.write_text(json.dumps(article), encoding="utf-8")
    with pytest.raises(RulesError, match="title_patterns.*OPP"):
        load_rules(rules_dir, validate=True)


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        ("fact_rules.jsonl", "{not json", "Expecting property name"),
        ("fact_rules.jsonl", {"attribute": "salary", "method": "sentence",
                              "patterns": [[{"LOWER": "salary"}]]}, "unknown attribute"),
        ("fact_rules.jsonl", {"attribute": "scope", "method": "guess",
                              "patterns": [[{"LOWER": "x"}]]}, "unknown method"),
        ("fact_rules.jsonl", {"attribute": "scope", "method": "enumeration"}, "needs 'triggers'"),
        ("fact_rules.jsonl", {"attribute": "scope", "method": "sentence",
                              "patterns": [[{"LOWER": "x"}]], "pattern": []}, "unknown field"),
        ("attributes.jsonl", {"name": "scope", "label": "again", "dimension": "scope",
                              "kind": "set"}, "duplicate attribute"),
        ("attributes.jsonl", {"name": "salary", "label": "salary"}, "dimension"),
        ("aliases.jsonl", {"topic": "operations management", "alias": "OPM"}, "note"),
    ],
    ids=["json", "attribute", "method", "missing-field", "extra-field", "duplicate",
         "attribute-fields", "alias-fields"],
)
def test_a_malformed_rule_fails_at_load_even_without_pattern_validation(
    rules_dir, file, row, message
):
    line = append_line(rules_dir / file, row)
    with pytest.raises(RulesError) as caught:
        load_rules(rules_dir)
    assert message in str(caught.value)
    if message != "duplicate attribute":
        assert f"{file}:{line}" in str(caught.value)


def test_every_attribute_is_documented_for_editors():
    documented = (PROJECT_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    missing = [s.name for s in load_rules().attributes if f"`{s.name}`" not in documented]
    assert missing == []
