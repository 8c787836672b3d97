# The README's two commands: `make run` and `make test`. Each installs what it needs first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
STAMP := $(VENV)/.installed
# pytest processes for `make test` (files are dealt out whole, so a file's fixtures stay in one)
TEST_WORKERS ?= 2

.PHONY: run test deps system-deps venv lint demo bench clean-db

run: deps
	$(BIN)/gridcmd db start
	$(BIN)/gridcmd demo --if-empty
	$(BIN)/gridcmd serve --host 127.0.0.1 --port 8050

test: deps
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

deps: system-deps venv

system-deps:
	@bash scripts/system-deps.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "gridcmd needs Python >= 3.11 (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

lint: venv
	$(BIN)/ruff check .

demo: deps
	$(BIN)/gridcmd demo

bench: deps
	$(BIN)/gridcmd bench

clean-db: venv
	-$(BIN)/gridcmd db stop
