"""The action server's answers, validated with a schema checked once, not once per turn.

Rasa 3.6 validates every action server response with ``jsonschema.validate(result, schema)``,
which first checks the (constant) schema itself against the JSON-Schema meta-schema. Measured
with py-spy under 50 concurrent conversations, that was 35-40% of the Rasa process's CPU
(docs/benchmarks.md). :func:`validate_action_results_once` gives ``RemoteAction`` a validator
built once per process; responses are validated against the same schema as before, and an
invalid one still raises ``jsonschema.ValidationError`` with Rasa's own hint appended.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    if isinstance(error, ValidationError):
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
    raise error


def validate_action_results_once() -> None:
    """Install the once-built validator on Rasa's ``RemoteAction`` (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
