#!/usr/bin/env bash
# Count code lines (no blank lines, no comments) of the ring-0 core, per
# directory: the budget in STYLE.md is ~15k.  Comments are stripped with
# gcc's preprocessor in "preprocessed" mode, which removes comments without
# expanding macros or includes.
set -euo pipefail
cd "$(dirname "$0")/.."
count() {
    local total=0 n f
    for f in "$@"; do
        n=$(gcc -fpreprocessed -dD -E -P -x c "$f" 2>/dev/null | grep -cv '^[[:space:]]*$' || true)
        total=$((total + n))
    done
    echo "$total"
}
printf '%-36s %6s\n' "ring-0 core" "lines"
for d in hypervisor/common hypervisor/arch/x86_64 hypervisor/include; do
    mapfile -t files < <(find "$d" -name '*.[chS]' | sort)
    printf '%-36s %6s\n' "$d" "$(count "${files[@]}")"
done
mapfile -t all < <(find hypervisor -name '*.[chS]' | sort)
printf '%-36s %6s\n' "total" "$(count "${all[@]}")"
