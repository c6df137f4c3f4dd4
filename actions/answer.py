"""Answer factual questions from the knowledge base: attributes, differences, similarities.

Thin by design: read the question (intent, entities, slots), ask ``bot.kb.service``, and utter
a domain response with the facts and their sources filled in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import presenter
from actions.base import KnowledgeAction
from actions.context import QuestionContext, entity_values, is_bare_follow_up, read_context
from actions.unanswered import log_unanswered
from bot.kb.answers import AttributeAnswer
from bot.nlu.question_form import closed_question

# Which knowledge-base attributes answer which question (routing, not wording or facts).
INTENT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "ask_definition": ("definition",),
    "ask_scope": ("scope",),
    "ask_qualification": (
        "min_qualification", "eligible_streams", "recommended_degree", "specialisation"),
    "ask_admission": ("admission_route", "entrance_exams"),
    "ask_careers": ("career_outlook", "career_sectors", "recruiting_industries"),
    "ask_sectors": ("career_sectors", "recruiting_industries"),
    "ask_background": ("preferred_background", "eligible_streams", "min_qualification"),
}
COMPARISON_INTENTS = ("ask_differences", "ask_similarity")
COUNTED_QUESTION = "ask_differences"
FOLLOW_UP_INTENTS = ("inform",)
# What a field named on its own, with no question before it, asks.
OPENING_QUESTION = "ask_definition"
# Below this confidence, a message of entities and function words only ("and PM?") is taken as
# a follow-up to the previous question rather than as the intent the classifier guessed.
FOLLOW_UP_CONFIDENCE = 0.8
# An entity that asks "is X among them?" for these intents, and where to look for X.
MEMBERSHIP_CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ask_sectors": ("sector", ("career_sectors", "recruiting_industries")),
    "ask_careers": ("sector", ("career_sectors", "recruiting_industries")),
    "ask_admission": ("exam", ("entrance_exams",)),
    "ask_background": ("degree", ("preferred_background",)),
}
# Eligibility questions about the student's own degree ("is B.Com ok?") name it in the answer.
ASKED_ABOUT_DEGREE = ("ask_qualification",)
# The entity a question asks about, if it takes one ("does telecom hire...?": sector).
THING_ASKED: dict[str, str] = {
    **{intent: entity for intent, (entity, _) in MEMBERSHIP_CHECKS.items()},
    **{intent: "degree" for intent in ASKED_ABOUT_DEGREE},
}
# What each question uses besides its fields: a follow-up carrying one of these continues it.
QUESTION_ENTITIES: dict[str, tuple[str, ...]] = {
    COUNTED_QUESTION: ("count", "answer_format"),
    **{intent: (entity,) for intent, entity in THING_ASKED.items()},
}
# What a message naming one of these, and nothing the previous question can use, asks
# ("telecom PM?" after a definition, or as the first message): is it among them?
ENTITY_QUESTIONS: dict[str, str] = {
    "sector": "ask_sectors", "exam": "ask_admission", "degree": "ask_qualification"}
# What a college question gets instead of colleges, which the sources never name.
COLLEGE_ATTRIBUTES = ("min_qualification", "entrance_exams", "preferred_background")
# A definition needs its subject: without one, ask instead of defining every field.
NEEDS_A_TOPIC = ("ask_definition",)
COLLEGE_QUESTION = "ask_college"
# The questions the knowledge base answers (a guess from the classifier's ranking must be one).
ANSWERABLE = (*INTENT_ATTRIBUTES, *COMPARISON_INTENTS, "ask_india")
ANSWERED_INTENTS = (*INTENT_ATTRIBUTES, *COMPARISON_INTENTS, "ask_india", COLLEGE_QUESTION,
                    *FOLLOW_UP_INTENTS)


class ActionAnswerQuestion(KnowledgeAction):
    def name(self) -> str:
        return "action_answer_question"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name") or ""
        confidence = (message.get("intent") or {}).get("confidence") or 0.0
        return await self.respond(dispatcher, tracker, domain, intent, confidence)

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any],
        intent: str, confidence: float,
    ) -> list[EventType]:
        """Answer the latest message as a question of kind ``intent`` (the classifier's, or the
        fallback's corroborated guess)."""
        message = tracker.latest_message or {}
        intent, follow_up = question_asked(
            message, intent, confidence, tracker.get_slot("last_question"))
        context = read_context(message, tracker.current_slot_values(), self.service)
        if context.unknown_topics and not context.topics and follow_up and continues(
                intent, message):
            # "put it in a table pls" with "pls" taken for a field: the table is what is asked.
            without_topics = [e for e in message.get("entities") or ()
                              if e.get("entity") != "topic"]
            context = read_context({**message, "entities": without_topics},
                                   tracker.current_slot_values(), self.service)
        phrases = presenter.Phrases(domain)
        if intent == COLLEGE_QUESTION and context.entities.get("exam"):
            # "do colleges accept CAT?": the exam is what is asked about.
            intent = "ask_admission"
        if intent == COLLEGE_QUESTION or (
                intent == "ask_india" and context.entities.get("institution")):
            # "top institutes in india": a college question first.
            self._college(dispatcher, tracker, phrases)
            return []
        if context.unknown_topics and not context.topics:
            return self._unknown_topic(dispatcher, tracker, context)
        self.decline_uncovered_aspects(dispatcher, tracker)
        if intent in COMPARISON_INTENTS:
            return self._compare(dispatcher, tracker, intent, context, phrases, follow_up)
        if intent == "ask_india":
            dispatcher.utter_message(response="utter_india_not_covered")
            log_unanswered(tracker, reason="sources silent")
            return [SlotSet("last_question", intent)]
        if intent not in INTENT_ATTRIBUTES:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        if not context.topics and intent in NEEDS_A_TOPIC:
            # "what is the temperature in delhi" must not get our fields' definitions.
            dispatcher.utter_message(response="utter_ask_which_topic", topics=self.topic_list())
            return [SlotSet("last_question", intent)]
        topics = context.topics or self._default_topics()
        if not topics:
            dispatcher.utter_message(response="utter_ask_which_topic",
                                     topics=self.topic_list())
            return [SlotSet("last_question", intent)]
        thing = THING_ASKED.get(intent)
        remembered = tracker.get_slot("asked_thing")
        if follow_up and thing and not context.entities.get(thing) and remembered:
            # "do banks hire PM people?" ... "and for OM?": the same thing, about the other field.
            context = replace(context, entities={**context.entities, thing: tuple(remembered)})
        check = MEMBERSHIP_CHECKS.get(intent)
        if check and context.entities.get(check[0]):
            self._membership(dispatcher, intent, check, context, topics, phrases)
        else:
            asked = context.entities.get("degree", ()) if intent in ASKED_ABOUT_DEGREE else ()
            self._attributes(dispatcher, tracker, INTENT_ATTRIBUTES[intent], topics, phrases,
                             asked, quote=closed_question(message.get("text") or ""))
        asked_thing = list(context.entities.get(thing, ())) if thing else []
        return [*self._remember(intent, context.topics),
                SlotSet("asked_thing", asked_thing or None)]

    # --- answers ----------------------------------------------------------------------------

    def _attributes(self, dispatcher, tracker, attributes, topics, phrases, asked=(),
                    quote: bool = False) -> None:
        """Each topic's facts for ``attributes``; with ``quote`` (a yes/no question), also the
        source's own sentences, which carry the answer the labels summarise."""
        blocks, citations, silent, shown = [], [], [], set()
        for topic in topics:
            answers = [a for a in self.service.attributes(topic, attributes) if a.items]
            if not answers:
                silent.append(topic)
                continue
            blocks.append(_topic_block(topic, answers, phrases))
            citations += [c for a in answers for c in a.citations]
            shown.update(v for a in answers for v in a.values)
        labels = ", ".join(self.service.rules.attribute(a).label for a in attributes)
        if not blocks:
            dispatcher.utter_message(
                response="utter_sources_silent", what=labels,
                topic=" / ".join(presenter.topic_title(t) for t in topics))
            log_unanswered(tracker, reason="sources silent")
            return
        body = "\n\n".join(blocks)
        if asked:
            # "is B.Sc ok?": the answer is who may apply; name the degree the student asked about.
            body = phrases("asked_about", thing=presenter.escape_markdown(", ".join(asked))) + (
                "\n\n" + body)
        quotes = dict.fromkeys(c.sentence for c in citations if c.sentence not in shown)
        if quote and quotes:
            body += "\n\n" + phrases("in_their_words", quotes=presenter.bulleted(
                f"“{presenter.escape_markdown(q)}”" for q in quotes))
        if silent:
            body += "\n\n" + phrases("silent_for", what=labels, topics=", ".join(
                presenter.topic_title(t) for t in silent))
        dispatcher.utter_message(response="utter_facts", body=body,
                                 source=presenter.source_line(citations, phrases))

    def _membership(self, dispatcher, intent, check, context, topics, phrases) -> None:
        entity, attributes = check
        for wording in context.entities[entity]:
            found = [
                (topic, item) for topic, item in self.service.find_value(wording, attributes)
                if topic in topics
            ]
            shown = presenter.escape_markdown(wording)
            if found:
                lines = [phrases("found_in", topic=presenter.topic_title(topic),
                                 value=presenter.escape_markdown(item.value),
                                 sentence=presenter.escape_markdown(item.citation.sentence))
                         for topic, item in found]
                dispatcher.utter_message(
                    response="utter_membership_yes", thing=shown, body="\n".join(lines),
                    source=presenter.source_line([i.citation for _, i in found], phrases))
            else:
                listed = []
                for topic in topics:
                    values = [v for a in self.service.attributes(topic, attributes)
                              for v in a.values]
                    if values:
                        listed.append(phrases("side", topic=presenter.topic_title(topic),
                                              values=", ".join(values)))
                dispatcher.utter_message(
                    response="utter_membership_no", thing=shown,
                    topics=" / ".join(presenter.topic_title(t) for t in topics),
                    listed="\n".join(f"- {line}" for line in listed)
                    or phrases("nothing_listed"))

    def _compare(self, dispatcher, tracker, intent, context: QuestionContext, phrases,
                 follow_up: bool = False):
        message = tracker.latest_message or {}
        if not follow_up and not entity_values(message, "topic"):
            # "difference between mitosis and meiosis": two subjects named, neither ours.
            named = self.service.named_subjects(message.get("text") or "")
            if named and not any(self.service.resolve_topic(n) for n in named):
                return self._unknown_topic(dispatcher, tracker, replace(
                    context, unknown_topics=named))
        pair = self._pair(context.topics)
        if pair is None:
            dispatcher.utter_message(response="utter_ask_which_topic", topics=self.topic_list())
            return [SlotSet("last_question", intent)]
        left, right = pair
        comparison = self.service.compare(left, right)
        count = context.count or _int_slot(tracker.get_slot("count"))
        events = self._remember(intent, pair)
        if context.count:
            events.append(SlotSet("count", str(context.count)))
        if intent == "ask_similarity":
            self._similarities(dispatcher, comparison, phrases)
            return events
        differences = comparison.differences
        wanted = count if count and count > 0 else len(differences)
        shown = differences[:wanted]
        # A table asked for once stays a table through follow-ups ("make it 5 rows").
        as_table = "table" in context.entities.get("answer_format", ()) or (
            follow_up and tracker.get_slot("answer_format") == "table")
        events.append(SlotSet("answer_format", "table" if as_table else None))
        body = (presenter.table(shown, phrases) if as_table else
                presenter.numbered(presenter.contrast_line(c, phrases) for c in shown))
        citations = [i.citation for c in shown for s in (c.left, c.right) for i in s.items]
        names = {"left": presenter.topic_title(left), "right": presenter.topic_title(right)}
        if count and count > len(differences):
            dispatcher.utter_message(response="utter_differences_fewer", wanted=count,
                                     available=len(differences), body=body, **names,
                                     source=presenter.source_line(citations, phrases))
        else:
            dispatcher.utter_message(response="utter_differences", shown=len(shown), body=body,
                                     **names, source=presenter.source_line(citations, phrases))
        return events

    def _similarities(self, dispatcher, comparison, phrases) -> None:
        names = {"left": presenter.topic_title(comparison.left),
                 "right": presenter.topic_title(comparison.right)}
        lines = [phrases("shared", label=presenter.topic_title(c.label),
                         values=", ".join(presenter.escape_markdown(v) for v in c.shared))
                 for c in comparison.similarities]
        citations = [i.citation for c in comparison.similarities
                     for s in (c.left, c.right) for i in s.items if i.value in c.shared
                     or i.key in {x.key for x in s.items}]
        dispatcher.utter_message(
            response="utter_similarities", **names, differences=len(comparison.differences),
            body=presenter.bulleted(lines) if lines else phrases("nothing_shared"),
            source=presenter.source_line(citations, phrases))

    def _college(self, dispatcher, tracker, phrases) -> None:
        """The sources name no colleges, rankings, fees or providers: say so, give what they
        do say about getting in."""
        log_unanswered(tracker, reason="college question")
        lines, citations = [], []
        for info in self.service.topics():
            answers = self.service.attributes(info.name, COLLEGE_ATTRIBUTES)
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

    def _unknown_topic(self, dispatcher, tracker, context) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_topic_not_covered",
            topic=presenter.escape_markdown(", ".join(context.unknown_topics)),
            topics=self.topic_list())
        log_unanswered(tracker, reason="unknown topic")
        return []

    # --- context ----------------------------------------------------------------------------

    def _pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for info in self.service.topics():
            if info.counterpart and (info.counterpart, info.name) not in pairs:
                pairs.append((info.name, info.counterpart))
        return pairs

    def _default_topics(self) -> tuple[str, ...]:
        pairs = self._pairs()
        return pairs[0] if len(pairs) == 1 else ()

    def _pair(self, topics: tuple[str, ...]) -> tuple[str, str] | None:
        if len(topics) >= 2:
            return topics[0], topics[1]
        if len(topics) == 1:
            other = self.service.counterpart(topics[0])
            return (topics[0], other) if other else None
        pairs = self._pairs()
        return pairs[0] if len(pairs) == 1 else None

    @staticmethod
    def _remember(intent: str, topics) -> list[EventType]:
        events: list[EventType] = [SlotSet("last_question", intent)]
        if topics:
            events.append(SlotSet("topic", topics[0]))
            events.append(SlotSet("other_topic", topics[1] if len(topics) > 1 else None))
        return events


