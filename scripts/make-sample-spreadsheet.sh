#!/usr/bin/env bash
# Regenerate the sample filled spreadsheet, data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx:
# the template (vetgraph template) filled with the goals of the Turtle sample
# data/exempel/namndmal/kultur-och-fritidsnamnden.ttl, each goal's Beskrivning
# saying it is sample data. tests/submissions/test_sample_spreadsheet.py checks
# that it still says the same as the Turtle sample.
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx
staged=$(mktemp -d)
trap 'rm -rf "$staged"' EXIT
.venv/bin/vetgraph template "$staged/mall.xlsx" --namnd kultur-och-fritidsnamnden \
  --mandatperiod period:2023-2026 --from data/exempel/namndmal/kultur-och-fritidsnamnden.ttl
.venv/bin/python - "$staged/mall.xlsx" <<'PY'
import sys
from openpyxl import load_workbook

book = load_workbook(sys.argv[1])
sheet = book["Nämndmål"]
headers = {cell.value: cell.column for cell in sheet[1]}
for row in range(2, sheet.max_row + 1):
    if sheet.cell(row=row, column=headers["Titel *"]).value:
        sheet.cell(row=row, column=headers["Beskrivning"]).value = (
            "EXEMPELDATA: ett påhittat mål som visar hur en nämnd fyller i mallen, inte nämndens beslut."
        )
book.save(sys.argv[1])
PY
mv "$staged/mall.xlsx" "$out"
echo "Wrote $out"
