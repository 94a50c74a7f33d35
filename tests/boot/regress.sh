#!/usr/bin/env bash
# Regression guests (tests/guests/regress-*): each attacks the hypervisor
# the way a fixed bug allowed.  The attacking domain must be crashed with
# the reason logged, and the hypervisor must not panic: the run ends with
# the fail status (1), never the crash status (3).
. "$(dirname "$0")/lib.sh"

# name|guest arguments|log line the crash must leave
CASES=(
    "regress-iret|rip|d0: crashed: iret to an impossible context: rip 0x8000000000000000"
    "regress-iret|cs|d0: crashed: iret to an impossible context: .*cs 0xe008"
)
for c in "${CASES[@]}"; do
    IFS='|' read -r name args want <<<"$c"
    log=$WORK/$name-$args.log
    if boot "$log" 1 --cmdline "console=com1 test=dom0" "$HV32" \
        "$BUILD/guests/$name.elf $args"; then
        pass "$name $args: the domain fails, the hypervisor does not panic"
    else
        fail "$name $args: the domain fails, the hypervisor does not panic"
    fi
    check "$name $args: crash reason logged" has "$log" "$want"
    if has "$log" 'Panic'; then fail "$name $args: no hypervisor panic"; else pass "$name $args: no hypervisor panic"; fi
done
finish
