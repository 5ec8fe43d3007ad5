// Attaching tracing programs through the libbpf API: tracepoints, raw
// tracepoints (with cookies where the kernel takes them), tp_btf, perf
// events, iterators and auto-attach by section. Every test proves the
// program ran (a counter of its own process's events, a cookie it saw, the
// iterator's output) and that destroying the link stops it.
#include "link_support.h"
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

class LinkTracing : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_tracing"));
  }

  // Attaches on_cpu_clock to a new software CPU-clock perf event of this
  // process (a sample every 0.1 ms of CPU time); the link owns the event's
  // fd, stored in *pfd. Without opts: bpf_program__attach_perf_event().
  LinkPtr attach_cpu_clock(const bpf_perf_event_opts* opts, int* pfd = nullptr) {
    perf_event_attr attr = {};
    attr.type = PERF_TYPE_SOFTWARE;
    attr.size = sizeof attr;
    attr.config = PERF_COUNT_SW_CPU_CLOCK;
    attr.sample_period = 100000;
    const int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC));
    EXPECT_GE(fd, 0) << "perf_event_open(CPU clock): " << std::strerror(errno);
    if (fd < 0) return nullptr;
    if (pfd != nullptr) *pfd = fd;
    bpf_program* p = prog("on_cpu_clock");
    LinkPtr link(opts != nullptr ? bpf_program__attach_perf_event_opts(p, fd, opts)
                                 : bpf_program__attach_perf_event(p, fd));
    const int err = errno;
    if (!link) close(fd);
    errno = err;
    return link;
  }

  // Burns CPU until on_cpu_clock has counted `want` samples (or gives up).
  void wait_for_perf_hits(__u64 want) {
    for (int spin = 0; spin < 2000 && global("perf_hits") < want; spin++) do_getpid(1000);
  }
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
  expect_stops_when_destroyed(link, "tp_hits", [] { do_getpid(3); });
  EXPECT_EQ(global("tp_hits"), 7u);
}

TEST_F(LinkTracing, TracepointByIoctlWhenForced) {
  // The perf event path older kernels take: PERF_EVENT_IOC_SET_BPF.
  load();
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .force_ioctl_attach = true);
  int pfd = -1;
  LinkPtr link = attach_cpu_clock(&opts, &pfd);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_EQ(bpf_link__fd(link.get()), pfd) << "an ioctl-attached link is represented by its perf event";
  wait_for_perf_hits(5);
  EXPECT_GE(global("perf_hits"), 5u);
  link.reset();  // closes pfd
}

// A perf event attached by ioctl has no BPF link: update_program and
// detach fail with EINVAL as in libbpf (whose BPF_LINK_UPDATE/DETACH on the
// perf fd the kernel refuses), saying why, and the program keeps running.
TEST_F(LinkTracing, IoctlPerfLinkRefusesUpdateAndDetach) {
  load();
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .force_ioctl_attach = true);
  LinkPtr link = attach_cpu_clock(&opts);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  {
    FullPrintCapture capture;
    BPFXX_EXPECT_ERR(bpf_link__update_program(link.get(), prog("on_cpu_clock")), EINVAL);
    BPFXX_EXPECT_ERR(bpf_link__detach(link.get()), EINVAL);
    EXPECT_NE(capture.text().find("attached by ioctl, it has no BPF link"), std::string::npos) << capture.text();
    EXPECT_NE(capture.text().find("prog 'on_cpu_clock'"), std::string::npos) << capture.text();
  }
  wait_for_perf_hits(3);
  EXPECT_GE(global("perf_hits"), 3u) << "the program stopped after the refused calls";
}

// A BPF perf-event link cannot switch programs either (the kernel has no
// update for it): its error reaches the caller, and the link still counts.
TEST_F(LinkTracing, PerfLinkUpdateProgramGivesTheKernelsError) {
  load();
  LinkPtr link = attach_cpu_clock(nullptr);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  FullPrintCapture capture;
  errno = 0;
  EXPECT_LT(bpf_link__update_program(link.get(), prog("on_cpu_clock")), 0);
  EXPECT_NE(errno, 0);
  EXPECT_NE(capture.text().find("BPF_LINK_UPDATE"), std::string::npos) << capture.text();
  wait_for_perf_hits(3);
  EXPECT_GE(global("perf_hits"), 3u);
}

