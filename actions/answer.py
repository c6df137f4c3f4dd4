"""The one knowledge action: read the tracker, decide what the message asks (``interpret``),
compose the reply from the knowledge base (``compose``), utter it as a domain response."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation, presenter
from actions.base import KnowledgeAction
from actions.unanswered import log_unanswered
from bot.answering.compose import compose
from bot.answering.lexicon import Lexicon
from bot.answering.question import Parse, interpret

logger = logging.getLogger(__name__)


def typed_text(tracker: Tracker) -> str | None:
    """What the student typed (the parse data may hold only a long message's question)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            text = event.get("text")
            return text if isinstance(text, str) else None
    return None


class ActionAnswer(KnowledgeAction):
    def name(self) -> str:
        return "action_answer"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        parse = Parse.from_message(message, typed_text(tracker))
        context = conversation.read(tracker)
        question = interpret(parse, context, Lexicon.for_service(self.service))
        reply = compose(self.service, question, context)
        values = presenter.render(reply, presenter.Phrases(domain))
        response = reply.response
        if response == "utter_answer" and not values["source"]:
            response = "utter_answer_unsourced"
        dispatcher.utter_message(response=response, **values)
        if reply.unanswered:
            log_unanswered(tracker, reason=reply.unanswered)
        logger.debug("answered %s as %s (%s)", question.kinds, response, reply.unanswered)
        return conversation.events(reply.memory, context)
