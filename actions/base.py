"""The base of actions that need the knowledge service (given, or created lazily)."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

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
