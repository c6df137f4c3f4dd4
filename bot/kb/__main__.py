"""Command line for editors: ``python -m bot.kb build | show | ask "..." | unanswered``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _build(args, settings) -> int:
    from bot.ingest.build import BuildError, build_knowledge_base
    from bot.ingest.rules import RulesError

    try:
        report = build_knowledge_base(settings)
    except BuildError as error:
        print("Knowledge base NOT changed; fix these sources first:", file=sys.stderr)
        for item in error.errors:
            print(f"  {item}", file=sys.stderr)
        return 1
    except RulesError as error:
        print(f"Knowledge base NOT changed; fix the rules first:\n  {error}", file=sys.stderr)
        return 1
    state = "rebuilt" if report.changed else "up to date"
    print(f"Knowledge base {state}: {settings.database_url}")
    for label, paths in (("added", report.added), ("updated", report.updated),
                         ("removed", report.removed), ("unchanged", report.unchanged)):
        for path in paths:
            print(f"  {label:9} {path}")
    print("  " + ", ".join(f"{n} {table}" for table, n in report.counts.items()))
    return 0


def _show(args, settings) -> int:
    from bot.kb.service import KnowledgeService

    service = KnowledgeService.from_settings(settings)
    topics = service.topics()
    if not topics:
        print("The knowledge base is empty: run `python -m bot.kb build` first.")
        return 1
    for topic in topics:
        print(f"\n# {topic.name}  (aliases: {', '.join(topic.aliases) or '-'};"
              f" compared with: {topic.counterpart or '-'})")
        for spec in service.attribute_specs:
            answer = service.attribute(topic.name, spec.name)
            if not answer.items:
                continue
            print(f"  {spec.label}:")
            for item in answer.items:
                c = item.citation
                print(f"    - {item.value}\n        [{c.source_path}:{c.start}-{c.end}, "
                      f"section “{c.section}”]")
    return 0


def _ask(args, settings) -> int:
    from bot.kb.service import KnowledgeService

    service = KnowledgeService.from_settings(settings)
    question = " ".join(args.question)
    hits = service.search(question, limit=args.limit)
    if not hits:
        print("No passage matches that question.")
        return 1
    for hit in hits:
        c = hit.citation
        print(f"{hit.score:.2f}  {c.sentence}\n      — {c.label} [{c.source_path}:{c.start}]")
    return 0


def _unanswered(args, settings) -> int:
    from bot.questions.log import QuestionLog

    log = QuestionLog.from_settings(settings)
    since = datetime.fromisoformat(args.since) if args.since else None
    groups = log.report(since=since)
    if not groups:
        print("No unanswered questions" + (f" since {args.since}." if args.since else "."))
        return 0
    for group in groups:
        print(f"{group.count:4}x  {group.example}")
        for other in group.others[:5]:
            print(f"        ~ {other}")
        print(f"        intents: {', '.join(group.intents) or '-'}; channels: "
              f"{', '.join(group.channels)}; last asked {group.last_asked:%Y-%m-%d %H:%M}")
    return 0


def _check(args, settings) -> int:
    """Exit 1, naming the database and the command that rebuilds it, when the knowledge base
    is missing, unreadable or made by another version."""
    from bot.kb.health import check

    problem = check(settings)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"Knowledge base ok: {settings.database_url}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from bot.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m bot.kb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="ingest data/sources (atomic; skips unchanged sources)")
    commands.add_parser("show", help="topics and facts with their citations")
    commands.add_parser("check", help="fail if the knowledge base is missing or unreadable")
    ask = commands.add_parser("ask", help="best passages for a question, with scores")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--limit", type=int, default=3)
    unanswered = commands.add_parser("unanswered", help="questions the bot could not answer")
    unanswered.add_argument("--since", help="ISO date, e.g. 2026-11-01")
    args = parser.parse_args(argv)
    handlers = {"build": _build, "show": _show, "ask": _ask, "unanswered": _unanswered,
                "check": _check}
    return handlers[args.command](args, load_settings())


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:  # `python -m bot.kb show | head` stopped reading: no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
