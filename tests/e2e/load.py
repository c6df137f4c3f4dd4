"""Scripted conversations for load and replica tests, checked by content.

Every conversation asks the article's questions in groups whose follow-ups depend on the group's
lead ("just 2 please", "and production management?"), and the number of differences asked for
differs between conversations: a reply that went to the wrong conversation, or an answer read
from another conversation's context, fails its check.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

import requests

from tests.e2e.reference import (
    ENTRANCE_EXAMS,
    OM_SECTORS,
    PM_INDUSTRIES,
    PM_QUALIFICATION,
    Turn,
    expected,
    summarize,
)

TURNS = 20
# Which servers to try for a turn, in order (a load balancer's choice and its fallbacks).
Route = Callable[[int], Sequence[str]]


def units(conversation: int) -> list[tuple[Turn, ...]]:
    """The conversation's questions in groups whose follow-ups depend on the group's lead."""
    count = 3 + conversation % 5
    return [
        (Turn(f"give {count} differences between OM and PM", list_items=count),
         Turn("just 2 please", list_items=2)),
        (Turn("which entrance exams for production management", ENTRANCE_EXAMS),),
        (Turn("what is operations management",
              (("supervision, planning and redesigning business operations",),)),
         Turn("and production management?", (("forecasting, planning or marketing",),))),
        (Turn("career sectors of operations management", OM_SECTORS),),
        (Turn("what qualification do I need for production management", PM_QUALIFICATION),
         Turn("which industries recruit production management professionals", PM_INDUSTRIES)),
    ]


def script(conversation: int, length: int = TURNS) -> list[Turn]:
    """``length`` turns: the groups in turn, each conversation starting at a different one."""
    groups = units(conversation)
    start = conversation % len(groups)
    turns = itertools.chain.from_iterable(itertools.cycle(groups[start:] + groups[:start]))
    return list(itertools.islice(turns, length))


def converse(route: Route, sender: str, turns: list[Turn]) -> list[str]:
    """Run one conversation over REST; return its problems (empty when every reply was right).

    A turn goes to ``route(turn number)[0]``; a server that refuses the connection is skipped
    for the next one, as a load balancer does (nginx: ``proxy_next_upstream error``)."""
    problems: list[str] = []
    with requests.Session() as http:
        for number, turn in enumerate(turns):
            texts, error = _ask(http, route(number), sender, turn.text)
            if error:
                problems.append(f"{sender} turn {number} {turn.text!r}: {error}")
                continue
            if summarize(turn, texts) != expected(turn):
                problems.append(f"{sender} turn {number} {turn.text!r}: "
                                f"{summarize(turn, texts)} in {texts!r:.300}")
    return problems




def _ask(http: requests.Session, servers: Sequence[str], sender: str, text: str
         ) -> tuple[list[str], str | None]:
    error = "no server to ask"
    for base_url in servers:
        start = time.monotonic()
        try:
            reply = http.post(f"{base_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=60)
            reply.raise_for_status()
            return [message.get("text", "") for message in reply.json()], None
        except requests.ConnectionError as refused:
            error = f"{base_url} after {time.monotonic() - start:.1f} s: {refused}"
        except (requests.RequestException, ValueError) as failed:
            return [], f"{base_url} after {time.monotonic() - start:.1f} s: {failed}"
    return [], error


def problems_in_tracker(events: list[dict], turns: list[Turn]) -> list[str]:
    """What is wrong with a stored conversation: lost, duplicated, reordered or unanswered
    turns, or events out of time order."""
    problems = []
    said = [e.get("text") for e in events if e.get("event") == "user"]
    if said != [turn.text for turn in turns]:
        problems.append(f"user messages stored {said!r}")
    stamps = [e.get("timestamp") or 0 for e in events]
    if stamps != sorted(stamps):
        problems.append("events out of time order")
    users = [i for i, e in enumerate(events) if e.get("event") == "user"] + [len(events)]
    for here, following in itertools.pairwise(users):
        turn = events[here + 1:following]
        if not any(e.get("event") == "bot" for e in turn):
            problems.append(f"no bot reply stored after {events[here].get('text')!r}")
        if not turn or turn[-1].get("name") != "action_listen":
            problems.append(f"turn {events[here].get('text')!r} not finished")
    return problems
