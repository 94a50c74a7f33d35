#!/usr/bin/env bash
# -kernel boot (multiboot1, ELF32 image) with three modules: each is listed
# with its exact size and command line; -m 256 is reported as such.
. "$(dirname "$0")/lib.sh"
log=$WORK/modules.log
head -c 1234 /dev/urandom > "$WORK/mod-a.bin"
head -c 4096 /dev/urandom > "$WORK/mod-b.bin"
head -c 70001 /dev/urandom > "$WORK/mod-c.bin"

if boot "$log" 0 --cmdline "console=com1 test=boot" --memory 256 "$HV32" \
    "$WORK/mod-a.bin first=1" "$WORK/mod-b.bin" "$WORK/mod-c.bin role=guest x"; then
    pass "-kernel boot with three modules"
else
    fail "-kernel boot with three modules"
fi
check "loader is QEMU over multiboot1" has "$log" 'Boot loader: qemu \(multiboot1\)'
check "module 0: 1234 bytes, its command line" has "$log" "module 0: .*, 1234 bytes, '$WORK/mod-a.bin first=1'"
check "module 1: 4096 bytes, its command line" has "$log" "module 1: .*, 4096 bytes, '$WORK/mod-b.bin'"
check "module 2: 70001 bytes, its command line" has "$log" "module 2: .*, 70001 bytes, '$WORK/mod-c.bin role=guest x'"
check "exactly three modules" has "$log" 'Modules: 3$'
kib=$(tr -d '\r' < "$log" | sed -n 's/.*Memory: \([0-9]*\) KiB RAM.*/\1/p' | head -n1)
if [ -n "$kib" ] && [ "$kib" -le $((256 * 1024)) ] && [ "$kib" -ge $((254 * 1024)) ]; then
    pass "reported RAM ${kib} KiB matches -m 256"
else
    fail "reported RAM matches -m 256" "got '${kib}' KiB"
fi
finish
