"""Rasa's Slack channel, configured from the environment and fixed where Rasa 3.6 falls short.

Configuration comes from environment variables, never from ``credentials.yml``:
``SLACK_BOT_TOKEN`` (xoxb-...), ``SLACK_SIGNING_SECRET`` and, for tests, ``SLACK_API_BASE_URL``
(a local fake of the Slack Web API). Without the token or the secret the channel still loads, so
plain ``rasa run`` and ``rasa shell`` work, but the webhook answers 503 and says why in the log.

What differs from :class:`rasa.core.channels.slack.SlackInput` (all measured on Rasa 3.6.21):

* Every delivery of an event is handled once, keyed by ``event_id`` (and by the message's channel
  and ``ts``, in case one message arrives as two event types). Rasa drops only retries whose
  ``X-Slack-Retry-Reason`` is ``http_timeout`` and answers the others again, and it drops such a
  retry even when the first delivery never arrived.
* ``Content-Type: application/json; charset=utf-8`` is accepted (Rasa compares the header with
  ``==`` and silently ignores such requests).
* Replies go into the thread only when the user wrote in a thread (``thread_ts``), or always in
  channels if ``use_threads: true``; answers are converted to Slack mrkdwn and sent as one message
  per bot utterance (Rasa splits at blank lines, which breaks lists and tables apart).
* The URL-verification challenge is answered as ``{"challenge": ...}``.

Signature and timestamp checks are Rasa's own (:meth:`is_request_from_slack_authentic`). The
dedupe memory is per process: with several Rasa instances behind a load balancer, put it in Redis.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.guard import AlwaysAnswer
from bot.channels.markup import markdown_to_mrkdwn

logger = logging.getLogger(__name__)

ENV_TOKEN = "SLACK_BOT_TOKEN"
ENV_SIGNING_SECRET = "SLACK_SIGNING_SECRET"
ENV_API_BASE_URL = "SLACK_API_BASE_URL"
# Slack retries after 0 s, 1 min and 5 min; an hour covers them with room to spare.
DEDUPE_SECONDS = 3600
DEDUPE_MAX_ENTRIES = 10_000
# Message subtypes that are still a person talking to the bot; all others (edits, joins,
# bot messages ...) are ignored.
_USER_SUBTYPES = {None, "thread_broadcast", "file_share"}
_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")


class SlackOutput(SlackBot):
    """Posts the bot's answers as Slack mrkdwn, one message per utterance, to any API base URL."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        base_url: str | None = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if base_url:
            self.client = AsyncWebClient(token, base_url=base_url, proxy=proxy)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._post_message(
            channel=self.slack_channel or recipient_id,
            text=markdown_to_mrkdwn(text.strip()),
            mrkdwn=True,
        )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) > 5:  # Slack's limit; Rasa falls back to text the same way
            await self.send_text_message(recipient_id, text)
            return
        mrkdwn = markdown_to_mrkdwn(text.strip())
        await self._post_message(
            channel=self.slack_channel or recipient_id,
            text=mrkdwn,
            blocks=[
                {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": button["title"]},
                            "value": button["payload"],
                        }
                        for button in buttons
                    ],
                },
            ],
        )


class EventDeduplicator:
    """Remembers recently seen keys for a while; ``first_time`` is true once per key."""

    def __init__(self, ttl_seconds: float = DEDUPE_SECONDS, max_entries: int = DEDUPE_MAX_ENTRIES):
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, *keys: str | None, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        while self._seen and (
            len(self._seen) > self.max_entries
            or next(iter(self._seen.values())) < now - self.ttl_seconds
        ):
            self._seen.popitem(last=False)
        present = [key for key in keys if key]
        if any(key in self._seen for key in present):
            return False
        for key in present:
            self._seen[key] = now
        return True


