"""The scale path really works: endpoints.scale.yml gives Rasa's own PostgreSQL tracker store
and Redis lock store, on the servers of this machine (127.0.0.1:5432 and :6379)."""

from __future__ import annotations

import asyncio
import socket
import time
import uuid

import pytest

from bot.config import PROJECT_ROOT
from tests.conftest import create_postgres_database

pytestmark = pytest.mark.postgres


def reachable(port: int) -> bool:
    """Something listens on 127.0.0.1:``port`` (Redis for the scale tests)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def scale_endpoints(request, monkeypatch):
    from rasa.core.utils import read_endpoints_from_path
    from sqlalchemy.engine import make_url

    if not reachable(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    url = make_url(create_postgres_database(request))
    monkeypatch.setenv("TRACKER_DB_NAME", url.database)
    monkeypatch.setenv("TRACKER_DB_PASSWORD", "unused-with-trust-auth")
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return read_endpoints_from_path(PROJECT_ROOT / "endpoints.scale.yml")


def test_conversations_are_kept_in_postgresql(scale_endpoints) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    store = TrackerStore.create(scale_endpoints.tracker_store, domain=domain)
    assert type(store).__name__ == "SQLTrackerStore"
    assert store.engine.dialect.name == "postgresql"
    sender = f"student-{uuid.uuid4().hex[:8]}"
    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen"), UserUttered("what is OM", {"name": "ask_definition"})])

    async def round_trip():
        await store.save(tracker)
        return await store.retrieve(sender)

    again = asyncio.run(round_trip())
    assert again.latest_message.text == "what is OM"
    store.engine.dispose()


def test_conversation_locks_live_in_redis(scale_endpoints) -> None:
    from rasa.core.lock_store import LockStore

    store = LockStore.create(scale_endpoints.lock_store)
    assert type(store).__name__ == "RedisLockStore"
    sender = f"student-{uuid.uuid4().hex[:8]}"

    assert store.key_prefix.startswith("careerbot:"), "the configured prefix was ignored"

    async def hold_lock():
        async with store.lock(sender, lock_lifetime=5, wait_time_in_seconds=0.05):
            return store.get_lock(sender), store.red.exists(store.key_prefix + sender)

    lock, stored_in_redis = asyncio.run(hold_lock())
    assert lock is not None and lock.conversation_id == sender
    assert stored_in_redis == 1


def _dead_replica_then_waiter(store, lifetime: float, poll: float) -> float:
    """A ticket never returned (its replica died), then a turn waiting for the lock, polling
    less often than the tickets live: both tickets expire between two polls. Returns how long
    the turn waited, or raises TimeoutError."""
    sender = f"student-{uuid.uuid4().hex[:8]}"
    store.issue_ticket(sender, lifetime)

    async def turn() -> float:
        start = time.monotonic()
        async with store.lock(sender, lock_lifetime=lifetime, wait_time_in_seconds=poll):
            return time.monotonic() - start

    async def bounded() -> float:
        return await asyncio.wait_for(turn(), timeout=4 * poll)

    try:
        return asyncio.run(bounded())
    finally:
        store.delete_lock(sender)


def test_a_turn_goes_ahead_once_a_dead_replicas_ticket_has_expired(scale_endpoints) -> None:
    from rasa.core.lock_store import LockStore, RedisLockStore

    ours = LockStore.create(scale_endpoints.lock_store)
    assert type(ours).__module__ == "bot.stores.lock_store"
    waited = _dead_replica_then_waiter(ours, lifetime=0.5, poll=1.0)
    assert 0.9 < waited < 2.5

    # Rasa's own store waits for ever in the same situation (the bug the subclass fixes).
    rasas = RedisLockStore(host="127.0.0.1", port=6379, db=ours.red.connection_pool
                           .connection_kwargs["db"], key_prefix="careerbottest")
    with pytest.raises(asyncio.TimeoutError):
        _dead_replica_then_waiter(rasas, lifetime=0.5, poll=1.0)
