#!/usr/bin/env bash
# The builder creates, starts and destroys a small domain 100 times
# (cycles=100): every cycle powers off cleanly, the free-frame count the
# hypervisor reports (domctl physinfo) is the same before and after, and
# the builder logs the median build+start and destroy times.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder-cycles.log
check "builder cycles=100: 100 domains built, run, destroyed; PASS" \
    builder_boot "$log" 0 "test cycles=100" "$BUILD/guests/hello.elf" \
    tests/builder/cycles/tiny.cfg
check "100 builds logged" [ "$(count "$log" '\(d0\) builder: built tiny: domain [0-9]+, 4 MiB')" -eq 101 ]
check "100 poweroffs" [ "$(count "$log" '\(d[1-9][0-9]*\) TEST RESULT: PASS')" -eq 101 ]
line=$(tr -d '\r' < "$log" | grep -E '\(d0\) builder: cycles: 100 of 100;' || true)
check "medians logged" test -n "$line"
before=$(sed -nE 's/.*frames free before ([0-9]+), after.*/\1/p' <<<"$line")
after=$(sed -nE 's/.*, after ([0-9]+)$/\1/p' <<<"$line")
same() { [ -n "$1" ] && [ "$1" = "$2" ]; }
check "free frames unchanged ($before before, $after after)" \
    same "$before" "$after"
check "no leak reported" not has "$log" 'LEAK|frames still (referenced|mapped elsewhere)'
finish
