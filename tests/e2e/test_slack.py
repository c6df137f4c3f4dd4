"""Signed Slack events to the running Rasa server; replies captured by the fake Slack Web API."""

from __future__ import annotations

import secrets
import time

import pytest
import requests

from tests.e2e.clients import BOT_USER, slack_event
from tests.e2e.clients import post_slack as post
from tests.e2e.reference import ENTRANCE_EXAMS, EXAMS, fact_present

pytestmark = pytest.mark.e2e


def unique(prefix: str) -> str:
    return prefix + secrets.token_hex(4).upper()


def test_signed_message_gets_one_reply_with_the_facts(rasa_server, fake_slack):
    channel, user = unique("D"), unique("U")
    reply = post(rasa_server, slack_event(EXAMS.text, channel=channel, user=user),
                 content_type="application/json; charset=utf-8")
    assert reply.status_code == 200

    answers = rasa_server.wait_turn(user, EXAMS.text)
    posted = fake_slack.wait_for_messages(channel, len(answers))
    assert len(posted) == len(answers) >= 1
    text = "\n".join(message["text"] for message in posted)
    assert all(fact_present(fact, text) for fact in ENTRANCE_EXAMS), text
    assert "**" not in text  # Markdown bold became Slack's *bold*
    assert all("thread_ts" not in message for message in posted)
    calls = [c for c in fake_slack.calls if c["params"].get("channel") == channel]
    assert all(c["authorization"] == f"Bearer {rasa_server.slack_bot_token}" for c in calls)


@pytest.mark.parametrize("case", ["wrong secret", "stale timestamp", "unsigned"])
def test_bad_or_stale_signature_is_refused_without_reply(rasa_server, fake_slack, case):
    channel, user = unique("D"), unique("U")
    payload = slack_event(EXAMS.text, channel=channel, user=user)
    if case == "wrong secret":
        reply = post(rasa_server, payload, secret="not-the-secret")
    elif case == "stale timestamp":
        reply = post(rasa_server, payload, timestamp=int(time.time()) - 6 * 60)
    else:
        reply = requests.post(f"{rasa_server.base_url}/webhooks/slack/webhook", json=payload,
                              timeout=10)
    assert reply.status_code == 400
    time.sleep(1.0)
    assert fake_slack.messages(channel) == []
    events = rasa_server.tracker(user).get("events") or []
    assert not any(event.get("event") == "user" for event in events)


@pytest.mark.parametrize("reason", ["http_error", "http_timeout", "too_many_requests"])
def test_retry_gets_no_second_reply(rasa_server, fake_slack, reason):
    channel, user = unique("D"), unique("U")
    payload = slack_event(EXAMS.text, channel=channel, user=user)
    assert post(rasa_server, payload).status_code == 200
    answers = rasa_server.wait_turn(user, EXAMS.text)
    first = fake_slack.wait_for_messages(channel, len(answers))

    retry = post(rasa_server, payload,
                 headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason})
    assert retry.status_code == 200
    time.sleep(1.5)
    assert len(fake_slack.messages(channel)) == len(first)
    user_turns = [e for e in rasa_server.tracker(user)["events"] if e.get("event") == "user"]
    assert len(user_turns) == 1


def test_reply_in_thread_stays_in_thread(rasa_server, fake_slack):
    channel, user = unique("C"), unique("U")
    thread_ts = f"{time.time() - 60:.6f}"
    text = f"<@{BOT_USER}> {EXAMS.text}"
    payload = slack_event(text, channel=channel, user=user, kind="app_mention",
                          thread_ts=thread_ts)
    assert post(rasa_server, payload).status_code == 200
    answers = rasa_server.wait_turn(user, EXAMS.text)  # the mention is stripped
    posted = fake_slack.wait_for_messages(channel, len(answers))
    assert posted and all(message.get("thread_ts") == thread_ts for message in posted)


def test_top_level_mention_in_channel_replies_in_channel(rasa_server, fake_slack):
    channel, user = unique("C"), unique("U")
    payload = slack_event(f"<@{BOT_USER}> {EXAMS.text}", channel=channel, user=user,
                          kind="app_mention")
    assert post(rasa_server, payload).status_code == 200
    answers = rasa_server.wait_turn(user, EXAMS.text)
    posted = fake_slack.wait_for_messages(channel, len(answers))
    assert len(posted) == len(answers) >= 1
    assert all("thread_ts" not in message for message in posted)
