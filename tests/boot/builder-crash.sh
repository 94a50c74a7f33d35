#!/usr/bin/env bash
# on_crash: "restart" rebuilds a crashing guest exactly once per crash
# (the builder's max-restarts=2 ends the loop: the third crash destroys
# it); "destroy" destroys it and builds nothing again.  The guest is
# regress-iret, which crashes on purpose.  Neither run ends with a clean
# poweroff of every child, so the builder's verdict is FAIL (status 1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
G=$BUILD/guests

log=$WORK/builder-restart.log
check "on_crash restart: run ends once the restart limit is reached" \
    builder_boot "$log" 1 "test max-restarts=2" "$G/regress-iret.elf" \
    tests/builder/crash/restart.cfg
check "three crashes" [ "$(count "$log" 'builder: crashy \(domain [0-9]+\) shut down \(crash\)')" -eq 3 ]
check "built three times" [ "$(count "$log" 'builder: built crashy: ')" -eq 3 ]
check "restart 1" has "$log" "builder: restarted crashy as domain [0-9]+ \(restart 1\)"
check "restart 2" has "$log" "builder: restarted crashy as domain [0-9]+ \(restart 2\)"
check "no restart 3" [ "$(count "$log" 'restart 3\)')" -eq 0 ]
check "the limit destroys it" has "$log" "crash after 2 restarts: restart limit reached"

log=$WORK/builder-destroy.log
check "on_crash destroy: run ends after the crash" \
    builder_boot "$log" 1 test "$G/regress-iret.elf" \
    tests/builder/crash/destroy.cfg
check "one crash, destroyed" has "$log" \
    "builder: crashy \(domain [0-9]+\) shut down \(crash\): destroy"
check "built once" [ "$(count "$log" 'builder: built crashy: ')" -eq 1 ]
check "the hypervisor destroyed it" has "$log" "d[0-9]+: destroyed by d0"
check "never restarted" [ "$(count "$log" 'builder: restarted')" -eq 0 ]
finish
