"""Run evaluation sets in one process, for quick iteration: ``python -m tests.eval.run SET...``.

The trained model's NLU reads each message (as ``rasa run`` would); Rasa's rules are mirrored
(small talk goes to its response, everything else to ``action_answer``'s logic); the reply is
composed and rendered exactly as the action does, and judged by ``tests.eval.judge``. The
measurement that counts runs over REST against the real servers
(``tests/e2e/test_answer_quality.py``); this is its fast twin.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

import yaml

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[2]
RULED = {"bot_challenge": "utter_iamabot"}


def latest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model in models/: run `make train`")
    return models[-1]


class Bot:
    """NLU from the trained model, answers from the action's own logic."""

    def __init__(self, model: Path, service, domain: dict) -> None:
        from rasa.core.agent import Agent

        self.agent = Agent.load(str(model))
        self.service = service
        self.domain = domain

    async def reply(self, text: str, state: dict) -> list:
        from actions import presenter
        from actions.conversation import events as slot_events
        from bot.answering.compose import compose
        from bot.answering.lexicon import Lexicon
        from bot.answering.question import Parse, interpret
        from tests.eval.judge import Message

        parse_data = await self.agent.parse_message(text)
        intent = (parse_data.get("intent") or {}).get("name")
        if intent in RULED:
            response = RULED[intent]
            return [Message(response, self.domain["responses"][response][0]["text"])]
        context = _conversation(state)
        question = interpret(Parse.from_message(parse_data, text), context,
                             Lexicon.for_service(self.service))
        reply = compose(self.service, question, context)
        self.last = (intent, question)
        values = presenter.render(reply, presenter.Phrases(self.domain))
        response = reply.response
        if response == "utter_answer" and not values["source"]:
            response = "utter_answer_unsourced"
        template = self.domain["responses"][response][0]["text"]
        for event in slot_events(reply.memory, context):
            state[event["name"]] = event["value"]
        return [Message(response, template.format(**values))]


def _conversation(state: dict):
    from actions.conversation import read

    class _Slots:
        def get_slot(self, name):
            return state.get(name)

    return read(_Slots())  # type: ignore[arg-type]


async def run_set(bot: Bot, path: Path, knowledge, show: bool) -> tuple[int, int, list]:
    from tests.eval.judge import judge, load_cases

    passed = total = 0
    misses = []
    for case in load_cases(path):
        state: dict = {}
        for turn in case.turns:
            messages = await bot.reply(turn.text, state)
            verdict = judge(turn, messages, knowledge)
            total += 1
            passed += verdict.ok
            if not verdict.ok:
                misses.append((turn, verdict, messages))
                if show:
                    intent, question = getattr(bot, "last", (None, None))
                    about = (f" [{intent} -> {question.kind}{list(question.also)} "
                             f"{list(question.topics)} {list(question.phrases)}]"
                             if question else "")
                    print(f"- {turn.text!r} ({turn.expect}): {verdict.reason}{about}\n    > "
                          + " / ".join(m.text for m in messages)[:400].replace("\n", " "))
                bot.last = (None, None)
    return passed, total, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", nargs="+", help="set files (paths, or names in tests/eval)")
    parser.add_argument("--show", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    from bot.config import load_settings
    from bot.kb.service import KnowledgeService
    from tests.eval.judge import EVAL_DIR, knowledge_from

    settings = load_settings()
    service = KnowledgeService.from_settings(settings)
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    bot = Bot(latest_model(), service, domain)
    sources = sorted(settings.sources_dir.glob("*.txt")) + sorted(settings.sources_dir.glob("*.md"))
    pair = service.pairs()[0]
    knowledge = knowledge_from(service, pair, sources)
    grand = [0, 0]
    for name in args.sets:
        path = Path(name) if Path(name).exists() else EVAL_DIR / name
        passed, total, _ = asyncio.run(run_set(bot, path, knowledge, args.show))
        grand[0] += passed
        grand[1] += total
        print(f"{path.name}: {passed}/{total} = {passed / max(total, 1):.3f}", flush=True)
    if len(args.sets) > 1:
        print(f"all: {grand[0]}/{grand[1]} = {grand[0] / max(grand[1], 1):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
