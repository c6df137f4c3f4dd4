"""Our Rasa NLU components (referenced by module path in ``config.yml``) and the pure rules they
and the actions share (``focus``, ``question_form``)."""
