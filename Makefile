# The two promised commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= auto

.PHONY: run test test-only bench install install-test system-deps lint format messages constraints clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Set up everything and serve the demo site at http://127.0.0.1:8000 (SQLite, demo data), with
## the background-jobs worker (`manage.py db_worker`) running beside it.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PYTHON=$(BIN)/python bash scripts/run-site.sh

## Install test dependencies (Python and Debian: Chromium, fonts) and run the whole suite.
test: install-test system-deps test-only

test-only:
	DJANGO_SETTINGS_MODULE=cdht_wagtail.settings.test $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

system-deps:
	bash scripts/install-system-deps.sh

bench: install-test
	$(BIN)/python bench/run.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

constraints: install-test
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Pinned versions tested with this project; installs use `pip install -c constraints.txt`.\n# Regenerate with `make constraints` after changing dependencies in pyproject.toml.' > constraints.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-output

## Background jobs: `make worker` runs them from the database (`manage.py db_worker`; `make run`
## already starts one). On RQ: `make redis` (Debian's redis-server on 6379, in the background),
## then `CDHT_TASK_BACKEND=rq make worker` and the site with CDHT_TASK_BACKEND=rq.
.PHONY: redis worker plugin-smoke explain-queries
redis:
	bash scripts/start-redis.sh 6379

worker: install
	PYTHON=$(BIN)/python bash scripts/start-worker.sh

## Install the apps into a fresh `wagtail start` site and run the smoke flow (about 25 s).
plugin-smoke: install
	bash scripts/plugin-smoke.sh

## EXPLAIN ANALYZE of the review queue and recognition listing on a throwaway PostgreSQL.
explain-queries: install
	bash scripts/with-postgres.sh $(BIN)/python scripts/explain_hot_queries.py
