"""Settings read from the environment, so that nothing secret or machine-specific is in the repo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where the knowledge base lives and where its sources come from."""

    database_url: str
    log_database_url: str
    sources_dir: Path
    var_dir: Path
    hash_salt: str | None
    min_search_score: float

    @property
    def is_sqlite_file(self) -> bool:
        return self.database_url.startswith("sqlite:///") and self.sqlite_path is not None

    @property
    def sqlite_path(self) -> Path | None:
        """The file behind a ``sqlite:///path`` URL (None for in-memory and other databases)."""
        if not self.database_url.startswith("sqlite:///"):
            return None
        path = self.database_url[len("sqlite:///"):]
        return Path(path) if path and path != ":memory:" else None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("BOT_VAR_DIR", PROJECT_ROOT / "var"))
    default_url = f"sqlite:///{var_dir / 'kb.sqlite'}"
    return Settings(
        database_url=env.get("KB_DATABASE_URL") or default_url,
        log_database_url=env.get("LOG_DATABASE_URL") or f"sqlite:///{var_dir / 'questions.sqlite'}",
        sources_dir=Path(env.get("KB_SOURCES_DIR", PROJECT_ROOT / "data" / "sources")),
        var_dir=var_dir,
        hash_salt=env.get("BOT_HASH_SALT") or None,
        # Calibrated in docs/nlu.md: share of a question's content words a passage must contain.
        min_search_score=float(env.get("MIN_SEARCH_SCORE", "0.6")),
    )
