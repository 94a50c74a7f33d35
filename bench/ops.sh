#!/usr/bin/env bash
# Core operations in one domain, measured by the bench-ops guest
# (tests/guests/bench-ops: rdtsc, best batch of 5 x 500 per operation) on
# Tessera and on Xen 4.17, both as domain 0 under QEMU TCG on this machine.
# Prints table rows: the median of BENCH_RUNS boots each, and the
# Tessera/Xen ratio.  TCG cycles are not hardware cycles: compare the two
# columns, not the absolutes.
set -uo pipefail
BUILD=${BUILD:-build}
N=${BENCH_RUNS:-5}
guest=$BUILD/guests/bench-ops.elf
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
OPS="null_hypercall evtchn_send_self yield_alone update_va_mapping mmu_update_pte grant_map_unmap grant_copy_4k"

# rows LOG TAG: append "op cycles" lines of one boot to $dir/TAG.
rows() { tr -d '\r' < "$1" | sed -n 's/.*BENCH \([a-z0-9_]*\) \([0-9]*\)$/\1 \2/p' >> "$dir/$2"; }

for _ in $(seq "$N"); do
    tools/tessera-boot --quiet --log "$dir/t.log" --timeout 60 \
        --cmdline "console=com1 test=dom0" "$BUILD/tessera.elf32" "$guest" \
        >/dev/null 2>&1 && rows "$dir/t.log" tessera
    scripts/run-on-xen.sh "$guest" >/dev/null 2>&1 &&
        rows "$BUILD/xen/logs/bench-ops.log" xen
done

median() {
    awk -v op="$1" '$1 == op { print $2 }' "$dir/$2" 2>/dev/null | sort -n |
        awk '{a[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
             print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

for op in $OPS; do
    t=$(median "$op" tessera)
    x=$(median "$op" xen)
    ratio=n/a
    if [ "$t" != n/a ] && [ "$x" != n/a ] && [ "$x" -gt 0 ]; then
        ratio=$(awk -v a="$t" -v b="$x" 'BEGIN { printf "%.2f", a / b }')
    fi
    echo "| $op: Tessera $t, Xen 4.17 $x | $ratio | ratio | TSC cycles per op, median of $N boots each, TCG |"
done
