#!/usr/bin/env bash
# xenstored integration test: Debian's unmodified xenstore-utils against the
# host daemon on a unix socket (XENSTORED_PATH).  Every wait is a bounded
# poll; every output is compared exactly.
#
#   tests/xenstored/utils.sh build/xenstored/xenstored-host
set -uo pipefail

daemon=${1:?usage: utils.sh path/to/xenstored-host}
T=5                                 # seconds allowed per client command
dir=$(mktemp -d)
export XENSTORED_PATH=$dir/socket
pid=
fails=0

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

# wait_for TEST-EXPRESSION...: poll up to 5 s
wait_for() {
    local i
    for i in $(seq 500); do
        "$@" && return 0
        sleep 0.01
    done
    return 1
}

check() {           # check NAME EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then
        echo "PASS: $1"
    else
        echo "FAIL: $1"
        echo "  expected: $(printf %q "$2")"
        echo "  actual:   $(printf %q "$3")"
        fails=$((fails + 1))
    fi
}

run() { timeout $T "$@" 2>&1; }

"$daemon" --socket "$XENSTORED_PATH" 2>"$dir/daemon.log" &
pid=$!
wait_for test -S "$XENSTORED_PATH" || { echo "FAIL: daemon socket"; exit 1; }

check write "" "$(run xenstore-write /vm/a hello /vm/b 'two words')"
check read "hello" "$(run xenstore-read /vm/a)"
check read-two "$(printf 'hello\ntwo words')" "$(run xenstore-read /vm/a /vm/b)"
check read-missing "xenstore-read: couldn't read path /vm/nope" \
    "$(run xenstore-read /vm/nope)"
run xenstore-read /vm/nope >/dev/null; check read-missing-status 1 $?
check list "$(printf 'a\nb')" "$(run xenstore-list /vm)"
check ls "$(printf 'a = "hello"\nb = "two words"')" "$(run xenstore-ls /vm)"
check ls-root "$(printf 'tool = ""\n xenstored = ""\nvm = ""\n a = "hello"\n b = "two words"')" \
    "$(run xenstore-ls /)"
check exists "0" "$(run xenstore-exists /vm/a; echo $?)"
check chmod "" "$(run xenstore-chmod /vm/a b0)"
# xenstore-ls pads with dots to the terminal width: compare both ends.
line=$(run xenstore-ls -p /vm | head -n 1)
check ls-perms '(b0)' "${line##* }"
check ls-perms-value 'a = "hello"' "${line%%  . *}"
check rm "" "$(run xenstore-rm /vm/a)"
check ls-after-rm 'b = "two words"' "$(run xenstore-ls /vm)"
check exists-after-rm "1" "$(run xenstore-exists /vm/a >/dev/null; echo $?)"

# A directory larger than one payload: libxenstore falls back to
# DIRECTORY_PART when DIRECTORY answers E2BIG.
args=()
for i in $(seq -w 1 300); do args+=("/big/entry-with-a-long-name-$i" "v$i"); done
check write-many "" "$(run xenstore-write "${args[@]}")"
check list-big "300" "$(run xenstore-list /big | wc -l)"
check list-big-last "entry-with-a-long-name-300" "$(run xenstore-list /big | tail -n 1)"

# Watches: the registration event, then one per change, in order.
timeout $T xenstore-watch -n 4 /w >"$dir/watch.out" 2>&1 &
wpid=$!
wait_for grep -qx /w "$dir/watch.out" || echo "FAIL: watch registration"
run xenstore-write /w/x 1 >/dev/null
run xenstore-write /w/y 2 >/dev/null
run xenstore-rm /w/x >/dev/null
wait $wpid
check watch-status 0 $?
check watch-events "$(printf '/w\n/w/x\n/w/y\n/w/x')" "$(cat "$dir/watch.out")"

check rm-tree "" "$(run xenstore-rm /big)"
check list-root "$(printf 'tool\nvm\nw')" "$(run xenstore-list /)"

# The daemon is still alive and answers after all of that.
kill -0 "$pid" || { echo "FAIL: daemon died"; fails=$((fails + 1)); }
kill "$pid"
wait "$pid"
check daemon-exit 0 $?
pid=
check socket-removed "no" "$([ -e "$XENSTORED_PATH" ] && echo yes || echo no)"
[ $fails -eq 0 ]
