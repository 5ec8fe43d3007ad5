#!/usr/bin/env bash
# The vmlinux.h that `bpfxx btf dump file /sys/kernel/btf/vmlinux format c`
# writes, checked three ways:
#   compile  it compiles with clang -target bpf -O2 -g -Wall -Werror, alone and
#            under a small CO-RE program using the project's BPF-side headers;
#   layout   clang's layout of every uniquely named struct/union (sizes and
#            member offsets, from _Static_assert checks generated from BTF)
#            equals BTF's;
#   bpftool  it declares the same set of type names as Debian's bpftool
#            (differences listed in known-differences.txt are allowed);
#   cases    the same layout check on layout_cases.c, the hard cases (packed,
#            aligned, bitfields, odd enums, __int128) compiled with -g.
# Usage: check-vmlinux-h.sh MODE BPFXX TOOL CLANG INCLUDE_DIR WORK_DIR
# Exit 77 (skipped) when the kernel has no BTF or bpftool is missing.
set -euo pipefail
mode=$1 bpfxx=$2 tool=$3 clang=$4 include=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
btf=/sys/kernel/btf/vmlinux
if [ "$mode" = cases ]; then
  mkdir -p "$work"
  "$clang" -target bpf -O2 -g -c "$here/layout_cases.c" -o "$work/cases.o"
  "$bpfxx" btf dump file "$work/cases.o" format c > "$work/vmlinux.h"
  "$tool" asserts "$work/cases.o" "$work/layout.c"
  "$clang" -target bpf -O2 -g -Wall -Werror -I"$work" -c "$work/layout.c" -o "$work/layout.o"
  echo "layout_cases.c: clang's layouts of the dumped header equal BTF's"
  exit 0
fi
if [ ! -r "$btf" ]; then
  echo "SKIP: $btf is not readable"
  exit 77
fi
mkdir -p "$work"
"$bpfxx" btf dump file "$btf" format c > "$work/vmlinux.h"

case "$mode" in
compile)
  cat > "$work/alone.c" <<'C'
#include "vmlinux.h"
C
  "$clang" -target bpf -O2 -g -Wall -Werror -c "$work/alone.c" -o "$work/alone.o"
  cat > "$work/core_prog.c" <<'C'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

int seen_pid;

SEC("raw_tp/sys_enter")
int read_pid(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	seen_pid = BPF_CORE_READ(task, pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
C
  "$clang" -target bpf -O2 -g -Wall -Werror -I"$include" -c "$work/core_prog.c" -o "$work/core_prog.o"
  echo "vmlinux.h ($(wc -l < "$work/vmlinux.h") lines) compiles"
  ;;
layout)
  "$tool" asserts "$btf" "$work/layout.c"
  "$clang" -target bpf -O2 -g -Wall -Werror -ferror-limit=50 -I"$work" -c "$work/layout.c" -o "$work/layout.o"
  echo "clang's layouts equal BTF's"
  ;;
bpftool)
  if ! command -v bpftool > /dev/null 2>&1; then
    echo "SKIP: bpftool is not installed"
    exit 77
  fi
  bpftool btf dump file "$btf" format c > "$work/bpftool.h"
  "$tool" names "$work/vmlinux.h" > "$work/names.bpfxx"
  "$tool" names "$work/bpftool.h" > "$work/names.bpftool"
  # Lines of the diff that known-differences.txt does not explain.
  diff "$work/names.bpftool" "$work/names.bpfxx" | grep '^[<>]' > "$work/names.diff" || true
  grep -v '^#' "$here/known-differences.txt" | grep -v '^$' > "$work/known" || true
  unexplained=$(grep -vxF -f "$work/known" "$work/names.diff" || true)
  echo "$(wc -l < "$work/names.bpfxx") names in ours, $(wc -l < "$work/names.bpftool") in bpftool's"
  if [ -n "$unexplained" ]; then
    echo "names declared by only one of the headers ('<' bpftool only, '>' bpfxx only):"
    echo "$unexplained" | head -50
    exit 1
  fi
  echo "same type names as bpftool $(bpftool version | head -1)"
  ;;
*)
  echo "unknown mode $mode" >&2
  exit 2
  ;;
esac
