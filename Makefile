# The two commands a person needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PY := .venv/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install dev-install run test unit pytest validate train stories lint lock clean nlu-eval sms browser postgres redis check-scripts bench bench-parts

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Production (APP_ENV=production) installs only what the assistant runs on; a developer's
# one .venv also gets the test and lint tools, so `make run` and `make test` share it.
install: ## create .venv (Python 3.10), install requirements.lock (+ requirements-dev.lock unless APP_ENV=production)
	@scripts/install $(if $(filter production,$(APP_ENV)),,--dev)

dev-install: ## install requirements.lock and requirements-dev.lock (test and lint tools), whatever APP_ENV is
	@scripts/install --dev

run: install ## start the assistant (trains first if needed); Ctrl-C stops it
	@$(PY) -m bot.rasa.serve

.PHONY: cluster
cluster: install ## several Rasa processes behind nginx on CLUSTER_PORT (8080), with PostgreSQL and Redis; Ctrl-C stops it
	@$(PY) -m bot.cluster

train: install ## train the model if config.yml, domain.yml or data/ changed
	@$(PY) -m bot.rasa.train

validate: install ## check the training data and domain
	@$(PY) -m bot.rasa.runtime data validate --fail-on-warnings

unit: dev-install ## the fast tests only: no server, no browser (seconds)
	@$(PY) -m pytest -m "not server and not browser"

pytest: dev-install browser postgres redis train ## every pytest test: unit, server (tests/server) and browser (tests/browser)
	@$(PY) -m pytest

browser: ## make sure Debian's Chromium is there for the browser tests
	@scripts/ensure-chromium

postgres: ## make sure Debian's PostgreSQL is there (tests start a throwaway server of their own)
	@scripts/ensure-postgres

redis: ## make sure Debian's redis-server is there (lock-store tests start their own)
	@scripts/ensure-redis

stories: train ## conversation tests in tests/test_stories.yml (rasa test)
	@$(PY) -m bot.rasa.runtime test core --model models/ecm.tar.gz --stories tests/test_stories.yml \
	  --fail-on-prediction-errors --out results/stories

test: dev-install lint validate train pytest stories ## everything CI runs
	@echo "make test: all checks passed"

lint: dev-install ## ruff
	@$(PY) -m ruff check bot actions tests $(wildcard bench)

sms: install ## text the running assistant from this terminal, signed like Twilio (FROM=+1555...)
	@$(PY) -m bot.tools.sms_sim $(if $(FROM),--from $(FROM))

check-scripts: install ## run tests/script_checks.yml against the running assistant (make run)
	@$(PY) -m bot.tools.checks

nlu-eval: train ## held-out intent figures, then every blind set end to end through the running assistant
	@$(PY) -m bench.nlu_eval
	@$(PY) -m bench.blind_eval

bench: install ## our assistant against the stock rasa init bot: speed, memory, start-up (bench/results.json)
	@$(PY) -m bench.run

bench-parts: install train ## ours with each change in bot/rasa/patches/ left out in turn (bench/parts.json)
	@$(PY) -m bench.parts

lock: ## rewrite requirements.lock and requirements-dev.lock (with hashes) from the current .venv
	@$(PY) scripts/lock

clean: ## remove trained models and local data (keeps .venv)
	rm -rf models/*.tar.gz models/*.fingerprint models/spacy var results
