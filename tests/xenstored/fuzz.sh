#!/usr/bin/env bash
# Run the xenstored wire fuzzer for a bounded number of runs or seconds,
# starting from a small seed corpus of well-formed requests.
#
#   tests/xenstored/fuzz.sh FUZZER runs N      (make test: a few seconds)
#   tests/xenstored/fuzz.sh FUZZER time SECONDS (make fuzz-xenstored)
set -euo pipefail
fuzzer=${1:?usage: fuzz.sh FUZZER runs|time N}
mode=${2:?}
n=${3:?}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus"

# seed TYPE TXID PAYLOAD-AS-PRINTF-FORMAT  (first byte: split point)
seed() {
    local len
    len=$(printf "$3" | wc -c)
    { printf '\x80'
      printf "$(printf '\\x%02x\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x%02x\\x00\\x00\\x00\\x%02x\\x%02x\\x00\\x00' \
          "$1" "$2" $((len & 255)) $((len >> 8)))"
      printf "$3"; } >"$dir/corpus/seed-$1-$RANDOM"
}
seed 11 0 '/a/b\0value'
seed 2 0 '/a/b\0'
seed 1 0 '/\0'
seed 4 0 '/a\0tok\0'
seed 6 0 '\0'
seed 14 0 '/a\0b0\0r5\0'
seed 8 0 '5\0100\0\x37\0'
seed 22 0 '/\x00\x30\x00'
seed 0 0 'quota\0'

case "$mode" in
runs) exec "$fuzzer" -runs="$n" -max_len=8192 -rss_limit_mb=1024 \
          "$dir/corpus" ;;
time) exec "$fuzzer" -max_total_time="$n" -max_len=8192 -rss_limit_mb=1024 \
          "$dir/corpus" ;;
*) echo "fuzz.sh: mode must be runs or time, not '$mode'" >&2; exit 2 ;;
esac
