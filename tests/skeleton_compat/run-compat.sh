#!/usr/bin/env bash
# One skeleton compatibility test: generates the skeleton of a test object
# with bpftool, builds an application over it and runs it.
#
#   run-compat.sh BPFTOOL OBJECT SKEL_NAME COMPILER LANG STD MODE LIBBPFXX SOURCE
#
# MODE bpfxx:    our headers (include/), linked against libbpfxx.so;
# MODE libbpf11: Debian's headers and -lbpf (libbpf 1.1: 24-byte map
#                entries), run with libbpf.so.1 pointing at libbpfxx.so.
# The application exits 77 (a ctest skip) without root.
set -euo pipefail
bpftool=$1; object=$2; skel=$3; cc=$4; lang=$5; std=$6; mode=$7; lib=$8; src=$9
here=$(cd "$(dirname "$0")" && pwd)
include=$(cd "$here/../../include" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$bpftool" gen skeleton "$object" name "$skel" > "$work/$skel.skel.h" 2> "$work/bpftool.err"; then
  echo "bpftool gen skeleton $object failed:" >&2
  cat "$work/bpftool.err" >&2
  exit 1
fi
flags=(-x "$lang" -std="$std" -Wall -Wextra -Werror -g -I"$work" -I"$here")
case $mode in
  bpfxx)
    "$cc" "${flags[@]}" -I"$include" "$src" -o "$work/app" -x none "$lib" -Wl,-rpath,"$(dirname "$lib")"
    "$work/app"
    ;;
  libbpf11)
    "$cc" "${flags[@]}" "$src" -o "$work/app" -x none -lbpf
    mkdir "$work/shim"
    ln -s "$lib" "$work/shim/libbpf.so.1"
    LD_LIBRARY_PATH="$work/shim" "$work/app"
    ;;
  *)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
