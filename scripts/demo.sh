#!/usr/bin/env bash
# The main job, from a bare Debian 12 machine: installs what is missing,
# builds bpfxx, shows what the running kernel supports, then runs
# examples/proctrace (a small tracer built with bpfxx_add_bpf_object() and a
# bpfxx skeleton) for a few seconds while this script starts a few programs
# and opens a few files, and prints what the tracer saw.
#   demo.sh [-j|-p]     JSON for the feature probe (the tracer then reports
#                       on stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
build/default/tools/bpfxx/bpfxx feature probe "$@"

[ $# -eq 0 ] || exec 1>&2 # keep stdout pure JSON
proctrace=build/default/examples/proctrace/proctrace
seconds=3
echo
echo "== examples/proctrace: program executions and file opens for $seconds s =="
if [ ! -x "$proctrace" ]; then
  echo "demo.sh: $proctrace was not built (cmake said why: 'examples/ skipped: ...')" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Loading BPF programs needs root: run 'sudo $proctrace -d $seconds' to see it."
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$proctrace" -d "$seconds" > "$work/events" 2> "$work/log" &
tracer=$!
# Start the activity once the tracer is attached (it says so on stderr).
until grep -q tracing "$work/log" || ! kill -0 "$tracer" 2>/dev/null; do sleep 0.05; done
echo "hello from demo.sh" > "$work/greeting.txt"
# The shell prints its own pid and its children's: the lines to show.
sh -c 'echo $$; uname -r >/dev/null & echo $!; wait
       cat "$1" >/dev/null & echo $!; wait; ls /etc/os-release >/dev/null & echo $!; wait' \
  demo "$work/greeting.txt" > "$work/pids"
if ! wait "$tracer"; then
  cat "$work/log"
  exit 1
fi

total=$(wc -l < "$work/events")
execs=$(grep -c '^EXEC' "$work/events" || true)
echo "proctrace saw $total events ($execs execs, $((total - execs)) opens) on this machine;"
echo "here are those of the commands demo.sh ran (sh -c 'uname -r; cat greeting.txt; ls ...'),"
echo "shared-library opens left out ('?': a path not paged in yet, which a tracepoint cannot read):"
awk 'NR == FNR { ours[$1] = 1; next } ($2 in ours)' "$work/pids" "$work/events" |
  { grep -vE ' /(etc/ld\.so\.cache|lib|usr/lib)/?' || true; } | sed -n 1,20p
