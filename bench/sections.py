"""The sections of ``make bench``; each returns its Markdown lines."""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests
import yaml

from bench import load
from bench.baseline import MESSAGES as BASELINE_MESSAGES
from bench.servers import Bot, base_env, start_bot
from bench.synthetic import write_articles

__all__ = ["base_env", "knowledge_base", "our_turn", "scale_out", "servers"]

# Our bot's traffic: questions on the article, a follow-up, small talk.
OUR_MESSAGES = (
    "give 5 differences between OM and PM",
    "which entrance exams for production management",
    "what is operations management",
    "just 3 please",
    "does telecom hire PM people?",
    "is mba compulsory for POM",
    "thanks",
)
KB_QUESTION = "which entrance exams for production management"
PLAIN_QUESTION = "are you a bot?"
ROUNDS = 3
CONVERSATIONS = 20
TURNS = 5  # per conversation and round: 100 turns a round


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def servers(root: Path, model: Path, base_project: Path, base_model: Path,
            base_trained: float | None, work: Path) -> list[str]:
    stock = start_bot("baseline", base_project, base_model, work, with_actions=False)
    try:
        ours = start_bot("ours", root, model, work, with_actions=True,
                         credentials=root / "credentials.yml")
    except Exception:
        stock.stop()
        raise
    try:
        for bot, messages in ((ours, OUR_MESSAGES), (stock, BASELINE_MESSAGES)):
            load.sequential(bot.webhook, messages, 1)  # warm up
        seq = {"ours": load.Timings((), 0.0), "baseline": load.Timings((), 0.0)}
        conc = dict(seq)
        for _ in range(ROUNDS):  # alternating, so that noise hits both
            for name, bot, messages in (("ours", ours, OUR_MESSAGES),
                                        ("baseline", stock, BASELINE_MESSAGES)):
                seq[name] = seq[name] + load.sequential(bot.webhook, messages, 4)
                conc[name] = conc[name] + load.concurrent(bot.webhook, messages,
                                                          CONVERSATIONS, TURNS)
        rss = {"ours": ours.rss(), "baseline": stock.rss()}
    finally:
        ours.stop()
        stock.stop()
    o, b = "ours", "baseline"
    lines = [
        "## Servers side by side: ours against the stock `rasa init` bot",
        "",
        "REST channel, SQLite tracker store, one Sanic worker each, on this machine at the same"
        f" time; {ROUNDS} alternating rounds. Each bot gets its own kind of traffic (ours: the"
        " article's questions, follow-ups and thanks; the stock bot: its greet/mood/bot"
        " examples). Targets from the issue in brackets.",
        "",
        "| | stock bot | ours | ours / stock |",
        "|---|---|---|---|",
        f"| one client, p50 | {_ms(seq[b].p50)} | {_ms(seq[o].p50)} |"
        f" {seq[o].p50 / seq[b].p50:.2f}x |",
        f"| one client, p95 | {_ms(seq[b].p95)} | {_ms(seq[o].p95)} |"
        f" {seq[o].p95 / seq[b].p95:.2f}x |",
        f"| {CONVERSATIONS} concurrent conversations, turns/s | {conc[b].per_second:.1f} |"
        f" {conc[o].per_second:.1f} | **{conc[o].per_second / conc[b].per_second:.2f}x**"
        " (target 2x) |",
        f"| {CONVERSATIONS} concurrent, p95 | {_ms(conc[b].p95)} | {_ms(conc[o].p95)} |"
        f" {conc[o].p95 / conc[b].p95:.2f}x |",
        f"| errors | {seq[b].errors + conc[b].errors} | {seq[o].errors + conc[o].errors} | |",
        f"| start-up until /status answers | {stock.startup:.1f} s | {ours.startup:.1f} s"
        " (both servers) | |",
        f"| Rasa server RSS after the load | {rss[b][0]:.0f} MB | {rss[o][0]:.0f} MB"
        " (target at most 1,000 MB) | |",
        f"| action server RSS | - | {rss[o][1]:.0f} MB | |",
        "",
    ]
    if base_trained is not None:
        lines += [f"The stock bot was created and trained for this run in {base_trained:.0f} s.",
                  ""]
    return lines


