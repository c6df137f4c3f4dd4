"""Helpers for action tests: a tracker as Rasa sends it, the action run, the reply as text."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from bot.config import PROJECT_ROOT
from bot.kb.service import KnowledgeService
from tests.conftest import add_sources, make_settings

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


def built_service(tmp: Path, nlp, *articles: Path) -> KnowledgeService:
    from bot.ingest.build import build_knowledge_base

    settings = make_settings(tmp, f"sqlite:///{tmp / 'kb.sqlite'}")
    add_sources(settings, *articles)
    build_knowledge_base(settings, nlp_factory=lambda: nlp)
    return KnowledgeService.from_settings(settings)


def tracker(text: str, intent: str | None = None, confidence: float = 0.9,
            slots: dict[str, Any] | None = None, entities: list[dict] | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": confidence},
               "intent_ranking": [{"name": intent, "confidence": confidence}] if intent else [],
               "entities": entities or []}
    return Tracker.from_dict({
        "sender_id": "student-1",
        "slots": slots or {},
        "latest_message": message,
        "events": [{"event": "user", "text": text, "parse_data": message,
                    "input_channel": "rest"}],
        "latest_input_channel": "rest",
        "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def render(message: dict) -> str:
    """The response text as Rasa fills it from the dispatcher's values."""
    template = DOMAIN["responses"][message["response"]][0]["text"]
    return template.format(**{k: v for k, v in message.items() if k != "response"})


class Conversation:
    """A conversation with the action: slots are carried from turn to turn as Rasa would."""

    def __init__(self, service: KnowledgeService) -> None:
        self.action = ActionAnswer(service)
        self.slots: dict[str, Any] = {}
        self.events: list[dict] = []

    def say(self, text: str, intent: str | None = None, confidence: float = 0.9) -> str:
        dispatcher = CollectingDispatcher()
        events = asyncio.run(self.action.run(dispatcher, tracker(text, intent, confidence,
                                                                 dict(self.slots)), DOMAIN))
        self.events = events
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.responses = [m["response"] for m in dispatcher.messages]
        return "\n".join(render(m) for m in dispatcher.messages)


def first_lines(text: str, n: int = 3) -> str:
    """The opening of a reply: where the answer to the asked thing must be."""
    return "\n".join(line for line in text.splitlines() if line.strip())[:n * 400]
