"""The subjects a comparison names: "Difference between A and B", "A vs B: key differences",
"Comparing A and B", "What is the difference between A and B?" (titles and questions alike).

The wordings are data (``article.json``: ``title_patterns`` are regular expressions with a
``pair`` group, ``title_separators`` split the pair). A coordinated head is shared: in
"Production and Operations Management" both fields are managements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Where a title's parts meet: "A vs B: what's the difference?", "IHM - A and B", "A | B".
_PART_BREAK = re.compile(r"\s*(?::|\||\s[-–—]\s|\?)\s*")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def normalise_name(name: str) -> str:
    """A topic name as stored: lowercase, single spaces, "&" as "and", no edge punctuation."""
    name = name.replace("&", " and ").replace("’", "'")
    name = " ".join(name.lower().split())
    return _EDGE.sub("", name)


class TitleParser:
    def __init__(self, article_rules: Mapping[str, Any]) -> None:
        self._patterns = tuple(re.compile(p, re.IGNORECASE)
                               for p in article_rules["title_patterns"])
        self._coordinated = tuple(re.compile(p, re.IGNORECASE)
                                  for p in article_rules.get("coordinated_title_patterns", ()))
        self._separators = tuple(article_rules["title_separators"])
        self._coordinators = tuple(article_rules.get("coordinators", (" and ", " & ")))
        self._heads = tuple(article_rules.get("generic_heads", ()))
        self._single = tuple(re.compile(p, re.IGNORECASE)
                             for p in article_rules.get("single_title_patterns", ()))

    def subject(self, text: str) -> str | None:
        """The one field a title is about, for articles on a single field ("Career in
        Actuarial Science: Eligibility, Exams, Scope"); None when it names none this way."""
        for part in (p for p in _PART_BREAK.split(" ".join(text.split())) if p):
            for pattern in self._single:
                match = pattern.search(part.strip(" .!"))
                if match and match.group("field").strip():
                    return normalise_name(match.group("field"))
        return None

    def subjects(self, text: str) -> list[str]:
        """The lowercase subjects a comparison names, or [] when the text names no pair.
        Where a title names the pair twice ("HRM vs PM: Differences Between Human Resource
        Management and Personnel Management"), the reading with the fullest names wins."""
        parts = [p for p in _PART_BREAK.split(" ".join(text.split())) if p]
        found: list[list[str]] = []
        for part in parts:
            for pattern in self._patterns:
                match = pattern.search(part)
                if match:
                    names = self._split(match.group("pair"))
                    if len(names) == 2:
                        found.append(names)
                        break
        if found:
            return max(found, key=lambda names: sum(len(n.split()) for n in names))
        # "Production and Operations Management: key differences": the pair is coordinated and
        # another part of the title says it is a comparison.
        if len(parts) > 1 and any(p.search(" ".join(parts)) for p in self._coordinated):
            for part in parts:
                names = self._split(part)
                if len(names) == 2 and not any(p.search(part) for p in self._coordinated):
                    return names
        return []

    def _split(self, pair: str) -> list[str]:
        pair = " " + pair.strip() + " "
        lowered = pair.lower()
        for separator in self._separators:
            index = lowered.find(separator)
            if index < 0:
                continue
            left, right = pair[:index], pair[index + len(separator):]
            names = [normalise_name(left), normalise_name(right)]
            if not all(names):
                continue
            if separator in self._coordinators:
                names[0] = self._shared_head(names[0], names[1])
            return names
        return []

    def _shared_head(self, left: str, right: str) -> str:
        """"production" in "production and operations management" is "production management"."""
        left_words, right_words = left.split(), right.split()
        if len(right_words) < 2 or len(left_words) > 2 or right_words[-1] not in self._heads:
            return left
        if left_words[-1] in self._heads or len(left_words) == 1 and len(left) <= 4:
            return left  # "HRM and financial management": an abbreviation has its own head
        return f"{left} {right_words[-1]}"
