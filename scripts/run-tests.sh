#!/usr/bin/env bash
# Run every entry of a test manifest and print one line per test, then
# "N passed, N failed" as the last line.  Exit status 0 only when nothing
# failed and at least one test ran.
#
# Manifest lines:
#   unit <binary>          a cmocka binary; each test case counts (TAP output)
#   boot <script>          a boot-test script printing "PASS: name" / "FAIL: name"
#   cmd <name>:<command>   one test: passes when the command exits 0
#
# TEST_FILTER=regex runs only the entries whose name or path matches.
set -uo pipefail

manifest=$1
passed=0
failed=0
failures=()
logdir=$(dirname "$manifest")/test-logs
mkdir -p "$logdir"

pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAIL  %s\n' "$1"; }

run_unit() {
    local bin=$1 name log rc seen=0 line
    name=unit/$(basename "$bin")
    log=$logdir/$(basename "$bin").log
    CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$log" 2>&1
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*)     seen=1; pass "$name: ${line#ok * - }" ;;
        "not ok "[0-9]*) seen=1; fail "$name: ${line#not ok * - }" ;;
        esac
    done <"$log"
    if [ $rc -ne 0 ] && ! grep -q '^not ok [0-9]' "$log"; then
        fail "$name (exit status $rc)"
    elif [ $seen -eq 0 ]; then
        fail "$name (ran no test)"
    fi
    if [ $rc -ne 0 ]; then
        sed 's/^/      /' "$log" | grep -v '^      ok ' | tail -n 30
    fi
}

run_boot() {
    local script=$1 name log rc line seen=0
    name=boot/$(basename "$script" .sh)
    log=$logdir/$(basename "$script" .sh).log
    "$script" >"$log" 2>&1
    rc=$?
    while IFS= read -r line; do
        case "$line" in
        "PASS: "*) seen=1; pass "$name: ${line#PASS: }" ;;
        "FAIL: "*) seen=1; fail "$name: ${line#FAIL: }" ;;
        esac
    done <"$log"
    if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' "$log"; then
        fail "$name (exit status $rc)"
    elif [ $seen -eq 0 ]; then
        fail "$name (reported nothing)"
    fi
    [ $rc -ne 0 ] && sed 's/^/      /' "$log" | tail -n 40
}

run_cmd() {
    local spec=$1 name cmd log rc
    name=${spec%%:*}
    cmd=${spec#*:}
    log=$logdir/cmd-${name//\//_}.log
    bash -c "$cmd" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        pass "$name"
    else
        fail "$name (exit status $rc)"
        sed 's/^/      /' "$log" | tail -n 40
    fi
}

while read -r kind rest; do
    [ -n "$kind" ] || continue
    if [ -n "${TEST_FILTER:-}" ] && ! [[ "$rest" =~ $TEST_FILTER ]]; then
        continue
    fi
    case "$kind" in
    unit) run_unit "$rest" ;;
    boot) run_boot "$rest" ;;
    cmd)  run_cmd "$rest" ;;
    *)    fail "manifest: unknown entry kind '$kind'" ;;
    esac
done <"$manifest"

if [ $failed -gt 0 ]; then
    echo
    echo "Failed:"
    printf '  %s\n' "${failures[@]}"
    echo "Logs: $logdir/"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
