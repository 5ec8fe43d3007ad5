#!/bin/busybox sh
# /init of the kernel-matrix initramfs (scripts/vm-test.sh builds it): loads
# the modules, mounts the host's / (9p, read-only) at /mnt with the kernel
# file systems and writable tmpfs the tests need, runs the host's command
# in a chroot of it and prints its exit status as a marker on the console.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /modules.order); do insmod /modules/$m 2>/dev/null || echo "vm-init: insmod $m failed"; done

run=""
keep=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    bpfxx.run=*) run=${arg#bpfxx.run=} ;;
    bpfxx.keep=*) keep=$(echo "${arg#bpfxx.keep=}" | tr ',' ' ') ;;
  esac
done

finish() {
  echo "BPFXX-VM-RESULT rc=$1"
  sync
  poweroff -f
}

if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot /mnt; then
  echo "vm-init: cannot mount the host root over 9p"
  finish 126
fi
mount -t proc proc /mnt/proc
mount -t sysfs sys /mnt/sys
mount -t devtmpfs dev /mnt/dev
mkdir -p /mnt/dev/pts /mnt/dev/shm 2>/dev/null
mount -t devpts devpts /mnt/dev/pts 2>/dev/null
mount -t tmpfs tmpfs /mnt/dev/shm
# A second view of the host root, taken before the tmpfs mounts hide parts
# of it: directories of the run that live there are bound back in.
mkdir -p /hostroot
mount -o bind /mnt /hostroot
for d in /tmp /run /var/tmp /root; do mount -t tmpfs tmpfs /mnt$d; done
for k in $keep; do
  mkdir -p "/mnt$k" && mount -o bind "/hostroot$k" "/mnt$k" || echo "vm-init: cannot keep $k"
done
mount -t bpf bpf /mnt/sys/fs/bpf
mount -t tracefs tracefs /mnt/sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /mnt/sys/kernel/debug 2>/dev/null
mount -t securityfs securityfs /mnt/sys/kernel/security 2>/dev/null
mount -t tmpfs boot /mnt/boot && cp /kernel-config "/mnt/boot/config-$(uname -r)"
mount -t tmpfs cgroup /mnt/sys/fs/cgroup
mkdir -p /mnt/sys/fs/cgroup/unified
mount -t cgroup2 cgroup2 /mnt/sys/fs/cgroup/unified
ip link set lo up 2>/dev/null
echo "vm-init: kernel $(uname -r) ready, running $run"
chroot /mnt /bin/bash "$run"
finish $?
