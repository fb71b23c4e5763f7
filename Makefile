# The two commands: `make run` (demo app on SQLite) and `make test` (the whole suite, lint included).
SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrate demo bench docs

# Settings fail closed (debug off, keys required): the demo turns debug on, which also gives it demo keys;
# the checks and the suite use the test settings (tests/settings.py), which set test keys.
run demo: export DJANGO_DEBUG = 1
test lint: export DJANGO_SETTINGS_MODULE = tests.settings

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

migrate: .venv/.synced
	@mkdir -p var
	$(RUN) python manage.py migrate --noinput

demo: migrate
	$(RUN) python manage.py load_demo

run: demo
	@echo
	@echo "  Trial disclosure is serving at http://$(HOST):$(PORT)/"
	@echo "  Staff sign in at http://$(HOST):$(PORT)/sign-in/, operators at /admin/ (demo users: README.md, 'Demo data')"
	@echo
	$(RUN) python manage.py runserver $(HOST):$(PORT)

lint: .venv/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .

# axe-core for the browser tests' accessibility checks, from the lock file (nothing from npm is served).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; else echo "npm not found: browser tests will skip (or fail with REQUIRE_BROWSER=1)"; fi

test: lint node_modules/.package-lock.json
	@mkdir -p var
	$(RUN) python manage.py makemigrations --check --dry-run
	$(RUN) pytest -n 2 --dist loadfile

format: .venv/.synced
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

bench: .venv/.synced
	@for script in bench/*.py; do echo "== $$script"; $(RUN) python $$script || exit 1; done
