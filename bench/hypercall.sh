#!/usr/bin/env bash
# Null hypercall cost (xen_version), measured by the xen-version test guest
# with rdtsc over 5 x 2000 calls (best batch), on Tessera and on Xen 4.17,
# both under QEMU TCG on this machine.  Prints table rows: median (min-max)
# of BENCH_RUNS boots each, and the Tessera/Xen ratio of the medians.
# TCG cycles are not hardware cycles: compare the two, not the absolutes.
set -uo pipefail
BUILD=${BUILD:-build}
N=${BENCH_RUNS:-5}
guest=$BUILD/guests/xen-version.elf
log=$(mktemp)
trap 'rm -f "$log"' EXIT

cycles() { tr -d '\r' < "$1" | sed -n 's/.*null hypercall (xen_version): \([0-9]*\) TSC cycles.*/\1/p' | head -n1; }

stats() {
    sort -n | awk '{a[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        printf "%d %d %d", m, a[1], a[NR] }'
}

tess=() xen=()
for _ in $(seq "$N"); do
    tools/tessera-boot --quiet --log "$log" --timeout 60 \
        --cmdline "console=com1 test=dom0" "$BUILD/tessera.elf32" "$guest" \
        >/dev/null 2>&1 && tess+=("$(cycles "$log")")
    scripts/run-on-xen.sh "$guest" >/dev/null 2>&1 &&
        xen+=("$(cycles "$BUILD/xen/logs/xen-version.log")")
done
read -r tm tlo thi < <(printf '%s\n' "${tess[@]}" | stats)
read -r xm xlo xhi < <(printf '%s\n' "${xen[@]}" | stats)
echo "| null hypercall (xen_version), Tessera | $tm ($tlo-$thi) | TSC cycles | median (min-max) of ${#tess[@]} boots, TCG |"
echo "| null hypercall (xen_version), Xen 4.17 | $xm ($xlo-$xhi) | TSC cycles | median (min-max) of ${#xen[@]} boots, TCG |"
if [ "${tm:-n/a}" != n/a ] && [ "${xm:-n/a}" != n/a ] && [ "$xm" -gt 0 ]; then
    echo "| null hypercall ratio Tessera/Xen | $(awk -v a="$tm" -v b="$xm" 'BEGIN { printf "%.2f", a / b }') | x | lower is better |"
fi
