"""Custom actions over a real knowledge base: CollectingDispatcher + Tracker.from_dict + Domain."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.acknowledge import ActionAcknowledge
from actions.advisor import ActionRecommend
from actions.answer import ActionAnswerQuestion
from actions.college import ActionCollegeQuestion
from actions.fallback import ActionFallbackSearch, ActionOutOfScope
from bot.config import PROJECT_ROOT
from bot.kb.db import make_engine, make_session_factory
from bot.kb.service import KnowledgeService
from bot.questions.log import QuestionLog
from tests.conftest import HR_ARTICLE, MARKETING_ARTICLE, USER_ARTICLE, add_sources, make_settings

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(DOMAIN_FILE.read_text())


def _service(tmp: Path, nlp, *articles: Path) -> KnowledgeService:
    from bot.ingest.build import build_knowledge_base

    settings = make_settings(tmp, f"sqlite:///{tmp / 'kb.sqlite'}")
    add_sources(settings, *articles)
    build_knowledge_base(settings, nlp_factory=lambda: nlp)
    return KnowledgeService(make_session_factory(make_engine(settings.database_url)))


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp) -> KnowledgeService:
    """Only the user's article: one pair of topics, as deployed."""
    return _service(tmp_path_factory.mktemp("kb-user"), nlp, USER_ARTICLE)


@pytest.fixture(scope="module")
def multi_service(tmp_path_factory, nlp) -> KnowledgeService:
    return _service(tmp_path_factory.mktemp("kb-all"), nlp, USER_ARTICLE, HR_ARTICLE,
                    MARKETING_ARTICLE)


@pytest.fixture(autouse=True)
def isolated_log(tmp_path, monkeypatch):
    """Unanswered questions go to a temporary database, never the developer's var/."""
    import actions.unanswered as unanswered

    monkeypatch.setenv("LOG_DATABASE_URL", f"sqlite:///{tmp_path / 'questions.sqlite'}")
    monkeypatch.setenv("BOT_HASH_SALT", "test-salt")
    monkeypatch.setattr(unanswered, "_log", None)
    yield tmp_path / "questions.sqlite"
    monkeypatch.setattr(unanswered, "_log", None)


def tracker(text: str, intent: str, entities: list[dict] | None = None,
            slots: dict[str, Any] | None = None, events: list[dict] | None = None) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities or []}
    return Tracker.from_dict({
        "sender_id": "student-1",
        "slots": slots or {},
        "latest_message": message,
        "events": (events or []) + [{"event": "user", "text": text, "parse_data": message,
                                      "input_channel": "rest"}],
        "latest_input_channel": "rest",
        "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "action_listen",
    })


def topic(value: str) -> dict[str, str]:
    return {"entity": "topic", "value": value}


def run(action, domain, track) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, domain))
    return dispatcher.messages, events


def render(message: dict, domain: dict) -> str:
    """The response text as Rasa would fill it from the dispatcher's kwargs."""
    template = domain["responses"][message["response"]][0]["text"]
    return template.format(**{k: v for k, v in message.items() if k != "response"})


def numbered_items(text: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text, flags=re.MULTILINE)


# --- differences -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 5, 10])
def test_n_differences_gives_exactly_n_numbered_points(service, domain, count) -> None:
    messages, events = run(ActionAnswerQuestion(service), domain, tracker(
        f"give {count} differences between OM and PM", "ask_differences",
        [topic("operations management"), topic("production management"),
         {"entity": "count", "value": str(count)}]))
    assert messages[0]["response"] == "utter_differences"
    text = render(messages[0], domain)
    assert len(numbered_items(text)) == count
    assert "Source: " in text and "Difference between Operations Management" in text
    assert {"event": "slot", "name": "topic", "value": "operations management",
            "timestamp": None} in events


def test_the_marks_of_an_exam_question_are_not_the_number_of_points(service, domain) -> None:
    text = "Differentiate between OM and PM with any four points. [8 marks]"
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        text, "ask_differences",
        [topic("operations management"), topic("production management"),
         {"entity": "count", "value": "8", "start": 55, "end": 56},
         {"entity": "count", "value": "4", "start": 41, "end": 45}]))
    assert text[41:45] == "four" and text[55:56] == "8"
    assert len(numbered_items(render(messages[0], domain))) == 4


