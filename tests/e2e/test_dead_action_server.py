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
DEAD_ACTION_PORT = 0


@pytest.fixture(scope="module")
def rasa_without_actions(tmp_path_factory) -> Iterator[str]:
    """Rasa with an action endpoint where nothing listens (a free port, not yet bound)."""
    folder: Path = tmp_path_factory.mktemp("dead-actions")
    global DEAD_ACTION_PORT
    DEAD_ACTION_PORT = find_free_port()
    endpoints = write_endpoints(folder / "endpoints.yml", DEAD_ACTION_PORT, folder / "t.db")
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


def test_a_plain_response_needs_no_action_server(rasa_without_actions) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    reply = requests.post(f"{rasa_without_actions}/webhooks/rest/webhook", timeout=60,
                          json={"sender": f"s-{uuid.uuid4().hex[:8]}",
                                "message": "are you a bot?"})
    texts = [m.get("text") for m in reply.json()]
    assert texts and texts[0] in [v["text"] for v in domain["responses"]["utter_iamabot"]]


def test_answers_come_back_when_the_action_server_does(rasa_without_actions, tmp_path) -> None:
    action = ServerProcess(
        "action server (late)",
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port",
         str(DEAD_ACTION_PORT)],
        tmp_path / "actions.log", base_env(SANIC_HOST="127.0.0.1"), ROOT, DEAD_ACTION_PORT,
    ).start()
    try:
        action.wait_http(f"{action.url}/health", timeout=120)
        reply = requests.post(f"{rasa_without_actions}/webhooks/rest/webhook", timeout=60,
                              json={"sender": f"s-{uuid.uuid4().hex[:8]}",
                                    "message": "what is operations management"})
        text = " ".join(m.get("text", "") for m in reply.json())
        assert "supervision, planning and redesigning" in text
    finally:
        action.stop()


class _Hung:
    """An "action server" that accepts connections and never answers."""

    def __init__(self) -> None:
        import socket
        import threading

        self.port = find_free_port()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(16)
        self.clients: list = []
        self.open = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.open:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)  # read nothing, answer nothing

    def close(self) -> None:
        self.open = False
        for client in self.clients:
            client.close()
        self.sock.close()


@pytest.fixture(scope="module")
def rasa_with_hung_actions(tmp_path_factory) -> Iterator[tuple[str, _Hung, Path]]:
    folder: Path = tmp_path_factory.mktemp("hung-actions")
    hung = _Hung()
    endpoints = write_endpoints(folder / "endpoints.yml", hung.port, folder / "t.db")
    port = find_free_port()
    process = ServerProcess(
        "rasa server (hung action server)",
        [str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "-m", str(latest_model()),
         "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)],
        folder / "rasa.log", base_env(ACTION_TIMEOUT="3"), ROOT, port,
    ).start()
    try:
        process.wait_http(f"{process.url}/", timeout=180)
        yield process.url, hung, folder
    finally:
        process.stop()
        hung.close()


def test_a_hung_action_server_gets_an_apology_within_five_seconds(rasa_with_hung_actions):
    import time

    url, _, folder = rasa_with_hung_actions
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    apology = domain["responses"]["utter_no_answer"][0]["text"]
    started = time.monotonic()
    reply = requests.post(f"{url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": "hung-1", "message": "what is operations management"})
    elapsed = time.monotonic() - started
    assert [m.get("text") for m in reply.json()] == [apology]
    assert elapsed < 5, f"{elapsed:.1f} s"
    log = (folder / "rasa.log").read_text(errors="replace")
    assert "action_answer" in log  # the failure is logged
