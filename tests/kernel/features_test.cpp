// The kernel feature cache (sys/features): the answers on this kernel, and
// that each feature is probed once, through the seam, without leaking.
#include "test_support.h"

#include "base/log.h"
#include "sys/features.h"
#include "sys/kernel.h"
#include "sys/probe_support.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

using bpfxx::sys::Feature;
using bpfxx::sys::FeatureCache;
using bpfxx::sys::kFeatureCount;

// Counts the calls that reach the kernel; optionally fails every bpf(2).
class CountingKernel : public bpfxx::sys::Kernel {
 public:
  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    calls++;
    if (fail_bpf_with != 0) return -fail_bpf_with;
    return Kernel::bpf(cmd, attr, size);
  }
  long bpf_common(int cmd, union bpf_attr* attr, unsigned int size, struct bpf_common_attr* common,
                  unsigned int common_size) override {
    calls++;
    if (fail_bpf_with != 0) return -fail_bpf_with;
    return Kernel::bpf_common(cmd, attr, size, common, common_size);
  }
  int open(const char* path, int flags, mode_t mode) override {
    calls++;
    if (fail_open_with != 0) return -fail_open_with;
    return Kernel::open(path, flags, mode);
  }
  ssize_t read(int fd, void* buf, size_t count) override {
    calls++;
    return Kernel::read(fd, buf, count);
  }

  std::atomic<long> calls{0};
  int fail_bpf_with = 0;
  int fail_open_with = 0;
};

// Installs a CountingKernel for the test's duration.
class FeaturesTest : public testing::Test {
 protected:
  void SetUp() override { previous_ = bpfxx::sys::set_kernel(&kernel_); }
  void TearDown() override { bpfxx::sys::set_kernel(previous_); }

  CountingKernel kernel_;
  bpfxx::sys::Kernel* previous_ = nullptr;
};

std::vector<Feature> all_features() {
  std::vector<Feature> out;
  for (std::size_t i = 0; i < kFeatureCount; i++) out.push_back(static_cast<Feature>(i));
  return out;
}

// Swallows library messages for the duration of a scope.
class QuietLog {
 public:
  QuietLog() : previous_(bpfxx::log::set_print(nullptr)) {}
  ~QuietLog() { bpfxx::log::set_print(previous_); }

 private:
  libbpf_print_fn_t previous_;
};

TEST(FeatureNames, EveryFeatureHasAUniqueNameAndADescription) {
  std::set<std::string> names;
  for (Feature f : all_features()) {
    const char* name = bpfxx::sys::feature_name(f);
    const char* description = bpfxx::sys::feature_description(f);
    ASSERT_NE(name, nullptr) << static_cast<int>(f);
    ASSERT_NE(description, nullptr) << name;
    EXPECT_GT(std::strlen(description), 0u) << name;
    EXPECT_TRUE(names.insert(name).second) << name << " used twice";
  }
  EXPECT_EQ(bpfxx::sys::feature_name(static_cast<Feature>(kFeatureCount)), nullptr);
  EXPECT_EQ(bpfxx::sys::feature_description(static_cast<Feature>(200)), nullptr);
}

