"""When no intent fits: passage search above a calibrated score, else honesty and help.

Also the out-of-scope answer, which must not guess and is logged for editors.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import presenter
from actions.answer import (
    ANSWERABLE,
    FOLLOW_UP_INTENTS,
    MEMBERSHIP_CHECKS,
    QUESTION_ENTITIES,
    ActionAnswerQuestion,
    continues,
)
from actions.base import KnowledgeAction
from actions.college import ActionCollegeQuestion
from actions.context import entity_values, is_bare_follow_up
from actions.unanswered import log_unanswered
from bot.config import load_settings

# Below the FallbackClassifier's threshold (0.5), a guess at least this likely is used when the
# message's entities back it (measured on the evaluation sets: docs/evaluation.md).
GUESS_CONFIDENCE = 0.3
# What a follow-up may carry: anything some question uses besides its fields.
FOLLOW_UPS = frozenset(e for entities in QUESTION_ENTITIES.values() for e in entities)


def _previous_bot_response(tracker: Tracker) -> str | None:
    """The response name of the bot's last message before the current user message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return (event.get("metadata") or {}).get("utter_action")
    return None


def corroborated_guess(message: dict[str, Any], follow_up: bool) -> tuple[str, float] | None:
    """The classifier's best intent under the fallback threshold, when the message's entities
    back it: a knowledge question that names a field (long messages often land here: "my prof
    gave us an assignment ... compare OM with PM") or the thing it asks about ("is CAT ok?"),
    or a follow-up carrying what it changes ("too many, give 2"). Out-of-scope messages rarely
    name one of our fields."""
    ranking = [i for i in message.get("intent_ranking") or []
               if i.get("name") not in (None, "nlu_fallback")]
    if not ranking or (ranking[0].get("confidence") or 0.0) < GUESS_CONFIDENCE:
        return None
    intent, confidence = ranking[0]["name"], ranking[0]["confidence"]
    named = {e.get("entity") for e in message.get("entities") or []}
    if intent in ANSWERABLE and ("topic" in named or MEMBERSHIP_CHECKS.get(intent, ("",))[0]
                                 in named):
        return intent, confidence
    if intent in FOLLOW_UP_INTENTS and ("topic" in named or (follow_up and named & FOLLOW_UPS)):
        return intent, confidence
    return None


class ActionFallbackSearch(KnowledgeAction):
    def name(self) -> str:
        return "action_fallback_search"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = await self._respond(dispatcher, tracker, domain)
        # As core fallback (no rule fits, e.g. a form rejected the message) nothing else would
        # end the turn, and Rasa would run this action again and again: listen now.
        return [*events, FollowupAction("action_listen")]

    async def _respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        previous = tracker.get_slot("last_question")
        if previous and (is_bare_follow_up(message) or continues(previous, message)):
            # "what about IT?", "now as a table": a follow-up, however unsure the classifier was.
            return await ActionAnswerQuestion(self.service).answer(dispatcher, tracker, domain)
        if not previous and is_bare_follow_up(message) and entity_values(message, "topic"):
            # "production management?" as the first message: the field is the question.
            return await ActionAnswerQuestion(self.service).respond(
                dispatcher, tracker, domain, FOLLOW_UP_INTENTS[0], 1.0)
        guess = corroborated_guess(message, follow_up=bool(previous))
        if guess:
            return await ActionAnswerQuestion(self.service).respond(
                dispatcher, tracker, domain, *guess)
        if entity_values(message, "institution"):
            # "is IIM good for OM": a question about colleges, however it was worded.
            return await ActionCollegeQuestion(self.service).answer(dispatcher, tracker, domain)
        if self.decline_uncovered_aspects(dispatcher, tracker):
            dispatcher.utter_message(response="utter_what_i_can_answer", topics=self.topic_list())
            return []
        text = message.get("text") or ""
        threshold = load_settings().min_search_score
        hits = [hit for hit in self.service.search(text, limit=2) if hit.score >= threshold]
        if hits:
            phrases = presenter.Phrases(domain)
            quotes = "\n".join(f"> {presenter.escape_markdown(h.citation.sentence)}"
                               for h in hits)
            dispatcher.utter_message(
                response="utter_passages", body=quotes,
                source=presenter.source_line([h.citation for h in hits], phrases))
            return []
        log_unanswered(tracker, reason="low confidence")
        if _previous_bot_response(tracker) == "utter_ask_rephrase":
            dispatcher.utter_message(response="utter_offer_topics", topics=self.topic_list())
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        return []


class ActionOutOfScope(KnowledgeAction):
    def name(self) -> str:
        return "action_out_of_scope"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if self.decline_uncovered_aspects(dispatcher, tracker, off_topic=True):
            # "salary after an MBA in OM?": in the field, but not in the sources; say which part.
            dispatcher.utter_message(response="utter_what_i_can_answer", topics=self.topic_list())
            return []
        log_unanswered(tracker, reason="out of scope")
        dispatcher.utter_message(response="utter_out_of_scope", topics=self.topic_list())
        return []


class ActionCapabilities(KnowledgeAction):
    """What the bot can do, naming the topics its knowledge base holds right now."""

    def name(self) -> str:
        return "action_capabilities"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_capabilities", topics=self.topic_list())
        return []
