"""The facts and sentences that bear on a question, ranked by what the question names.

Shared by the answers of every kind: a field's facts scored by the question's own words and
things (the kind's attributes are a prior, not a filter), grouped under their attribute's
label, each with the sentences they come from; and the asked things the sources do not cover.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answering.question import Question, Thing
from bot.answering.relevance import Words, covered, overlap
from bot.answering.reply import Facts, Say
from bot.answering.vocabulary import (
    QuestionKind,
    asked_concepts,
    is_cue_word,
    kinds,
    markers,
)
from bot.answering.vocabulary import kind as kind_of
from bot.kb.answers import Citation, FactItem
from bot.kb.service import KnowledgeService
from bot.text.english import (
    is_common_word,
    is_english_word,
    is_noun,
    is_stop_word,
    is_verb_form,
    lemma,
)
from bot.text.words import same_word, words

# Beyond this many words, only things students often ask about (salary, fees) are named as
# not covered: a long story's other words are not what it asks.
GENERIC_SILENT_WORDS = 20
SHORT_QUESTION_WORDS = 3  # "salary?", "books for PM?", "gmat ok?"
KIND_NAMES = frozenset(k.kind for k in kinds())
# A fact outside the kind's attributes is shown when it holds this share of the question's own
# words (or names a thing the question names).
ASPECT_SHARE = 0.5
# Never a heading of their own: the catch-all, and clause attributes that repeat a definition.
QUIET = ("statement",)


@dataclass(frozen=True)
class Scored:
    item: FactItem
    score: float


# Where each kind of thing is listed: a degree is not an "engineering goods" industry.
THING_PLACES = {
    "sector": ("career_sectors", "recruiting_industries", "job_roles"),
    "role": ("job_roles",),
    "exam": ("entrance_exams",),
    "degree": ("preferred_background", "eligible_streams", "min_qualification",
               "recommended_degree"),
    "branch": ("preferred_background", "eligible_streams"),
}


def thing_matches(thing: Thing, item: FactItem, synonyms: dict[str, str]) -> bool:
    """Whether the fact names the thing ("telecom" in "Telecom", "banks" as "Financial
    Institutions", "B.E." in "B.E"), where things of its kind are listed."""
    places = THING_PLACES.get(thing.kind)
    if places is not None and item.attribute not in places:
        return False
    wanted = thing.key.lower().strip(" .")
    wanted = synonyms.get(wanted, wanted).lower()
    key = item.key.lower().strip(" .")
    if wanted == key or wanted.replace(".", "") == key.replace(".", ""):
        return True
    wanted_words = words(wanted.replace(".", ""))
    key_words = words(key.replace(".", ""))
    return bool(wanted_words) and all(any(same_word(w, k) for k in key_words)
                                      for w in wanted_words)


def thing_in_sentence(thing: Thing, citation: Citation) -> bool:
    sentence = f" {' '.join(words(citation.sentence.replace('.', '')))} "
    wanted = " ".join(words(thing.value.replace(".", "")))
    return bool(wanted) and f" {wanted} " in sentence


def rank(service: KnowledgeService, question: Question, topic: str,
         kind: QuestionKind | tuple[str, ...], things: Iterable[Thing] = ()) -> list[Scored]:
    """The topic's facts that bear on the question, best first: the kind's attributes (a
    prior, in their order), facts holding the question's own words, facts naming its things."""
    synonyms = service.rules.article["value_synonyms"]
    things = list(things)
    attributes = kind if isinstance(kind, tuple) else kind.attributes
    prior = {a: 1.0 - i * 0.05 for i, a in enumerate(attributes)}
    scored = []
    for item in service.facts(topic):
        text = f"{item.value} {item.citation.sentence} {service.label(item.attribute)}"
        share = overlap(question.aspects, text) if question.aspects else 0.0
        named = any(thing_matches(t, item, synonyms) for t in things)
        score = prior.get(item.attribute, 0.0) + share + (1.5 if named else 0.0)
        if item.attribute in prior or share >= ASPECT_SHARE or named:
            scored.append(Scored(item, score))
    scored.sort(key=lambda s: -s.score)
    return scored


def excerpt(service: KnowledgeService, item: FactItem) -> str:
    """What to quote for a fact: the clause that states it when its sentence speaks of two
    fields ("While X is ..., Y is ..."), else the whole sentence."""
    spec = service.rules.attribute(item.attribute)
    sentence = item.citation.sentence
    if not spec.is_set and item.value != sentence and len(item.value) > 30 and (
            item.value.lower().rstrip(".") in sentence.lower()):
        return item.value
    return ""


def grouped(service: KnowledgeService, topic: str, scored: list[Scored],
            limit: int = 4) -> list[Facts]:
    """Facts grouped by attribute (best group first), each group with its sentences; a
    sentence is quoted once, under the best group that holds it."""
    groups: dict[str, list[FactItem]] = {}
    for entry in scored:
        groups.setdefault(entry.item.attribute, []).append(entry.item)
    out = []
    quoted: set[tuple[int, str]] = set()
    for attribute, items in list(groups.items())[:limit]:
        spec = service.rules.attribute(attribute)
        values = () if not spec.is_set else tuple(dict.fromkeys(i.value for i in items))
        quotes, clauses = [], []
        for item in items:
            clause = excerpt(service, item)
            key = (item.citation.passage_id, clause)
            if key in quoted or any(q == item.citation for q in quotes):
                continue
            quoted.add(key)
            quotes.append(item.citation)
            clauses.append(clause)
        if not quotes and not values:
            continue
        out.append(Facts(topic, spec.label if attribute not in QUIET else "", values,
                         tuple(quotes), tuple(clauses)))
    return out


def silent_phrases(service: KnowledgeService, question: Question,
                   topics: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(concept, phrase) for each thing the question asks that the sources about ``topics``
    do not state, named as the student wrote it (or by its concept: "duration").

    What counts as asked: a thing students often ask about that sources lack (salary, fees,
    duration, work experience: a concept with ``ask``, in the student's words, "how long",
    "kitne saal"), a name ("Six Sigma", "FMCG", "Tata Motors"), the object of a membership
    question ("do hospitals hire ...?"), the words after "what is the", "any", "about" ...;
    and, in a short question, any other noun. Verbs and adjectives are not things; a long
    sentence's story is not what it asks."""
    passages = service.passages_of(list(topics) or service.topic_names())
    # the headings are the article's words too ("Top colleges" over a list of names)
    text = Words(" ".join([c.sentence for c in passages]
                          + list(dict.fromkeys(c.section for c in passages))))
    not_silent = set(markers()["not_silent"])
    found: list[tuple[str, str]] = []
    said: set[str] = set()
    for concept, typed in asked_concepts(question.text):
        content = [w for w in words(typed) if len(w) > 2 and not is_stop_word(w)]
        proof = [w for w in (concept.name, *concept.words) if w not in concept.weak
                 and " " not in w]
        stated = any(lemma(w) in text.lemmas or w in text.words for w in proof) and all(
            lemma(w) in text.lemmas or w in text.words for w in content
            if w not in concept.weak)
        if not content or not stated:
            found.append((concept.name, typed))
            said.update(words(typed))
    for phrase in question.phrases:
        words_ = words(phrase)
        if covered(phrase.lower(), text) or said & set(words_):
            continue
        names = _names(phrase) or _unknown_word(question, phrase, text)
        if names and not all(text.states(n.lower()) for n in names.split()):
            found.append(("", names))
            continue
        content = [w for w in words_ if w not in not_silent and not is_cue_word(w)
                   and not text.states(w) and not is_verb_form(w)]
        if not content or _sentence_words(question.text, phrase) > GENERIC_SILENT_WORDS or (
                question.kind == "advice"):
            continue
        nouns = all(is_noun(w) or not is_english_word(w) for w in content)
        membership = nouns and question.polar and kind_of(question.kind).entity in (
            "sector", "exam") if question.kind in KIND_NAMES else False
        short = len(question.text.split()) <= SHORT_QUESTION_WORDS and nouns
        if not (membership or short or _asked_about(question, phrase)):
            continue
        if all(is_english_word(w) or len(w) >= 4 and not _typo(w, text) for w in content):
            found.append(("", phrase if len(phrase.split()) <= 4 else " ".join(content)))
    return tuple(dict.fromkeys(found))


def _unknown_word(question: Question, phrase: str, text: Words) -> str:
    """In a short question, a word that is neither English nor Hinglish nor the sources'
    ("gmat", "cmat"): a name typed in lower case."""
    if len(question.text.split()) > 8:
        return ""
    hinglish = set(markers()["hinglish"]) | set(markers()["fillers"])
    for word in words(phrase):
        if len(word) >= 3 and word.isalpha() and not is_english_word(word) and (
                word not in hinglish) and not text.states(word) and not _typo(word, text):
            return word.upper() if len(word) <= 5 else word
    return ""


def _sentence_words(text: str, phrase: str) -> int:
    """How long the sentence is that holds the phrase."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if phrase in sentence:
            return len(sentence.split())
    return len(text.split())


def _typo(word: str, text: Words) -> bool:
    """A misspelling of a word the sources or the question kinds use ("managment")."""
    import difflib

    if len(word) < 6:
        return False
    return bool(difflib.get_close_matches(word, list(text.words), n=1, cutoff=0.8))


def _names(phrase: str) -> str:
    """The names in a phrase as typed: "FMCG", "Six Sigma" (capitalised words that are not
    common English); "" when there are none."""
    run: list[str] = []
    for word in phrase.split():
        if word[:1].isupper() and word.isalpha() and len(word) >= 2:
            run.append(word)
        elif run:
            break
    if any(w.isupper() and not is_english_word(w) or not is_common_word(w) for w in run):
        return " ".join(run)
    return ""


# Words right before the thing a question asks about: "what is the salary", "how much work
# experience", "any placement record", "about job titles".
_ASKING = ("about", "regarding", "the", "any", "much", "many", "what", "which", "is", "are",
           "involve", "involves", "include", "includes", "offer", "offers", "have", "has",
           "there", "need", "needs", "require", "requires", "required", "love", "like",
           "enjoy", "interested in", "passion for", "into")


def _asked_about(question: Question, phrase: str) -> bool:
    text = " ".join(words(question.text))
    first = " ".join(words(phrase))
    return any(f" {marker} {first}" in f" {text}" for marker in _ASKING)


def silent_note(concept: str, phrase: str) -> Say:
    """"My sources don't say anything about salary or pay": the concept (for which the domain
    may have its own sentence, ``utter_phrase_silent_<concept>``) and the student's words."""
    if not concept:
        return Say.of("silent", thing=phrase)
    return Say.of(f"silent_{concept.replace(' ', '_')}", thing=phrase, concept=concept)


MAX_ANSWER_SENTENCES = 3


def spelled_out(passages: Iterable[Citation], shorts: Iterable[str], words_before: int,
                word: str = r"[\w'’-]", plural: bool = False) -> tuple[Citation, ...]:
    """The first sentence (not a table row) that spells out one of ``shorts`` in brackets
    after a capitalised name of up to ``words_before`` more words ("Diploma in Elementary
    Education (D.El.Ed)"); ``plural``: "(DIETs)" spells out "DIET" too."""
    names = "|".join(re.escape(n) for n in shorts)
    if not names:
        return ()
    pattern = re.compile(rf"[A-Z][\w'’-]+(?:\s+{word}+){{0,{words_before}}}\s*\(\s*(?:{names})"
                         + (r"s?" if plural else "") + r"\s*\)", re.IGNORECASE)
    return next(((c,) for c in passages if c.kind != "row" and pattern.search(c.sentence)), ())


def is_question(citation: Citation) -> bool:
    """An article's own question ("**What is the eligibility?**"): it states nothing."""
    return citation.sentence.rstrip("*_ ").endswith("?")


def answer_to(passages: tuple[Citation, ...], index: int) -> tuple[Citation, ...]:
    """The answer an article gives right after its question ``passages[index]``: the next
    paragraph's sentences (none when another question follows)."""
    question = passages[index]
    after = [c for c in passages[index + 1:]
             if c.source_path == question.source_path and c.block != question.block]
    if not after or is_question(after[0]):
        return ()
    return tuple(c for c in after if c.block == after[0].block)[:MAX_ANSWER_SENTENCES]
