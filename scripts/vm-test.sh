#!/usr/bin/env bash
# Runs a command inside a Debian kernel booted under qemu: the kernel
# matrix of the test suite (see README, "Kernel matrix").
#
#   scripts/vm-test.sh --kernel 6.1|6.12 [--timeout SEC] [--cpus N] [--mem MB]
#                      [--cache DIR] [--prepare-only] -- COMMAND [ARG...]
#
# The kernel comes from Debian's current package, found through the
# meta-package (linux-image-amd64 is 6.1 on Debian 12, linux-image-6.12-amd64
# the backported 6.12): ABI numbers change with every security update, so
# names are never hard-coded. The package is downloaded and unpacked under
# the cache directory (no host kernel is installed), a small initramfs is
# built with busybox and the modules the tests need, and qemu boots it with
# TCG (KVM is tried first, but nested PVM hosts cannot run stock kernels).
# The guest mounts the host's / read-only over 9p and runs COMMAND in a
# chroot of it, in the current directory, with writable tmpfs where tests
# write. The console streams to stdout; the guest's exit status comes back
# through a marker line on the serial console, because poweroff loses it.
# A hang or panic ends by the timeout with a message saying so.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernel=""
timeout_s=1800
cpus=1
mem=2048
cache="$repo/build/vm"
prepare_only=0

usage() {
  sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --kernel) kernel=${2:?}; shift 2 ;;
    --timeout) timeout_s=${2:?}; shift 2 ;;
    --cpus) cpus=${2:?}; shift 2 ;;
    --mem) mem=${2:?}; shift 2 ;;
    --cache) cache=${2:?}; shift 2 ;;
    --prepare-only) prepare_only=1; shift ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) echo "vm-test: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$kernel" ] || { echo "vm-test: --kernel is required" >&2; usage; }
if [ $prepare_only -eq 0 ] && [ $# -eq 0 ]; then
  echo "vm-test: no command given" >&2
  usage
fi

case "$kernel" in
  6.1) meta=linux-image-amd64 ;;
  6.12) meta=linux-image-6.12-amd64 ;;
  *) echo "vm-test: unknown kernel '$kernel' (6.1 or 6.12)" >&2; exit 2 ;;
esac

# Both kernels' runs start together (ctest --preset vm): one apt-get at a
# time, the other waits and then finds everything installed.
mkdir -p "$cache"
flock "$cache/install-deps.lock" "$repo/scripts/install-deps.sh" --vm

log() { echo "vm-test[$kernel]: $*" >&2; }

# The versioned image package the meta-package currently points at.
resolve_package() {
  local pkg
  pkg=$(apt-cache depends "$meta" 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  if [ -z "$pkg" ]; then
    flock "$cache/install-deps.lock" apt-get update -qq >&2 || true
    pkg=$(apt-cache depends "$meta" 2>/dev/null |
          awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  fi
  [ -n "$pkg" ] || { log "cannot resolve $meta to a kernel package"; exit 1; }
  case "$pkg" in
    linux-image-"$kernel".*|linux-image-"$kernel"-*) ;;
    *) log "$meta points at $pkg, not a $kernel kernel"; exit 1 ;;
  esac
  echo "$pkg"
}

# Modules the guest loads, with their dependencies in load order: 9p to
# reach the host, and what the network tests create (veth, tc).
wanted_modules=(virtio_pci 9pnet_virtio 9p veth dummy sch_ingress cls_bpf act_bpf)

# Turns the compressed kernel into a plain vmlinux, which qemu boots
# through PVH without spending seconds of emulated decompression.
extract_vmlinux() {
  local image=$1 out=$2 off magic
  for magic in $'\xfd7zXZ\x00' $'\x28\xb5\x2f\xfd'; do
    off=$(LC_ALL=C grep -obUaP "$(printf '%s' "$magic" | od -An -tx1 | tr -d ' \n' |
          sed 's/\(..\)/\\x\1/g')" "$image" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$off" ] || continue
    if [ "$magic" = $'\x28\xb5\x2f\xfd' ]; then
      tail -c +$((off + 1)) "$image" | zstd -dcq > "$out" 2>/dev/null || true
    else
      tail -c +$((off + 1)) "$image" | xz -dcq > "$out" 2>/dev/null || true
    fi
    if [ -s "$out" ] && head -c 4 "$out" | grep -q ELF; then return 0; fi
  done
  rm -f "$out"
  return 1
}

