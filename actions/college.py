"""College questions: the sources name no colleges, so say so and give what they do say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import COLLEGE_QUESTION, ActionAnswerQuestion


class ActionCollegeQuestion(ActionAnswerQuestion):
    """Rules run this for "which college?"; the answer is the knowledge action's, so that a
    college question naming an exam ("do colleges accept CAT?") is answered as one."""

    def name(self) -> str:
        return "action_answer_college"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await self.respond(dispatcher, tracker, domain, COLLEGE_QUESTION, 1.0)
