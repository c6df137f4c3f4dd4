"""Rasa's REST channel (same name and URL, ``/webhooks/rest/webhook``), with its input checked.

Rasa 3.6 answers a JSON array with HTTP 500 and a body without a ``message`` string with 200
and an empty list, logging a traceback with local variables. Here a body that is not a JSON
object, or whose ``message`` is not a string, or whose ``sender``/``metadata`` have the wrong
type, gets HTTP 400 with a short reason and one log line. Every accepted message goes through
:class:`bot.channels.guard.AlwaysAnswer`, so it always gets a reply.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import AlwaysAnswer

logger = logging.getLogger(__name__)
MAX_BODY = 100_000  # bytes; a longer body is refused before it is parsed


class BadRequest(ValueError):
    """What is wrong with a request body, in words the client can use."""


def read_body(raw: bytes) -> dict[str, Any]:
    """The checked body: {"sender": str, "message": str, "metadata": dict | None}."""
    if len(raw) > MAX_BODY:
        raise BadRequest(f"the body is larger than {MAX_BODY} bytes")
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest('the body must be a JSON object such as {"sender": "s1", '
                         '"message": "what is OM?"}')
    message = body.get("message")
    if not isinstance(message, str):
        raise BadRequest('"message" must be a string')
    sender = body.get("sender", "default")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > 200:
        raise BadRequest('"sender" must be a non-empty string of at most 200 characters')
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest('"metadata" must be a JSON object')
    return {"sender": sender, "message": message, "metadata": metadata}


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guard = AlwaysAnswer(on_new_message)
        webhook = Blueprint("custom_webhook_RestInput", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = read_body(request.body)
            except BadRequest as error:
                logger.info("REST request refused (400): %s", error)
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            await guard(UserMessage(body["message"], collector, body["sender"],
                                    input_channel=self.name(), metadata=body["metadata"]))
            return response.json(collector.messages)

        return guard.watch(webhook)
