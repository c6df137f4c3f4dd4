# Career-guidance bot. `make run` starts everything; `make test` runs the whole suite.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
VENV := .venv/bin
HOST ?= 127.0.0.1
PORT ?= 5005
ACTION_PORT ?= 5055

.PHONY: help setup kb train run shell test eval lint validate stories nlu-report bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## create .venv, install pinned packages, the spaCy pipeline and the web widget
	@scripts/setup.sh

kb: setup ## build the knowledge base from data/sources (skips unchanged sources)
	$(VENV)/python -m bot.kb build

train: kb ## train the Rasa model if data, domain or config changed
	$(VENV)/rasa train --quiet

run: train ## start action server + Rasa (REST, socket.io, web page) on $(HOST):$(PORT)
	@HOST=$(HOST) PORT=$(PORT) ACTION_PORT=$(ACTION_PORT) scripts/run.sh

shell: train ## talk to the bot in the terminal (rasa shell with the action server)
	@ACTION_PORT=$(ACTION_PORT) scripts/shell.sh

test: kb ## the whole suite: lint, rasa data validate, pytest (unit, integration, e2e), story tests; trains beside them
	@WITH_BROWSER=1 WITH_NGINX=1 scripts/setup.sh
	@scripts/test.sh

eval: train ## answers to all blind question sets, judged end to end (docs/evaluation.md)
	EVAL_SETS=all $(VENV)/python -m pytest -q tests/e2e/test_answer_quality.py

lint: setup ## ruff over the code
	$(VENV)/ruff check bot actions tests

validate: setup ## rasa data validate
	$(VENV)/rasa data validate

nlu-report: train ## cross-validate NLU pipelines and write docs/nlu.md (slow)
	$(VENV)/python -m tests.nlu.compare

bench: train ## measure speed and memory, write docs/benchmarks.md
	$(VENV)/python -m bench

lock: ## regenerate requirements.lock from the current .venv
	$(VENV)/pip freeze --exclude pip --exclude setuptools --exclude wheel | sed '1i # Exact pins for the whole environment (python 3.10). Regenerate: make lock' > requirements.lock

clean: ## remove build outputs (venv, models, knowledge base, caches)
	rm -rf .venv models var .rasa results node_modules bot/web/node_modules
