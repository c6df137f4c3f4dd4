"""Rasa's own conversation tests: tests/test_stories.yml with --fail-on-prediction-errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import BIN, PROJECT, base_env, latest_model, write_endpoints

pytestmark = pytest.mark.e2e


def test_story_conversations_predict_every_step(action_server, e2e_dir: Path) -> None:
    endpoints = write_endpoints(
        e2e_dir / "endpoints-stories.yml", action_server.port, e2e_dir / "stories-tracker.db"
    )
    out = e2e_dir / "story-results"
    result = subprocess.run(
        [str(BIN / "rasa"), "test", "core", "--stories", "tests/test_stories.yml",
         "--model", str(latest_model()), "--endpoints", str(endpoints), "--out", str(out),
         "--fail-on-prediction-errors"],
        cwd=PROJECT, env=base_env(), capture_output=True, text=True, timeout=900,
    )
    failed = out / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-4000:]
    assert result.returncode == 0, f"story predictions failed:\n{details}\n{result.stderr[-3000:]}"
    assert "story" not in (failed.read_text() if failed.exists() else ""), details
