#!/usr/bin/env bash
# Build newlib (libc.a, libm.a, headers) for stub domains and test guests.
#
#   scripts/build-newlib.sh OUTDIR
#
# Unpacks Debian's newlib-source tarball, configures it for a bare x86_64-elf
# target with the host gcc/binutils (see docs/design TOOLCHAIN.md) and
# installs into OUTDIR/install.  OUTDIR/stamp records the tarball checksum
# and the flags; when they match, nothing is rebuilt.  Takes ~45 s on two
# cores; configure and make output go to OUTDIR/build.log and a dot per
# second shows progress.
set -euo pipefail

out=${1:?usage: build-newlib.sh OUTDIR}
tarball=${NEWLIB_TARBALL:-/usr/src/newlib/newlib-3.3.0.tar.xz}
cflags='-O2 -ffreestanding -fno-pic -fno-pie -mno-red-zone -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables'
conf_flags='--target=x86_64-elf --disable-multilib --disable-nls
    --disable-newlib-supplied-syscalls --enable-newlib-io-long-long
    --enable-newlib-io-c99-formats --disable-newlib-multithread'

[ -f "$tarball" ] || {
    echo "newlib: $tarball missing (apt-get install newlib-source)" >&2
    exit 1
}

want="$(sha256sum "$tarball" | cut -d' ' -f1) $cflags $conf_flags"
want=$(printf '%s' "$want" | tr -s ' \n' '  ')
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$want" ] &&
    [ -f "$out/install/x86_64-elf/lib/libc.a" ]; then
    touch "$out/stamp"
    exit 0
fi

echo "  NEWLIB  $out (one-off build, ~1 min)"
rm -rf "$out/src" "$out/obj" "$out/install" "$out/stamp"
mkdir -p "$out/src" "$out/obj"
out=$(cd "$out" && pwd)
log=$out/build.log
tar -xJf "$tarball" -C "$out/src" --strip-components=1

# A dot every 5 s so a long build is visibly alive.
(while sleep 5; do printf '.' >&2; done) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT

jobs=$(nproc 2>/dev/null || echo 2)
if ! (
    cd "$out/obj" &&
        # shellcheck disable=SC2086
        "$out/src/configure" --prefix="$out/install" $conf_flags \
            CC_FOR_TARGET=gcc CXX_FOR_TARGET=g++ AR_FOR_TARGET=ar \
            AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
            RANLIB_FOR_TARGET=ranlib OBJCOPY_FOR_TARGET=objcopy \
            OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip \
            READELF_FOR_TARGET=readelf \
            CFLAGS_FOR_TARGET="$cflags" &&
        make -j"$jobs" all-target-newlib &&
        make install-target-newlib
) >"$log" 2>&1; then
    echo >&2
    echo "newlib: build failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
fi
echo >&2
rm -rf "$out/src" "$out/obj"
printf '%s' "$want" >"$out/stamp"
echo "  NEWLIB  done: $out/install/x86_64-elf/lib/libc.a"
