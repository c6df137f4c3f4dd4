"""The rules on the blank-English pipeline: topics, aliases, sentences -> facts, no comments.

Most cases use a made-up article of the same genre, so passing them shows the rules are
general, not tuned to the user's sentences.
"""

from __future__ import annotations

import pytest

from bot.ingest.extract import Extraction, Extractor
from bot.ingest.reader import read_source
from bot.ingest.rules import load_rules
from tests.conftest import ALL_ARTICLES, USER_ARTICLE

ALPHA, BETA = "alpha management", "beta management"
ARTICLE = """\
Difference between Alpha Management and Beta Management


The field of management that deals with the budgeting, hiring and auditing of research teams \
is called as Alpha Management. It looks at every person who works in the laboratory. \
The discipline inside a firm that deals with the scheduling and pricing of product launches is \
called as Beta Administration. Its scope is limited to goods.

As a rule, I am sure this is a lucrative career.

Alpha Management

The basic qualification required for a career in alpha management is a graduate degree. Career \
opportunities are made available in the field of Biotech, Aerospace and Defence. A Masters \
degree in Business Administration is not mandatory, but it will help.

Beta Management

A student will require a Masters degree in Business Administration for a career in beta \
management. Admission is granted through an entrance exam. These exams are conducted by the \
institutes. Some institutes accept GMAT or SNAP scores. Professionals of beta management are \
also recruited by the shipping, retail and the mining sectors.

Key differentiators between Alpha Management and Beta Management

Both Alpha Management and Beta Management have a long history. While Alpha Management is about \
the people of a laboratory, Beta Management is concerned with launching goods on time.



Do you have any question? Please ask:

1 Response to “Difference between Alpha Management and Beta Management”

  1. 1
    reader:

    alpha management is a lucrative career in the field of Poetry and Music?
"""


@pytest.fixture(scope="module")
def extractor(nlp) -> Extractor:
    return Extractor(nlp, load_rules())


@pytest.fixture(scope="module")
def made_up(extractor) -> Extraction:
    return extractor.extract(ARTICLE)


@pytest.fixture(scope="module")
def user(extractor) -> Extraction:
    return extractor.extract(read_source(USER_ARTICLE).text)


def values(extraction: Extraction, topic: str, attribute: str) -> list[str]:
    return [f.value for f in extraction.facts if f.topic == topic and f.attribute == attribute]


# --- topics and aliases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "topics"),
    [
        ("Difference between Operations Management and Production Management",
         ("operations management", "production management")),
        ("Differences between HR Management vs Personnel Management",
         ("hr management", "personnel management")),
        ("Comparison of  Marketing Management versus Sales   Management",
         ("marketing management", "sales management")),
        ("Operations management explained", ()),
        ("Difference between", ()),
    ],
)
def test_the_title_names_the_two_topics(extractor, title, topics):
    assert extractor.extract(f"{title}\n\nSome text.\n").topics == topics


def test_the_users_article_has_its_two_topics(user):
    assert user.title == "Difference between Operations Management and Production Management"
    assert user.topics == ("operations management", "production management")


def test_aliases_curated_initials_and_the_articles_own_wording(user, made_up):
    notes = {(a.topic, a.alias): a.note for a in user.aliases}
    assert {("operations management", "OM"), ("operations management", "ops management"),
            ("production management", "PM"), ("production management", "POM")} <= set(notes)
    # "product management" is how the article words production management in its definitions
    note = notes[("production management", "Product management")]
    assert "article's own wording" in note
    # a curated alias that is also the initials keeps the curated note (it explains "PM")
    assert "personnel" in notes[("production management", "PM")]
    made_up_notes = {(a.topic, a.alias): a.note for a in made_up.aliases}
    # "AM" would fire on "I am ...": an alias is never a common English word
    assert (ALPHA, "AM") not in made_up_notes
    assert made_up_notes[(BETA, "BM")] == "initials"
    assert "article's own wording" in made_up_notes[(BETA, "Beta Administration")]


def test_aliases_are_unique_per_topic_ignoring_case(user):
    keys = [(a.topic, a.alias.lower()) for a in user.aliases]
    assert len(keys) == len(set(keys))


def test_an_abbreviation_matches_only_as_written(made_up):
    # "I am sure ..." (a paragraph of its own, about neither field) must not be read as
    # "AM (alpha management) is a lucrative career"
    [passage] = [i for i, p in enumerate(made_up.passages) if p.text.startswith("As a rule")]
    assert [f for f in made_up.facts if f.passage == passage] == []
    assert values(made_up, ALPHA, "career_outlook") == []


# --- sentences -> facts ------------------------------------------------------------------------


def test_a_naming_sentence_defines_its_topic_with_scope_and_activities(made_up):
    assert values(made_up, ALPHA, "definition")[0].startswith(
        "The field of management that deals with the budgeting")
    assert values(made_up, ALPHA, "activities")[:3] == ["budgeting", "hiring", "auditing"]
    # the article's own name "Beta Administration" defines beta management
    assert values(made_up, BETA, "definition")[0].endswith("is called as Beta Administration.")
    assert values(made_up, BETA, "activities")[:2] == ["scheduling", "pricing"]


