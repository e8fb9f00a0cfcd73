# Conferbook: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKSUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Running needs the runtime dependencies only; checking adds the development tools.
RUN_STAMP := $(VENV)/.installed-run-$(CHECKSUM)
DEV_STAMP := $(VENV)/.installed-dev-$(CHECKSUM)
# The browser tests drive this Chromium (tests/browser/conftest.py reads the same variable).
CHROMIUM := $(or $(CONFERBOOK_CHROMIUM),/usr/bin/chromium)

.PHONY: run test lint bench bench-district bench-load profile eval fit-estimates demo clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-*
	@touch $(RUN_STAMP)

$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(DEV_STAMP) $(RUN_STAMP)

# `make run PORT=8001` when 8000 is taken.
run: $(RUN_STAMP)
	$(BIN)/conferbook serve --demo-if-empty $(if $(PORT),--port $(PORT))

demo: $(RUN_STAMP)
	$(BIN)/conferbook demo

# Before anything is installed: Debian's chromium is installed when we may (root with
# apt-get), otherwise make stops at once with the command to run.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || { echo "Could not install chromium with apt-get."; exit 1; }; \
	  elif [ "$(CHROMIUM)" = /usr/bin/chromium ] && command -v apt-get >/dev/null; then \
	    echo "The browser tests need Chromium. Install it, then run make test again:  sudo apt-get install chromium"; \
	    exit 1; \
	  else \
	    echo "The browser tests need Chromium, not found at $(CHROMIUM). Install Chromium, then run:  CONFERBOOK_CHROMIUM=/path/to/chromium make test"; \
	    exit 1; \
	  fi; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/conferbook manage makemigrations --check --dry-run

test: chromium lint
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/pytest -n 2 --dist loadgroup

bench: $(DEV_STAMP)
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/python bench/run.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/grouping.py
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/python bench/audit.py

# A teacher's pages in a district of 200 classes beside a tenth of it (built once a week
# into .test-home/district; set DATABASE_URL for PostgreSQL). `make profile PAGE=student`
# shows where one of its pages spends its time.
bench-district: $(RUN_STAMP)
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/python bench/district.py

profile: $(RUN_STAMP)
	CONFERBOOK_HOME=$(CURDIR)/.test-home $(BIN)/python bench/district.py --profile "$(or $(PAGE),class)"

# Conferbook and a bare Django project under the same server, driven by wrk (installed from
# Debian when missing) with 8, 16 and 24 signed-in teachers; 1 and 2 worker processes.
bench-load: $(RUN_STAMP)
	$(BIN)/python bench/load.py

# The writing analyser on real student writing in ../shared/eval (outside the repository).
eval: $(DEV_STAMP)
	$(BIN)/python bench/eval.py

# Refit the estimates after a detector or a feature changes, then `make eval`.
fit-estimates: $(DEV_STAMP)
	$(BIN)/python bench/fit_estimates.py
	$(BIN)/ruff format --quiet src/conferbook/analysis/_fitted.py

clean:
	rm -rf $(VENV) .test-home .pytest_cache .mypy_cache .ruff_cache
