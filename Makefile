# 湘潭市公共就业服务平台 — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_POSTINGS ?= 2000
DEMO_SEEKERS ?= 1500

.DEFAULT_GOAL := help
.PHONY: help run test test-clock e2e lint audit typecheck fix lock backup restore bench-engine bench-pages bench-api bench-matching bench-dashboard bench-markets bench-fairs screenshots clean

help: ## List the commands
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The virtual environment is rebuilt only when the lock file changes.
$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本 (Python 3.11+ required)"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

run: $(VENV)/.installed ## Set up everything and run the portal with demo data (web + Celery worker + beat)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --postings $(DEMO_POSTINGS) --seekers $(DEMO_SEEKERS) --seed 1
	$(PY) manage.py rematch  # recommendations for the demo data at once (the nightly run does it at 02:00)
	@$(PY) manage.py demo_logins --url "http://$(HOST):$(PORT)/"
	WEB_ADDR="$(HOST):$(PORT)" exec scripts/run-all

# pytest's arguments in `make test`: two processes; the browser tests run in `make e2e`.
PYTEST_ARGS ?= -n 2 -m "not browser"

test: lint ## Run the whole suite: the checks of `make lint`, then pytest
	$(PY) -m pytest $(PYTEST_ARGS)

# One pass at 03:00 a year ahead: night, inside the quiet hours, and the hour when Asia/Shanghai's
# date is a day ahead of UTC's. The pure engine's tests are left out: the engine reads no clock
# (tests/matching/engine/test_no_clock.py fails the day it does), so shifting it proves nothing.
# CLOCK_HOUR=22 (or any hour) runs the same pass at another hour.
CLOCK_HOUR ?= 3
test-clock: $(VENV)/.installed ## Run pytest with the clock a year ahead at 03:00 (night, quiet hours, local date ≠ UTC date)
	scripts/test-clock 365 $(CLOCK_HOUR) $(PYTEST_ARGS) --ignore=tests/matching/engine

lint: $(VENV)/.installed ## Check only (changes nothing): ruff, format, migrations, import contracts, bandit, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=xiangtan_jobs.settings.test
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit -q -c pyproject.toml -r xiangtan_jobs matching markets fairs stations
	$(VENV)/bin/mypy

# pip-audit lives in a venv of its own under var/ (it is not in the lock) and needs the network to
# reach the advisory database (PyPI/OSV), which CI here cannot: run it where the network is open.
audit: ## Check the locked dependencies for known vulnerabilities (pip-audit; needs the network)
	test -x var/audit-venv/bin/pip-audit || ($(PYTHON) -m venv var/audit-venv && var/audit-venv/bin/pip install --quiet pip-audit)
	var/audit-venv/bin/pip-audit --strict --no-deps --disable-pip -r requirements.lock -r requirements-dev.lock

typecheck: $(VENV)/.installed ## Type-check with mypy (django-stubs; strict for matching.engine)
	$(VENV)/bin/mypy

fix: $(VENV)/.installed ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: ## Re-pin the dependencies with hashes after editing requirements*.in
	$(PYTHON) -m pip install --quiet uv==0.13.8
	$(PYTHON) -m uv pip compile --quiet --generate-hashes --python-version 3.11 requirements.in -o requirements.lock
	$(PYTHON) -m uv pip compile --quiet --generate-hashes --python-version 3.11 requirements-dev.in -o requirements-dev.lock

# PostgreSQL only: pg_dump/pg_restore from Debian's postgresql-client (scripts/pgbackup.py).
BACKUP_FILE ?= var/backup.dump
backup: ## Dump DATABASE_URL's PostgreSQL database to BACKUP_FILE (pg_dump -Fc; default var/backup.dump)
	@test -n "$$DATABASE_URL" || { echo "DATABASE_URL (PostgreSQL) must be set"; exit 2; }
	@mkdir -p "$$(dirname "$(BACKUP_FILE)")"
	$(PYTHON) scripts/pgbackup.py backup --database-url "$$DATABASE_URL" --out "$(BACKUP_FILE)"

restore: ## Restore BACKUP_FILE into a NEW database RESTORE_DATABASE_URL (never over an existing one)
	@test -n "$(RESTORE_DATABASE_URL)" || { echo "RESTORE_DATABASE_URL (a database that does not exist yet) must be set"; exit 2; }
	$(PYTHON) scripts/pgbackup.py restore --database-url "$(RESTORE_DATABASE_URL)" --file "$(BACKUP_FILE)"
	@test -z "$$DATABASE_URL" || $(PYTHON) scripts/pgbackup.py compare --database-url "$$DATABASE_URL" --other-url "$(RESTORE_DATABASE_URL)" \
	  || echo "(tables differ from DATABASE_URL: expected if it changed since the backup)"

bench-engine: $(VENV)/.installed ## Benchmark the pure matching engine (synthetic 50,000 × 35,000)
	OPENBLAS_NUM_THREADS=1 $(PY) bench/bench_engine.py

bench-pages: $(VENV)/.installed ## Benchmark the job list pages (needs DATABASE_URL with full demo data; see bench/README.md)
	@command -v wrk >/dev/null || { echo "安装 wrk (installing Debian's wrk)"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/bench_pages.py

bench-api: $(VENV)/.installed ## Benchmark the public jobs API against the trivial view and the HTML list (needs DATABASE_URL with full demo data)
	@command -v wrk >/dev/null || { echo "安装 wrk (installing Debian's wrk)"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk >/dev/null; }
	$(PY) bench/bench_api.py

bench-matching: $(VENV)/.installed ## Benchmark the matching on the database (needs DATABASE_URL and REDIS_URL)
	OPENBLAS_NUM_THREADS=1 $(PY) bench/bench_matching.py

bench-dashboard: $(VENV)/.installed ## Benchmark the dashboard against the job list (needs DATABASE_URL with full demo data)
	$(PY) bench/bench_dashboard.py

bench-markets: $(VENV)/.installed ## Benchmark the gig markets' pages against the job list (needs DATABASE_URL with full demo data)
	$(PY) bench/bench_markets.py

bench-fairs: $(VENV)/.installed ## Benchmark a fair's page, results and door check-ins against the job list (needs DATABASE_URL with demo data)
	$(PY) bench/bench_fairs.py

# Extra pytest arguments for the browser tests, e.g. `make e2e E2E_ARGS="-k smoke -x"`.
E2E_ARGS ?=
e2e: $(VENV)/.installed ## Run the browser tests in Debian's chromium (installed if missing); E2E_ARGS for pytest
	scripts/install-browser
	E2E_REQUIRED=1 $(PY) -m pytest -m browser tests/browser $(E2E_ARGS)

faults: $(VENV)/.installed ## Fault tests, not in CI: SIGKILL a real worker at each step of the nightly run and in a posting's matching, a database blip, a Redis outage (needs DATABASE_URL of an own PostgreSQL database, which is emptied; bench/README.md)
	$(PY) bench/faults.py $(FAULTS)

screenshots: $(VENV)/.installed ## Remake the README's screenshots from the demo data in Debian's chromium (docs/screenshots/)
	scripts/install-browser
	$(PY) scripts/screenshots.py

clean: ## Remove the virtual environment and local data under var/
	rm -rf $(VENV) var
