#!/usr/bin/env bash
# Installs what bpfxx needs to build and test, on Debian 12.
# Idempotent: apt-get runs only when a package is missing.
# --vm: also what the kernel matrix (scripts/vm-test.sh) needs.
set -euo pipefail

packages=(
  cmake ninja-build g++ clang pkg-config binutils
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev
  clang-19 llvm-19 libbpf-dev libclang-rt-14-dev bpftool
  iproute2 procps
  systemtap-sdt-dev
)
if [ "${1:-}" = "--vm" ]; then
  packages+=(qemu-system-x86 busybox-static cpio kmod zstd xz-utils)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
