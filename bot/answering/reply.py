"""What the composer hands to the actions: a reply as structure, not as text.

A ``Reply`` names the domain response to utter and holds its parts in order: sentences
(``Say``: a domain phrase and its values), a field's facts (``Facts``), quoted source
sentences (``Quote``), lists (``Points``) and tables (``Table``), plus the citations behind
them. The wording of every part lives in ``domain.yml``; the presenter in ``actions/`` lays it
out for the channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.kb.answers import Citation


@dataclass(frozen=True)
class Say:
    """One sentence from the domain: ``utter_phrase_<phrase>`` filled with ``values``."""

    phrase: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, phrase: str, **values: Any) -> Say:
        return cls(phrase, tuple(values.items()))


@dataclass(frozen=True)
class Facts:
    """What the sources say of one field under one heading: values, and the sentences."""

    topic: str
    label: str
    values: tuple[str, ...] = ()
    quotes: tuple[Citation, ...] = ()
    clauses: tuple[str, ...] = ()  # what to quote of each sentence ("" for all of it)

    def excerpts(self) -> tuple[tuple[str, Citation], ...]:
        clauses = self.clauses or ("",) * len(self.quotes)
        return tuple((clause or citation.sentence, citation)
                     for clause, citation in zip(clauses, self.quotes, strict=False))


@dataclass(frozen=True)
class Quote:
    citation: Citation


@dataclass(frozen=True)
class Points:
    items: tuple[Say | Facts, ...]
    numbered: bool = True


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Part = Say | Facts | Quote | Points | Table


@dataclass(frozen=True)
class Memory:
    """What the next turn may need: the question's kind, fields, things, count, format, the
    student's background and the detail the bot asked for."""

    kind: str | None = None
    topics: tuple[str, ...] = ()
    things: tuple[tuple[str, str], ...] = ()
    count: int | None = None
    table: bool = False
    background: dict[str, Any] = field(default_factory=dict)
    awaiting: str | None = None
    asked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    response: str  # the domain response: utter_answer, utter_out_of_scope, ...
    parts: tuple[Part, ...] = ()
    citations: tuple[Citation, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()  # further values of the response ({topics})
    unanswered: str | None = None  # why the editors should see this question
    memory: Memory | None = None  # None: keep what the conversation had

    def value(self, name: str, default: Any = None) -> Any:
        return dict(self.values).get(name, default)
