#!/bin/sh
# Machine-independent parse cost: CPU instructions per report, without start-up.
#
# Wall-clock benchmarks vary by ±40 % on a shared virtual machine; instruction
# counts do not (±0.5 %). Each folder's files are parsed LOW and HIGH times under
# valgrind's callgrind (V8 in --single-threaded mode, so that GC and compilation
# threads do not add noise); the difference divided by the extra parses is the
# cost of one report without start-up.
#
# The default window (100 → 300 parses a file) is inside V8's warm-up: a fresh
# process needs ~2,000 reports before the parser is optimised, so the count
# weighs interpreted code. For the steady state (bulk work, servers) count past
# it: LOW=800 HIGH=1200 (about 4 minutes a run for the seeds).
#
# Usage: npm run build && bench/instructions.sh DIR [DIR…]
#   e.g. bench/instructions.sh test/fixtures/seeds        (text reports)
#        bench/instructions.sh test/fixtures/corpus/pdf   (PDF reports; use LOW=2 HIGH=6)
# Needs valgrind (apt-get install -y valgrind).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
low=${LOW:-100}
high=${HIGH:-300}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)" >&2; exit 2; }
[ -f "$here/../dist/parse.js" ] || { echo "build first: npm run build" >&2; exit 2; }
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded "$here/instructions.mjs" "$@" 2>&1 |
    sed -n 's/.*Collected : //p'
}
for dir in "$@"; do
  files=$(find "$dir" -maxdepth 1 -type f | wc -l)
  a=$(count "$low" "$dir")
  b=$(count "$high" "$dir")
  per=$(( (b - a) / ((high - low) * files) ))
  echo "$dir: $files files, $(( per / 1000 )) thousand instructions per report"
done
