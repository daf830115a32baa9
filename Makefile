# Youth Voice: two commands do everything on a fresh machine.
#   make run    set up .venv, migrate SQLite, load the demo, serve on http://127.0.0.1:$(PORT)
#   make test   set up .venv and run the whole test suite
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run setup test lint totp browser-deps clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite is split across every core (pytest-xdist); add pytest options with PYTEST_ARGS, e.g.
# make test PYTEST_ARGS="-n 0 tests/consultations" for one process and one folder.
test: install
	DJANGO_SETTINGS_MODULE=youthforum.settings.test $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The current second-factor code for the demo staff accounts (dev only).
totp: install
	$(BIN)/python manage.py demo_totp

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# axe-core for the browser tests, from the npm registry, pinned in tests/browser/package.json.
browser-deps:
	cd tests/browser && npm ci --no-audit --no-fund --silent

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .test-db tests/browser/node_modules
