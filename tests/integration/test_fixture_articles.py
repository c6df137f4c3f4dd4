"""Articles the rules were not written for (tests/fixtures/articles, written by someone who had
not seen them): each in its own structure, about its own fields.

For each: its fields are found (and no others), the facts its writer listed are in the
knowledge base under the right field, no fact is cut mid-sentence, and its questions are
answered from it (judged by content, as the evaluation sets are).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.ingest.reader import unemphasised
from tests.conftest import USER_ARTICLE
from tests.eval.judge import Message, _turn, judge, knowledge_from, normal
from tests.integration.actionkit import Conversation, built_service

pytestmark = pytest.mark.usefixtures("isolated_log")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
EXPECT = sorted(FIXTURES.glob("*.expect.yml"))
ARTICLES = [FIXTURES / yaml.safe_load(p.read_text())["article"] for p in EXPECT]
# Share of a writer's listed facts that must sit under their field (the rest must still be
# in a passage of the article, so search reaches them); measured 2026-12-02: see docs.
FACT_SHARE = 0.75
# Measured 2026-12-02 over the eleven fixture articles: 77/97 (0.79). The four newest
# (civil/structural, data science/analytics, journalism/mass communication, aeronautical/
# aerospace) scored 20/48 on their first run through the NLU, 35/48 after the fixes they
# prompted; the target (0.9) is not reached. The floor guards against regressions.
ANSWER_SHARE = 0.78


@pytest.fixture(scope="module")
def service(tmp_path_factory, nlp):
    return built_service(tmp_path_factory.mktemp("kb-fixtures"), nlp, USER_ARTICLE, *ARTICLES)


def expectations(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_field_and_no_other(service) -> None:
    expected = {"operations management", "production management"}
    for path in EXPECT:
        expected |= set(expectations(path)["topics"])
    assert set(service.topic_names()) == expected


@pytest.mark.parametrize("path", EXPECT, ids=lambda p: p.stem.removesuffix(".expect"))
def test_listed_facts_are_stored_under_their_field(service, path) -> None:
    data = expectations(path)
    article = normal((FIXTURES / data["article"]).read_text(encoding="utf-8"))
    under_field = 0
    for fact in data["facts"]:
        phrase = normal(fact["phrase"])
        assert phrase in article, fact  # the writer's phrase is the article's
        stored = [i for i in service.facts(fact["topic"])
                  if phrase in normal(i.value) or phrase in normal(i.citation.sentence)]
        under_field += bool(stored)
    assert under_field / len(data["facts"]) >= FACT_SHARE, (under_field, len(data["facts"]))


@pytest.mark.parametrize("path", EXPECT, ids=lambda p: p.stem.removesuffix(".expect"))
def test_no_fact_is_cut_mid_sentence(service, path) -> None:
    data = expectations(path)
    for topic in data["topics"]:
        for item in service.facts(topic):
            spec = service.rules.attribute(item.attribute)
            if spec.is_set or item.citation.kind == "row":
                continue
            # the value is the sentence's words without the article's bold or line breaks
            sentence = " ".join(unemphasised(item.citation.sentence).split()).lower()
            value = item.value.lower().rstrip(".")
            assert value in sentence, item
            after = sentence[sentence.index(value) + len(value):].lstrip()
            # a clause ends where its sentence ends, at a clause mark, or where the next
            # field's clause starts ("..., while Y ...")
            next_word = normal(after).split()[:1]
            assert not normal(after) or after[:1] in ".,;:!?)" or next_word[0] in (
                "while", "whereas", "but", "and", "however", "so", "yet", "unlike"), (
                item.value, after[:60])


def test_the_articles_questions_are_answered_from_them(service) -> None:
    knowledge = knowledge_from(service, ("operations management", "production management"),
                               [USER_ARTICLE, *ARTICLES])
    results = []
    for path in EXPECT:
        for raw in expectations(path)["questions"]:
            turn = _turn(raw)
            talk = Conversation(service)
            text = talk.say(turn.text)
            verdict = judge(turn, [Message(talk.responses[0], text)], knowledge)
            results.append((path.stem, turn.text, verdict))
    passed = sum(v.ok for _, _, v in results)
    misses = [f"{a}: {t!r}: {v.reason}" for a, t, v in results if not v.ok]
    assert passed / len(results) >= ANSWER_SHARE, "\n".join(misses)


PHARMACY = """Difference between B.Pharm and D.Pharm

B.Pharm is a four-year undergraduate degree in pharmacy. D.Pharm is a two-year diploma course
that prepares students to dispense medicines. B.Pharm graduates can work as drug inspectors,
while D.Pharm holders usually work in retail pharmacies.
"""


@pytest.mark.parametrize(("wording", "topic"), [
    ("bpharm vs dpharm", ("b.pharm", "d.pharm")),
    ("what is b pharm", ("b.pharm",)),
    ("B.Pharm jobs", ("b.pharm",)),
])
def test_a_dotted_field_name_is_found_however_it_is_typed(tmp_path, nlp, wording, topic):
    from bot.answering.lexicon import Lexicon

    article = tmp_path / "pharmacy.txt"
    article.write_text(PHARMACY, encoding="utf-8")
    service = built_service(tmp_path / "kb", nlp, article)
    found = tuple(m.value for m in Lexicon.for_service(service).find(wording) if m.kind == "topic")
    assert found == topic
