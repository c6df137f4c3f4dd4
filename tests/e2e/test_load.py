"""Load on loopback: 50 concurrent conversations of 20 turns each over REST (issue "Robustness").

Bounded in count (1,000 turns) and time (``DEADLINE``). Zero errors, and no cross-talk, checked
by content: every reply holds its own question's source facts (the number of differences asked
for differs between conversations, and follow-ups such as "just 2 please" or "and production
management?" are read from the conversation's own context). Afterwards every tracker holds its
conversation's messages exactly once, in order. Speed is measured by ``make bench``, not here.
"""

from __future__ import annotations

import secrets
import time
from concurrent.futures import ThreadPoolExecutor, wait

import pytest

from tests.e2e.load import TURNS, converse, problems_in_tracker, script

pytestmark = pytest.mark.e2e

CONVERSATIONS = 50
DEADLINE = 420.0  # seconds for the whole load; a turn that takes longer than 60 s is an error


def test_50_conversations_of_20_turns_at_once(rasa_server):
    senders = [f"load-{n:02d}-{secrets.token_hex(4)}" for n in range(CONVERSATIONS)]
    scripts = {sender: script(n) for n, sender in enumerate(senders)}
    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        route = lambda _turn: (rasa_server.base_url,)  # noqa: E731
        futures = [pool.submit(converse, route, s, scripts[s]) for s in senders]
        done, not_done = wait(futures, timeout=DEADLINE)
        assert not not_done, f"{len(not_done)} conversations unfinished after {DEADLINE:.0f} s"
    elapsed = time.monotonic() - started
    problems = [problem for future in done for problem in future.result()]
    assert not problems, f"{len(problems)} bad turns, e.g.:\n" + "\n".join(problems[:10])

    stored = [f"{s}: {p}" for s in senders
              for p in problems_in_tracker(rasa_server.tracker(s)["events"], scripts[s])]
    assert not stored, "\n".join(stored[:10])
    print(f"{CONVERSATIONS * TURNS} turns in {elapsed:.1f} s "
          f"({CONVERSATIONS * TURNS / elapsed:.1f} turns/s, not a benchmark)")
