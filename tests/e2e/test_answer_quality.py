"""Answers to the evaluation sets, judged by their content, end to end over REST.

Every case of a set in ``tests/eval/`` (schema: tests/eval/SCHEMA.md) is sent to the real
servers, one conversation per case; each reply is judged by ``tests/eval/judge.py`` on what it
says (the article's phrases a correct reply must hold, the "sources don't cover" a silent
thing needs, counts, tables, the advice's reading, no invented quotes). A report of every miss
goes to ``test-artifacts/eval-<set>.md``. The floors are set from measurement
(docs/evaluation.md), about three points below, for retraining noise; a set without a floor
(a new one) is held to the issues' targets.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, load_settings
from bot.kb.service import KnowledgeService
from tests.eval.judge import EVAL_DIR, Case, Message, judge, knowledge_from, load_cases

pytestmark = pytest.mark.e2e

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PAIR = ("operations management", "production management")
# Measured 2026-12-02 on the final model (docs/evaluation.md). blind17: 0.907 with DIET, 0.857
# with the logistic-regression pipeline of 2026-12-03 (docs/nlu.md: the price of the switch).
FLOORS = {
    "questions.yml": 0.90, "sealed.yml": 0.90, "final.yml": 0.90, "holdout.yml": 0.90,
    "blind5.yml": 0.90, "blind6.yml": 0.92, "blind7.yml": 0.91, "blind8.yml": 0.88,
    "blind9.yml": 0.90, "blind10.yml": 0.90, "blind11.yml": 0.88, "blind12.yml": 0.93,
    "blind13.yml": 0.94, "blind14.yml": 0.94, "blind15.yml": 0.91, "blind16.yml": 0.91,
    "blind17.yml": 0.83, "blind18.yml": 0.81, "blind19.yml": 0.86, "advice20.yml": 0.77,
    "blind21.yml": 0.81, "advice22.yml": 0.76, "blind23.yml": 0.89, "advice24.yml": 0.72,
    "blind25.yml": 0.91,
}
# `make test` runs the newest sets; `make eval` runs all of them.
DEFAULT_SETS = ("blind23.yml", "advice24.yml", "blind25.yml")
TARGETS = {"advice": 0.90}
TARGET = 0.95
_chosen = os.environ.get("EVAL_SETS", "")
SETS = (sorted(FLOORS) if _chosen == "all" else
        tuple(s.strip() for s in _chosen.split(",") if s.strip()) or DEFAULT_SETS)


def _turn_messages(rasa_server, sender: str) -> list[Message]:
    return [Message(response, text) for response, text in rasa_server.last_turn(sender)]


def _run(rasa_server, case: Case, knowledge) -> list[tuple[str, str, bool, str, str]]:
    sender = f"eval-{uuid.uuid4().hex[:10]}"
    rows = []
    for turn in case.turns:
        rasa_server.rest(sender, turn.text)
        messages = _turn_messages(rasa_server, sender)
        verdict = judge(turn, messages, knowledge)
        reply = " / ".join(m.text for m in messages)
        rows.append((turn.text, turn.expect, verdict.ok, verdict.reason, reply))
    return rows


@pytest.mark.parametrize("name", SETS)
def test_questions_answered_correctly_and_honestly(rasa_server, name) -> None:
    settings = load_settings()
    sources = sorted(Path(settings.sources_dir).glob("*.txt")) + sorted(
        Path(settings.sources_dir).glob("*.md"))
    knowledge = knowledge_from(KnowledgeService.from_settings(settings), PAIR, sources)
    rows = [row for case in load_cases(EVAL_DIR / name)
            for row in _run(rasa_server, case, knowledge)]
    passed = sum(1 for row in rows if row[2])
    share = passed / len(rows)
    by_kind: dict[str, list[bool]] = {}
    for _, expect, ok, _, _ in rows:
        by_kind.setdefault(expect, []).append(ok)
    lines = [f"# {name}: {passed}/{len(rows)} turns correct and honest ({share:.3f})", "",
             "| expect | correct | turns |", "|---|---|---|"]
    lines += [f"| {kind} | {sum(oks)} | {len(oks)} |" for kind, oks in sorted(by_kind.items())]
    lines += ["", "## Misses", ""]
    lines += [f"- `{text}` ({expect}): {reason}\n  > {reply[:300]!r}"
              for text, expect, ok, reason, reply in rows if not ok]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"eval-{Path(name).stem}.md").write_text("\n".join(lines) + "\n",
                                                         encoding="utf-8")
    floor = FLOORS.get(name, TARGETS["advice"] if name.startswith("advice") else TARGET)
    assert share >= floor, f"{share:.3f} of {len(rows)} turns correct; see test-artifacts"
