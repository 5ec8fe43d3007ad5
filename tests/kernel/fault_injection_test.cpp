// Fault injection through the syscall seam: for the sequence
// "map create, prog load (using the map), pin map, pin prog", fail the Nth
// kernel call for every N; the sequence must report the injected errno from
// the step that made that call, and after cleanup the process must hold
// exactly the fds it held before. Without a fault the sequence succeeds.
#include "bpf_test_util.h"
#include "bpffs.h"
#include "fault_injection_support.h"

#include "sys/kernel.h"

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <map>
#include <string>

namespace bpfxx::test {
namespace {

// Fails call number fail_at (1-based) of every kind the shared kernel
// counts and of the clean-up and system calls as well, and records the step
// of the sequence during which the fault fired.
class FaultKernel : public FailNthCallKernel {
 public:
  const char* step = "";    // what the test is doing now
  std::string failed_step;  // step during which the fault fired

  long bpf_common(int cmd, union bpf_attr* attr, unsigned int size, struct bpf_common_attr* common,
                  unsigned int common_size) override {
    if (hit("bpf_common(" + std::to_string(cmd) + ")")) return -fail_errno;
    return Kernel::bpf_common(cmd, attr, size, common, common_size);
  }
  int munmap(void* addr, size_t length) override {
    if (hit("munmap")) return -fail_errno;
    return Kernel::munmap(addr, length);
  }
  ssize_t write(int fd, const void* buf, size_t count) override {
    if (hit("write")) return -fail_errno;
    return Kernel::write(fd, buf, count);
  }
  int close(int fd) override {
    // A failed close still releases the fd (Linux semantics), so a fault
    // here must not leak: close for real, report the error.
    if (hit("close")) {
      Kernel::close(fd);
      return -fail_errno;
    }
    return Kernel::close(fd);
  }
  int socket(int domain, int type, int protocol) override {
    if (hit("socket")) return -fail_errno;
    return Kernel::socket(domain, type, protocol);
  }
  int bind(int fd, const struct sockaddr* addr, socklen_t len) override {
    if (hit("bind")) return -fail_errno;
    return Kernel::bind(fd, addr, len);
  }
  ssize_t sendmsg(int fd, const struct msghdr* msg, int flags) override {
    if (hit("sendmsg")) return -fail_errno;
    return Kernel::sendmsg(fd, msg, flags);
  }
  ssize_t recvmsg(int fd, struct msghdr* msg, int flags) override {
    if (hit("recvmsg")) return -fail_errno;
    return Kernel::recvmsg(fd, msg, flags);
  }
  int mount(const char* source, const char* target, const char* fstype, unsigned long flags,
            const void* data) override {
    if (hit("mount")) return -fail_errno;
    return Kernel::mount(source, target, fstype, flags, data);
  }
  int statfs(const char* path, struct statfs* buf) override {
    if (hit("statfs")) return -fail_errno;
    return Kernel::statfs(path, buf);
  }
  int uname(struct utsname* buf) override {
    if (hit("uname")) return -fail_errno;
    return Kernel::uname(buf);
  }
  int getrlimit(int resource, struct rlimit* rlim) override {
    if (hit("getrlimit")) return -fail_errno;
    return Kernel::getrlimit(resource, rlim);
  }
  int setrlimit(int resource, const struct rlimit* rlim) override {
    if (hit("setrlimit")) return -fail_errno;
    return Kernel::setrlimit(resource, rlim);
  }

 protected:
  bool hit(const std::string& method) override {
    if (!FailNthCallKernel::hit(method)) return false;
    failed_step = step;
    return true;
  }
};

std::string describe(const std::map<int, std::string>& fds) {
  std::string s;
  for (auto& [fd, what] : fds) s += std::to_string(fd) + "->" + what + " ";
  return s;
}

struct Outcome {
  const char* failed_step = nullptr;  // nullptr: everything succeeded
  int ret = 0;
  int err = 0;
};

// The sequence under test. Everything it creates is closed/unlinked by the
// caller through the returned fds and the pin paths.
Outcome run_sequence(FaultKernel& k, const TempBpffs& fs, UniqueFd* map, UniqueFd* prog) {
  Outcome out;
  k.step = "map_create";
  errno = 0;
  int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "fi_map", 4, 8, 1, nullptr);
  if (fd < 0) return Outcome{"map_create", fd, errno};
  map->reset(fd);

  k.step = "prog_load";
  insn::Program p = insn::count_into_array(map->get(), 0);
  errno = 0;
  fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "fi_prog", "GPL", p.data(), p.size(), nullptr);
  if (fd < 0) return Outcome{"prog_load", fd, errno};
  prog->reset(fd);

  k.step = "pin_map";
  errno = 0;
  int rc = bpf_obj_pin(map->get(), fs.path("map").c_str());
  if (rc < 0) return Outcome{"pin_map", rc, errno};

  k.step = "pin_prog";
  errno = 0;
  rc = bpf_obj_pin(prog->get(), fs.path("prog").c_str());
  if (rc < 0) return Outcome{"pin_prog", rc, errno};
  k.step = "";
  return out;
}

void cleanup(const TempBpffs& fs, UniqueFd* map, UniqueFd* prog) {
  map->reset();
  prog->reset();
  ::unlink(fs.path("map").c_str());
  ::unlink(fs.path("prog").c_str());
}

