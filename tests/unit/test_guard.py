"""Every message gets a reply: the channel guard apologises when Rasa sent nothing."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guard import AlwaysAnswer

APOLOGY = "Sorry, something went wrong on my side."


def fake_app() -> SimpleNamespace:
    domain = SimpleNamespace(responses={"utter_no_answer": [{"text": APOLOGY}]})
    return SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(domain=domain)))


def send(text: str, reply: str | None) -> list[dict]:
    async def on_new_message(message: UserMessage) -> None:
        if reply:
            await message.output_channel.send_text_message(message.sender_id, reply)

    guard = AlwaysAnswer(on_new_message)
    guard.app = fake_app()
    collector = CollectingOutputChannel()
    asyncio.run(guard(UserMessage(text, collector, "student-1")))
    return collector.messages


def test_a_message_rasa_did_not_answer_gets_the_domain_apology() -> None:
    assert [m["text"] for m in send("what is OM", None)] == [APOLOGY]


def test_an_answered_message_gets_only_its_answer() -> None:
    assert [m["text"] for m in send("what is OM", "Operations management is ...")] == [
        "Operations management is ..."]


def test_commands_and_empty_messages_may_stay_silent() -> None:
    assert send("/restart", None) == []
    assert send("   ", None) == []


def test_without_a_domain_apology_nothing_is_invented() -> None:
    async def silent(message: UserMessage) -> None:
        return None

    guard = AlwaysAnswer(silent)
    collector = CollectingOutputChannel()
    asyncio.run(guard(UserMessage("hello", collector, "student-1")))
    assert collector.messages == []