def our_turn(root: Path, model: Path, work: Path) -> list[str]:
    ours = start_bot("turn", root, model, work, with_actions=True,
                     credentials=root / "credentials.yml")
    try:
        http = requests.Session()
        sender = "turn-" + secrets.token_hex(4)
        kb, plain = [], []
        for _ in range(3 * 10):  # alternating, in one conversation
            for text, into in ((KB_QUESTION, kb), (PLAIN_QUESTION, plain)):
                start = time.monotonic()
                http.post(ours.webhook, json={"sender": sender, "message": text},
                          timeout=60).raise_for_status()
                into.append(time.monotonic() - start)
        parse = _timed(30, lambda: http.post(
            f"{ours.url}/model/parse", params={"token": ours.token}, json={"text": KB_QUESTION},
            timeout=60).raise_for_status())
        tracker = http.get(f"{ours.url}/conversations/{sender}/tracker",
                           params={"token": ours.token}, timeout=60).json()
        action = _action_call(root, ours, tracker, http)
        store = _tracker_store(work / "turn-tracker.db", root, sender)
    finally:
        ours.stop()
    answering, query = _answering(root)
    turn = statistics.median(kb)
    accounted = statistics.median(parse) + statistics.median(action) + statistics.median(store)
    return [
        "## One turn of ours",
        "",
        f"- knowledge-base turn ({KB_QUESTION!r}): p50 {_ms(turn)}, p95 {_ms(_p(kb, 0.95))}",
        f"- plain response turn ({PLAIN_QUESTION!r}, no action call): p50"
        f" {_ms(statistics.median(plain))}, p95 {_ms(_p(plain, 0.95))}",
        f"- ratio knowledge-base / plain (p50): **{turn / statistics.median(plain):.2f}x**"
        " (target at most 1.2x)",
        "",
        "Where a knowledge-base turn's time goes (p50 of 30 calls each; the conversation is"
        f" {len(tracker.get('events', []))} events long):",
        "",
        f"- NLU, `/model/parse` over HTTP: {_ms(statistics.median(parse))}",
        f"- the action call, `POST /webhook` of the action server with this tracker:"
        f" {_ms(statistics.median(action))}",
        f"  - of which reading the question and composing the answer, in-process:"
        f" {_ms(statistics.median(answering))}",
        f"  - of which knowledge-base queries (`attribute`, `compare`, `search`):"
        f" {_ms(statistics.median(query))}",
        f"- tracker store, retrieve + save of this conversation (SQLite): "
        f"{_ms(statistics.median(store))}",
        f"- the rest (policies, channel, HTTP, event loop): about"
        f" {_ms(max(turn - accounted, 0.0))}",
        "",
    ]


def _timed(times: int, call: Callable[[], object]) -> list[float]:
    took = []
    for _ in range(times):
        start = time.monotonic()
        call()
        took.append(time.monotonic() - start)
    return took


def _action_call(root: Path, bot: Bot, tracker: dict, http: requests.Session) -> list[float]:
    import rasa_sdk
    from rasa.shared.core.domain import Domain

    body = {"next_action": "action_answer", "sender_id": tracker["sender_id"],
            "tracker": tracker, "domain": Domain.load(str(root / "domain.yml")).as_dict(),
            "version": rasa_sdk.__version__}
    return _timed(30, lambda: http.post(bot.action_url, json=body, timeout=60)
                  .raise_for_status())


def _tracker_store(db: Path, root: Path, sender: str) -> list[float]:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(Domain.load(str(root / "domain.yml")), dialect="sqlite", db=str(db))

    async def round_trip() -> None:
        tracker = await store.retrieve(sender)
        await store.save(tracker)

    took = _timed(30, lambda: asyncio.run(round_trip()))
    store.engine.dispose()
    return took


def _answering(root: Path, settings_env: dict[str, str] | None = None
               ) -> tuple[list[float], list[float]]:
    from bot.answering.compose import compose
    from bot.answering.lexicon import Lexicon
    from bot.answering.question import Conversation, Parse, interpret
    from bot.config import load_settings
    from bot.kb.service import KnowledgeService

    logging.disable(logging.WARNING)
    service = KnowledgeService.from_settings(load_settings(settings_env))
    pair = service.pairs()[0]
    parse = Parse(KB_QUESTION, "ask_admission", 0.95, (("ask_admission", 0.95),))

    def answer() -> None:
        compose(service, interpret(parse, Conversation(), Lexicon.for_service(service)),
                Conversation())

    def query() -> None:
        service.attribute(pair[1], "entrance_exams")
        service.compare(*pair)
        service.search("who recruits professionals in energy")

    answer(), query()  # warm the per-build caches, as a running server has them
    return _timed(30, answer), _timed(30, query)


