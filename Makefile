# rasterkit: the only commands a newcomer needs.
#   make demo   venv + install + diff the bundled examples, prints where the outputs are
#   make test   everything CI runs (lint, unit, property-based, CLI, real-browser tests)
#   make bench  each capability beside its anchors, one run, ratios; writes bench/results.json
#   make lint   ruff

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    := out/demo

.PHONY: demo test bench lint venv chromium odiff clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium for the real-browser tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

# odiff (npm package odiff-bin), an anchor of the diff benchmark.
odiff: bench/node_modules/.bin/odiff
bench/node_modules/.bin/odiff: bench/package.json
	cd bench && npm install --no-audit --no-fund --silent
	touch $@

demo: venv
	$(PY) -m examples.demo $(OUT)

lint: venv
	$(VENV)/bin/ruff check src tests bench examples

test: venv chromium
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/pytest -q

bench: venv chromium odiff
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) out bench/.cache bench/node_modules bench/results.json
