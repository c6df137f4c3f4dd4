"""What an article says in sentences that gave no fact of their own is still answered from
it: a sentence holding every word asked leads the reply, a kind's sentences are found by the
kind's own words when no fact of the kind was stored, named institutions are listed, and a
field is named by a clipped or misspelt form of its word (all without retraining)."""

from __future__ import annotations

import pytest

from tests.integration.actionkit import Conversation, built_service

pytestmark = pytest.mark.usefixtures("isolated_log")

# Written for these tests in the style of a forum answer: no headings, "both" sentences,
# the eligibility stated after a short lead-in, institutions named in a sentence.
FORUM = """Which is better after 12th: B.Sc Geology or B.Sc Oceanography?

I studied geology at a central university, and my cousin did oceanography, so here is what I saw.

Both are three-year degrees. Eligibility is much the same. You need 10+2 with Physics, Chemistry
and Mathematics or Biology, and admission happens through CUET-UG or the universities' own tests.

Geology is the study of rocks, minerals and the history of the Earth. Oceanography is the study
of the seas, their currents, waves and marine life.

I'd say geology has the edge for government jobs. The Geological Survey of India recruits
geologists every year through a UPSC exam.

Oceanography graduates join research vessels, fisheries departments and offshore oil firms.

Good places to study oceanography include the Cochin University of Science and Technology and
the National Institute of Oceanography in Goa, while geology is taught in most universities.

**Can I study oceanography after 12th commerce or arts?**

No. Oceanography needs science in Class 12, though commerce students can join a diploma in
marine tourism.
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp):
    tmp = tmp_path_factory.mktemp("kb-forum")
    article = tmp / "geology-vs-oceanography.txt"
    article.write_text(FORUM, encoding="utf-8")
    return built_service(tmp / "kb", nlp, article)


@pytest.mark.parametrize(("text", "intent", "expected", "absent"), [
    # the eligibility follows a lead-in sentence that holds the kind's word
    ("can i do b.sc geology with pcb?", "ask_qualification", "Physics, Chemistry", "don't say"
     " anything about the minimum qualification"),
    ("admission process for oceanography", "ask_admission", "CUET-UG", None),
    # a clipped field name, and a short form written out ("govt")
    ("govt jobs after geo", "ask_careers", "Geological Survey of India", None),
    ("govt jobs after bsc geolgy", "ask_careers", "Geological Survey of India", None),
    # institutions the article names are listed, not denied
    ("best colleges for oceanography?", "ask_college", "Cochin University", "name no colleges"),
])
def test_the_article_sentence_that_says_it_is_given(service, text, intent, expected, absent):
    reply = Conversation(service).say(text, intent)
    assert expected in reply, reply
    if absent:
        assert absent not in reply, reply


def test_an_articles_own_question_is_answered_by_its_answer(service) -> None:
    reply = Conversation(service).say("can a commerce student do oceanography after 12th?",
                                      "ask_qualification")
    lead = reply.split("\n\n", 1)[0]
    assert "“No.”" in lead and "Oceanography needs science in Class 12" in lead, reply
    assert reply.count("Oceanography needs science") == 1, reply


def test_an_article_without_institutions_still_says_it_names_none(tmp_path, nlp) -> None:
    article = tmp_path / "note.txt"
    article.write_text(FORUM.split("Good places")[0], encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    reply = Conversation(service).say("best colleges for oceanography?", "ask_college")
    assert "name no colleges" in reply, reply


def test_the_sentence_holding_what_is_asked_comes_first(service) -> None:
    reply = Conversation(service).say("do research vessels take oceanography graduates?",
                                      "ask_careers")
    first_quote = reply.split("“", 1)[1]
    assert first_quote.startswith("Oceanography graduates join research vessels"), reply


@pytest.mark.parametrize(("wording", "topic"), [
    ("geo vs oceano", ("b.sc geology", "b.sc oceanography")),
    ("oceanograpy scope", ("b.sc oceanography",)),
    ("is geology tough", ("b.sc geology",)),
    ("geologists hired by whom", ("b.sc geology",)),  # the same root, another ending
    ("the study of rocks", ()),  # words of the article, no field's clipped name
])
def test_a_field_is_named_by_a_clipped_or_misspelt_word(service, wording, topic) -> None:
    from bot.answering.lexicon import Lexicon

    found = tuple(m.value for m in Lexicon.for_service(service).find(wording)
                  if m.kind == "topic")
    assert found == topic


COMPUTING = """Computer Science vs Information Technology

