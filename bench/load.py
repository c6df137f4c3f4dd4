"""REST load for the benchmarks: one client in sequence, and N concurrent conversations."""

from __future__ import annotations

import secrets
import statistics
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Timings:
    seconds: tuple[float, ...]
    wall: float
    errors: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall

    def __add__(self, other: Timings) -> Timings:
        return Timings(self.seconds + other.seconds, self.wall + other.wall,
                       self.errors + other.errors)


def turn(http: requests.Session, webhook: str, sender: str, text: str) -> tuple[float, bool]:
    start = time.monotonic()
    try:
        reply = http.post(webhook, json={"sender": sender, "message": text}, timeout=120)
        ok = reply.status_code == 200 and bool(reply.json())
    except (requests.RequestException, ValueError):
        ok = False
    return time.monotonic() - start, ok


def sequential(webhook: str, messages: Sequence[str], rounds: int) -> Timings:
    """One client: ``rounds`` conversations of ``messages``, one turn after the other."""
    seconds, errors = [], 0
    start = time.monotonic()
    with requests.Session() as http:
        for _ in range(rounds):
            sender = "seq-" + secrets.token_hex(4)
            for text in messages:
                took, ok = turn(http, webhook, sender, text)
                seconds.append(took)
                errors += not ok
    return Timings(tuple(seconds), time.monotonic() - start, errors)


def concurrent(webhook: str | Sequence[str], messages: Sequence[str], conversations: int,
               turns: int) -> Timings:
    """``conversations`` clients at once, each a conversation of ``turns`` messages (cycling
    through ``messages`` from a different start). Given several webhooks (replicas), each
    conversation's turns go round them."""
    webhooks = [webhook] if isinstance(webhook, str) else list(webhook)

    def one(number: int) -> tuple[list[float], int]:
        sender = f"load-{number}-{secrets.token_hex(3)}"
        took, errors = [], 0
        with requests.Session() as http:
            for step in range(turns):
                seconds, ok = turn(http, webhooks[(number + step) % len(webhooks)], sender,
                                   messages[(number + step) % len(messages)])
                took.append(seconds)
                errors += not ok
        return took, errors

    start = time.monotonic()
    with ThreadPoolExecutor(conversations) as pool:
        results = list(pool.map(one, range(conversations)))
    wall = time.monotonic() - start
    return Timings(tuple(s for took, _ in results for s in took), wall,
                   sum(e for _, e in results))
