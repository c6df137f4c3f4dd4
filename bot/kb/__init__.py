"""The knowledge base: sources, passages, topics and facts with provenance."""
