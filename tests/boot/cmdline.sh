#!/usr/bin/env bash
# Unknown options and bad values are reported by name, never ignored;
# mem= limits the RAM the hypervisor uses.
. "$(dirname "$0")/lib.sh"
log=$WORK/cmdline.log
if boot "$log" 0 --cmdline "console=com1 test=boot bogus=1 maxcpus=lots mem=128M loglvl=info" "$HV32"; then
    pass "boot with bad options still reaches its verdict"
else
    fail "boot with bad options still reaches its verdict"
fi
check "unknown option reported" has "$log" "unknown option 'bogus'"
check "bad value reported" has "$log" "bad value 'lots' for option 'maxcpus'"
kib=$(tr -d '\r' < "$log" | sed -n 's/.*Memory: \([0-9]*\) KiB RAM.*/\1/p' | head -n1)
if [ -n "$kib" ] && [ "$kib" -le $((128 * 1024)) ] && [ "$kib" -ge $((126 * 1024)) ]; then
    pass "mem=128M limits RAM to ${kib} KiB"
else
    fail "mem=128M limits RAM" "got '${kib}' KiB"
fi

log=$WORK/cmdline-badtest.log
if boot "$log" 2 --timeout 5 --cmdline "console=com1 test=nonsense" "$HV32"; then
    pass "an unknown test= value is not a test run (idles until the timeout)"
else
    fail "an unknown test= value is not a test run"
fi
check "unknown test= value reported" has "$log" "bad value 'nonsense' for option 'test'"
finish
