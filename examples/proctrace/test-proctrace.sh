#!/usr/bin/env bash
# proctrace sees what happens while it runs: this script execs /bin/true and
# cats a file of its own, and both appear in proctrace's output. With -p it
# reports one process only; without a time limit it stops on SIGINT, exit 0.
#   test-proctrace.sh PROCTRACE
set -euo pipefail
proctrace=$1
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: proctrace needs root"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker="$work/proctrace-marker-$$"
echo marker > "$marker"

"$proctrace" -d 2 > "$work/out" 2> "$work/err" &
tracer=$!
# Keep exec'ing and opening until proctrace's time is up: it attaches a
# moment after it starts.
while kill -0 "$tracer" 2>/dev/null; do
  /bin/true
  cat "$marker" > /dev/null
  sleep 0.1
done
wait "$tracer" || { echo "proctrace failed:"; cat "$work/err"; exit 1; }

grep -E "^EXEC [0-9]+ true /bin/true$" "$work/out" | head -1
grep -E "^OPEN [0-9]+ cat $marker$" "$work/out" | head -1
echo "$(wc -l < "$work/out") events in 2 s"

# -p: a shell that keeps opening the marker; nothing else may appear.
bash -c 'while :; do read -r line < "$1"; sleep 0.05; done' opener "$marker" &
opener=$!
"$proctrace" -d 1 -p "$opener" > "$work/only" 2> "$work/err"
kill "$opener"
wait "$opener" 2>/dev/null || true
grep -E "^OPEN $opener bash $marker$" "$work/only" | head -1
if grep -vE "^(EXEC|OPEN) $opener " "$work/only"; then
  echo "-p $opener let other processes through"
  exit 1
fi

"$proctrace" -d 0 > /dev/null 2> "$work/err" &
tracer=$!
# Wait for it to attach; fail (not hang) if it exits first or never does.
tries=0
until grep -q tracing "$work/err"; do
  kill -0 "$tracer" 2>/dev/null || { echo "proctrace exited before tracing:"; cat "$work/err"; exit 1; }
  tries=$((tries + 1))
  if [ "$tries" -ge 300 ]; then
    echo "proctrace did not start tracing within 30 s:"; cat "$work/err"
    kill "$tracer"; exit 1
  fi
  sleep 0.1
done
kill -INT "$tracer"
wait "$tracer"
echo "stopped on SIGINT with status 0"
