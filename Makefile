# One entry point for people and CI. Each target sets up what it needs on a fresh machine:
# Debian packages (poppler, fonts), uv, and the virtualenv from uv.lock.
.DEFAULT_GOAL := help
SHELL := /bin/bash
UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
RUNTIME_STAMP := $(VENV)/.synced-runtime
PY_DIRS := src flows transforms templates deployments tests bench
# fonts-dejavu-core: the letters' font (Typst, whose wheel carries the compiler, embeds it in each PDF)
RUNTIME_PACKAGES := fonts-dejavu-core
# poppler-utils: the tests read the PDF letters' pages and text (pdfinfo, pdftotext)
# chromium: the browser tests of the reference site (Playwright drives it; `playwright install` cannot run here)
SYSTEM_PACKAGES := $(RUNTIME_PACKAGES) poppler-utils chromium

.PHONY: help setup system-deps runtime-deps demo test lint types pytest bench ui clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Debian packages that are not installed yet, as root or with sudo
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:  ## Debian packages for PDF letters, their checks and the browser tests (root or sudo)
	$(call apt_install,$(SYSTEM_PACKAGES))

runtime-deps:  # what the pipeline itself needs: Debian packages for PDFs, the runtime dependencies only
	$(call apt_install,$(RUNTIME_PACKAGES))

$(UV):  # uv, pinned, in a venv of its own: nothing installed outside the project
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# The development set (tests, linters, type stubs, SeaweedFS, DuckDB) on top of the runtime one.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@ $(RUNTIME_STAMP)

# The runtime set only, for the demo; --inexact leaves a development set that is already there.
$(RUNTIME_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --inexact --python $(PYTHON)
	@touch $@

setup: system-deps $(STAMP)  ## everything: system packages, uv, the virtualenv from uv.lock

demo: runtime-deps $(RUNTIME_STAMP)  ## synthetic exports → run → letters → release, into ./var/store
	$(VENV)/bin/annual-review demo

lint: $(STAMP)
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)

types: $(STAMP)
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest

test: lint types pytest  ## lint (ruff), types (mypy, strict on transforms/), tests (pytest)

bench: setup  ## benchmark at scales 1, 10, 100; writes docs/performance.md
	$(VENV)/bin/python -m bench

# The server runs in its own session so that Ctrl-C reaches the serving process first: it pauses its
# schedules through the still-running server, exits, and the EXIT trap then stops the server.
UI_PORT ?= 4200
ui: $(STAMP)  ## Prefect server + UI on 127.0.0.1:4200 (SQLite in $PREFECT_HOME, default var/prefect), serving the deployments
	@export PREFECT_HOME="$${PREFECT_HOME:-$(CURDIR)/var/prefect}" PREFECT_SERVER_ANALYTICS_ENABLED=false \
	  PREFECT_API_URL=http://127.0.0.1:$(UI_PORT)/api; \
	mkdir -p "$$PREFECT_HOME"; \
	setsid $(VENV)/bin/prefect server start --host 127.0.0.1 --port $(UI_PORT) --analytics-off \
	  > "$$PREFECT_HOME/server.log" 2>&1 & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	for _ in $$(seq 120); do \
	  $(VENV)/bin/python -c "import urllib.request as u; u.urlopen('$$PREFECT_API_URL/health', timeout=2)" \
	    2>/dev/null && break; sleep 1; \
	done; \
	echo "Prefect UI on http://127.0.0.1:$(UI_PORT) (server log: $$PREFECT_HOME/server.log); Ctrl-C stops both"; \
	$(VENV)/bin/python -m deployments

clean:  ## remove the virtualenvs and everything under var/
	rm -rf $(VENV) $(TOOLS) var
