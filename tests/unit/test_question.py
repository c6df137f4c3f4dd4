"""``interpret()``: one table of real student phrasings and what each asks.

Each row is a class of question, not a phrasing the code knows: the wording is read through
the knowledge base's vocabulary and the language data in ``bot/ingest/rules``. The
classifier's reading is given as Rasa would give it (``intent``/confidence), or left out,
where the words alone must decide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.lexicon import Lexicon
from bot.answering.question import Background, Conversation, Parse, interpret
from tests.conftest import USER_ARTICLE, add_sources, make_settings

OM, PM = "operations management", "production management"


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory, nlp) -> Lexicon:
    from bot.ingest.build import build_knowledge_base
    from bot.kb.service import KnowledgeService

    directory: Path = tmp_path_factory.mktemp("question-kb")
    settings = make_settings(directory, f"sqlite:///{directory / 'kb.sqlite'}")
    add_sources(settings, USER_ARTICLE)
    build_knowledge_base(settings, nlp_factory=lambda: nlp)
    return Lexicon.for_service(KnowledgeService.from_settings(settings))


def ask(lexicon, text, intent=None, confidence=0.9, conversation=None):
    parse = Parse(text, intent, confidence if intent else 0.0,
                  ((intent, confidence),) if intent else ())
    return interpret(parse, conversation or Conversation(), lexicon)


@pytest.mark.parametrize(("text", "intent", "kind", "topics"), [
    ("what is OM", "ask_definition", "definition", (OM,)),
    ("wats operations management exactly", None, "definition", (OM,)),
    ("give any ten difference between production and operation management,", None,
     "differences", (PM, OM)),
    ("OM vs PM", None, "differences", (OM, PM)),
    ("diff om pm?", None, "differences", (OM, PM)),
    ("is MBA compulsory for PM?", "ask_qualification", "qualification", (PM,)),
    ("which entrance exams do I need?", None, "admission", ()),
    ("does telecom hire PM people?", None, "sectors", (PM,)),
    ("Which one fits me, OM or PM? I did B.E.", "ask_recommendation", "advice", (OM, PM)),
    ("is it smarter for me to specialise in operations or in production mgmt?", None,
     "advice", (OM, PM)),
    ("which college is best for OM", "ask_college", "college", (OM,)),
    ("what is the weather on mars", "out_of_scope", "off_topic", ()),
    ("recipe for paneer butter masala", "inform", "off_topic", ()),
    ("explain the krebs cycle for my bio exam", None, "off_topic", ()),
    ("🤔🤔🤔", "nlu_fallback", "unclear", ()),
    ("hi there", "greet", "greet", ()),
    ("thank you so much for your patience, god bless", "nlu_fallback", "thank", ()),
    ("prod mgmt scope kya hai", None, "scope", (PM,)),
    ("opertions managment jobs?", None, "careers", (OM,)),
    # a choice asked about oneself is advice, whatever sector it names besides
    ("Civil engg grad here, I want to stay in the construction industry. Which of the two "
     "fields fits?", "ask_sectors", "advice", ()),
    ("I work at a bank and want to move into management. Which of the two makes more sense "
     "for me?", "ask_sectors", "advice", ()),
    # ... but not when it asks for something else
    ("What entrance exams should I prepare for if I want an MBA in production management?",
     "ask_admission", "admission", (PM,)),
])
def test_what_a_message_asks(lexicon, text, intent, kind, topics) -> None:
    question = interpret_ = ask(lexicon, text, intent)
    assert (interpret_.kind, question.topics) == (kind, topics)


@pytest.mark.parametrize(("text", "count", "table"), [
    ("give me 10 diffrence between production mgmt and operations mgmt pls", 10, False),
    ("TOP 3 DIFFERENCES BETWEEN OPERATIONS AND PRODUCTION MANAGEMENT", 3, False),
    ("any five differences between OM and PM", 5, False),
    ("Q3. Distinguish between Production Management and Operations Management. (5 marks)",
     None, False),
    ("om vs pm in tabular form", None, True),
    ("half a dozen differences b/w om and pm", 6, False),
])
def test_counts_and_tables_but_not_question_numbers_or_marks(lexicon, text, count, table):
    question = ask(lexicon, text)
    assert (question.kind, question.count, question.table) == ("differences", count, table)


def test_a_correction_replaces_what_came_before_it(lexicon) -> None:
    question = ask(lexicon, "careers in OM... wait no, I meant PM")
    assert question.topics == (PM,) and question.correction


def test_markup_around_a_question_is_not_read(lexicon) -> None:
    question = ask(lexicon, "<p>which sectors hire <b>PM</b> people?</p><script>x()</script>")
    assert (question.kind, question.topics) == ("sectors", (PM,))
    assert "script" not in question.text


def test_a_follow_up_continues_the_previous_question(lexicon) -> None:
    before = Conversation(kind="sectors", topics=(PM,), things=(("sector", "Telecom"),))
    question = ask(lexicon, "and for OM?", "inform", 0.7, before)
    assert (question.kind, question.topics, question.follow_up) == ("sectors", (OM,), True)
    assert [t.value for t in question.things] == ["Telecom"]
    for wording in ("as a table", "now same in table form pls", "the same as a chart"):
        table = ask(lexicon, wording, "inform", 0.7,
                    Conversation(kind="differences", topics=(OM, PM), count=3))
        assert (table.kind, table.count, table.table) == ("differences", 3, True), wording
    # a similarity of its own is still asked
    alike = ask(lexicon, "what do they have in common, as a table", "ask_similarity", 0.9,
                Conversation(kind="differences", topics=(OM, PM), count=3))
    assert alike.kind == "similarity"


@pytest.mark.parametrize(("text", "words", "topics"), [
    ("need work exp for mba om?? how many yrs", ("experience", "years"), (OM,)),
    ("govt jobs in pvt sector", ("government", "private"), ()),
    ("prod mgmt scope", (), (PM,)),
])
def test_short_forms_are_written_out(lexicon, text, words, topics) -> None:
    question = ask(lexicon, text)
    assert all(w in question.aspects for w in words), question.aspects
    assert question.topics == topics


# Found by the load test (tests/e2e/test_load.py): a count in a question of its own was read as
# "give me N more of the last answer".
@pytest.mark.parametrize(("before", "text", "kind", "count", "follow_up"), [
    ("sectors", "give 5 differences between OM and PM", "differences", 5, False),
    ("admission", "3 differences between production and operations management?",
     "differences", 3, False),
    ("differences", "only 3 differences", "differences", 3, True),
    ("sectors", "just 2 please", "sectors", 2, True),
    ("differences", "just 2 please", "differences", 2, True),
])
def test_a_count_continues_the_last_answer_only_when_it_asks_nothing_else(
        lexicon, before, text, kind, count, follow_up) -> None:
    conversation = Conversation(kind=before, topics=(OM, PM), count=5)
    question = ask(lexicon, text, "inform" if follow_up else "ask_differences", 0.9,
                   conversation)
    assert (question.kind, question.count, question.follow_up) == (kind, count, follow_up)


def test_the_students_background_is_read_from_the_message(lexicon) -> None:
    question = ask(lexicon, "I did B.E. in electronics and communication, want a distance "
                            "MBA. telecom and operations or telecom and hr?",
                   "ask_recommendation")
    assert question.kind == "advice"
    assert question.background.degree == "B.E."
    assert question.background.branch == "electronics and communication"
    assert question.background.mode == "distance"
    assert "HR" in question.background.options


@pytest.mark.parametrize(("text", "degree", "branch", "interests"), [
    # a branch right after the degree is what they studied, not a sector they want
    ("B.Tech IT 2023. I want to work in telecom. OM or PM?", "B.Tech",
     "information technology", ("Telecom",)),
    ("SBI PO, 3 yrs, B.Com. Want MBA but staying in BFSI. OM or PM?", "B.Com", None,
     ("Financial Institutions",)),
    ("textile engg 3rd year, I want a big textile mill job. OM or PM?", "B.E.", "textile", ()),
    # "it" is a pronoun, not the IT branch
    ("I did B.Com, could you redo it for OM?", "B.Com", None, ()),
])
def test_degree_branch_and_sector_wordings(lexicon, text, degree, branch, interests) -> None:
    question = ask(lexicon, text, "ask_recommendation")
    assert (question.background.degree, question.background.branch) == (degree, branch)
    sectors = tuple(t.value for t in question.things_of("sector"))
    assert sectors == interests


def test_a_changed_detail_is_noticed(lexicon) -> None:
    before = Conversation(kind="advice", topics=(OM, PM), background=Background(degree="B.E."))
    question = ask(lexicon, "actually I'm B.Com, not B.E.", "inform", 0.6, before)
    assert question.kind == "advice"
    assert question.background.degree in ("B.Com", "B.E.")
    assert ("degree", "B.E.", "B.Com") in question.background_changes or (
        question.background.degree == "B.Com")


@pytest.mark.parametrize(("text", "flag"), [
    ("is an MBA compulsory for PM?", "necessity"),
    ("do all institutes accept CAT?", "universal"),
    ("MAT or XAT, which is better?", "choice"),
    ("does production management do the marketing side?", "polar"),
])
def test_the_shape_of_a_question(lexicon, text, flag) -> None:
    assert getattr(ask(lexicon, text), flag)


def test_an_unknown_field_is_named_not_guessed(lexicon) -> None:
    assert ask(lexicon, "what is hotel management").unknown == ("hotel management",)
    assert ask(lexicon, "difference between mitosis and meiosis").unknown == (
        "mitosis", "meiosis")


def test_non_english_is_noticed(lexicon) -> None:
    assert ask(lexicon, "¿Cuál es la diferencia entre la gestión y la producción?").foreign
    # a word only like a field's name ("operaciones") is still another language's
    assert ask(lexicon, "¿Qué es la gestión de operaciones? operations management").foreign
    assert not ask(lexicon, "bhai production aur operations management mein kya farak hai")\
        .foreign
