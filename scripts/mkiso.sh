#!/usr/bin/env bash
# Build a GRUB (BIOS) rescue ISO that boots the hypervisor with multiboot2.
#   mkiso.sh OUT.iso HYPERVISOR.elf [MODULE...]
# Each MODULE is a path with optional arguments after a space ("path args",
# one word for the shell); it becomes a module2 line named after the file.
# The first module is the initial domain (the builder); the builder reads
# the others as its boot bundle.
# Environment: HV_CMDLINE (default "console=com1 loglvl=info").
set -euo pipefail
out=$1
elf=$2
shift 2
cmdline=${HV_CMDLINE:-console=com1 loglvl=info}
if ! grub-file --is-x86-multiboot2 "$elf"; then
    echo "mkiso: $elf has no valid multiboot2 header" >&2
    exit 1
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$elf" "$stage/boot/tessera.elf"
{
    echo 'serial --unit=0 --speed=115200'
    echo 'terminal_input serial console'
    echo 'terminal_output serial console'
    echo 'set timeout=0'
    echo 'menuentry "Tessera" {'
    echo "    multiboot2 /boot/tessera.elf $cmdline"
    for m in "$@"; do
        name=$(basename "${m%% *}")
        cp "${m%% *}" "$stage/boot/$name"
        args=${m#"${m%% *}"}
        echo "    module2 /boot/$name $name$args"
    done
    echo '}'
} > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$stage" >/dev/null 2>&1 || {
    echo "mkiso: grub-mkrescue failed:" >&2
    grub-mkrescue -o "$out" "$stage" >&2
    exit 1
}
