"""Rasa's REST channel (same name and URL, ``/webhooks/rest/webhook``) that always answers:
a message Rasa could not answer (e.g. the action server is down) gets ``utter_no_answer``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from bot.channels.guard import AlwaysAnswer


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guard = AlwaysAnswer(on_new_message)
        return guard.watch(super().blueprint(guard))
