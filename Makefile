# Two commands for a fresh machine (Python 3.11, nothing else assumed):
#   make run    set up .venv, install, run the nightly job once on the bundled samples
#   make test   set up .venv with test extras, run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CONFIG ?= config.yaml

.PHONY: run test lint bench clean

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

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Benchmarks print figures; they are never part of the test run. The parse benchmark
# compares against pdftotext, so poppler-utils is installed here when missing.
bench: $(VENV)/.installed-test
	@command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils) \
	  || sudo apt-get install -y -qq poppler-utils
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/parse_runners.py
	$(BIN)/python bench/nightly_speed.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
