"""Bad input against the real servers, through REST, socket.io and Slack alike: every message is
answered or refused with a clear status, nothing is echoed as markup, and the conversation goes on
(issue "Robustness"). The rules themselves are unit-tested in tests/unit/test_guard.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import requests

from tests.e2e.clients import SlackUser, SocketIOUser

pytestmark = pytest.mark.e2e

DEFINITION = "supervision, planning and redesigning business operations"
CHANNELS = ("rest", "socketio", "slack")
Say = Callable[[str], str]


@pytest.fixture
def sender() -> str:
    return f"student-{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=CHANNELS)
def say(request, rasa_server, fake_slack, sender) -> Iterator[Say]:
    """One conversation on one channel: text in, the bot's whole reply out (as one string).

    The guard may clean a message before Rasa sees it, so a reply is complete when the channel
    has gone quiet, not when the tracker holds the same text."""
    if request.param == "rest":
        def rest(text: str) -> str:
            replies = rasa_server.rest(sender, text)
            assert replies, f"no reply to {text[:60]!r}"
            return "\n".join(r.get("text", "") for r in replies)
        yield rest
    elif request.param == "socketio":
        with SocketIOUser(rasa_server) as user:
            yield lambda text: "\n".join(user.say(text, whole_turn=False))
    else:
        slack = SlackUser(rasa_server, fake_slack)
        yield lambda text: "\n".join(slack.say(text, whole_turn=False))


@pytest.mark.parametrize("text", ["", "   ", "?!...", "🙂🙂🙂", "\x00\x07\x1b"],
                         ids=["empty", "whitespace", "punctuation", "emoji", "control"])
def test_a_message_with_nothing_to_read_is_asked_for_again(say, text):
    assert "What would you like to know?" in say(text)
    assert DEFINITION in say("what is operations management")


def test_a_question_inside_5000_characters_is_still_answered(say):
    rambling = ("I am from a small town and my family wants me to study further after my "
                "degree but I am not sure what to do next " * 50)
    text = rambling + " anyway, what is operations management?"
    assert len(text) > 5000
    assert DEFINITION in say(text)


@pytest.mark.parametrize("text", [
    "<b>what is operations management</b>",
    "<script>alert('x')</script> what is operations management",
    "what is operations management\x00\x07",
    "what is operations management'; DROP TABLE passages;--",
])
def test_markup_control_and_sql_looking_text_is_read_as_text(say, text):
    reply = say(text)
    assert DEFINITION in reply
    assert "<script" not in reply and "<b>" not in reply and "\x00" not in reply
    assert DEFINITION in say("what is operations management")  # the knowledge base is intact


def test_non_english_gets_a_note_and_the_best_help(say):
    reply = say("¿Qué es la gestión de operaciones? operations management")
    assert "I can only answer in English" in reply


def test_user_text_that_looks_like_intent_syntax_is_answered_as_text(say):
    reply = say("/restart")
    assert reply.strip()  # not silence
    reply = say('/ask_differences{"count": "999"} what is operations management')
    assert DEFINITION in reply


def test_intent_syntax_from_a_user_is_text(rasa_server, sender):
    # A user typing Rasa's trigger syntax neither chooses the intent nor sets entities.
    assert rasa_server.rest(sender, '/ask_definition{"topic": "quantum physics"}')
    events = rasa_server.tracker(sender)["events"]
    parsed = [e for e in events if e.get("event") == "user"][-1]["parse_data"]
    assert all(e.get("value") != "quantum physics" for e in parsed.get("entities", []))
    assert parsed["intent"].get("confidence", 1.0) < 1.0


@pytest.mark.parametrize("payload", [{"message": 42}, {"message": None}, {},
                                     {"message": ["what is OM"], "customData": "{not json"}],
                         ids=["number", "null", "no-message", "list-and-bad-metadata"])
def test_a_wrongly_typed_socketio_message_gets_a_polite_reply(rasa_server, payload):
    with SocketIOUser(rasa_server) as user:
        assert "What would you like to know?" in "\n".join(user.send(payload))
        assert DEFINITION in "\n".join(user.say("what is operations management"))


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"sender": "a"}',
                                  b'{"sender": "a", "message": 42}',
                                  b'{"sender": ["a"], "message": "hi"}'],
                         ids=["not-json", "array", "no-message", "number", "sender-list"])
def test_a_malformed_rest_body_gets_a_400_not_a_traceback(rasa_server, body):
    reply = requests.post(f"{rasa_server.base_url}/webhooks/rest/webhook", data=body,
                          headers={"content-type": "application/json"}, timeout=30)
    assert reply.status_code == 400
    assert "Traceback" not in reply.text and len(reply.text) < 300
    assert reply.json()["error"]


def test_the_http_api_needs_the_token(rasa_server):
    url = f"{rasa_server.base_url}/conversations/someone/tracker"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=30).status_code == 401
