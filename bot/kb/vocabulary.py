"""NLU vocabulary generated from the knowledge base: one source of truth for entity terms.

``python -m bot.kb vocabulary`` writes ``data/nlu/kb_vocabulary.yml`` (lookup tables for
RegexEntityExtractor and synonyms for EntitySynonymMapper); a test fails when the committed
file and the knowledge base disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.service import KnowledgeService

MIN_LOOKUP_LENGTH = 3  # shorter terms ("IT", "OM") match ordinary words; DIET learns them instead
LOOKUP_ATTRIBUTES = {
    "sector": ("career_sectors", "recruiting_industries"),
    "exam": ("entrance_exams",),
}


@dataclass(frozen=True)
class Vocabulary:
    lookups: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]]  # canonical value -> variants


def build_vocabulary(service: KnowledgeService) -> Vocabulary:
    topics = service.topics()
    owners: dict[str, set[str]] = {}
    for info in topics:
        for surface in (info.name, *info.aliases):
            owners.setdefault(surface.lower(), set()).add(info.name)
    lookups: dict[str, list[str]] = {"topic": []}
    synonyms: dict[str, list[str]] = {}
    for info in topics:
        for surface in (info.name, *info.aliases):
            key = surface.lower()
            resolved = service.resolve_topic(key)
            if len(key) >= MIN_LOOKUP_LENGTH and len(owners[key]) == 1:
                lookups["topic"].append(key)
            if key != info.name and resolved == info.name:
                synonyms.setdefault(info.name, []).append(key)
    for entity, attributes in LOOKUP_ATTRIBUTES.items():
        values = []
        for info in topics:
            for answer in service.attributes(info.name, attributes):
                values += [v for v in answer.values if len(v) >= MIN_LOOKUP_LENGTH]
        lookups[entity] = values
    return Vocabulary(
        lookups={k: tuple(sorted(set(v), key=str.lower)) for k, v in lookups.items() if v},
        synonyms={k: tuple(sorted(set(v))) for k, v in sorted(synonyms.items())},
    )


def render_yaml(vocabulary: Vocabulary) -> str:
    lines = [
        "# GENERATED from the knowledge base by `python -m bot.kb vocabulary`: do not edit.",
        'version: "3.1"',
        "nlu:",
    ]
    for canonical, variants in vocabulary.synonyms.items():
        lines += [f"- synonym: {_quote(canonical)}", "  examples: |"]
        lines += [f"    - {variant}" for variant in variants]
    for entity, values in vocabulary.lookups.items():
        lines += [f"- lookup: {entity}", "  examples: |"]
        lines += [f"    - {value}" for value in values]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'
