#!/usr/bin/env bash
# The README's picture of the sample filled spreadsheet as LibreOffice Calc renders it
# (docs/mall-libreoffice.png): the first goals and columns of the sheet Nämndmål,
# printed to PDF by headless LibreOffice and rasterised by pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python - data/exempel/kalkylblad/kultur-och-fritidsnamnden.xlsx "$work/mall.xlsx" <<'PY'
import sys
from openpyxl import load_workbook

book = load_workbook(sys.argv[1])
for name in book.sheetnames:
    if name != "Nämndmål":
        book[name].sheet_state = "hidden"
sheet = book["Nämndmål"]
# One column of each field, so the picture stays readable.
shown = {"Titel *", "KF-mål 1 *", "Delstrategi 1 *", "Delstrategi 2", "Medborgarperspektiv 1 *",
         "RUS-strategiområde 1 *", "Agenda 2030-mål 1 *", "Agenda 2030-mål 2", "Utmaning 1 *"}
for cell in sheet[1]:
    sheet.column_dimensions[cell.column_letter].hidden = cell.value not in shown
    sheet.column_dimensions[cell.column_letter].width = 30
sheet.print_area = "A1:AC7"
sheet.page_setup.orientation = "landscape"
sheet.page_setup.fitToWidth = 1
sheet.page_setup.fitToHeight = 1
sheet.sheet_properties.pageSetUpPr.fitToPage = True
book.active = book.sheetnames.index("Nämndmål")
book.save(sys.argv[2])
PY
soffice --headless --norestore "-env:UserInstallation=file://$work/profile" --convert-to pdf --outdir "$work" "$work/mall.xlsx" >/dev/null
# The top of the first page (A4 landscape at 150 dpi is 1754 × 1240 pixels), where the rows are.
pdftoppm -r 150 -png -f 1 -l 1 -x 60 -y 130 -W 1480 -H 110 "$work/mall.pdf" "$work/sida"
mv "$work"/sida*.png docs/mall-libreoffice.png
echo "Wrote docs/mall-libreoffice.png"
