// Shared pieces of the fault-injection tests: a Kernel that fails the Nth
// call that makes something, a scope that installs a Kernel, and the
// process's open fds (to prove a failure leaves none behind).
#pragma once

#include "sys/kernel.h"

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <string>

namespace bpfxx::test {

// Passes every call to the real kernel, counting the calls that make or
// read something (bpf, perf events, ioctl, mmap, open, read, dup, epoll),
// and fails number fail_at (1-based) with fail_errno. Clean-up calls
// (close, munmap) are not counted here, so whatever was made can always be
// released; a subclass may count more calls by overriding them with hit().
class FailNthCallKernel : public bpfxx::sys::Kernel {
 public:
  int fail_at = 0;  // 0: never fail
  int fail_errno = EIO;
  int calls = 0;
  std::string failed_method;  // which method the fault hit

  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    if (hit("bpf(" + std::to_string(cmd) + ")")) return -fail_errno;
    return Kernel::bpf(cmd, attr, size);
  }
  int perf_event_open(struct perf_event_attr* attr, pid_t pid, int cpu, int group_fd,
                      unsigned long flags) override {
    if (hit("perf_event_open")) return -fail_errno;
    return Kernel::perf_event_open(attr, pid, cpu, group_fd, flags);
  }
  int ioctl(int fd, unsigned long request, unsigned long arg) override {
    if (hit("ioctl")) return -fail_errno;
    return Kernel::ioctl(fd, request, arg);
  }
  void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset, int* err) override {
    if (hit("mmap")) {
      if (err != nullptr) *err = fail_errno;
      return MAP_FAILED;
    }
    return Kernel::mmap(addr, length, prot, flags, fd, offset, err);
  }
  int open(const char* path, int flags, mode_t mode) override {
    if (hit(std::string("open(") + path + ")")) return -fail_errno;
    return Kernel::open(path, flags, mode);
  }
  ssize_t read(int fd, void* buf, size_t count) override {
    if (hit("read")) return -fail_errno;
    return Kernel::read(fd, buf, count);
  }
  int dup_cloexec(int fd, int min_fd) override {
    if (hit("dup_cloexec")) return -fail_errno;
    return Kernel::dup_cloexec(fd, min_fd);
  }
  int epoll_create() override {
    if (hit("epoll_create")) return -fail_errno;
    return Kernel::epoll_create();
  }
  int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event) override {
    if (hit("epoll_ctl")) return -fail_errno;
    return Kernel::epoll_ctl(epfd, op, fd, event);
  }
  int epoll_wait(int epfd, struct epoll_event* events, int max_events, int timeout_ms) override {
    if (hit("epoll_wait")) return -fail_errno;
    return Kernel::epoll_wait(epfd, events, max_events, timeout_ms);
  }

 protected:
  // Counts a call; true when it is the one to fail.
  virtual bool hit(const std::string& method) {
    if (++calls != fail_at) return false;
    failed_method = method;
    return true;
  }
};

// Installs a Kernel for the scope.
class ScopedKernel {
 public:
  explicit ScopedKernel(bpfxx::sys::Kernel* k) { bpfxx::sys::set_kernel(k); }
  ~ScopedKernel() { bpfxx::sys::set_kernel(nullptr); }
  ScopedKernel(const ScopedKernel&) = delete;
  ScopedKernel& operator=(const ScopedKernel&) = delete;
};

// fd number -> what it points to.
inline std::map<int, std::string> open_fds() {
  std::map<int, std::string> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return fds;
  const int self = ::dirfd(dir);
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const int fd = std::atoi(e->d_name);
    if (fd == self) continue;
    char target[512] = {};
    const std::string link = std::string("/proc/self/fd/") + e->d_name;
    const ssize_t n = ::readlink(link.c_str(), target, sizeof(target) - 1);
    fds[fd] = n > 0 ? std::string(target, static_cast<size_t>(n)) : "?";
  }
  ::closedir(dir);
  return fds;
}

}  // namespace bpfxx::test
