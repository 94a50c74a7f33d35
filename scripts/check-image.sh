#!/usr/bin/env bash
# Check a freshly linked hypervisor image:
#  1. the symbol-table pass did not move any code (same text symbols as pass 1);
#  2. every PT_LOAD has file offset - physical address constant, so the
#     multiboot1 a.out kludge loads exactly the bytes an ELF loader would;
#  3. no PT_LOAD is both writable and executable (W^X in the image itself).
set -euo pipefail
pass1=$1
final=$2
a=$(nm -n --defined-only "$pass1" | awk '$2 ~ /^[tT]$/')
b=$(nm -n --defined-only "$final" | awk '$2 ~ /^[tT]$/')
if [ "$a" != "$b" ]; then
    echo "check-image: code moved between link passes:" >&2
    diff <(echo "$a") <(echo "$b") | head >&2
    exit 1
fi
n=0
delta=""
while read -r type off va pa filesz memsz rest; do
    [ "$type" = LOAD ] || continue
    n=$((n + 1))
    d=$(( off - pa ))
    [ -z "$delta" ] && delta=$d
    if [ "$d" -ne "$delta" ]; then
        echo "check-image: file offsets do not mirror physical addresses" >&2
        exit 1
    fi
    flags=${rest% *}
    case "$flags" in
    *W*E*|*E*W*)
        echo "check-image: a segment is writable and executable ($flags)" >&2
        exit 1 ;;
    esac
done < <(readelf -lW "$final" | awk '$1 == "LOAD"')
if [ $n -eq 0 ]; then
    echo "check-image: no loadable segments" >&2
    exit 1
fi
