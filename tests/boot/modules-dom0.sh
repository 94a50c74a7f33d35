#!/usr/bin/env bash
# Boot modules reach domain 0 as one cpio "newc" archive: three module files
# of known sizes and contents follow the modules guest, whose command line
# (the module line without its first word) tells it each member's name,
# size and POSIX cksum; the guest parses start_info's module and checks
# them, its cmd_line and flags (tests/guests/modules).
. "$(dirname "$0")/lib.sh"
log=$WORK/modules-dom0.log
head -c 1234 /dev/urandom > "$WORK/a.bin"
printf 'seventy-seven bytes of text: the quick brown fox jumps over the lazy dog!\n\n\n' \
    > "$WORK/b.txt"
head -c 4099 /dev/urandom > "$WORK/c.dat"

expect=""
for f in a.bin b.txt c.dat; do
    size=$(stat -c %s "$WORK/$f")
    sum=$(cksum < "$WORK/$f" | cut -d' ' -f1)
    expect+="${expect:+;}$f:$size:$sum"
done

if boot "$log" 0 --cmdline "console=com1 test=dom0" "$HV32" \
    "$BUILD/guests/modules.elf initrd=cpio expect=$expect" \
    "$WORK/a.bin" "$WORK/b.txt" "$WORK/c.dat"; then
    pass "modules guest: three modules as one cpio archive"
else
    fail "modules guest: three modules as one cpio archive"
fi
check "the guest saw its command line" has "$log" "cmd_line 'initrd=cpio expect="
for f in a.bin b.txt c.dat; do
    size=$(stat -c %s "$WORK/$f")
    check "member $f: $size bytes" has "$log" "member '$f': $size bytes"
done
finish
