#!/usr/bin/env bash
# A config error stops the boot before anything is built: the message
# names file:line:key, and the builder shuts down with a crash (non-zero).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/builder-lib.sh"
log=$WORK/builder-cfg-error.log
check "builder: a config error fails the boot" \
    builder_boot "$log" 1 test "$BUILD/guests/hello.elf" \
    tests/builder/bad/good.cfg tests/builder/bad/broken.cfg
check "the message names broken.cfg:5: colour" has "$log" \
    "\(d0\) builder: error: broken.cfg:5: colour: "
check "nothing was built" [ "$(count "$log" 'builder: built ')" -eq 0 ]
check "the builder says it stops the boot" has "$log" \
    "configuration errors: nothing built, stopping the boot"
finish
