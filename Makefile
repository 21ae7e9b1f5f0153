# The two commands of README.md: `make run` serves a demo studio, `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
INI ?= development.ini
SYSTEM_PACKAGES := tj3 chromium
# Installing again only when the packaging changes: an editable install follows the code.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test
# Two warnings nobody can act on: setuptools' note on every editable install, and Pyramid 2.x
# importing pkg_resources (setup.py pins setuptools<81 so that it still can).
QUIET := ignore:Editable installation,ignore:pkg_resources is deprecated:UserWarning

.PHONY: run test install install-test system-packages lint format bench clean

# The worker (schedule runs, e-mails, daily digests) runs in the background beside pserve and
# stops when pserve does.
run: install
	@export PYTHONWARNINGS="$(QUIET)"; \
	$(BIN)/stalker-web $(INI) init && \
	$(BIN)/stalker-web $(INI) load-demo && \
	{ $(BIN)/stalker-web $(INI) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/pserve $(INI); }

test: install-test system-packages
	$(BIN)/ruff check stalker_web tests alembic bench examples
	$(BIN)/ruff format --check stalker_web tests alembic bench examples
	$(BIN)/python -m tests.run_all

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel 'setuptools<81'

install: $(INSTALLED)

install-test: $(INSTALLED_TEST)

$(INSTALLED): setup.py pyproject.toml | $(BIN)/python
	PYTHONWARNINGS="$(QUIET)" $(BIN)/pip install --quiet -e .
	@touch $@

$(INSTALLED_TEST): setup.py pyproject.toml | $(BIN)/python
	PYTHONWARNINGS="$(QUIET)" $(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(INSTALLED)

# TaskJuggler schedules and Chromium drives the browser tests; Debian's packages provide both.
system-packages:
	@missing=""; \
	command -v tj3 >/dev/null || missing="$$missing tj3"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "missing:$$missing -- run: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi

lint: install-test
	$(BIN)/ruff check stalker_web tests alembic bench examples

format: install-test
	$(BIN)/ruff format stalker_web tests alembic bench examples
	$(BIN)/ruff check --fix stalker_web tests alembic bench examples

# Page timings and query counts on the demo and the large studio (not part of `make test`).
bench: install-test
	$(BIN)/python -m bench.pages

clean:
	rm -rf $(VENV) var *.egg-info
