"""Real servers on free loopback ports, started once per test session and shared by all e2e tests.

* ``action_server``: ``rasa run actions`` (SANIC_HOST=127.0.0.1) with the project's actions;
* ``fake_slack``: a fake Slack Web API on 127.0.0.1 recording ``chat.postMessage`` calls;
* ``embed_sites``: two local "other sites" for the embedding snippet, one of them allowed;
* ``rasa_server``: ``rasa run --enable-api`` with the newest model in ``models/`` (``make train``),
  the project's ``credentials.yml``, and an endpoints file generated from ``endpoints.yml`` with the
  action server's port and a temporary SQLite tracker store; Slack is configured through the
  environment to sign with a test secret and to post to ``fake_slack``, and one embedding site is
  in ``CHAT_ALLOWED_ORIGINS``;
* ``rasa_shell``: ``rasa shell`` driven by pexpect, started on first use.

Every process runs in its own process group, which is killed in the fixture's finalizer. When a
test fails, the tails of the server logs are attached to its report.

``E2E_PROJECT_DIR`` (development only) takes the model and the actions from another Rasa project,
e.g. a small stand-in bot, while the channels and credentials stay this repository's.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import yaml

from tests.conftest import trained_model

ROOT = Path(__file__).resolve().parents[2]
PROJECT = Path(os.environ.get("E2E_PROJECT_DIR") or ROOT).resolve()
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\r")
_RUNNING: list[ServerProcess] = []


def find_free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        SANIC_HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    env.update(extra)
    return env


@dataclass
class ServerProcess:
    """A child process in its own process group, logging to a file."""

    name: str
    args: list[str]
    log_path: Path
    env: dict[str, str]
    cwd: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.args, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        _RUNNING.append(self)
        return self

    def wait_http(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        pytest.fail(f"{self.name} not ready after {timeout:.0f} s ({url}):\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(_ANSI.sub("", text).splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        stop_group(self.process.pid, self.process.wait)
        if self in _RUNNING:
            _RUNNING.remove(self)


def stop_group(pid: int, wait: Callable[..., Any]) -> None:
    """SIGTERM the process group, SIGKILL it after 10 s, and wait until the leader is gone."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        try:
            wait(timeout=grace)
            return
        except Exception:  # subprocess.TimeoutExpired, or TimeoutError from _wait_pexpect
            continue


def latest_model() -> Path:
    return trained_model()


