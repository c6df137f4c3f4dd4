#!/usr/bin/env bash
# The whole suite (called by `make test` after set-up and the knowledge base).
# `rasa train` (skipped by Rasa when nothing changed) runs beside the lint, the data validation
# and the unit and integration tests; the tests that need the model wait for it
# (tests/conftest.py: trained_model). On a fresh clone this saves about the training's minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p var
status=var/train.status
rm -f "$status" "$status.tmp"
( set +e; .venv/bin/rasa train --quiet > var/train.log 2>&1; echo $? > "$status.tmp"
  mv "$status.tmp" "$status" ) &
trainer=$!
trap 'pkill -P "$trainer" 2>/dev/null; kill "$trainer" 2>/dev/null || true' EXIT
export BOT_TRAINING_STATUS="$PWD/$status"
echo "== rasa train (in the background: var/train.log)"
echo "== ruff"
.venv/bin/ruff check bot actions tests bench
echo "== rasa data validate"
.venv/bin/rasa data validate --quiet
echo "== pytest (unit, integration, e2e, Rasa story tests)"
.venv/bin/python -m pytest tests/unit tests/integration tests/e2e -p no:cacheprovider "$@"
wait "$trainer"
trap - EXIT
cat "$status" | grep -qx 0 || { echo "rasa train failed: see var/train.log" >&2; exit 1; }
