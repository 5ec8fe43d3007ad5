#!/usr/bin/env bash
# Compiles one BPF program and checks the object.
#   compile-bpf.sh <cc> <readelf> <objdump> <source> <object> <sections> <disasm-regex> [cc flags...]
# <sections>: comma-separated section names that must exist ("-" for none).
# <disasm-regex>: extended regex the disassembly must match ("-" for none).
# Always checked: the object is ELF64 for EM_BPF with .BTF and .BTF.ext, and
# no may_goto jumps to the next instruction (a mis-encoded offset).
set -euo pipefail

cc=$1 readelf=$2 objdump=$3 src=$4 obj=$5 sections=$6 disasm=$7
shift 7

mkdir -p "$(dirname "$obj")"
"$cc" -target bpf -O2 -g -Wall -Werror "$@" -c "$src" -o "$obj"

fail() {
  echo "FAIL: $obj: $*" >&2
  exit 1
}

header=$("$readelf" -h "$obj")
grep -Eq 'Class:[[:space:]]+ELF64' <<<"$header" || fail "not ELF64"
grep -Eq 'Machine:[[:space:]]+(EM_BPF|Linux BPF)' <<<"$header" || fail "machine is not BPF"

section_list=$("$readelf" -S -W "$obj")
has_section() {
  # section names are the field after "] "; match the whole name
  awk -v want="$1" '/^ *\[ *[0-9]+\]/ { sub(/^ *\[ *[0-9]+\] */, ""); if ($1 == want) found = 1 }
                    END { exit found ? 0 : 1 }' <<<"$section_list"
}
for s in .BTF .BTF.ext; do
  has_section "$s" || fail "no $s section"
done
if [ "$sections" != "-" ]; then
  IFS=',' read -r -a wanted <<<"$sections"
  for s in "${wanted[@]}"; do
    has_section "$s" || fail "no section '$s'"
  done
fi

dis=$("$objdump" -d --no-show-raw-insn "$obj")
if grep -Eq 'may_goto \+0x0( |$)' <<<"$dis"; then
  fail "may_goto with offset 0 (its target was not encoded)"
fi
if [ "$disasm" != "-" ]; then
  grep -Eq "$disasm" <<<"$dis" || fail "disassembly does not match /$disasm/"
fi
echo "ok: $obj"
