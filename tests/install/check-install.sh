#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a consumer project
# against it through find_package(bpfxx) and pkg-config; runs the results.
#   check-install.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1; consumer=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/bpf/bpf.h"
test -f "$work/prefix/include/bpf/uapi/linux/bpf.h"
test -f "$work/prefix/include/bpfxx/unique_fd.hpp"
libdir=$(ls -d "$work"/prefix/lib*/ | head -1)
test -f "$libdir/libbpfxx.a"
readelf -d "$libdir/libbpfxx.so" | grep -q 'SONAME.*libbpfxx.so.1'
cmake -S "$consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
PKG_CONFIG_PATH="$libdir/pkgconfig" cmake -S "$consumer" -B "$work/consumer" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_cmake"
LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_pkgconfig"
"$work/consumer/consumer_static"
echo "install ok"
