# Every target does its own set-up: it creates .venv when missing and installs the project
# with the pinned versions in requirements.lock, then does its job.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test browser-test bench lint clean lock

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.11 not found on PATH" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

book: $(STAMP)  ## build the Jupyter Book (HTML in book/_build/html)
	@$(BIN)/jevons data fetch --missing  # downloads what neither the cache nor a mirror holds, or stops
	$(BIN)/jupyter-book build -W -n --keep-going book/

# JupyterLab on book/, where the chapters (MyST markdown) open as notebooks through jupytext.
# JEVONS_DATA_MIRROR and the other JEVONS_* variables pass through to the kernels; a notebook can
# also change them live with %env (the data layer reads them on every call). LAB_ARGS adds
# options, e.g. make lab LAB_ARGS='--no-browser --port 8890'.
LAB_STAMP := $(VENV)/.installed-lab
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
LAB_ARGS ?=
.PHONY: lab
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,lab]'
	@mkdir -p $(LAB_SETTINGS)
	@printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook"}}}' > $(LAB_SETTINGS)/overrides.json
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP)  ## JupyterLab on book/, chapters open as notebooks (LAB_ARGS=...)
	@echo "data mirror: $${JEVONS_DATA_MIRROR:-not set (prices from Yahoo; see README, Data)}"
	$(BIN)/jupyter-lab --ServerApp.root_dir=book $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest -q

browser-test: $(STAMP)  ## the built book in headless Chromium, offline (after make book)
	$(BIN)/python -m pytest -q -m browser tests/browser

bench: $(STAMP)  ## engine throughput and book build times
	$(BIN)/python scripts/benchmark.py

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)  ## re-resolve requirements.lock from the current environment
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Pinned versions of every dependency (pip constraints file), resolved on Python 3.11.\n# Regenerate: make lock' > requirements.lock

clean:
	rm -rf book/_build .pytest_cache
