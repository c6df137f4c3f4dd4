"""The base of actions that need the knowledge service (given, or created lazily)."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import presenter
from actions.context import entity_values, guessed
from actions.unanswered import log_unanswered
from bot.kb.service import KnowledgeService, default_service

logger = logging.getLogger(__name__)


class UsesKnowledge:
    """rasa_sdk creates actions without arguments (lazy default service); tests pass a service
    over their own knowledge base."""

    def __init__(self, service: KnowledgeService | None = None) -> None:
        self._service = service

    @property
    def service(self) -> KnowledgeService:
        if self._service is None:
            self._service = default_service()
        return self._service


class KnowledgeAction(UsesKnowledge, Action, metaclass=ABCMeta):
    """Abstract, so rasa_sdk does not register it. Subclasses implement ``answer``; a broken
    knowledge base (database down, file missing) gets a polite reply instead of silence."""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            return await self.answer(dispatcher, tracker, domain)
        except SQLAlchemyError:
            logger.exception("the knowledge base is unavailable")
            dispatcher.utter_message(response="utter_knowledge_unavailable")
            return []

    def uncovered_aspects(self, message: dict[str, Any]) -> tuple[str, ...]:
        """What the message asks about that no knowledge-base attribute covers ("salary")."""
        return tuple(a for a in entity_values(message, "aspect", confident=True)
                     if not self.service.covers(a))

    def decline_uncovered_aspects(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  off_topic: bool = False) -> bool:
        """Say first what the sources don't cover ("age limit for MBA PM?": no age limit, then
        what they do say about eligibility), so the nearest facts never pass for the answer.

        With ``off_topic`` (a message already judged outside the field), only an aspect from
        the vocabulary counts, or one asked about a field: a word the classifier merely guessed
        ("ipsum" in "lorem ipsum") is not something the student asked the sources about."""
        message = tracker.latest_message or {}
        if off_topic and not entity_values(message, "topic"):
            message = {**message, "entities": [
                e for e in message.get("entities") or ()
                if e.get("entity") != "aspect" or not guessed(e)]}
        missing = self.uncovered_aspects(message)
        if not missing:
            return False
        dispatcher.utter_message(response="utter_aspect_not_covered",
                                 aspect=presenter.escape_markdown(", ".join(missing)))
        log_unanswered(tracker, reason="aspect not covered")
        return True

    def topic_list(self) -> str:
        return ", ".join(presenter.topic_title(t.name) for t in self.service.topics())
