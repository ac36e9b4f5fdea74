# rasterkit: the only commands a newcomer needs.
#   make demo   venv + install + diff the bundled examples, prints where the outputs are
#   make test   everything CI runs (lint, unit, property-based, CLI, real-browser tests)
#   make bench  each capability beside its anchors, one run, ratios; writes bench/results.json
#   make lint   ruff

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
BENCH_STAMP := $(VENV)/.bench
OUT    := out/demo

.PHONY: demo test bench lint venv toolchain chromium odiff clean

# A C compiler and the Python headers: the kernels are compiled when the package is installed.
toolchain:
	@command -v cc >/dev/null 2>&1 && $(PYTHON) -c "import os, sys, sysconfig; \
	  sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" \
	  || { SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y gcc python3-dev; }

# What running rasterkit needs (make demo): the package and its runtime dependencies.
$(RUNTIME): pyproject.toml setup.py $(wildcard src/rasterkit/_kernels/_*.pyx src/rasterkit/_kernels/_*.pxd)
	@$(MAKE) --no-print-directory toolchain
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUNTIME)

# ... plus the test stack (make test): oracles, browser driver, linters.
venv: $(STAMP)
$(STAMP): $(RUNTIME)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# ... plus numba, only to time the kernels against their former numba versions.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

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

demo: $(RUNTIME)
	$(PY) -m examples.demo $(OUT)

lint: venv
	$(VENV)/bin/ruff check src tests bench examples

test: venv chromium
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/pytest -q

bench: $(BENCH_STAMP) chromium odiff
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) out bench/.cache bench/node_modules bench/results.json
