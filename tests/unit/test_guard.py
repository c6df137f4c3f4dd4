"""Every message gets a reply: the channel guard's rules, on a fake Rasa."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guard import AlwaysAnswer, RateLimit, clean_text, shorten_action_timeout

APOLOGY = "Sorry, something went wrong on my side."
EMPTY = "I didn't get any text there."
SLOW_DOWN = "Please wait a few seconds."


def fake_app() -> SimpleNamespace:
    domain = SimpleNamespace(responses={
        "utter_no_answer": [{"text": APOLOGY}], "utter_empty_message": [{"text": EMPTY}],
        "utter_rate_limited": [{"text": SLOW_DOWN}]})
    return SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(domain=domain)))


def send(text, reply: str | None, guard: AlwaysAnswer | None = None,
         seen: list | None = None) -> list[dict]:
    async def on_new_message(message: UserMessage) -> None:
        if seen is not None:
            seen.append(message.text)
        if reply:
            await message.output_channel.send_text_message(message.sender_id, reply)

    guard = guard or AlwaysAnswer(on_new_message, rate_limit=RateLimit(100, 60))
    guard.on_new_message = on_new_message
    guard.app = fake_app()
    collector = CollectingOutputChannel()
    asyncio.run(guard(UserMessage(text, collector, "student-1")))
    return collector.messages


def test_a_message_rasa_did_not_answer_gets_the_domain_apology() -> None:
    assert [m["text"] for m in send("what is OM", None)] == [APOLOGY]


def test_an_answered_message_gets_only_its_answer() -> None:
    assert [m["text"] for m in send("what is OM", "Operations management is ...")] == [
        "Operations management is ..."]


@pytest.mark.parametrize("text", ["", "   ", "\t\n", None, "\x00\x01", "?!...", "🙂🙂🙂"])
def test_empty_or_not_text_gets_a_polite_note_without_bothering_rasa(text) -> None:
    seen: list = []
    assert [m["text"] for m in send(text, "never", seen=seen)] == [EMPTY]
    assert seen == []


@pytest.mark.parametrize(("typed", "read"), [
    ("/restart", "restart"),
    ('/ask_differences{"count": "999"}', 'ask_differences{"count": "999"}'),
    ("  //greet", "greet"),
    ("what is OM\x07?", "what is OM ?"),
])
def test_rasas_intent_syntax_and_control_characters_are_read_as_text(typed, read) -> None:
    seen: list = []
    send(typed, "ok", seen=seen)
    assert seen == [read]


def test_a_huge_message_is_cut_before_rasa_reads_it() -> None:
    assert len(clean_text("x" * 100_000)) == 20_000


def test_a_sender_over_the_rate_limit_is_asked_to_wait() -> None:
    now = [0.0]
    limit = RateLimit(3, 10, clock=lambda: now[0])
    guard = AlwaysAnswer(lambda m: None, rate_limit=limit)
    replies = [send(f"q{i}", "answer", guard=guard)[0]["text"] for i in range(4)]
    assert replies == ["answer", "answer", "answer", SLOW_DOWN]
    now[0] = 11.0
    assert send("q5", "answer", guard=guard)[0]["text"] == "answer"


def test_the_rate_limit_comes_from_the_environment() -> None:
    assert RateLimit.from_env({"RATE_LIMIT": "5/30"}).count == 5
    assert RateLimit.from_env({"RATE_LIMIT": "off"}) is None


def test_a_failing_rasa_gets_the_apology_not_an_error() -> None:
    async def broken(message: UserMessage) -> None:
        raise RuntimeError("boom")

    guard = AlwaysAnswer(broken, rate_limit=None)
    guard.app = fake_app()
    collector = CollectingOutputChannel()
    asyncio.run(guard(UserMessage("what is OM", collector, "student-1")))
    assert [m["text"] for m in collector.messages] == [APOLOGY]


def test_the_wait_for_the_action_server_is_shortened() -> None:
    import rasa.core.actions.action as action_module

    before = action_module.DEFAULT_REQUEST_TIMEOUT
    try:
        assert shorten_action_timeout({"ACTION_TIMEOUT": "2.5"}) == 2.5
        assert action_module.DEFAULT_REQUEST_TIMEOUT == 2.5
    finally:
        action_module.DEFAULT_REQUEST_TIMEOUT = before


def test_without_a_domain_nothing_is_invented() -> None:
    async def silent(message: UserMessage) -> None:
        return None

    guard = AlwaysAnswer(silent, rate_limit=None)
    collector = CollectingOutputChannel()
    asyncio.run(guard(UserMessage("hello", collector, "student-1")))
    assert collector.messages == []


def test_messages_wait_for_a_free_turn_slot_and_every_one_is_answered(monkeypatch) -> None:
    monkeypatch.setenv("CONCURRENT_TURNS", "2")
    busy, most = 0, 0

    async def on_new_message(message: UserMessage) -> None:
        nonlocal busy, most
        busy += 1
        most = max(most, busy)
        await asyncio.sleep(0.02)
        busy -= 1
        await message.output_channel.send_text_message(message.sender_id, message.text)

    guard = AlwaysAnswer(on_new_message, rate_limit=None)
    guard.app = fake_app()

    async def many() -> list[list[dict]]:
        collectors = [CollectingOutputChannel() for _ in range(7)]
        await asyncio.gather(*(guard(UserMessage(f"question {n}", c, f"student-{n}"))
                               for n, c in enumerate(collectors)))
        return [c.messages for c in collectors]

    replies = asyncio.run(many())
    assert most == 2
    assert [[m["text"] for m in r] for r in replies] == [[f"question {n}"] for n in range(7)]
