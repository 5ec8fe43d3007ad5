#!/usr/bin/env bash
# Checks libbpfxx.so's exported symbols against libbpf's ABI list:
#  - every exported symbol is in the list under the same version node
#    (or is a bpfxx_ extension under BPFXX_1.0);
#  - every function our public headers declare with LIBBPF_API is exported;
#  - every libbpf version node is defined, so applications linked against
#    libbpf.so.1 find each version they were linked with.
set -euo pipefail
lib=$1; abi=$2; include_dir=$3
fail=0

exports=$(readelf --dyn-syms -W "$lib" | awk '$5=="GLOBAL" && $7!="UND" && $8 ~ /@/ {print $8}' \
  | sed 's/@@/ /; s/@/ /' | awk '$1 != $2 {print $2, $1}' | sort -u)

while read -r node sym; do
  [ -n "$sym" ] || continue
  if [[ $sym == bpfxx_* ]]; then
    [ "$node" = BPFXX_1.0 ] || { echo "FAIL: $sym exported under $node, expected BPFXX_1.0"; fail=1; }
    continue
  fi
  if ! grep -qx "$node $sym" "$abi"; then
    echo "FAIL: exported $sym@$node is not in libbpf's ABI list with that node"; fail=1
  fi
done <<< "$exports"

declared=$(cat "$include_dir"/bpf/*.h | grep -v "^[[:space:]]*#[[:space:]]*define" | tr '\n' ' ' | grep -oE 'LIBBPF_API[^;{(]*\(' \
  | sed -E 's/\($//; s/.*[ *]([A-Za-z_][A-Za-z0-9_]*)$/\1/' | sort -u)
for sym in $declared; do
  if ! grep -q " $sym\$" <<< "$exports"; then
    echo "FAIL: $sym is declared LIBBPF_API in include/bpf but not exported"; fail=1
  fi
done

nodes=$(readelf -V -W "$lib" | awk '/Version definition/{d=1} /Version needs/{d=0} d && /Name:/ {print $NF}' | sort -u)
for node in $(awk '{print $1}' "$abi" | sort -u); do
  grep -qx "$node" <<< "$nodes" || { echo "FAIL: version node $node is not defined"; fail=1; }
done

count=$(grep -c . <<< "$exports" || true)
echo "exported: $count symbols; declared in headers: $(wc -w <<< "$declared")"
exit $fail
