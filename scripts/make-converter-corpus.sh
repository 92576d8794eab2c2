#!/usr/bin/env bash
# Regenerates test/fixtures/converters/ (issue 16): reports whose true values are known, put
# through real conversion tools, for test/parse-converter-corpus.test.ts.
#
# Sources (expected values):
#   - test/fixtures/converters/sources/*.json: two seeds as the project reads them and two generated
#     reports (written once by `npx tsx scripts/converter-corpus.ts sources`; this script does not
#     change them), rendered by the project to PDF, DOCX, HTML (`render`, scripts/converter-corpus.ts);
#   - the published PDFs test/fixtures/corpus/pdf/*.pdf, whose values are test/expected/corpus/*.json
#     (asserted by test/parse-corpus.test.ts).
# Converters (each output is <source>.<chain>.<ext>, the chain's steps joined by '+'):
#   pdftotext, pdftotext -layout, pdftotext -raw     every PDF: rendered, corpus, and those below
#   LibreOffice: DOCX→PDF, PDF→DOCX (writer_pdf_import), HTML→XLSX (the "HTML (StarCalc)" and
#                calc_HTML_WebQuery import filters), HTML→DOCX
#   Chromium:    print-to-PDF of the rendered HTML (headers and footers as printed by default; the
#                seeds' PDFs are not kept, only their pdftotext conversions)
#
# Needs: poppler-utils (pdftotext), LibreOffice (soffice), Chromium (/usr/bin/chromium), Node with
# the dev dependencies (tsx). The test does not: it reads only the committed files.
# Usage: scripts/make-converter-corpus.sh        (from the repository root; rewrites the outputs)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/test/fixtures/converters"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
WORK=$(mktemp -d /tmp/nianbao-converters.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
LO=(soffice "-env:UserInstallation=file://$WORK/lo-profile" --headless)

mkdir -p "$WORK/src" "$WORK/tmp"
rm -f "$OUT"/*.txt "$OUT"/*.pdf "$OUT"/*.docx "$OUT"/*.xlsx

# the sources, rendered by the project
(cd "$ROOT" && npx tsx scripts/converter-corpus.ts render "$WORK/src")
# the published PDFs
cp "$ROOT"/test/fixtures/corpus/pdf/*.pdf "$WORK/src/"

# pdftotext in its three modes: $1 a PDF, $2 the output's name without .txt
pdftotexts() {
  pdftotext -enc UTF-8 "$1" "$2+pdftotext.txt"
  pdftotext -enc UTF-8 -layout "$1" "$2+pdftotext-layout.txt"
  pdftotext -enc UTF-8 -raw "$1" "$2+pdftotext-raw.txt"
}

# one LibreOffice conversion: $1 input, $2 output name; the rest: soffice options
lo() {
  local in=$1 out=$2
  shift 2
  rm -rf "$WORK/tmp" && mkdir -p "$WORK/tmp"
  "${LO[@]}" "$@" --outdir "$WORK/tmp" "$in" >/dev/null 2>&1 || true
  local made
  made=$(find "$WORK/tmp" -maxdepth 1 -type f ! -name '.~lock*' | head -1)
  if [ -n "$made" ] && [ -s "$made" ]; then
    mv "$made" "$out"
  else
    echo "LibreOffice made nothing: $in $*" >&2
  fi
}

for pdf in "$WORK"/src/*.pdf; do
  name=$(basename "$pdf" .pdf)
  pdftotexts "$pdf" "$OUT/$name.pdf"
  lo "$pdf" "$OUT/$name.pdf+lo-docx.docx" --infilter=writer_pdf_import --convert-to 'docx:MS Word 2007 XML'
done

for docx in "$WORK"/src/*.docx; do
  name=$(basename "$docx" .docx)
  lo "$docx" "$OUT/$name.docx+lo-pdf.pdf" --convert-to pdf
  pdftotexts "$OUT/$name.docx+lo-pdf.pdf" "$OUT/$name.docx+lo-pdf"
done

for html in "$WORK"/src/*.html; do
  name=$(basename "$html" .html)
  lo "$html" "$OUT/$name.html+lo-xlsx.xlsx" '--infilter=HTML (StarCalc)' --convert-to 'xlsx:Calc MS Excel 2007 XML'
  lo "$html" "$OUT/$name.html+lo-xlsx-webquery.xlsx" --infilter=calc_HTML_WebQuery --convert-to 'xlsx:Calc MS Excel 2007 XML'
  lo "$html" "$OUT/$name.html+lo-docx.docx" --convert-to 'docx:MS Word 2007 XML'
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
    --print-to-pdf="$OUT/$name.html+chromium-pdf.pdf" "file://$html" >/dev/null 2>&1
  pdftotexts "$OUT/$name.html+chromium-pdf.pdf" "$OUT/$name.html+chromium-pdf"
  # the seeds' Chromium PDFs (~750 KB each: their CJK glyphs as Type 3 fonts; tables of zeros) are
  # not kept, their pdftotext conversions are
  case "$name" in seed-*) rm -f "$OUT/$name.html+chromium-pdf.pdf" ;; esac
done

echo "tools: $(pdftotext -v 2>&1 | head -1); $(soffice --version | head -1); $("$CHROMIUM" --version 2>/dev/null | head -1)"
du -ch "$OUT" | tail -1
