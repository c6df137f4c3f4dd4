"""The Slack channel's request handling, called directly with stand-in requests (no server)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from multidict import CIMultiDict

from bot.channels.slack import EventDeduplicator, SlackInput, SlackOutput

SECRET = "unit-test-signing-secret"
ENV = {"SLACK_BOT_TOKEN": "xoxb-unit", "SLACK_SIGNING_SECRET": SECRET}
BOT = "UBOT"


def make_channel(credentials: dict | None = None, **env: str) -> SlackInput:
    return SlackInput.from_credentials(credentials or {}, environ={**ENV, **env})


def event_payload(text: str = "which entrance exams for production management", *,
                  kind: str = "message", channel: str = "D1", event_id: str = "Ev1",
                  ts: str = "1700000000.000100", **extra: Any) -> dict[str, Any]:
    event = {"type": kind, "user": "U1", "text": text, "ts": ts, "channel": channel,
             "channel_type": "im" if channel.startswith("D") else "channel", **extra}
    return {"type": "event_callback", "event_id": event_id, "event": event,
            "authorizations": [{"user_id": BOT}]}


def request(payload: dict | str, *, content_type: str = "application/json",
            secret: str = SECRET, timestamp: int | None = None,
            headers: dict[str, str] | None = None) -> SimpleNamespace:
    body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body,
                                 hashlib.sha256).hexdigest()
    all_headers = CIMultiDict({
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    })
    all_headers.update(headers or {})
    return SimpleNamespace(headers=all_headers, body=body)


def handle(channel: SlackInput, *requests: SimpleNamespace) -> tuple[list, list]:
    """Run requests through the channel; return the responses and the messages handed to Rasa."""
    received: list = []

    async def on_new_message(message) -> None:
        received.append(message)

    async def run() -> list:
        responses = [await channel.handle_request(r, on_new_message) for r in requests]
        await asyncio.gather(*channel._background_tasks)
        return responses

    return asyncio.run(run()), received


def test_loads_without_environment_and_answers_503():
    channel = SlackInput.from_credentials({}, environ={})
    assert channel.configured is False
    (response,), received = handle(channel, request(event_payload()))
    assert response.status == 503
    assert received == []


def test_secrets_in_credentials_are_ignored():
    channel = SlackInput.from_credentials({"slack_token": "x", "slack_signing_secret": "y"},
                                          environ={})
    assert channel.configured is False


def test_signed_direct_message_is_handled_once():
    (response,), received = handle(make_channel(), request(event_payload()))
    assert response.status == 200
    assert [m.text for m in received] == ["which entrance exams for production management"]
    message = received[0]
    assert message.sender_id == "U1"
    assert message.input_channel == "slack"
    assert message.output_channel.slack_channel == "D1"
    assert message.output_channel.thread_id is None


@pytest.mark.parametrize(
    "bad",
    [
        {"secret": "wrong"},
        {"age": 400},
        {"age": -400},
        {"headers": {"X-Slack-Signature": "v0=deadbeef"}},
        {"headers": {"X-Slack-Signature": ""}},
    ],
    ids=["wrong secret", "stale", "future", "forged", "unsigned"],
)
def test_bad_signature_or_timestamp_is_refused(bad):
    bad = dict(bad)
    if "age" in bad:  # relative to now, not to collection time (the suite runs minutes)
        bad["timestamp"] = int(time.time()) - bad.pop("age")
    (response,), received = handle(make_channel(), request(event_payload(), **bad))
    assert response.status == 400
    assert received == []


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "too_many_requests", "other"])
def test_every_retry_is_dropped(reason):
    payload = event_payload()
    retry = request(payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason})
    responses, received = handle(make_channel(), request(payload), retry)
    assert [r.status for r in responses] == [200, 200]
    assert responses[1].headers.get("X-Slack-No-Retry") == "1"
    assert len(received) == 1


def test_retry_of_a_lost_first_delivery_is_handled():
    retry = request(event_payload(),
                    headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    (response,), received = handle(make_channel(), retry)
    assert response.status == 200
    assert len(received) == 1


def test_same_message_as_mention_and_message_event_is_handled_once():
    mention = event_payload(f"<@{BOT}> hi", kind="app_mention", channel="C1", event_id="Ev1")
    message = event_payload(f"<@{BOT}> hi", kind="message", channel="C1", event_id="Ev2")
    _, received = handle(make_channel(), request(mention), request(message))
    assert len(received) == 1


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"],
)
def test_content_type_parameters_are_accepted(content_type):
    _, received = handle(make_channel(), request(event_payload(), content_type=content_type))
    assert len(received) == 1


def test_reply_goes_to_the_thread_the_user_wrote_in():
    payload = event_payload(f"<@{BOT}> which exams", kind="app_mention", channel="C1",
                            thread_ts="1699999999.000001")
    _, (message,) = handle(make_channel(), request(payload))
    assert message.output_channel.thread_id == "1699999999.000001"
    assert message.output_channel.slack_channel == "C1"


def test_top_level_mention_is_answered_in_the_channel():
    payload = event_payload(f"<@{BOT}> which exams", kind="app_mention", channel="C1")
    _, (message,) = handle(make_channel(), request(payload))
    assert message.output_channel.thread_id is None
    assert message.text == "which exams"


def test_use_threads_answers_top_level_mentions_in_a_new_thread():
    channel = make_channel({"use_threads": True})
    payload = event_payload("<@UOTHERBOT> which exams", kind="app_mention", channel="C1")
    payload.pop("authorizations")
    _, (message,) = handle(channel, request(payload))
    assert message.output_channel.thread_id == "1700000000.000100"
    assert message.text == "which exams"  # the leading mention goes even without authorizations


def test_slack_escapes_are_undone():
    payload = event_payload("OM &amp; PM: which is &lt;better&gt;?")
    _, (message,) = handle(make_channel(), request(payload))
    assert message.text == "OM & PM: which is <better>?"


@pytest.mark.parametrize(
    "extra",
    [{"bot_id": "B1"}, {"subtype": "message_changed"}, {"subtype": "channel_join"}],
)
def test_bot_messages_and_edits_are_ignored(extra):
    _, received = handle(make_channel(), request(event_payload(**extra)))
    assert received == []


def test_plain_channel_message_without_mention_is_ignored():
    _, received = handle(make_channel(), request(event_payload(channel="C1")))
    assert received == []


def test_url_verification_returns_the_challenge():
    (response,), _ = handle(make_channel(),
                            request({"type": "url_verification", "challenge": "abc"}))
    assert response.status == 200
    assert json.loads(response.body) == {"challenge": "abc"}


def test_malformed_body_is_a_bad_request():
    (response,), _ = handle(make_channel(), request("{not json"))
    assert response.status == 400


def test_button_click_is_handled():
    payload = {"type": "block_actions", "user": {"id": "U1"}, "channel": {"id": "D1"},
               "message": {"ts": "1.0"},
               "actions": [{"type": "button", "value": "/ask_admission"}]}
    form = urlencode({"payload": json.dumps(payload)})
    _, (message,) = handle(
        make_channel(),
        request(form, content_type="application/x-www-form-urlencoded; charset=utf-8"),
    )
    assert message.text == "/ask_admission"
    assert message.output_channel.slack_channel == "D1"


def test_output_posts_one_mrkdwn_message_in_the_thread():
    output = SlackOutput("xoxb-unit", "C1", "1699999999.000001",
                         base_url="http://127.0.0.1:9/api/")
    calls: list[dict] = []

    async def fake_post(**kwargs: Any) -> dict:
        calls.append(kwargs)
        return {"ok": True}

    output.client.chat_postMessage = fake_post
    text = "Exams:\n\n1. **XAT**\n2. **MAT**\n3. **CAT**"
    asyncio.run(output.send_text_message("U1", text))
    assert calls == [{
        "channel": "C1", "text": "Exams:\n\n1. *XAT*\n2. *MAT*\n3. *CAT*", "mrkdwn": True,
        "thread_ts": "1699999999.000001",
    }]
    assert output.client.base_url == "http://127.0.0.1:9/api/"


def test_api_base_url_comes_from_the_environment():
    channel = make_channel(SLACK_API_BASE_URL="http://127.0.0.1:9/api")
    assert channel.get_output_channel("D1").client.base_url == "http://127.0.0.1:9/api/"
    assert SlackInput.from_credentials({}, environ=ENV).get_output_channel("D1").client.base_url \
        == "https://slack.com/api/"


def test_deduplicator_forgets_after_its_ttl():
    dedupe = EventDeduplicator(ttl_seconds=10, max_entries=2)
    assert dedupe.first_time("a", now=0)
    assert not dedupe.first_time("a", now=5)
    assert dedupe.first_time("a", now=20)
    assert dedupe.first_time("b", now=20) and dedupe.first_time("c", now=20)
    assert dedupe.first_time("d", now=20)
    assert len(dedupe._seen) <= 3
    assert dedupe.first_time(None, now=21) and dedupe.first_time(None, now=21)


@pytest.mark.parametrize("extra", [{"text": ""}, {"text": "", "subtype": "file_share"}],
                         ids=["no-text", "file-without-caption"])
def test_a_message_without_text_is_passed_on_for_a_polite_reply(extra):
    payload = event_payload()
    payload["event"].update(extra)
    (response,), received = handle(make_channel(), request(payload))
    assert response.status == 200
    assert [m.text for m in received] == [""]  # the guard answers it (tests/unit/test_guard.py)


@pytest.mark.parametrize("extra", [{"bot_id": "B1"}, {"user": None}, {"type": "reaction_added"}],
                         ids=["bot", "no-user", "not-a-message"])
def test_bot_and_non_message_events_get_no_reply(extra):
    payload = event_payload()
    payload["event"].update(extra)
    (response,), received = handle(make_channel(), request(payload))
    assert response.status == 200
    assert received == []
