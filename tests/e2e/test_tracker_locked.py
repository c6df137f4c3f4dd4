"""A briefly locked tracker database loses no turn (issue "Robustness", faults).

Another process (a backup, an operator's sqlite3 shell) holds an exclusive lock on the SQLite
tracker store while a student asks. endpoints.yml gives the store a 15 s busy timeout, so the turn
waits for the lock instead of failing: the reply comes once the lock is gone, and the tracker
holds every turn exactly once, in order.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

pytestmark = pytest.mark.e2e

DEFINITION = "supervision, planning and redesigning business operations"
LOCKED_FOR = 3.0  # seconds; well inside the store's busy timeout


def test_a_briefly_locked_tracker_database_loses_no_turn(rasa_server):
    store = yaml.safe_load(rasa_server.endpoints.read_text())["tracker_store"]
    assert float(store["query"]["timeout"]) > LOCKED_FOR
    sender = f"student-{uuid.uuid4().hex[:8]}"
    first = "which entrance exams for production management"
    assert rasa_server.rest(sender, first)

    question = "what is operations management"
    holder = sqlite3.connect(store["db"], timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with ThreadPoolExecutor(1) as pool:
            turn = pool.submit(rasa_server.rest, sender, question)
            time.sleep(LOCKED_FOR)
            assert not turn.done(), "the turn did not wait for the locked database"
            holder.execute("COMMIT")
            replies = turn.result(timeout=60)
    finally:
        holder.close()

    assert DEFINITION in "\n".join(r.get("text", "") for r in replies)
    events = rasa_server.tracker(sender)["events"]
    assert [e["text"] for e in events if e.get("event") == "user"] == [first, question]
    assert events[-1].get("event") == "action" and events[-1].get("name") == "action_listen"
    # The reply sent is the reply stored, after the question (REST splits at blank lines).
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    stored = "\n\n".join(e.get("text") or "" for e in events[last_user:] if e.get("event") == "bot")
    assert all(r.get("text", "") in stored for r in replies)
