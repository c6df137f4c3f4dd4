"""Which words are ordinary English: for alias checks ("AM" is a word, "PM" is not one a
student means as a word) and for telling an English message from one in another language.

The word list is spaCy's own lookup data (``spacy-lookups-data``: the lemma index and the
lexeme log-probabilities), loaded on first use.
"""

from __future__ import annotations

import os
from functools import lru_cache

# Log-probability above which a dictionary word is common enough that an alias spelled like it
# would fire on ordinary text ("am" -7.1, "it" -4.4; "pm" -10.5, "hm" -13.2).
COMMON_WORD_LOGPROB = -9.0


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    import spacy_lookups_data
    import srsly

    folder = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data")
    index = srsly.read_gzip_json(os.path.join(folder, "en_lemma_index.json.gz"))
    return {pos: frozenset(w.lower() for w in group) for pos, group in index.items()}


def is_noun(word: str) -> bool:
    """A noun by spaCy's lemma index (as itself or by its lemma: "hospitals")."""
    nouns = _index().get("noun", frozenset())
    return word.lower() in nouns or lemma(word) in nouns


def is_verb_form(word: str) -> bool:
    """An inflected verb ("conducted", "held", "switching") that is not also a noun."""
    lowered = word.lower()
    base = lemma(lowered)
    verbs = _index().get("verb", frozenset())
    return base != lowered and base in verbs and lowered not in _index().get(
        "noun", frozenset()) and not (base in _index().get("noun", frozenset())
                                      and lowered.endswith("s"))


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, float]]:
    import spacy_lookups_data
    import srsly

    folder = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data")
    index = srsly.read_gzip_json(os.path.join(folder, "en_lemma_index.json.gz"))
    lookup = srsly.read_gzip_json(os.path.join(folder, "en_lemma_lookup.json.gz"))
    prob = srsly.read_gzip_json(os.path.join(folder, "en_lexeme_prob.json.gz"))
    words = {w for group in index.values() for w in group}
    words.update(lookup)
    words.update(lookup.values())
    return frozenset(w.lower() for w in words if w.isalpha()), prob


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from spaCy's own file without importing spaCy (which
    would load TensorFlow through thinc: seconds and hundreds of MB in the action server)."""
    import importlib.util
    import runpy

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed")
    folder = next(iter(spec.submodule_search_locations))
    namespace = runpy.run_path(os.path.join(folder, "lang", "en", "stop_words.py"))
    return frozenset(namespace["STOP_WORDS"]) | TYPED_CONTRACTIONS


# Contractions as students type them, without the apostrophe ("i dont care"): spaCy lists
# "n't" and "'m", not these.
TYPED_CONTRACTIONS = frozenset((
    "dont", "doesnt", "didnt", "cant", "couldnt", "wont", "wouldnt", "isnt", "arent", "wasnt",
    "werent", "havent", "hasnt", "hadnt", "shouldnt", "im", "ive", "youre", "theyre", "thats",
    "whats", "hows", "wheres", "ill"))


_stop_words = stop_words


def is_stop_word(word: str) -> bool:
    return word.lower() in _stop_words()


def is_english_word(word: str) -> bool:
    """A dictionary word or a function word (case-insensitive)."""
    lowered = word.lower()
    return lowered in _stop_words() or lowered in _tables()[0]


def is_common_word(word: str) -> bool:
    """A function word, or a dictionary word frequent enough to appear in ordinary text."""
    lowered = word.lower()
    if lowered in _stop_words():
        return True
    words, prob = _tables()
    return lowered in words and prob.get(lowered, -20.0) > COMMON_WORD_LOGPROB


@lru_cache(maxsize=1)
def _lemmas() -> dict[str, str]:
    import spacy_lookups_data
    import srsly

    folder = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data")
    table = srsly.read_gzip_json(os.path.join(folder, "en_lemma_lookup.json.gz"))
    return {k.lower(): v.lower() for k, v in table.items()}


def lemma(word: str) -> str:
    """The dictionary form of a word (spaCy's lookup table): "hospitals" -> "hospital",
    "recruited" -> "recruit"; "hospitality" stays itself."""
    lowered = word.lower()
    return _lemmas().get(lowered, lowered)
