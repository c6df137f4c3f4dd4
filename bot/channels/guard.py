"""Every user message gets a reply, whatever it is and whatever is down.

All our channels (REST, socket.io, Slack) pass their messages through :class:`AlwaysAnswer`:

* text that is not a string, or has no letter or digit (whitespace, "?!...", emoji only),
  gets ``utter_empty_message`` without going to Rasa; control characters are dropped and a
  huge message is cut (``MAX_CHARS``);
* text starting with "/" is read as text: Rasa would take ``/ask_differences{"count": 999}``
  as an intent with entities, and a student typing ``/restart`` would get silence. Our domain
  sends no buttons, so no "/" payload is trusted;
* a sender sending faster than ``RATE_LIMIT`` (messages per seconds, from the environment) gets
  ``utter_rate_limited`` instead of an answer;
* at most ``CONCURRENT_TURNS`` messages (from the environment, default 4) are processed at once
  per process; the others wait their turn before Rasa starts on them. Rasa's event loop is busy
  with the turns it is processing (NLU, policies, the tracker store all run on it), so with fifty
  messages in flight an action server's answer waited seconds to be read, and Rasa reported a
  healthy action server as timed out. Waiting before the turn keeps the action call's clock
  honest and costs no throughput (the process is CPU-bound either way);
* when Rasa produced no reply at all (the action server down, hung or failing: Rasa 3.6 logs the
  error and goes back to listening) the domain's ``utter_no_answer`` is sent. Rasa's own wait
  for the action server is five minutes; ``ACTION_TIMEOUT`` (seconds, default 4) shortens it
  when the server starts, so a hung action server costs the student seconds, not minutes.

Wording lives in ``domain.yml``, read from the running agent's domain.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import unicodedata
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, Sanic

from bot.channels.action_results import validate_action_results_once

logger = logging.getLogger(__name__)

NO_ANSWER_RESPONSE = "utter_no_answer"
EMPTY_RESPONSE = "utter_empty_message"
RATE_LIMITED_RESPONSE = "utter_rate_limited"
MAX_CHARS = 20_000
DEFAULT_ACTION_TIMEOUT = 4.0
DEFAULT_RATE_LIMIT = "20/60"  # 20 messages a minute per sender
DEFAULT_CONCURRENT_TURNS = 4
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


def response_text(app: Sanic | None, name: str) -> str | None:
    """A response's text from the domain of the agent the app serves, if there is one."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    domain = getattr(agent, "domain", None)
    variants = (getattr(domain, "responses", None) or {}).get(name) or ()
    text = next((v["text"] for v in variants if v.get("text")), None)
    if text and "{topics}" in text:
        text = text.replace("{topics}", "the fields of my source articles")
    return text


def no_answer_text(app: Sanic | None) -> str | None:
    return response_text(app, NO_ANSWER_RESPONSE)


def clean_text(text: Any) -> str:
    """The message as text Rasa should read: a string, no control characters, not huge, and
    never Rasa's "/intent{...}" syntax."""
    if not isinstance(text, str):
        return ""
    text = "".join(" " if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch
                   for ch in text[:MAX_CHARS])
    stripped = text.lstrip()
    if stripped.startswith("/"):
        text = stripped.lstrip("/").strip()
    return text


class RateLimit:
    """At most ``count`` messages per ``seconds`` per sender (a sliding window)."""

    def __init__(self, count: int, seconds: float, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.count = count
        self.seconds = seconds
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> RateLimit | None:
        value = (environ if environ is not None else os.environ).get("RATE_LIMIT",
                                                                     DEFAULT_RATE_LIMIT)
        if value in ("", "0", "off", "none"):
            return None
        count, _, seconds = value.partition("/")
        return cls(int(count), float(seconds or 60))

    def allow(self, sender: str) -> bool:
        now = self._clock()
        seen = self._seen.setdefault(sender, deque())
        while seen and now - seen[0] > self.seconds:
            seen.popleft()
        if len(seen) >= self.count:
            return False
        seen.append(now)
        if len(self._seen) > 10_000:  # forget the quietest senders
            for key in [k for k, v in self._seen.items() if not v][:5_000]:
                del self._seen[key]
        return True


def shorten_action_timeout(environ: dict[str, str] | None = None) -> float:
    """Rasa 3.6 waits five minutes for an action (a constant, not a setting): make it
    ``ACTION_TIMEOUT`` seconds for this server process."""
    import rasa.core.actions.action as action_module

    env = environ if environ is not None else os.environ
    seconds = float(env.get("ACTION_TIMEOUT") or DEFAULT_ACTION_TIMEOUT)
    action_module.DEFAULT_REQUEST_TIMEOUT = seconds
    return seconds


_turn_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def turn_slots(environ: dict[str, str] | None = None) -> asyncio.Semaphore:
    """The running event loop's limit on messages processed at once (shared by all channels)."""
    loop = asyncio.get_running_loop()
    slots = _turn_slots.get(loop)
    if slots is None:
        env = environ if environ is not None else os.environ
        slots = asyncio.Semaphore(max(1, int(env.get("CONCURRENT_TURNS")
                                              or DEFAULT_CONCURRENT_TURNS)))
        _turn_slots.clear()  # a new loop (a restarted server, a test): forget the old ones
        _turn_slots[loop] = slots
    return slots


class AlwaysAnswer:
    """A channel's ``on_new_message``, wrapped. Use it in ``InputChannel.blueprint``::

        guard = AlwaysAnswer(on_new_message)
        return guard.watch(super().blueprint(guard))
    """

    def __init__(self, on_new_message: Handler, rate_limit: RateLimit | None = None) -> None:
        self.on_new_message = on_new_message
        self.app: Sanic | None = None
        self.rate_limit = rate_limit if rate_limit is not None else RateLimit.from_env()

    def watch(self, blueprint: Blueprint) -> Blueprint:
        """Learn the app (and so the agent's domain) when the server starts."""

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self.app = app
            shorten_action_timeout()
            validate_action_results_once()

        return blueprint

    async def _say(self, output: OutputChannel, sender: str, response: str) -> None:
        text = response_text(self.app, response)
        if text is None:
            logger.error("The domain has no %s", response)
            return
        await output.send_text_message(sender, text)

    async def __call__(self, message: UserMessage) -> None:
        counting = CountingOutput(message.output_channel)
        message.output_channel = counting
        message.text = clean_text(message.text)
        if not any(ch.isalnum() for ch in message.text):
            await self._say(counting.inner, message.sender_id, EMPTY_RESPONSE)
            return
        if self.rate_limit is not None and not self.rate_limit.allow(str(message.sender_id)):
            logger.warning("rate limit: a message from one sender was not answered")
            await self._say(counting.inner, message.sender_id, RATE_LIMITED_RESPONSE)
            return
        try:
            async with turn_slots():
                await self.on_new_message(message)
        except Exception as error:  # noqa: BLE001 - the student gets an apology, not silence
            logger.error("answering a message failed: %s: %s", type(error).__name__, error)
        if counting.sent:
            return
        logger.warning("No reply was sent for a message (is the action server up?); "
                       "sending %s", NO_ANSWER_RESPONSE)
        await self._say(counting.inner, message.sender_id, NO_ANSWER_RESPONSE)
