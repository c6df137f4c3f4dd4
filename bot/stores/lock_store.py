"""Rasa's Redis lock store, without its wait-forever after a replica dies.

Rasa serialises the turns of one conversation with a ticket lock: each turn takes a ticket that
expires after ``TICKET_LOCK_LIFETIME`` seconds and waits while ``now_serving`` is not its own
number. When a replica dies mid-turn its ticket is never returned; the next turn, on another
replica, waits for it to expire, polling once a second. If the waiting turn's own ticket expires
between two polls as well (both tickets were issued within a second of each other, and both
live as long), the lock holds no ticket, ``now_serving`` is 0, and Rasa 3.6 waits for ever:
found by tests/e2e/test_replicas.py (a turn lost after a replica was killed),
reproduced in tests/integration/test_scale_stores.py.

Here a turn waits only while an earlier ticket is still alive, so it goes ahead once the dead
replica's ticket has expired, whatever became of its own.

    lock_store:
      type: bot.stores.lock_store.RedisLockStore
      url: 127.0.0.1   # then Rasa's own settings: port, db, key_prefix, password, ...
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore


class RedisLockStore(RasaRedisLockStore):
    def __init__(self, endpoint_config: Any = None, **settings: Any) -> None:
        if endpoint_config is not None:  # how Rasa creates a lock store named by module path
            settings = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**settings)

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None or not earlier_live_tickets(lock, ticket):
                return lock or TicketLock(conversation_id)
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)


def earlier_live_tickets(lock: TicketLock, ticket: int) -> list[int]:
    """Numbers of the unexpired tickets issued before ``ticket``."""
    return [t.number for t in lock.tickets if t.number < ticket and not t.has_expired()]
