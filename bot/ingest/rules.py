"""Load the extraction rules (JSON/JSONL in ``rules/``) into frozen dataclasses."""

from __future__ import annotations

import json
import re
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
    cues: tuple[str, ...] = ()  # words that name it (a table row "Sectors", a question's words)

    @property
    def is_set(self) -> bool:
        return self.kind == "set"


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
        """The spec of ``name``; an article's own dimension ("dimension:time frame") gets one
        made from its label."""
        for spec in self.attributes:
            if spec.name == name:
                return spec
        if name.startswith(DIMENSION_PREFIX):
            label = name[len(DIMENSION_PREFIX):]
            return AttributeSpec(name, label, name, "text")
        raise KeyError(name)

    def attribute_for_label(self, label: str) -> str:
        """The attribute an article's row or item label names ("Typical qualification" ->
        min_qualification), else the article's own dimension ("dimension:time frame")."""
        wanted = " ".join(re.findall(r"[a-z0-9]+", label.lower()))
        words = wanted.split()
        for spec in self.attributes:
            for cue in spec.cues:
                cue_words = cue.split()
                if len(cue_words) == 1 and any(_same_stem(cue, w) for w in words):
                    return spec.name
                if len(cue_words) > 1 and f" {cue} " in f" {wanted} ":
                    return spec.name
        return DIMENSION_PREFIX + wanted


DIMENSION_PREFIX = "dimension:"


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3


class RulesError(ValueError):
    """A rules file that is not valid; the message names the file and line."""


METHODS = {
    "naming": ("patterns",),
    "copula": ("patterns",),
    "keywords": ("keywords",),
    "sentence": ("patterns",),
    "shared": ("patterns",),
    "entities": ("labels",),
    "match": ("patterns",),
    "enumeration": ("triggers",),
    "modality": ("labels", "modalities"),
    "predicate": ("patterns",),
    "acronyms": ("patterns",),
}
_FACT_RULE_FIELDS = {"attribute", "method", "patterns", "triggers", "labels", "keywords",
                     "modalities", "when"}


def _jsonl(path: Path) -> list[tuple[str, dict]]:
    """(``file:line``, row) for each non-blank line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise RulesError(f"{where}: {error}") from error
            if not isinstance(row, dict):
                raise RulesError(f"{where}: expected a JSON object")
            rows.append((where, row))
    return rows


def _freeze(value: Any) -> Any:
    """Nested lists -> tuples so rules stay hashable; dicts are kept (Matcher wants dicts)."""
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _fact_rule(where: str, row: dict, known: set[str]) -> FactRule:
    unknown = set(row) - _FACT_RULE_FIELDS
    if unknown:
        raise RulesError(f"{where}: unknown field(s) {sorted(unknown)}")
    if row.get("attribute") not in known:
        raise RulesError(f"{where}: fact rule for unknown attribute {row.get('attribute')!r}")
    method = row.get("method")
    if method not in METHODS:
        raise RulesError(f"{where}: unknown method {method!r} (one of {sorted(METHODS)})")
    for needed in METHODS[method]:
        if not row.get(needed):
            raise RulesError(f"{where}: method {method!r} needs {needed!r}")
    if row.get("when") not in (None, "definition"):
        raise RulesError(f"{where}: 'when' must be 'definition' if given")
    return FactRule(
        attribute=row["attribute"],
        method=method,
        patterns=_freeze(row.get("patterns", [])),
        triggers=_freeze(row.get("triggers", [])),
        labels=tuple(row.get("labels", [])),
        keywords=tuple(sorted(row.get("keywords", {}).items())),
        modalities=_freeze(row.get("modalities", [])),
        when=row.get("when"),
    )


def _token_patterns(where: str, patterns: Any) -> None:
    """Raise if any Matcher pattern breaks spaCy's schema (a misspelt attribute or operator)."""
    from spacy.schemas import validate_token_pattern

    if not isinstance(patterns, (list, tuple)):
        raise RulesError(f"{where}: patterns must be a list of token patterns")
    for pattern in patterns:
        problems = validate_token_pattern(_thaw(pattern))
        if problems or not pattern:
            raise RulesError(f"{where}: invalid pattern {_thaw(pattern)!r}: "
                             + ("; ".join(problems) or "empty"))


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


def validate_patterns(directory: Path = RULES_DIR) -> None:
    """Check every token pattern in the rules against spaCy's schema, naming file and line.

    Separate from ``load_rules`` because it imports spaCy, which the bot's answer path
    does not need; ingestion calls it (``load_rules(validate=True)``) before extracting.
    """
    for where, row in _jsonl(directory / "fact_rules.jsonl"):
        for name in ("patterns", "triggers"):
            if name in row:
                _token_patterns(f"{where} ({name})", row[name])
        for modality in row.get("modalities", []):
            _token_patterns(f"{where} (modality {modality.get('value')!r})",
                            modality.get("patterns"))
    for where, row in _jsonl(directory / "entities.jsonl"):
        if not isinstance(row.get("label"), str) or "pattern" not in row:
            raise RulesError(f"{where}: an entity pattern needs 'label' and 'pattern'")
        if not isinstance(row["pattern"], str):
            _token_patterns(where, [row["pattern"]])
    article = directory / "article.json"
    for key in ("title_patterns", "coordinated_title_patterns"):
        for pattern in _article(directory).get(key, ()):
            try:
                compiled = re.compile(pattern)
            except (re.error, TypeError) as error:
                raise RulesError(f"{article} ({key}): invalid pattern {pattern!r}: {error}"
                                 ) from error
            if key == "title_patterns" and "pair" not in compiled.groupindex:
                raise RulesError(f"{article} ({key}): {pattern!r} needs a (?P<pair>...) group")


def _article(directory: Path) -> dict[str, Any]:
    path = directory / "article.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RulesError(f"{path}: {error}") from error


def load_rules(directory: Path = RULES_DIR, validate: bool = False) -> Rules:
    """The rules in ``directory``. Structure is always checked; ``validate`` also checks every
    token pattern against spaCy's schema (see ``validate_patterns``)."""
    if validate:
        validate_patterns(directory)
    attributes = []
    for where, row in _jsonl(directory / "attributes.jsonl"):
        try:
            attributes.append(AttributeSpec(**{**row, "cues": tuple(row.get("cues", ()))}))
        except TypeError as error:
            raise RulesError(f"{where}: {error}") from error
    names = [spec.name for spec in attributes]
    if len(set(names)) != len(names):
        raise RulesError(f"{directory / 'attributes.jsonl'}: duplicate attribute names")
    known = set(names)
    fact_rules = tuple(
        _fact_rule(where, row, known) for where, row in _jsonl(directory / "fact_rules.jsonl")
    )
    aliases = []
    for where, row in _jsonl(directory / "aliases.jsonl"):
        try:
            aliases.append(CuratedAlias(**row))
        except TypeError as error:
            raise RulesError(f"{where}: {error}") from error
    return Rules(tuple(attributes), fact_rules, tuple(aliases), _article(directory))
