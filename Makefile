# rasterkit: the only commands a newcomer needs.
#   make demo   venv + install + diff the bundled examples, prints where the outputs are
#   make test   everything CI runs (lint, unit, property-based, CLI, real-browser tests)
#   make bench  each capability beside its anchors, one run, ratios; writes bench/results.json
#   make lint   ruff
#   make bench-corpus  every image diff tool scored on a corpus of Chromium pairs
#                      (CORPUS_ARGS=--quick for a few pairs per family); make corpus-tools installs them

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
BENCH_STAMP := $(VENV)/.bench
JUNIT_XSD := $(VENV)/share/junit-10.xsd
OUT    := out/demo

.PHONY: demo test bench lint venv toolchain chromium odiff clean corpus-tools bench-corpus

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
venv: $(STAMP) $(JUNIT_XSD)
$(STAMP): $(RUNTIME)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The JUnit schema pytest validates its own --junitxml against (from pytest's source
# distribution), for the test of diff-dir --junit; fetched, not committed.
$(JUNIT_XSD): $(STAMP)
	$(PY) -m tests.support.fetch_junit_xsd $@

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

# The tools of the diff benchmark corpus: npm ones (bench/package.json), Debian's ImageMagick
# and GNU time, and pixelhog in its own venv (it needs Python >= 3.12; skipped without one).
PY312 ?= $(shell command -v python3.12 || ls $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1)
corpus-tools: chromium
	cd bench && npm install --no-audit --no-fund --silent
	@{ command -v compare >/dev/null && test -x /usr/bin/time; } || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y imagemagick time; }
	@if [ -n "$(PY312)" ]; then \
	  { test -x bench/.venv-pixelhog/bin/python || $(PY312) -m venv bench/.venv-pixelhog; } && \
	  bench/.venv-pixelhog/bin/pip install --quiet pixelhog==1.3.1 || echo "pixelhog not installed"; \
	else echo "pixelhog skipped: it needs Python >= 3.12 and none was found"; fi

bench-corpus: venv corpus-tools
	$(PY) -m bench.corpus.run $(CORPUS_ARGS)

demo: $(RUNTIME)
	$(PY) -m examples.demo $(OUT)

lint: venv
	$(VENV)/bin/ruff check src tests bench examples

# Test files run in parallel, one file per worker (2 cores: ~7 min instead of ~13).
# PYTHONFAULTHANDLER: a command that crashes in native code prints its Python stack to the
# stderr the failing test shows (a rare SIGSEGV once ended a CI run with no clue at all).
TEST_WORKERS ?= auto
test: venv chromium
	$(VENV)/bin/ruff check src tests bench examples
	PYTHONFAULTHANDLER=1 $(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist loadfile

bench: $(BENCH_STAMP) chromium odiff
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) out bench/.cache bench/node_modules bench/results.json bench/out bench/.venv-pixelhog