TEST_F(LinkTracing, PerfEventCpuClockCountsWithCookie) {
  load();
  LIBBPF_OPTS(bpf_perf_event_opts, opts, .bpf_cookie = 77);
  int pfd = -1;
  LinkPtr link = attach_cpu_clock(&opts, &pfd);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_NE(bpf_link__fd(link.get()), pfd) << "a BPF link of its own (BPF_LINK_CREATE)";
  wait_for_perf_hits(5);
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
  expect_stops_when_destroyed(link, "raw_hits", [] { do_getpid(5); });
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
  expect_stops_when_destroyed(link, "btf_hits", [] { do_getpid(4); });
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

// Everything one run of the iterator behind link prints, into *text.
::testing::AssertionResult read_iterator(const bpf_link* link, std::string* text) {
  UniqueFd iter(bpf_iter_create(bpf_link__fd(link)));
  if (!iter.valid()) return ::testing::AssertionFailure() << "bpf_iter_create: " << std::strerror(errno);
  char buf[4096];
  for (ssize_t n; (n = read(iter.get(), buf, sizeof buf)) > 0;) text->append(buf, static_cast<size_t>(n));
  return ::testing::AssertionSuccess();
}

TEST_F(LinkTracing, TaskIteratorListsOurPid) {
  load();
  LinkPtr link(bpf_program__attach_iter(prog("list_tasks"), nullptr));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  std::string text;
  ASSERT_TRUE(read_iterator(link.get(), &text));
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
  std::string text;
  ASSERT_TRUE(read_iterator(link.get(), &text));
  EXPECT_EQ(text, std::to_string(getpid()) + "\n");
}

// BPF trampolines on kernel functions: fentry, fexit, fmod_ret and lsm.
// One program loaded at a time; where the kernel refuses trampolines the
// positive tests skip with the probe's reason.
class LinkTrampoline : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_trampoline"));
  }

  // Loads only `name`; false (the caller skips) where trampolines are refused.
  bool load_only(const char* name) {
    if (!sys::has_feature(sys::Feature::Trampoline)) {
      return false;
    }
    autoload_only(obj_.get(), {name});
    EXPECT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
    return true;
  }

  // Opens /dev/null with the programs' deny_open set as given (cleared
  // again after): 0 when the open succeeds, else its errno.
  int open_dev_null_errno(int deny) {
    set_global<int>("deny_open", deny);
    errno = 0;
    const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int err = fd < 0 ? errno : 0;
    set_global<int>("deny_open", 0);
    if (fd >= 0) close(fd);
    return err;
  }
};

#define SKIP_WITHOUT_TRAMPOLINES()                                                                   \
  GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::Trampoline) \
               << " (the kernel refuses to load them)"

TEST_F(LinkTrampoline, LoadErrorWhereTheKernelRefusesTrampolines) {
  if (sys::has_feature(sys::Feature::Trampoline)) GTEST_SKIP() << "this kernel allows trampolines";
  autoload_only(obj_.get(), {"on_getpgid_entry"});
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
  expect_stops_when_destroyed(link, "fentry_hits", [] { syscall(SYS_getpgid, 0); });
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
  autoload_only(obj_.get(), {"on_modify_return_test"});
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
  EXPECT_EQ(open_dev_null_errno(1), EPERM);
  EXPECT_EQ(global("fmod_denials"), 1u);
  link.reset();
  EXPECT_EQ(open_dev_null_errno(1), 0) << "the open still failed after the link was destroyed";
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
  EXPECT_EQ(open_dev_null_errno(1), EPERM);
  EXPECT_EQ(global("lsm_denials"), 1u);
  EXPECT_EQ(open_dev_null_errno(0), 0);
  EXPECT_EQ(global("lsm_denials"), 1u);
}

