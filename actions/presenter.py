"""Turn knowledge-service answers into message text.

Sentences and phrases come from ``domain.yml`` responses (``utter_phrase_*``); facts come from
the knowledge base; this module only arranges them (numbered lists, tables, source lines).
Output is plain Markdown; channels adapt it (Slack mrkdwn, the web widget's renderer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.kb.answers import Citation, Contrast, FactItem


class Phrases:
    """Short phrases kept in the domain, e.g. ``utter_phrase_not_stated``."""

    def __init__(self, domain: dict[str, Any]) -> None:
        self._responses = domain.get("responses", {})

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


def values_text(items: Iterable[FactItem]) -> str:
    """Values joined by commas; a statement's own full stop is dropped (it sits mid-line)."""
    return ", ".join(dict.fromkeys(escape_markdown(item.value.rstrip(".")) for item in items))


def contrast_line(contrast: Contrast, phrases: Phrases) -> str:
    """"**Label**: Left: values; Right: values" (a silent side says so)."""
    sides = []
    for side in (contrast.left, contrast.right):
        shown = values_text(side.items[:1]) if _is_statement(side.items) else values_text(
            side.items)
        sides.append(phrases("side", topic=topic_title(side.topic),
                             values=shown or phrases("not_stated")))
    return phrases("contrast", label=topic_title(contrast.label), sides="; ".join(sides))


def _is_statement(items: tuple[FactItem, ...]) -> bool:
    return bool(items) and len(items[0].value.split()) > 8


def numbered(lines: Iterable[str]) -> str:
    return "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def bulleted(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def table(contrasts: Iterable[Contrast], phrases: Phrases) -> str:
    contrasts = list(contrasts)
    if not contrasts:
        return ""
    left, right = contrasts[0].left.topic, contrasts[0].right.topic
    aspect = phrases("table_aspect")
    rows = [f"| {aspect} | {topic_title(left)} | {topic_title(right)} |",
            "|---|---|---|"]
    for contrast in contrasts:
        cells = [values_text(side.items[:1] if _is_statement(side.items) else side.items)
                 or phrases("not_stated") for side in (contrast.left, contrast.right)]
        rows.append(f"| {topic_title(contrast.label)} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)
