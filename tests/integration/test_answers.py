"""The knowledge action answers the question that was asked, over a real knowledge base.

One test per class of "Answer the question that was asked" (issue 12): the asked thing first
(stated, with the source's words, or not stated), definitions whole, compound questions in
full, the country note, silent aspects, backgrounds, follow-ups and corrections, markup.
Replies are judged by their content: the article's own phrases must be in them.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import HR_ARTICLE, USER_ARTICLE
from tests.integration.actionkit import Conversation, built_service

pytestmark = pytest.mark.usefixtures("isolated_log")

SOURCE = "Difference between Operations Management and Production Management"


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp):
    """Only the user's article, as deployed."""
    return built_service(tmp_path_factory.mktemp("kb-user"), nlp, USER_ARTICLE)


def ask(service, text, intent=None, confidence=0.9) -> str:
    return Conversation(service).say(text, intent, confidence)


def cited(reply: str) -> bool:
    return SOURCE in reply


# --- 1. the question's own words ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "phrases"), [
    ("does production management do the marketing side?",
     ["Yes", "marketing", "forecasting, planning or marketing of products"]),
    ("is forecasting part of PM's job?", ["Yes", "forecasting"]),
    ("does OM deal with services too?", ["services as well as goods"]),
    ("who does PM employ besides factories?", ["energy, IT and the Telecom sectors"]),
])
def test_the_concept_a_question_names_is_answered_first(service, text, phrases) -> None:
    reply = ask(service, text)
    opening = reply[: reply.index("_Source")] if "_Source" in reply else reply
    for phrase in phrases:
        assert phrase in opening, (phrase, reply)
    assert cited(reply)


def test_a_thing_the_sources_do_not_state_is_said_to_be_unstated(service) -> None:
    reply = ask(service, "is inventory management part of PM?")
    assert reply.startswith("My sources don't say anything about inventory")


# --- 2. definitions ------------------------------------------------------------------------------


def test_a_definition_is_the_defining_passage_whole(service) -> None:
    reply = ask(service, "what is OM", "ask_definition")
    assert "supervision, planning and redesigning business operations" in reply
    assert "efficient as well as effective manner" in reply  # the second sentence too
    assert "Product Management is the organizational" not in reply  # not the other field's


# --- 3. compound questions ---------------------------------------------------------------------


def test_a_table_with_named_rows_has_every_row(service) -> None:
    reply = ask(service, "compare OM and PM in a table on definition, eligibility, entrance "
                         "exams and careers")
    rows = [line for line in reply.splitlines() if line.startswith("| ")][1:]
    labels = " ".join(row.split("|")[1] for row in rows).lower()
    for row in ("definition", "minimum qualification", "entrance exams", "career"):
        assert row in labels, (row, reply)


def test_getting_into_an_mba_needs_the_qualification_and_the_entrance_route(service) -> None:
    reply = ask(service, "How do I get into an MBA in PM", "ask_admission")
    assert "graduate degree" in reply and "entrance exam" in reply


def test_is_cat_compulsory_gets_the_institutes_exams_and_the_few_that_take_cat(service):
    reply = ask(service, "Is CAT compulsory?", "ask_admission")
    assert reply.startswith("My sources don't say **CAT** is required")
    assert "concerned institutes" in reply and "XAT, MAT or CAT" in reply


def test_a_post_asking_two_things_gets_both(service) -> None:
    reply = ask(service, "what's the eligibility for production management and which exams "
                         "do I need?", "ask_qualification")
    assert "graduate degree from any stream" in reply and "entrance exam" in reply


# --- 4. the article's second reader comment ----------------------------------------------------


def test_difference_in_india_gets_the_differences_and_one_country_note(service) -> None:
    reply = ask(service, "Difference between Operations Management and Production Management "
                         "in India", "ask_india")
    assert reply.count("India") == 1 and "don't discuss India" in reply
    assert len(re.findall(r"^\d+\. ", reply, re.MULTILINE)) >= 5
    assert cited(reply)


# --- 5. the asked thing first, also when silent --------------------------------------------------


@pytest.mark.parametrize(("text", "thing"), [
    ("how much work experience do I need for OM?", "work experience"),
    ("what job titles do OM graduates get?", "job titles"),
    ("what are the placement rates for PM?", "placement"),
    ("what is the salary after an MBA in OM?", "salary"),
    ("PM salary in india per month?", "salary"),
])
def test_a_silent_aspect_is_named_before_anything_else(service, text, thing) -> None:
    reply = ask(service, text)
    first = reply.splitlines()[0]
    assert first.startswith("My sources don't") and thing in first, reply


def test_a_request_to_fill_a_form_is_not_answered_with_a_yes(service) -> None:
    reply = ask(service, "fill my XAT form for me")
    assert not reply.startswith("Yes")


