"""Whether the knowledge base can be served, said in words an operator can act on."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.kb.db import make_engine
from bot.kb.models import SCHEMA_VERSION, Passage

REBUILD = "python -m bot.kb build"


def check(settings: Settings) -> str | None:
    """None when the knowledge base is usable; else what is wrong and how to fix it."""
    where = str(settings.sqlite_path) if settings.sqlite_path else settings.database_url
    if settings.sqlite_path is not None and not settings.sqlite_path.is_file():
        return f"The knowledge base {where} is missing: run `{REBUILD}` (or `make kb`)."
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(
                text("SELECT value FROM kb_meta WHERE key = 'schema_version'")).scalar()
            passages = connection.execute(select(func.count()).select_from(Passage)).scalar()
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
        return (f"The knowledge base {where} cannot be read ({reason}): rebuild it with "
                f"`{REBUILD}`.")
    finally:
        engine.dispose()
    if version != SCHEMA_VERSION:
        return (f"The knowledge base {where} was built by another version (schema {version}, "
                f"expected {SCHEMA_VERSION}): rebuild it with `{REBUILD}`.")
    if not passages:
        return f"The knowledge base {where} is empty: add articles and run `{REBUILD}`."
    return None