def _topic_block(topic: str, answers: list[AttributeAnswer], phrases) -> str:
    lines = []
    for answer in answers:
        values = answer.values
        if len(values) > 1 and any(len(v.split()) > 8 for v in values):
            quoted = "\n".join(f"  - {presenter.escape_markdown(v)}" for v in values)
            lines.append(phrases("attribute_statements", label=answer.label, values=quoted))
        else:
            lines.append(phrases("attribute", label=answer.label,
                                 values=", ".join(presenter.escape_markdown(v) for v in values)))
    return phrases("topic_block", topic=presenter.topic_title(topic), lines="\n".join(lines))


def question_asked(message: dict[str, Any], intent: str, confidence: float,
                   previous: str | None) -> tuple[str, bool]:
    """The kind of question the message asks, and whether it follows up ``previous``: the
    classifier's intent, corrected by the conversation and by what the message names."""
    unsure_follow_up = confidence < FOLLOW_UP_CONFIDENCE and is_bare_follow_up(message)
    follow_up = bool(previous) and (intent in FOLLOW_UP_INTENTS
                                    or intent not in ANSWERED_INTENTS or unsure_follow_up)
    if follow_up:
        intent = str(previous)
    if intent in FOLLOW_UP_INTENTS or (follow_up and not continues(intent, message)):
        if continues(COUNTED_QUESTION, message):
            # "make it 10 points", "in tabular form" with nothing before it, or after another
            # kind of answer: only comparisons are counted and tabled.
            intent = COUNTED_QUESTION
    if intent in FOLLOW_UP_INTENTS and entity_values(message, "topic"):
        # A field named on its own ("operations management?") opens a conversation.
        intent = OPENING_QUESTION
    if follow_up or intent == OPENING_QUESTION or (
            confidence < FOLLOW_UP_CONFIDENCE and intent not in COMPARISON_INTENTS):
        # An unsure guess is overruled by what the message names ("MAT chalega for PM?",
        # guessed as eligibility, names an exam: an admission question).
        intent = implied_question(message, intent)
    return intent, follow_up


def continues(intent: str | None, message: dict[str, Any]) -> bool:
    """The message carries something the question ``intent`` uses ("as a table" after a
    comparison, "what about banks?" after sectors)."""
    return any(entity_values(message, e) for e in QUESTION_ENTITIES.get(intent or "", ()))


def implied_question(message: dict[str, Any], intent: str) -> str:
    """The question a follow-up or a bare field name asks, when the message names a sector,
    exam or degree the question at hand has no use for ("telecom PM?" is about sectors)."""
    if continues(intent, message):
        return intent
    for entity, implied in ENTITY_QUESTIONS.items():
        if entity_values(message, entity):
            return implied
    return intent


def _int_slot(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
