#!/usr/bin/env bash
# The whole suite (called by `make test` after set-up, knowledge base and training).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
echo "== ruff"
.venv/bin/ruff check bot actions tests bench
echo "== rasa data validate"
.venv/bin/rasa data validate --quiet
echo "== pytest (unit, integration, e2e, Rasa story tests)"
.venv/bin/python -m pytest tests -p no:cacheprovider "$@"
