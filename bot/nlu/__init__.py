"""Our Rasa NLU components (referenced by module path in ``config.yml``)."""
