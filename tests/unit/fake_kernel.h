// A fake kernel for the unit tests of the C API: records every bpf(2) call
// with a copy of its attr, answers with a configurable result, and never
// reaches the real kernel (every other method fails with ENOSYS, close is a
// recorded no-op).
#pragma once

#include "sys/features.h"
#include "sys/kernel.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

namespace bpfxx::test {

class FakeKernel : public bpfxx::sys::Kernel {
 public:
  struct Call {
    int cmd;
    union bpf_attr attr;  // as the wrapper passed it
    unsigned int size;
  };

  // Result per command; commands not listed get default_result.
  std::map<int, long> results;
  long default_result = 0;
  // Optional hook: may modify the attr (to fake the kernel's outputs) and
  // return a result; returning LONG_MIN defers to `results`.
  std::function<long(int cmd, union bpf_attr* attr, unsigned int size)> on_bpf;

  std::vector<Call> calls;
  std::vector<int> closed;
  int other_calls = 0;  // calls of any non-bpf method

  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    Call c{};
    c.cmd = cmd;
    std::memset(&c.attr, 0, sizeof(c.attr));
    std::memcpy(&c.attr, attr, size < sizeof(c.attr) ? size : sizeof(c.attr));
    c.size = size;
    calls.push_back(c);
    if (on_bpf) {
      long r = on_bpf(cmd, attr, size);
      if (r != kDefer) return r;
    }
    auto it = results.find(cmd);
    return it != results.end() ? it->second : default_result;
  }

  // Behaves like a kernel without BPF_COMMON_ATTRS: the command is unknown.
  long bpf_common(int, union bpf_attr*, unsigned int, struct bpf_common_attr*, unsigned int) override {
    other_calls++;
    return -EINVAL;
  }

  int close(int fd) override {
    closed.push_back(fd);
    return 0;
  }
  int dup_cloexec(int fd, int) override {
    other_calls++;
    return fd + 1000;
  }
  int open(const char*, int, mode_t) override { return other(); }
  ssize_t read(int, void*, size_t) override { return other(); }
  ssize_t write(int, const void*, size_t) override { return other(); }
  int perf_event_open(struct perf_event_attr*, pid_t, int, int, unsigned long) override { return other(); }
  int ioctl(int, unsigned long, unsigned long) override { return other(); }
  void* mmap(void*, size_t, int, int, int, off_t, int* err) override {
    other_calls++;
    if (err != nullptr) *err = ENOSYS;
    return reinterpret_cast<void*>(-1);
  }
  int munmap(void*, size_t) override { return other(); }
  int socket(int, int, int) override { return other(); }
  int bind(int, const struct sockaddr*, socklen_t) override { return other(); }
  ssize_t sendmsg(int, const struct msghdr*, int) override { return other(); }
  ssize_t recvmsg(int, struct msghdr*, int) override { return other(); }
  int mount(const char*, const char*, const char*, unsigned long, const void*) override { return other(); }
  int statfs(const char*, struct statfs*) override { return other(); }
  int mkdir(const char*, mode_t) override { return other(); }
  int unlink(const char*) override { return other(); }
  int uname(struct utsname*) override { return other(); }
  int getrlimit(int, struct rlimit*) override { return other(); }
  int setrlimit(int, const struct rlimit*) override { return other(); }

  // The last call of a command, or nullptr.
  const Call* last(int cmd) const {
    for (auto it = calls.rbegin(); it != calls.rend(); ++it)
      if (it->cmd == cmd) return &*it;
    return nullptr;
  }
  int count(int cmd) const {
    int n = 0;
    for (auto& c : calls) n += c.cmd == cmd;
    return n;
  }

  static constexpr long kDefer = -0x7fffffffL - 1;

 private:
  int other() {
    other_calls++;
    return -ENOSYS;
  }
};

// Installs a kernel for the scope. The process-wide feature answers the C
// API consults (memcg accounting before raising RLIMIT_MEMLOCK, common
// attrs for map create logs) are settled first against the real kernel, so
// a fake never answers those probes, nor sees their calls.
class ScopedKernel {
 public:
  explicit ScopedKernel(bpfxx::sys::Kernel* k) {
    bpfxx::sys::has_feature(bpfxx::sys::Feature::MemcgAccount);
    bpfxx::sys::has_feature(bpfxx::sys::Feature::CommonAttrs);
    bpfxx::sys::set_kernel(k);
  }
  ~ScopedKernel() { bpfxx::sys::set_kernel(nullptr); }
  ScopedKernel(const ScopedKernel&) = delete;
  ScopedKernel& operator=(const ScopedKernel&) = delete;
};

}  // namespace bpfxx::test
