"""Text helpers shared by ingestion, understanding and the knowledge service (no I/O at import)."""
