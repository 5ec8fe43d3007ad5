#!/usr/bin/env bash
# The whole test suite, from a bare Debian 12 machine: installs what is
# missing, builds the ASan+UBSan and the default configurations and runs
# every test in both (kernel tests for real when run as root), fuzzes each
# parser for a bounded time under ASan+UBSan, and runs the kernel tests
# again inside Debian's 6.1 and 6.12 kernels under qemu (scripts/vm-test.sh;
# skipped with a message when not root). The default configuration's host
# suite runs last, so the output ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" --timeout 600

scripts/fuzz.sh 20

cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs"
if [ "$(id -u)" -eq 0 ]; then
  scripts/install-deps.sh --vm
  ctest --preset vm
else
  echo "test.sh: not root: the kernel matrix (ctest --preset vm) is skipped" >&2
fi
ctest --preset default -j "$jobs" --timeout 600
