#!/usr/bin/env bash
# The main job on the bundled data, on a fresh machine: set up a virtual
# environment, build the knowledge graph into dist/graf/, validate the sample
# committee submissions (printing their reports), and write the follow-up
# report into dist/rapport/ and the linked-open-data site into dist/site/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
.venv/bin/vetgraph build --out dist/graf
.venv/bin/vetgraph validate data/exempel/namndmal/*.ttl
.venv/bin/vetgraph report --out dist/rapport
.venv/bin/vetgraph publish dist/site
