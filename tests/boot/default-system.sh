#!/usr/bin/env bash
# The default system (make run) through GRUB: the same modules as
# build/tessera.iso (the builder, demo.elf and every
# services/builder/default/*.cfg) with the hypervisor and the builder in
# test mode, so that the run ends with the builder's verdict once every
# demo guest has powered off.
. "$(dirname "$0")/lib.sh"
iso=$WORK/default-system.iso
log=$WORK/default-system.log
cfgs=(services/builder/default/*.cfg)
HV_CMDLINE="console=com1 test=dom0" scripts/mkiso.sh "$iso" "$HV64" \
    "$BUILD/builder.elf test" "$BUILD/demo.elf" "${cfgs[@]}" ||
    { fail "build the default-system ISO"; finish; }
if boot "$log" 0 --iso "$iso" --memory 512 --smp 2 \
    --verdict '\(d0\) TEST RESULT: PASS'; then
    pass "default system: builder and demo guests to a PASS verdict"
else
    fail "default system: builder and demo guests to a PASS verdict"
fi
for c in "${cfgs[@]}"; do
    n=$(sed -nE 's/^name *= *"([^"]+)".*/\1/p' "$c")
    ticks=$(sed -nE 's/.*ticks=([0-9]+).*/\1/p' "$c")
    check "$n ($c) built" has "$log" "\(d0\) builder: built $n: domain [0-9]+"
    check "$n said hello with its domain id" has "$log" \
        "\(d[1-9][0-9]*\) $n: hello from domain [1-9][0-9]*: "
    check "$n ticked $ticks times" has "$log" "$n: tick $ticks of $ticks: "
    check "$n powered off and was destroyed" has "$log" \
        "\(d0\) builder: $n \(domain [0-9]+\) shut down \(poweroff\): destroy"
done
finish
