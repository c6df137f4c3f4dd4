"""College questions: the sources name no colleges, so say so and give what they do say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import presenter
from actions.base import KnowledgeAction
from actions.unanswered import log_unanswered


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
