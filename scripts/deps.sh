#!/usr/bin/env bash
# Check the Debian packages Tessera needs; install the missing ones as root.
#
#   scripts/deps.sh          quiet when everything is present
#   scripts/deps.sh --list   print the package list and exit
#
# Exit status: 0 when every package is present (or was installed),
# 1 when packages are missing and we are not root (the command to run
# is printed), 2 when apt-get failed.
set -euo pipefail

PACKAGES=(
    build-essential     # gcc, binutils, make
    xz-utils            # unpacks newlib-source's tarball
    newlib-source       # C library for stub domains and test guests
    qemu-system-x86     # boot tests and make run
    grub-pc-bin         # BIOS GRUB for the ISO
    grub-common         # grub-mkrescue, grub-file
    xorriso             # grub-mkrescue writes the ISO with it
    mtools              # grub-mkrescue's EFI image step
    libcmocka-dev       # host unit tests
    clang               # libFuzzer targets
    libfuzzer-14-dev
    clang-format        # style check in make test
    xenstore-utils      # Xen's client tools, driven against our xenstored
    libxen-dev          # Xen's public headers, compared against ours
    xen-hypervisor-4.17-amd64   # real Xen, to run our guests on for comparison
)

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${PACKAGES[@]}"
    exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: run as root:  apt-get update && $cmd" >&2
    exit 1
fi

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are absent or when the first
# install attempt cannot find a package.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
    apt-get update -q >&2 || exit 2
fi
if ! $cmd >&2; then
    apt-get update -q >&2 || exit 2
    $cmd >&2 || exit 2
fi
