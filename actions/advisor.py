"""The advisor form: gather only what is missing, then recommend from cited facts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import presenter
from actions.base import KnowledgeAction, UsesKnowledge
from actions.context import entity_values
from actions.unanswered import log_unanswered
from bot.kb.advice import Reason, advise, background_terms

MODES = ("distance", "regular")
ADVICE_INTENTS = ("ask_recommendation", "inform")
NO_PREFERENCE = "no preference"


class ValidateAdvisorForm(UsesKnowledge, FormValidationAction):
    def name(self) -> str:
        return "validate_advisor_form"

    def validate_degree(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict):
        text = " ".join(str(value or "").split())
        if not text or len(text) > 80:
            dispatcher.utter_message(response="utter_ask_degree_again")
            return {"degree": None}
        known = background_terms(text)
        return {"degree": known[0] if known else text}

    async def extract_options(self, dispatcher, tracker: Tracker, domain: DomainDict):
        """"OM or PM, which one?" names the options as fields (topic entities), not as
        specialisations; take them when the student is asking for advice or answering."""
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        if tracker.get_slot("options") or not (
                intent in ADVICE_INTENTS or tracker.get_slot("requested_slot") == "options"):
            return {}
        fields = [self.service.resolve_topic(w) for w in entity_values(message, "topic")]
        fields = [f for f in dict.fromkeys(fields) if f]
        return {"options": fields} if fields else {}

    def validate_options(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict):
        options = [str(v).lower() for v in (value if isinstance(value, list) else [value]) if v]
        options = list(dict.fromkeys(options))
        if not options:
            return {"options": None}
        return {"options": options}

    def validate_mode(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict):
        mode = str(value or "").lower()
        return {"mode": mode if mode in MODES else None}

    def validate_interests(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict):
        values = value if isinstance(value, list) else [value]
        interests = [str(v).lower() for v in values if v]
        message = tracker.latest_message or {}
        corrected = any(e.get("entity") in ("degree", "mode", "specialisation")
                        for e in message.get("entities", []))
        sectors = [e.get("value") for e in message.get("entities", [])
                   if e.get("entity") == "sector"]
        if sectors:
            return {"interests": list(dict.fromkeys(str(s).lower() for s in sectors))}
        if corrected and tracker.get_slot("requested_slot") == "interests":
            return {"interests": None}  # the message corrected another answer: ask again
        return {"interests": interests or [NO_PREFERENCE]}


class ActionRecommend(KnowledgeAction):
    def name(self) -> str:
        return "action_recommend"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        phrases = presenter.Phrases(domain)
        options = tracker.get_slot("options") or []
        interests = [i for i in tracker.get_slot("interests") or [] if i != NO_PREFERENCE]
        degree = tracker.get_slot("degree")
        mode = tracker.get_slot("mode")
        advice = advise(self.service, degree, options, interests, mode)
        lines = [_reason_line(r, phrases) for r in advice.reasons]
        citations = [f.citation for r in advice.reasons for f in r.facts]
        if advice.best:
            verdict = phrases("advice_best", option=presenter.escape_markdown(advice.best))
        else:
            verdict = phrases("advice_no_winner")
        notes = [phrases("advice_silent_option", option=presenter.escape_markdown(o))
                 for o in advice.silent_options]
        if not advice.mode_covered:
            notes.append(phrases("advice_mode_silent", mode=presenter.escape_markdown(mode)))
        dispatcher.utter_message(
            response="utter_recommendation", verdict=verdict,
            reasons=presenter.numbered(lines) if lines else phrases("nothing_listed"),
            notes="\n".join(f"- {n}" for n in notes) or phrases("advice_no_gaps"),
            source=presenter.source_line(citations, phrases) if citations else "")
        if tracker.get_slot("asked_college"):
            log_unanswered(tracker, reason="college question")
            dispatcher.utter_message(response="utter_college_in_advice")
        if advice.silent_options or not advice.mode_covered:
            log_unanswered(tracker, reason="advice gap")
        return [SlotSet("asked_college", None)]


def _reason_line(reason: Reason, phrases) -> str:
    item = reason.facts[0]
    return phrases(
        f"reason_{reason.kind}",
        option=presenter.escape_markdown(reason.option),
        topic=presenter.topic_title(reason.topic),
        detail=presenter.escape_markdown(reason.detail),
        sentence=presenter.escape_markdown(item.citation.sentence),
    )
