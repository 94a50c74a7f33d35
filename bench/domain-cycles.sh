#!/usr/bin/env bash
# Domain lifecycle through the builder: cycles=N builds, starts, awaits
# and destroys a 4 MiB domain (tests/builder/cycles/tiny.cfg, hello.elf)
# N times per boot and logs its medians; this runs BENCH_RUNS boots and
# prints the median of those medians (TCG, 2 CPUs).
set -uo pipefail
BUILD=${BUILD:-build}
N=${BENCH_RUNS:-5}
CYCLES=${BENCH_CYCLES:-100}
up=()
down=()
for _ in $(seq "$N"); do
    log=$(mktemp)
    tools/tessera-boot --log "$log" --timeout 120 \
        --cmdline "console=com1 test=dom0" --smp 2 \
        --verdict '\(d0\) TEST RESULT: PASS' "$BUILD/tessera.elf32" \
        "$BUILD/builder.elf test cycles=$CYCLES" "$BUILD/guests/hello.elf" \
        tests/builder/cycles/tiny.cfg >/dev/null 2>&1
    line=$(tr -d '\r' < "$log" | grep -E 'builder: cycles: [0-9]+ of [0-9]+;')
    rm -f "$log"
    u=$(sed -nE 's/.*build\+start median ([0-9]+) us.*/\1/p' <<<"$line")
    d=$(sed -nE 's/.*destroy median ([0-9]+) us.*/\1/p' <<<"$line")
    [ -n "$u" ] && up+=("$u")
    [ -n "$d" ] && down+=("$d")
done
med() {
    sort -n | awk '{a[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        printf "%d (%d-%d)", m, a[1], a[NR] }'
}
echo "| build + start a 4 MiB domain (builder, libxc-min) | $(printf '%s\n' "${up[@]}" | med) | us | median of per-boot medians over $CYCLES cycles, ${#up[@]} boots (min-max) |"
echo "| destroy a 4 MiB domain (domctl) | $(printf '%s\n' "${down[@]}" | med) | us | same runs |"
