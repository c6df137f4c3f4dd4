"""Read a source file safely and split it into title, sections, blocks and reader comments.

Articles come in many shapes: plain paragraphs, Markdown headings, numbered or bulleted lists,
pipe tables, Q&A pages ("Q: ..." / "A: ..."). The reader keeps each block's kind and exact
offset in the source, so every fact can cite the characters it came from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A source that cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    checksum: str


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item or table row with its character offset in the source.

    ``kind`` is one of ``paragraph``, ``heading``, ``item``, ``row``, ``question``. A list item
    "Scope: ..." carries ``label`` "Scope"; a table row carries its ``cells`` and the table's
    ``columns`` (the header row's cells)."""

    text: str
    start: int
    is_heading: bool
    kind: str = "paragraph"
    label: str = ""
    cells: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    reader_comments: tuple[str, ...]


def read_source(path: Path) -> SourceText:
    if path.exists() and not path.is_file():
        # a directory, FIFO or device named like an article (reading a FIFO would block)
        raise SourceError(path, "cannot be read (not a regular file)")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(path, f"cannot be read ({error.strerror or error})") from error
    if b"\x00" in raw:
        raise SourceError(path, "looks binary (contains NUL bytes); sources must be UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(path, f"is not valid UTF-8 (byte {error.start})") from error
    if not text.strip():
        raise SourceError(path, "is empty")
    return SourceText(path, text, hashlib.sha256(raw).hexdigest())


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(?P<text>.*?)[\s#]*$")
# "1. ", "2) ", "- ", "* ", "• ": a list item; the marker is not part of the item's text.
_LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[-*+•·▪◦])[ \t]+(?=\S)")
_TABLE_SEPARATOR = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Q&A pages: "Q: ...", "Question: ...", "A: ...", "Ans.", possibly in bold.
_QA_PREFIX = re.compile(r"(?:\*\*|__)?\s*(?:q|question|a|ans|answer)\s*[.:)]\s*(?:\*\*|__)?\s*",
                        re.IGNORECASE)
_EMPHASIS = re.compile(r"^(\*\*|__)(?P<inner>.+?)\1\s*$")
# "Scope: Hotel management deals with ...": the label names the dimension of the item.
_LABEL = re.compile(r"(?P<label>[^\W\d][\w '’/&()-]{0,60}?)\s*[:–—]\s+(?=\S)")
_LABEL_MAX_WORDS = 6


@dataclass
class _Line:
    text: str  # without the line break
    start: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_INLINE_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def unemphasised(text: str) -> str:
    """The text with inline bold markers ("**Admission:** some ...") blanked, the same length
    so that every offset still points into the article."""
    return _INLINE_EMPHASIS.sub(
        lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)), text)


