#!/bin/sh
# A command that must succeed: exit status 0, nothing on stderr, and its stdout (lines joined
# with spaces) matching an extended regular expression. (CTest's PASS_REGULAR_EXPRESSION alone
# ignores the exit status.)
#   check_output.sh REGEX COMMAND ARGS...
regex=$1; shift
out=$("$@" 2>/dev/null)
rc=$?
err=$("$@" 2>&1 >/dev/null)
echo "exit $rc; stdout: $out"
[ "$rc" -eq 0 ] || { echo "FAIL: expected exit status 0, got $rc"; exit 1; }
[ -z "$err" ] || { echo "FAIL: expected nothing on stderr, got: $err"; exit 1; }
printf '%s\n' "$out" | tr '\n' ' ' | grep -Eq -- "$regex" || { echo "FAIL: stdout does not match: $regex"; exit 1; }
