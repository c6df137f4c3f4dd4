"""Rasa NLU component: classify a long message by the sentences that ask (see ``focus``).

It runs first in the pipeline, before the tokenizer, and replaces a long message's text with its
asking sentences (and "OM = PM?" with "OM same as PM?"); everything after it (features, intent,
entities, and the text the actions read) sees that text, so entity offsets stay consistent. The
conversation history keeps what the student typed. Training examples pass unchanged: the model
learns from whole examples and is asked about questions.

What counts as naming a subject is learned from the training data, so it follows the knowledge
base: the values annotated for the configured entity types, the lookup tables (generated from
the knowledge base) and the synonyms.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

from bot.nlu.focus import DEFAULT_MIN_WORDS, SubjectTerms, focus, read_equals

logger = logging.getLogger(__name__)

TERMS_FILE = "subject_terms.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True
)
class QuestionFocus(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_words": DEFAULT_MIN_WORDS,
            # entity types whose values name what the bot is about
            "subject_entities": ["topic", "sector", "degree", "exam", "specialisation",
                                 "institution"],
            # entity types whose sentences are kept as context (the student's degree and
            # study mode: eligibility answers and the advisor need them)
            "context_entities": ["degree", "mode"],
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage,
                 resource: Resource, terms: dict[str, list[str]] | None = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self._use(terms or {})

    def _use(self, terms: dict[str, list[str]]) -> None:
        self.subjects = SubjectTerms(terms.get("subjects", ()))
        self.context = SubjectTerms(terms.get("context", ()))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> QuestionFocus:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> QuestionFocus:
        try:
            with model_storage.read_from(resource) as model_dir:
                terms = read_json_file(model_dir / TERMS_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("QuestionFocus has no trained terms; long messages stay whole.")
            terms = {}
        return cls(config, model_storage, resource, terms if isinstance(terms, dict) else {})

    def train(self, training_data: TrainingData) -> Resource:
        terms = {
            "subjects": subject_terms(training_data, self.config["subject_entities"]),
            "context": subject_terms(training_data, self.config["context_entities"]),
        }
        with self._model_storage.write_to(self._resource) as model_dir:
            dump_obj_as_json_to_file(model_dir / TERMS_FILE, terms)
        self._use(terms)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text:
                focused = focus(read_equals(text, self.subjects), self.subjects, self.context,
                                self.config["min_words"])
                if focused != text:
                    message.set(TEXT, focused)
        return messages


def subject_terms(training_data: TrainingData, entity_types: list[str]) -> list[str]:
    """The values annotated for ``entity_types``, their lookup tables, and the synonyms of
    those values."""
    wanted = set(entity_types)
    terms: set[str] = set()
    for example in training_data.entity_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or ():
            if entity.get("entity") in wanted:
                terms.add(text[entity["start"]:entity["end"]])
                terms.add(str(entity.get("value") or ""))
    for table in training_data.lookup_tables:
        if table.get("name") in wanted and isinstance(table.get("elements"), list):
            terms.update(str(e) for e in table["elements"])
    values = {t.lower() for t in terms}
    for variant, canonical in training_data.entity_synonyms.items():
        if str(canonical).lower() in values:
            terms.add(str(variant))
    return sorted(t for t in terms if t.strip())
