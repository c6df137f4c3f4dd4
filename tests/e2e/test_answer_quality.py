"""The issue's target, measured: blind questions answered correctly and honestly, end to end.

Every case of the question sets in ``tests/eval/`` (each written blind from the source article;
see docs/evaluation.md for which were later used to improve the bot) is sent over REST to the
real servers, one conversation per case. Each reply is judged by ``tests/eval/judge.py`` from
the domain response it was rendered from and the facts it carries. A report of every miss is
written to ``test-artifacts/eval-<set>.md``. The floors are set from measurement
(docs/evaluation.md).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.kb.service import KnowledgeService
from tests.eval.judge import EVAL_DIR, Case, Message, judge, knowledge_from, load_cases

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PAIR = ("operations management", "production management")
# Share of turns answered correctly and honestly, measured 2026-11-26 on the fifth session's
# final model (docs/evaluation.md): questions 0.973, sealed 0.970, final 0.980, holdout 0.965,
# blind5 0.984, blind6 0.980, blind7 0.961, blind8 0.961, blind9 0.986, blind10 0.959, blind11
# 0.990, blind12 0.990, blind13 0.980; blind14 0.963, blind15 0.959 and blind16 0.969 are their
# blind first runs. The floors sit about two points below (older ones unchanged), for
# retraining noise.
FLOORS = {"questions.yml": 0.93, "sealed.yml": 0.94, "final.yml": 0.94, "holdout.yml": 0.93,
          "blind5.yml": 0.95, "blind6.yml": 0.95, "blind7.yml": 0.89, "blind8.yml": 0.92,
          "blind9.yml": 0.95, "blind10.yml": 0.91, "blind11.yml": 0.93, "blind12.yml": 0.92,
          "blind13.yml": 0.96, "blind14.yml": 0.94, "blind15.yml": 0.94, "blind16.yml": 0.95}
# `make test` runs the two newest sets (about 1.7 min); `make eval` runs all of them.
DEFAULT_SETS = ("blind15.yml", "blind16.yml")
# EVAL_SETS: "all", or a comma-separated list of set files; a set without a floor of its own
# (a new blind set) is held to the target.
TARGET = 0.95
_chosen = os.environ.get("EVAL_SETS", "")
SETS = (sorted(FLOORS) if _chosen == "all" else
        tuple(s.strip() for s in _chosen.split(",") if s.strip()) or DEFAULT_SETS)


def _turn_messages(rasa_server, sender: str) -> list[Message]:
    events = rasa_server.tracker(sender).get("events", [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    after = events[users[-1] + 1:] if users else []
    return [
        Message((e.get("metadata") or {}).get("utter_action"), e.get("text") or "")
        for e in after if e.get("event") == "bot"
    ]


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
def test_blind_questions_answered_correctly_and_honestly(rasa_server, name) -> None:
    knowledge = knowledge_from(KnowledgeService.from_settings(load_settings()), PAIR)
    rows = [row for case in load_cases(EVAL_DIR / name) for row in _run(rasa_server, case,
                                                                         knowledge)]
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
    floor = FLOORS.get(name, TARGET)
    assert share >= floor, f"{share:.3f} of {len(rows)} turns correct; see test-artifacts"
