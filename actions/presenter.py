"""Lay a composed ``Reply`` out as message text.

Sentences and phrases come from ``domain.yml`` responses (``utter_phrase_*``); facts and quoted
sentences come from the knowledge base; this module only arranges them (lists, quotes, tables,
the source line). Output is plain Markdown; channels adapt it (Slack mrkdwn, the web widget's
renderer). Everything taken from the student or the sources is escaped, never rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.answering.reply import Facts, Part, Points, Quote, Reply, Say, Table
from bot.kb.answers import Citation

# Values named like these are field names: shown capitalised.
_TOPIC_VALUES = ("topic", "topics", "left", "right", "others")


class Phrases:
    """Short phrases kept in the domain, e.g. ``utter_phrase_not_stated``."""

    def __init__(self, domain: dict[str, Any]) -> None:
        self._responses = domain.get("responses", {})

    def has(self, name: str) -> bool:
        return bool(self._responses.get(f"utter_phrase_{name}"))

    def __call__(self, name: str, **values: Any) -> str:
        variants = self._responses.get(f"utter_phrase_{name}")
        if not variants:
            raise KeyError(f"domain.yml has no response utter_phrase_{name}")
        return str(variants[0]["text"]).format(**values)


def topic_title(topic: str) -> str:
    return topic[:1].upper() + topic[1:]


def escape_markdown(text: str) -> str:
    """Source or user text must not become markup: neutralise Markdown/HTML control chars."""
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def source_line(citations: Iterable[Citation], phrases: Phrases) -> str:
    """"Source: <title>, sections “A”, “B”" for the citations used, in first-seen order."""
    by_title: dict[str, list[str]] = {}
    for citation in citations:
        sections = by_title.setdefault(citation.source_title, [])
        if citation.section not in sections:
            sections.append(citation.section)
    parts = [
        phrases("source_part", title=escape_markdown(title),
                sections=", ".join(f"“{escape_markdown(s)}”" for s in sections))
        for title, sections in by_title.items()
    ]
    return phrases("source", sources="; ".join(parts))


def numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def bulleted(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def quoted(citation: Citation, text: str | None = None) -> str:
    """A source sentence (or the clause of it that is meant) in quotation marks, without the
    article's own bold or italics ("**Admission:** ..."); a table row as its cells."""
    if citation.kind == "row":
        cells = [c.strip() for c in citation.sentence.strip().strip("|").split("|")]
        return escape_markdown(_plain(" — ".join(c for c in cells if c)))
    return f"“{escape_markdown(_plain(text or citation.sentence))}”"


_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*(?=\S))(?P<inner>\S(?:.*?\S)?)\1(?!\w)")


def _plain(text: str) -> str:
    return _EMPHASIS.sub(lambda m: m.group("inner"), text)


def _value(name: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(name, v) for v in value)
    text = str(value)
    if name in _TOPIC_VALUES:
        return " and ".join(topic_title(t) for t in text.split(" and "))
    return escape_markdown(text)


def say(part: Say, phrases: Phrases) -> str:
    values = dict(part.values)
    if part.phrase == "contrast":
        sides = [phrases("side", topic=topic_title(topic),
                         values=", ".join(escape_markdown(v.rstrip(".")) for v in vals)
                         or phrases("not_stated"))
                 for topic, vals in values["sides"]]
        return phrases("contrast", label=topic_title(str(values["label"])),
                       sides="; ".join(sides))
    name = part.phrase
    if not phrases.has(name) and name.startswith("silent_"):
        concept = str(values.get("concept", ""))
        thing = str(values.get("thing", "")).lower()
        name = "silent" if not concept or concept in thing or thing in concept else (
            "silent_concept")
    shown = {k: _value(k, v) for k, v in values.items()}
    if "sentence" in values:
        shown["sentence"] = escape_markdown(str(values["sentence"]))
    return phrases(name, **shown)


def facts(part: Facts, phrases: Phrases) -> str:
    lines = []
    heading = ""
    if part.topic and part.label:
        heading = phrases("facts_heading", topic=topic_title(part.topic),
                          label=escape_markdown(part.label))
    elif part.label:
        heading = phrases("label_heading", label=topic_title(escape_markdown(part.label)))
    elif part.topic:
        heading = phrases("topic_heading", topic=topic_title(part.topic))
    if part.values:
        values = ", ".join(escape_markdown(v.rstrip(".")) for v in part.values)
        heading = f"{heading} {values}" if heading else values
    if heading:
        lines.append(heading)
    lines += [f"- {quoted(c, text)}" for text, c in part.excerpts()]
    return "\n".join(lines)


def render_part(part: Part, phrases: Phrases) -> str:
    if isinstance(part, Say):
        return say(part, phrases)
    if isinstance(part, Facts):
        return facts(part, phrases)
    if isinstance(part, Quote):
        return quoted(part.citation)
    if isinstance(part, Points):
        lines = [render_part(item, phrases).replace("\n", " ") for item in part.items]
        return numbered(lines) if part.numbered else bulleted(lines)
    if isinstance(part, Table):
        header = [escape_markdown(topic_title(h)) or phrases("table_aspect")
                  for h in part.header]
        rows = [f"| {' | '.join(header)} |", "|" + "---|" * len(header)]
        for row in part.rows:
            cells = [escape_markdown(topic_title(c.rstrip("."))) or phrases("not_stated")
                     for c in row]
            rows.append(f"| {' | '.join(cells)} |")
        return "\n".join(rows)
    raise TypeError(f"unknown reply part {part!r}")


def render(reply: Reply, phrases: Phrases) -> dict[str, str]:
    """The values of the reply's domain response: ``body`` and ``source``, plus its own."""
    values = {k: _value(k, v) for k, v in reply.values}
    body = "\n\n".join(text for text in (render_part(p, phrases) for p in reply.parts) if text)
    values["body"] = body
    values["source"] = source_line(reply.citations, phrases) if reply.citations else ""
    return values
