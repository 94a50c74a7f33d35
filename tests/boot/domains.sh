#!/usr/bin/env bash
# Domains come and go without losing memory: 100 domains are created with
# two vCPUs and 64 frames each and destroyed; the free-frame count after
# equals the count before.
. "$(dirname "$0")/lib.sh"
log=$WORK/domains.log
if boot "$log" 0 --cmdline "console=com1 test=domains" "$HV32"; then
    pass "100 domains created and destroyed"
else
    fail "100 domains created and destroyed"
fi
line=$(tr -d '\r' < "$log" | grep -E 'domains: 100 domains' | head -n1)
before=$(sed -n 's/.*free frames \([0-9]*\) before.*/\1/p' <<<"$line")
after=$(sed -n 's/.*before, \([0-9]*\) after.*/\1/p' <<<"$line")
if [ -n "$before" ] && [ "$before" = "$after" ]; then
    pass "free frames unchanged ($before)"
else
    fail "free frames unchanged" "before '$before', after '$after'"
fi
finish
