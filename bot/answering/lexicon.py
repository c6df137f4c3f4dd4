"""Recognise what a message names, from the knowledge base as it is now: fields (names,
aliases, abbreviations, short forms, misspellings), the sectors, exams and degrees the articles
list, and a few kinds of words that are not facts (colleges, study modes, table words).

The vocabulary is rebuilt whenever the knowledge base is (``Lexicon.for_service``), so an
article added with ``python -m bot.kb build`` is understood by a running bot without retraining.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.answering.vocabulary import Token, degrees, markers, tokenize
from bot.ingest.topics import agent_nouns, matched_as_written, short_names
from bot.text.english import is_common_word, is_stop_word

# Which set attributes name which kind of thing a student may mention.
THING_ATTRIBUTES = {
    "sector": ("career_sectors", "recruiting_industries"),
    "exam": ("entrance_exams",),
    "role": ("job_roles",),
}
MAX_WORDS = 6
BOTH_MARK = "names both fields"  # in an alias's note: it names all its fields at once
FUZZY_CUTOFF = 0.84
_WORD = re.compile(r"(?<![\w.])[A-Za-z]+(?![\w.])")
CLIP_MIN = 3  # the shortest clipped form of a field's word ("geo", "agri", "horti")
FUZZY_MIN = 6  # the shortest word compared by spelling ("geolgy", "forensc")
RELATED_ROOT = 6


@dataclass(frozen=True)
class Mention:
    """A span of the message that names something the bot knows about."""

    kind: str  # topic | sector | exam | role | degree | branch | institution | mode | table
    value: str  # topic name, the value as the article writes it, the degree's name ...
    surface: str
    first: int  # token indexes [first, last)
    last: int
    start: int  # character offsets
    end: int
    candidates: tuple[str, ...] = ()  # topics: every field the words may name
    key: str = ""
    weak: bool = False  # a field named without its head ("production"): used only if nothing
    #                     else names a field
    both: bool = False  # an abbreviation that names all its candidates at once ("POM")
    approximate: bool = False  # a clipped or misspelt form ("agri", "geolgy")

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class _Entry:
    kind: str
    value: str
    key: str = ""
    candidates: tuple[str, ...] = ()
    case_sensitive: bool = False
    weak: bool = False
    both: bool = False


def _norm(text: str) -> str:
    return " ".join(t.text for t in tokenize(text.replace("&", " and ")))


def _spellings(name: str) -> tuple[str, ...]:
    """A name as students type it: "B.Pharm" also as "BPharm" and "B Pharm"."""
    if "." not in name.strip("."):
        return (name,)
    return tuple(dict.fromkeys((name, name.replace(".", ""), name.replace(".", " "))))


def _stemmed(phrase: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in phrase.split())


@dataclass
class Lexicon:
    entries: dict[str, list[_Entry]] = field(default_factory=dict)
    topic_names: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    kb_words: frozenset[str] = frozenset()  # every word the articles use
    phrases: frozenset[str] = frozenset()  # "x management" pairs the articles use
    partners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # compared with
    short_forms: dict[str, str] = field(default_factory=dict)
    _distinct: tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]] | None = None

    # --- building ------------------------------------------------------------------------

    @classmethod
    def build(cls, topics, values: Iterable[tuple[str, str, str, str]],
              article_rules: dict, kb_words: Iterable[str] = ()) -> Lexicon:
        lexicon = cls(heads=tuple(article_rules["generic_heads"]),
                      short_forms=dict(article_rules.get("word_abbreviations", {})))
        from bot.text.english import lemma

        kb_words = list(kb_words)
        lexicon.kb_words = frozenset(w for word in kb_words if " " not in word
                                     for w in (word, lemma(word)))
        lexicon.phrases = frozenset(w for w in kb_words if " " in w)
        lexicon.topic_names = tuple(t.name for t in topics)
        lexicon.partners = {t.name: tuple(t.counterparts) for t in topics}
        owners: dict[str, set[str]] = {}
        names: set[str] = set()
        both: set[str] = set()
        as_written: set[str] = set()
        for info in topics:
            for alias, note in zip(info.aliases, info.notes or ("",) * len(info.aliases),
                                   strict=False):
                if BOTH_MARK in note:
                    both.add(_norm(alias))
                if matched_as_written(alias):
                    as_written.add(_norm(alias))
            for surface in (s for name in (info.name, *info.aliases) for s in _spellings(name)):
                key = _norm(surface)
                if not key:
                    continue
                owners.setdefault(key, set()).add(info.name)
                owners.setdefault(_stemmed(key), set()).add(info.name)
            names.add(_norm(info.name))
        for key, topic_set in owners.items():
            candidates = tuple(sorted(topic_set))
            if key in names:  # a field's own name decides alone
                candidates = tuple(t for t in candidates if _norm(t) == key) or candidates
            lexicon._add(key, _Entry("topic", candidates[0], key, candidates,
                                     case_sensitive=key in as_written and key not in names,
                                     both=key in both and len(candidates) > 1))
        bare: dict[str, set[str]] = {}
        for info in topics:  # each field beside the fields its articles compare it with
            group = [info.name, *(p for p in info.counterparts if p != info.name)]
            for name, topic in short_names(group, lexicon.heads).items():
                if topic == info.name:
                    bare.setdefault(_norm(name), set()).add(info.name)
        for key, topic_set in bare.items():
            if key not in lexicon.entries:
                candidates = tuple(sorted(topic_set))
                lexicon._add(key, _Entry("topic", candidates[0], key, candidates, weak=True))
                lexicon._add(_stemmed(key), _Entry("topic", candidates[0], key, candidates,
                                                   weak=True))
        agents: dict[str, set[str]] = {}
        for info in topics:
            for surface in agent_nouns(_norm(info.name)):
                agents.setdefault(surface, set()).add(info.name)
        for key, topic_set in agents.items():
            if key not in lexicon.entries:
                candidates = tuple(sorted(topic_set))
                lexicon._add(key, _Entry("topic", candidates[0], key, candidates))
        synonyms = article_rules.get("value_synonyms", {})
        kind_of = {a: kind for kind, attributes in THING_ATTRIBUTES.items() for a in attributes}
        for attribute, value, key, _topic in values:
            kind = kind_of.get(attribute)
            if kind:
                lexicon._add(_norm(value), _Entry(kind, value, key or value.lower(),
                                                  case_sensitive=len(value) <= 3
                                                  and is_common_word(value)))
        for variant, canonical in synonyms.items():
            target = next((e for e in lexicon.entries.get(_norm(canonical), ())
                           if e.kind in THING_ATTRIBUTES), None)
            if target is not None:
                lexicon._add(_norm(variant), _Entry(target.kind, target.value, target.key,
                                                    case_sensitive=len(variant) <= 2))
        data = degrees()
        for surface, (display, *_terms) in data["degrees"].items():
            lexicon._add(_norm(surface), _Entry("degree", display, surface,
                                                case_sensitive=is_common_word(surface)))
        for surface, branch in data["branches"].items():
            lexicon._add(_norm(surface), _Entry("branch", branch, surface,
                                                case_sensitive=is_common_word(surface)))
        for word in markers()["institutions"]:
            lexicon._add(_norm(word), _Entry("institution", word, word))
        for surface, mode in markers()["modes"].items():
            lexicon._add(_norm(surface), _Entry("mode", mode, surface))
        for word in markers()["table"]:
            lexicon._add(_norm(word), _Entry("table", "table", word))
        return lexicon

    def _add(self, key: str, entry: _Entry) -> None:
        if not key:
            return
        existing = self.entries.setdefault(key, [])
        if not any(e.kind == entry.kind and e.value == entry.value for e in existing):
            existing.append(entry)

    # --- matching ------------------------------------------------------------------------

    def find(self, text: str) -> tuple[Mention, ...]:
        """Every mention in the message, longest first, left to right, without overlaps."""
        tokens = tokenize(text)
        words = [self.short_forms.get(t.text, t.text) for t in tokens]
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = None
            for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                phrase = " ".join(words[i:i + size])
                entries = self.entries.get(phrase) or self.entries.get(_stemmed(phrase)) or (
                    # "B.Com. Want ...": a sentence's full stop after a dotted name
                    phrase.endswith(".") and self.entries.get(phrase[:-1]))
                if not entries:
                    continue
                raw = text[tokens[i].start:tokens[i + size - 1].end]
                usable = [e for e in entries if not e.case_sensitive or raw.isupper()
                          or raw.replace(".", "").isupper()]
                if usable:
                    found = (size, usable)
                    break
            if found is None:
                i += 1
                continue
            size, usable = found
            for entry in self._preferred(usable):
                mentions.append(Mention(
                    entry.kind, entry.value, text[tokens[i].start:tokens[i + size - 1].end],
                    i, i + size, tokens[i].start, tokens[i + size - 1].end,
                    entry.candidates, entry.key, entry.weak, entry.both))
            i += size
        clipped = self._clipped_topics(tokens, words, mentions)
        if clipped:
            mentions = sorted(mentions + clipped, key=lambda m: m.first)
        mentions = self._branches_after_degrees(_without_own_degrees(mentions))
        if not any(m.kind == "topic" for m in mentions):
            covered = {i for m in mentions for i in range(m.first, m.last)}
            i = 0
            while i < len(tokens):
                fuzzy = None if i in covered else self._fuzzy_topic(tokens, words, i, covered)
                if fuzzy is not None:
                    mentions.append(fuzzy)
                    i = fuzzy.last
                else:
                    i += 1
            mentions.sort(key=lambda m: m.first)
        return tuple(mentions)

    @staticmethod
    def _preferred(entries: list[_Entry]) -> list[_Entry]:
        """One reading per span: a field first, then a thing the articles list, a degree ..."""
        order = ("topic", "sector", "exam", "role", "degree", "branch", "institution", "mode",
                 "table")
        return sorted(entries, key=lambda e: order.index(e.kind))[:1]

    def _fuzzy_topic(self, tokens: tuple[Token, ...], words: list[str], i: int,
                     covered: set[int]) -> Mention | None:
        """"opertions managment": a field's name misspelt (two or three words ending in
        something like a generic head)."""
        for size in (2, 3):
            if i + size > len(tokens) or covered & set(range(i, i + size)):
                continue
            if is_stop_word(words[i]) or words[i] in self.heads:
                continue
            last = words[i + size - 1]
            if not any(difflib.SequenceMatcher(None, last, h).ratio() >= 0.75
                       for h in self.heads):
                continue
            phrase = " ".join(words[i:i + size - 1] + [self._head_like(last)])
            close = difflib.get_close_matches(phrase, [_norm(n) for n in self.topic_names],
                                              n=2, cutoff=FUZZY_CUTOFF)
            if close:
                topics = tuple(n for n in self.topic_names if _norm(n) in close)
                return Mention("topic", topics[0], " ".join(t.text for t in tokens[i:i + size]),
                               i, i + size, tokens[i].start, tokens[i + size - 1].end,
                               topics[:1])
        return None

    def expanded(self, text: str) -> str:
        """The message with the short forms students type written out ("work exp" -> "work
        experience", "prod mgmt" -> "production management"), from the rules' data."""
        if not self.short_forms:
            return text
        return _WORD.sub(lambda m: self.short_forms.get(m.group(0).lower(), m.group(0)), text)

    def _branches_after_degrees(self, mentions: list[Mention]) -> list[Mention]:
        """"B.Tech IT 2023": right after a degree, a word that names a branch is the branch
        the student studied, not a sector they want."""
        out = list(mentions)
        for i in range(1, len(out)):
            before, mention = out[i - 1], out[i]
            if before.kind == "degree" and mention.kind == "sector" and (
                    before.last == mention.first):
                branch = next((e for e in self.entries.get(_norm(mention.surface), ())
                               if e.kind == "branch"), None)
                if branch is not None:
                    out[i] = Mention("branch", branch.value, mention.surface, mention.first,
                                     mention.last, mention.start, mention.end, key=branch.key)
        return out

    def _clipped_topics(self, tokens: tuple[Token, ...], words: list[str],
                        mentions: list[Mention]) -> list[Mention]:
        """"agri vs horti", "forensc": a field named by a clipped or misspelt form of the word
        that sets it apart from the other fields (a word of its name that is no generic head),
        when the form names that one field and is no word the articles or English use."""
        covered = {i for m in mentions for i in range(m.first, m.last)}
        named = {c for m in mentions if m.kind == "topic" for c in m.candidates}
        found = []
        for i, word in enumerate(words):
            if i in covered or len(word) < CLIP_MIN or not word.isalpha() or is_stop_word(word):
                continue
            exact = self._distinctive_index()[0].get(word, [])
            if len(exact) == 1 and exact[0] not in named:  # "forensic" alone
                found.append(Mention("topic", exact[0], tokens[i].text, i, i + 1,
                                     tokens[i].start, tokens[i].end, (exact[0],), weak=True))
                named.add(exact[0])
                continue
            if exact or is_common_word(word):
                continue
            known = self.knows(word)
            owners = self._approximate_owners(word, known)
            owners = [t for t in owners if t not in named] if len(owners) > 1 else owners
            if len(owners) == 1:
                # a word the articles use ("actuaries", "designing") names the field only
                # where nothing else does
                found.append(Mention("topic", owners[0], tokens[i].text, i, i + 1,
                                     tokens[i].start, tokens[i].end, (owners[0],), weak=known,
                                     approximate=True))
                named.add(owners[0])
        return found

    def _approximate_owners(self, word: str, known: bool) -> list[str]:
        """The fields one of whose distinctive words ``word`` clips ("agri"), misspells
        ("geolgy") or shares a long root with ("actuaries"), in the fields' order. A clip and
        a shared root begin with the same letter, so only those words are compared; a
        misspelling (an unknown word of FUZZY_MIN letters or more) with every word."""
        by_word, by_letter = self._distinctive_index()
        fuzzy = not known and len(word) >= FUZZY_MIN
        candidates = by_word if fuzzy else by_letter.get(word[0], {})
        found = {t for w, topics in candidates.items() if (
            not known and (w.startswith(word) and len(w) > len(word) or fuzzy
                           and difflib.SequenceMatcher(None, word, w).ratio() >= FUZZY_CUTOFF)
            or _related(word, w)) for t in topics}
        return [t for t in self.topic_names if t in found]

    def _distinctive_index(self) -> tuple[dict[str, list[str]], dict[str, dict[str, list[str]]]]:
        """Each field's distinctive words (no generic head, longer than CLIP_MIN), as
        word -> fields, and the same grouped by first letter; built once per lexicon."""
        if self._distinct is None:
            by_word: dict[str, list[str]] = {}
            for name in self.topic_names:
                for w in dict.fromkeys(_norm(name).split()):
                    if w not in self.heads and len(w) > CLIP_MIN and w.isalpha():
                        by_word.setdefault(w, []).append(name)
            by_letter: dict[str, dict[str, list[str]]] = {}
            for w, topics in by_word.items():
                by_letter.setdefault(w[0], {})[w] = topics
            self._distinct = (by_word, by_letter)
        return self._distinct

    def knows(self, word: str) -> bool:
        """Whether the articles use the word (in any inflection)."""
        from bot.text.english import lemma

        return word in self.kb_words or lemma(word) in self.kb_words

    def _head_like(self, word: str) -> str:
        best = max(self.heads, key=lambda h: difflib.SequenceMatcher(None, word, h).ratio())
        return best

    # --- per build ---------------------------------------------------------------------------

    @classmethod
    def for_service(cls, service) -> Lexicon:
        """The lexicon of the service's current build (rebuilt after a rebuild)."""
        build = service.build_id()
        with _cache_lock:
            cached = _cache.get(id(service))
            if cached is not None and cached[0] == build:
                return cached[1]
        attributes = [a for group in THING_ATTRIBUTES.values() for a in group]
        lexicon = cls.build(service.topics(), service.values(attributes), service.rules.article,
                            service.vocabulary())
        with _cache_lock:
            _cache[id(service)] = (build, lexicon)
        return lexicon


def _related(word: str, name_word: str) -> bool:
    """"actuaries" ~ actuarial, "psychiatrsts" ~ psychiatry: the same long root (the first
    RELATED_ROOT letters or more, most of the shorter word), another ending."""
    common = len(os.path.commonprefix([word, name_word]))
    return common >= RELATED_ROOT and common >= 0.75 * min(len(word), len(name_word))


def _without_own_degrees(mentions: list[Mention]) -> list[Mention]:
    """"bsc agri": the degree is part of the field's own name (B.Sc Agriculture), not the
    student's background."""
    out = []
    for i, mention in enumerate(mentions):
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if mention.kind == "degree" and following is not None and following.kind == "topic" \
                and following.first == mention.last and _norm(following.value).startswith(
                    _norm(mention.value) + " "):
            continue
        out.append(mention)
    return out


_cache: dict[int, tuple[object, Lexicon]] = {}
_cache_lock = threading.Lock()
