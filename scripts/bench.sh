#!/usr/bin/env bash
# `make bench`: every benchmark under bench/, one after another (each creates its own
# database and prints its figures next to its baseline). BENCH=<name> runs one of them.
# The RESULT lines are collected at the end and in .bench/results.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .bench
out=.bench/results.txt
: > "$out"
rc=0
for script in bench/*.py; do
    name=$(basename "$script" .py)
    [ "$name" = bench_common ] && continue  # shared helpers, not a benchmark
    [ -n "${BENCH:-}" ] && [ "$BENCH" != "$name" ] && continue
    echo "== $name"
    if .venv/bin/python "$script" 2>&1 | tee ".bench/$name.log"; then :; else rc=1; fi
    grep "^RESULT " ".bench/$name.log" | tail -1 >> "$out"
done
echo
echo "== results"
cat "$out"
exit $rc
