// Attaching tracing programs through the libbpf API: tracepoints, raw
// tracepoints (with cookies where the kernel takes them), tp_btf, perf
// events, iterators and auto-attach by section. Every test proves the
// program ran (a counter of its own process's events, a cookie it saw, the
// iterator's output) and that destroying the link stops it.
#include "object_support.h"
#include "sys/features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace bpfxx::test {
namespace {

void do_getpid(int times) {
  for (int i = 0; i < times; i++) syscall(SYS_getpid);
}

class LinkTracing : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    elf_ = prog_bytes("attach_tracing");
    obj_ = open_prog_object("attach_tracing");
    ASSERT_NE(obj_, nullptr);
    write_initial<int>(obj_.get(), find_global(elf_, "target_pid"), static_cast<int>(getpid()));
  }

  void load() { ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno); }

  __u64 global(const char* name) { return read_initial<__u64>(obj_.get(), find_global(elf_, name)); }

  bpf_program* prog(const char* name) { return must_find_program(obj_.get(), name); }

  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
};

TEST_F(LinkTracing, TracepointCountsGetpidOfThisProcessWithCookie) {
  load();
  LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = 0xc0ffee);
  LinkPtr link(bpf_program__attach_tracepoint_opts(prog("on_getpid"), "syscalls", "sys_enter_getpid", &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_GE(bpf_link__fd(link.get()), 0);
  do_getpid(7);
  EXPECT_EQ(global("tp_hits"), 7u);
  EXPECT_EQ(global("tp_cookie"), 0xc0ffeeu);
  link.reset();
  do_getpid(3);
  EXPECT_EQ(global("tp_hits"), 7u) << "the program still ran after its link was destroyed";
}

TEST_F(LinkTracing, TracepointByIoctlWhenForced) {
  // The perf event path older kernels take: PERF_EVENT_IOC_SET_BPF.
  load();
  struct perf_event_attr attr = {};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = 100000;  // every 0.1 ms of CPU time
  const int pfd = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
  ASSERT_GE(pfd, 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .force_ioctl_attach = true);
  LinkPtr link(bpf_program__attach_perf_event_opts(prog("on_cpu_clock"), pfd, &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_EQ(bpf_link__fd(link.get()), pfd) << "an ioctl-attached link is represented by its perf event";
  for (int spin = 0; spin < 2000 && global("perf_hits") < 5; spin++) do_getpid(1000);
  EXPECT_GE(global("perf_hits"), 5u);
  link.reset();  // closes pfd
}

// A perf event attached by ioctl has no BPF link: update_program and
// detach fail with EINVAL as in libbpf (whose BPF_LINK_UPDATE/DETACH on the
// perf fd the kernel refuses), saying why, and the program keeps running.
TEST_F(LinkTracing, IoctlPerfLinkRefusesUpdateAndDetach) {
  load();
  struct perf_event_attr attr = {};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = 100000;
  const int pfd = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
  ASSERT_GE(pfd, 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .force_ioctl_attach = true);
  LinkPtr link(bpf_program__attach_perf_event_opts(prog("on_cpu_clock"), pfd, &opts));
  if (!link) close(pfd);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  {
    FullPrintCapture capture;
    BPFXX_EXPECT_ERR(bpf_link__update_program(link.get(), prog("on_cpu_clock")), EINVAL);
    BPFXX_EXPECT_ERR(bpf_link__detach(link.get()), EINVAL);
    EXPECT_NE(capture.text().find("attached by ioctl, it has no BPF link"), std::string::npos) << capture.text();
    EXPECT_NE(capture.text().find("prog 'on_cpu_clock'"), std::string::npos) << capture.text();
  }
  for (int spin = 0; spin < 2000 && global("perf_hits") < 3; spin++) do_getpid(1000);
  EXPECT_GE(global("perf_hits"), 3u) << "the program stopped after the refused calls";
}

// A BPF perf-event link cannot switch programs either (the kernel has no
// update for it): its error reaches the caller, and the link still counts.
TEST_F(LinkTracing, PerfLinkUpdateProgramGivesTheKernelsError) {
  load();
  struct perf_event_attr attr = {};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = 100000;
  const int pfd = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
  ASSERT_GE(pfd, 0) << std::strerror(errno);
  LinkPtr link(bpf_program__attach_perf_event(prog("on_cpu_clock"), pfd));
  if (!link) close(pfd);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  FullPrintCapture capture;
  errno = 0;
  EXPECT_LT(bpf_link__update_program(link.get(), prog("on_cpu_clock")), 0);
  EXPECT_NE(errno, 0);
  EXPECT_NE(capture.text().find("BPF_LINK_UPDATE"), std::string::npos) << capture.text();
  for (int spin = 0; spin < 2000 && global("perf_hits") < 3; spin++) do_getpid(1000);
  EXPECT_GE(global("perf_hits"), 3u);
}

TEST_F(LinkTracing, PerfEventCpuClockCountsWithCookie) {
  load();
  struct perf_event_attr attr = {};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.sample_period = 100000;
  const int pfd = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
  ASSERT_GE(pfd, 0) << std::strerror(errno);
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = 77);
  LinkPtr link(bpf_program__attach_perf_event_opts(prog("on_cpu_clock"), pfd, &opts));
  if (link == nullptr) close(pfd);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_NE(bpf_link__fd(link.get()), pfd) << "a BPF link of its own (BPF_LINK_CREATE)";
  for (int spin = 0; spin < 2000 && global("perf_hits") < 5; spin++) do_getpid(1000);
  const __u64 hits = global("perf_hits");
  EXPECT_GE(hits, 5u);
  EXPECT_EQ(global("perf_cookie"), 77u);
  link.reset();
  // Samples may land while the link is being closed; none after.
  const __u64 after = global("perf_hits");
  EXPECT_GE(after, hits);
  do_getpid(200000);
  EXPECT_EQ(global("perf_hits"), after) << "the program still ran after its link was destroyed";
}

TEST_F(LinkTracing, PerfEventRejectsBadFdAndUnloadedProgram) {
  FullPrintCapture capture;
  errno = 0;
  EXPECT_EQ(bpf_program__attach_perf_event(prog("on_cpu_clock"), 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("prog 'on_cpu_clock'"), std::string::npos) << capture.text();
  EXPECT_NE(capture.text().find("not loaded"), std::string::npos) << capture.text();
  load();
  EXPECT_EQ(bpf_program__attach_perf_event(prog("on_cpu_clock"), -1), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(LinkTracing, RawTracepointCountsAndDetaches) {
  load();
  LinkPtr link(bpf_program__attach_raw_tracepoint(prog("on_sys_enter"), "sys_enter"));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  do_getpid(5);
  EXPECT_GE(global("raw_hits"), 5u);
  link.reset();  // its close() is itself a syscall the program sees
  const __u64 hits = global("raw_hits");
  do_getpid(5);
  EXPECT_EQ(global("raw_hits"), hits);
}

TEST_F(LinkTracing, RawTracepointCookie) {
  if (!sys::has_feature(sys::Feature::RawTpCookie)) {
    GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::RawTpCookie);
  }
  ASSERT_EQ(bpf_program__set_autoload(prog("on_sys_enter_cookie"), true), 0);
  load();
  LIBBPF_OPTS(bpf_raw_tracepoint_opts, opts, .cookie = 0xabcdef12345ull);
  LinkPtr link(bpf_program__attach_raw_tracepoint_opts(prog("on_sys_enter_cookie"), "sys_enter", &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  do_getpid(3);
  EXPECT_GE(global("raw_cookie_hits"), 3u);
  EXPECT_EQ(global("raw_cookie"), 0xabcdef12345ull);
}

TEST_F(LinkTracing, RawTracepointUnknownNameIsNamedInTheError) {
  load();
  FullPrintCapture capture;
  EXPECT_EQ(bpf_program__attach_raw_tracepoint(prog("on_sys_enter"), "bpfxx_no_such_tp"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("prog 'on_sys_enter': cannot attach to raw tracepoint 'bpfxx_no_such_tp'"),
            std::string::npos)
      << capture.text();
}

TEST_F(LinkTracing, TpBtfCountsAndDetaches) {
  load();
  LIBBPF_OPTS(bpf_trace_opts, opts, .cookie = 5);
  LinkPtr link(bpf_program__attach_trace_opts(prog("on_sys_enter_btf"), &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  do_getpid(4);
  EXPECT_GE(global("btf_hits"), 4u);
  link.reset();  // its close() is itself a syscall the program sees
  const __u64 hits = global("btf_hits");
  do_getpid(4);
  EXPECT_EQ(global("btf_hits"), hits);
}

TEST_F(LinkTracing, AutoAttachFollowsTheSection) {
  load();
  LinkPtr tp(bpf_program__attach(prog("on_getpid")));
  ASSERT_NE(tp, nullptr) << std::strerror(errno);
  LinkPtr raw(bpf_program__attach(prog("on_sys_enter")));
  ASSERT_NE(raw, nullptr) << std::strerror(errno);
  LinkPtr btf(bpf_program__attach(prog("on_sys_enter_btf")));
  ASSERT_NE(btf, nullptr) << std::strerror(errno);
  do_getpid(6);
  EXPECT_EQ(global("tp_hits"), 6u);
  EXPECT_GE(global("raw_hits"), 6u);
  EXPECT_GE(global("btf_hits"), 6u);
}

TEST_F(LinkTracing, AutoAttachWithoutTargetIsEopnotsupp) {
  load();
  FullPrintCapture capture;
  errno = 0;
  EXPECT_EQ(bpf_program__attach(prog("no_target")), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(capture.text().find("prog 'no_target': section 'raw_tp' names no target"), std::string::npos)
      << capture.text();
  // perf_event programs need a perf event: no auto-attach either.
  EXPECT_EQ(bpf_program__attach(prog("on_cpu_clock")), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
}

TEST_F(LinkTracing, AutoAttachRefusesAProgramNotLoaded) {
  FullPrintCapture capture;
  errno = 0;
  EXPECT_EQ(bpf_program__attach(prog("on_getpid")), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("prog 'on_getpid'"), std::string::npos) << capture.text();
  EXPECT_NE(capture.text().find("not loaded"), std::string::npos) << capture.text();
}

TEST_F(LinkTracing, UnknownTracepointIsEnoent) {
  load();
  FullPrintCapture capture;
  EXPECT_EQ(bpf_program__attach_tracepoint(prog("on_getpid"), "syscalls", "bpfxx_no_such_event"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("tracepoint 'syscalls:bpfxx_no_such_event'"), std::string::npos) << capture.text();
}

TEST_F(LinkTracing, OptsWithUnknownNonZeroTailAreRejected) {
  load();
  struct {
    bpf_tracepoint_opts opts;
    char extra[8];
  } big = {};
  big.opts.sz = sizeof big;
  big.extra[3] = 1;
  EXPECT_EQ(bpf_program__attach_tracepoint_opts(prog("on_getpid"), "syscalls", "sys_enter_getpid", &big.opts),
            nullptr);
  EXPECT_EQ(errno, EINVAL);
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST_F(LinkTracing, TaskIteratorListsOurPid) {
  load();
  LinkPtr link(bpf_program__attach_iter(prog("list_tasks"), nullptr));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const int iter_fd = bpf_iter_create(bpf_link__fd(link.get()));
  ASSERT_GE(iter_fd, 0) << std::strerror(errno);
  const std::string text = read_all(iter_fd);
  close(iter_fd);
  std::set<long> pids;
  std::istringstream in(text);
  for (long pid; in >> pid;) pids.insert(pid);
  EXPECT_TRUE(pids.count(getpid())) << "our pid " << getpid() << " not in " << pids.size() << " tasks";
  EXPECT_GT(pids.size(), 1u) << "only one task listed: " << text;
}

TEST_F(LinkTracing, TaskIteratorNarrowedToOneTask) {
  load();
  union bpf_iter_link_info info = {};
  info.task.pid = static_cast<__u32>(getpid());
  LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &info, .link_info_len = sizeof info);
  LinkPtr link(bpf_program__attach_iter(prog("list_tasks"), &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const int iter_fd = bpf_iter_create(bpf_link__fd(link.get()));
  ASSERT_GE(iter_fd, 0) << std::strerror(errno);
  const std::string text = read_all(iter_fd);
  close(iter_fd);
  EXPECT_EQ(text, std::to_string(getpid()) + "\n");
}

// BPF trampolines on kernel functions: fentry, fexit, fmod_ret and lsm.
// One program loaded at a time; where the kernel refuses trampolines the
// positive tests skip with the probe's reason.
class LinkTrampoline : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    elf_ = prog_bytes("attach_trampoline");
    obj_ = open_prog_object("attach_trampoline");
    ASSERT_NE(obj_, nullptr);
    write_initial<int>(obj_.get(), find_global(elf_, "target_pid"), static_cast<int>(getpid()));
  }

  // Loads only `name`; false (with a skip) where trampolines are refused.
  bool load_only(const char* name) {
    if (!sys::has_feature(sys::Feature::Trampoline)) {
      return false;
    }
    bpf_program* p = nullptr;
    bpf_object__for_each_program(p, obj_.get()) {
      bpf_program__set_autoload(p, std::strcmp(bpf_program__name(p), name) == 0);
    }
    EXPECT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
    return true;
  }

  __u64 global(const char* name) { return read_initial<__u64>(obj_.get(), find_global(elf_, name)); }
  bpf_program* prog(const char* name) { return must_find_program(obj_.get(), name); }

  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
};

#define SKIP_WITHOUT_TRAMPOLINES()                                                                   \
  GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::Trampoline) \
               << " (the kernel refuses to load them)"

TEST_F(LinkTrampoline, LoadErrorWhereTheKernelRefusesTrampolines) {
  if (sys::has_feature(sys::Feature::Trampoline)) GTEST_SKIP() << "this kernel allows trampolines";
  bpf_program* p = nullptr;
  bpf_object__for_each_program(p, obj_.get()) {
    bpf_program__set_autoload(p, std::strcmp(bpf_program__name(p), "on_getpgid_entry") == 0);
  }
  FullPrintCapture capture;
  errno = 0;
  EXPECT_LT(bpf_object__load(obj_.get()), 0);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(capture.text().find("on_getpgid_entry"), std::string::npos) << capture.text();
  // Attaching what did not load is refused, naming the program.
  EXPECT_EQ(bpf_program__attach_trace(prog("on_getpgid_entry")), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("prog 'on_getpgid_entry': cannot attach to fentry target '__x64_sys_getpgid': the "
                                "program is not loaded"),
            std::string::npos)
      << capture.text();
}

TEST_F(LinkTrampoline, FentryCounts) {
  if (!load_only("on_getpgid_entry")) SKIP_WITHOUT_TRAMPOLINES();
  LinkPtr link(bpf_program__attach(prog("on_getpgid_entry")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  for (int i = 0; i < 3; i++) syscall(SYS_getpgid, 0);
  EXPECT_EQ(global("fentry_hits"), 3u);
  link.reset();
  syscall(SYS_getpgid, 0);
  EXPECT_EQ(global("fentry_hits"), 3u);
}

TEST_F(LinkTrampoline, FexitSeesTheReturnValue) {
  if (!load_only("on_getpgid_exit")) SKIP_WITHOUT_TRAMPOLINES();
  LinkPtr link(bpf_program__attach_trace(prog("on_getpgid_exit")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const long pgid = syscall(SYS_getpgid, 0);
  EXPECT_EQ(global("fexit_hits"), 1u);
  EXPECT_EQ(static_cast<long>(global("fexit_ret")), pgid);
}

// fmod_ret on bpf_modify_return_test, the kernel's own hook for it (syscall
// wrappers are not modifiable). BPF_PROG_TEST_RUN of an fmod_ret program
// calls the hook with a == 1 and reports ((calls whose body ran) << 16) |
// (sum of results), so the program's effect is measured against a run made
// before it is attached; newer kernels add more hooks to the same sum.
__u32 run_modify_return_test(bpf_program* p) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  EXPECT_EQ(bpf_prog_test_run_opts(bpf_program__fd(p), &opts), 0) << std::strerror(errno);
  return opts.retval;
}

TEST_F(LinkTrampoline, FmodRetReplacesTheResult) {
  if (!sys::has_feature(sys::Feature::Trampoline)) SKIP_WITHOUT_TRAMPOLINES();
  bpf_program* q = nullptr;
  bpf_object__for_each_program(q, obj_.get()) {
    bpf_program__set_autoload(q, std::strcmp(bpf_program__name(q), "on_modify_return_test") == 0);
  }
  {
    // Kernels without CONFIG_FUNCTION_ERROR_INJECTION and without the fmod_ret
    // allow-list of test hooks (Debian's 6.1) refuse the load: that refusal
    // must be a clean error naming the program, and it is the kernel's answer.
    FullPrintCapture capture;
    errno = 0;
    if (bpf_object__load(obj_.get()) != 0) {
      EXPECT_EQ(errno, EINVAL);
      EXPECT_NE(capture.text().find("prog 'on_modify_return_test': BPF program load failed"), std::string::npos)
          << capture.text();
      ASSERT_NE(capture.text().find("bpf_modify_return_test() is not modifiable"), std::string::npos)
          << capture.text();
      GTEST_SKIP() << "kernel refuses fmod_ret on bpf_modify_return_test (no function error injection)";
    }
  }
  bpf_program* p = prog("on_modify_return_test");
  const __u32 before = run_modify_return_test(p);
  EXPECT_EQ(global("modify_hits"), 0u) << "the program ran before it was attached";
  LinkPtr link(bpf_program__attach_trace(p));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const __u32 attached = run_modify_return_test(p);
  EXPECT_EQ(global("modify_hits"), 1u);
  EXPECT_EQ(global("modify_arg"), 1u) << "the program saw the hook's first argument";
  // The hook's body (a + ++*b == 4 with *b == 2) was skipped: one side effect
  // fewer, and 4242 took the place of its 4.
  EXPECT_EQ(attached >> 16, (before >> 16) - 1) << std::hex << before << " -> " << attached;
  EXPECT_EQ((attached & 0xffff) - (before & 0xffff), 4242u - 4u) << std::hex << before << " -> " << attached;
  link.reset();
  EXPECT_EQ(run_modify_return_test(p), before) << "the result was still replaced after the link was destroyed";
  EXPECT_EQ(global("modify_hits"), 1u);
}

// fmod_ret on an LSM hook function: allowed whatever the error-injection
// configuration, and it needs no active bpf LSM.
TEST_F(LinkTrampoline, FmodRetOnASecurityHookFailsAnOpen) {
  if (!load_only("on_security_file_open")) SKIP_WITHOUT_TRAMPOLINES();
  LinkPtr link(bpf_program__attach_trace(prog("on_security_file_open")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 1);
  errno = 0;
  const int denied = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int denied_errno = errno;
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 0);
  EXPECT_LT(denied, 0);
  EXPECT_EQ(denied_errno, EPERM);
  if (denied >= 0) close(denied);
  EXPECT_EQ(global("fmod_denials"), 1u);
  link.reset();
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 1);
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 0);
  EXPECT_GE(fd, 0) << "the open still failed after the link was destroyed";
  if (fd >= 0) close(fd);
  EXPECT_EQ(global("fmod_denials"), 1u);
}

TEST_F(LinkTrampoline, LsmDeniesAnOpen) {
  std::ifstream lsms("/sys/kernel/security/lsm");
  std::string active;
  std::getline(lsms, active);
  if (active.find("bpf") == std::string::npos) GTEST_SKIP() << "the bpf LSM is not active (" << active << ")";
  if (!load_only("on_file_open")) SKIP_WITHOUT_TRAMPOLINES();
  LinkPtr link(bpf_program__attach_lsm(prog("on_file_open")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 1);
  errno = 0;
  const int denied = open("/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_LT(denied, 0);
  EXPECT_EQ(errno, EPERM);
  if (denied >= 0) close(denied);
  EXPECT_EQ(global("lsm_denials"), 1u);
  write_initial<int>(obj_.get(), find_global(elf_, "deny_open"), 0);
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0);
  if (fd >= 0) close(fd);
  EXPECT_EQ(global("lsm_denials"), 1u);
}

// freplace of a global subprogram of another BPF program. It rides on the
// same trampoline machinery: this kernel (6.18 here) refuses the freplace
// load with EPERM exactly where it refuses fentry, so the trampoline probe
// gates it.
#define SKIP_WITHOUT_FREPLACE()                                                                   \
  GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::Trampoline) \
               << " (freplace loads are refused with EPERM alike)"

TEST(LinkFreplace, LoadErrorWhereTheKernelRefusesIt) {
  BPFXX_REQUIRE_ROOT();
  if (sys::has_feature(sys::Feature::Trampoline)) GTEST_SKIP() << "this kernel allows trampolines and freplace";
  ObjectPtr target = open_prog_object("attach_freplace_target");
  ASSERT_NE(target, nullptr);
  ASSERT_EQ(bpf_object__load(target.get()), 0) << std::strerror(errno);
  bpf_program* entry = must_find_program(target.get(), "entry");
  ObjectPtr ext = open_prog_object("attach_freplace");
  ASSERT_NE(ext, nullptr);
  bpf_program* repl = must_find_program(ext.get(), "new_decide");
  ASSERT_EQ(bpf_program__set_attach_target(repl, bpf_program__fd(entry), "decide"), 0);
  FullPrintCapture capture;
  errno = 0;
  EXPECT_LT(bpf_object__load(ext.get()), 0);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(capture.text().find("prog 'new_decide': BPF program load failed: Operation not permitted"),
            std::string::npos)
      << capture.text();
  EXPECT_EQ(bpf_program__attach_freplace(repl, bpf_program__fd(entry), "decide"), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("prog 'new_decide': cannot attach to function 'decide' of program fd"),
            std::string::npos)
      << capture.text();
}

TEST(LinkFreplace, ReplacesASubprogramOfAnotherProgram) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr target = open_prog_object("attach_freplace_target");
  ASSERT_NE(target, nullptr);
  ASSERT_EQ(bpf_object__load(target.get()), 0) << std::strerror(errno);
  bpf_program* entry = must_find_program(target.get(), "entry");
  __u32 retval = 0;
  ASSERT_EQ(test_run(entry, &retval), 0) << std::strerror(errno);
  ASSERT_EQ(retval, static_cast<__u32>(XDP_PASS));

  ObjectPtr ext = open_prog_object("attach_freplace");
  ASSERT_NE(ext, nullptr);
  bpf_program* repl = must_find_program(ext.get(), "new_decide");
  ASSERT_EQ(bpf_program__set_attach_target(repl, bpf_program__fd(entry), "decide"), 0);
  if (!sys::has_feature(sys::Feature::Trampoline)) SKIP_WITHOUT_FREPLACE();
  ASSERT_EQ(bpf_object__load(ext.get()), 0) << std::strerror(errno);

  // The target chosen at load, through the section (auto-attach). The kernel
  // hands that load-time target to the first attach only, so this comes
  // first; later attaches must name their target.
  LinkPtr first(bpf_program__attach(repl));
  ASSERT_NE(first, nullptr) << std::strerror(errno);
  ASSERT_EQ(test_run(entry, &retval), 0);
  EXPECT_EQ(retval, static_cast<__u32>(XDP_TX)) << "decide() was not replaced";
  first.reset();
  ASSERT_EQ(test_run(entry, &retval), 0);
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS)) << "decide() still replaced after the link was destroyed";

  // Explicit target (the form bpf_program__attach_freplace takes): works any
  // number of times.
  LinkPtr link(bpf_program__attach_freplace(repl, bpf_program__fd(entry), "decide"));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  ASSERT_EQ(test_run(entry, &retval), 0);
  EXPECT_EQ(retval, static_cast<__u32>(XDP_TX)) << "decide() was not replaced";
  link.reset();
  ASSERT_EQ(test_run(entry, &retval), 0);
  EXPECT_EQ(retval, static_cast<__u32>(XDP_PASS)) << "decide() still replaced after the link was destroyed";
}

TEST(LinkFreplace, UnknownFunctionIsNamed) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr target = open_prog_object("attach_freplace_target");
  ASSERT_NE(target, nullptr);
  ASSERT_EQ(bpf_object__load(target.get()), 0);
  bpf_program* entry = must_find_program(target.get(), "entry");
  ObjectPtr ext = open_prog_object("attach_freplace");
  ASSERT_NE(ext, nullptr);
  bpf_program* repl = must_find_program(ext.get(), "new_decide");
  ASSERT_EQ(bpf_program__set_attach_target(repl, bpf_program__fd(entry), "decide"), 0);
  if (!sys::has_feature(sys::Feature::Trampoline)) SKIP_WITHOUT_FREPLACE();
  ASSERT_EQ(bpf_object__load(ext.get()), 0) << std::strerror(errno);
  FullPrintCapture capture;
  EXPECT_EQ(bpf_program__attach_freplace(repl, bpf_program__fd(entry), "bpfxx_nope"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("prog 'new_decide': cannot replace function 'bpfxx_nope'"), std::string::npos)
      << capture.text();
  EXPECT_EQ(bpf_program__attach_freplace(repl, bpf_program__fd(entry), nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
