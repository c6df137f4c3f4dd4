"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def isolated_log(tmp_path, monkeypatch):
    """Unanswered questions go to a temporary database, never the developer's var/. Modules
    whose actions log use it with ``pytestmark = pytest.mark.usefixtures("isolated_log")``."""
    import actions.unanswered as unanswered

    monkeypatch.setenv("LOG_DATABASE_URL", f"sqlite:///{tmp_path / 'questions.sqlite'}")
    monkeypatch.setenv("BOT_HASH_SALT", "test-salt")
    monkeypatch.setattr(unanswered, "_log", None)
    yield
    monkeypatch.setattr(unanswered, "_log", None)
