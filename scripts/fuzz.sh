#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for a
# bounded time: fuzz.sh [SECONDS_PER_TARGET] (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
corpus_root=build/fuzz/corpus
for target in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  mkdir -p "$corpus_root/$name"
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" "$corpus_root/$name" > "$corpus_root/$name.log" 2>&1; then
    tail -n 60 "$corpus_root/$name.log"
    echo "fuzz: $name failed"
    exit 1
  fi
  tail -n 1 "$corpus_root/$name.log"
done
