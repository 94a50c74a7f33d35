#!/usr/bin/env bash
# cpus = ...: the builder places each vCPU on the CPU its set names, and a
# set with no online CPU fails that domain's build with a message naming
# file:line and key (the builder's verdict is then FAIL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder-affinity.log
check "builder: pinned guest built and passed" \
    builder_boot "$log" 0 test "$BUILD/guests/hello.elf" \
    tests/builder/affinity/pinned.cfg
check "vCPU 0 placed on CPU 1" has "$log" "d[0-9]+: vCPU 0 on CPU 1 \(affinity set by d0\)"
check "vCPU 1 placed on CPU 0" has "$log" "d[0-9]+: vCPU 1 on CPU 0 \(affinity set by d0\)"
check "the builder logs the placement" has "$log" \
    "\(d0\) builder: pinned \(domain [0-9]+\): vCPUs on CPUs 1,0 \(cpus at pinned.cfg:6\)"

log=$WORK/builder-affinity-offline.log
check "builder: a set of offline CPUs fails the run" \
    builder_boot "$log" 1 test "$BUILD/guests/hello.elf" \
    tests/builder/affinity/offline.cfg
check "the error names offline.cfg:6: cpus" has "$log" \
    "\(d0\) builder: error: offline.cfg:6: cpus: vCPU 0: no CPU of its set is online"
check "the half-built domain was destroyed" has "$log" "d[0-9]+: destroyed by d0"
check "it never started" not has "$log" "builder: started offline"
finish
