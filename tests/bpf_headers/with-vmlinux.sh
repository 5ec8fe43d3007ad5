#!/usr/bin/env bash
# Builds a program against the vmlinux.h that `bpfxx btf dump` makes of the
# running kernel's BTF, then checks it like compile-bpf.sh.
#   with-vmlinux.sh <bpfxx tool> <vmlinux.h directory> <compile-bpf.sh arguments...>
# The header is generated once per directory; exit 77 (skip) when the kernel
# has no BTF.
set -euo pipefail

tool=$1 dir=$2
shift 2

btf=/sys/kernel/btf/vmlinux
if [ ! -r "$btf" ]; then
  echo "SKIP: no $btf" >&2
  exit 77
fi
mkdir -p "$dir"
# one writer at a time when tests run in parallel
exec 9>"$dir/.lock"
flock 9
if [ ! -s "$dir/vmlinux.h" ] || [ "$btf" -nt "$dir/vmlinux.h" ] || [ "$tool" -nt "$dir/vmlinux.h" ]; then
  "$tool" btf dump file "$btf" format c > "$dir/vmlinux.h.tmp"
  mv "$dir/vmlinux.h.tmp" "$dir/vmlinux.h"
fi
flock -u 9

exec bash "$(dirname "$0")/compile-bpf.sh" "$@" -DBPFXX_TEST_VMLINUX -I"$dir"
