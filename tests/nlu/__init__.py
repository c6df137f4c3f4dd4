"""Held-out NLU data, pipeline variants and the comparison script (make nlu-report)."""
