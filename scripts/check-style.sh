#!/usr/bin/env bash
# Check (or with --fix, apply) the Xen coding style in .clang-format on every
# C source and header we own.  Generated files live in build/ and are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    '*.c' '*.h' | grep -v '^build/' || true)
[ ${#files[@]} -gt 0 ] || { echo "style: no C files"; exit 0; }
if [ "${1:-}" = "--fix" ]; then
    clang-format -i --style=file "${files[@]}"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "style: $f differs from .clang-format (run 'make format'):"
        clang-format --style=file "$f" | diff -u "$f" - | head -n 20 || true
        bad=1
    fi
done
exit $bad
