#!/usr/bin/env bash
# Set up a virtual environment with the development tools and run every check
# CI runs: lint (ruff), formatting, type checks (mypy) and the tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest
