"""Split an enumeration ("A, B, C and D", "A or B in addition to C") into its items."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token


def _separator_at(tokens: Sequence[Token], i: int, separators: list[list[str]]) -> int:
    """Length of the separator starting at ``i`` (0 if none); longest first."""
    for separator in sorted(separators, key=len, reverse=True):
        words = [t.lower_ for t in tokens[i : i + len(separator)]]
        if words == separator:
            return len(separator)
    return 0


def split_enumeration(tokens: Sequence[Token], config: dict) -> list[str]:
    """Items of the enumeration that starts at ``tokens[0]``, as they are written in the text."""
    items: list[list[Token]] = [[]]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        glued = token.lower_ == "and" and i + 1 < len(tokens) and (
            tokens[i + 1].lower_ in config["glue_after_and"]
        )
        width = 0 if glued else _separator_at(tokens, i, config["separators"])
        if width:
            items.append([])
            i += width
            continue
        if token.lower_ in config["terminators"] or token.is_punct and token.text not in "-&'’":
            break
        items[-1].append(token)
        i += 1
    texts = [_item_text(item) for item in items if item]
    return _tidy(texts, config)


def _item_text(tokens: list[Token]) -> str:
    doc: Doc = tokens[0].doc
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _tidy(items: list[str], config: dict) -> list[str]:
    leading = set(config["leading_words"])
    heads = set(config["distributive_heads"])
    glue = set(config["glue_after_and"])
    tidy = []
    for item in items:
        words = item.split()
        while words and words[0].lower() in leading:
            words = words[1:]
        keeps_head = any(word.lower() in glue for word in words)
        if len(words) > 1 and words[-1].lower() in heads and not keeps_head:
            words = words[:-1]
        if words:
            tidy.append(" ".join(words))
    return tidy
