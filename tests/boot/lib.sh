# Helpers for boot tests (sourced).  Each test prints "PASS: name" or
# "FAIL: name (why)" per check and exits non-zero when any check failed.
# Run from the top of the tree; images come from build/.
set -uo pipefail
BUILD=${BUILD:-build}
HV32=$BUILD/tessera.elf32
HV64=$BUILD/tessera.elf
BOOT=tools/tessera-boot
WORK=$BUILD/boot-tests
mkdir -p "$WORK"
failures=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ ($2)}"; failures=$((failures + 1)); }
finish() { exit $((failures > 0)); }

# check NAME CONDITION-COMMAND... : PASS when the command succeeds.
# A failed log check says what the log held, so that a CI failure can be
# understood from its output alone.
check() {
    local name=$1; shift
    if "$@"; then pass "$name"; return; fi
    fail "$name"
    if [ "$1" = has ] && [ -f "$2" ]; then
        echo "      no line of $2 matches '$3'; its last 12 lines:"
        tr -d '\r' < "$2" | tail -n 12 | sed 's/^/        /'
    elif [ "$1 $2" = "not has" ] && [ -f "$3" ]; then
        echo "      lines of $3 matching '$4':"
        grep -E -- "$4" <(tr -d '\r' < "$3") | head -n 12 | sed 's/^/        /'
    fi
}

# boot LOG EXPECTED-STATUS tessera-boot-args... : run tessera-boot with its
# serial log in LOG and check its exit status.
boot() {
    local log=$1 want=$2 got; shift 2
    $BOOT --log "$log" --timeout "${BOOT_TIMEOUT:-60}" "$@" >"$log.out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "tessera-boot exited $got, expected $want:"
        cat "$log.out"
        return 1
    fi
}

# has LOG REGEX : the serial log has a line matching REGEX.  Not a pipe
# into grep -q: under pipefail, grep leaving at the first match would fail
# the check whenever tr had more to write (SIGPIPE), which a loaded
# machine turns into a random FAIL.
# not CMD... : succeeds when CMD fails.
not() { ! "$@"; }
has() { grep -Eq -- "$2" <(tr -d '\r' < "$1"); }
