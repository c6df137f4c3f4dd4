"""``python -m bot.nlp build [DIR]``: write the pipeline to disk for Rasa's SpacyNLP."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bot.nlp.pipeline import build_nlp, pipeline_fingerprint

DEFAULT_DIR = Path(__file__).resolve().parent / "model"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.nlp")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    stamp = args.directory / "FINGERPRINT"
    fingerprint = pipeline_fingerprint()
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return 0
    shutil.rmtree(args.directory, ignore_errors=True)
    build_nlp().to_disk(args.directory)
    stamp.write_text(fingerprint)
    print(f"spaCy pipeline written to {args.directory}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