// freplace of a global subprogram of another BPF program. It rides on the
// same trampoline machinery: this kernel (6.18 here) refuses the freplace
// load with EPERM exactly where it refuses fentry, so the trampoline probe
// gates it.
#define SKIP_WITHOUT_FREPLACE()                                                                   \
  GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::Trampoline) \
               << " (freplace loads are refused with EPERM alike)"

// freplace's two objects: the XDP program whose global subprogram decide()
// is replaced (loaded), and the replacement new_decide (opened, aimed at it).
class LinkFreplace : public ::testing::Test {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    target_ = load_prog_object("attach_freplace_target");
    ASSERT_NE(target_, nullptr);
    entry_ = must_find_program(target_.get(), "entry");
    ext_ = open_prog_object("attach_freplace");
    ASSERT_NE(ext_, nullptr);
    repl_ = must_find_program(ext_.get(), "new_decide");
    ASSERT_EQ(bpf_program__set_attach_target(repl_, bpf_program__fd(entry_), "decide"), 0);
  }

  // What entry returns from one test run: XDP_TX while decide() is replaced.
  __u32 entry_result() {
    __u32 retval = 0;
    EXPECT_EQ(test_run(entry_, &retval), 0) << "test run of prog 'entry': " << std::strerror(errno);
    return retval;
  }

  ObjectPtr target_, ext_;
  bpf_program* entry_ = nullptr;
  bpf_program* repl_ = nullptr;
};

TEST_F(LinkFreplace, LoadErrorWhereTheKernelRefusesIt) {
  if (sys::has_feature(sys::Feature::Trampoline)) GTEST_SKIP() << "this kernel allows trampolines and freplace";
  FullPrintCapture capture;
  errno = 0;
  EXPECT_LT(bpf_object__load(ext_.get()), 0);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(capture.text().find("prog 'new_decide': BPF program load failed: Operation not permitted"),
            std::string::npos)
      << capture.text();
  EXPECT_EQ(bpf_program__attach_freplace(repl_, bpf_program__fd(entry_), "decide"), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("prog 'new_decide': cannot attach to function 'decide' of program fd"),
            std::string::npos)
      << capture.text();
}

TEST_F(LinkFreplace, ReplacesASubprogramOfAnotherProgram) {
  ASSERT_EQ(entry_result(), static_cast<__u32>(XDP_PASS));
  if (!sys::has_feature(sys::Feature::Trampoline)) SKIP_WITHOUT_FREPLACE();
  ASSERT_EQ(bpf_object__load(ext_.get()), 0) << std::strerror(errno);

  // The target chosen at load, through the section (auto-attach). The kernel
  // hands that load-time target to the first attach only, so this comes
  // first; later attaches must name their target.
  LinkPtr first(bpf_program__attach(repl_));
  ASSERT_NE(first, nullptr) << std::strerror(errno);
  EXPECT_EQ(entry_result(), static_cast<__u32>(XDP_TX)) << "decide() was not replaced";
  first.reset();
  EXPECT_EQ(entry_result(), static_cast<__u32>(XDP_PASS)) << "decide() still replaced after the link was destroyed";

  // Explicit target (the form bpf_program__attach_freplace takes): works any
  // number of times.
  LinkPtr link(bpf_program__attach_freplace(repl_, bpf_program__fd(entry_), "decide"));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_EQ(entry_result(), static_cast<__u32>(XDP_TX)) << "decide() was not replaced";
  link.reset();
  EXPECT_EQ(entry_result(), static_cast<__u32>(XDP_PASS)) << "decide() still replaced after the link was destroyed";
}

TEST_F(LinkFreplace, UnknownFunctionIsNamed) {
  if (!sys::has_feature(sys::Feature::Trampoline)) SKIP_WITHOUT_FREPLACE();
  ASSERT_EQ(bpf_object__load(ext_.get()), 0) << std::strerror(errno);
  FullPrintCapture capture;
  EXPECT_EQ(bpf_program__attach_freplace(repl_, bpf_program__fd(entry_), "bpfxx_nope"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("prog 'new_decide': cannot replace function 'bpfxx_nope'"), std::string::npos)
      << capture.text();
  EXPECT_EQ(bpf_program__attach_freplace(repl_, bpf_program__fd(entry_), nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
