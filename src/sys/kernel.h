// The syscall seam: every call the library makes into the kernel goes
// through the active Kernel, so unit tests can run without one and
// fault-injection tests can fail the Nth call of any operation.
//
// Convention: each method returns its result (>= 0, or a pointer) on
// success and -errno on failure; none of them touches the caller's errno.
// The base class is the real kernel; a test derives from it, overrides what
// it wants to fail or fake, and calls the base for the rest.
#pragma once

#include <bpf/uapi/linux/bpf.h>

#include <cstddef>
#include <cstdint>
#include <sys/socket.h>
#include <sys/types.h>

struct epoll_event;
struct perf_event_attr;
struct stat;
struct statfs;
struct utsname;
struct rlimit;

namespace bpfxx::sys {

class Kernel {
 public:
  virtual ~Kernel() = default;

  virtual long bpf(int cmd, union bpf_attr* attr, unsigned int size);
  // bpf(cmd | BPF_COMMON_ATTRS, attr, size, common, common_size): newer
  // kernels take attributes shared by all commands (a log) this way.
  virtual long bpf_common(int cmd, union bpf_attr* attr, unsigned int size,
                          struct bpf_common_attr* common, unsigned int common_size);
  virtual int perf_event_open(struct perf_event_attr* attr, pid_t pid, int cpu, int group_fd,
                              unsigned long flags);
  virtual int ioctl(int fd, unsigned long request, unsigned long arg);
  // Returns the mapping, or MAP_FAILED with *err set to the positive errno.
  virtual void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset, int* err);
  virtual int munmap(void* addr, size_t length);

  virtual int open(const char* path, int flags, mode_t mode = 0);
  virtual ssize_t read(int fd, void* buf, size_t count);
  virtual ssize_t write(int fd, const void* buf, size_t count);
  virtual int close(int fd);
  virtual int fstat(int fd, struct stat* buf);
  // fcntl(fd, F_DUPFD_CLOEXEC, min_fd)
  virtual int dup_cloexec(int fd, int min_fd);

  // epoll_create1(EPOLL_CLOEXEC)
  virtual int epoll_create();
  virtual int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event);
  virtual int epoll_wait(int epfd, struct epoll_event* events, int max_events, int timeout_ms);

  virtual int socket(int domain, int type, int protocol);
  virtual int bind(int fd, const struct sockaddr* addr, socklen_t len);
  virtual ssize_t sendmsg(int fd, const struct msghdr* msg, int flags);
  virtual ssize_t recvmsg(int fd, struct msghdr* msg, int flags);
  virtual int setsockopt(int fd, int level, int optname, const void* optval, socklen_t optlen);

  virtual int mount(const char* source, const char* target, const char* fstype,
                    unsigned long flags, const void* data);
  virtual int statfs(const char* path, struct statfs* buf);
  virtual int mkdir(const char* path, mode_t mode);
  virtual int unlink(const char* path);
  virtual int uname(struct utsname* buf);
  virtual int getrlimit(int resource, struct rlimit* rlim);
  virtual int setrlimit(int resource, const struct rlimit* rlim);
};

// The active kernel interface (the real one unless a test replaced it).
Kernel& kernel() noexcept;

// Replaces the active interface; nullptr restores the real kernel.
// Returns the previous one. For tests: not meant to race with other calls.
Kernel* set_kernel(Kernel* replacement) noexcept;

}  // namespace bpfxx::sys
