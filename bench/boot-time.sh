#!/usr/bin/env bash
# Boot time under QEMU TCG, as wall time from starting QEMU: to the
# hypervisor's banner line, and to test=boot's verdict (all CPUs up, every
# self-check done).  Prints table rows: median (min-max) of BENCH_RUNS runs.
set -uo pipefail
BUILD=${BUILD:-build}
N=${BENCH_RUNS:-9}
banner=()
verdict=()

one_run() {
    local start now line b="" v=""
    start=$(date +%s%N)
    while IFS= read -r line; do
        now=$(date +%s%N)
        case "$line" in
        *"build-id"*) [ -z "$b" ] && b=$(((now - start) / 1000000)) ;;
        *"TEST RESULT:"*) v=$(((now - start) / 1000000)) ;;
        esac
    done < <(timeout --kill-after=5 30 qemu-system-x86_64 -accel tcg \
        -cpu max -smp 2 -m 512 -no-reboot -display none -monitor none \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$BUILD/tessera.elf32" -append "console=com1 test=boot" \
        2>/dev/null)
    echo "$b $v"
}

stats() {
    sort -n | awk '{a[NR] = $1} END {
        if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        printf "%d (%d-%d)", m, a[1], a[NR] }'
}

for _ in $(seq "$N"); do
    read -r b v < <(one_run)
    [ -n "$b" ] && banner+=("$b")
    [ -n "$v" ] && verdict+=("$v")
done
echo "| boot to banner (TCG, -kernel) | $(printf '%s\n' "${banner[@]}" | stats) | ms | median (min-max) of ${#banner[@]} runs, QEMU start included |"
echo "| boot to all CPUs up + self-checks (test=boot, 2 CPUs) | $(printf '%s\n' "${verdict[@]}" | stats) | ms | median (min-max) of ${#verdict[@]} runs |"
