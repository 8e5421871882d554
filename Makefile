# Two entry points a new user needs (see README):
#   make demo  — install the core and run a consultation on an example psoriasis case
#   make test  — install everything (Debian's chromium, fonts-noto-cjk, postgresql; the llm extra, pinned), then lint,
#                type check, test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1

.PHONY: demo test system-packages install install-dev lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[llm,serve,dev]"

demo: install
	$(BIN)/derm3r consult examples/cases/ps-blood-heat-1.json

lint:
	$(BIN)/ruff check derm3r tests benchmarks examples finetune data

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

system-packages:
	bash scripts/system-packages.sh

test: system-packages install-dev lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/consult_bench.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
