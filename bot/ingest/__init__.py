"""Ingestion: source articles -> sections, sentences, topics and facts, by rules kept as data."""
