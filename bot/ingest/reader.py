"""Read a source file safely and split it into title, sections and reader comments."""

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
    """A paragraph or heading with its character offset in the source."""

    text: str
    start: int
    is_heading: bool


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


# A block: a Markdown heading line, or lines up to a blank line (or up to a heading line).
_BLOCK = re.compile(
    r"#{1,6}[ \t].*|\S(?:.*\S)?(?:\r?\n[ \t\xa0]*(?!#{1,6}[ \t])\S(?:.*\S)?)*"
)
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+(?P<text>.*?)[\s#]*$")


def _blocks(text: str, max_heading_words: int) -> list[Block]:
    blocks = []
    for match in _BLOCK.finditer(text):
        body = match.group(0)
        single_line = "\n" not in body
        markdown = _MARKDOWN_HEADING.match(body) if single_line else None
        if markdown and markdown.group("text"):
            # "## Operations Management": a heading whatever its length or punctuation.
            start = match.start() + markdown.start("text")
            blocks.append(Block(markdown.group("text"), start, True))
            continue
        is_heading = (
            single_line
            and len(body.split()) <= max_heading_words
            and body.rstrip()[-1] not in ".?!:;,"
        )
        blocks.append(Block(body, match.start(), is_heading))
    return blocks


def _is_comment_marker(text: str, rules: dict) -> bool:
    lowered = " ".join(text.lower().split())
    if any(lowered.startswith(marker) for marker in rules["comment_markers"]):
        return True
    return re.match(rules["comment_marker_regex"], lowered) is not None


def split_article(text: str, rules: dict) -> Article:
    """Title = first block; headings start sections; the comment tail is set aside."""
    blocks = _blocks(text, rules["heading_max_words"])
    if not blocks:
        return Article("", (), ())
    title = " ".join(blocks[0].text.split())
    sections: list[Section] = []
    heading, current = title, []
    comments: list[str] = []
    for block in blocks[1:]:
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
