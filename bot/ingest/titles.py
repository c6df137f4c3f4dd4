"""The two subjects a comparison names: "Difference between A and B" (titles and questions)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher


class TitleParser:
    """Reads "difference between A and B" / "comparison of A vs B" by the article rules'
    title patterns and separators."""

    def __init__(self, nlp: Language, article_rules: Mapping[str, Any]) -> None:
        self.nlp = nlp
        self._separators = tuple(article_rules["title_separators"])
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._matcher.add("TITLE", [list(p) for p in article_rules["title_patterns"]])

    def subjects(self, text: str) -> list[str]:
        """The lowercase subjects after the comparison phrase, or [] when there is none."""
        doc = self.nlp.make_doc(text)
        matches = self._matcher(doc)
        if not matches:
            return []
        rest = doc[max(end for _, _, end in matches):].text.strip().lower()
        for separator in self._separators:
            if separator in rest:
                left, right = rest.split(separator, 1)
                names = [" ".join(left.split()), " ".join(right.split())]
                return [name for name in names if name]
        return []