def knowledge_base(root: Path, sizes: list[int], work: Path) -> list[str]:
    from bot.config import load_settings
    from bot.ingest.build import build_knowledge_base

    rows = []
    for size in sizes:
        directory = work / f"kb-{size}"
        sources = directory / "sources"
        shutil.copytree(root / "data" / "sources", sources)
        write_articles(sources, size - 1) if size > 1 else None
        env = {"KB_DATABASE_URL": f"sqlite:///{directory / 'kb.sqlite'}",
               "KB_SOURCES_DIR": str(sources), "BOT_VAR_DIR": str(directory)}
        start = time.monotonic()
        report = build_knowledge_base(load_settings(env))
        built = time.monotonic() - start
        answering, query = _answering(root, env)
        rows.append((size, built, report.counts.get("facts", 0), answering, query))
        shutil.rmtree(directory)
    one = rows[0]
    lines = [
        "## Knowledge base size",
        "",
        "The article plus synthetic articles (bench/synthetic.py), SQLite, in-process. *Query*:"
        " `attribute` + `compare` + `search` on the real article's fields; *answer*: reading"
        f" {KB_QUESTION!r} and composing the reply, as the action does (30 each, warm caches).",
        "",
        "| articles | build | facts | query p50 | query p95 | answer p50 | answer p95 |"
        " answer p95 / 1 article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, built, facts, answering, query in rows:
        lines.append(
            f"| {size:,} | {built:.1f} s | {facts:,} | {_ms(statistics.median(query))} |"
            f" {_ms(_p(query, 0.95))} | {_ms(statistics.median(answering))} |"
            f" {_ms(_p(answering, 0.95))} | {_p(answering, 0.95) / _p(one[3], 0.95):.2f}x |")
    lines += ["", "Target: answer p95 at 10,000 articles at most 2x its p95 at one article.", ""]
    return lines


def scale_out(root: Path, model: Path, work: Path) -> list[str]:
    """Throughput with PostgreSQL trackers and Redis locks: 1 process, 2 workers, 2 replicas."""
    from sqlalchemy import create_engine, text

    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, future=True).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - reported, not fatal to the other sections
        return ["## Scale-out", "", f"PostgreSQL unavailable: {error}", ""]
    endpoints = yaml.safe_load((root / "endpoints.scale.yml").read_text())
    endpoints["lock_store"]["key_prefix"] = "bench" + uuid.uuid4().hex[:6]
    rows = []
    try:
        actions = start_bot("scale-sqlite", root, model, work, with_actions=True,
                            credentials=root / "credentials.yml")
        endpoints["action_endpoint"] = {"url": actions.action_url}
        env = {"TRACKER_DB_NAME": name, "TRACKER_DB_PASSWORD": "unused"}
        # The default set-up (SQLite tracker store, in-memory locks) for comparison; then only
        # its action server stays, shared by the processes below.
        reference = load.concurrent(actions.webhook, OUR_MESSAGES, CONVERSATIONS, TURNS * 2)
        rows.append(("1 process, 1 worker, SQLite tracker store", reference, actions.rss()[0]))
        actions.rasa.terminate()
        actions.rasa.wait(timeout=30)
        for label, replicas, workers in (("1 process, 1 worker", 1, "1"),
                                         ("1 process, 2 Sanic workers", 1, "2"),
                                         ("2 replicas, 1 worker each", 2, "1")):
            bots = [_scale_bot(root, model, work, endpoints, dict(env, SANIC_WORKERS=workers),
                               f"scale-{replicas}-{workers}-{n}") for n in range(replicas)]
            try:
                timings = _alternating(bots)
                rows.append((label, timings, sum(b.rss()[0] for b in bots)))
            finally:
                for bot in bots:
                    bot.stop()
        actions.stop()
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
    base = rows[1][1].per_second
    lines = [
        "## Scale-out: PostgreSQL trackers, Redis locks (endpoints.scale.yml)",
        "",
        f"{CONVERSATIONS} concurrent conversations of {TURNS * 2} turns, one shared action"
        " server; with two replicas each conversation's turns alternate between them.",
        "",
        "| setup | turns/s | against 1 process | p95 | errors | Rasa RSS (all) |",
        "|---|---|---|---|---|---|",
    ]
    for label, timings, rss in rows:
        lines.append(f"| {label} | {timings.per_second:.1f} |"
                     f" {timings.per_second / base:.2f}x | {_ms(timings.p95)} |"
                     f" {timings.errors} | {rss:.0f} MB |")
    lines.append("")
    return lines


def _scale_bot(root: Path, model: Path, work: Path, endpoints: dict, env: dict[str, str],
               name: str) -> Bot:
    """A Rasa process on the scale endpoints, as they are (PostgreSQL, Redis)."""
    return start_bot(name, root, model, work, with_actions=False, env=env,
                     endpoints=endpoints, credentials=root / "credentials.yml",
                     sqlite_tracker=False)


def _alternating(bots: list[Bot]) -> load.Timings:
    """The concurrent load, each conversation's turns going round the replicas."""
    return load.concurrent([bot.webhook for bot in bots], OUR_MESSAGES, CONVERSATIONS,
                           TURNS * 2)
