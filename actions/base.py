"""The base of actions that need the knowledge service (given, or created lazily)."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from rasa_sdk import Action

from actions import presenter
from bot.kb.service import KnowledgeService, default_service


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
    """Abstract, so rasa_sdk does not register it."""

    @abstractmethod
    def name(self) -> str: ...

    def topic_list(self) -> str:
        return ", ".join(presenter.topic_title(t.name) for t in self.service.topics())