def _lines(text: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(text):
        body = match.group(0).rstrip("\r\n")
        if match.start() == len(text) and not body:
            break
        lines.append(_Line(body, match.start()))
    return lines


def _trimmed(text: str, start: int) -> tuple[str, int]:
    """The text without surrounding whitespace, and the offset of its first character."""
    stripped = text.lstrip()
    start += len(text) - len(stripped)
    return stripped.rstrip(), start


def _unwrapped(text: str, start: int) -> tuple[str, int, bool]:
    """A Q/A prefix or whole-line emphasis removed (offsets kept); whether a Q/A prefix was."""
    had_prefix = False
    emphasis = _EMPHASIS.match(text)
    if emphasis:
        start += emphasis.start("inner")
        text = emphasis.group("inner")
    prefix = _QA_PREFIX.match(text)
    if prefix and prefix.end() < len(text):
        had_prefix = True
        start += prefix.end()
        text = text[prefix.end():]
    text, start = _trimmed(text, start)
    if text.endswith(("**", "__")) and not text.startswith(("**", "__")):
        text = text[:-2].rstrip()
    return text, start, had_prefix


def _cells(line: str) -> list[str]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [" ".join(cell.split()).strip("*_ ") for cell in inner.split("|")]


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.count("|") >= 2 and (stripped.startswith("|") or stripped.endswith("|"))


def _label(text: str) -> str:
    match = _LABEL.match(text)
    if not match:
        return ""
    label = match.group("label").strip()
    return label if len(label.split()) <= _LABEL_MAX_WORDS else ""


def _paragraph_block(text: str, start: int, max_heading_words: int, qa: bool) -> Block:
    single_line = "\n" not in text and "\r" not in text
    if qa and text.rstrip().endswith("?"):
        return Block(text, start, False, "question")
    is_heading = (
        single_line
        and not qa
        and len(text.split()) <= max_heading_words
        and text.rstrip()[-1] not in ".?!:;,"
    )
    if is_heading:
        return Block(text, start, True, "heading")
    if text.rstrip().endswith("?") and len(text.split()) <= 25:
        return Block(text, start, False, "question")
    return Block(text, start, False)


def _blocks(text: str, max_heading_words: int) -> list[Block]:
    blocks: list[Block] = []
    lines = _lines(text)
    columns: tuple[str, ...] = ()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            columns = ()
            i += 1
            continue
        body, start = _trimmed(line.text, line.start)
        markdown = _MARKDOWN_HEADING.match(body)
        if markdown and markdown.group("text"):
            # "## Operations Management": a heading whatever its length or punctuation.
            heading, hstart, _ = _unwrapped(markdown.group("text"), start + markdown.start("text"))
            blocks.append(Block(heading, hstart, True, "heading"))
            i += 1
            continue
        if _is_table_line(body):
            if _TABLE_SEPARATOR.match(body):
                i += 1
                continue
            cells = tuple(_cells(body))
            following = lines[i + 1].text if i + 1 < len(lines) else ""
            if not columns and _TABLE_SEPARATOR.match(following.strip() or "x"):
                columns = cells  # the header row names the columns
            else:
                blocks.append(Block(body, start, False, "row", cells=cells, columns=columns))
            i += 1
            continue
        marker = _LIST_MARKER.match(line.text)
        # A paragraph, or a list item with its continuation lines, up to a blank line, a
        # heading, a table or the next list item.
        j = i + 1
        while j < len(lines):
            nxt = lines[j]
            if nxt.blank or _MARKDOWN_HEADING.match(nxt.text.strip()) or _is_table_line(nxt.text):
                break
            if _LIST_MARKER.match(nxt.text):
                break
            if _QA_PREFIX.match(nxt.text.strip()) and not marker:
                break
            j += 1
        end_line = lines[j - 1]
        end = end_line.start + len(end_line.text)
        if marker:
            item_start = line.start + marker.end()
            item, istart = _trimmed(text[item_start:end], item_start)
            item, istart, _ = _unwrapped(item, istart)
            blocks.append(Block(item, istart, False, "item", label=_label(item)))
        elif _is_chart(lines[i:j]):
            # A comparison chart pasted from a web page: a short line per cell, no punctuation.
            for cell in lines[i:j]:
                body, cstart = _trimmed(cell.text, cell.start)
                if body:
                    blocks.append(Block(body, cstart, False, "line"))
        else:
            lead = _lead_line(lines[i], j - i > 1, max_heading_words)
            if lead is not None:
                # "**What is the eligibility?**" (or "**Duration**") on its own line, the
                # answer on the next: the question (or heading) is a block of its own
                blocks.append(lead)
                line = lines[i + 1]
            para, pstart = _trimmed(text[line.start:end], line.start)
            para, pstart, qa = _unwrapped(para, pstart)
            if para:
                blocks.append(_paragraph_block(para, pstart, max_heading_words, qa))
        i = j
    return blocks


CHART_LINE_WORDS = 14
LEAD_QUESTION_WORDS = 25


def _lead_line(line: _Line, more: bool, max_heading_words: int) -> Block | None:
    """The first line of a paragraph when it is a question or a bold heading of its own
    ("**How long are the two courses?**", "**1. Duration**") and lines follow it."""
    if not more:
        return None
    body, start = _trimmed(line.text, line.start)
    bold = _EMPHASIS.match(body) is not None
    inner, istart, _ = _unwrapped(body, start)
    if not inner:
        return None
    if inner.endswith("?") and len(inner.split()) <= LEAD_QUESTION_WORDS and (
            bold or not _QA_PREFIX.match(body)):
        return Block(inner, istart, False, "question")
    if bold and len(inner.split()) <= max_heading_words and inner[-1] not in ".!;,":
        return Block(inner.rstrip(":"), istart, True, "heading")
    return None


def _is_chart(lines: list[_Line]) -> bool:
    """Three or more short lines, most without a full stop: cells, not sentences."""
    if len(lines) < 3:
        return False
    short = [ln for ln in lines if len(ln.text.split()) <= CHART_LINE_WORDS]
    unpunctuated = [ln for ln in lines if not ln.text.rstrip().endswith((".", "?", "!"))]
    return len(short) == len(lines) and len(unpunctuated) >= 0.7 * len(lines)


def _is_title(block: Block, rules: dict) -> bool:
    """A title is one line of at most ``title_max_words`` words that does not end a sentence
    ("Finance or Accounting — Which Career Should You Pick?" is one; a paragraph is not)."""
    text = " ".join(block.text.split())
    return ("\n" not in block.text.strip() and len(text.split()) <= rules["title_max_words"]
            and not text.endswith((".", ";", ",")))


def _is_comment_marker(text: str, rules: dict) -> bool:
    lowered = " ".join(text.lower().split())
    if any(lowered.startswith(marker) for marker in rules["comment_markers"]):
        return True
    return re.match(rules["comment_marker_regex"], lowered) is not None


def split_article(text: str, rules: dict, name: str = "") -> Article:
    """Title = first block, when it reads as a title (one short line, not a sentence);
    otherwise the article has none and ``name`` (the file's name, in words) stands in for it.
    Headings start sections; the comment tail is set aside."""
    blocks = _blocks(text, rules["heading_max_words"])
    if not blocks:
        return Article(name, (), ())
    if _is_title(blocks[0], rules):
        title, body = " ".join(blocks[0].text.split()), blocks[1:]
    else:
        title, body = name, blocks
    sections: list[Section] = []
    heading, current = title, []
    comments: list[str] = []
    for block in body:
        if comments or _is_comment_marker(block.text, rules):
            comments.append(" ".join(block.text.split()))
            continue
        if block.is_heading:
            if current:
                sections.append(Section(heading, tuple(current)))
            heading, current = " ".join(block.text.split()), []
        else:
            current.append(block)
    if current:
        sections.append(Section(heading, tuple(current)))
    return Article(title, tuple(sections), tuple(comments))
