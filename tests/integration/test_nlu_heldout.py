"""The held-out NLU set (tests/nlu/, never trained on) against the trained model.

Thresholds are set from measurement (docs/nlu.md) a little below what the model reaches, so a
real regression fails while run-to-run noise does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import trained_model

ROOT = Path(__file__).resolve().parents[2]
MIN_INTENT_ACCURACY = 0.83  # logistic regression measured 0.860 (DIET: 0.821), docs/nlu.md
MIN_ENTITY_F1 = 0.89  # CRFEntityExtractor measured 0.913 weighted (DIET: 0.922-0.943)
MIN_INTENT_F1 = 0.45  # per intent with >= 5 messages; weakest measured: deny 0.55, affirm 0.62


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    model = trained_model()
    out = tmp_path_factory.mktemp("nlu-results")
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "nlu", "--nlu",
         "tests/nlu/test_nlu.yml", "--model", str(model), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "intent": json.loads((out / "intent_report.json").read_text()),
        "entity": json.loads(_entity_report(out).read_text()),
    }


def _entity_report(out: Path) -> Path:
    """The entity extractor's report: CRFEntityExtractor's, or DIETClassifier's."""
    for name in ("CRFEntityExtractor_report.json", "DIETClassifier_report.json"):
        if (out / name).exists():
            return out / name
    raise AssertionError(f"no entity report in {sorted(p.name for p in out.iterdir())}")


def test_intent_accuracy_on_unseen_messages(reports) -> None:
    accuracy = reports["intent"]["accuracy"]
    assert accuracy >= MIN_INTENT_ACCURACY, f"intent accuracy {accuracy:.3f}"


def test_entity_f1_on_unseen_messages(reports) -> None:
    f1 = reports["entity"]["weighted avg"]["f1-score"]
    assert f1 >= MIN_ENTITY_F1, f"entity weighted F1 {f1:.3f}"


def test_no_intent_is_mostly_wrong(reports) -> None:
    weak = {
        name: round(scores["f1-score"], 2)
        for name, scores in reports["intent"].items()
        if isinstance(scores, dict) and "f1-score" in scores and scores.get("support", 0) >= 5
        and name not in ("macro avg", "weighted avg", "micro avg")
        and scores["f1-score"] < MIN_INTENT_F1
    }
    assert not weak, f"intents with F1 below {MIN_INTENT_F1}: {weak}"
