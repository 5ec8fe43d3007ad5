#!/usr/bin/env bash
# The main job, from a bare Debian 12 machine: installs what is missing,
# builds bpfxx, and shows what the running kernel supports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
build/default/tools/bpfxx/bpfxx feature probe "$@"
