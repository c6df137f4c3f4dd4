"""Compare NLU pipelines by measurement and write docs/nlu.md (``make nlu-report``).

For config.yml and every variant in tests/nlu/configs/*.yml:

1. ``rasa test nlu --cross-validation --folds 3`` over data/nlu (mean and std over the folds);
2. ``rasa train nlu`` on all of data/nlu (timed), then ``rasa test nlu`` on the held-out
   tests/nlu/test_nlu.yml, which is never trained on.

Then the passage-search threshold is calibrated on tests/nlu/search_calibration.yml.
Each step's result is kept as JSON under ``--out`` and reused while the training data is unchanged
(same fingerprint; ``--force`` reruns), and docs/nlu.md is rewritten after every step, so a partial
run still leaves a partial report. ``--data`` points at a snapshot of data/nlu when others edit it
during a long comparison: every row must come from the same data. Text between
``<!-- notes -->`` and ``<!-- /notes -->`` in docs/nlu.md is hand-written and kept.

Slow: about 5-10 minutes per config on two busy cores. Run one comparison at a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted((ROOT / "tests" / "nlu" / "configs").glob("*.yml"))
HELDOUT = ROOT / "tests" / "nlu" / "test_nlu.yml"
CALIBRATION = ROOT / "tests" / "nlu" / "search_calibration.yml"
REPORT = ROOT / "docs" / "nlu.md"
THRESHOLDS = [round(0.3 + 0.1 * i, 1) for i in range(8)]  # 0.3 .. 1.0
RASA = str(Path(sys.executable).parent / "rasa")
NOTES = re.compile(r"<!-- notes -->.*?<!-- /notes -->", re.S)


# --- running rasa -------------------------------------------------------------------------------


def _run(args: list[str], log: Path, cache: Path) -> dict:
    """Run a rasa command, log its output, return wall and CPU seconds (children included)."""
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        RASA_CACHE_DIRECTORY=str(cache),
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.run([RASA, *args], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        tail = "".join(log.read_text().splitlines(keepends=True)[-30:])
        raise RuntimeError(f"rasa {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1)}


def _cv_means(log_text: str) -> dict:
    """The "test <metric>: mean (std)" lines that rasa logs after cross-validation."""
    section, found = None, {}
    for line in log_text.splitlines():
        if "Intent evaluation results" in line:
            section = "intent"
        elif match := re.search(r"Entity extractor: (\w+)", line):
            section = match.group(1)
        elif section and (match := re.search(r"\btest ([\w-]+): ([\d.]+) \(([\d.]+)\)", line)):
            found.setdefault(section, {})[match.group(1)] = [float(match.group(2)),
                                                              float(match.group(3))]
    return found


def _entity_reports(directory: Path) -> dict:
    return {
        p.name[: -len("_report.json")]: json.loads(p.read_text())
        for p in sorted(directory.glob("*_report.json"))
        if p.name not in ("intent_report.json", "response_selection_report.json")
    }


def training_words(data: Path) -> frozenset[str]:
    """Every lowercase word of the training files (annotations included, harmlessly)."""
    text = "\n".join(p.read_text().lower() for p in data.glob("*.yml"))
    return frozenset(re.findall(r"[a-z]+", text))


def data_fingerprint(data: Path) -> dict:
    """Hash of the training files and the number of intent examples in them."""
    digest, examples = hashlib.sha256(), 0
    for path in sorted(data.glob("*.yml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            if "intent" in item:
                examples += sum(1 for ln in item["examples"].splitlines() if ln.strip())
    return {"hash": digest.hexdigest()[:12], "examples": examples}


def cross_validate(name: str, config: Path, work: Path, folds: int, data: Path) -> dict:
    out = work / name / "cv"
    out.mkdir(parents=True, exist_ok=True)
    log = work / name / "cv.log"
    timing = _run(["test", "nlu", "--cross-validation", "--folds", str(folds), "-c", str(config),
                   "--nlu", str(data), "--out", str(out), "--no-plot"],
                  log, Path(tempfile.gettempdir()) / f"nlucmp-cache-{name}-cv")
    return {
        "timing": timing,
        "folds": folds,
        "means": _cv_means(log.read_text()),
        "intent_report": json.loads((out / "intent_report.json").read_text()),
        "entity_reports": _entity_reports(out),
    }


def _fallback_threshold(config: Path) -> float | None:
    for component in yaml.safe_load(config.read_text()).get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return None


def heldout(name: str, config: Path, work: Path, data: Path,
            train_timing: dict | None = None) -> dict:
    """Train on all data (unless ``train_timing`` says the model is already there) and test."""
    models = work / name / "model"
    out = work / name / "heldout"
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.gettempdir()) / f"nlucmp-cache-{name}-train"
    if train_timing is None:
        shutil.rmtree(cache, ignore_errors=True)  # time a training from scratch, as on CI
        train_timing = _run(["train", "nlu", "-c", str(config), "--nlu", str(data), "--out",
                             str(models), "--fixed-model-name", "nlu"], work / name / "train.log",
                            cache)
    test = _run(["test", "nlu", "--nlu", str(HELDOUT), "--model", str(models / "nlu.tar.gz"),
                 "--out", str(out), "--no-plot", "--successes"], work / name / "heldout.log",
                cache)
    errors, successes = (
        json.loads(p.read_text()) if p.exists() else []
        for p in (out / "intent_errors.json", out / "intent_successes.json")
    )
    # rasa test undoes FallbackClassifier predictions; at run time a message below the
    # threshold becomes nlu_fallback (the passage search) however right its intent was.
    threshold = _fallback_threshold(config)
    low = [] if threshold is None else [
        m for m in errors + successes if m["intent_prediction"]["confidence"] < threshold]
    return {
        "train_timing": train_timing,
        "test_timing": test,
        "intent_report": json.loads((out / "intent_report.json").read_text()),
        "entity_reports": _entity_reports(out),
        "intent_errors": errors,
        "intent_successes": successes,
        "fallback": {
            "threshold": threshold,
            "messages": len(errors) + len(successes),
            "below": len(low),
            "right_but_below": sum(m["intent"] == m["intent_prediction"]["name"] for m in low),
        },
    }


# --- passage-search calibration -----------------------------------------------------------------


def calibrate_search() -> dict:
    from bot.kb.service import default_service

    spec = yaml.safe_load(CALIBRATION.read_text())
    service = default_service()
    rows = []
    for item in spec["answered"]:
        hits = service.search(item["question"])
        top = hits[0] if hits else None
        right = bool(top) and item["expect"].lower() in top.citation.sentence.lower()
        rows.append({"question": item["question"], "answerable": True,
                     "score": top.score if top else 0.0, "right_passage": right})
    for question in spec["unanswered"]:
        hits = service.search(question)
        rows.append({"question": question, "answerable": False,
                     "score": hits[0].score if hits else 0.0, "right_passage": False})
    table = []
    answerable = sum(r["answerable"] for r in rows)
    for t in THRESHOLDS:
        shown = [r for r in rows if r["score"] >= t - 1e-9]
        good = sum(r["right_passage"] for r in shown)
        table.append({
            "threshold": t,
            "shown": len(shown),
            "right": good,
            "wrong_passage": sum(r["answerable"] and not r["right_passage"] for r in shown),
            "unanswerable_shown": sum(not r["answerable"] for r in shown),
            "precision": good / len(shown) if shown else 1.0,
            "recall": good / answerable,
        })
    return {"rows": rows, "table": table}


# --- the report ---------------------------------------------------------------------------------


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _mean(means: dict, section: str, metric: str) -> str:
    pair = means.get(section, {}).get(metric)
    return "-" if pair is None else f"{pair[0]:.3f} ± {pair[1]:.3f}"


LEARNED = ("DIETClassifier", "CRFEntityExtractor")  # the trained entity extractor of a config


def _entity_f1(reports: dict, extractor: str) -> float | None:
    report = reports.get(extractor)
    return report["weighted avg"]["f1-score"] if report else None


def _learned(names) -> str:
    return next((n for n in LEARNED if n in names), LEARNED[0])


def _tag(names) -> str:
    learned = _learned(names)
    return "" if learned == LEARNED[0] else f" ({learned.removesuffix('EntityExtractor')})"


def _per_intent(report: dict) -> dict[str, dict]:
    skip = {"accuracy", "macro avg", "weighted avg", "micro avg"}
    return {k: v for k, v in report.items() if k not in skip and isinstance(v, dict)}


def _confusions(report: dict, top: int) -> list[tuple[str, str, int, int]]:
    pairs = [(gold, wrong, n, scores.get("support", 0))
             for gold, scores in _per_intent(report).items()
             for wrong, n in scores.get("confused_with", {}).items()]
    return sorted(pairs, key=lambda p: -p[2])[:top]


def _words(text: str) -> int:
    return len(text.split())


SLICES = {
    "all": lambda t: True,
    "short (1-3 words)": lambda t: _words(t) <= 3,
    "medium (4-15 words)": lambda t: 4 <= _words(t) <= 15,
    "long (16+ words)": lambda t: _words(t) >= 16,
    "ALL CAPS": lambda t: t.isupper(),
    "abbreviation (om, pm, pom, hrm, ops, mgmt, ...)": lambda t: bool(re.search(
        r"\b(om|pm|pom|hrm|hr|ops|mgmt|prodn|mba|pls|plz|u|ur|wat|wht|thx)\b", t.lower())),
}


def render(results: dict[str, dict], labels: dict[str, str], search: dict | None,
           data: dict, seen: frozenset[str] = frozenset()) -> str:
    slices = dict(SLICES)
    if seen:
        slices["with a word unseen in training (typos, new words)"] = lambda t: any(
            w not in seen for w in re.findall(r"[a-z]+", t.lower()))
    lines = [
        "# NLU: pipeline choice, held-out test and search threshold",
        "",
        "Generated by `make nlu-report` (`python -m tests.nlu.compare`); the notes section is "
        "hand-written.",
        "Data: data/nlu (training, incl. the generated kb_vocabulary.yml); held-out: "
        "tests/nlu/test_nlu.yml (never trained on: other wording, typos, abbreviations, case, "
        "short and long messages).",
        f"Training data fingerprint {data['hash']} ({data['examples']} intent examples); rows "
        "marked † were measured on other data.",
        "",
        "<!-- notes -->",
        "<!-- /notes -->",
        "",
        "## Pipelines compared",
        "",
        "CV = `rasa test nlu --cross-validation --folds 3` on data/nlu (mean ± std over folds). "
        "Held-out = trained on all of data/nlu, tested on tests/nlu/test_nlu.yml. Entity F1 is "
        "the weighted token-level F1 of the trained extractor (DIETClassifier, what "
        "tests/integration/test_nlu_heldout.py asserts, or CRFEntityExtractor); "
        "RegexEntityExtractor (lookup tables only) is shown separately. `rasa test` undoes "
        "FallbackClassifier predictions; \"right and above fallback threshold\" counts only "
        "right intents whose confidence also clears the threshold, as at run time. "
        "Train = `rasa train nlu` wall-clock (CPU seconds in brackets), on two cores shared "
        "with other jobs.",
        "",
        "| config | CV intent acc | CV intent F1 | CV entity F1 | held-out intent acc | "
        "held-out intent F1 | held-out right and above fallback threshold | held-out entity F1 | "
        "held-out entity F1 (regex) | train s (CPU s) | CV run s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, res in results.items():
        cv, ho = res.get("cv"), res.get("heldout")
        stale = any(r and r.get("data", {}).get("hash") != data["hash"] for r in (cv, ho))
        row = [f"`{labels[name]}`" + (" †" if stale else "")]
        if cv:
            row += [_mean(cv["means"], "intent", "Accuracy"), _mean(cv["means"], "intent",
                    "F1-score"), _mean(cv["means"], _learned(cv["means"]), "F1-score")
                    + _tag(cv["means"])]
        else:
            row += ["(not run)"] * 3
        if ho:
            intents = ho["intent_report"]
            fb = ho.get("fallback")
            confident = "-" if not fb else _f(
                intents["accuracy"] - fb["right_but_below"] / fb["messages"])
            row += [_f(intents["accuracy"]), _f(intents["weighted avg"]["f1-score"]), confident,
                    _f(_entity_f1(ho["entity_reports"], _learned(ho["entity_reports"])))
                    + _tag(ho["entity_reports"]),
                    _f(_entity_f1(ho["entity_reports"], "RegexEntityExtractor")),
                    f"{ho['train_timing']['wall_s']:.0f} ({ho['train_timing']['cpu_s']:.0f})"]
        else:
            row += ["(not run)"] * 6
        row.append(f"{cv['timing']['wall_s']:.0f}" if cv else "-")
        lines.append("| " + " | ".join(row) + " |")

    held = {n: r["heldout"] for n, r in results.items() if r.get("heldout")}
    if held:
        intents = sorted({i for r in held.values() for i in _per_intent(r["intent_report"])})
        lines += [
            "",
            "## Held-out F1 per intent",
            "",
            "Support = held-out messages of that intent. Weak spots (F1 < 0.85) in bold.",
            "",
            "| intent | support | " + " | ".join(f"`{labels[n]}`" for n in held) + " |",
            "|---|---|" + "---|" * len(held),
        ]
        for intent in intents:
            cells, support = [], 0
            for r in held.values():
                scores = _per_intent(r["intent_report"]).get(intent)
                if not scores:
                    cells.append("-")
                    continue
                support = scores["support"]
                f1 = scores["f1-score"]
                cells.append(f"**{f1:.2f}**" if f1 < 0.85 else f"{f1:.2f}")
            lines.append(f"| {intent} | {support} | " + " | ".join(cells) + " |")
        for name, r in held.items():
            errors = r["intent_errors"]
            lines += ["", f"### Held-out intent errors of `{labels[name]}` ({len(errors)})", ""]
            pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
            lines.append("Most frequent: " + ", ".join(
                f"{g} → {p} ({n})" for (g, p), n in pairs.most_common(6)) + "." if pairs else
                "None.")
            if name == next(iter(held)):
                lines += ["", "| message | gold | predicted (confidence) |", "|---|---|---|"]
                for e in sorted(errors, key=lambda e: e["intent"]):
                    pred = e["intent_prediction"]
                    text = e["text"].replace("|", "/")
                    lines.append(f"| {text} | {e['intent']} | {pred['name']} "
                                 f"({pred['confidence']:.2f}) |")

    sliced = {n: r for n, r in held.items() if r.get("intent_successes")}
    if sliced:
        lines += [
            "",
            "## Held-out intent accuracy by kind of message",
            "",
            "Slices by the message's form (a message can be in several).",
            "",
            "| slice | messages | " + " | ".join(f"`{labels[n]}`" for n in sliced) + " |",
            "|---|---|" + "---|" * len(sliced),
        ]
        for slice_name, keep in slices.items():
            cells, count = [], 0
            for r in sliced.values():
                msgs = [m for m in r["intent_errors"] + r["intent_successes"] if keep(m["text"])]
                count = len(msgs)
                right = sum(m["intent"] == m["intent_prediction"]["name"] for m in msgs)
                cells.append(f"{right / count:.2f}" if count else "-")
            lines.append(f"| {slice_name} | {count} | " + " | ".join(cells) + " |")

    cvs = {n: r["cv"] for n, r in results.items() if r.get("cv")}
    if cvs:
        lines += ["", "## Cross-validation confusion highlights", ""]
        for name, cv in cvs.items():
            pairs = _confusions(cv["intent_report"], 8)
            lines.append(f"* `{labels[name]}`: " + ", ".join(
                f"{g} → {w} ({n}/{s})" for g, w, n, s in pairs) + ".")

    if search:
        lines += [
            "",
            "## Passage-search threshold (MIN_SEARCH_SCORE)",
            "",
            "The fallback answers with the best `KnowledgeService.search(question)` passage when "
            "its score (share of the question's content words found in the passage, 0..1) is at "
            "least MIN_SEARCH_SCORE. Labelled set: tests/nlu/search_calibration.yml "
            f"({sum(r['answerable'] for r in search['rows'])} questions the article answers, each "
            "with the sentence that answers it; "
            f"{sum(not r['answerable'] for r in search['rows'])} it does not). A shown passage is "
            "right only if it is the answering sentence; precision = right / shown, "
            "recall = right / answerable.",
            "",
            "| threshold | shown | right | wrong passage | unanswerable shown | precision "
            "| recall |",
            "|---|---|---|---|---|---|---|",
        ]
        for t in search["table"]:
            lines.append(f"| {t['threshold']:.1f} | {t['shown']} | {t['right']} | "
                         f"{t['wrong_passage']} | {t['unanswerable_shown']} | "
                         f"{t['precision']:.2f} | {t['recall']:.2f} |")
        lines += ["", "<details><summary>Scores per question</summary>", "",
                  "| question | answerable | top score | right passage |", "|---|---|---|---|"]
        for r in sorted(search["rows"], key=lambda r: (-r["answerable"], -r["score"])):
            lines.append(f"| {r['question']} | {'yes' if r['answerable'] else 'no'} | "
                         f"{r['score']:.2f} | {'yes' if r['right_passage'] else 'no'} |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def write_report(results: dict, labels: dict, search: dict | None, data: dict,
                 seen: frozenset[str] = frozenset()) -> None:
    text = render(results, labels, search, data, seen)
    if REPORT.exists() and (old := NOTES.search(REPORT.read_text())):
        text = NOTES.sub(lambda _: old.group(0), text, count=1)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)


# --- main ---------------------------------------------------------------------------------------


def _pipeline(path: Path) -> list:
    return yaml.safe_load(path.read_text()).get("pipeline", [])


def candidates() -> dict[str, Path]:
    """config.yml first, then the variants whose pipeline differs from it."""
    found = {"config": ROOT / "config.yml"}
    for path in CONFIGS:
        if _pipeline(path) != _pipeline(found["config"]):
            found[path.stem] = path
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.nlu.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "nlu-compare",
                        help="working directory for models, reports and cached results")
    parser.add_argument("--only", nargs="+", help="config names (config, spacy, ...) to run")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "nlu",
                        help="training data (default data/nlu; pass a snapshot for long runs)")
    parser.add_argument("--steps", nargs="+", default=["cv", "heldout", "search"],
                        choices=["cv", "heldout", "search"])
    parser.add_argument("--force", action="store_true", help="rerun steps with cached results")
    parser.add_argument("--retest", action="store_true",
                        help="rerun only the held-out test, reusing the models trained before")
    args = parser.parse_args(argv)

    data = data_fingerprint(args.data)
    seen = training_words(args.data)
    configs = candidates()
    labels = {n: str(p.relative_to(ROOT)) for n, p in configs.items()}
    results: dict[str, dict] = {n: {} for n in configs}
    for name in configs:
        for step in ("cv", "heldout"):
            cached = args.out / name / f"{step}.json"
            if cached.exists():
                results[name][step] = json.loads(cached.read_text())
    fresh = {(n, step) for n, res in results.items() for step, r in res.items()
             if r.get("data", {}).get("hash") == data["hash"]}
    search_cache = args.out / "search.json"
    search = json.loads(search_cache.read_text()) if search_cache.exists() else None

    if "search" in args.steps:
        search = calibrate_search()
        args.out.mkdir(parents=True, exist_ok=True)
        search_cache.write_text(json.dumps(search, indent=1))
        write_report(results, labels, search, data, seen)
    for name, config in configs.items():
        if args.only and name not in args.only:
            continue
        for step in ("cv", "heldout"):
            cached = args.out / name / f"{step}.json"
            retest = args.retest and step == "heldout" and (name, step) in fresh
            if step not in args.steps or ((name, step) in fresh and not (args.force or retest)):
                continue
            print(f"[nlu-report] {name}: {step} ...", flush=True)
            if step == "cv":
                result = cross_validate(name, config, args.out, args.folds, args.data)
            else:
                timing = results[name][step]["train_timing"] if retest else None
                result = heldout(name, config, args.out, args.data, timing)
            result["data"] = data
            cached.write_text(json.dumps(result, indent=1))
            results[name][step] = result
            write_report(results, labels, search, data, seen)
    write_report(results, labels, search, data, seen)
    print(f"[nlu-report] wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