TEST(FaultInjection, EveryFailingCallIsReportedAndLeaksNothing) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_BPFFS(fs);
  FaultKernel k;
  UniqueFd map, prog;

  // Warm-up without faults: one-time work (feature probes, CPU count,
  // rlimit) happens here, so the counted runs below are all alike.
  {
    ScopedKernel scoped(&k);
    Outcome o = run_sequence(k, fs, &map, &prog);
    ASSERT_EQ(o.failed_step, nullptr) << "expected the warm-up sequence to succeed; step " << o.failed_step
                                      << " failed with " << errno_str(o.err);
  }
  cleanup(fs, &map, &prog);

  // Count the calls of a clean run.
  k.calls = 0;
  {
    ScopedKernel scoped(&k);
    Outcome o = run_sequence(k, fs, &map, &prog);
    ASSERT_EQ(o.failed_step, nullptr) << "expected a clean run to succeed";
  }
  const int total = k.calls;
  cleanup(fs, &map, &prog);
  ASSERT_GE(total, 4) << "expected at least one kernel call per step";
  RecordProperty("kernel_calls_in_sequence", total);

  const int errnos[] = {EIO, ENOMEM, EPERM, EFAULT, E2BIG, ENODEV};
  for (int n = 1; n <= total; n++) {
    SCOPED_TRACE("failing call " + std::to_string(n) + " of " + std::to_string(total));
    const auto fds_before = open_fds();
    k.calls = 0;
    k.fail_at = n;
    k.fail_errno = errnos[(n - 1) % (sizeof(errnos) / sizeof(errnos[0]))];
    k.failed_step.clear();
    k.failed_method.clear();
    Outcome o;
    {
      ScopedKernel scoped(&k);
      o = run_sequence(k, fs, &map, &prog);
    }
    k.fail_at = 0;
    ASSERT_FALSE(k.failed_step.empty()) << "expected call " << n << " to happen";
    if (o.failed_step == nullptr) {
      ADD_FAILURE() << "expected the injected " << errno_str(k.fail_errno) << " in " << k.failed_method
                    << " during " << k.failed_step << " to make the sequence fail, but it succeeded";
    } else {
      EXPECT_EQ(std::string(o.failed_step), k.failed_step)
          << "expected the step that made the failing call (" << k.failed_method << ") to report it";
      EXPECT_EQ(o.err, k.fail_errno) << "expected errno " << errno_str(k.fail_errno) << " from step "
                                     << o.failed_step << ", got " << errno_str(o.err);
      EXPECT_EQ(o.ret, -k.fail_errno) << "expected the step to return -errno";
    }
    cleanup(fs, &map, &prog);
    const auto fds_after = open_fds();
    EXPECT_EQ(fds_after, fds_before) << "expected no fd left behind; before: " << describe(fds_before)
                                     << " after: " << describe(fds_after);
  }

  // And once more without a fault: the whole sequence works, and the pins
  // are real.
  {
    ScopedKernel scoped(&k);
    Outcome o = run_sequence(k, fs, &map, &prog);
    ASSERT_EQ(o.failed_step, nullptr) << "expected the final clean run to succeed";
  }
  UniqueFd pinned_map(bpf_obj_get(fs.path("map").c_str()));
  UniqueFd pinned_prog(bpf_obj_get(fs.path("prog").c_str()));
  BPFXX_ASSERT_FD(pinned_map, "opening the pinned map");
  BPFXX_ASSERT_FD(pinned_prog, "opening the pinned program");
  EXPECT_EQ(map_id(pinned_map.get()), map_id(map.get()));
  EXPECT_EQ(prog_id(pinned_prog.get()), prog_id(prog.get()));
  __u8 pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = pkt;
  opts.data_size_in = sizeof(pkt);
  opts.repeat = 3;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(pinned_prog.get(), &opts));
  EXPECT_EQ(read_counter(pinned_map.get()), 3u) << "expected the pinned program to count into the pinned map";
  pinned_map.reset();
  pinned_prog.reset();
  cleanup(fs, &map, &prog);
}

TEST(FaultInjection, ProgLoadRetriesEagain) {
  BPFXX_REQUIRE_ROOT();
  // Fails every BPF_PROG_LOAD with EAGAIN for the first `eagain_left` tries.
  class EagainKernel : public bpfxx::sys::Kernel {
   public:
    int eagain_left = 0;
    int loads = 0;
    long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
      if (cmd == BPF_PROG_LOAD) {
        loads++;
        if (eagain_left > 0) {
          eagain_left--;
          return -EAGAIN;
        }
      }
      return Kernel::bpf(cmd, attr, size);
    }
  } k;
  insn::Program p = insn::return_imm(0);

  {
    // One-time work (probes) out of the way before counting.
    ScopedKernel scoped(&k);
    UniqueFd warm(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, nullptr, "GPL", p.data(), p.size(), nullptr));
    BPFXX_ASSERT_FD(warm, "a plain load through the counting kernel");
  }
  // Two EAGAINs, default attempts (5): the third try loads.
  k.loads = 0;
  k.eagain_left = 2;
  int fd;
  {
    ScopedKernel scoped(&k);
    fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, nullptr, "GPL", p.data(), p.size(), nullptr);
  }
  UniqueFd owned(fd);
  BPFXX_ASSERT_FD(owned, "bpf_prog_load after two EAGAINs");
  EXPECT_EQ(k.loads, 3) << "expected two retries and a successful third load";

  // Always EAGAIN with attempts = 3: fails with EAGAIN after three loads.
  k.loads = 0;
  k.eagain_left = 1000;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.attempts = 3;
  {
    ScopedKernel scoped(&k);
    errno = 0;
    fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, nullptr, "GPL", p.data(), p.size(), &opts);
  }
  int e = errno;
  EXPECT_EQ(fd, -EAGAIN) << "expected -EAGAIN once the attempts are used up";
  EXPECT_EQ(e, EAGAIN);
  EXPECT_EQ(k.loads, 3) << "expected exactly `attempts` loads";
  if (fd >= 0) close(fd);
}

}  // namespace
}  // namespace bpfxx::test
