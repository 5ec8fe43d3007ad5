#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a consumer project
# against it through find_package(bpfxx) and pkg-config; runs the results.
# The consumer also builds a BPF application with the installed
# bpfxx_add_bpf_object()/bpfxx_add_skeleton() (where the kernel has BTF),
# run when root.
#   check-install.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1; consumer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/bpf/bpf.h"
test -f "$work/prefix/include/bpf/uapi/linux/bpf.h"
test -f "$work/prefix/include/bpfxx/unique_fd.hpp"
test -x "$work/prefix/bin/bpfxx"
libdir=$(ls -d "$work"/prefix/lib*/ | head -1)
test -f "$libdir/cmake/bpfxx/bpfxx_bpf.cmake"
test -f "$libdir/libbpfxx.a"
readelf -d "$libdir/libbpfxx.so" | grep -q 'SONAME.*libbpfxx.so.1'
cmake -S "$consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
PKG_CONFIG_PATH="$libdir/pkgconfig" cmake -S "$consumer" -B "$work/consumer" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_cmake"
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_pkgconfig"
"$work/consumer/consumer_static"
if [ -r /sys/kernel/btf/vmlinux ]; then
  test -f "$work/consumer/counter.bpf.o"
  test -f "$work/consumer/counter_skel/counter.skel.h"
  if [ "$(id -u)" -eq 0 ]; then
    LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_skeleton"
  else
    echo "not root: the skeleton consumer was built, not run"
  fi
else
  echo "no kernel BTF: the skeleton consumer was not built"
fi
echo "install ok"