@pytest.mark.parametrize("prefix", ["Q.2", "Q2.", "Question 2:", "q no. 2"])
def test_the_number_of_an_exam_question_is_not_the_number_of_points(service, domain,
                                                                     prefix) -> None:
    text = f"{prefix} Differentiate between OM and PM. Give at least five points."
    two = text.index("2")
    five = text.index("five")
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        text, "ask_differences",
        [topic("operations management"), topic("production management"),
         {"entity": "count", "value": "2", "start": two, "end": two + 1},
         {"entity": "count", "value": prefix, "start": 0, "end": two + 1},  # as DIET tags it
         {"entity": "count", "value": "5", "start": five, "end": five + 4}]))
    assert len(numbered_items(render(messages[0], domain))) == 5


def test_more_differences_than_sources_support_is_honest(service, domain) -> None:
    available = len(service.compare("operations management", "production management")
                    .differences)
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "give 50 differences", "ask_differences", [{"entity": "count", "value": "50"}]))
    assert messages[0]["response"] == "utter_differences_fewer"
    assert messages[0]["available"] == available
    assert len(numbered_items(render(messages[0], domain))) == available


def test_differences_cite_both_sides_and_say_when_a_side_is_silent(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "differences", "ask_differences", []))
    text = render(messages[0], domain)
    assert "MBA: required" in text and "MBA: helpful" in text
    assert "not stated in the source" in text
    assert "“Production Management”" in text and "“Operations Management”" in text


def test_follow_up_count_reuses_the_topics_from_slots(service, domain) -> None:
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "just 3 please", "inform", [{"entity": "count", "value": "3"}], slots))
    assert len(numbered_items(render(messages[0], domain))) == 3


def test_comparison_table_when_asked(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "OM vs PM as a table", "ask_differences",
        [topic("operations management"), {"entity": "answer_format", "value": "table"}]))
    text = render(messages[0], domain)
    assert "| Aspect | Operations management | Production management |" in text
    assert text.count("\n|") >= 5


def test_a_table_stays_a_table_through_a_follow_up_count(service, domain) -> None:
    table = {"entity": "answer_format", "value": "table"}
    _, events = run(ActionAnswerQuestion(service), domain, tracker(
        "OM vs PM as a table", "ask_differences", [topic("operations management"), table]))
    assert {"event": "slot", "name": "answer_format", "value": "table",
            "timestamp": None} in events
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences", "answer_format": "table"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "make it 4 rows", "inform", [{"entity": "count", "value": "4"}], slots))
    rows = [line for line in render(messages[0], domain).splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 4  # header, separator, four differences
    # A new question without "table" is answered as a list again.
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "give 2 differences between OM and PM", "ask_differences",
        [topic("operations management"), {"entity": "count", "value": "2"}], slots))
    assert len(numbered_items(render(messages[0], domain))) == 2


def test_eligibility_of_a_named_degree_names_it_and_states_who_may_apply(service,
                                                                         domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "is B.Sc ok for production management", "ask_qualification",
        [topic("production management"), {"entity": "degree", "value": "B.Sc"}]))
    text = render(messages[0], domain)
    assert text.startswith("You asked about **B.Sc**")
    assert "any stream" in text and "Source: " in text


def test_a_yes_no_question_gets_the_sources_own_sentences(service, domain) -> None:
    """"do I need a masters?" is answered by the sentence that requires one, quoted verbatim
    from the article; an open question gets the facts alone."""
    article = " ".join(USER_ARTICLE.read_text(encoding="utf-8").split())
    closed, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "do i need a masters to work in production management", "ask_qualification",
        [topic("production management")]))
    text = render(closed[0], domain)
    quoted = re.findall(r"^- “(.+)”$", text.split("In the source's words:")[1], re.MULTILINE)
    assert any("Masters degree" in q for q in quoted)
    assert all(q.replace("\\", "") in article for q in quoted)
    opened, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "what qualification does production management need", "ask_qualification",
        [topic("production management")]))
    assert "In the source's words" not in render(opened[0], domain)


