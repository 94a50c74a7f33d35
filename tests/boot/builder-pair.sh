#!/usr/bin/env bash
# Grants and event channels between domains: the builder starts a granter
# (domain 1), a mapper (2) and a thief (3).  The mapper maps the granter's
# page, checks it, binds to the granter's port for 1000 ping-pong round
# trips, sends 10000 checksummed requests over a ring (include/public/io/
# ring.h) on a page it grants, and replies; the granter serves the ring,
# sees the reply and the end of access, and the two copy through each
# other's grants; the thief's every attempt on the grant meant for the
# mapper is refused, and all three pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder-pair.log
check "builder: granter, mapper and thief all passed" \
    builder_boot "$log" 0 test "$BUILD/guests/tessera-pair.elf" \
    tests/builder/pair/a-granter.cfg tests/builder/pair/b-mapper.cfg \
    tests/builder/pair/c-thief.cfg
check "the domains are 1, 2 and 3 as the cfgs assume" has "$log" \
    "builder: built thief: domain 3,"
check "the granter granted to domain 2" has "$log" \
    "\(d1\)   granted ref 8 \(sum 0x[0-9a-f]+\) to domain 2"
check "the thief was refused every time" has "$log" \
    "\(d3\)   every attempt \([1-9][0-9]*\) on a grant meant for another domain refused"
check "1000 event round trips counted by the granter" has "$log" \
    "\(d1\)   1000 event round trips with domain 2"
check "the mapper's last 100 round trips blocked on CPU 1, woken from CPU 0" \
    has "$log" "\(d2\)   round trips: 1000, the last 100 of them blocked"
check "the granter and the mapper were on different CPUs" has "$log" \
    "d2: vCPU 0 on CPU 1 "
check "10000 ring requests served" has "$log" \
    "\(d1\)   served 10000 ring requests from domain 2"
check "10000 ring responses checked" has "$log" \
    "\(d2\)   10000 ring requests answered by domain 1"
check "three verdicts PASS" \
    [ "$(count "$log" '\(d[1-3]\) TEST RESULT: PASS')" -eq 3 ]

# A hostile granter rewrites its entry (domid, frame, flags) with plain
# stores while the other domain, on the other CPU, maps it 2000 times:
# every map is refused with a documented error or maps one of the
# granter's own pages, every unmap works, no status bit is left behind.
log=$WORK/builder-flip.log
check "builder: flipper and flip-mapper both passed" \
    builder_boot "$log" 0 test "$BUILD/guests/tessera-pair.elf" \
    tests/builder/flip/a-flipper.cfg tests/builder/flip/b-flip-mapper.cfg
check "2000 maps of a flipping entry, all answered as documented" has "$log" \
    "\(d2\)   2000 maps of a flipping entry: [0-9]+ mapped one of its pages, [0-9]+ refused"
check "no status bit left on the flipped entry" not has "$log" "status bits left"
check "two verdicts PASS" \
    [ "$(count "$log" '\(d[12]\) TEST RESULT: PASS')" -eq 2 ]
finish