def test_which_exam_is_better_is_not_a_yes(service) -> None:
    reply = ask(service, "MAT or XAT, which is better?", "ask_admission")
    assert reply.startswith("My sources don't say whether MAT or XAT is better")


def test_all_institutes_is_not_a_yes(service) -> None:
    reply = ask(service, "do all institutes accept CAT?", "ask_admission")
    assert reply.startswith("Not all")


# --- 6. background questions ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "I'm B.Sc, am I at a disadvantage against engineers?",
    "does my mechanical degree help in production management?",
    "is B.Tech required for PM?",
])
def test_background_questions_get_eligibility_advantage_and_prospects(service, text) -> None:
    reply = ask(service, text, "ask_background")
    for phrase in ("any stream", "relative advantage", "B.Tech or B.E degrees alongside MBA"):
        assert phrase in reply, (phrase, reply)


# --- 7. follow-ups and corrections ---------------------------------------------------------------


def test_which_ones_after_an_exam_question_lists_them(service) -> None:
    talk = Conversation(service)
    talk.say("which exams for an MBA in PM?", "ask_admission")
    reply = talk.say("ok, so which ones are mentioned?", "inform", 0.6)
    assert "XAT" in reply and "CAT" in reply


def test_a_self_correction_answers_for_the_field_meant(service) -> None:
    reply = ask(service, "careers in OM... wait no, I meant PM", "ask_careers")
    assert "automobiles" in reply and "Logistics" not in reply


def test_and_for_the_other_field_keeps_the_thing_asked(service) -> None:
    talk = Conversation(service)
    assert "Telecom" in talk.say("does telecom hire PM people?", "ask_sectors")
    reply = talk.say("and OM?", "inform", 0.6)
    assert reply.lower().startswith("my sources don't mention **telecom** for operations "
                                    "management")


def test_a_count_after_a_comparison_changes_only_the_count(service) -> None:
    talk = Conversation(service)
    talk.say("differences between OM and PM as a table", "ask_differences")
    reply = talk.say("only 3", "inform", 0.6)
    assert len([line for line in reply.splitlines() if line.startswith("| ")]) == 1 + 3


# --- 8. markup -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<p>which sectors hire <b>PM</b> people?</p>",
    "which sectors hire PM people?<script>alert('x')</script>",
    "**Q:** which sectors hire PM people?",
])
def test_markup_around_a_question_is_stripped_and_never_echoed(service, text) -> None:
    reply = ask(service, text)
    assert "automobiles" in reply and "<script" not in reply and "<b>" not in reply


# --- honesty and abbreviations -------------------------------------------------------------------


def test_off_topic_is_declined_without_facts(service) -> None:
    talk = Conversation(service)
    reply = talk.say("what is the weather on mars", "out_of_scope")
    assert talk.responses == ["utter_out_of_scope"] and not cited(reply)


def test_a_field_no_article_covers_is_named(service) -> None:
    reply = ask(service, "what is hotel management")
    assert reply.lower().startswith("my sources don't cover hotel management")


def test_an_abbreviation_of_two_fields_is_asked_about(tmp_path_factory, nlp) -> None:
    both = built_service(tmp_path_factory.mktemp("kb-pm"), nlp, USER_ARTICLE, HR_ARTICLE)
    talk = Conversation(both)
    reply = talk.say("what is PM")
    assert talk.responses == ["utter_ask_which_field"]
    assert "Personnel management" in reply and "Production management" in reply
    # the conversation decides: after a question about operations, PM is production
    talk = Conversation(both)
    talk.say("what is operations management", "ask_definition")
    assert "forecasting" in talk.say("and what is PM?", "ask_definition")


def test_every_answer_cites_its_source_and_quotes_only_source_sentences(service) -> None:
    article = USER_ARTICLE.read_text(encoding="utf-8")
    for text in ("what is PM", "which sectors hire OM graduates", "exams for PM?",
                 "is MBA compulsory for PM?", "10 differences between OM and PM"):
        reply = ask(service, text)
        assert cited(reply), text
        for quote in re.findall(r"^- “([^”]+)”", reply, re.MULTILINE):
            assert quote.replace("\\", "") in article, quote


def test_a_dead_knowledge_base_gets_a_polite_answer(tmp_path) -> None:
    from bot.kb.db import make_engine, make_session_factory
    from bot.kb.service import KnowledgeService

    broken = KnowledgeService(make_session_factory(make_engine(
        f"sqlite:///{tmp_path / 'missing-dir' / 'kb.sqlite'}")))
    talk = Conversation(broken)
    talk.say("what is OM", "ask_definition")
    assert talk.responses == ["utter_knowledge_unavailable"]
