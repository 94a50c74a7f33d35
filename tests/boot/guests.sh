#!/usr/bin/env bash
# Every PV test guest (tests/guests/<name>, built to build/guests/<name>.elf)
# runs as domain 0 in test mode: the run passes only on the guest's
# "TEST RESULT: PASS" line AND its clean poweroff, which the hypervisor turns
# into QEMU's pass status.  GUESTS_ON_TESSERA lists the guests whose
# features Tessera implements today; the others are reported as not yet
# expected (they pass on Xen 4.17: scripts/run-on-xen.sh).
. "$(dirname "$0")/lib.sh"
GUESTS_ON_TESSERA="hello hello-direct xen-version"

for elf in "$BUILD"/guests/*.elf; do
    [ -e "$elf" ] || { fail "guests built" "no build/guests/*.elf"; break; }
    name=$(basename "$elf" .elf)
    case " $GUESTS_ON_TESSERA " in
    *" $name "*) ;;
    *) echo "SKIP: $name (needs features Tessera does not have yet)"; continue ;;
    esac
    log=$WORK/guest-$name.log
    if boot "$log" 0 --cmdline "console=com1 test=dom0" --smp 2 "$HV32" "$elf"; then
        pass "guest $name: PASS verdict and clean poweroff"
    else
        fail "guest $name: PASS verdict and clean poweroff"
    fi
done
for name in $GUESTS_ON_TESSERA; do
    [ -e "$BUILD/guests/$name.elf" ] || fail "guest $name was built"
done
finish
