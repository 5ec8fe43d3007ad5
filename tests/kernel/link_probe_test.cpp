// kprobes, kretprobes, ksyscall and kprobe.multi through the libbpf API.
// Where the kernel has kprobes (the Debian VMs of the kernel matrix) the
// programs are attached and their counters proven, in PMU and legacy
// tracefs mode; on a kernel without them (this machine) the tests check
// the exact error a user gets, and the positive ones report a skip with
// the reason.
#include "link_support.h"
#include "sys/features.h"
#include "sys/tracefs.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace bpfxx::test {
namespace {

// Whether the kernel can make kprobes at all: the kprobe PMU or the legacy
// tracefs interface. Found independently of the attach code's own checks.
bool kernel_has_kprobes() {
  if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0) return true;
  return sys::tracefs_has("kprobe_events");
}

#define REQUIRE_KPROBES()                                                                          \
  do {                                                                                             \
    if (!kernel_has_kprobes())                                                                     \
      GTEST_SKIP() << "kernel feature missing: kprobes (no kprobe PMU, no tracefs kprobe_events)"; \
  } while (0)

void open_files(int n) {
  for (int i = 0; i < n; i++) {
    const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) close(fd);
  }
}

class LinkProbe : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_probe"));
    if (!sys::has_feature(sys::Feature::UprobeMultiLink)) autoload_off({"on_multi"});
    load();
  }
};

TEST_F(LinkProbe, KprobeWithoutKernelSupportIsACleanError) {
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes: the error path is for kernels without";
  FullPrintCapture capture;
  errno = 0;
  EXPECT_EQ(bpf_program__attach_kprobe(prog("on_openat"), false, "do_sys_openat2"), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(capture.text().find("prog 'on_openat': cannot attach kprobe 'do_sys_openat2': this kernel has no "
                                "kprobes (no kprobe PMU in /sys/bus/event_source/devices and no kprobe_events "
                                "in tracefs; CONFIG_KPROBES/CONFIG_KPROBE_EVENTS off)"),
            std::string::npos)
      << capture.text();
  // The same through the section and for return probes.
  EXPECT_EQ(bpf_program__attach(prog("on_openat_ret")), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(capture.text().find("prog 'on_openat_ret': cannot attach kretprobe 'do_sys_openat2'"), std::string::npos)
      << capture.text();
  // ksyscall names the entry point it would have used.
  EXPECT_EQ(bpf_program__attach_ksyscall(prog("on_getppid"), "getppid", nullptr), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  const char* prefix = sys::syscall_prefix();
  const std::string entry = std::string(prefix != nullptr ? prefix : "__se_") + "sys_getppid";
  EXPECT_NE(capture.text().find("prog 'on_getppid': cannot attach kprobe '" + entry + "'"), std::string::npos)
      << capture.text();
  // No fd is left behind by the failed attempts (the test main checks).
}

TEST_F(LinkProbe, KprobeMultiWithoutKernelSupportIsACleanError) {
  if (sys::has_feature(sys::Feature::KprobeMultiLink)) GTEST_SKIP() << "this kernel has multi-kprobe links";
  FullPrintCapture capture;
  const char* syms[] = {"do_sys_openat2"};
  LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms, .cnt = 1);
  errno = 0;
  EXPECT_EQ(bpf_program__attach_kprobe_multi_opts(prog("on_openat_multi"), nullptr, &opts), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(capture.text().find("prog 'on_openat_multi': cannot attach kprobe.multi: this kernel has no "
                                "multi-kprobe links"),
            std::string::npos)
      << capture.text();
  EXPECT_EQ(bpf_program__attach(prog("on_openat_multi")), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
}

TEST_F(LinkProbe, KprobeMultiRejectsMixedTargets) {
  FullPrintCapture capture;
  const char* syms[] = {"do_sys_openat2"};
  LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .syms = syms, .cnt = 1);
  EXPECT_EQ(bpf_program__attach_kprobe_multi_opts(prog("on_openat_multi"), "do_sys_*", &opts), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(capture.text().find("give either a pattern"), std::string::npos) << capture.text();
}

TEST_F(LinkProbe, KprobeAndKretprobeCount) {
  REQUIRE_KPROBES();
  LinkPtr entry(bpf_program__attach_kprobe(prog("on_openat"), false, "do_sys_openat2"));
  ASSERT_NE(entry, nullptr) << std::strerror(errno);
  LinkPtr ret(bpf_program__attach(prog("on_openat_ret")));
  ASSERT_NE(ret, nullptr) << std::strerror(errno);
  open_files(5);
  EXPECT_GE(global("k_hits"), 5u);
  EXPECT_GE(global("kret_hits"), 5u);
  entry.reset();
  ret.reset();
  const __u64 hits = global("k_hits");
  open_files(3);
  EXPECT_EQ(global("k_hits"), hits) << "the kprobe still fired after its link was destroyed";
}

TEST_F(LinkProbe, LegacyKprobeCountsAndIsRemovedOnDetach) {
  REQUIRE_KPROBES();
  if (!sys::tracefs_has("kprobe_events")) GTEST_SKIP() << "kernel feature missing: tracefs kprobe_events";
  LIBBPF_OPTS(bpf_kprobe_opts, opts, .attach_mode = PROBE_ATTACH_MODE_LEGACY);
  LinkPtr link(bpf_program__attach_kprobe_opts(prog("on_openat"), "do_sys_openat2", &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  open_files(4);
  EXPECT_GE(global("k_hits"), 4u);
  const std::string marker = "bpfxx_" + std::to_string(getpid()) + "_";
  auto events = [] {
    std::ifstream in(*sys::tracefs_root() + "/kprobe_events");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_NE(events().find(marker), std::string::npos) << events();
  link.reset();
  EXPECT_EQ(events().find(marker), std::string::npos) << "legacy kprobe left behind: " << events();
}

TEST_F(LinkProbe, KsyscallCounts) {
  REQUIRE_KPROBES();
  LinkPtr link(bpf_program__attach(prog("on_getppid")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  for (int i = 0; i < 4; i++) syscall(SYS_getppid);
  EXPECT_GE(global("ksys_hits"), 4u);
}

TEST_F(LinkProbe, KprobeMultiByPatternCounts) {
  if (!sys::has_feature(sys::Feature::KprobeMultiLink)) {
    GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::KprobeMultiLink);
  }
  LinkPtr link(bpf_program__attach(prog("on_openat_multi")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  open_files(3);
  EXPECT_GE(global("kmulti_hits"), 3u);
}

}  // namespace
}  // namespace bpfxx::test
