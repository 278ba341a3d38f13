# The single entry point. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
export ODOO_SRC ?= /opt/odoo-18.0

.PHONY: setup run test lint bench clean-db help
help:
	@echo "make run    - set up, install the suite with Chinese demo data in database property_demo, serve http://localhost:8069"
	@echo "make test   - set up, install the suite in a fresh database and run all its tests"
	@echo "make lint   - ruff, ruff-format and pylint-odoo (through pre-commit)"
	@echo "make bench  - the benchmarks under bench/"

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test:
	@WITH_CHROMIUM=1 WITH_BACKUP_TOOLS=1 bash scripts/setup.sh
	@bash scripts/test.sh

lint: setup
	@bash scripts/lint.sh

bench: setup
	@bash scripts/bench.sh

clean-db:
	@dropdb --if-exists $${DB:-property_demo}