class SlackInput(RasaSlackInput):
    """The Slack channel: ``bot.channels.slack.SlackInput`` in credentials.yml."""

    @classmethod
    def from_credentials(
        cls,
        credentials: Mapping[str, Any] | None,
        environ: Mapping[str, str] | None = None,
    ) -> InputChannel:
        """Secrets from the environment; behaviour options (threads, granularity) from YAML."""
        credentials = dict(credentials or {})
        env = os.environ if environ is None else environ
        for key in ("slack_token", "slack_signing_secret"):
            if credentials.get(key):
                logger.warning(
                    "Ignoring '%s' in credentials.yml: secrets come from %s and %s.",
                    key, ENV_TOKEN, ENV_SIGNING_SECRET,
                )
        return cls(
            slack_token=env.get(ENV_TOKEN, ""),
            slack_signing_secret=env.get(ENV_SIGNING_SECRET, ""),
            slack_channel=credentials.get("slack_channel"),
            proxy=credentials.get("proxy"),
            use_threads=bool(credentials.get("use_threads", False)),
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            api_base_url=env.get(ENV_API_BASE_URL) or None,
        )

    def __init__(
        self,
        slack_token: str,
        slack_channel: str | None = None,
        proxy: str | None = None,
        use_threads: bool = False,
        slack_signing_secret: str = "",
        conversation_granularity: str = "sender",
        api_base_url: str | None = None,
    ) -> None:
        self.configured = bool(slack_token and slack_signing_secret)
        super().__init__(
            slack_token,
            slack_channel=slack_channel,
            proxy=proxy,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            errors_ignore_retry=[],
            use_threads=use_threads,
            slack_signing_secret=slack_signing_secret,
            conversation_granularity=conversation_granularity,
        )
        if api_base_url and not api_base_url.endswith("/"):
            api_base_url += "/"
        self.api_base_url = api_base_url
        self.deduplicator = EventDeduplicator()
        if not self.configured:
            logger.info(
                "Slack channel not configured (%s / %s unset): its webhook answers 503.",
                ENV_TOKEN, ENV_SIGNING_SECRET,
            )

    @staticmethod
    def _is_user_message(slack_event: dict[str, Any]) -> bool:
        """A person's message or mention, with or without text: Rasa's own check drops one with
        no text (a file shared without a caption) in silence; ours gets the guard's polite
        "I didn't get any text there"."""
        event = slack_event.get("event") or {}
        return (event.get("type") in ("message", "app_mention") and bool(event.get("user"))
                and not event.get("bot_id"))

    def _validate_credentials(self) -> None:
        # Rasa raises without a signing secret; we load anyway and refuse requests instead.
        if self.configured:
            super()._validate_credentials()

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        return SlackOutput(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy,
            base_url=self.api_base_url,
        )

    def get_metadata(self, request: Request) -> dict[str, Any]:
        payload = _parse_body(request)
        if payload is None:
            return {}
        if "event" in payload or _media_type(request) == "application/json":
            return self._event_metadata(payload)
        return self._interactive_metadata(payload)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)
        on_new_message = guard = AlwaysAnswer(on_new_message)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.configured else "not configured"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self.handle_request(request, on_new_message)

        return guard.watch(slack_webhook)

    async def handle_request(
        self, request: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """One Events API / interactivity request; ``request`` needs ``headers`` and ``body``."""
        if not self.configured:
            logger.error(
                "Slack request refused: set %s and %s to enable the Slack channel.",
                ENV_TOKEN, ENV_SIGNING_SECRET,
            )
            return response.text("Slack channel not configured", status=503)
        if not self.is_request_from_slack_authentic(request):
            return response.text(
                "Message is not properly signed with a valid X-Slack-Signature header",
                status=HTTPStatus.BAD_REQUEST,
            )
        payload = _parse_body(request)
        if payload is None:
            return response.text("Unsupported or malformed body", status=HTTPStatus.BAD_REQUEST)
        if payload.get("type") == "url_verification":
            return response.json({"challenge": payload.get("challenge", "")})
        if "event" in payload:
            return await self._handle_event(request, payload, on_new_message)
        return await self._handle_interaction(request, payload, on_new_message)

    async def _handle_event(
        self,
        request: Any,
        payload: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        event = payload.get("event") or {}
        if not self._is_user_message(payload) or event.get("subtype") not in _USER_SUBTYPES:
            return response.text("Not a user message: skipped.")
        metadata = self._event_metadata(payload)
        if not self._is_supported_channel(payload, metadata):
            logger.debug("Slack message in unsupported channel %s skipped", metadata["out_channel"])
            return response.text("Channel not supported.")
        message_key = f"{event.get('channel')}:{event.get('ts')}" if event.get("ts") else None
        if not self.deduplicator.first_time(payload.get("event_id"), message_key):
            logger.info(
                "Slack event %s delivered again (retry %s, reason %s): already handled",
                payload.get("event_id"),
                request.headers.get("x-slack-retry-num"),
                request.headers.get("x-slack-retry-reason"),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        text = self._sanitize_user_message(event.get("text", ""), metadata["users"])
        if event.get("type") == "app_mention":
            text = _LEADING_MENTION.sub("", text)
        text = _unescape(text)
        sender_id = self._get_conversation_id(
            event.get("user", ""), metadata["out_channel"], metadata["thread_id"]
        )
        return self._start(on_new_message, text, sender_id, metadata)

    async def _handle_interaction(
        self,
        request: Any,
        payload: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        if not self._is_interactive_message(payload):
            return response.text(
                "The input message could not be processed.",
                status=HTTPStatus.INTERNAL_SERVER_ERROR,
            )
        text = self._get_interactive_response(payload["actions"][0])
        if text is None:
            return response.text("Nothing to do for this interaction.")
        metadata = self._interactive_metadata(payload)
        sender_id = self._get_conversation_id(
            payload.get("user", {}).get("id"), metadata["out_channel"], metadata["thread_id"]
        )
        return self._start(on_new_message, text, sender_id, metadata)

    def _start(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str | None,
        metadata: dict[str, Any],
    ) -> HTTPResponse:
        """Answer Slack at once (it retries after 3 s) and handle the message in the background."""
        message = UserMessage(
            text,
            self.get_output_channel(metadata["out_channel"], metadata["thread_id"]),
            sender_id,
            input_channel=self.name(),
            metadata=metadata,
        )
        task = asyncio.create_task(_logged(on_new_message(message), sender_id))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return response.text("")

    def _event_metadata(self, payload: dict[str, Any]) -> dict[str, Any]:
        event = payload.get("event") or {}
        thread_id = event.get("thread_ts")
        if thread_id is None and self.use_threads and event.get("channel_type") != "im":
            thread_id = event.get("ts")
        users = list(payload.get("authed_users") or [])
        if not users and payload.get("authorizations"):
            users.append(payload["authorizations"][0].get("user_id"))
        return {"out_channel": event.get("channel"), "thread_id": thread_id, "users": users}

    @staticmethod
    def _interactive_metadata(payload: dict[str, Any]) -> dict[str, Any]:
        message = payload.get("message") or {}
        user_id = (payload.get("user") or {}).get("id")
        return {
            "out_channel": (payload.get("channel") or {}).get("id"),
            "thread_id": message.get("thread_ts"),
            "users": [user_id] if user_id else [],
        }


def _media_type(request: Any) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def _parse_body(request: Any) -> dict[str, Any] | None:
    """JSON events or form-encoded interactivity payloads, whatever the charset parameter says."""
    media_type = _media_type(request)
    try:
        body = request.body.decode("utf-8")
        if media_type == "application/json":
            parsed = json.loads(body)
        elif media_type == "application/x-www-form-urlencoded":
            parsed = json.loads(parse_qs(body)["payload"][0])
        else:
            return None
    except (UnicodeDecodeError, ValueError, KeyError, IndexError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _unescape(text: str) -> str:
    # Slack escapes exactly these three in message text.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def _logged(handling: Awaitable[Any], sender_id: str | None) -> None:
    try:
        await handling
    except Exception:  # a background task's error would otherwise vanish
        logger.exception("Handling a Slack message from %s failed", sender_id)
