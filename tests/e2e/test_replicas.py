"""Scale-out on Rasa's own stores (issue "Scale-out"): two Rasa replicas on different loopback
ports share the PostgreSQL tracker store, the Redis lock store (``endpoints.scale.yml``), one
action server, and a knowledge base in PostgreSQL.

* 20 concurrent conversations of 20 turns, each turn sent to the other replica than the last:
  every reply answers its own question (judged by content, tests/e2e/load.py) and every tracker
  is complete and in order;
* the knowledge base is rebuilt with a new article while the replicas serve traffic: no errors,
  no half-built answers, and both replicas answer from the new article without a restart;
* nginx with deploy/nginx.conf in front of the replicas: REST turns spread over them, and a web
  widget's socket.io session (long polling) sticks to one replica;
* one replica is killed (SIGKILL) mid-load: the other serves its conversations, history intact.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy.engine import make_url

from tests.conftest import create_postgres_database
from tests.e2e.clients import SocketIOUser
from tests.e2e.conftest import (
    BIN,
    PROJECT,
    ROOT,
    KnowledgeBase,
    RasaServer,
    ServerProcess,
    base_env,
    find_free_port,
    latest_model,
)
from tests.e2e.load import converse, problems_in_tracker, script
from tests.e2e.reference import ENTRANCE_EXAMS, fact_present
from tests.integration.test_scale_stores import reachable

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

REPLICAS = 2
CONVERSATIONS = 20
DEADLINE = 300.0
ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ARTICLE = ARTICLES / "finance-vs-accounting.txt"
NEW_QUESTION = "what is accounting"
NEW_FACT = "recording, classifying and summarising the financial transactions"
# A killed replica's conversation locks expire after this many seconds (Rasa's default is 60).
LOCK_LIFETIME = "10"


@dataclass
class Cluster:
    replicas: list[ServerProcess]
    token: str
    kb: KnowledgeBase

    def alive(self) -> list[ServerProcess]:
        return [r for r in self.replicas if r.process is not None and r.process.poll() is None]

    def tracker(self, sender: str) -> list[dict]:
        reply = requests.get(f"{self.alive()[0].url}/conversations/{sender}/tracker",
                             params={"token": self.token}, timeout=30)
        reply.raise_for_status()
        return reply.json()["events"]

    def alternate(self, conversation: int):
        """A route sending each turn to the next replica, the others as fallbacks."""
        urls = [r.url for r in self.replicas]

        def route(turn: int) -> list[str]:
            first = (conversation + turn) % len(urls)
            return urls[first:] + urls[:first]

        return route

    def ask(self, replica: ServerProcess, text: str) -> str:
        reply = requests.post(f"{replica.url}/webhooks/rest/webhook",
                              json={"sender": "probe-" + secrets.token_hex(4), "message": text},
                              timeout=60)
        reply.raise_for_status()
        return "\n".join(m.get("text", "") for m in reply.json())


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory) -> Iterator[Cluster]:
    if not reachable(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    directory = tmp_path_factory.mktemp("replicas")
    sources = directory / "sources"
    shutil.copytree(PROJECT / "data" / "sources", sources)
    kb = KnowledgeBase(sources, base_env(KB_DATABASE_URL=create_postgres_database(request),
                                         KB_SOURCES_DIR=str(sources)))
    kb.build()
    tracker_db = make_url(create_postgres_database(request)).database

    action = ServerProcess(
        "action server (replicas)",
        [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port",
         str(find_free_port())],
        directory / "actions.log",
        dict(kb.env, LOG_DATABASE_URL=f"sqlite:///{directory / 'questions.sqlite'}"),
        PROJECT,
    )
    action.port = int(action.args[-1])
    # The project's endpoints.scale.yml as it is, with a key prefix of this test's own.
    endpoints = yaml.safe_load((ROOT / "endpoints.scale.yml").read_text())
    prefix = "replicas" + secrets.token_hex(4)
    endpoints["lock_store"]["key_prefix"] = prefix
    (directory / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    token = secrets.token_hex(16)
    env = base_env(TRACKER_DB_NAME=tracker_db, TRACKER_DB_PASSWORD="unused-with-trust-auth",
                   ACTION_SERVER_URL=f"{action.url}/webhook", TICKET_LOCK_LIFETIME=LOCK_LIFETIME)
    replicas = []
    for number in range(REPLICAS):
        port = find_free_port()
        replicas.append(ServerProcess(
            f"rasa replica {number}",
            [str(BIN / "rasa"), "run", "-i", "127.0.0.1", "-p", str(port),
             "-m", str(latest_model()), "--credentials", str(ROOT / "credentials.yml"),
             "--endpoints", str(directory / "endpoints.yml"), "--enable-api",
             "--auth-token", token],
            directory / f"rasa{number}.log", env, ROOT, port))
    try:
        action.start()
        for replica in replicas:
            replica.start()
        action.wait_http(f"{action.url}/health", timeout=120)
        for replica in replicas:
            replica.wait_http(f"{replica.url}/status?token={token}", timeout=240)
        yield Cluster(replicas, token, kb)
    finally:
        for server in (*replicas, action):
            server.stop()
        _forget_locks(prefix)


def _forget_locks(prefix: str) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=endpoints_lock_db())
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def endpoints_lock_db() -> int:
    return int(yaml.safe_load((ROOT / "endpoints.scale.yml").read_text())["lock_store"]["db"])


def run_conversations(cluster: Cluster, during=None, route=None, conversations: int = CONVERSATIONS,
                      turns: int = 20) -> tuple[dict, list[str]]:
    """Concurrent conversations (20 of 20 turns unless told), alternating replicas unless
    ``route(n)`` gives conversation n's route; ``during()`` runs in the test's thread while they
    go on. Returns the scripts and every problem found, in the replies and stored trackers."""
    senders = [f"replica-{n:02d}-{secrets.token_hex(4)}" for n in range(conversations)]
    scripts = {sender: script(n, turns) for n, sender in enumerate(senders)}
    route = route or cluster.alternate
    resent: dict[str, set[int]] = {sender: set() for sender in senders}
    with ThreadPoolExecutor(conversations) as pool:
        futures = [pool.submit(converse, route(n), s, scripts[s], resent[s])
                   for n, s in enumerate(senders)]
        if during is not None:
            during()
        done, not_done = wait(futures, timeout=DEADLINE)
        assert not not_done, f"{len(not_done)} conversations unfinished after {DEADLINE:.0f} s"
    problems = [problem for future in done for problem in future.result()]
    for sender in senders:
        problems += [f"{sender}: {p}"
                     for p in problems_in_tracker(cluster.tracker(sender), scripts[sender],
                                                  resent[sender])]
    return scripts, problems


def test_conversations_alternating_between_replicas_stay_whole(cluster):
    _, problems = run_conversations(cluster)
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:10])


def test_a_rebuild_under_traffic_is_seen_by_every_replica(cluster):
    before = [cluster.ask(replica, NEW_QUESTION) for replica in cluster.replicas]
    assert not any(NEW_FACT in reply for reply in before)
    shutil.copy(ARTICLE, cluster.kb.sources / ARTICLE.name)

    def rebuild() -> None:
        time.sleep(2)  # the conversations are under way
        cluster.kb.build()

    try:
        _, problems = run_conversations(cluster, during=rebuild, turns=10)
        assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:10])
        deadline = time.monotonic() + 15  # the action server checks the build id every few s
        while True:
            after = [cluster.ask(replica, NEW_QUESTION) for replica in cluster.replicas]
            if all(NEW_FACT in reply for reply in after) or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert all(NEW_FACT in reply for reply in after), after
    finally:
        (cluster.kb.sources / ARTICLE.name).unlink(missing_ok=True)


@pytest.fixture
def nginx(cluster, tmp_path) -> Iterator[ServerProcess]:
    """deploy/nginx.conf, as committed, with this test's ports."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if binary is None:
        pytest.skip("nginx is not installed (make test installs it: WITH_NGINX=1)")
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = re.findall(r"server 127\.0\.0\.1:(\d+)", config)
    assert sorted(set(servers)) == ["5005", "5006"], "the template's replica ports changed"
    port = find_free_port()
    config = config.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    # Which replica served each request, for the test to read.
    config = config.replace("access_log off;", 'log_format upstream "$request_method $uri '
                            '$upstream_addr"; access_log access.log upstream;')
    for template, replica in zip(("5005", "5006"), cluster.replicas, strict=True):
        config = config.replace(f"127.0.0.1:{template} ", f"127.0.0.1:{replica.port} ")
    (tmp_path / "nginx.conf").write_text(config)
    args = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
    server = ServerProcess("nginx", args, tmp_path / "nginx.log", base_env(), tmp_path,
                           port).start()
    try:
        server.wait_http(f"{server.url}/status?token={cluster.token}", timeout=30)
        yield server
    finally:
        server.stop()


