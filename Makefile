# One entry point for people and CI. Each target sets up what it needs on a fresh machine:
# Debian packages (poppler, pango, fonts), uv, and the virtualenv from uv.lock.
.DEFAULT_GOAL := help
SHELL := /bin/bash
UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
SYSTEM_PACKAGES := poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: help setup system-deps demo test lint types pytest bench ui clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

system-deps:  ## Debian packages for PDF letters and their checks (needs root or sudo)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(UV):  # uv, pinned, in a venv of its own: nothing installed outside the project
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: system-deps $(STAMP)  ## everything: system packages, uv, the virtualenv from uv.lock

demo: setup  ## synthetic exports → run → letters → release, into ./var/store
	$(VENV)/bin/annual-review demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/ruff format --check src tests $(wildcard bench)

types: $(STAMP)
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest

test: lint types pytest  ## lint (ruff), types (mypy, strict on transforms/), tests (pytest)

bench: setup  ## benchmark at scales 1, 10, 100; writes docs/performance.md
	$(VENV)/bin/python -m bench

clean:  ## remove the virtualenvs and everything under var/
	rm -rf $(VENV) $(TOOLS) var
