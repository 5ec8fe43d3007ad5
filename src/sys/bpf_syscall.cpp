#include "sys/bpf_syscall.h"

#include <cerrno>

namespace bpfxx::sys {

long bpf(int cmd, union bpf_attr* attr, unsigned int size) noexcept {
  return kernel().bpf(cmd, attr, size);
}

int ensure_good_fd(int fd) noexcept {
  if (fd < 0 || fd > 2) return fd;
  int moved = kernel().dup_cloexec(fd, 3);
  kernel().close(fd);
  return moved;
}

int bpf_fd(int cmd, union bpf_attr* attr, unsigned int size) noexcept {
  long rc = bpf(cmd, attr, size);
  if (rc < 0) return static_cast<int>(rc);
  return ensure_good_fd(static_cast<int>(rc));
}

int bpf_common_fd(int cmd, union bpf_attr* attr, unsigned int size,
                  struct bpf_common_attr* common) noexcept {
  long rc = kernel().bpf_common(cmd, attr, size, common, sizeof(*common));
  if (rc < 0) return static_cast<int>(rc);
  return ensure_good_fd(static_cast<int>(rc));
}

int prog_load(union bpf_attr* attr, unsigned int size, int attempts) noexcept {
  if (attempts <= 0) attempts = 1;
  int fd = -EAGAIN;
  for (int i = 0; i < attempts && fd == -EAGAIN; i++) fd = bpf_fd(BPF_PROG_LOAD, attr, size);
  return fd;
}

}  // namespace bpfxx::sys