def test_an_unsure_question_naming_an_institution_gets_the_college_answer(service,
                                                                           domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "is IIM good for operations management", "nlu_fallback",
        [topic("operations management"), {"entity": "institution", "value": "IIM"}]))
    assert messages[0]["response"] == "utter_college_not_covered"


def test_similarity_lists_shared_facts(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "are OM and PM the same", "ask_similarity",
        [topic("operations management"), topic("production management")]))
    text = render(messages[0], domain)
    assert messages[0]["response"] == "utter_similarities"
    assert "graduate degree" in text
    assert "big impact on our industries" in text


# --- attributes --------------------------------------------------------------------------------


def test_definition_of_one_topic_quotes_the_source(service, domain) -> None:
    messages, events = run(ActionAnswerQuestion(service), domain, tracker(
        "what is POM", "ask_definition", [topic("production management")]))
    text = render(messages[0], domain)
    assert "forecasting, planning or marketing" in text
    assert "Operations Management is about" not in text
    assert {"event": "slot", "name": "last_question", "value": "ask_definition",
            "timestamp": None} in events


def test_follow_up_with_only_a_topic_answers_the_same_question(service, domain) -> None:
    slots = {"topic": "operations management", "last_question": "ask_definition"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "and production management?", "inform", [topic("production management")], slots))
    assert "forecasting, planning or marketing" in render(messages[0], domain)


def test_exams_without_topic_answers_where_the_sources_speak(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "which entrance exams do i need?", "ask_admission", []))
    text = render(messages[0], domain)
    for exam in ("XAT", "MAT", "CAT"):
        assert exam in text
    assert "say nothing about the admission route, entrance exams of Operations management" \
        in text


def test_is_mba_compulsory(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "is mba compulsory for POM", "ask_qualification", [topic("production management")]))
    text = render(messages[0], domain)
    assert "MBA: required" in text and "graduate degree" in text and "any stream" in text


@pytest.mark.parametrize(("topic_name", "sector", "listed"), [
    ("production management", "telecom", "Telecom"),
    ("production management", "IT", "IT"),
    # Everyday words are found under the sources' names (value_synonyms).
    ("operations management", "bank", "Financial Institutions"),
    ("operations management", "hotels", "Hospitality"),
    ("production management", "automotive", "automobiles"),
])
def test_does_a_sector_hire_people_of_a_field(service, domain, topic_name, sector,
                                               listed) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        f"does {sector} hire people from {topic_name}?", "ask_sectors",
        [topic(topic_name), {"entity": "sector", "value": sector}]))
    assert messages[0]["response"] == "utter_membership_yes"
    assert f'"{listed}"' in render(messages[0], domain)


def test_a_sector_the_sources_do_not_list_is_not_invented(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "does agriculture hire OM people?", "ask_sectors",
        [topic("operations management"), {"entity": "sector", "value": "agriculture"}]))
    text = render(messages[0], domain)
    assert messages[0]["response"] == "utter_membership_no"
    assert "Logistics" in text


def test_unknown_topic_is_declined_and_logged(service, domain, isolated_log) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "what is finance management", "ask_definition", [topic("finance management")]))
    assert messages[0]["response"] == "utter_topic_not_covered"
    assert "Operations management" in messages[0]["topics"]
    log = QuestionLog(make_session_factory(make_engine(f"sqlite:///{isolated_log}")), "salt")
    assert [g.example for g in log.report()] == ["what is finance management"]


def test_ambiguous_pair_asks_which_topic(multi_service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(multi_service), domain, tracker(
        "differences?", "ask_differences", []))
    assert messages[0]["response"] == "utter_ask_which_topic"
    assert "Human resource management" in messages[0]["topics"]


def test_new_article_is_answered_without_code_changes(multi_service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(multi_service), domain, tracker(
        "exams for sales management", "ask_admission", [topic("sales management")]))
    text = render(messages[0], domain)
    assert "CMAT" in text and "NMAT" in text and "SNAP" in text
    assert "Marketing Management and Sales Management" in text


# --- fallback, out of scope, colleges ----------------------------------------------------------


