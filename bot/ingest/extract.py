"""Turn one article into passages, topics, aliases and facts, using only the rules in ``rules/``.

Articles are read whatever their structure: a title naming the two fields ("Difference between
X and Y", "X vs Y", "Comparing X and Y", "X and Y: key differences"), prose, Q&A pages,
numbered lists of differences, Markdown comparison tables. Every sentence becomes a passage.
Each clause is about the field that is its subject (a name, an alias, "it"/"this" after one,
the section's or the question's field); its facts come from the fact rules: specific ones
(qualification, exams, sectors, ...) and general expository ones ("X is / involves / focuses on
/ is a subset of ..."), with "statement" when none fits, so every clause about a field is a
fact about it, whole, never cut mid-sentence. A tail of reader comments is set aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from bot.ingest.enumeration import split_enumeration
from bot.ingest.reader import Block, split_article, unemphasised
from bot.ingest.rules import DIMENSION_PREFIX, FactRule, Rules
from bot.ingest.titles import TitleParser, normalise_name
from bot.ingest.topics import (
    DEFINED,
    TopicRegistry,
    acceptable_alias,
    agent_nouns,
    defined_abbreviations,
    initialism,
    short_names,
    stem_key,
)
from bot.text.words import normalise_value

# Tokens that may sit between a clause's subject and its predicate ("X is also ...").
_ADVERBS = frozenset({"also", "primarily", "mainly", "mostly", "largely", "typically", "usually",
                      "essentially", "basically", "generally", "often", "simply", "therefore",
                      "thus", "then", "really", "actually", "chiefly", "specifically",
                      "broadly", "itself", "normally", "frequently"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,11}$")
# How far into a clause its subject may start ("A hotel management course teaches ...").
_SUBJECT_WINDOW = 3
# A heading that says what its section is about is short ("Careers and Recruiters").
HEADING_ATTRIBUTE_WORDS = 5


@dataclass(frozen=True)
class ExtractedPassage:
    section: str
    text: str
    start: int
    end: int
    block: int = 0  # the paragraph (or item, row) it belongs to, in reading order
    kind: str = "sentence"  # sentence | row


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, never split inside a word: "(D.El.Ed)" or "B.Sc.(Hons)" is cut by
    the sentencizer at its inner full stops; a boundary with no space before it is none."""
    out: list[Span] = []
    start = None
    for sent in doc.sents:
        if start is None:
            start = sent.start
        if sent.end < len(doc) and not doc[sent.end - 1].whitespace_:
            continue  # the next "sentence" goes on in the same word
        out.append(doc[start:sent.end])
        start = None
    if start is not None:
        out.append(doc[start:len(doc)])
    return out


@dataclass(frozen=True)
class ExtractedFact:
    topic: str
    attribute: str
    value: str
    passage: int  # index into Extraction.passages

    def __post_init__(self) -> None:  # a value as plain words: no bold, no runs of spaces
        object.__setattr__(self, "value", " ".join(unemphasised(self.value).split()))


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
    """A clause and the topics it speaks about; ``subject_end`` is the token after its subject
    (None when the clause's subject is not the topic)."""

    span: Span
    topics: tuple[str, ...]
    shared: bool = False
    subject_end: int | None = None


@dataclass
class _Context:
    """What a sentence without a field of its own is about."""

    section_topic: str | None = None
    question_topics: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()
    label: str = ""
    block_topics: tuple[str, ...] = ()  # what the paragraph so far is about
    # "Eligibility", "Careers and Recruiters": what a section's heading says its sentences are
    # about, and the article's fields, which a sentence naming neither speaks of
    heading_attribute: str = ""
    article_topics: tuple[str, ...] = ()


