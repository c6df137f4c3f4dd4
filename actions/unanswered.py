"""Record what the bot could not answer (text, channel, intent, confidence, salted sender)."""

from __future__ import annotations

import logging

from rasa_sdk import Tracker

from bot.config import load_settings
from bot.questions.log import QuestionLog

logger = logging.getLogger(__name__)
_log: QuestionLog | None = None


def question_log() -> QuestionLog:
    global _log
    if _log is None:
        _log = QuestionLog.from_settings(load_settings())
    return _log


def log_unanswered(tracker: Tracker, reason: str) -> None:
    """Never lets a logging failure (e.g. a dead database) break the conversation."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    try:
        question_log().record(
            text=message.get("text") or "",
            channel=tracker.get_latest_input_channel() or "unknown",
            sender=tracker.sender_id,
            intent=intent.get("name"),
            confidence=intent.get("confidence"),
            reason=reason,
        )
    except Exception:  # noqa: BLE001 - the answer matters more than the log
        logger.exception("could not record an unanswered question")
