#!/usr/bin/env bash
# The main job on the bundled data, on a fresh machine: set up a virtual
# environment, build the knowledge graph into dist/graf/, validate the sample
# committee submissions (printing their reports), and write the follow-up
# report into dist/rapport/ and the linked-open-data site into dist/site/.
# Then the round trip a committee secretary takes: the sample filled spreadsheet
# is validated and accepted, with the other committees' samples, into a store
# (dist/lager/, an Oxigraph store on disk), and the follow-up report is written
# from that store into dist/rapport-lager/. Run again, each accept becomes a new
# version and the earlier one history (vetgraph history --store dist/lager).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
.venv/bin/vetgraph build --out dist/graf
.venv/bin/vetgraph validate data/exempel/namndmal/*.ttl
# The sample goals are of the mandate period 2023–2026; without --mandatperiod the report follows up the
# period that holds today, which from 2027 has no sample goals.
.venv/bin/vetgraph report --out dist/rapport --mandatperiod period:2023-2026
.venv/bin/vetgraph publish dist/site

.venv/bin/vetgraph validate data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx --namnd kultur-och-fritidsnamnden
for sample in data/exempel/namndmal/*.ttl; do
  committee=$(basename "$sample" .ttl)
  if [ "$committee" != kultur-och-fritidsnamnden ]; then
    .venv/bin/vetgraph accept "$sample" --namnd "$committee" --store dist/lager
  fi
done
.venv/bin/vetgraph accept data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx --namnd kultur-och-fritidsnamnden \
  --store dist/lager
.venv/bin/vetgraph history --store dist/lager
.venv/bin/vetgraph report --store dist/lager --out dist/rapport-lager --mandatperiod period:2023-2026
