#!/bin/sh
# Bad command lines must fail with exactly one line on stderr, nothing on stdout, exit 2.
#   check_rejects.sh HLSKIT ARGS...
tool=$1; shift
out=$("$tool" "$@" 2>/dev/null)
err=$("$tool" "$@" 2>&1 >/dev/null)
"$tool" "$@" >/dev/null 2>&1
rc=$?
lines=$(printf '%s\n' "$err" | wc -l)
echo "exit $rc; stderr: $err"
[ "$rc" -eq 2 ] || { echo "FAIL: expected exit status 2"; exit 1; }
[ -z "$out" ] || { echo "FAIL: expected nothing on stdout, got: $out"; exit 1; }
[ -n "$err" ] && [ "$lines" -eq 1 ] || { echo "FAIL: expected exactly one line on stderr"; exit 1; }
