# ASCM: two commands. `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup init bench loadtest lint frontend clean

setup: $(VENV)/.installed node_modules/.installed build/static/css/ascm.css

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@# WeasyPrint (documents as tagged PDFs) needs Pango; installed from Debian's packages when missing.
	@ldconfig -p 2>/dev/null | grep -q libpango-1.0 || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
	  && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null; } \
	  || echo "Install Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0) for PDF documents"
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/ascm.css: frontend/ascm.scss node_modules/.installed
	npm run --silent build

# Database, static files and demo data; safe to run again and again.
init: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo

run: init
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Broker configured: starting a Celery worker with beat alongside the web server."; \
	  $(VENV)/bin/celery -A ascm worker --beat --loglevel=INFO --concurrency=2 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT); \
	else \
	  echo "Embedded mode: SQLite file db.sqlite3, tasks run in-process."; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT); \
	fi

# Tests use the machine's PostgreSQL and Redis when they answer (CI sets DATABASE_URL itself).
test: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=ascm.settings.test > /dev/null
	@if [ -z "$$DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ascm; fi; \
	if [ -z "$$CELERY_BROKER_URL" ] && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then \
	  export CELERY_BROKER_URL=redis://127.0.0.1:6379/15; fi; \
	echo "Testing against $${DATABASE_URL:-SQLite} with broker $${CELERY_BROKER_URL:-none}"; \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m bench $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf build staticfiles .pytest_cache

# The load test (minutes; not part of `make test`): gunicorn + a Celery worker on the bench database.
loadtest: setup
	$(PY) -m bench.loadtest
