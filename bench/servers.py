"""Servers for the benchmarks: a Rasa process (and its action server) on free loopback ports,
with a SQLite tracker store in a temporary directory; stopped with their process groups."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float) -> float:
    """Seconds until ``url`` answers 200."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for process in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    kids = [int(p) for p in out.split()]
    return kids + [g for k in kids for g in _children(k)]


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1",
               TF_CPP_MIN_LOG_LEVEL="2", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env.update(extra)
    return env


@dataclass
class Bot:
    """A running Rasa server (and action server, for ours)."""

    name: str
    url: str
    token: str
    rasa: subprocess.Popen
    actions: subprocess.Popen | None = None
    action_url: str | None = None  # the action endpoint this Rasa calls
    startup: float = 0.0
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    def rss(self) -> tuple[float, float]:
        """(Rasa, action server) resident memory in MB."""
        return rss_mb(self.rasa.pid), rss_mb(self.actions.pid) if self.actions else 0.0

    def stop(self) -> None:
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except ProcessLookupError:
                continue
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def start_bot(name: str, project: Path, model: Path, workdir: Path, *,
              with_actions: bool, env: dict[str, str] | None = None,
              endpoints: dict | None = None, credentials: Path | None = None,
              sqlite_tracker: bool = True) -> Bot:
    """Start Rasa on ``model`` from ``project`` (and the action server when ``with_actions``),
    with the project's endpoints (or ``endpoints``) but this run's ports and, unless
    ``sqlite_tracker`` is false, a SQLite tracker store in ``workdir``. Returns once both
    answer."""
    # RATE_LIMIT guards a public channel against one sender's flood; load generation is one.
    env = base_env(**{"RATE_LIMIT": "off", **(env or {})},
                   LOG_DATABASE_URL=f"sqlite:///{workdir / 'questions.sqlite'}")
    token = secrets.token_hex(16)
    settings = dict(endpoints or yaml.safe_load((project / "endpoints.yml").read_text()) or {})
    if sqlite_tracker:
        settings["tracker_store"] = {
            **{k: v for k, v in (settings.get("tracker_store") or {}).items()
               if k in ("query",)},
            "type": "SQL", "dialect": "sqlite", "db": str(workdir / f"{name}-tracker.db"),
        }
    processes: list[subprocess.Popen] = []
    log = (workdir / f"{name}.log").open("wb")
    start = time.monotonic()
    actions = None
    if with_actions:
        action_port = free_port()
        settings["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
        actions = subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port",
             str(action_port)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        processes.append(actions)
    elif endpoints is None:
        settings.pop("action_endpoint", None)
    endpoints_file = workdir / f"{name}-endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(settings))
    port = free_port()
    args = [str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port), "-m", str(model),
            "--endpoints", str(endpoints_file), "--enable-api", "--auth-token", token]
    if credentials is not None:
        args += ["--credentials", str(credentials)]
    rasa = subprocess.Popen(args, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    processes.append(rasa)
    log.close()
    bot = Bot(name, f"http://127.0.0.1:{port}", token, rasa, actions,
              (settings.get("action_endpoint") or {}).get("url"), processes=processes)
    try:
        if actions is not None:
            wait_for(f"{settings['action_endpoint']['url'].rsplit('/', 1)[0]}/health", 180)
        wait_for(f"{bot.url}/status?token={token}", 300)
    except Exception:
        bot.stop()
        raise
    bot.startup = time.monotonic() - start
    return bot
