"""Every user message gets a reply, even when Rasa produced none.

Rasa 3.6 logs an unreachable action server (or any failing custom action) and goes back to
listening: the student sees nothing at all. Our channels pass their messages through
:class:`AlwaysAnswer`, which counts what the bot sent for the message and, if that was nothing,
sends the domain's ``utter_no_answer`` (wording lives in ``domain.yml``, read from the running
agent's domain). Commands such as ``/restart`` are left alone: silence is their normal answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, Sanic

logger = logging.getLogger(__name__)

NO_ANSWER_RESPONSE = "utter_no_answer"
Handler = Callable[[UserMessage], Awaitable[Any]]


class CountingOutput(OutputChannel):
    """Passes everything to the channel's own output and counts the messages sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # the wrapped channel's name, per instance
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)


def _counted(method: str) -> Callable[..., Awaitable[None]]:
    async def send(self: CountingOutput, *args: Any, **kwargs: Any) -> None:
        self.sent += 1
        await getattr(self.inner, method)(*args, **kwargs)

    send.__name__ = method
    return send


# Direct calls (not through send_response) are passed on and counted as well.
for _method in ("send_text_message", "send_image_url", "send_attachment",
                "send_text_with_buttons", "send_quick_replies", "send_elements",
                "send_custom_json"):
    setattr(CountingOutput, _method, _counted(_method))


def no_answer_text(app: Sanic | None) -> str | None:
    """The domain's ``utter_no_answer`` text from the agent the app serves, if there is one."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    domain = getattr(agent, "domain", None)
    variants = (getattr(domain, "responses", None) or {}).get(NO_ANSWER_RESPONSE) or ()
    return next((v["text"] for v in variants if v.get("text")), None)


class AlwaysAnswer:
    """A channel's ``on_new_message``, wrapped. Use it in ``InputChannel.blueprint``::

        guard = AlwaysAnswer(on_new_message)
        return guard.watch(super().blueprint(guard))
    """

    def __init__(self, on_new_message: Handler) -> None:
        self.on_new_message = on_new_message
        self.app: Sanic | None = None

    def watch(self, blueprint: Blueprint) -> Blueprint:
        """Learn the app (and so the agent's domain) when the server starts."""

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self.app = app

        return blueprint

    async def __call__(self, message: UserMessage) -> None:
        counting = CountingOutput(message.output_channel)
        message.output_channel = counting
        await self.on_new_message(message)
        text = (message.text or "").strip()
        if counting.sent or not text or text.startswith("/"):
            return
        apology = no_answer_text(self.app)
        if apology is None:
            logger.error("No reply was sent for a message and the domain has no %s",
                         NO_ANSWER_RESPONSE)
            return
        logger.warning("No reply was sent for a message (is the action server up?); "
                       "sending %s", NO_ANSWER_RESPONSE)
        await counting.inner.send_text_message(message.sender_id, apology)
