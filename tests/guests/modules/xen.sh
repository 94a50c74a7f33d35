#!/usr/bin/env bash
# The modules guest on Xen 4.17 (make test's xen/modules): two extra boot
# modules after the guest; Xen passes only the first, as it is, as dom0's
# initrd ("initrd=raw"), so the guest checks that one byte for byte.
# Tessera's cpio archive of all of them is tests/boot/modules-dom0.sh.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
dir=$build/guests/modules-xen
mkdir -p "$dir"
head -c 1234 /dev/urandom > "$dir/a.bin"
head -c 77 /dev/urandom > "$dir/b.txt"

expect=""
for f in a.bin b.txt; do
    size=$(stat -c %s "$dir/$f")
    sum=$(cksum < "$dir/$f" | cut -d' ' -f1)
    expect+="${expect:+;}$f:$size:$sum"
done
XEN_MODULES="$dir/a.bin,$dir/b.txt" exec "$root/scripts/run-on-xen.sh" \
    "$build/guests/modules.elf" "initrd=raw" "expect=$expect"
