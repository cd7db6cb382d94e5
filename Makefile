# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# Local runs are development runs unless the environment says otherwise.
export DEBUG ?= 1
# Tests run with production-like settings (DEBUG off) and a throwaway key.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production
# One test process per core (pytest-xdist); `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= auto

.PHONY: run demo test lint format serve bench assets install install-dev migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input

## Set up everything (venv, database, the record of past letters, demo users) and serve.
run: migrate
	$(BIN)/python manage.py load_letters
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## The app on a small synthetic county (clearly labelled), in demo.sqlite3, never the real record's database.
DEMO_ENV := DATABASE_URL=sqlite:///$(CURDIR)/demo.sqlite3 HOME_AUTHORITY=Synthetica COUNCIL_NAME="Synthetic County Council (synthetic data)"
demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Lint, then the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: $(DEV_STAMP) lint
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Production-like: gunicorn, whitenoise serving compressed, hashed static files.
serve: export DEBUG = 0
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn --config gunicorn.conf.py config.wsgi

## Synthetic counties on PostgreSQL at each scale, each key page measured in process and under wrk (bench/README.md).
# Scale 100's county (about 8 million rows) takes about 3 minutes to build; BENCH_SCALES="1 10" skips it.
BENCH_SCALES ?= 1 10 100
BENCH_DURATION ?= 10
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/it_bench
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --scales $(BENCH_SCALES) --duration $(BENCH_DURATION)

## Rebuild static/css and static/js from the govuk-frontend npm package (needs Node and npm).
assets:
	npm ci
	npm run build:css

clean:
	rm -rf $(VENV) staticfiles

## Reliability checks: load, a PostgreSQL restart under load, backup and restore (docs/operations.md).
## Needs root and Debian's postgresql-common: it builds and drops a throwaway cluster on port 5433.
.PHONY: reliability
reliability: $(STAMP)
	$(BIN)/python bench/reliability/run.py $(RELIABILITY_ARGS)
