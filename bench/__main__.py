"""``make bench``: speed and memory, written to docs/benchmarks.md with the machine and date.

Measures the knowledge base (build, queries) in-process, then starts the action server and
Rasa on free loopback ports and times REST turns (sequential and a bounded concurrent burst).
Nothing here asserts: numbers are reported, not tested.
"""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUESTIONS = [
    "give 5 differences between OM and PM",
    "what is operations management",
    "which entrance exams for production management",
    "does telecom hire PM people?",
    "is mba compulsory for POM",
    "what's the weather in delhi",
]


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def _rss_mb(pid: int) -> float:
    total = 0
    for child in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.monotonic() - start
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def bench_knowledge_base(lines: list[str]) -> None:
    from bot.config import load_settings
    from bot.ingest.build import build_knowledge_base
    from bot.kb.service import KnowledgeService

    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        shutil.copytree(ROOT / "data" / "sources", sources)
        settings = load_settings({"KB_DATABASE_URL": f"sqlite:///{tmp}/kb.sqlite",
                                  "KB_SOURCES_DIR": str(sources), "BOT_VAR_DIR": tmp})
        start = time.monotonic()
        report = build_knowledge_base(settings)
        cold = time.monotonic() - start
        start = time.monotonic()
        build_knowledge_base(settings)
        warm = time.monotonic() - start
        service = KnowledgeService.from_settings(settings)
        timings: dict[str, list[float]] = {"compare": [], "attribute": [], "search": []}
        for _ in range(50):
            for name, call in (
                ("compare", lambda: service.compare("operations management",
                                                    "production management")),
                ("attribute", lambda: service.attribute("production management",
                                                        "entrance_exams")),
                ("search", lambda: service.search("who recruits professionals in energy")),
            ):
                start = time.monotonic()
                call()
                timings[name].append(time.monotonic() - start)
    lines += [
        "## Knowledge base (in-process, SQLite file)",
        "",
        f"- build from {len(report.added)} source(s), incl. spaCy pipeline: {cold:.2f} s;"
        f" rebuild with nothing changed: {warm:.2f} s",
        f"- counts: {report.counts}",
    ]
    lines += [f"- `{name}` x50: {_ms(values)}" for name, values in timings.items()]
    lines.append("")


def bench_servers(lines: list[str]) -> None:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        lines += ["## Servers", "", "No trained model: run `make train` first.", ""]
        return
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1",
               TF_CPP_MIN_LOG_LEVEL="2")
    with tempfile.TemporaryDirectory() as tmp:
        env["LOG_DATABASE_URL"] = f"sqlite:///{tmp}/questions.sqlite"
        action_port, rasa_port = _free_port(), _free_port()
        token = secrets.token_hex(16)
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
        endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
        endpoints["tracker_store"] = {"type": "SQL", "dialect": "sqlite",
                                      "db": f"{tmp}/tracker.db"}
        (Path(tmp) / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
        procs = []
        try:
            start = time.monotonic()
            procs.append(subprocess.Popen(
                [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port",
                 str(action_port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
            procs.append(subprocess.Popen(
                [str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(rasa_port), "-m",
                 str(models[-1]), "--endpoints", f"{tmp}/endpoints.yml", "--credentials",
                 str(ROOT / "credentials.yml"), "--enable-api", "--auth-token", token],
                cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            _wait(f"http://127.0.0.1:{action_port}/health", 120)
            _wait(f"http://127.0.0.1:{rasa_port}/status?token={token}", 240)
            startup = time.monotonic() - start
            url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
            session = requests.Session()
            session.post(url, json={"sender": "warmup", "message": "hello"}, timeout=60)
            sequential = []
            for round_ in range(5):
                for question in QUESTIONS:
                    t0 = time.monotonic()
                    session.post(url, json={"sender": f"seq-{round_}", "message": question},
                                 timeout=60).raise_for_status()
                    sequential.append(time.monotonic() - t0)

            def one(index: int) -> float:
                t0 = time.monotonic()
                requests.post(url, json={"sender": f"burst-{index % 20}",
                                         "message": QUESTIONS[index % len(QUESTIONS)]},
                              timeout=120).raise_for_status()
                return time.monotonic() - t0

            t0 = time.monotonic()
            with ThreadPoolExecutor(max_workers=20) as pool:
                burst = list(pool.map(one, range(200)))
            burst_wall = time.monotonic() - t0
            rasa_rss, action_rss = _rss_mb(procs[1].pid), _rss_mb(procs[0].pid)
        finally:
            for proc in procs:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
    lines += [
        "## Servers (REST channel, SQLite tracker store)",
        "",
        f"- start-up until both servers answer: {startup:.1f} s",
        f"- sequential turns ({len(sequential)}, one client, mixed questions):"
        f" {_ms(sequential)}",
        f"- 20 concurrent clients, 200 turns: {len(burst) / burst_wall:.1f} turns/s,"
        f" {_ms(burst)}",
        f"- resident memory after the load: Rasa {rasa_rss:.0f} MB,"
        f" action server {action_rss:.0f} MB",
        "",
    ]


def main() -> int:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.0f} GiB RAM,"
        f" Python {platform.python_version()}, {platform.platform()}.",
        "Numbers are noisy (shared machine); treat them as sizes, not guarantees.",
        "",
    ]
    bench_knowledge_base(lines)
    bench_servers(lines)
    target = ROOT / "docs" / "benchmarks.md"
    target.write_text("\n".join(lines))
    print(target.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