def test_nginx_spreads_turns_and_keeps_a_widget_on_one_replica(cluster, nginx):
    _, problems = run_conversations(cluster, route=lambda _n: lambda _turn: [nginx.url],
                                    conversations=10, turns=10)
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:10])
    rest = _served(nginx, "POST /webhooks/rest/webhook")
    per_replica = [sum(1 for up in rest if up.endswith(f":{r.port}")) for r in cluster.replicas]
    assert sum(per_replica) == len(rest) >= 100 and min(per_replica) > 0, per_replica

    proxied = RasaServer(nginx.url, cluster.token, nginx, latest_model(), ROOT, "", "")
    with SocketIOUser(proxied) as widget:
        for _ in range(3):  # several long-polling rounds, each of which must reach its replica
            reply = "\n".join(widget.say("which entrance exams for production management"))
            assert all(fact_present(exam, reply) for exam in ENTRANCE_EXAMS), reply
        widget.assert_no_more_replies()
    sticky = set(_served(nginx, "GET /socket.io/") + _served(nginx, "POST /socket.io/"))
    assert len(sticky) == 1, f"the widget's session was served by {sticky}"


def _served(nginx: ServerProcess, request: str) -> list[str]:
    """The upstream address of every logged request starting with ``request``."""
    lines = (nginx.cwd / "access.log").read_text().splitlines()
    return [line.rsplit(" ", 1)[-1] for line in lines if line.startswith(request)]


def test_a_killed_replica_loses_no_conversation(cluster):
    victim = cluster.replicas[-1]

    def kill() -> None:
        time.sleep(3)  # some turns of every conversation have been answered by each replica
        os.killpg(victim.process.pid, signal.SIGKILL)
        victim.process.wait(timeout=10)

    _, problems = run_conversations(cluster, during=kill)
    assert victim.process.poll() is not None
    assert not problems, f"{len(problems)} problems, e.g.:\n" + "\n".join(problems[:10])
