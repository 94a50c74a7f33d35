#!/usr/bin/env bash
# -smp 4 brings four CPUs online, every AP answers an IPI, and maxcpus=
# limits what is started.
. "$(dirname "$0")/lib.sh"
log=$WORK/smp4.log
if boot "$log" 0 --cmdline "console=com1 test=boot" --smp 4 "$HV32"; then
    pass "-smp 4 boots to a PASS verdict"
else
    fail "-smp 4 boots to a PASS verdict"
fi
check "four CPUs online" has "$log" 'CPUs: 4 online$'
check "all three APs answered a ping IPI" has "$log" 'IPI: 3 of 3 other CPUs answered'

log=$WORK/smp-maxcpus.log
if boot "$log" 0 --cmdline "console=com1 test=boot maxcpus=2" --smp 4 "$HV32"; then
    pass "maxcpus=2 on -smp 4 boots to a PASS verdict"
else
    fail "maxcpus=2 on -smp 4 boots to a PASS verdict"
fi
check "maxcpus=2: two CPUs online" has "$log" 'CPUs: 2 online$'
finish
