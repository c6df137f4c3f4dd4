"""credentials.yml, endpoints files, the Slack manifest and docs agree with the channel code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.run import create_http_input_channels
from rasa.utils.endpoints import read_endpoint_config

from bot.channels.slack import SlackInput
from bot.channels.socketio import SocketIOInput

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_channel_env(monkeypatch):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_BASE_URL",
                 "CHAT_ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)


def test_credentials_load_with_rasas_loader_and_no_environment(no_channel_env):
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    by_name = {type(channel).__name__: channel for channel in channels}
    assert set(by_name) == {"RestInput", "SocketIOInput", "SlackInput"}
    socket_channel, slack = by_name["SocketIOInput"], by_name["SlackInput"]
    assert isinstance(socket_channel, SocketIOInput) and isinstance(slack, SlackInput)
    assert socket_channel.session_persistence is True
    assert socket_channel.metadata_key == "customData"
    assert socket_channel.allowed_origins == frozenset()
    assert slack.configured is False


def test_credentials_hold_no_secrets():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    flat = yaml.safe_dump(credentials).lower()
    assert "token" not in flat and "secret" not in flat


def test_endpoints_default_to_local_action_server_and_sqlite():
    action = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    tracker = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    assert action.url == "http://127.0.0.1:5055/webhook"
    assert (tracker.type, tracker.kwargs["dialect"], tracker.kwargs["db"]) == (
        "SQL", "sqlite", "var/tracker.db")


def test_scale_endpoints_take_their_values_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_DB_NAME", "rasa_tracker")
    monkeypatch.setenv("TRACKER_DB_PASSWORD", "pw")
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    path = str(ROOT / "endpoints.scale.yml")
    tracker = read_endpoint_config(path, "tracker_store")
    lock = read_endpoint_config(path, "lock_store")
    assert tracker.kwargs["dialect"] == "postgresql"
    assert (tracker.url, tracker.kwargs["port"], tracker.kwargs["db"]) == (
        "127.0.0.1", 5432, "rasa_tracker")
    assert tracker.kwargs["password"] == "pw"
    assert (lock.type, lock.url, lock.kwargs["port"]) == (
        "bot.stores.lock_store.RedisLockStore", "127.0.0.1", 6379)


def test_slack_manifest_subscribes_to_what_the_channel_handles():
    manifest = yaml.safe_load((ROOT / "slack" / "manifest.yml").read_text())
    settings = manifest["settings"]["event_subscriptions"]
    assert set(settings["bot_events"]) == {"app_mention", "message.im"}
    assert settings["request_url"].endswith("/webhooks/slack/webhook")
    assert {"app_mentions:read", "chat:write", "im:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"])


def test_docs_name_every_setting():
    docs = (ROOT / "docs" / "channels.md").read_text()
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_BASE_URL",
                 "CHAT_ALLOWED_ORIGINS", "RASA_API_TOKEN", "slack/manifest.yml",
                 "endpoints.scale.yml", "cors_allowed_origins", "SKIP_BROWSER_TESTS"):
        assert name in docs, name
