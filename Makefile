# Two commands do all set-up on a fresh Debian machine (see README.md):
#   make run    – install, migrate, load the demo data, serve http://127.0.0.1:8000
#   make test   – install, then run the whole test suite (browser tests included)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
APT_PACKAGES := fonts-ipaexfont fonts-noto-cjk chromium poppler-utils gettext wrk
HOST ?= 127.0.0.1:8000
# Two test processes (pytest-xdist) on the 2-core machines; PYTEST_ARGS= runs them in one.
PYTEST_ARGS ?= -n 2

.PHONY: run test setup system-packages messages bench lint node-packages

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Open http://$(HOST)/ and sign in as city / city-demo-pass (see README.md)."
	@# The report's background worker (django-tasks' db_worker) runs beside the server and
	@# stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

test: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: system-packages $(STAMP) messages node-packages

# axe-core (pinned in package.json/package-lock.json) for the accessibility browser tests.
# Installed only where node exists; without it those tests fail with a message saying so.
node-packages:
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/axe-core ]; then \
	    npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; \
	  fi; \
	else \
	  echo "No npm: install nodejs and npm, then run make setup, for the accessibility tests."; \
	fi

# Japanese fonts for the report PDF, chromium for the browser tests, poppler for checking
# PDFs, gettext for compiling the message catalogue, wrk for the load test of make bench.
# Installed only where apt exists.
system-packages:
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	  if [ -n "$$(echo $$missing)" ]; then \
	    sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    echo "Installing $$missing"; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else \
	  echo "No apt-get: install a Japanese font (IPAex or Noto CJK), chromium, poppler and gettext."; \
	fi

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0

bench: setup
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
