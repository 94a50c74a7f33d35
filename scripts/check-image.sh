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
readelf -lW "$final" | awk '
    $1 == "LOAD" {
        off = strtonum($2); pa = strtonum($4)
        if (n++ == 0) delta = off - pa
        else if (off - pa != delta) { bad = "file offsets do not mirror physical addresses" }
        flags = ""
        for (i = 7; i <= NF - 1; i++) flags = flags $i
        if (flags ~ /W/ && flags ~ /E/) { bad = "a segment is writable and executable" }
    }
    END {
        if (n == 0) bad = "no loadable segments"
        if (bad != "") { print "check-image: " bad > "/dev/stderr"; exit 1 }
    }'
