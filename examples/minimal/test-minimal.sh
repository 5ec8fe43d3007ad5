#!/usr/bin/env bash
# minimal counts its own three write() calls.
#   test-minimal.sh MINIMAL
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: minimal needs root"
  exit 77
fi
out=$("$1")
echo "$out"
grep -q "counted 3 write() calls" <<< "$out"