def test_fallback_quotes_a_passage_above_threshold(service, domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "who recruits professionals from energy sectors", "nlu_fallback", []))
    assert messages[0]["response"] == "utter_passages"
    assert "energy, IT and the Telecom sectors" in messages[0]["body"]


def unsure(text: str, ranking: list[tuple[str, float]], entities: list[dict],
           slots: dict[str, Any] | None = None) -> Tracker:
    """A message the FallbackClassifier caught, with the classifier's ranking below it."""
    track = tracker(text, "nlu_fallback", entities, slots)
    track.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.5}] + [
        {"name": name, "confidence": confidence} for name, confidence in ranking]
    return track


def test_an_unsure_long_question_naming_the_fields_is_answered_as_guessed(service,
                                                                           domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, unsure(
        "our prof gave an assignment to compare production management with operations "
        "management, can you help me", [("ask_differences", 0.37), ("ask_definition", 0.2)],
        [topic("production management"), topic("operations management")]))
    assert messages[0]["response"] == "utter_differences"


@pytest.mark.parametrize(("ranking", "entities"), [
    ([("ask_definition", 0.45)], []),  # no field named: nothing backs the guess
    ([("ask_definition", 0.2)], [topic("operations management")]),  # too unsure
    ([("greet", 0.45)], [topic("operations management")]),  # not a knowledge question
])
def test_an_unbacked_guess_is_not_answered(service, domain, ranking, entities) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, unsure(
        "blorf zanticle", ranking, entities))
    assert messages[0]["response"] in ("utter_ask_rephrase", "utter_offer_topics")


def test_an_unsure_follow_up_with_a_count_changes_the_count(service, domain) -> None:
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences"}
    messages, _ = run(ActionFallbackSearch(service), domain, unsure(
        "too many yaar, give 2", [("inform", 0.44), ("out_of_scope", 0.4)],
        [{"entity": "count", "value": "2"}], slots))
    assert len(numbered_items(render(messages[0], domain))) == 2


def test_a_field_named_on_its_own_first_is_defined(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "operations management?", "inform", [topic("operations management")]))
    text = render(messages[0], domain)
    assert "supervision, planning and redesigning business operations" in text


@pytest.mark.parametrize("text", ["who recruits professionals from energy sectors",
                                  "blorf zanticle"])
def test_fallback_always_ends_the_turn(service, domain, text) -> None:
    """As Rasa's core fallback inside a form that rejected the message, nothing else would
    predict action_listen: without this the bot repeats itself until the circuit breaker."""
    _, events = run(ActionFallbackSearch(service), domain, tracker(text, "nlu_fallback", []))
    assert events[-1] == {"event": "followup", "name": "action_listen", "timestamp": None}


def test_fallback_below_threshold_asks_to_rephrase_then_offers_topics(service, domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "blorf zanticle", "nlu_fallback", []))
    assert messages[0]["response"] == "utter_ask_rephrase"
    earlier = [{"event": "user", "text": "qqq"},
               {"event": "bot", "text": "x", "metadata": {"utter_action": "utter_ask_rephrase"}}]
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "blorf again", "nlu_fallback", [], events=earlier))
    assert messages[0]["response"] == "utter_offer_topics"


def test_out_of_scope_is_polite_and_names_topics(service, domain) -> None:
    messages, _ = run(ActionOutOfScope(service), domain, tracker(
        "what's the salary of an operations manager", "out_of_scope", []))
    assert messages[0]["response"] == "utter_out_of_scope"
    assert "Production management" in messages[0]["topics"]


def test_college_question_names_no_college_and_offers_what_sources_say(service, domain) -> None:
    messages, _ = run(ActionCollegeQuestion(service), domain, tracker(
        "which college should i choose", "ask_college", []))
    text = render(messages[0], domain)
    assert "name no colleges" in text
    assert "graduate degree" in text and "XAT" in text and "B.Tech" in text


# --- advisor -----------------------------------------------------------------------------------


