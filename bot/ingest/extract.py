"""Turn one article into passages, topics, aliases and facts, using only the rules in ``rules/``.

The article genre: a title "Difference between X and Y", an introduction that defines both
fields ("... is called as X"), a section per field, a section of key differentiators, and a
tail of reader comments that are questions, not facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Span

from bot.ingest.enumeration import split_enumeration
from bot.ingest.reader import split_article
from bot.ingest.rules import FactRule, Rules
from bot.ingest.titles import TitleParser
from bot.kb.text import normalise_value


@dataclass(frozen=True)
class ExtractedPassage:
    section: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ExtractedFact:
    topic: str
    attribute: str
    value: str
    passage: int  # index into Extraction.passages


@dataclass(frozen=True)
class ExtractedAlias:
    topic: str
    alias: str
    note: str


@dataclass(frozen=True)
class Extraction:
    title: str
    topics: tuple[str, ...]
    aliases: tuple[ExtractedAlias, ...]
    passages: tuple[ExtractedPassage, ...]
    facts: tuple[ExtractedFact, ...]
    reader_comments: tuple[str, ...]


@dataclass(frozen=True)
class _Unit:
    """A sentence or clause and the topics it speaks about."""

    span: Span
    topics: tuple[str, ...]
    shared: bool = False


def initialism(name: str) -> str:
    return "".join(word[0] for word in name.split()).upper()


class Extractor:
    """Holds the compiled matchers; ``extract`` is called once per article."""

    def __init__(self, nlp: Language, rules: Rules) -> None:
        self.nlp = nlp
        self.rules = rules
        self.config = rules.article
        self._titles = TitleParser(nlp, self.config)
        self._rule_matchers: list[tuple[FactRule, Matcher | None, Matcher | None]] = []
        for number, rule in enumerate(rules.fact_rules):
            self._rule_matchers.append(
                (rule, self._matcher(f"P{number}", rule.patterns),
                 self._matcher(f"T{number}", rule.triggers))
            )
        naming = [r for r in rules.fact_rules if r.method == "naming"]
        copula = [r for r in rules.fact_rules if r.method == "copula"]
        self._naming = self._matcher("NAMING", tuple(p for r in naming for p in r.patterns))
        self._copula = self._matcher("COPULA", tuple(p for r in copula for p in r.patterns))
        self._modalities = {}
        for rule in rules.fact_rules:
            for modality in rule.modalities:
                self._modalities.setdefault(modality["value"], self._matcher(
                    modality["value"], modality["patterns"]))

    def _matcher(self, key: str, patterns: tuple) -> Matcher | None:
        if not patterns:
            return None
        matcher = Matcher(self.nlp.vocab, validate=True)
        matcher.add(key, [list(p) for p in patterns])
        return matcher

    # --- article level -------------------------------------------------------------------

    def extract(self, text: str) -> Extraction:
        article = split_article(text, self.config)
        topics = self._topics_from_title(article.title)
        docs = [
            (section, block, self.nlp(block.text))
            for section in article.sections
            for block in section.blocks
        ]
        aliases = self._aliases(topics, docs)
        mentions = self._mention_matcher(topics, aliases)
        self._surface = {t: t for t in topics} | {a.alias.lower(): a.topic for a in aliases}
        passages: list[ExtractedPassage] = []
        facts: list[ExtractedFact] = []
        for section in article.sections:
            section_topic = self._section_topic(section.heading, topics, aliases)
            previous: tuple[str, ...] = ()
            for sec, block, doc in docs:
                if sec is not section:
                    continue
                for sentence in doc.sents:
                    passage = self._passage(section.heading, block.start, sentence)
                    if passage is None:
                        continue
                    passages.append(passage)
                    units = self._units(sentence, mentions, section_topic, previous)
                    if units:
                        previous = units[-1].topics
                    for unit in units:
                        facts.extend(self._facts(unit, len(passages) - 1))
        return Extraction(
            title=article.title,
            topics=tuple(topics),
            aliases=tuple(aliases),
            passages=tuple(passages),
            facts=tuple(dict.fromkeys(facts)),
            reader_comments=article.reader_comments,
        )

    def _topics_from_title(self, title: str) -> list[str]:
        return self._titles.subjects(title)

    def _aliases(self, topics: list[str], docs) -> list[ExtractedAlias]:
        # Curated aliases come first: where one is also the initials ("PM"), its note (which
        # says how to read the ambiguity) is the one kept.
        aliases = [
            ExtractedAlias(a.topic, a.alias, a.note)
            for a in self.rules.aliases
            if a.topic in topics
        ]
        aliases += [ExtractedAlias(t, initialism(t), "initials") for t in topics]
        for _, _, doc in docs:
            for sentence in doc.sents:
                term = self._named_term(sentence)
                if term is None or term.lower() in topics:
                    continue
                topic = self._most_similar(term.lower(), topics)
                if topic is not None:
                    aliases.append(ExtractedAlias(
                        topic, term,
                        f"the article's own wording: it says {term!r} for {topic} "
                        "in its definitions"))
        unique: dict[tuple[str, str], ExtractedAlias] = {}
        for alias in aliases:
            unique.setdefault((alias.topic, alias.alias.lower()), alias)
        return list(unique.values())

    def _named_term(self, sentence: Span) -> str | None:
        """The X in "... is called as X, ..." (None if the sentence names nothing)."""
        if self._naming is None:
            return None
        matches = self._naming(sentence.as_doc())
        if not matches:
            return None
        first = min(start for _, start, _ in matches)
        end = max(e for _, s, e in matches if s == first)
        words = []
        for token in sentence[end:]:
            if token.is_punct or token.lower_ in ("which", "that", "who"):
                break
            words.append(token.text)
        return " ".join(words) or None

    def _most_similar(self, term: str, topics: list[str]) -> str | None:
        """The topic sharing a specific (non-generic) word or word stem with ``term``."""
        generic = set(self.config["generic_heads"])
        words = [w for w in term.split() if w not in generic]

        def score(topic: str) -> int:
            own = [w for w in topic.split() if w not in generic]
            return sum(
                1 for w in words for o in own if w == o or (len(w) > 4 and o.startswith(w))
            )

        best = max(topics, key=score, default=None)
        return best if best is not None and score(best) > 0 else None

    def _mention_matcher(self, topics, aliases) -> tuple[PhraseMatcher, PhraseMatcher]:
        """Names match in any case; all-capital abbreviations ("OM", "PM", "AM") only as
        written, so that an abbreviation never fires on an ordinary word ("am", "it")."""
        any_case = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        as_written = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        names: dict[str, list[str]] = {t: [t] for t in topics}
        for alias in aliases:
            names.setdefault(alias.topic, []).append(alias.alias)
        for topic, surfaces in names.items():
            for matcher, wanted in ((any_case, False), (as_written, True)):
                docs = [self.nlp.make_doc(s) for s in surfaces if s.isupper() == wanted]
                if docs:
                    matcher.add(topic, docs)
        return any_case, as_written

    def _section_topic(self, heading: str, topics, aliases) -> str | None:
        lowered = heading.lower()
        if lowered in topics:
            return lowered
        for alias in aliases:
            if alias.alias.lower() == lowered:
                return alias.topic
        return None

    @staticmethod
    def _passage(section: str, offset: int, sentence: Span) -> ExtractedPassage | None:
        text = sentence.text.strip()
        if not any(ch.isalpha() for ch in text):
            return None
        start = offset + sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
        return ExtractedPassage(section, text, start, start + len(text))

    # --- sentence level ------------------------------------------------------------------

    def _units(self, sentence: Span, mentions: tuple[PhraseMatcher, ...], section_topic, previous):
        doc = sentence.as_doc()
        found = sorted(
            {
                (start, end, self.nlp.vocab.strings[key])
                for matcher in mentions
                for key, start, end in matcher(doc)
            }
        )
        found = [m for m in found if not any(o[0] <= m[0] and m[1] <= o[1] and o != m
                                             for o in found)]
        distinct = list(dict.fromkeys(topic for _, _, topic in found))
        term = self._named_term(sentence)
        if term is not None:
            named = [topic for s, e, topic in found if doc[s:e].text.lower() == term.lower()]
            return [_Unit(doc[:], tuple(named[:1]))] if named else []
        if len(distinct) >= 2:
            first = doc[0].lower_
            if first in ("both",):
                return [_Unit(doc[:], tuple(distinct), shared=True)]
            units, starts = [], []
            for s, _, topic in found:
                if topic not in [t for _, t in starts]:
                    starts.append((s, topic))
            for index, (s, topic) in enumerate(starts):
                begin = 0 if index == 0 else s
                stop = starts[index + 1][0] if index + 1 < len(starts) else len(doc)
                units.append(_Unit(doc[begin:stop], (topic,)))
            return units
        if distinct:
            return [_Unit(doc[:], tuple(distinct))]
        if doc[0].lower_ in self.config["anaphora"] and previous:
            return [_Unit(doc[:], previous)]
        if section_topic:
            return [_Unit(doc[:], (section_topic,))]
        return []

    def _facts(self, unit: _Unit, passage: int) -> list[ExtractedFact]:
        results: list[tuple[str, str]] = []
        doc = unit.span.as_doc()  # once per clause: the rules below all match on it
        is_definition = self._is_definition(unit, doc)
        if is_definition:
            results.append(("definition", self._clause_statement(unit.span)))
        for rule, patterns, triggers in self._rule_matchers:
            if rule.method in ("naming", "copula"):
                continue
            if rule.when == "definition" and not is_definition:
                continue
            if patterns is not None and not patterns(doc):
                continue
            if rule.method == "shared" and not unit.shared:
                continue
            for value in self._values(rule, doc, triggers, unit):
                results.append((rule.attribute, value))
        return [
            ExtractedFact(topic, attribute, value, passage)
            for topic in unit.topics
            for attribute, value in results
        ]

    def _is_definition(self, unit: _Unit, doc) -> bool:
        """Named ("... is called as X") or a copula whose subject is the clause's topic."""
        if self._named_term(doc[:]) is not None:
            return True
        if self._copula is None:
            return False
        first = _skip_connectives(doc, self.config["clause_connectives"])
        for _, start, _ in self._copula(doc):
            if self._surface.get(doc[first:start].text.lower()) in unit.topics:
                return True
        return False

    def _values(self, rule: FactRule, doc, triggers, unit: _Unit) -> list[str]:
        method = rule.method
        if method in ("sentence", "shared"):
            return [self._clause_statement(doc[:])]
        if method == "keywords":
            mapping = dict(rule.keywords)
            return list(dict.fromkeys(mapping[t.lower_] for t in doc if t.lower_ in mapping))
        if method == "entities":
            return list(dict.fromkeys(e.text for e in doc.ents if e.label_ in rule.labels))
        if method == "match":
            return [doc[s:e].text for _, s, e in (self._matcher("M", rule.patterns) or [])(doc)]
        if method == "enumeration":
            values = []
            for _, _, end in sorted(triggers(doc) if triggers else [], key=lambda m: m[1]):
                values += split_enumeration(list(doc[end:]), self.config["enumeration"])
            return list(dict.fromkeys(values))
        if method == "modality":
            return self._modality(rule, doc)
        raise ValueError(f"unknown extraction method {method!r}")

    def _modality(self, rule: FactRule, doc) -> list[str]:
        degrees = [e for e in doc.ents if e.label_ in rule.labels]
        if not degrees:
            return []
        found = [value for value, matcher in self._modalities.items() if matcher(doc)]
        if not found:
            return []
        degree = normalise_value(degrees[0].text, self.config["value_synonyms"], display=True)
        if "not required" in found:
            modality = "helpful, not required" if "helpful" in found else "not required"
        else:
            modality = found[0] if "required" not in found else "required"
        return [f"{degree}: {modality}"]


    def _clause_statement(self, span: Span) -> str:
        """The clause as a statement: leading "While"/"However," dropped, capitalised."""
        start = _skip_connectives(span, ("while", "whereas", "however", ","))
        text = span[start:].text.strip().rstrip(",;").strip()
        return text[:1].upper() + text[1:]


def _skip_connectives(span, connectives) -> int:
    first = 0
    while first < len(span) and span[first].lower_ in connectives:
        first += 1
    return first
