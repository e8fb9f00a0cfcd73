# Conferbook: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/conferbook serve --demo-if-empty

demo: $(STAMP)
	$(BIN)/conferbook demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/conferbook manage makemigrations --check --dry-run

test: lint
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/pytest -n 2 --dist loadgroup

bench: $(STAMP)
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/python bench/run.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/grouping.py

clean:
	rm -rf $(VENV) .test-home .pytest_cache .mypy_cache .ruff_cache
