# hrtc — `make run` serves the platform on http://127.0.0.1:8000, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HRTC_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test bench lint format install browser clean disclosure-walk disclosure-mutants

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/hrtc run

test: install browser
	$(BIN)/python -m pytest

browser:
	@bash scripts/ensure-browser.sh

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

# The canary disclosure walk on its own (every URL, every API operation, every reader class).
disclosure-walk: install
	$(BIN)/python -m pytest tests/disclosure -m walk -q

# Each leak the security review found, re-introduced (tests/disclosure/mutants/), must make the walk fail.
disclosure-mutants: install
	bash scripts/disclosure-mutants.sh

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
