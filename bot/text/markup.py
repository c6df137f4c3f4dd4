"""A student's message as plain text: markup stripped for understanding, never rendered.

A question pasted with HTML (``<p>which sectors hire PM people?</p>``), a ``<script>``, Markdown
emphasis or control characters is understood by its words alone; what the bot echoes back is
escaped by the presenter, so none of it is ever rendered.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Script and style bodies are code, not words; other tags are dropped and their text kept.
_CODE_ELEMENT = re.compile(r"<\s*(script|style)\b[^>]*>.*?(<\s*/\s*\1\s*>|$)",
                           re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?\s*[A-Za-z][\w:-]*(?:\s[^<>]*)?/?\s*>|<!--.*?-->", re.DOTALL)
_MARKDOWN = re.compile(r"(\*\*|__|~~|`{1,3}|^#{1,6}\s|^\s*>\s?)", re.MULTILINE)
_CONTROL = {c for c in map(chr, range(32)) if c not in "\n\t"} | {"\x7f"}
MAX_CHARS = 20_000  # beyond this a message is cut before it is read at all


def plain_text(text: str) -> str:
    """Tags and script bodies removed, entities decoded, Markdown marks and control characters
    dropped, whitespace collapsed."""
    if not text:
        return ""
    text = text[:MAX_CHARS]
    text = _CODE_ELEMENT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # tags that were written as entities (&lt;b&gt;)
    text = "".join(" " if ch in _CONTROL or unicodedata.category(ch) in ("Cc", "Cf")
                   and ch not in "\n\t\u200d" else ch for ch in text)
    text = _MARKDOWN.sub(" ", text)
    return " ".join(text.split())


def has_markup(text: str) -> bool:
    return bool(_TAG.search(text or "") or _CODE_ELEMENT.search(text or ""))


def latin_share(text: str) -> float:
    """Share of the letters that are Latin script (1.0 for a message without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)
