"""Load the extraction rules (JSON/JSONL in ``rules/``) into frozen dataclasses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    label: str
    dimension: str
    kind: str  # "set": values compare as sets; "text": whole statements


@dataclass(frozen=True)
class FactRule:
    attribute: str
    method: str
    patterns: tuple = ()
    triggers: tuple = ()
    labels: tuple[str, ...] = ()
    keywords: tuple[tuple[str, str], ...] = ()
    modalities: tuple = ()
    when: str | None = None


@dataclass(frozen=True)
class CuratedAlias:
    topic: str
    alias: str
    note: str


@dataclass(frozen=True)
class Rules:
    attributes: tuple[AttributeSpec, ...]
    fact_rules: tuple[FactRule, ...]
    aliases: tuple[CuratedAlias, ...]
    article: dict[str, Any]

    def attribute(self, name: str) -> AttributeSpec:
        for spec in self.attributes:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: {error}") from error
    return rows


def _freeze(value: Any) -> Any:
    """Nested lists -> tuples so rules stay hashable; dicts are kept (Matcher wants dicts)."""
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def load_rules(directory: Path = RULES_DIR) -> Rules:
    attributes = tuple(AttributeSpec(**row) for row in _jsonl(directory / "attributes.jsonl"))
    known = {spec.name for spec in attributes}
    fact_rules = []
    for row in _jsonl(directory / "fact_rules.jsonl"):
        if row["attribute"] not in known:
            raise ValueError(f"fact rule for unknown attribute {row['attribute']!r}")
        fact_rules.append(
            FactRule(
                attribute=row["attribute"],
                method=row["method"],
                patterns=_freeze(row.get("patterns", [])),
                triggers=_freeze(row.get("triggers", [])),
                labels=tuple(row.get("labels", [])),
                keywords=tuple(sorted(row.get("keywords", {}).items())),
                modalities=_freeze(row.get("modalities", [])),
                when=row.get("when"),
            )
        )
    aliases = tuple(CuratedAlias(**row) for row in _jsonl(directory / "aliases.jsonl"))
    article = json.loads((directory / "article.json").read_text(encoding="utf-8"))
    return Rules(attributes, tuple(fact_rules), aliases, article)