class Extractor:
    """Holds the compiled matchers; ``extract`` is called once per article."""

    def __init__(self, nlp: Language, rules: Rules) -> None:
        self.nlp = nlp
        self.rules = rules
        self.config = rules.article
        self._titles = TitleParser(self.config)
        self._heads = tuple(self.config["generic_heads"])
        self._connectives = tuple(sorted(
            (tuple(p.split()) for p in self.config["leading_phrases"]), key=len, reverse=True))
        self._rule_matchers: list[tuple[FactRule, Matcher | None, Matcher | None]] = []
        for number, rule in enumerate(rules.fact_rules):
            if rule.method in ("naming", "copula", "predicate"):
                continue
            self._rule_matchers.append(
                (rule, self._matcher(f"P{number}", rule.patterns),
                 self._matcher(f"T{number}", rule.triggers)))
        naming = [r for r in rules.fact_rules if r.method == "naming"]
        copula = [r for r in rules.fact_rules if r.method == "copula"]
        self._naming = self._matcher("NAMING", tuple(p for r in naming for p in r.patterns))
        self._copula = self._matcher("COPULA", tuple(p for r in copula for p in r.patterns))
        self._predicates = [
            (rule.attribute, self._matcher(f"PRED{n}", rule.patterns))
            for n, rule in enumerate(rules.fact_rules) if rule.method == "predicate"]
        self._modalities = {}
        for rule in rules.fact_rules:
            for modality in rule.modalities:
                self._modalities.setdefault(modality["value"], self._matcher(
                    modality["value"], modality["patterns"]))
        self._excluded_acronyms = frozenset(
            w.upper() for w in self.config.get("not_exam_acronyms", ()))

    def _matcher(self, key: str, patterns: tuple) -> Matcher | None:
        if not patterns:
            return None
        matcher = Matcher(self.nlp.vocab, validate=True)
        matcher.add(key, [list(p) for p in patterns])
        return matcher

    # --- article level -------------------------------------------------------------------

    def extract(self, text: str, registry: TopicRegistry | None = None,
                name: str = "") -> Extraction:
        """``name``: the file's name in words ("data science vs data analytics"), the title
        of an article that has none and a second reading of a title that names no pair."""
        registry = registry if registry is not None else TopicRegistry()
        article = split_article(text, self.config, name)
        body = text[len(article.title):] if text.lstrip().startswith(article.title) else text
        abbreviations = defined_abbreviations(body)
        docs = {id(block): self.nlp(unemphasised(block.text)) for section in article.sections
                for block in section.blocks if block.kind != "row"}
        topics, written = self._topics(article.title, docs.values(), registry, abbreviations,
                                       body, name)
        aliases = self._aliases(topics, written, abbreviations, docs.values())
        self._surface = {t: t for t in topics} | {a.alias.lower(): a.topic for a in aliases}
        self._bare = self._bare_names(topics)
        mentions = self._mention_matchers(topics, aliases)
        passages: list[ExtractedPassage] = []
        facts: list[ExtractedFact] = []
        self._defined: set[str] = set()
        index = 0
        for section in article.sections:
            context = _Context(section_topic=self._section_topic(section.heading, mentions),
                               heading_attribute=self._heading_attribute(section.heading,
                                                                         article.title),
                               article_topics=tuple(topics))
            chart: list[tuple[Block, int]] = []
            for block in section.blocks:
                self._enter(block, context, mentions)
                if block.kind == "line":
                    chart.append((block, len(passages)))
                elif chart:
                    facts.extend(self._chart_facts(chart, passages, topics, registry))
                    chart = []
                if block.kind == "row":
                    passages.append(ExtractedPassage(section.heading, block.text, block.start,
                                                     block.start + len(block.text), index, "row"))
                    facts.extend(self._row_facts(block, topics, registry, len(passages) - 1))
                    index += 1
                    continue
                for sentence in sentences(docs[id(block)]):
                    passage = self._passage(section.heading, block, sentence, index)
                    if passage is None:
                        continue
                    passages.append(passage)
                    if block.kind == "question":
                        continue  # a question states nothing; it names what the answer is about
                    units = self._units(sentence, mentions, context)
                    if units:
                        context.previous = units[-1].topics
                        if len(units[-1].topics) == 1 and block.kind != "line":
                            context.block_topics = units[-1].topics
                    for unit in units:
                        facts.extend(self._facts(unit, len(passages) - 1, context.label,
                                                 context.heading_attribute))
                index += 1
            if chart:
                facts.extend(self._chart_facts(chart, passages, topics, registry))
        return Extraction(
            title=article.title,
            topics=tuple(topics),
            aliases=tuple(aliases),
            passages=tuple(passages),
            facts=tuple(dict.fromkeys(facts)),
            reader_comments=article.reader_comments,
        )

    def _topics(self, title: str, docs: Iterable[Doc], registry: TopicRegistry,
                abbreviations: dict[str, str], body: str,
                name: str = "") -> tuple[list[str], dict[str, str]]:
        """The article's fields (canonical names) and how the title wrote each one."""
        names = self._titles.subjects(title)
        if len(names) < 2 and name:
            names = self._titles.subjects(name)
        if len(names) < 2:
            # an article on one field ("Career in Actuarial Science"): that field, and any
            # other it defines twice or more
            single = self._titles.subject(title) or (self._titles.subject(name) if name else None)
            names = list(dict.fromkeys(names + ([single] if single else [])
                                       + self._defined_terms(docs)))[:2]
        topics: list[str] = []
        written: dict[str, str] = {}
        for name in names:
            topic = self._identify(name, registry, abbreviations, body)
            if topic not in topics:
                topics.append(topic)
                written[topic] = name
        for topic in topics:
            registry.add(topic)
        return topics, written

    def _identify(self, name: str, registry: TopicRegistry,
                  abbreviations: dict[str, str], body: str = "") -> str:
        topic = registry.identify(name, abbreviations, body)
        if topic in registry.known or topic.split()[-1:] and topic.split()[-1] in self._heads:
            return topic
        for head in self._heads:  # "Production" (a table's column) is production management
            headed = registry.identify(f"{topic} {head}", abbreviations)
            if headed in registry.known:
                return headed
        return topic

    def _defined_terms(self, docs: Iterable[Doc]) -> list[str]:
        """Subjects of defining sentences ("Logistics management is concerned with ..."), for
        an article whose title names no pair: those said twice or more, in order."""
        counts: dict[str, int] = {}
        for doc in docs:
            for sentence in sentences(doc):
                subject = self._defined_subject(sentence)
                if subject:
                    counts[subject] = counts.get(subject, 0) + 1
        heads = set(self._heads)
        return [s for s, n in counts.items() if n >= 2 or s.split()[-1] in heads]

    def _defined_subject(self, sentence: Span) -> str | None:
        doc = sentence.as_doc()
        for _, matcher in self._predicates:
            if matcher is None:
                continue
            for _, start, _ in matcher(doc):
                first = self._skip_leading(doc, 0)
                words = doc[first:start]
                if 1 <= len(words) <= 4 and all(t.is_alpha and not t.is_stop or t.lower_ in
                                                ("and", "of") for t in words):
                    if words[0].is_title or words[0].is_upper or first == 0:
                        return normalise_name(words.text)
        return None

    def _aliases(self, topics: list[str], written: dict[str, str],
                 abbreviations: dict[str, str], docs: Iterable[Doc]) -> list[ExtractedAlias]:
        # Curated aliases come first: where one is also the initials ("PM"), its note (which
        # says how to read the ambiguity) is the one kept.
        aliases = [ExtractedAlias(a.topic, a.alias, a.note)
                   for a in self.rules.aliases if a.topic in topics]
        for topic in topics:
            if len(topic.split()) > 1:
                aliases.append(ExtractedAlias(topic, initialism(topic), "initials"))
            if normalise_name(written.get(topic, topic)) != topic:
                aliases.append(ExtractedAlias(topic, normalise_name(written[topic]),
                                              "the article's title wording"))
        for abbr, name in abbreviations.items():
            if name in topics or stem_key(name) in {stem_key(t) for t in topics}:
                topic = next(t for t in topics if stem_key(t) == stem_key(name))
                aliases.append(ExtractedAlias(topic, abbr, DEFINED))
        for doc in docs:
            for sentence in sentences(doc):
                term = self._named_term(sentence)
                if term is None or normalise_name(term) in topics:
                    continue
                topic = self._most_similar(normalise_name(term), topics)
                if topic is not None:
                    aliases.append(ExtractedAlias(
                        topic, term,
                        f"the article's own wording: it says {term!r} for {topic} "
                        "in its definitions"))
        unique: dict[tuple[str, str], ExtractedAlias] = {}
        for alias in aliases:
            if acceptable_alias(alias.alias, alias.note == DEFINED) and (
                    alias.alias.lower() != alias.topic):
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
        generic = set(self._heads)
        words = [w for w in term.split() if w not in generic]

        def score(topic: str) -> int:
            own = [w for w in topic.split() if w not in generic]
            return sum(
                1 for w in words for o in own if w == o or (len(w) > 4 and o.startswith(w))
            )

        best = max(topics, key=score, default=None)
        return best if best is not None and score(best) > 0 else None

    def _bare_names(self, topics: list[str]) -> dict[str, str]:
        """"logistics" for logistics management: a field named without its head, read as the
        field only where it is a clause's subject."""
        return short_names(topics, self._heads)

    def _mention_matchers(self, topics, aliases) -> tuple[PhraseMatcher, PhraseMatcher,
                                                          PhraseMatcher]:
        """Names match in any case; all-capital abbreviations ("OM", "PM") only as written,
        so that an abbreviation never fires on an ordinary word; bare names ("logistics")
        are matched separately (kept only at a clause's start)."""
        any_case = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        as_written = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        bare = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        names: dict[str, set[str]] = {t: {t} for t in topics}
        for topic in topics:
            words = topic.split()  # "operation management" for "operations management"
            if words[0].endswith("s") and len(words) > 1:
                names[topic].add(" ".join([words[0][:-1], *words[1:]]))
            names[topic].update(agent_nouns(topic))  # "Merchandisers work with ..."
        for alias in aliases:
            names.setdefault(alias.topic, set()).add(alias.alias)
        for topic, surfaces in names.items():
            # a dotted name splits into other tokens by its case ("d.el.ed" is one token,
            # "D.El.Ed" three): each case it is written in is a pattern of its own
            surfaces = surfaces | {form for s in surfaces if "." in s and not s.isupper()
                                   for form in (s.title(), s.upper())}
            for matcher, wanted in ((any_case, False), (as_written, True)):
                docs = [self.nlp.make_doc(s) for s in sorted(surfaces)
                        if s.isupper() == wanted and not (wanted and "." in s)]
                if docs:
                    matcher.add(topic, docs)
        for name, topic in self._bare.items():
            bare.add(topic, [self.nlp.make_doc(name)])
        return any_case, as_written, bare

    def _enter(self, block: Block, context: _Context, mentions) -> None:
        """A question ("What is logistics management?") names what the next answer is about;
        a list item's label ("Scope:") names the dimension of what it says."""
        if block.kind == "question":
            named = self._mentioned(self.nlp.make_doc(block.text), mentions, bare_anywhere=True)
            context.question_topics = tuple(dict.fromkeys(t for _, _, t in named))
            context.previous = context.question_topics
        context.label = block.label if block.kind == "item" else ""
        context.block_topics = ()

    def _section_topic(self, heading: str, mentions) -> str | None:
        lowered = normalise_name(heading)
        if lowered in self._surface:
            return self._surface[lowered]
        named = self._mentioned(self.nlp.make_doc(heading), mentions, bare_anywhere=True)
        distinct = list(dict.fromkeys(t for _, _, t in named))
        return distinct[0] if len(distinct) == 1 else None

    @staticmethod
    def _passage(section: str, block: Block, sentence: Span, index: int
                 ) -> ExtractedPassage | None:
        """The sentence as the article writes it (its bold kept: the facts are read without)."""
        raw = block.text[sentence.start_char:sentence.end_char]
        text = raw.strip()
        if not any(ch.isalpha() for ch in text):
            return None
        start = block.start + sentence.start_char + (len(raw) - len(raw.lstrip()))
        return ExtractedPassage(section, text, start, start + len(text), index)

    # --- sentence level ------------------------------------------------------------------

    def _mentioned(self, doc: Doc, mentions, bare_anywhere: bool = False
                   ) -> list[tuple[int, int, str]]:
        any_case, as_written, bare = mentions
        found = {(s, e, self.nlp.vocab.strings[k]) for m in (any_case, as_written)
                 for k, s, e in m(doc)}
        for key, start, end in bare(doc):
            if bare_anywhere or self._skip_leading(doc, 0) == start or (
                    start > 0 and (doc[start - 1].lower_ in self.config["clause_connectives"]
                                   or doc[start - 1].is_punct)):
                if end < len(doc) and doc[end].lower_ in self._heads:
                    continue
                found.add((start, end, self.nlp.vocab.strings[key]))
        ordered = sorted(found)
        return [m for m in ordered
                if not any(o[0] <= m[0] and m[1] <= o[1] and o != m for o in ordered)]

    def _skip_leading(self, doc, first: int) -> int:
        """The first token after connectives ("In summary,", "While", "On the other hand,")."""
        moved = True
        while moved and first < len(doc):
            moved = False
            if doc[first].is_punct:
                first += 1
                moved = True
                continue
            for phrase in self._connectives:
                words = tuple(t.lower_ for t in doc[first:first + len(phrase)])
                if words == phrase:
                    first += len(phrase)
                    moved = True
                    break
        return first

    def _clauses(self, doc: Doc, found) -> list[tuple[int, int]]:
        """Split where a new clause starts with a field as its subject: "X ..., while Y ...",
        "While X ..., Y ...", "X ...; Y ...", "X ..., whereas Y ..."."""
        boundaries = [0]
        splitters = set(self.config["clause_splitters"])
        opens_with_splitter = doc[self._skip_punct(doc, 0)].lower_ in splitters
        for start, _, _ in found:
            if start == 0:
                continue
            back = start - 1
            while back > 0 and doc[back].lower_ in ("the", "a", "an", "on", "other", "hand"):
                back -= 1
            cut = None
            if doc[back].lower_ in splitters:
                cut = back - 1 if back > 0 and doc[back - 1].text == "," else back
            elif doc[back].text in (";", ":"):
                cut = back + 1
            elif doc[back].text == "," and opens_with_splitter and len(boundaries) == 1:
                cut = back + 1
            if cut is not None and cut > boundaries[-1]:
                boundaries.append(cut)
        boundaries.append(len(doc))
        return [(a, b) for a, b in zip(boundaries, boundaries[1:], strict=False) if b > a]

    @staticmethod
    def _skip_punct(doc, first: int) -> int:
        while first < len(doc) - 1 and doc[first].is_punct:
            first += 1
        return first

    def _units(self, sentence: Span, mentions, context: _Context) -> list[_Unit]:
        doc = sentence.as_doc()
        found = self._mentioned(doc, mentions)
        term = self._named_term(sentence)
        if term is not None:
            named = [topic for s, e, topic in found if doc[s:e].text.lower() == term.lower()]
            if not named:
                named = [self._surface[n] for n in (normalise_name(term),) if n in self._surface]
            return [_Unit(doc[:], tuple(named[:1]))] if named else []
        first = self._skip_leading(doc, 0)
        distinct = list(dict.fromkeys(topic for _, _, topic in found))
        if len(distinct) >= 2 and doc[first].lower_ == "both":
            return [_Unit(doc[:], tuple(distinct), shared=True)]
        units = []
        for begin, end in self._clauses(doc, found):
            inside = [(s, e, t) for s, e, t in found if begin <= s < end]
            units.append(self._clause_unit(doc, begin, end, inside, context))
        return [u for u in units if u.topics]

    def _clause_unit(self, doc: Doc, begin: int, end: int, inside, context: _Context) -> _Unit:
        span = doc[begin:end]
        first = self._skip_leading(doc, begin)
        if inside:
            s, e, topic = inside[0]
            distinct = list(dict.fromkeys(t for _, _, t in inside))
            if len(distinct) >= 2 and inside[1][0] - e <= 2 and doc[e].lower_ in ("and", "&"):
                # "Production and operations management are ..." speaks of both.
                return _Unit(span, tuple(distinct[:2]), shared=True)
            subject_end = e if s - first <= _SUBJECT_WINDOW else None
            if s - first > _SUBJECT_WINDOW and first < len(doc) and (
                    doc[first].lower_ in self.config["anaphora"]) and context.previous:
                return _Unit(span, context.previous, subject_end=first + 1)
            return _Unit(span, (topic,), subject_end=subject_end)
        if first < len(doc) and doc[first].lower_ in self.config["anaphora"] and context.previous:
            return _Unit(span, context.previous, subject_end=first + 1)
        for topics in (context.question_topics, context.block_topics,
                       (context.section_topic,)):
            topics = tuple(t for t in topics if t)
            if len(topics) == 1:
                return _Unit(span, topics)
        if context.heading_attribute and not context.section_topic:
            # "You need to pass Class 12 in any stream" under "Eligibility": said of both
            return _Unit(span, context.article_topics)
        return _Unit(span, ())

    def _heading_attribute(self, heading: str, title: str) -> str:
        if not heading or heading == title or len(heading.split()) > HEADING_ATTRIBUTE_WORDS:
            return ""
        attribute = self.rules.attribute_for_label(heading)
        return "" if attribute.startswith(DIMENSION_PREFIX) else attribute

    def _facts(self, unit: _Unit, passage: int, label: str,
               heading_attribute: str = "") -> list[ExtractedFact]:
        results: list[tuple[str, str]] = []
        doc = unit.span.as_doc()  # once per clause: the rules below all match on it
        statement = self._clause_statement(unit.span)
        clause = self._clause_attributes(unit, doc)
        results += [(attribute, statement) for attribute in clause]
        if label:
            attribute = self.rules.attribute_for_label(label)
            if attribute not in clause:
                results.append((attribute, statement))
        is_definition = bool({"definition", "focus"} & set(clause))
        results += self._labelled_list(doc)
        for rule, patterns, triggers in self._rule_matchers:
            if rule.when == "definition" and not is_definition:
                continue
            if patterns is not None and not patterns(doc):
                continue
            if rule.method == "shared" and not unit.shared:
                continue
            for value in self._values(rule, doc, triggers, unit):
                results.append((rule.attribute, value))
        texts = [a for a, _ in results if a not in clause and not self.rules.attribute(a).is_set]
        if texts and "description" in clause:
            results = [(a, v) for a, v in results if a != "description"]
        if not results and statement:
            results.append((heading_attribute or "statement", statement))
        return [
            ExtractedFact(topic, attribute, value, passage)
            for topic in unit.topics
            for attribute, value in dict.fromkeys(results)
            if value
        ]

    def _labelled_list(self, doc: Doc) -> list[tuple[str, str]]:
        """"Careers after event management: event planner, wedding planner, ...": the label
        before the colon names the attribute, the list after it its values."""
        colon = next((t.i for t in doc[:10] if t.text == ":"), None)
        if colon is None or colon == 0:
            return []
        attribute = self.rules.attribute_for_label(doc[:colon].text)
        if attribute.startswith("dimension:") or not self.rules.attribute(attribute).is_set:
            return []
        values = split_enumeration(list(doc[colon + 1:]), self.config["enumeration"])
        return [(attribute, v) for v in values if v.lower() not in self._surface]

    def _clause_attributes(self, unit: _Unit, doc: Doc) -> list[str]:
        """What the clause says of its subject: named or defined ("definition"), a relation
        ("is a subset of"), its focus, objective or what it involves, by the first predicate
        right after the subject."""
        if self._named_term(doc[:]) is not None:
            self._defined.update(unit.topics)
            return ["definition"]
        if unit.subject_end is None or unit.shared:
            return []
        at = self._predicate_start(doc, unit.subject_end - unit.span.start)
        for attribute, matcher in self._predicates:
            if matcher is None:
                continue
            if any(start == at for _, start, _ in matcher(doc)):
                if attribute == "focus" and not set(unit.topics) <= self._defined:
                    # "X is about ...", the first thing said of X: also its definition.
                    self._defined.update(unit.topics)
                    return ["definition", "focus"]
                if attribute == "relation" and not self._names_another(doc, unit.topics):
                    # "X is the branch of engineering that ...": no other field, a definition
                    attribute = "description" if set(unit.topics) <= self._defined else (
                        "definition")
                if attribute == "definition":
                    self._defined.update(unit.topics)
                return [attribute]
        if self._copula is not None and any(s == at for _, s, _ in self._copula(doc)):
            self._defined.update(unit.topics)
            return ["definition"]
        return []

    def _names_another(self, doc: Doc, topics: tuple[str, ...]) -> bool:
        words = f" {' '.join(t.lower_ for t in doc)} "
        names = {**self._surface, **self._bare}
        return any(f" {name} " in words for name, topic in names.items() if topic not in topics)

    def _predicate_start(self, doc: Doc, at: int) -> int:
        """Past what may sit between a subject and its verb: "(SCM)", ", on the other hand,",
        "also"."""
        while at < len(doc):
            if doc[at].text == "(":
                close = next((i for i in range(at, min(at + 8, len(doc)))
                              if doc[i].text == ")"), None)
                if close is None:
                    break
                at = close + 1
                continue
            if doc[at].lower_ in _ADVERBS or doc[at].is_punct and doc[at].text != "(":
                at += 1
                continue
            moved = self._skip_leading(doc, at)
            if moved == at:
                break
            at = moved
        return at

    def _values(self, rule: FactRule, doc, triggers, unit: _Unit) -> list[str]:
        method = rule.method
        if method in ("sentence", "shared"):
            return [self._clause_statement(doc[:])]
        if method == "keywords":
            mapping = dict(rule.keywords)
            return list(dict.fromkeys(mapping[t.lower_] for t in doc if t.lower_ in mapping))
        if method == "entities":
            return list(dict.fromkeys(e.text for e in doc.ents if e.label_ in rule.labels))
        if method == "acronyms":
            return list(dict.fromkeys(
                t.text for t in doc if _ACRONYM.match(t.text)
                and t.text not in self._excluded_acronyms
                and t.text.lower() not in self._surface))
        if method == "match":
            return [doc[s:e].text for _, s, e in (self._matcher("M", rule.patterns) or [])(doc)]
        if method == "enumeration":
            values = []
            for _, _, end in sorted(triggers(doc) if triggers else [], key=lambda m: m[1]):
                values += split_enumeration(list(doc[end:]), self.config["enumeration"])
            return [v for v in dict.fromkeys(values) if v.lower() not in self._surface]
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

    def _row_facts(self, block: Block, topics: list[str], registry: TopicRegistry,
                   passage: int) -> list[ExtractedFact]:
        """A comparison table's row: the first cell names the dimension, each column a field."""
        if len(block.cells) < 2 or len(block.columns) != len(block.cells):
            return []
        attribute = self.rules.attribute_for_label(block.cells[0])
        spec = self.rules.attribute(attribute)
        facts = []
        for header, cell in zip(block.columns[1:], block.cells[1:], strict=True):
            topic = self._column_topic(header, topics, registry)
            if topic is None or not cell:
                continue
            values = [cell]
            if spec.is_set and "," in cell:
                values = split_enumeration(list(self.nlp(cell)), self.config["enumeration"]
                                           ) or [cell]
            facts += [ExtractedFact(topic, attribute, v, passage) for v in values]
            if spec.is_set and values != [cell]:
                facts.append(ExtractedFact(topic, "statement", cell, passage))
        return facts

    def _chart_facts(self, chart: list[tuple[Block, int]], passages: list[ExtractedPassage],
                     topics: list[str], registry: TopicRegistry) -> list[ExtractedFact]:
        """A comparison chart pasted as one short line per cell: a header line, one line
        per field, then (label, cell, cell) for each row."""
        lines = [block.text for block, _ in chart]
        for start in range(len(lines) - 2):
            columns = [self._column_topic(lines[start + k], topics, registry) for k in (1, 2)]
            if None in columns or columns[0] == columns[1]:
                continue
            facts = []
            rows = range(start + 3, len(lines) - 2, 3)
            for row in rows:
                attribute = self.rules.attribute_for_label(lines[row])
                for offset, topic in ((1, columns[0]), (2, columns[1])):
                    block, first = chart[row + offset]
                    passage = next((i for i in range(first, len(passages))
                                    if passages[i].start >= block.start), None)
                    if passage is not None:
                        facts.append(ExtractedFact(topic, attribute, block.text, passage))
            return facts
        return []

    def _column_topic(self, header: str, topics: list[str], registry) -> str | None:
        name = normalise_name(header)
        if name in self._surface:
            return self._surface[name]
        if name in self._bare:
            return self._bare[name]
        topic = self._identify(name, registry, {})
        return topic if topic in topics else None

    def _clause_statement(self, span: Span) -> str:
        """The clause as a statement: a leading "While", "However," or "In summary," dropped,
        capitalised, trailing commas dropped; never cut inside the clause."""
        start = 0
        splitters = set(self.config["clause_splitters"])
        while start < len(span):
            if span[start].is_punct:
                start += 1
                continue
            if span[start].lower_ in splitters:
                start += 1
                continue
            moved = False
            for phrase in self._connectives:
                end = start + len(phrase)
                words = tuple(t.lower_ for t in span[start:end])
                if words == phrase and end < len(span) and span[end].text == ",":
                    start, moved = end + 1, True
                    break
            if not moved:
                break
        text = span[start:].text.strip().rstrip(",;:").strip()
        return text[:1].upper() + text[1:]
