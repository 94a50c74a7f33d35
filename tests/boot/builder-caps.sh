#!/usr/bin/env bash
# Capabilities through the builder: a guest built without any gets -EPERM
# from every privileged path; a sub-builder holding only "build" cannot
# give its child a capability it lacks, cannot reach its parent, and
# cannot map its child once sealed; the builder itself cannot map its
# sealed children (builder option check-seal); destroying the sub-builder
# destroys the child it left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder-caps.log
G=$BUILD/guests
check "builder: both capability guests passed, builder PASS" \
    builder_boot "$log" 0 "test check-seal" "$G/tessera-caps-none.elf" \
    "$G/tessera-caps-build.elf" tests/builder/caps/none.cfg \
    tests/builder/caps/build.cfg
check "caps-none built with caps 0" has "$log" \
    "\(d0\) builder: built caps-none: domain [0-9]+, 8 MiB, 1 vCPUs, role guest, caps 0,"
check "caps-build built with the build capability only" has "$log" \
    "\(d0\) builder: built caps-build: domain [0-9]+, 8 MiB, 1 vCPUs, role guest, caps 0x1,"
check "two guest verdicts PASS" \
    [ "$(count "$log" '\(d[1-9][0-9]*\) TEST RESULT: PASS')" -eq 2 ]
check "no guest check failed" not has "$log" '\(d[1-9][0-9]*\) .*FAIL'
check "the builder could not map either sealed child" \
    [ "$(count "$log" '\(d0\) builder: sealed caps-[a-z]+ \(domain [0-9]+\): map refused \(-EPERM\), populate refused \(-EPERM\)')" -eq 2 ]
check "the sub-builder's child was created by it, not by the builder" has "$log" \
    "d[0-9]+: created by d[1-9][0-9]* "
left=$(tr -d '\r' < "$log" | sed -nE 's/.*\(d[0-9]+\)   leaving domain ([0-9]+) behind.*/\1/p')
check "the child left behind was destroyed with the sub-builder" has "$log" \
    "d${left:-X}: destroyed with its ancestor d[0-9]+ \(by d0\)"
finish
