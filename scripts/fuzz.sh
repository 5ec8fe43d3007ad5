#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for a
# bounded time: fuzz.sh [SECONDS_PER_TARGET] (default 20).
#
# fuzz_object_open starts from the project's own BPF objects
# (tests/progs/*.bpf.c, built by the fuzz preset into build/fuzz/tests/progs):
# real objects reach far deeper than random bytes in the time given.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
corpus_root=build/fuzz/corpus
progs_dir=build/fuzz/tests/progs
for target in build/fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  mkdir -p "$corpus_root/$name"
  seeds=()
  if [ "$name" = fuzz_object_open ]; then
    # Seeds live in their own directory, refreshed every run: libFuzzer
    # reads every extra directory as input but writes only to the first.
    seed_dir="$corpus_root/$name.seeds"
    rm -rf "$seed_dir"
    mkdir -p "$seed_dir"
    # Not the benchmark's objects: one of 90 KiB slows the fuzzer tenfold.
    for obj in "$progs_dir"/*.bpf.o; do
      [ -e "$obj" ] || continue
      case $(basename "$obj") in bench_*) ;; *) cp "$obj" "$seed_dir"/ ;; esac
    done
    seeds=("$seed_dir")
    echo "fuzz: $name seeded with $(ls "$seed_dir" | wc -l) objects from $progs_dir"
  fi
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" "$corpus_root/$name" "${seeds[@]}" > "$corpus_root/$name.log" 2>&1; then
    tail -n 60 "$corpus_root/$name.log"
    echo "fuzz: $name failed"
    exit 1
  fi
  tail -n 1 "$corpus_root/$name.log"
done