Computer Science (CS) and Information Technology (IT) are popular branches. Computer science
is the study of computation and algorithms. Information technology is the use of computers and
networks to run an organisation's systems. Psychiatrists and actuaries are not discussed here.
"""


@pytest.mark.parametrize(("wording", "topic"), [
    ("CS vs IT", ("computer science", "information technology")),
    ("entrance exams for btech IT?", ("information technology",)),
    ("is it a good branch", ()),  # the defined "IT" names the field only in capitals
])
def test_a_defined_abbreviation_that_is_a_word_names_the_field_only_as_written(
        tmp_path, nlp, wording, topic) -> None:
    from bot.answering.lexicon import Lexicon

    article = tmp_path / "cs-vs-it.txt"
    article.write_text(COMPUTING, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    assert "IT" in service.topic("information technology").aliases
    found = tuple(m.value for m in Lexicon.for_service(service).find(wording)
                  if m.kind == "topic")
    assert found == topic


def test_what_both_have_in_common_is_said_from_the_sentences_that_say_it(service) -> None:
    reply = Conversation(service).say("what do geology and oceanography have in common?",
                                      "ask_similarity")
    assert "Both are three-year degrees" in reply, reply
    assert "state nothing the two have in common" not in reply, reply


@pytest.mark.parametrize(("text", "field"), [
    ("i love marine life and waves, geology or oceanography?", "B.sc oceanography"),
    # what the student does not care about is not what they told they want
    ("i dont care about marine life. i want government jobs, geology or oceanography?",
     "B.sc geology"),
])
def test_advice_reads_the_sentences_that_tie_the_students_words_to_one_field(
        service, text, field) -> None:
    reply = Conversation(service).say(text, "ask_recommendation")
    assert f"**{field}** fits what you told me best" in reply, reply


def test_a_qa_pages_answer_is_given_for_the_question_it_answers(tmp_path, nlp) -> None:
    from tests.unit.test_reader import QA_PAGE

    article = tmp_path / "geology-vs-oceanography.md"
    article.write_text(QA_PAGE, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    reply = Conversation(service).say("eligibility for oceanography?", "ask_qualification")
    assert "For both courses you need Class 12" in reply, reply
    assert "What is the eligibility" not in reply, reply  # the question itself says nothing


def test_a_short_name_is_defined_by_the_sentence_that_spells_it_out(tmp_path, nlp) -> None:
    article = tmp_path / "bed-vs-deled.txt"
    article.write_text(
        "B.Ed vs D.El.Ed\n\nThe two common teaching qualifications are the Bachelor of "
        "Education (B.Ed) and the Diploma in Elementary Education (D.El.Ed). The B.Ed prepares "
        "teachers for Classes 6 to 12, while the D.El.Ed prepares them for Classes 1 to 8.\n\n"
        "The D.El.Ed is a two-year diploma for primary teachers. The B.Ed is a two-year "
        "degree taken after graduation.\n",
        encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    reply = Conversation(service).say("deled", "nlu_fallback", 0.3)
    assert "Diploma in Elementary Education (D.El.Ed)" in reply, reply


GUIDE = """# Career as a Commercial Pilot: Eligibility and Salary

A commercial pilot flies passengers or cargo for an airline.

## Eligibility

You need Class 12 with Physics and Mathematics and a DGCA Class 1 medical. Airlines hire
holders of a Commercial Pilot Licence (CPL).

## Salary

A junior first officer typically earns Rs 1.5 lakh to Rs 3 lakh a month. Captains earn more.
"""


def test_a_section_whose_heading_names_what_is_asked_answers_it(tmp_path, nlp) -> None:
    article = tmp_path / "career-as-commercial-pilot.md"
    article.write_text(GUIDE, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    reply = Conversation(service).say("pilot ki salary kitni hoti h", "ask_careers")
    assert "1.5 lakh" in reply.split("\n\n", 1)[0], reply
    assert "don't say anything about salary" not in reply, reply


def test_a_question_naming_no_field_goes_to_the_article_that_holds_its_words(tmp_path, nlp):
    guide, forum = tmp_path / "career-as-commercial-pilot.md", tmp_path / "geo-vs-ocean.txt"
    guide.write_text(GUIDE, encoding="utf-8")
    forum.write_text(FORUM, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, guide, forum)
    # no one sentence holds two of its words; the pilot guide holds all three
    reply = Conversation(service).say("physics? captains? lakh?", "ask_qualification")
    assert "Which field do you mean" not in reply, reply
    assert "Commercial pilot" in reply, reply


@pytest.mark.parametrize("text", ["CPL full form", "what is cpl?"])
def test_a_short_name_the_article_spells_out_is_answered_by_that_sentence(tmp_path, nlp, text):
    article = tmp_path / "career-as-commercial-pilot.md"
    article.write_text(GUIDE, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    reply = Conversation(service).say(text, "nlu_fallback", 0.4)
    assert "Commercial Pilot Licence (CPL)" in reply.split("\n\n", 1)[0], reply
