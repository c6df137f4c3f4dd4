"""Small text helpers shared by ingestion and the knowledge service."""

from __future__ import annotations


def normalise_value(value: str, synonyms: dict[str, str], display: bool = False) -> str:
    """The comparison key of a value (lowercase, synonyms applied), or its display form."""
    key = " ".join(value.lower().split()).strip(" .,;")
    mapped = synonyms.get(key)
    if display:
        return mapped or value
    return (mapped or key).lower()
