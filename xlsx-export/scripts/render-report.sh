#!/usr/bin/env bash
# Renders an XLSX report the way LibreOffice draws it: a PDF, and one PNG per page, to look at the
# sheets and the charts. Not part of the Maven build (CI has no LibreOffice).
#
#   usage: render-report.sh <report.xlsx> <outdir>
#   needs: apt-get install -y libreoffice-calc-nogui poppler-utils
#
# Use a small report: about 2 s for a day of minutes, minutes for tens of thousands of rows.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <report.xlsx> <outdir>" >&2
  exit 2
fi
report=$1
outdir=$2
for tool in soffice pdftoppm; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool not found; apt-get install -y libreoffice-calc-nogui poppler-utils" >&2
    exit 1
  fi
done
[[ -f $report ]] || { echo "error: no such file: $report" >&2; exit 2; }

mkdir -p "$outdir"
name=$(basename "${report%.*}")
# A profile of its own, so a LibreOffice already running (or another render) does not interfere.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

soffice --headless --norestore "-env:UserInstallation=file://$profile" \
  --convert-to pdf --outdir "$outdir" "$report" >/dev/null
rm -f "$outdir/$name"-*.png
pdftoppm -png -r 80 "$outdir/$name.pdf" "$outdir/$name"
ls -1 "$outdir/$name.pdf" "$outdir/$name"-*.png