def write_endpoints(path: Path, action_port: int, tracker_db: Path) -> Path:
    """The project's endpoints.yml with this session's action port and tracker database."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
    endpoints["tracker_store"] = {**endpoints["tracker_store"], "db": str(tracker_db)}
    path.write_text(yaml.safe_dump(endpoints))
    return path


# -- fake Slack Web API ---------------------------------------------------------------------------


class FakeSlackApi:
    """Records Web API calls (``POST /api/<method>``) and answers like Slack does."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                kind = (self.headers.get("content-type") or "").split(";")[0]
                if kind == "application/json":
                    params = json.loads(body or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                method = self.path.rsplit("/", 1)[-1]
                call = {
                    "method": method,
                    "params": params,
                    "authorization": self.headers.get("authorization"),
                    "at": time.time(),
                }
                with fake._lock:
                    fake.calls.append(call)
                reply = {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """``chat.postMessage`` parameters, oldest first, optionally for one channel."""
        with self._lock:
            return [
                call["params"]
                for call in self.calls
                if call["method"] == "chat.postMessage"
                and (channel is None or call["params"].get("channel") == channel)
            ]

    def wait_for_messages(self, channel: str, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(channel)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.messages(channel)


class StaticSite:
    """A stand-in for a site that embeds the widget: serves ``pages`` (path -> HTML)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                page = site.pages.get(self.path.split("?")[0])
                data = (page or "not found").encode()
                self.send_response(200 if page is not None else 404)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def embed_sites() -> Iterator[dict[str, StaticSite]]:
    """Two sites embedding the widget: "allowed" (in CHAT_ALLOWED_ORIGINS) and "foreign"."""
    sites = {"allowed": StaticSite(), "foreign": StaticSite()}
    yield sites
    for site in sites.values():
        site.close()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlackApi]:
    fake = FakeSlackApi()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


# -- Rasa and the action server -------------------------------------------------------------------


@dataclass
class RasaServer:
    base_url: str
    token: str
    process: ServerProcess
    model: Path
    endpoints: Path
    slack_signing_secret: str
    slack_bot_token: str
    session: requests.Session = field(default_factory=requests.Session)

    def rest(self, sender: str, text: str) -> list[dict[str, Any]]:
        """The bot's messages for one user message through the REST channel."""
        reply = self.session.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        reply.raise_for_status()
        return reply.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        reply = self.session.get(
            f"{self.base_url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        reply.raise_for_status()
        return reply.json()

    def last_turn(self, sender: str) -> list[tuple[str | None, str]]:
        """(response name, text) of each bot message after the sender's last message."""
        events = self.tracker(sender).get("events", [])
        users = [i for i, e in enumerate(events) if e.get("event") == "user"]
        after = events[users[-1] + 1:] if users else []
        return [((e.get("metadata") or {}).get("utter_action"), e.get("text") or "")
                for e in after if e.get("event") == "bot"]

    def wait_turn(self, sender: str, text: str, timeout: float = 30) -> list[str]:
        """Wait until the bot has answered ``text`` (last user message of ``sender``) and is
        listening again; return the texts it uttered for that turn. Messages are sent before the
        tracker is saved, so a finished turn means every reply has left the server."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.tracker(sender).get("events", [])
            users = [i for i, e in enumerate(events) if e.get("event") == "user"]
            if users and events[users[-1]].get("text") == text:
                after = events[users[-1] + 1 :]
                if after and after[-1].get("event") == "action" and (
                    after[-1].get("name") == "action_listen"
                ):
                    return [e.get("text") or "" for e in after if e.get("event") == "bot"]
            time.sleep(0.1)
        pytest.fail(f"The bot did not finish answering {text!r} for {sender} in {timeout} s")


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """A function returning a free TCP port on 127.0.0.1."""
    return find_free_port


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@dataclass(frozen=True)
class KnowledgeBase:
    """The action server's own knowledge base: a copy of data/sources, built for the session,
    so a test can add an article and rebuild while the servers run."""

    sources: Path
    env: dict[str, str]

    def build(self) -> None:
        subprocess.run([str(BIN / "python"), "-m", "bot.kb", "build"], cwd=PROJECT,
                       env=self.env, check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def e2e_kb(e2e_dir: Path) -> KnowledgeBase:
    sources = e2e_dir / "sources"
    shutil.copytree(PROJECT / "data" / "sources", sources)
    kb = KnowledgeBase(sources, base_env(
        KB_DATABASE_URL=f"sqlite:///{e2e_dir / 'kb.sqlite'}", KB_SOURCES_DIR=str(sources)))
    kb.build()
    return kb


@pytest.fixture(scope="session")
def _action_process(e2e_dir: Path, e2e_kb: KnowledgeBase) -> Iterator[ServerProcess]:
    port = find_free_port()
    server = ServerProcess(
        "action server",
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
        e2e_dir / "actions.log",
        # Unanswered questions of the tests go to the session's directory, not var/.
        dict(e2e_kb.env, LOG_DATABASE_URL=f"sqlite:///{e2e_dir / 'questions.sqlite'}"),
        PROJECT,
        port,
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def action_server(_action_process: ServerProcess) -> ServerProcess:
    """The running action server; ``.url`` and ``.port`` say where."""
    _action_process.wait_http(f"{_action_process.url}/health", timeout=90)
    return _action_process


@pytest.fixture(scope="session")
def rasa_server(
    e2e_dir: Path,
    _action_process: ServerProcess,
    fake_slack: FakeSlackApi,
    embed_sites: dict[str, StaticSite],
) -> Iterator[RasaServer]:
    port = find_free_port()
    model = latest_model()
    endpoints = write_endpoints(
        e2e_dir / "endpoints.yml", _action_process.port, e2e_dir / "tracker.db"
    )
    token = secrets.token_hex(16)
    signing_secret = secrets.token_hex(16)
    bot_token = "xoxb-e2e-" + secrets.token_hex(8)
    env = base_env(
        SLACK_BOT_TOKEN=bot_token,
        SLACK_SIGNING_SECRET=signing_secret,
        SLACK_API_BASE_URL=fake_slack.base_url,
    )
    env["CHAT_ALLOWED_ORIGINS"] = embed_sites["allowed"].origin
    process = ServerProcess(
        "rasa server",
        [
            str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "-m", str(model),
            "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints),
            "--enable-api", "--auth-token", token,
        ],
        e2e_dir / "rasa.log",
        env,
        ROOT,
        port,
    ).start()
    base_url = process.url
    try:
        process.wait_http(f"{base_url}/status?token={token}", timeout=180)
        _action_process.wait_http(f"{_action_process.url}/health", timeout=60)
        yield RasaServer(base_url, token, process, model, endpoints, signing_secret, bot_token)
    finally:
        process.stop()


# -- rasa shell -----------------------------------------------------------------------------------


@dataclass
class RasaShell:
    child: Any  # pexpect.spawn
    prompt: str = "Your input ->"

    def say(self, text: str, timeout: float = 60) -> str:
        """Send one line; return what the bot printed before the next prompt (ANSI removed).

        prompt_toolkit redraws the prompt with the typed text more than once, so the answer is
        complete when our text has been echoed and the output ends, quietly, with a bare prompt.
        """
        import pexpect

        self.child.sendline(text)
        buffer = ""
        deadline = time.monotonic() + timeout
        while True:
            try:
                buffer += self.child.read_nonblocking(65536, timeout=0.3)
                continue
            except pexpect.TIMEOUT:
                clean = _ANSI.sub("", buffer).rstrip()
                echoed = clean.find(text)
                if echoed != -1 and clean.endswith(self.prompt) and (
                    echoed < clean.rfind(self.prompt)
                ):
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"rasa shell did not answer {text!r} in {timeout} s:\n{clean}")
        lines = [
            line.rstrip()
            for line in clean.splitlines()
            if line.strip() and self.prompt not in line and line.strip() != text
        ]
        return "\n".join(lines)

    def restart(self) -> None:
        self.say("/restart")


@pytest.fixture(scope="session")
def rasa_shell(e2e_dir: Path, action_server: ServerProcess) -> Iterator[RasaShell]:
    pexpect = pytest.importorskip("pexpect")
    endpoints = write_endpoints(
        e2e_dir / "endpoints-shell.yml", action_server.port, e2e_dir / "tracker-shell.db"
    )
    args = [
        "shell", "-i", "127.0.0.1", "-p", str(find_free_port()), "-m", str(latest_model()),
        "--endpoints", str(endpoints),
    ]
    log = (e2e_dir / "shell.log").open("w")
    child = pexpect.spawn(
        str(BIN / "rasa"), args, cwd=str(ROOT),
        env=base_env(PROMPT_TOOLKIT_NO_CPR="1", TERM="dumb"), encoding="utf-8",
        codec_errors="replace", timeout=60, dimensions=(50, 200),
    )
    child.logfile_read = log
    shell_log = ServerProcess("rasa shell", args, e2e_dir / "shell.log", {}, ROOT)
    _RUNNING.append(shell_log)
    try:
        child.expect_exact("Your input ->", timeout=180)
        yield RasaShell(child)
    finally:
        # `/stop` ends the conversation but Sanic then lingers >10 s; SIGTERM takes ~4 s.
        if child.isalive():
            stop_group(child.pid, lambda timeout: _wait_pexpect(child, timeout))
        child.close(force=True)
        log.close()
        _RUNNING.remove(shell_log)


def _wait_pexpect(child: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while child.isalive():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.1)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# -- attach server logs to failures ---------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("e2e") is not None:
        for server in list(_RUNNING):
            report.sections.append((f"{server.name} log (last lines)", server.tail()))
