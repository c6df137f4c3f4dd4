"""The stock baseline: the bot ``rasa init`` creates, on the same Rasa version, trained once and
kept under var/bench/ (its directory name carries the Rasa version)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from bench.servers import BIN, base_env

# The stock bot's own kind of traffic: its example intents, answered by responses.
MESSAGES = ("hello", "I am feeling very sad", "yes", "very good", "are you a bot?", "bye")


def rasa_version() -> str:
    import rasa

    return rasa.__version__


def stock_bot(var_dir: Path) -> tuple[Path, Path, float | None]:
    """(project directory, model, training seconds or None when it was already there)."""
    project = var_dir / "bench" / f"rasa-init-{rasa_version()}"
    models = sorted((project / "models").glob("*.tar.gz")) if project.is_dir() else []
    if models:
        return project, models[-1], None
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)  # rasa init wants the directory to exist
    start = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                   cwd=project.parent, env=base_env(), check=True, capture_output=True,
                   timeout=1800)
    took = time.monotonic() - start
    return project, sorted((project / "models").glob("*.tar.gz"))[-1], took
