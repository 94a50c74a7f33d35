#!/usr/bin/env bash
# The builder (domain 0) builds three test guests from their cfgs, starts
# them, destroys each on its poweroff and passes once all three powered
# off cleanly (tests/builder/three).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder.log
G=$BUILD/guests
check "builder: three guests built, each passed, builder PASS" \
    builder_boot "$log" 0 test "$G/hello.elf" "$G/cpuid.elf" \
    "$G/xen-version.elf" tests/builder/three/hello.cfg \
    tests/builder/three/cpuid.cfg tests/builder/three/xen-version.cfg
for g in cpuid hello xen-version; do
    check "$g built and logged (domid, memory, vCPUs, time)" has "$log" \
        "\(d0\) builder: built $g: domain [0-9]+, 16 MiB, 1 vCPUs, role guest, caps 0, in [0-9]+\.[0-9]+ ms"
    check "$g powered off and was destroyed" has "$log" \
        "\(d0\) builder: $g \(domain [0-9]+\) shut down \(poweroff\): destroy"
done
check "three guest verdicts PASS" [ "$(count "$log" '\(d[1-9][0-9]*\) TEST RESULT: PASS')" -eq 3 ]
finish
