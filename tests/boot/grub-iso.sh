#!/usr/bin/env bash
# The GRUB ISO boots through multiboot2, and the memory the hypervisor
# reports matches QEMU's -m (minus the firmware holes, under 2 MiB).
. "$(dirname "$0")/lib.sh"
iso=$WORK/test-boot.iso
log=$WORK/grub-iso.log
HV_CMDLINE="console=com1 test=boot" scripts/mkiso.sh "$iso" "$HV64" || { fail "build test ISO"; finish; }

if boot "$log" 0 --iso "$iso" --memory 512; then
    pass "GRUB ISO boots (multiboot2) to a PASS verdict"
else
    fail "GRUB ISO boots (multiboot2) to a PASS verdict"
fi
check "loader is GRUB over multiboot2" has "$log" 'Boot loader: GRUB.*\(multiboot2\)'
kib=$(tr -d '\r' < "$log" | sed -n 's/.*Memory: \([0-9]*\) KiB RAM.*/\1/p' | head -n1)
if [ -n "$kib" ] && [ "$kib" -le $((512 * 1024)) ] && [ "$kib" -ge $((510 * 1024)) ]; then
    pass "reported RAM ${kib} KiB matches -m 512"
else
    fail "reported RAM matches -m 512" "got '${kib}' KiB"
fi
check "banner names version and build id" has "$log" 'Tessera [0-9.]+ \(changeset .*, build-id [0-9a-f]{40}\)'
finish
