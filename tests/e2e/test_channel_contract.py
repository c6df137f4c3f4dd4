"""The same reference conversations through REST, socket.io, Slack and the shell: same facts.

Each channel must deliver every fact of every turn (and the right number of list items), the same
as REST does. socket.io and Slack deliver exactly one message per bot utterance (REST and the
shell split an utterance at blank lines, as Rasa does).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from tests.e2e.clients import SlackUser, SocketIOUser
from tests.e2e.reference import CONVERSATIONS, Conversation, expected, summarize

pytestmark = pytest.mark.e2e

CHANNELS = ("rest", "socketio", "slack", "shell")


def run_rest(server, conversation: Conversation, **_) -> list[list[str]]:
    sender = "rest-" + secrets.token_hex(6)
    return [
        [message.get("text", "") for message in server.rest(sender, turn.text)]
        for turn in conversation.turns
    ]


def run_socketio(server, conversation: Conversation, **_) -> list[list[str]]:
    with SocketIOUser(server) as user:
        texts = [user.say(turn.text) for turn in conversation.turns]
        user.assert_no_more_replies()
    return texts


def run_slack(server, conversation: Conversation, fake_slack, **_) -> list[list[str]]:
    user = SlackUser(server, fake_slack)
    return [user.say(turn.text) for turn in conversation.turns]


def run_shell(server, conversation: Conversation, shell, **_) -> list[list[str]]:
    shell.restart()
    return [[shell.say(turn.text)] for turn in conversation.turns]


RUNNERS: dict[str, Callable[..., list[list[str]]]] = {
    "rest": run_rest, "socketio": run_socketio, "slack": run_slack, "shell": run_shell,
}


@pytest.fixture(scope="module")
def rest_reference(rasa_server) -> dict[str, list[list[str]]]:
    """What REST delivers for each conversation: the baseline for message counts."""
    return {c.name: run_rest(rasa_server, c) for c in CONVERSATIONS}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.name)
def test_channel_delivers_the_same_facts(request, rasa_server, fake_slack, rest_reference,
                                         channel, conversation):
    shell = request.getfixturevalue("rasa_shell") if channel == "shell" else None
    texts = RUNNERS[channel](rasa_server, conversation, fake_slack=fake_slack, shell=shell)

    for turn, turn_texts, rest_texts in zip(
        conversation.turns, texts, rest_reference[conversation.name], strict=True
    ):
        assert summarize(turn, turn_texts) == expected(turn), turn_texts
        assert summarize(turn, turn_texts) == summarize(turn, rest_texts)