def test_reader_comment_recommendation_cites_facts_and_admits_gaps(service, domain) -> None:
    slots = {"degree": "B.E.", "options": ["telecom", "operations", "hr"], "mode": "distance",
             "interests": ["no preference"], "asked_college": True}
    messages, _ = run(ActionRecommend(service), domain, tracker(
        "i have done be in electronics", "ask_recommendation", [], slots))
    text = render(messages[0], domain)
    assert "**operations**" in text
    assert "graduates of technology or engineering will have a relative advantage" in text
    assert "Telecom sectors" in text
    assert "hr: my sources say nothing about it" in text
    assert "distance learning: my sources don't discuss study modes" in text
    assert messages[1]["response"] == "utter_college_in_advice"


def test_unsure_bare_follow_up_repeats_the_previous_question(service, domain) -> None:
    slots = {"topic": "production management", "last_question": "ask_admission"}
    track = tracker("and operations management?", "ask_definition",
                    [{"entity": "topic", "value": "operations management", "start": 4,
                      "end": 25}], slots)
    track.latest_message["intent"]["confidence"] = 0.6
    messages, _ = run(ActionAnswerQuestion(service), domain, track)
    assert messages[0]["response"] == "utter_sources_silent"
    assert "admission route" in messages[0]["what"]


def test_confident_question_is_not_mistaken_for_a_follow_up(service, domain) -> None:
    slots = {"topic": "production management", "last_question": "ask_admission"}
    track = tracker("what is OM", "ask_definition",
                    [{"entity": "topic", "value": "operations management", "start": 8,
                      "end": 10}], slots)
    track.latest_message["intent"]["confidence"] = 0.97
    messages, _ = run(ActionAnswerQuestion(service), domain, track)
    assert "supervision, planning" in render(messages[0], domain)


def test_low_confidence_follow_up_is_answered_not_searched(service, domain) -> None:
    slots = {"topic": "production management", "last_question": "ask_sectors"}
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "what about IT?", "nlu_fallback",
        [{"entity": "sector", "value": "IT", "start": 11, "end": 13}], slots))
    assert messages[0]["response"] == "utter_membership_yes"


def test_bare_field_words_tagged_as_specialisations_are_read_as_topics(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "are production and operations the same?", "ask_similarity",
        [{"entity": "specialisation", "value": "production"},
         {"entity": "specialisation", "value": "operations"}]))
    assert messages[0]["left"] == "Production management"
    assert messages[0]["right"] == "Operations management"


def test_a_definition_without_any_topic_asks_instead_of_guessing(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "what is the temperature in delhi", "ask_definition", []))
    assert messages[0]["response"] == "utter_ask_which_topic"


def test_validation_normalises_a_corrected_degree(service, domain) -> None:
    from actions.advisor import ValidateAdvisorForm

    dispatcher = CollectingDispatcher()
    result = ValidateAdvisorForm(service).validate_degree("btech", dispatcher, None, domain)
    assert result == {"degree": "B.Tech"}


def test_a_degree_named_by_its_holder_matches_the_stated_background(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "cse engineer any benefit if i do mba prod", "ask_background",
        [topic("production management"), {"entity": "degree", "value": "engineer"}]))
    assert messages[0]["response"] == "utter_membership_yes"


def test_institutes_in_india_get_the_college_answer(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "top institutes for operations management in india", "ask_india",
        [topic("operations management"), {"entity": "institution", "value": "institutes"}]))
    assert messages[0]["response"] == "utter_college_not_covered"


@pytest.mark.parametrize(("intent", "slots", "expected"), [
    ("ask_recommendation", {}, {"options": ["operations management", "production management"]}),
    ("ask_definition", {}, {}),  # a side question naming fields chooses nothing
    ("ask_recommendation", {"options": ["hr"]}, {}),  # options given already are kept
])
def test_fields_named_when_asking_for_advice_become_the_options(service, domain, intent, slots,
                                                                 expected) -> None:
    from actions.advisor import ValidateAdvisorForm

    track = tracker("so which one should i choose, OM or PM", intent,
                    [topic("OM"), topic("PM")], slots)
    result = asyncio.run(ValidateAdvisorForm(service).extract_options(
        CollectingDispatcher(), track, domain))
    assert result == expected


