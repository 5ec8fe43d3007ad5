// bpf(2) through the seam: per-command attr sizes, fd hygiene, retries.
#pragma once

#include "sys/kernel.h"

#include <cstddef>

// Bytes of union bpf_attr a command uses: up to and including its last
// member. Passing exactly this much keeps older kernels (which reject
// non-zero bytes they do not know) happy.
#define BPFXX_ATTR_SIZE(member) \
  (offsetof(union bpf_attr, member) + sizeof(((union bpf_attr*)nullptr)->member))

namespace bpfxx::sys {

// bpf(cmd, attr, size): the result, or -errno.
long bpf(int cmd, union bpf_attr* attr, unsigned int size) noexcept;

// A bpf command that returns a new fd. The fd is close-on-exec (the kernel
// sets O_CLOEXEC on every bpf fd) and never 0, 1 or 2: a process that
// closed its standard streams must not get a BPF object there, or a later
// printf would write into it. Returns the fd or -errno.
int bpf_fd(int cmd, union bpf_attr* attr, unsigned int size) noexcept;

// Like bpf_fd, passing attributes common to all commands (BPF_COMMON_ATTRS).
int bpf_common_fd(int cmd, union bpf_attr* attr, unsigned int size, struct bpf_common_attr* common) noexcept;

// Moves fd out of the standard stream range (see bpf_fd); returns the fd to
// use or -errno (fd is closed on failure).
int ensure_good_fd(int fd) noexcept;

// BPF_PROG_LOAD, retried while the kernel answers EAGAIN (it does so when
// the verifier is interrupted by a signal or memory is short), up to
// attempts times in all.
int prog_load(union bpf_attr* attr, unsigned int size, int attempts) noexcept;

}  // namespace bpfxx::sys
