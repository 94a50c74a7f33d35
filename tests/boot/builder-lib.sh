#!/usr/bin/env bash
# Helpers for the builder boot tests (sourced after lib.sh): build
# build/builder.elf (services/builder/build.mk, guarded against double
# inclusion) and boot it as domain 0 with further modules.  Run directly
# (as tests/boot/*.sh are), it is the test "builder.elf builds".
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    . "$(dirname "$0")/lib.sh"
    builder_lib_main=1
fi
builder_elf=$BUILD/builder.elf
make --no-print-directory -s -f Makefile -f services/builder/build.mk \
    "$builder_elf" >"$WORK/builder-make.log" 2>&1 ||
    { cat "$WORK/builder-make.log"; fail "build $builder_elf"; finish; }

# builder_boot LOG EXPECTED-STATUS BUILDER-ARGS MODULE... : the verdict is
# the builder's own line (children print theirs too, prefixed (dN)).
builder_boot() {
    local log=$1 want=$2 args=$3; shift 3
    boot "$log" "$want" --cmdline "console=com1 test=dom0" --smp 2 \
        --verdict '\(d0\) TEST RESULT: PASS' "$HV32" \
        "$builder_elf${args:+ $args}" "$@"
}
# count LOG REGEX : lines of the serial log matching REGEX.
count() { tr -d '\r' < "$1" | grep -Ec -- "$2"; }

if [ -n "${builder_lib_main:-}" ]; then
    check "$builder_elf is a PV kernel" [ -s "$builder_elf" ]
    finish
fi
