#!/usr/bin/env bash
# Between two domains the builder starts (bench/pingpong/*/): event-channel
# ping-pong round trips and yields, with both domains on one CPU and on two
# CPUs, measured by tests/guests/tessera-pair's pp-client role (rdtsc, best
# batch of 5 x 1000).  Tessera only: our Xen runs boot a single domain 0,
# so there is no Xen column.  Median of BENCH_RUNS boots per placement.
set -uo pipefail
BUILD=${BUILD:-build}
N=${BENCH_RUNS:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

median() {
    sort -n | awk '{a[NR] = $1} END { if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)
        printf "%d (%d-%d)", m, a[1], a[NR] }'
}

for place in same cross; do
    : > "$dir/$place"
    for _ in $(seq "$N"); do
        tools/tessera-boot --quiet --log "$dir/log" --timeout 120 --smp 2 \
            --cmdline "console=com1 test=dom0" \
            --verdict '\(d0\) TEST RESULT: PASS' "$BUILD/tessera.elf32" \
            "$BUILD/builder.elf test" "$BUILD/guests/tessera-pair.elf" \
            bench/pingpong/$place/a-server.cfg \
            bench/pingpong/$place/b-client.cfg >/dev/null 2>&1 || continue
        tr -d '\r' < "$dir/log" |
            sed -n 's/.*(d2) BENCH \([a-z_]*\) \([0-9]*\)$/\1 \2/p' >> "$dir/$place"
    done
done
row() { awk -v op="$2" '$1 == op { print $2 }' "$dir/$1" | median; }
echo "| event ping-pong round trip, two domains on one CPU | $(row same evtchn_pingpong) | TSC cycles | median (min-max) of $N boots, TCG |"
echo "| event ping-pong round trip, two domains on two CPUs | $(row cross evtchn_pingpong) | TSC cycles | same |"
echo "| yield between two domains on one CPU (a yield and the switch back) | $(row same yield_two_domains) | TSC cycles | same |"
