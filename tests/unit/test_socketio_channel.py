"""The socket.io channel: awaited room entry (RasaHQ/rasa#13027), origin allow-list, the page."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from unittest.mock import AsyncMock

import pytest

from bot.channels.socketio import SocketIOInput, WebChatOutput, parse_origins
from bot.channels.webpage import WIDGET_BUNDLE, security_headers, strip_external_imports

CREDENTIALS = {"session_persistence": True, "metadata_key": "customData"}


def make_channel(credentials: dict | None = None, **env: str) -> SocketIOInput:
    return SocketIOInput.from_credentials({**CREDENTIALS, **(credentials or {})}, environ=env)


def test_session_request_awaits_enter_room():
    channel = make_channel()
    channel.blueprint(AsyncMock())
    channel.sio.enter_room = AsyncMock()
    channel.sio.emit = AsyncMock()
    asyncio.run(channel.sio.handlers["/"]["session_request"]("sid1", {"session_id": "abc"}))
    channel.sio.enter_room.assert_awaited_once_with("sid1", "abc", namespace=None)
    channel.sio.emit.assert_awaited_once_with("session_confirm", "abc", room="sid1",
                                              namespace=None)


def test_messages_use_the_session_id_and_custom_data():
    received = []

    async def on_new_message(message):
        received.append(message)

    channel = make_channel()
    channel.blueprint(on_new_message)
    data = {"message": "hi", "session_id": "abc", "customData": {"language": "en"}}
    asyncio.run(channel.sio.handlers["/"]["user_uttered"]("sid1", data))
    (message,) = received
    assert (message.sender_id, message.text, message.metadata) == ("abc", "hi", {"language": "en"})
    # Rasa's answers reach the widget's output; the guard in between only counts them.
    assert isinstance(message.output_channel.inner, WebChatOutput)


def test_one_utterance_is_one_message_with_unsafe_links_removed():
    sio = SimpleNamespace(emit=AsyncMock())
    output = WebChatOutput(sio, "bot_uttered")
    asyncio.run(output.send_text_message("abc", "Intro:\n\n1. a\n2. [b](javascript:x())"))
    sio.emit.assert_awaited_once_with("bot_uttered", {"text": "Intro:\n\n1. a\n2. b"},
                                      room="abc")


def environ(host: str = "127.0.0.1:5005", **extra: str) -> dict:
    return {"wsgi.url_scheme": "http", "HTTP_HOST": host, **extra}


@pytest.mark.parametrize(
    ("origin", "env", "allowed"),
    [
        ("http://127.0.0.1:5005", environ(), True),
        (None, environ(), True),
        ("https://evil.example", environ(), False),
        ("http://127.0.0.1:5006", environ(), False),
        ("https://careers.example.org", environ(), True),
        ("https://bot.example.org",
         environ(**{"wsgi.url_scheme": "https", "HTTP_X_FORWARDED_HOST": "bot.example.org"}),
         True),
    ],
)
def test_origin_allow_list(origin, env, allowed):
    channel = make_channel({"cors_allowed_origins": ["https://careers.example.org/"]})
    assert channel.is_allowed_origin(origin, env) is allowed


def test_origins_from_environment_add_to_credentials():
    channel = make_channel({"cors_allowed_origins": ["https://a.example"]},
                           CHAT_ALLOWED_ORIGINS="https://b.example, https://c.example")
    assert channel.allowed_origins == {"https://a.example", "https://b.example",
                                       "https://c.example"}


def test_no_other_origin_by_default_and_star_is_refused():
    assert make_channel().allowed_origins == frozenset()
    assert parse_origins(None) == []
    with pytest.raises(ValueError, match="not accepted"):
        make_channel(CHAT_ALLOWED_ORIGINS="*")


def test_external_css_imports_are_stripped():
    bundle = b'x("@import url(https://fonts.googleapis.com/css?family=Inter:400&display=swap);")'
    assert strip_external_imports(bundle) == b'x("")'


def test_installed_widget_bundle_needs_no_other_host():
    if not WIDGET_BUNDLE.is_file():
        pytest.skip("rasa-webchat not installed (scripts/setup.sh runs npm ci in bot/web)")
    assert b"fonts.googleapis.com" not in strip_external_imports(WIDGET_BUNDLE.read_bytes())


def test_page_policy_allows_only_this_origin():
    request = SimpleNamespace(headers={"host": "127.0.0.1:5005"})
    policy = security_headers(request)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "ws://127.0.0.1:5005" in policy
    hostile = SimpleNamespace(headers={"host": "x; script-src *"})
    assert "script-src *" not in security_headers(hostile)["Content-Security-Policy"]
