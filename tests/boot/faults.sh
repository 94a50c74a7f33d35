#!/usr/bin/env bash
# A ring-0 #PF and #UD end in a register dump and backtrace that name the
# faulting function, then a panic that ends the run with the crash status.
. "$(dirname "$0")/lib.sh"
for t in "fault-pf:14:selftest_page_fault:#PF page fault" \
         "fault-ud:6:selftest_invalid_opcode:#UD invalid opcode"; do
    IFS=: read -r name vec fn what <<<"$t"
    log=$WORK/$name.log
    if boot "$log" 3 --cmdline "console=com1 test=$name" "$HV32"; then
        pass "$name: run ends as a crash (panic status)"
    else
        fail "$name: run ends as a crash (panic status)"
    fi
    check "$name: dump names vector $vec ($what)" has "$log" "FATAL TRAP: vector $vec \($what\)"
    check "$name: RIP resolves to $fn" has "$log" "RIP: +e008:\[<[0-9a-f]{16}>\] $fn\+0x[0-9a-f]+/0x[0-9a-f]+"
    check "$name: backtrace reaches selftest_run" has "$log" '\[<[0-9a-f]{16}>\] selftest_run\+'
    check "$name: registers dumped" has "$log" 'rax: [0-9a-f]{16} +rbx: [0-9a-f]{16}'
    check "$name: panic message" has "$log" "fatal trap $vec"
done
has "$WORK/fault-pf.log" 'Page fault at ffff82d0c01ff000: not present, write' &&
    pass "fault-pf: CR2 and error code decoded" || fail "fault-pf: CR2 and error code decoded"
finish
