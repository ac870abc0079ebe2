#!/usr/bin/env bash
# The README's pictures of the follow-up report for the sample data:
#   docs/uppfoljning.png      the top of the report (key figures and goal fulfilment), in headless Chromium
#   docs/namndsida.png        a committee's page for its papers: status, links, judgements, a measure's chart
#   docs/rapport-pdf.png      a page of `vetgraph report --pdf`, rasterised by pdftoppm (poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/vetgraph report --out "$work/rapport" --pdf >/dev/null
shot() {  # shot URL OUT.png WIDTH HEIGHT
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$3,$4" --screenshot="$2" "$1" 2>/dev/null
}
shot "file://$work/rapport/uppfoljning.html" docs/uppfoljning.png 1100 1500
shot "file://$work/rapport/namnd/kultur-och-fritidsnamnden.html" docs/namndsida.png 1000 1900
pdftoppm -f 12 -l 12 -r 70 -png -singlefile "$work/rapport/uppfoljning.pdf" docs/rapport-pdf
echo "Wrote docs/uppfoljning.png, docs/namndsida.png and docs/rapport-pdf.png"
