#!/usr/bin/env bash
# make run: boot the default system from the GRUB ISO with serial on this
# terminal.  QEMU_ACCEL=kvm opts in to KVM; RUN_TIMEOUT=N ends the run
# after N seconds (0 = run until you quit).
set -euo pipefail
iso=$1
accel=${QEMU_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host
echo "Booting $iso under QEMU ($accel, 2 CPUs, 512 MiB)."
echo "Quit with Ctrl-A then X.${RUN_TIMEOUT:+ The run ends after ${RUN_TIMEOUT}s.}"
args=(-accel "$accel" -cpu "$cpu" -smp 2 -m 512 -no-reboot
      -display none -serial mon:stdio
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$iso" -boot d)
if [ "${RUN_TIMEOUT:-0}" != 0 ]; then
    status=0
    timeout --foreground --kill-after=5 "$RUN_TIMEOUT" \
        qemu-system-x86_64 "${args[@]}" || status=$?
    [ $status -eq 124 ] && { echo; echo "run: ended after ${RUN_TIMEOUT}s (RUN_TIMEOUT)"; exit 0; }
    exit $status
fi
exec qemu-system-x86_64 "${args[@]}"
