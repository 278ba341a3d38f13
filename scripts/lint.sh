#!/usr/bin/env bash
# `make lint`: pre-commit with local hooks (ruff, ruff format, pylint-odoo) on every file.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$PWD/.venv/pre-commit-cache}
pre-commit run --all-files --show-diff-on-failure