def test_anaphora_continue_the_previous_topic(made_up, user):
    # the introduction has no section topic: only "It"/"Its" tie these sentences to a topic
    def facts_of(sentence: str) -> set[tuple[str, str, str]]:
        return {(f.topic, f.attribute, f.value) for f in made_up.facts
                if made_up.passages[f.passage].text == sentence}

    assert (ALPHA, "scope", "people") in facts_of(
        "It looks at every person who works in the laboratory.")
    assert facts_of("Its scope is limited to goods.") == {(BETA, "scope", "goods")}
    # user's article: "This comprises the responsibility ..." follows the OM definition,
    # "These exams ..." follows a production management sentence
    [responsibility] = values(user, "operations management", "responsibility")
    assert responsibility.startswith("This comprises the responsibility")
    assert "These exams will be carried out by the concerned institutes." in values(
        user, "production management", "admission_route")


def test_section_headings_assign_the_topic(made_up):
    assert values(made_up, ALPHA, "min_qualification") == ["graduate degree"]
    assert values(made_up, ALPHA, "career_sectors") == ["Biotech", "Aerospace", "Defence"]
    assert values(made_up, ALPHA, "recommended_degree") == ["MBA: helpful, not required"]
    assert values(made_up, BETA, "recommended_degree") == ["MBA: required"]
    assert values(made_up, BETA, "entrance_exams") == ["GMAT", "SNAP"]
    assert values(made_up, BETA, "recruiting_industries") == ["shipping", "retail", "mining"]
    assert values(made_up, BETA, "admission_route") == [
        "Admission is granted through an entrance exam.",
        "These exams are conducted by the institutes.",
    ]
    assert values(made_up, BETA, "min_qualification") == []


def test_while_x_is_y_is_splits_into_one_clause_per_topic(made_up, user):
    # both were defined earlier, so "is about" / "is concerned with" say what each focuses on
    alpha = values(made_up, ALPHA, "focus")[-1]
    beta = values(made_up, BETA, "focus")[-1]
    assert alpha == "Alpha Management is about the people of a laboratory"
    assert beta == "Beta Management is concerned with launching goods on time."
    # each clause's facts stay with its own topic
    last = len(made_up.passages) - 1
    assert {f.value for f in made_up.facts
            if f.passage == last and f.topic == ALPHA and f.attribute == "scope"} == {"people"}
    assert {f.value for f in made_up.facts
            if f.passage == last and f.topic == BETA and f.attribute == "scope"} == {"goods"}
    om = values(user, "operations management", "focus")[-1]
    pm = values(user, "production management", "definition")[-1]
    assert om.startswith("Operations Management is about the administration and planning")
    assert "Product Management" not in om
    assert pm.startswith("Product Management is the organizational life cycle procedure")


def test_both_x_and_y_gives_a_shared_fact_to_each(made_up, user):
    sentence = "Both Alpha Management and Beta Management have a long history."
    assert values(made_up, ALPHA, "common_ground") == [sentence]
    assert values(made_up, BETA, "common_ground") == [sentence]
    shared = [f for f in user.facts if f.attribute == "common_ground"]
    assert {f.topic for f in shared} == {"operations management", "production management"}
    assert len({f.passage for f in shared}) == 1


def test_the_users_article_scope(user):
    assert set(values(user, "operations management", "scope")) == {"goods", "services"}
    assert set(values(user, "production management", "scope")) == {"goods"}


# --- passages and reader comments --------------------------------------------------------------


def test_reader_comments_give_no_passages_and_no_facts(made_up):
    assert any("Poetry" in comment for comment in made_up.reader_comments)
    assert not any("Poetry" in p.text or "reader" in p.text for p in made_up.passages)
    assert not any(v in {"Poetry", "Music"} for f in made_up.facts for v in [f.value])
    tail = ARTICLE.index("Do you have any question?")
    assert all(p.end <= tail for p in made_up.passages)


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda p: p.stem)
def test_every_passage_is_its_exact_source_text(extractor, path):
    text = read_source(path).text
    extraction = extractor.extract(text)
    tail = text.index("Do you have any question?")
    assert len(extraction.passages) >= 15
    for passage in extraction.passages:
        assert text[passage.start : passage.end] == passage.text
        assert passage.end <= tail
    assert all(0 <= f.passage < len(extraction.passages) for f in extraction.facts)
    assert extraction.reader_comments


def test_headings_and_title_are_not_passages(made_up):
    texts = {p.text for p in made_up.passages}
    assert not texts & {"Alpha Management", "Beta Management", made_up.title}


@pytest.mark.parametrize("path", ALL_ARTICLES, ids=lambda p: p.stem)
def test_windows_line_ends_give_the_same_facts(extractor, path):
    unix = read_source(path).text
    windows = unix.replace("\n", "\r\n")
    expected, got = extractor.extract(unix), extractor.extract(windows)

    def facts(extraction):
        return [(f.topic, f.attribute, f.value) for f in extraction.facts]

    assert facts(got) == facts(expected)
    assert all(windows[p.start : p.end] == p.text for p in got.passages)


def test_a_sentence_is_not_cut_inside_a_dotted_name(nlp) -> None:
    from bot.ingest.extract import sentences

    doc = nlp("The two courses are the Bachelor of Education (B.Ed) and the Diploma in Elementary "
              "Education (D.El.Ed). Both need a B.Sc.(Hons) or more. They differ.")
    assert [s.text for s in sentences(doc)] == [
        "The two courses are the Bachelor of Education (B.Ed) and the Diploma in Elementary "
        "Education (D.El.Ed).", "Both need a B.Sc.(Hons) or more.", "They differ."]
