#!/usr/bin/env bash
# Re-records the golden outputs of tests/lua/*.lua with the reference lua5.4.
#
#   tests/record-goldens.sh            # every program
#   tests/record-goldens.sh NAME...    # only these (NAME or NAME.lua)
#
# For each program it runs `lua5.4 NAME.lua` inside tests/lua with no stdin and writes
#   NAME.stdout  the exact stdout bytes
#   NAME.status  the exit status, then the first stderr line without its "lua5.4: " prefix
#                (an empty line when stderr is empty)
# Goldens are only ever produced by this script; never edit them by hand.
set -euo pipefail

if ! command -v lua5.4 >/dev/null 2>&1; then
    echo "record-goldens: lua5.4 is not installed; refusing to record goldens" >&2
    exit 2
fi

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/lua" && pwd)"
cd "$dir"

names=()
if [ "$#" -eq 0 ]; then
    for f in *.lua; do
        [ -e "$f" ] || continue
        names+=("${f%.lua}")
    done
else
    for arg in "$@"; do
        arg="$(basename "$arg")"
        names+=("${arg%.lua}")
    done
fi

err="$(mktemp)"
trap 'rm -f "$err"' EXIT

failed=0
for name in "${names[@]}"; do
    if [ ! -f "$name.lua" ]; then
        echo "record-goldens: no such program: $name.lua" >&2
        failed=1
        continue
    fi
    status=0
    timeout 120 lua5.4 "$name.lua" </dev/null >"$name.stdout" 2>"$err" || status=$?
    if [ "$status" -eq 124 ]; then
        echo "record-goldens: $name.lua timed out under lua5.4; goldens not usable" >&2
        failed=1
    fi
    line=""
    IFS= read -r line <"$err" || true
    printf '%s\n%s\n' "$status" "${line#lua5.4: }" >"$name.status"
    echo "$name: exit $status"
done
exit "$failed"
