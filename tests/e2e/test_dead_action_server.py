"""A dead action server: Rasa 3.6 alone would answer nothing; our channels apologise instead."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from tests.e2e.conftest import (
    BIN,
    ROOT,
    ServerProcess,
    base_env,
    find_free_port,
    latest_model,
    write_endpoints,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory) -> Iterator[str]:
    """Rasa with an action endpoint where nothing listens (a free port, never bound)."""
    folder: Path = tmp_path_factory.mktemp("dead-actions")
    endpoints = write_endpoints(folder / "endpoints.yml", find_free_port(), folder / "t.db")
    port = find_free_port()
    process = ServerProcess(
        "rasa server (no action server)",
        [str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "-m", str(latest_model()),
         "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)],
        folder / "rasa.log", base_env(), ROOT, port,
    ).start()
    try:
        process.wait_http(f"{process.url}/", timeout=180)
        yield process.url
    finally:
        process.stop()


def test_a_question_needing_an_action_gets_a_polite_apology(rasa_without_actions) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    apology = domain["responses"]["utter_no_answer"][0]["text"]
    reply = requests.post(f"{rasa_without_actions}/webhooks/rest/webhook", timeout=60,
                          json={"sender": f"s-{uuid.uuid4().hex[:8]}",
                                "message": "what is operations management"})
    assert reply.status_code == 200
    assert [m.get("text") for m in reply.json()] == [apology]


def test_small_talk_needs_no_action_server_and_is_answered_normally(rasa_without_actions) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    reply = requests.post(f"{rasa_without_actions}/webhooks/rest/webhook", timeout=60,
                          json={"sender": f"s-{uuid.uuid4().hex[:8]}", "message": "hello"})
    texts = [m.get("text") for m in reply.json()]
    assert texts and texts[0] in [v["text"] for v in domain["responses"]["utter_greet"]]
