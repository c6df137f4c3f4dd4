""""ok", "yes", "no": acknowledged, unless the message also names what it asks about."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import (
    ANSWERABLE,
    ENTITY_QUESTIONS,
    FOLLOW_UP_INTENTS,
    ActionAnswerQuestion,
    implied_question,
)
from actions.context import entity_values

ACKNOWLEDGEMENTS = {"affirm": "utter_affirm_ack", "deny": "utter_deny_ack"}


class ActionAcknowledge(ActionAnswerQuestion):
    """A yes-word naming a field, exam, sector or degree ("is CAT ok?") is a question."""

    def name(self) -> str:
        return "action_acknowledge"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        if any(entity_values(message, e, confident=True) for e in ENTITY_QUESTIONS):
            intent = implied_question(message, tracker.get_slot("last_question") or "")
            return await self.respond(dispatcher, tracker, domain, intent, 1.0)
        if entity_values(message, "topic", confident=True):
            # "wats operations management exactly": a question about the field; the classifier's
            # best knowledge question says which ("inform" opens with its definition).
            ranked = [i.get("name") for i in message.get("intent_ranking") or ()]
            intent = next((i for i in ranked if i in ANSWERABLE), FOLLOW_UP_INTENTS[0])
            return await self.respond(dispatcher, tracker, domain, intent, 1.0)
        intent = (message.get("intent") or {}).get("name") or ""
        dispatcher.utter_message(response=ACKNOWLEDGEMENTS.get(intent, "utter_affirm_ack"))
        return []
