"""Rasa's socket.io channel with persistent sessions that work, an origin allow-list and the page.

Three changes to :class:`rasa.core.channels.socketio.SocketIOInput` (Rasa 3.6.21):

* ``session_request`` awaits ``sio.enter_room``. Rasa calls it without ``await``
  (RasaHQ/rasa#13027); since python-socketio 5.10 it is a coroutine, so with
  ``session_persistence: true`` the socket never joins its session's room and the browser never
  sees a reply.
* Origins: Rasa disables Engine.IO's origin check (``cors_allowed_origins=[]``), so any web page
  can open a websocket to the bot (browsers apply no CORS to websockets). Here Engine.IO checks
  every connection and answers CORS itself: the page's own origin is always allowed, others only
  when listed in ``cors_allowed_origins`` (credentials.yml) or ``CHAT_ALLOWED_ORIGINS``
  (environment, comma or space separated). Nothing is allowed by default, and ``*`` is refused.
  Rasa's ``--cors`` (Sanic-CORS) still governs the other routes; it is told to leave socket.io
  alone, or allowed origins would get the CORS header twice.
* One bot utterance is one widget message (Rasa splits at blank lines, which tears lists and
  tables apart), with links of unsafe schemes removed (``neutralize_links``).

When the blueprint is registered it also installs the chat page (:mod:`bot.channels.webpage`):
the channel already owns the socket.io endpoint the page talks to, so serving the page from the
same registration keeps the page and its endpoint on one origin with no extra server or proxy.
Set ``web_page: false`` to run the channel without the page.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import rasa.shared.utils.io
from rasa.core.channels.channel import InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED
from socketio import AsyncServer

from bot.channels.guard import AlwaysAnswer
from bot.channels.markup import neutralize_links
from bot.channels.webpage import WebPage

logger = logging.getLogger(__name__)

ENV_ALLOWED_ORIGINS = "CHAT_ALLOWED_ORIGINS"


def parse_origins(value: str | Iterable[str] | None) -> list[str]:
    """``"https://a.org, https://b.org"`` or a list -> normalised origins (no trailing slash)."""
    if not value:
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    origins = []
    for item in items:
        origin = str(item).strip().rstrip("/")
        if origin == "*":
            raise ValueError(
                "'*' is not accepted as a chat origin: list the sites that embed the widget."
            )
        if origin:
            origins.append(origin)
    return origins


class WebChatOutput(SocketIOOutput):
    """Sends each bot utterance as one message (Rasa splits at blank lines)."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": neutralize_links(text.strip())})


class _ChannelBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, which also installs the chat page on the app."""

    def __init__(self, sio: AsyncServer, socketio_path: str, page: WebPage | None, *args: Any):
        super().__init__(sio, socketio_path, *args)
        self.ctx.page = page

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        super().register(app, options)
        socketio_path = "/" + self.ctx.socketio_path.strip("/")

        async def leave_cors_to_engineio(request: Request) -> None:
            # Engine.IO answers CORS for socket.io itself; Rasa's `--cors` (Sanic-CORS) would add
            # a second Access-Control-Allow-Origin header, which browsers reject.
            if request.path.startswith(socketio_path):
                setattr(request.ctx, SANIC_CORS_EVALUATED, True)

        app.register_middleware(leave_cors_to_engineio, "request")
        if self.ctx.page is not None:
            self.ctx.page.install(app)


class SocketIOInput(RasaSocketIOInput):
    """The socket.io channel: ``bot.channels.socketio.SocketIOInput`` in credentials.yml."""

    @classmethod
    def from_credentials(
        cls,
        credentials: Mapping[str, Any] | None,
        environ: Mapping[str, str] | None = None,
    ) -> InputChannel:
        credentials = dict(credentials or {})
        env = os.environ if environ is None else environ
        origins = parse_origins(credentials.get("cors_allowed_origins")) + parse_origins(
            env.get(ENV_ALLOWED_ORIGINS)
        )
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            allowed_origins=origins,
            web_page=credentials.get("web_page", True),
        )

    def __init__(
        self,
        *args: Any,
        allowed_origins: Iterable[str] = (),
        web_page: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins = frozenset(allowed_origins)
        self.web_page = web_page
        self._refused: set[str] = set()  # origins already logged at WARNING

    def is_allowed_origin(self, origin: str | None, environ: Mapping[str, Any]) -> bool:
        """Engine.IO's origin check: this server's own origin or one from the allow-list."""
        if origin is None:
            return True  # not a browser; browsers always send Origin on cross-origin requests
        scheme = str(environ.get("wsgi.url_scheme", "http")).split(",")[0].strip()
        hosts = {environ.get("HTTP_HOST"), environ.get("HTTP_X_FORWARDED_HOST")}
        own = {f"{scheme}://{str(host).split(',')[0].strip()}" for host in hosts if host}
        if origin in own or origin in self.allowed_origins:
            return True
        level = logging.DEBUG if origin in self._refused else logging.WARNING
        self._refused.add(origin)
        logger.log(
            level,
            "Refused socket.io connection from origin %s (allowed: the bot's own origin and %s; "
            "see CHAT_ALLOWED_ORIGINS)",
            origin, sorted(self.allowed_origins) or "no others",
        )
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guard = AlwaysAnswer(on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.is_allowed_origin)
        self.sio = sio
        page = WebPage() if self.web_page else None
        channel_blueprint = _ChannelBlueprint(
            sio, self.socketio_path, page, "socketio_webhook", __name__
        )

        @channel_blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            payload = token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            return bool(payload)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await sio.emit(
                "session_confirm", data["session_id"], room=sid, namespace=self.namespace
            )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                logger.info("socket.io message refused: not an object")
                return
            if self.session_persistence:
                if not data.get("session_id"):
                    rasa.shared.utils.io.raise_warning(
                        "A socket.io message without session_id was ignored: the client must "
                        "send `session_request` first."
                    )
                    return
                sender_id = data["session_id"]
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            text = data.get("message")
            await on_new_message(
                UserMessage(
                    text if isinstance(text, str) else "",
                    WebChatOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return guard.watch(channel_blueprint)

    def get_output_channel(self) -> WebChatOutput | None:
        if self.sio is None:
            return super().get_output_channel()  # warns, returns None
        return WebChatOutput(self.sio, self.bot_message_evt)
