"""Pure text converters for the bot's answers, one per channel dialect.

The bot writes its answers in a small, common Markdown subset (``**bold**``, ``1.`` numbered and
``-`` bulleted lists, simple pipe tables, ``[text](url)`` links). The web widget renders that
Markdown itself; Slack speaks its own "mrkdwn" dialect (``*bold*``, ``<url|text>``, no tables,
``&``, ``<``, ``>`` escaped), so :func:`markdown_to_mrkdwn` translates. :func:`neutralize_links`
removes links whose scheme a browser could execute (``javascript:`` ...), because rasa-webchat
turns off react-markdown's own URI filter.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
# A link destination may hold one level of balanced parentheses: (javascript:alert(1)).
_DESTINATION = r"\(\s*(?:<([^<>\n]*)>|((?:[^()\s<>]|\([^()\s]*\))+))(?:\s+\"[^\"]*\")?\s*\)"
_IMAGE = re.compile(r"!\[([^\]\n]*)\]" + _DESTINATION)
_LINK = re.compile(r"\[([^\]\n]+)\]" + _DESTINATION)
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_BOLD_MARK = "\x00"


def markdown_to_mrkdwn(text: str) -> str:
    """Translate the bot's Markdown into Slack mrkdwn.

    Lists keep their numbers (Slack shows them as typed), ``-``/``*`` bullets become ``•``,
    headings and ``**bold**`` become ``*bold*``, pipe tables become one block per row.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    in_code = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_code = not in_code
            out.append("```")
            i += 1
            continue
        if in_code:
            out.append(_escape(line))
            i += 1
            continue
        if _is_table_start(lines, i):
            table = [lines[i]]
            i += 2  # header and separator
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                table.append(lines[i])
                i += 1
            out.extend(_table_to_mrkdwn([_split_row(row) for row in table]))
            continue
        out.append(_block_line(line))
        i += 1
    return "\n".join(out)


def neutralize_links(text: str) -> str:
    """Keep Markdown links and images only for http(s)/mailto URLs; others become plain text."""

    def link(match: re.Match[str]) -> str:
        return match.group(0) if _is_safe_url(_url(match)) else match.group(1)

    def autolink(match: re.Match[str]) -> str:
        return match.group(0) if _is_safe_url(match.group(1)) else match.group(1)

    def definition(match: re.Match[str]) -> str:
        return match.group(0) if _is_safe_url(match.group(1)) else ""

    text = _IMAGE.sub(link, text)
    text = _LINK.sub(link, text)
    text = _DEFINITION.sub(definition, text)
    return _AUTOLINK.sub(autolink, text)


def count_list_items(text: str) -> int:
    """How many top-level list items (numbered or bulleted) a message has."""
    return sum(
        1
        for line in text.splitlines()
        if re.match(r"^(\d{1,3}[.)]|[-*+•])\s+\S", line)
    )


def _url(link: re.Match[str]) -> str:
    return link.group(2) if link.group(2) is not None else link.group(3)


def _is_safe_url(url: str) -> bool:
    # Markdown decodes entities in destinations (jav&#97;script:), browsers drop control chars.
    url = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    has_scheme = re.match(r"^[a-z][a-z0-9+.-]*:", url) is not None
    return url.startswith(_SAFE_SCHEMES) or not has_scheme


def _block_line(line: str) -> str:
    if heading := _HEADING.match(line):
        return f"*{_inline(heading.group(1))}*" if heading.group(1) else ""
    if bullet := _BULLET.match(line):
        indent, rest = bullet.groups()
        return f"{indent}• {_inline(rest)}"
    if numbered := _NUMBERED.match(line):
        indent, number, rest = numbered.groups()
        return f"{indent}{number}. {_inline(rest)}"
    return _inline(line)


def _inline(text: str) -> str:
    """Inline Markdown -> mrkdwn, leaving code spans untouched (but escaped)."""
    parts: list[str] = []
    position = 0
    for code in _INLINE_CODE.finditer(text):
        parts.append(_inline_prose(text[position : code.start()]))
        parts.append(_escape(code.group(0)))
        position = code.end()
    parts.append(_inline_prose(text[position:]))
    return "".join(parts)


def _inline_prose(text: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = match.group(1), _url(match)
        if _is_safe_url(url) and ":" in url:
            links.append(f"<{_escape(url)}|{_escape(label) or _escape(url)}>")
        else:
            links.append(_escape(label))
        return f"\x01{len(links) - 1}\x01"

    text = _IMAGE.sub(keep_link, text)
    text = _LINK.sub(keep_link, text)
    text = _escape(text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(2)}{_BOLD_MARK}", text)
    text = _ITALIC_STAR.sub(r"_\1_", text)
    text = _STRIKE.sub(r"~\1~", text)
    text = text.replace(_BOLD_MARK, "*")
    return re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], text)


def _escape(text: str) -> str:
    # Slack's three control characters; everything else is literal in mrkdwn.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_table_start(lines: list[str], i: int) -> bool:
    return (
        "|" in lines[i]
        and i + 1 < len(lines)
        and _TABLE_SEPARATOR.match(lines[i + 1]) is not None
        and "|" in lines[i + 1]
    )


def _split_row(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _table_to_mrkdwn(rows: list[list[str]]) -> list[str]:
    """Slack has no tables: each body row becomes a bold label and one bullet per other column."""
    header, body = rows[0], rows[1:]
    out: list[str] = []
    for row in body:
        cells = row + [""] * (len(header) - len(row))
        label, values = cells[0], cells[1:]
        if len(header) == 2:
            out.append(f"• *{_inline(label)}*: {_inline(values[0])}" if label else
                       f"• {_inline(values[0])}")
            continue
        if label:
            out.append(f"*{_inline(label)}*")
        for name, value in zip(header[1:], values, strict=False):
            name_part = f"{_inline(name)}: " if name else ""
            out.append(f"• {name_part}{_inline(value)}")
    return out