prepare() {
  local pkg=$1 dir=$2
  [ -f "$dir/ready" ] && return 0
  log "preparing $pkg under $dir"
  rm -rf "$dir"
  mkdir -p "$dir/deb" "$dir/root" "$dir/initramfs"
  (cd "$dir/deb" && apt-get download -qq "$pkg" >/dev/null 2>&1) ||
    { log "apt-get download $pkg failed"; exit 1; }
  dpkg-deb -x "$dir"/deb/*.deb "$dir/root"
  local image ver
  image=$(ls "$dir"/root/boot/vmlinuz-* | head -1)
  ver=${image##*/vmlinuz-}
  depmod -b "$dir/root" "$ver"

  if extract_vmlinux "$image" "$dir/vmlinux"; then
    echo "$dir/vmlinux" > "$dir/boot-image"
  else
    echo "$image" > "$dir/boot-image"
  fi

  local ird=$dir/initramfs m line ko base
  mkdir -p "$ird/bin" "$ird/modules" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/mnt"
  cp /bin/busybox "$ird/bin/busybox"
  : > "$ird/modules.order"
  for m in "${wanted_modules[@]}"; do
    while read -r line; do
      case "$line" in insmod\ *) ;; *) continue ;; esac
      ko=$(echo "$line" | awk '{print $2}')
      base=$(basename "$ko"); base=${base%.xz}; base=${base%.zst}
      grep -qx "$base" "$ird/modules.order" && continue
      case "$ko" in
        *.xz) xz -dc "$ko" > "$ird/modules/$base" ;;
        *.zst) zstd -dcq "$ko" > "$ird/modules/$base" ;;
        *) cp "$ko" "$ird/modules/$base" ;;
      esac
      echo "$base" >> "$ird/modules.order"
    done < <(modprobe -d "$dir/root" -S "$ver" --show-depends "$m" 2>/dev/null || true)
  done
  # The kernel's configuration, for what reads /boot/config-$(uname -r)
  # (kconfig externs): the guest mounts it over the host's /boot.
  cp "$dir/root/boot/config-$ver" "$ird/kernel-config"
  cp "$repo/scripts/vm-init.sh" "$ird/init"
  chmod +x "$ird/init"
  (cd "$ird" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$dir/initramfs.cpio.gz"
  echo "$ver" > "$dir/version"
  rm -rf "$dir/deb" "$dir/initramfs"
  # Keep only the boot image and the initramfs: the unpacked tree is 400 MB.
  if [ "$(cat "$dir/boot-image")" = "$dir/vmlinux" ]; then rm -rf "$dir/root"; fi
  touch "$dir/ready"
}

pkg=$(resolve_package)
# The suffix changes when what prepare() builds changes, so an old cache
# is rebuilt rather than used.
dir="$cache/$pkg.v3"
mkdir -p "$cache"
# Two runs preparing the same kernel at once would fight over the tree.
exec 9>"$cache/$pkg.lock"
flock 9
prepare "$pkg" "$dir"
flock -u 9
[ $prepare_only -eq 1 ] && { log "ready: $pkg ($(cat "$dir/version"))"; exit 0; }

# The command runs from a script on the shared (read-only) host root.
run_script=$(mktemp "$cache/run.XXXXXX.sh")
console=$(mktemp "$cache/console.XXXXXX.log")
trap 'rm -f "$run_script" "$console"' EXIT
{
  # A directory the guest cannot see must fail the run, not run it elsewhere.
  echo "cd $(printf '%q' "$PWD") || exit 126"
  printf 'export PATH=%q\n' "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  printf 'export BPFXX_VM_KERNEL=%q\n' "$kernel"
  printf '%q ' "$@"
  echo
} > "$run_script"

# KVM only with real hardware virtualisation: a nested PVM host opens
# /dev/kvm but cannot run stock kernels (emulation failures), and shows no
# vmx/svm flag. qemu falls back to the next -accel if KVM fails to start.
# The guest mounts tmpfs over /tmp, /run, /var/tmp and /root; host
# directories there that the run needs (a checkout under /tmp) are bound
# back in by their top-level names.
keep=""
for p in "$repo" "$PWD" "$1" "$cache"; do
  case "$p" in
    /tmp/?*|/run/?*|/var/tmp/?*|/root/?*)
      top=$(echo "$p" | awk -F/ '{ if ($2 == "var") print "/"$2"/"$3"/"$4; else print "/"$2"/"$3 }')
      case ",$keep," in *",$top,"*) ;; *) keep="${keep:+$keep,}$top" ;; esac ;;
  esac
done

# Paths travel on the kernel command line, split at whitespace in the guest.
case "$run_script$keep" in
  *[[:space:]]*) log "paths with whitespace cannot be passed to the guest: $run_script $keep"; exit 2 ;;
esac

accel=(-accel tcg,thread=multi)
accel_name=tcg
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
  accel=(-accel kvm -accel tcg,thread=multi)
  accel_name="kvm (tcg fallback)"
fi

log "booting $pkg ($(cat "$dir/version")) with $accel_name, $cpus cpu(s), ${mem} MiB, timeout ${timeout_s}s"
set +e
timeout --foreground -k 10 "$timeout_s" \
  qemu-system-x86_64 "${accel[@]}" -cpu max -smp "$cpus" -m "$mem" \
    -nographic -no-reboot -nodefaults -serial stdio \
    -kernel "$(cat "$dir/boot-image")" -initrd "$dir/initramfs.cpio.gz" \
    -append "console=ttyS0 panic=-1 quiet no_timer_check bpfxx.run=$run_script${keep:+ bpfxx.keep=$keep}" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  2>&1 | tee "$console"
qemu_rc=${PIPESTATUS[0]}
set -e

result=$(tr -d '\r' < "$console" | grep -a -o 'BPFXX-VM-RESULT rc=[0-9]*' | tail -1 | cut -d= -f2 || true)
if [ -z "$result" ]; then
  if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
    log "FAILED: no result after ${timeout_s}s: the guest hung (console above)"
  elif tr -d '\r' < "$console" | grep -aq 'Kernel panic'; then
    log "FAILED: the guest kernel panicked (console above)"
  else
    log "FAILED: the guest stopped without a result (qemu exit $qemu_rc)"
  fi
  exit 125
fi
log "guest command exited with $result"
exit "$result"