def test_unanswered_cli_lists_logged_questions(service, domain, isolated_log, capsys,
                                               monkeypatch) -> None:
    from bot.kb.__main__ import main

    for text in ("which college is best", "best college for mba?"):
        run(ActionCollegeQuestion(service), domain, tracker(text, "ask_college", []))
    monkeypatch.setenv("BOT_VAR_DIR", str(isolated_log.parent))
    assert main(["unanswered", "--since", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "2x  which college is best" in out and "~ best college for mba?" in out
    assert "ask_college" in out and "rest" in out


@pytest.mark.parametrize("action_class", [ActionAnswerQuestion, ActionFallbackSearch,
                                          ActionCollegeQuestion, ActionRecommend])
def test_a_dead_knowledge_base_gets_a_polite_answer(tmp_path, domain, action_class) -> None:
    broken = KnowledgeService(make_session_factory(make_engine(
        f"sqlite:///{tmp_path / 'missing-dir' / 'kb.sqlite'}")))
    slots = {"degree": "B.E.", "options": ["operations"], "mode": "regular",
             "interests": ["no preference"]}
    messages, events = run(action_class(broken), domain, tracker(
        "what is OM", "ask_definition", [topic("operations management")], slots))
    assert [m["response"] for m in messages] == ["utter_knowledge_unavailable"]
    assert events == []


# --- what the sources don't cover ----------------------------------------------------------------


def aspect(value: str) -> dict[str, str]:
    return {"entity": "aspect", "value": value}


def test_the_knowledge_base_covers_its_attributes_and_nothing_else(service) -> None:
    assert service.covers("entrance exams") and service.covers("career sectors")
    assert not service.covers("salary") and not service.covers("age limit")


def test_an_uncovered_aspect_is_declined_before_the_nearest_facts(service, domain,
                                                                  isolated_log) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "age limit for an MBA in production management", "ask_qualification",
        [topic("production management"), aspect("age limit")]))
    assert [m["response"] for m in messages] == ["utter_aspect_not_covered", "utter_facts"]
    assert render(messages[0], domain).startswith(
        "My sources don't say anything about age limit")
    assert "graduate degree" in render(messages[1], domain)
    log = QuestionLog(make_session_factory(make_engine(f"sqlite:///{isolated_log}")), "salt")
    assert [g.example for g in log.report()] == ["age limit for an MBA in production management"]


def test_an_aspect_the_knowledge_base_has_adds_no_decline(service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "entrance exams for PM", "ask_admission",
        [topic("production management"), aspect("entrance exams")]))
    assert [m["response"] for m in messages] == ["utter_facts"]


def test_an_off_topic_question_about_an_uncovered_aspect_names_it(service, domain) -> None:
    messages, _ = run(ActionOutOfScope(service), domain, tracker(
        "salary after MBA in OM", "out_of_scope",
        [topic("operations management"), aspect("salary")]))
    assert [m["response"] for m in messages] == ["utter_aspect_not_covered",
                                                 "utter_what_i_can_answer"]
    assert "salary" in render(messages[0], domain)
    assert "Operations management" in render(messages[1], domain)


def test_an_off_topic_message_keeps_the_plain_decline_for_a_guessed_aspect(service,
                                                                          domain) -> None:
    """"lorem ipsum": the classifier's aspect guess names nothing the student asked about."""
    guess = {"entity": "aspect", "value": "ipsum", "extractor": "DIETClassifier",
             "confidence_entity": 0.9}
    messages, _ = run(ActionOutOfScope(service), domain, tracker(
        "lorem ipsum dolor sit amet", "out_of_scope", [guess]))
    assert [m["response"] for m in messages] == ["utter_out_of_scope"]
    # The same guess about a field is a question the sources cannot answer: named.
    messages, _ = run(ActionOutOfScope(service), domain, tracker(
        "ipsum for operations management", "out_of_scope",
        [topic("operations management"), guess]))
    assert messages[0]["response"] == "utter_aspect_not_covered"


def test_an_unsure_question_about_an_uncovered_aspect_is_declined(service, domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "fees?", "nlu_fallback", [aspect("fees")]))
    assert messages[0]["response"] == "utter_aspect_not_covered"


# --- a sector, exam or degree named with a field ----------------------------------------------