TEST_F(FeaturesTest, AnswersOnThisKernel) {
  BPFXX_REQUIRE_ROOT();
  FeatureCache cache;
  // What every kernel of the matrix has (6.1 onwards, and far older ones).
  const Feature baseline[] = {
      Feature::ProgName,      Feature::GlobalData,      Feature::Btf,           Feature::BtfFunc,
      Feature::BtfGlobalFunc, Feature::BtfDatasec,      Feature::BtfFloat,      Feature::BtfDeclTag,
      Feature::BtfTypeTag,    Feature::BtfEnum64,       Feature::ArrayMmap,     Feature::ExpAttachType,
      Feature::ProbeReadKernel, Feature::ProgBindMap,   Feature::ModuleBtf,     Feature::BpfLink,
      Feature::PerfLink,      Feature::BpfCookie,       Feature::MemcgAccount,
  };
  for (Feature f : baseline) EXPECT_TRUE(cache.has(f)) << bpfxx::sys::feature_name(f);

  // Newer commands, map types and attributes: the kernel's own BTF says
  // whether it has them (an oracle independent of the probes), and each
  // probe must agree, both ways.
  using bpfxx::test::kernel_attr_has_field;
  using bpfxx::test::kernel_has_enumerator;
  struct Oracle {
    Feature feature;
    bool declared;
  };
  const Oracle oracles[] = {
      {Feature::Token, kernel_has_enumerator("bpf_cmd", "BPF_TOKEN_CREATE")},
      {Feature::StreamRead, kernel_has_enumerator("bpf_cmd", "BPF_PROG_STREAM_READ_BY_FD")},
      {Feature::AssocStructOps, kernel_has_enumerator("bpf_cmd", "BPF_PROG_ASSOC_STRUCT_OPS")},
      {Feature::ObjPathFd, kernel_attr_has_field(nullptr, "path_fd")},
      {Feature::QueryLinkIds, kernel_attr_has_field("query", "link_ids")},
      {Feature::RawTpCookie, kernel_attr_has_field("raw_tracepoint", "cookie")},
      {Feature::ProgLogTrueSize, kernel_attr_has_field(nullptr, "log_true_size")},
      {Feature::BtfLogTrueSize, kernel_attr_has_field(nullptr, "btf_log_true_size")},
  };
  for (const Oracle& o : oracles) {
    EXPECT_EQ(cache.has(o.feature), o.declared)
        << bpfxx::sys::feature_name(o.feature) << ": the kernel's BTF says " << (o.declared ? "present" : "absent");
  }
  // Arena maps: a kernel may declare them yet refuse them to this process
  // (EPERM in a restricted container), so only "absent" is certain.
  if (!kernel_has_enumerator("bpf_map_type", "BPF_MAP_TYPE_ARENA")) {
    EXPECT_FALSE(cache.has(Feature::ArenaMap));
  }
  // Multi-uprobes need BPF_TRACE_UPROBE_MULTI; the probe additionally wants
  // the process-filter fix, so only "absent" is certain.
  if (!kernel_has_enumerator("bpf_attach_type", "BPF_TRACE_UPROBE_MULTI")) {
    EXPECT_FALSE(cache.has(Feature::UprobeMultiLink));
  }
  // The bpf-next syscall common attributes are in no kernel of the matrix.
  EXPECT_EQ(cache.has(Feature::CommonAttrs), kernel_has_enumerator("bpf_cmd", "BPF_COMMON_ATTRS"));
#if defined(__x86_64__)
  EXPECT_TRUE(cache.has(Feature::SyscallWrapper));
  EXPECT_STREQ(bpfxx::sys::arch_syscall_prefix(), "__x64_");
#endif
}

// Whether /proc/kallsyms lists symbol (a whole name, not a prefix).
bool kernel_has_symbol(const std::string& symbol) {
  std::ifstream in("/proc/kallsyms");
  std::string line;
  const std::string tail = " " + symbol;
  while (std::getline(in, line)) {
    if (line.size() >= tail.size() && line.compare(line.size() - tail.size(), tail.size(), tail) == 0) return true;
  }
  return false;
}

TEST_F(FeaturesTest, KprobeMultiMatchesTheKernelBuild) {
  BPFXX_REQUIRE_ROOT();
  // Multi-kprobe links run on fprobe. This kernel has neither kprobes nor
  // fprobe (see DESIGN.md): the probe must say "missing" rather than take
  // the EOPNOTSUPP it gets for support.
  if (kernel_has_symbol("register_fprobe_ips")) GTEST_SKIP() << "this kernel has fprobe; nothing to compare with";
  FeatureCache cache;
  EXPECT_FALSE(cache.has(Feature::KprobeMultiLink));
}

TEST_F(FeaturesTest, GlobalCacheAndSyscallPrefix) {
  BPFXX_REQUIRE_ROOT();
  EXPECT_TRUE(bpfxx::sys::has_feature(Feature::GlobalData));
  EXPECT_EQ(bpfxx::sys::has_feature(Feature::AssocStructOps),
            bpfxx::test::kernel_has_enumerator("bpf_cmd", "BPF_PROG_ASSOC_STRUCT_OPS"));
#if defined(__x86_64__)
  EXPECT_STREQ(bpfxx::sys::syscall_prefix(), "__x64_");
#endif
}

TEST_F(FeaturesTest, EachFeatureIsProbedOnceThroughTheSeam) {
  BPFXX_REQUIRE_ROOT();
  FeatureCache cache;
  for (Feature f : all_features()) {
    const char* name = bpfxx::sys::feature_name(f);
    long before = kernel_.calls.load();
    bool first = cache.has(f);
    long probe_calls = kernel_.calls.load() - before;
    EXPECT_GT(probe_calls, 0) << name << ": the probe made no kernel call through the seam";

    before = kernel_.calls.load();
    EXPECT_EQ(cache.has(f), first) << name;
    EXPECT_EQ(cache.has(f), first) << name;
    EXPECT_EQ(kernel_.calls.load(), before) << name << ": asked again, probed again";
  }
}

