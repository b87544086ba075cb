# Two commands for a fresh machine (Python 3.11, nothing else assumed):
#   make run    set up .venv, install, run the nightly job once on the bundled samples
#   make test   set up .venv with test extras, run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CONFIG ?= config.yaml

.PHONY: run test test-fast sysdeps lint bench clean

# System packages the tests and optional stages use: pdftotext (scorer, benches), Tesseract with
# the simplified-Chinese model (OCR stage; parsers/ocr.py says why OCRmyPDF is not used), Chromium and CJK fonts (HTML report
# browser tests). Installed with apt-get where missing; each feature says what is missing without them.
SYSDEPS_CMDS := pdftotext tesseract chromium img2pdf
SYSDEPS_PKGS := poppler-utils tesseract-ocr tesseract-ocr-chi-sim chromium fonts-noto-cjk img2pdf

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/budget-etl run --config $(CONFIG)
	$(BIN)/budget-etl report data/site --config $(CONFIG)

sysdeps:
	@missing=""; for c in $(SYSDEPS_CMDS); do command -v $$c >/dev/null || missing=yes; done; \
	  tesseract --list-langs 2>/dev/null | grep -q chi_sim || missing=yes; \
	  fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing=yes; \
	  if [ -n "$$missing" ]; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSDEPS_PKGS) >/dev/null; \
	  fi

# Two workers on two cores. With one Prefect test server and one reference run shared by all
# workers (tests/conftest.py), more workers buy little: measured one after the other on a fresh
# clone (625 tests, 2026-12-03), two took 207 and 213 s, three 195 and 208 s (~10 CPU-s more),
# four 222 s. One module runs on one worker (its module fixtures are built once); see
# tests/conftest.py for the order.
PYTEST_WORKERS ?= 2

test: $(VENV)/.installed-test sysdeps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder

# The inner loop: everything but the slow Prefect-flow, kill and browser tests.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder -m "not slow"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Benchmarks print figures; they are never part of the test run. The parse benchmark
# compares against pdftotext, so poppler-utils is installed here when missing.
bench: $(VENV)/.installed-test sysdeps
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/parse_runners.py
	$(BIN)/python bench/nightly_speed.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
