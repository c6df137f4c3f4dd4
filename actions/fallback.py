"""When no intent fits: passage search above a calibrated score, else honesty and help.

Also the out-of-scope and college answers, which must not guess and are logged for editors.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import presenter
from actions.answer import ActionAnswerQuestion
from actions.base import KnowledgeAction
from actions.context import is_bare_follow_up
from actions.unanswered import log_unanswered
from bot.config import load_settings


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


class ActionFallbackSearch(KnowledgeAction):
    def name(self) -> str:
        return "action_fallback_search"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        if tracker.get_slot("last_question") and is_bare_follow_up(message):
            # "what about IT?" is a follow-up, however unsure the classifier was.
            return await ActionAnswerQuestion(self.service).answer(dispatcher, tracker, domain)
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
        log_unanswered(tracker, reason="out of scope")
        dispatcher.utter_message(response="utter_out_of_scope", topics=self.topic_list())
        return []


class ActionCollegeQuestion(KnowledgeAction):
    """The sources name no colleges, rankings, fees or providers: say so, give what they do."""

    def name(self) -> str:
        return "action_answer_college"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        log_unanswered(tracker, reason="college question")
        phrases = presenter.Phrases(domain)
        lines, citations = [], []
        for info in self.service.topics():
            answers = self.service.attributes(
                info.name, ("min_qualification", "entrance_exams", "preferred_background"))
            for answer in answers:
                if answer.items:
                    lines.append(phrases("side", topic=presenter.topic_title(info.name),
                                         values=f"{answer.label}: " + ", ".join(
                                             presenter.escape_markdown(v)
                                             for v in answer.values)))
                    citations += answer.citations
        dispatcher.utter_message(
            response="utter_college_not_covered",
            body=presenter.bulleted(lines) or phrases("nothing_listed"),
            source=presenter.source_line(citations, phrases))
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