@pytest.mark.parametrize(("entity", "value", "response"), [
    ("sector", "telecom", "utter_membership_yes"),
    ("sector", "retail", "utter_membership_no"),
    ("exam", "CAT", "utter_membership_yes"),
])
def test_a_field_named_with_a_sector_or_exam_asks_whether_it_is_listed(
        service, domain, entity, value, response) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        f"{value} PM?", "inform",
        [topic("production management"), {"entity": entity, "value": value}]))
    assert messages[0]["response"] == response
    assert value.lower() in render(messages[0], domain).lower()


def test_a_sector_after_a_definition_asks_about_sectors_not_definitions(service,
                                                                        domain) -> None:
    slots = {"topic": "production management", "last_question": "ask_definition"}
    messages, events = run(ActionAnswerQuestion(service), domain, tracker(
        "what about telecom?", "inform", [{"entity": "sector", "value": "telecom"}], slots))
    assert messages[0]["response"] == "utter_membership_yes"
    assert {"event": "slot", "name": "last_question", "value": "ask_sectors",
            "timestamp": None} in events


def test_a_count_keeps_a_comparison_going_whatever_else_was_guessed(service, domain) -> None:
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "make it 5 rows only", "inform",
        [{"entity": "sector", "value": "information technology"},
         {"entity": "count", "value": "5"}], slots))
    assert messages[0]["response"] == "utter_differences"
    assert len(numbered_items(render(messages[0], domain))) == 5


def test_an_unsure_request_for_a_table_continues_the_comparison(service, domain) -> None:
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences"}
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "can u put that in a table", "nlu_fallback",
        [{"entity": "answer_format", "value": "table"}], slots))
    assert messages[0]["response"] == "utter_differences"
    assert "| Aspect |" in render(messages[0], domain)


def test_unsure_aspect_guesses_of_the_classifier_are_not_declined(service, domain) -> None:
    guess = {"entity": "aspect", "value": "pls", "extractor": "DIETClassifier",
             "confidence_entity": 0.25}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "which sectors hire OM people pls", "ask_sectors",
        [topic("operations management"), guess]))
    assert [m["response"] for m in messages] == ["utter_facts"]


def test_a_college_question_naming_an_exam_is_answered_as_an_admission_question(
        service, domain) -> None:
    messages, events = run(ActionCollegeQuestion(service), domain, tracker(
        "do colleges accept CAT score for production management", "ask_college",
        [topic("production management"), {"entity": "exam", "value": "CAT"},
         {"entity": "institution", "value": "colleges"}]))
    assert messages[0]["response"] == "utter_membership_yes"
    assert "CAT" in render(messages[0], domain)
    assert {"event": "slot", "name": "last_question", "value": "ask_admission",
            "timestamp": None} in events


@pytest.mark.parametrize("pls", [
    {"entity": "topic", "value": "pls", "extractor": "DIETClassifier", "confidence_entity": 0.56},
    {"entity": "topic", "value": "pls"},  # even a confident one, in a follow-up
])
def test_a_follow_up_is_not_derailed_by_a_word_taken_for_an_unknown_field(service, domain,
                                                                          pls) -> None:
    slots = {"topic": "operations management", "other_topic": "production management",
             "last_question": "ask_differences"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "put it in a table pls", "inform",
        [{"entity": "answer_format", "value": "table"}, pls], slots))
    assert messages[0]["response"] == "utter_differences"
    assert "| Aspect |" in render(messages[0], domain)


def test_an_unsure_guess_that_names_a_known_field_still_counts(service, domain) -> None:
    slots = {"topic": "operations management", "last_question": "ask_definition"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "and production?", "inform",
        [{"entity": "topic", "value": "production", "extractor": "DIETClassifier",
          "confidence_entity": 0.58}], slots))
    assert render(messages[0], domain).startswith("**Production management**")


