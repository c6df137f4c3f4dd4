"""An editor adds articles while the bot runs: after ``python -m bot.kb build`` the running
servers answer questions about fields they have never seen, over REST, without retraining or
restarting (issue "New articles answered without retraining").

The articles are the fixture articles (tests/fixtures/articles), written by people who had not
seen the rules; their questions are judged by content, as the evaluation sets are.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

import pytest
import yaml

from tests.eval.judge import Message, _turn, judge, knowledge_from
from tests.integration.test_fixture_articles import ANSWER_SHARE

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
EXPECT = sorted(FIXTURES.glob("*.expect.yml"))
# The bound: the running bot knows a new article this soon after the build ends.
KNOWN_WITHIN = 10.0


def _expectations(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _say(rasa_server, sender: str, text: str) -> Message:
    replies = rasa_server.rest(sender, text)
    return Message("", "\n".join(r.get("text", "") for r in replies))


def _turn_messages(rasa_server, sender: str, text: str) -> list[Message]:
    rasa_server.rest(sender, text)
    return [Message(response, said) for response, said in rasa_server.last_turn(sender)]


@pytest.fixture
def added_articles(e2e_kb):
    """Every fixture article copied into the running action server's sources and built; taken
    out and rebuilt afterwards, so the other tests see the knowledge base they expect."""
    added = []
    for path in EXPECT:
        article = FIXTURES / _expectations(path)["article"]
        shutil.copy(article, e2e_kb.sources / article.name)
        added.append(e2e_kb.sources / article.name)
    e2e_kb.build()
    built = time.monotonic()
    yield built
    for path in added:
        path.unlink()
    e2e_kb.build()


def test_a_new_article_is_answered_without_retraining(rasa_server, added_articles, e2e_kb):
    # A field the model never saw in training is known within seconds of the build.
    data = _expectations(FIXTURES / "journalism-vs-mass-communication.expect.yml")
    first = data["questions"][0]
    while True:
        reply = _say(rasa_server, f"editor-{uuid.uuid4().hex[:8]}", first["text"])
        if "Journalism or Mass Communication" in reply.text:
            break
        assert time.monotonic() - added_articles < KNOWN_WITHIN, reply.text
        time.sleep(0.5)

    from bot.config import load_settings
    from bot.kb.service import KnowledgeService

    sources = sorted(e2e_kb.sources.iterdir())
    service = KnowledgeService.from_settings(load_settings(e2e_kb.env))
    knowledge = knowledge_from(service, ("operations management", "production management"),
                               sources)
    results = []
    for path in EXPECT:
        for raw in _expectations(path)["questions"]:
            turn = _turn(raw)
            messages = _turn_messages(rasa_server, f"student-{uuid.uuid4().hex[:8]}", turn.text)
            verdict = judge(turn, messages, knowledge)
            results.append(f"{path.stem}: {turn.text!r}: {verdict.reason}" if not verdict.ok
                           else "")
    misses = [r for r in results if r]
    share = 1 - len(misses) / len(results)
    assert share >= ANSWER_SHARE, f"{share:.3f}\n" + "\n".join(misses)


def test_a_removed_article_is_forgotten(rasa_server, e2e_kb):
    # After the fixture above has taken its articles out again, their fields are gone.
    reply = _say(rasa_server, f"editor-{uuid.uuid4().hex[:8]}",
                 "what is the difference between journalism and mass communication?")
    assert "Journalism or Mass Communication" not in reply.text
