"""``make bench``: speed and memory side by side, written to docs/benchmarks.md.

Not part of ``make test``; every request count is bounded and all traffic stays on loopback.

* **Servers**: the stock bot ``rasa init`` creates (same Rasa version, same SQLite tracker store,
  bench/baseline.py) and ours, started side by side; rounds alternate between them so that noise
  hits both. One client in sequence (p50/p95) and 20 concurrent conversations (throughput), as
  ratios ours / baseline; start-up time and resident memory of each.
* **Our turn**: a knowledge-base turn against a plain response turn ("are you a bot?") on our
  server, and where a knowledge-base turn's time goes (NLU over HTTP, the action call, the
  knowledge-base query, the tracker store; the rest is policies, channel and HTTP).
* **Scale-out** (PostgreSQL + Redis, endpoints.scale.yml): one process, one process with two Sanic
  workers, and two replicas, 20 concurrent conversations each.
* **Knowledge base**: build and query p50/p95 at 1, 1,000 and 10,000 synthetic articles
  (bench/synthetic.py).
* **Training**: ``rasa train`` from an empty cache, and again after one changed NLU example.

``python -m bench --only servers,kb`` runs some sections; ``--articles 1,1000`` other sizes.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from bench import baseline, sections
from bench.servers import BIN

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("servers", "turn", "scale", "kb", "train")


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    import os

    import rasa
    import rasa_sdk
    import spacy
    import sqlalchemy

    return [
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.0f} GiB RAM,"
        f" Python {platform.python_version()}, {platform.platform()}.",
        f"Versions: rasa {rasa.__version__}, rasa-sdk {rasa_sdk.__version__}, spaCy"
        f" {spacy.__version__}, SQLAlchemy {sqlalchemy.__version__}.",
        "Numbers are noisy (a shared 2-core machine); treat them as sizes, not guarantees.",
        "",
    ]


def latest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model in models/: run `make train`")
    return models[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--articles", default="1,1000,10000",
                        help="knowledge-base sizes in synthetic articles")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    lines = ["# Benchmarks", "", *machine()]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        runs: dict[str, Callable[[], list[str]]] = {
            "servers": lambda: sections.servers(
                ROOT, latest_model(), *baseline.stock_bot(ROOT / "var"), work),
            "turn": lambda: sections.our_turn(ROOT, latest_model(), work),
            "scale": lambda: sections.scale_out(ROOT, latest_model(), work),
            "kb": lambda: sections.knowledge_base(
                ROOT, [int(n) for n in args.articles.split(",")], work),
            "train": lambda: training(work),
        }
        for name in chosen:
            started = time.monotonic()
            print(f"== {name}", flush=True)
            lines += runs[name]()
            print(f"   {time.monotonic() - started:.0f} s", flush=True)
    target = Path(args.out)
    target.write_text("\n".join(lines) + "\n")
    print(target.read_text())
    return 0


def training(work: Path) -> list[str]:
    """``rasa train`` in a copy of the project: empty cache, then one changed NLU example."""
    project = work / "train-project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "models", ".rasa", "var", "node_modules", ".git", "test-artifacts"))

    def train() -> float:
        start = time.monotonic()
        subprocess.run([str(BIN / "rasa"), "train", "--quiet", "--out", "models"], cwd=project,
                       env=sections.base_env(), check=True, capture_output=True, timeout=3600)
        return time.monotonic() - start

    cold = train()
    nlu = project / "data" / "nlu" / "faq.yml"
    text = nlu.read_text()
    marker = "    - what is [operations management](topic)\n"
    assert marker in text, "the example the benchmark changes is gone from faq.yml"
    nlu.write_text(text.replace(marker, marker + "    - what is [operations management](topic)"
                                " in short\n", 1))
    changed = train()
    return [
        "## Training",
        "",
        f"- `rasa train` from an empty cache: {cold:.0f} s (target: at most 180 s)",
        f"- again after one added NLU example: {changed:.0f} s",
        "",
    ]


if __name__ == "__main__":
    raise SystemExit(main())