def test_a_yes_word_is_acknowledged_unless_it_names_what_it_asks_about(service, domain) -> None:
    messages, _ = run(ActionAcknowledge(service), domain, tracker("ok", "affirm"))
    assert [m["response"] for m in messages] == ["utter_affirm_ack"]
    messages, _ = run(ActionAcknowledge(service), domain, tracker("nope", "deny"))
    assert [m["response"] for m in messages] == ["utter_deny_ack"]
    messages, _ = run(ActionAcknowledge(service), domain, tracker(
        "is CAT ok?", "affirm", [{"entity": "exam", "value": "CAT"}]))
    assert messages[0]["response"] == "utter_membership_yes"
    assert "CAT" in render(messages[0], domain)


def test_a_comparison_of_two_other_subjects_is_declined_not_answered_with_ours(
        service, domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "difference between mitosis and meiosis", "ask_differences"))
    assert messages[0]["response"] == "utter_topic_not_covered"
    assert "mitosis, meiosis" in render(messages[0], domain)
    # Our own fields, named in words the classifier did not tag, are still compared.
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "difference between production and operations management", "ask_differences"))
    assert messages[0]["response"] == "utter_differences"


def test_a_follow_up_asks_about_the_same_thing_for_the_other_field(service, domain) -> None:
    _, events = run(ActionAnswerQuestion(service), domain, tracker(
        "do banks hire production management people", "ask_sectors",
        [topic("production management"),
         {"entity": "sector", "value": "financial institutions"}]))
    assert {"event": "slot", "name": "asked_thing", "value": ["financial institutions"],
            "timestamp": None} in events
    slots = {"topic": "production management", "last_question": "ask_sectors",
             "asked_thing": ["financial institutions"]}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "and for OM?", "inform", [topic("operations management")], slots))
    assert messages[0]["response"] == "utter_membership_yes"
    assert "Financial Institutions" in render(messages[0], domain)
    # A new question forgets it.
    messages, events = run(ActionAnswerQuestion(service), domain, tracker(
        "which sectors hire OM people", "ask_sectors", [topic("operations management")],
        slots))
    assert messages[0]["response"] == "utter_facts"
    assert {"event": "slot", "name": "asked_thing", "value": None, "timestamp": None} in events


def test_a_yes_word_naming_a_field_is_the_question_the_classifier_ranked_next(service,
                                                                              domain) -> None:
    track = tracker("wats operations management exactly", "affirm",
                    [topic("operations management")])
    track.latest_message["intent_ranking"] = [
        {"name": "affirm", "confidence": 0.55}, {"name": "ask_definition", "confidence": 0.32}]
    messages, _ = run(ActionAcknowledge(service), domain, track)
    text = render(messages[0], domain)
    assert messages[0]["response"] == "utter_facts" and "definition" in text


def test_an_unsure_first_message_naming_only_a_field_gets_its_definition(service,
                                                                         domain) -> None:
    messages, _ = run(ActionFallbackSearch(service), domain, tracker(
        "production management?", "nlu_fallback",
        [{**topic("production management"), "start": 0, "end": 21}]))
    text = render(messages[0], domain)
    assert text.startswith("**Production management**") and "definition" in text


def test_a_count_with_nothing_before_it_asks_for_that_many_differences(service,
                                                                       domain) -> None:
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "make it 10 points", "inform", [{"entity": "count", "value": "10"}]))
    assert messages[0]["response"] == "utter_differences"
    assert len(numbered_items(render(messages[0], domain))) == 10


def test_an_unsure_guess_is_overruled_by_the_exam_the_message_names(service, domain) -> None:
    track = tracker("MAT score chalega production management ke liye?", "ask_qualification",
                    [topic("production management"), {"entity": "exam", "value": "MAT"}])
    track.latest_message["intent"]["confidence"] = 0.57
    messages, _ = run(ActionAnswerQuestion(service), domain, track)
    assert messages[0]["response"] == "utter_membership_yes"
    assert "MAT" in render(messages[0], domain)


def test_a_count_after_another_kind_of_answer_asks_for_differences(service, domain) -> None:
    slots = {"topic": "operations management", "last_question": "ask_definition"}
    messages, _ = run(ActionAnswerQuestion(service), domain, tracker(
        "make it 10 points", "inform", [{"entity": "count", "value": "10"}], slots))
    assert messages[0]["response"] == "utter_differences"
    assert len(numbered_items(render(messages[0], domain))) == 10
