#!/usr/bin/env bash
# XenStore over the host daemon's unix socket: read, write and directory
# ops/s with 1 and 8 clients, and watch-fire latency.  Prints markdown rows
# "| benchmark | value | unit | notes |".  Each figure is the median of
# RUNS runs with the min-max range.  1-client runs pin the daemon and the
# client to the same CPU (taskset -c 1, see TOOLCHAIN.md); 8-client runs are
# unpinned.
#
#   tests/xenstored/bench.sh build/xenstored/xenstored-host build/xenstored/xs-bench
set -euo pipefail
daemon=${1:?} client=${2:?}
RUNS=${RUNS:-5}
SECS=${SECS:-1}
dir=$(mktemp -d)
sock=$dir/socket
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

start() {       # start [taskset prefix...]
    "$@" "$daemon" --socket "$sock" &
    pid=$!
    for _ in $(seq 500); do [ -S "$sock" ] && return 0; sleep 0.01; done
    echo "bench: daemon did not start" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" || true; pid=; }

stats() {       # numbers on stdin -> "median min max"
    sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

ops_row() {     # ops_row MODE CLIENTS
    local mode=$1 n=$2 pin=() place=unpinned out
    if [ "$n" -eq 1 ]; then pin=(taskset -c 1); place="daemon+client pinned to cpu1"; fi
    start "${pin[@]}"
    out=$(for _ in $(seq "$RUNS"); do "${pin[@]}" "$client" "$sock" "$mode" "$n" "$SECS"; done | stats)
    stop
    set -- $out
    printf '| xenstore %s, %d client%s (socket) | %s | ops/s | median of %d x %ss, min-max %s-%s, %s |\n' \
        "$mode" "$n" "$([ "$n" -gt 1 ] && echo s)" "$1" "$RUNS" "$SECS" "$2" "$3" "$place"
}

for mode in read write directory; do
    ops_row "$mode" 1
    ops_row "$mode" 8
done

start taskset -c 1
out=$(for _ in $(seq "$RUNS"); do taskset -c 1 "$client" "$sock" watch 1000 | cut -d' ' -f1; done | stats)
stop
set -- $out
printf '| xenstore watch-fire latency (socket) | %s | us | median of %d runs x 1000 writes (per-run medians), min-max %s-%s, pinned to cpu1 |\n' \
    "$1" "$RUNS" "$2" "$3"
