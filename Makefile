# Every target does its own set-up: it creates .venv when missing and installs the project
# with the pinned versions in requirements.lock, then does its job.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test bench lint clean lock

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.11 not found on PATH" >&2; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

book: $(STAMP)  ## build the Jupyter Book (HTML in book/_build/html)
	$(BIN)/jupyter-book build -W -n --keep-going book/

test: $(STAMP)  ## run the test suite
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## engine throughput and book build times
	$(BIN)/python scripts/benchmark.py

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)  ## re-resolve requirements.lock from the current environment
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Pinned versions of every dependency (pip constraints file), resolved on Python 3.11.\n# Regenerate: make lock' > requirements.lock

clean:
	rm -rf book/_build .pytest_cache
