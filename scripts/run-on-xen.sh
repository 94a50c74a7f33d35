#!/usr/bin/env bash
# Boot a PV guest as dom0 of real Xen 4.17 under QEMU (TCG) and report its
# verdict.
#
#   scripts/run-on-xen.sh GUEST.elf [guest command line...]
#
# Xen (Debian's xen-hypervisor-4.17-amd64) is unpacked once into
# $BUILD/xen/ and booted with QEMU's multiboot -kernel loader; the guest is
# the first -initrd module, so Xen's dom0 builder builds it.  Serial output
# goes to $BUILD/xen/logs/<guest>.log.  Xen does not end QEMU when dom0
# shuts down, so the script polls the log (bounded) for the guest's verdict
# line and Xen's dom0 shutdown message, then stops QEMU.
#
# Exit status 0 only for "TEST RESULT: PASS" followed by a clean dom0
# poweroff ("Hardware Dom0 halted"); otherwise 1 (and the log tail), or 2
# for a setup error.  Environment: XEN_GZ, XEN_TIMEOUT (s, default 60),
# XEN_CMDLINE_EXTRA, QEMU_SMP (default 1), BUILD, XEN_MODULES (more boot
# modules after the guest, QEMU -initrd syntax: "file [args],file...";
# Xen hands the first of them to dom0 as its initrd).
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: $0 GUEST.elf [args...]" >&2; exit 2; }
elf=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
xen_gz=${XEN_GZ:-/boot/xen-4.17-amd64.gz}
timeout_s=${XEN_TIMEOUT:-60}
name=$(basename "$elf" .elf)

[ -f "$elf" ] || { echo "run-on-xen: $elf not found" >&2; exit 2; }
[ -f "$xen_gz" ] || {
    echo "run-on-xen: $xen_gz missing (scripts/deps.sh installs xen-hypervisor-4.17-amd64)" >&2
    exit 2
}
command -v qemu-system-x86_64 >/dev/null || {
    echo "run-on-xen: qemu-system-x86_64 missing" >&2
    exit 2
}

# Xen's image, unpacked once (the .gz is an ELF32 multiboot image).
xen=$build/xen/$(basename "$xen_gz" .gz)
mkdir -p "$build/xen/logs"
if [ ! -s "$xen" ] || [ "$xen_gz" -nt "$xen" ]; then
    gunzip -c "$xen_gz" >"$xen.tmp.$$" && mv "$xen.tmp.$$" "$xen" || {
        rm -f "$xen.tmp.$$"
        echo "run-on-xen: cannot unpack $xen_gz" >&2
        exit 2
    }
fi

log=$build/xen/logs/$name.log
: >"$log"
cmdline="console=com1 com1=115200,8n1 dom0_mem=64M,max:64M loglvl=all"
cmdline+=" guest_loglvl=all noreboot ${XEN_CMDLINE_EXTRA:-}"
module="$(cd "$(dirname "$elf")" && pwd)/$(basename "$elf")"
[ $# -gt 0 ] && module+=" $*"
[ -n "${XEN_MODULES:-}" ] && module+=",$XEN_MODULES"

start=$(date +%s.%N)
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 \
    -accel tcg -cpu max,-smap -m 512 -smp "${QEMU_SMP:-1}" \
    -nodefaults -display none -monitor none -no-reboot \
    -serial "file:$log" \
    -kernel "$xen" -append "$cmdline" -initrd "$module" 2>"$log.qemu" &
qemu=$!

# Poll until the pattern shows up, QEMU exits or the deadline passes.
wait_for() {
    local pattern=$1 limit=$2
    local end=$((SECONDS + limit))
    while [ $SECONDS -le $end ]; do
        grep -qaE "$pattern" "$log" && return 0
        kill -0 $qemu 2>/dev/null || { grep -qaE "$pattern" "$log"; return; }
        sleep 0.1
    done
    return 1
}

finished='TEST RESULT: |Dom0 crashed|Dom0 halted|Panic on CPU|FATAL'
wait_for "$finished" "$timeout_s"
# After the verdict the guest shuts down; give Xen a moment to say so.
wait_for 'Dom0 halted|Dom0 crashed|Dom0 shutdown|Panic on CPU' 10
kill $qemu 2>/dev/null
wait $qemu 2>/dev/null
elapsed=$(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo "?")

result=$(grep -aE '^TEST RESULT: ' "$log" | tr -d '\r' | head -n 1)
title=$(grep -aE '^TEST TITLE: ' "$log" | tr -d '\r' | head -n 1)
echo "xen/$name: ${title#TEST TITLE: }"
if [[ $result == "TEST RESULT: PASS"* ]] && grep -qa 'Dom0 halted' "$log"; then
    echo "xen/$name: $result (clean poweroff, ${elapsed}s)"
    exit 0
fi
echo "xen/$name: FAILED: ${result:-no verdict line}; last lines of $log:"
tr -d '\r' <"$log" | tail -n 40 | sed 's/^/    /'
exit 1
