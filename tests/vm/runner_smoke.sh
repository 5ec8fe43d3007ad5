#!/usr/bin/env bash
# The kernel-matrix runner's own test, per kernel: a command that loads
# programs (the feature probe) runs in the guest and its output and exit
# status come back; a failing status comes back as it is; a guest that
# hangs ends at the timeout with the runner's message and status 125.
#   runner_smoke.sh KERNEL BPFXX_TOOL
set -uo pipefail
kernel=$1 tool=$2
runner="$(dirname "$0")/../../scripts/vm-test.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failed=0
fail() { echo "runner_smoke[$kernel]: FAILED: $*" >&2; failed=1; }

"$runner" --kernel "$kernel" --timeout 600 -- "$tool" feature probe -j > "$out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "feature probe exited with $rc"
tr -d '\r' < "$out" | grep -aq "\"release\":\"$kernel" ||
  fail "the probe's JSON does not name a $kernel kernel"
tr -d '\r' < "$out" | grep -aq '"socket_filter":true' ||
  fail "the guest could not load a socket filter"

"$runner" --kernel "$kernel" --timeout 600 -- bash -c 'exit 7' > "$out" 2>&1
rc=$?
[ $rc -eq 7 ] || fail "a guest command's status 7 came back as $rc"

"$runner" --kernel "$kernel" --timeout 45 -- sleep 100000 > "$out" 2>&1
rc=$?
[ $rc -eq 125 ] || fail "a hung guest gave status $rc, not 125"
grep -aq "the guest hung" "$out" || fail "no message about the hung guest"

[ $failed -eq 0 ] && echo "runner_smoke[$kernel]: ok"
exit $failed
