"""Clients of the running Rasa server's channels, as a widget and Slack would talk to it.

* :func:`slack_event` / :func:`post_slack`: a signed Slack Events API request (the exact bytes are
  signed, ``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``);
* :class:`SlackUser`: one Slack user in a direct-message channel, whose replies are read from the
  fake Slack Web API;
* :class:`SocketIOUser`: one browser session of the web widget (socket.io, polling transport).

``say`` returns the bot's messages for one user message. By default the tracker tells when the
turn is over and how many messages it sent. With ``whole_turn=False`` (for messages the channel's
guard answers by itself, or cleans before Rasa sees them) the reply is complete once the channel
has been quiet for ``QUIET`` seconds after its first message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import secrets
import time
from typing import Any

import requests
import socketio

BOT_USER = "UBOT0E2E"
QUIET = 0.3


def slack_event(text: str, *, channel: str, user: str, kind: str = "message",
                thread_ts: str | None = None) -> dict[str, Any]:
    ts = f"{time.time():.6f}"
    event: dict[str, Any] = {
        "type": kind, "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {
        "token": "unused", "team_id": "T0E2E", "api_app_id": "A0E2E", "type": "event_callback",
        "event_id": "Ev" + secrets.token_hex(6).upper(), "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"user_id": BOT_USER, "is_bot": True, "team_id": "T0E2E"}],
    }


def post_slack(server, payload: dict[str, Any], *, secret: str | None = None,
               timestamp: int | None = None, headers: dict[str, str] | None = None,
               content_type: str = "application/json") -> requests.Response:
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        (secret or server.slack_signing_secret).encode(), f"v0:{timestamp}:".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    return requests.post(
        f"{server.base_url}/webhooks/slack/webhook",
        data=body,
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": f"v0={digest}",
            **(headers or {}),
        },
        timeout=10,
    )


class SlackUser:
    """A Slack user writing to the bot in a direct message."""

    def __init__(self, server, fake_slack) -> None:
        self.server = server
        self.fake_slack = fake_slack
        self.user = "U" + secrets.token_hex(5).upper()
        self.channel = "D" + secrets.token_hex(5).upper()

    def say(self, text: str, *, whole_turn: bool = True, timeout: float = 30) -> list[str]:
        before = len(self.fake_slack.messages(self.channel))
        reply = post_slack(self.server, slack_event(text, channel=self.channel, user=self.user))
        assert reply.status_code == 200, reply.text
        if whole_turn:
            count = len(self.server.wait_turn(self.user, text, timeout))
            posted = self.fake_slack.wait_for_messages(self.channel, before + count)
            assert len(posted) == before + count  # one message per utterance
            return [m["text"] for m in posted[before:]]
        deadline = time.monotonic() + timeout
        seen, quiet_since = before, time.monotonic()
        while time.monotonic() < deadline:
            posted = self.fake_slack.messages(self.channel)
            if len(posted) != seen:
                seen, quiet_since = len(posted), time.monotonic()
            elif seen > before and time.monotonic() - quiet_since > QUIET:
                return [m["text"] for m in posted[before:]]
            time.sleep(0.05)
        raise AssertionError(f"Slack: no reply to {text[:60]!r} in {timeout} s")


class SocketIOUser:
    """One browser session of the web widget; use as a context manager."""

    def __init__(self, server) -> None:
        self.server = server
        self.session_id = "sio-" + secrets.token_hex(6)
        self.replies: queue.Queue[dict] = queue.Queue()
        self.client = socketio.Client(reconnection=False)

    def __enter__(self) -> SocketIOUser:
        confirmed: queue.Queue[str] = queue.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", confirmed.put)
        # Polling only: python-engineio's asyncio websocket client needs a newer aiohttp than
        # Rasa's; the browser test covers the websocket transport.
        self.client.connect(self.server.base_url, socketio_path="/socket.io",
                            transports=["polling"], headers={"Origin": self.server.base_url})
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.get(timeout=10) == self.session_id
        return self

    def __exit__(self, *_: Any) -> None:
        # A plain disconnect() waits for the pending long-poll (up to the 25 s ping interval).
        self.client.eio.disconnect(abort=True)

    def say(self, text: str, *, whole_turn: bool = True, timeout: float = 30) -> list[str]:
        payload = {"message": text, "customData": {"language": "en"}}
        if not whole_turn:
            return self.send(payload, timeout)
        self.client.emit("user_uttered", {**payload, "session_id": self.session_id})
        count = len(self.server.wait_turn(self.session_id, text, timeout))
        return [self.replies.get(timeout=10).get("text", "") for _ in range(count)]

    def send(self, payload: dict[str, Any], timeout: float = 30) -> list[str]:
        """Emit any ``user_uttered`` payload (with this session's id); the replies, once quiet."""
        self.client.emit("user_uttered", {**payload, "session_id": self.session_id})
        texts: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                texts.append(self.replies.get(timeout=QUIET).get("text", ""))
            except queue.Empty:
                if texts:
                    return texts
        raise AssertionError(f"socket.io: no reply to {payload!r:.80} in {timeout} s")

    def assert_no_more_replies(self) -> None:
        assert self.replies.empty()
