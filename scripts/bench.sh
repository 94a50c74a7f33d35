#!/usr/bin/env bash
# make bench: run every benchmark command and print one markdown table.
# Each command prints rows "| benchmark | value | unit | notes |".
# Benchmarks report; they never gate anything.
set -uo pipefail
echo "| benchmark | value | unit | notes |"
echo "|---|---|---|---|"
status=0
for cmd in "$@"; do
    bash -c "$cmd" || { echo "| $cmd | error | | exited non-zero |"; status=1; }
done
exit $status
