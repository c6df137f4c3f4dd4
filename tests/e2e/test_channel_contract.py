"""The same reference conversations through REST, socket.io, Slack and the shell: same facts.

Each channel must deliver every fact of every turn (and the right number of list items), the same
as REST does. socket.io and Slack deliver exactly one message per bot utterance (REST and the
shell split an utterance at blank lines, as Rasa does).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import secrets
import time
from collections.abc import Callable

import pytest
import requests
import socketio

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
    session_id = "sio-" + secrets.token_hex(6)
    replies: queue.Queue[dict] = queue.Queue()
    confirmed: queue.Queue[str] = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", confirmed.put)
    # Polling only: python-engineio's asyncio websocket client needs a newer aiohttp than Rasa's;
    # the browser test covers the websocket transport.
    client.connect(server.base_url, socketio_path="/socket.io", transports=["polling"],
                   headers={"Origin": server.base_url})
    try:
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.get(timeout=10) == session_id
        texts = []
        for turn in conversation.turns:
            client.emit("user_uttered", {"message": turn.text, "session_id": session_id,
                                         "customData": {"language": "en"}})
            count = len(server.wait_turn(session_id, turn.text))
            texts.append([replies.get(timeout=10).get("text", "") for _ in range(count)])
        assert replies.empty()
        return texts
    finally:
        # A plain disconnect() waits for the pending long-poll (up to the 25 s ping interval).
        client.eio.disconnect(abort=True)


def run_slack(server, conversation: Conversation, fake_slack, **_) -> list[list[str]]:
    user, channel = "U" + secrets.token_hex(5).upper(), "D" + secrets.token_hex(5).upper()
    texts = []
    for turn in conversation.turns:
        before = len(fake_slack.messages(channel))
        ts = f"{time.time():.6f}"
        body = json.dumps({
            "type": "event_callback", "event_id": "Ev" + secrets.token_hex(6).upper(),
            "team_id": "T0E2E", "authorizations": [{"user_id": "UBOT0E2E"}],
            "event": {"type": "message", "channel_type": "im", "channel": channel,
                      "user": user, "text": turn.text, "ts": ts, "event_ts": ts},
        }).encode()
        stamp = str(int(time.time()))
        signature = "v0=" + hmac.new(server.slack_signing_secret.encode(),
                                     f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
        reply = requests.post(f"{server.base_url}/webhooks/slack/webhook", data=body, timeout=10,
                              headers={"Content-Type": "application/json",
                                       "X-Slack-Request-Timestamp": stamp,
                                       "X-Slack-Signature": signature})
        assert reply.status_code == 200
        count = len(server.wait_turn(user, turn.text))
        posted = fake_slack.wait_for_messages(channel, before + count)
        assert len(posted) == before + count  # one message per utterance
        texts.append([message["text"] for message in posted[before:]])
    return texts


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