TEST_F(FeaturesTest, ConcurrentFirstQuestionsProbeOnce) {
  BPFXX_REQUIRE_ROOT();
  // What one thread alone costs...
  std::vector<bool> expected;
  long sequential_calls;
  {
    FeatureCache cache;
    long before = kernel_.calls.load();
    for (Feature f : all_features()) expected.push_back(cache.has(f));
    sequential_calls = kernel_.calls.load() - before;
  }
  // ... is what eight threads racing over a fresh cache cost.
  FeatureCache cache;
  long before = kernel_.calls.load();
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; t++) {
    threads.emplace_back([&, t] {
      // Different threads walk the features in different orders.
      for (std::size_t i = 0; i < kFeatureCount; i++) {
        std::size_t k = (i + static_cast<std::size_t>(t) * 5) % kFeatureCount;
        if (cache.has(static_cast<Feature>(k)) != expected[k]) mismatches++;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(kernel_.calls.load() - before, sequential_calls);
}

TEST_F(FeaturesTest, FailedProbesCountAsMissingAndAreNotRetried) {
  QuietLog quiet;
  kernel_.fail_bpf_with = EPERM;
  kernel_.fail_open_with = EACCES;
  FeatureCache cache;
  for (Feature f : all_features()) EXPECT_FALSE(cache.has(f)) << bpfxx::sys::feature_name(f);
  long before = kernel_.calls.load();
  for (Feature f : all_features()) EXPECT_FALSE(cache.has(f)) << bpfxx::sys::feature_name(f);
  EXPECT_EQ(kernel_.calls.load(), before);
}

TEST_F(FeaturesTest, ProbeErrorsAreReportedThroughThePrintCallback) {
  static std::vector<std::string>* messages = nullptr;
  std::vector<std::string> captured;
  messages = &captured;
  libbpf_print_fn_t previous = bpfxx::log::set_print([](libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_WARN) {
      char buf[512];
      std::vsnprintf(buf, sizeof(buf), fmt, args);
      messages->push_back(buf);
    }
    return 0;
  });
  kernel_.fail_bpf_with = EPERM;
  FeatureCache cache;
  // Global data needs an array map first; failing to create even that is
  // an error worth a warning, not a quiet "missing".
  EXPECT_FALSE(cache.has(Feature::GlobalData));
  bpfxx::log::set_print(previous);
  messages = nullptr;
  bool warned = false;
  for (const std::string& m : captured) {
    if (m.find("global") != std::string::npos && m.find("Operation not permitted") != std::string::npos) warned = true;
  }
  EXPECT_TRUE(warned) << "no warning naming the failed probe and its error";
}

// uname() and /proc/version_signature as a distribution kernel shows them.
class DistroKernel : public bpfxx::sys::Kernel {
 public:
  int uname(struct utsname* buf) override {
    std::memset(buf, 0, sizeof(*buf));
    std::snprintf(buf->release, sizeof(buf->release), "%s", release);
    std::snprintf(buf->version, sizeof(buf->version), "%s", version);
    return 0;
  }
  int open(const char* path, int flags, mode_t mode) override {
    if (std::strcmp(path, "/proc/version_signature") != 0) return Kernel::open(path, flags, mode);
    if (signature == nullptr) return -ENOENT;
    int fd = memfd_create("version_signature", MFD_CLOEXEC);
    if (fd < 0) return -errno;
    if (::write(fd, signature, std::strlen(signature)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
      ::close(fd);
      return -EIO;
    }
    return fd;
  }
  const char* release = "";
  const char* version = "";
  const char* signature = nullptr;
};

constexpr uint32_t version_code(uint32_t a, uint32_t b, uint32_t c) { return (a << 16) | (b << 8) | c; }

TEST(KernelVersionCode, FromUnameUbuntuAndDebian) {
  DistroKernel fake;
  bpfxx::sys::Kernel* previous = bpfxx::sys::set_kernel(&fake);

  fake.release = "6.18.44-fc-v669";
  EXPECT_EQ(bpfxx::sys::probe::kernel_version_code(), version_code(6, 18, 44));

  // Debian hides the sublevel in the version string; above 255 it saturates.
  fake.release = "4.19.0-22-amd64";
  fake.version = "#1 SMP Debian 4.19.260-1 (2022-09-29)";
  EXPECT_EQ(bpfxx::sys::probe::kernel_version_code(), version_code(4, 19, 255));
  fake.version = "#1 SMP Debian 5.10.140-1";
  EXPECT_EQ(bpfxx::sys::probe::kernel_version_code(), version_code(5, 10, 140));

  // Ubuntu says it in /proc/version_signature, last word.
  fake.release = "5.4.0-12-generic";
  fake.version = "#15-Ubuntu SMP";
  fake.signature = "Ubuntu 5.4.0-12.15-generic 5.4.8\n";
  EXPECT_EQ(bpfxx::sys::probe::kernel_version_code(), version_code(5, 4, 8));

  // Nothing parseable anywhere.
  fake.signature = "garbage";
  fake.release = "unknown";
  fake.version = "";
  EXPECT_EQ(bpfxx::sys::probe::kernel_version_code(), 0u);

  bpfxx::sys::set_kernel(previous);
}

}  // namespace
