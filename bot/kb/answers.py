"""What the knowledge service returns: frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """Where a statement comes from: source article, section and the sentence itself."""

    source_title: str
    source_path: str
    section: str
    sentence: str
    start: int
    end: int
    passage_id: int = 0
    block: int = 0  # the paragraph, list item or table row the sentence belongs to
    kind: str = "sentence"  # sentence | row (a comparison table's row)

    @property
    def label(self) -> str:
        return f"{self.source_title}, section “{self.section}”"


@dataclass(frozen=True)
class FactItem:
    value: str
    key: str
    citation: Citation
    topic: str = ""
    attribute: str = ""


@dataclass(frozen=True)
class TopicInfo:
    name: str
    aliases: tuple[str, ...]
    counterpart: str | None  # the topic its first source article compares it with
    counterparts: tuple[str, ...] = ()  # every topic an article compares it with
    notes: tuple[str, ...] = ()  # where each alias comes from (same order as ``aliases``)


@dataclass(frozen=True)
class AttributeAnswer:
    """All a topic's facts for one attribute; ``items`` is empty when the sources are silent."""

    topic: str
    attribute: str
    label: str
    items: tuple[FactItem, ...]

    @property
    def values(self) -> tuple[str, ...]:
        """Each value once (compared case-insensitively, as merged across sources)."""
        return _unique_values(self.items)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(dict.fromkeys(item.citation for item in self.items))


def _unique_values(items: tuple[FactItem, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.key or item.value.lower(), item.value)
    return tuple(seen.values())


@dataclass(frozen=True)
class Side:
    topic: str
    items: tuple[FactItem, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return _unique_values(self.items)

    @property
    def is_silent(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class Contrast:
    """One dimension on which two topics are compared: a difference or a similarity."""

    dimension: str
    label: str
    left: Side
    right: Side
    shared: tuple[str, ...]  # values both sides state

    @property
    def one_sided(self) -> bool:
        return self.left.is_silent or self.right.is_silent


@dataclass(frozen=True)
class Comparison:
    left: str
    right: str
    differences: tuple[Contrast, ...]
    similarities: tuple[Contrast, ...]


@dataclass(frozen=True)
class PassageHit:
    citation: Citation
    score: float
