"""Scripted conversations for load and replica tests, checked by content.

Every conversation asks the article's questions in groups whose follow-ups depend on the group's
lead ("just 2 please", "and production management?"), and the number of differences asked for
differs between conversations: a reply that went to the wrong conversation, or an answer read
from another conversation's context, fails its check.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence

import requests
import urllib3

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


def converse(route: Route, sender: str, turns: list[Turn], resent: set[int] | None = None
             ) -> list[str]:
    """Run one conversation over REST; return its problems (empty when every reply was right).

    A turn goes to ``route(turn number)[0]``; a server that refuses the connection is skipped
    for the next one, as a load balancer does (nginx: ``proxy_next_upstream error``). A turn
    whose connection broke after it was sent (the server died while answering) is sent again
    to the next server, as the student would press send again; its number goes to ``resent``
    (the dead server may have stored it: at least once, never lost)."""
    problems: list[str] = []
    with requests.Session() as http:
        for number, turn in enumerate(turns):
            texts, error, again = _ask(http, route(number), sender, turn.text)
            if again and resent is not None:
                resent.add(number)
            if error:
                problems.append(f"{sender} turn {number} {turn.text!r}: {error}")
                continue
            if summarize(turn, texts) != expected(turn):
                problems.append(f"{sender} turn {number} {turn.text!r}: "
                                f"{summarize(turn, texts)} in {texts!r:.300}")
    return problems




def _ask(http: requests.Session, servers: Sequence[str], sender: str, text: str
         ) -> tuple[list[str], str | None, bool]:
    """The reply's texts, an error, and whether the message was sent again after a server
    took it and died."""
    error, again = "no server to ask", False
    for base_url in servers:
        start = time.monotonic()
        try:
            reply = http.post(f"{base_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=60)
            reply.raise_for_status()
            return [message.get("text", "") for message in reply.json()], None, again
        except requests.ConnectionError as broken:
            error = f"{base_url} after {time.monotonic() - start:.1f} s: {broken}"
            again = again or not _refused(broken)
        except (requests.RequestException, ValueError) as failed:
            return [], f"{base_url} after {time.monotonic() - start:.1f} s: {failed}", again
    return [], error, again


def _refused(error: requests.ConnectionError) -> bool:
    """The connection was never made (nothing was sent), as opposed to broken mid-request."""
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def problems_in_tracker(events: list[dict], turns: list[Turn], resent: Iterable[int] = ()
                        ) -> list[str]:
    """What is wrong with a stored conversation: lost, duplicated, reordered or unanswered
    turns, or events out of time order. A turn in ``resent`` may be stored twice in a row."""
    problems = []
    said = [e.get("text") for e in events if e.get("event") == "user"]
    resent = sorted(set(resent))
    allowed = [[turn.text for n, turn in enumerate(turns)
                for _ in range(1 + dict(zip(resent, twice, strict=True)).get(n, 0))]
               for twice in itertools.product((0, 1), repeat=len(resent))]
    if said not in allowed:
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
