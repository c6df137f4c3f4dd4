"""Build the rule-based spaCy pipeline: blank English, sentencizer, lookup lemmas, entity ruler.

No pretrained model is needed (none can be downloaded here): lemmas come from
spacy-lookups-data at build time, entities from the JSONL patterns in ``bot/ingest/rules``.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import spacy
from spacy.language import Language

RULES_DIR = Path(__file__).resolve().parent.parent / "ingest" / "rules"
ENTITY_PATTERNS = RULES_DIR / "entities.jsonl"


def build_nlp(entity_patterns: Path = ENTITY_PATTERNS) -> Language:
    """A fresh pipeline. The ruler is added after ``initialize()``, which would clear it."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "validate": True}
    )
    with warnings.catch_warnings():
        # W012: the ruler tokenises phrase patterns with the whole pipeline; harmless here.
        warnings.filterwarnings("ignore", message=r"\[W012\]")
        ruler.from_disk(entity_patterns)
    return nlp


def pipeline_fingerprint(entity_patterns: Path = ENTITY_PATTERNS) -> str:
    """Changes whenever the patterns or the spaCy version change (Rasa caches by path only)."""
    digest = hashlib.sha256(entity_patterns.read_bytes())
    digest.update(spacy.__version__.encode())
    return digest.hexdigest()[:12]
