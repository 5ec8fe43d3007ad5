// The utility half of the C API: printing, errors, versions.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>

#include "base/log.h"

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::vector<std::pair<libbpf_print_level, std::string>> g_messages;

int capture(enum libbpf_print_level level, const char* fmt, va_list args) {
  char buf[512];
  vsnprintf(buf, sizeof(buf), fmt, args);
  g_messages.emplace_back(level, buf);
  return 0;
}

TEST(Print, CallbackReceivesMessagesAndIsRestored) {
  g_messages.clear();
  libbpf_print_fn_t old = libbpf_set_print(capture);
  BPFXX_WARN("hello %d\n", 42);
  BPFXX_DEBUG("quiet\n");
  EXPECT_EQ(libbpf_set_print(old), capture);
  ASSERT_EQ(g_messages.size(), 2u);
  EXPECT_EQ(g_messages[0].first, LIBBPF_WARN);
  EXPECT_EQ(g_messages[0].second, "libbpf: hello 42\n");
  EXPECT_EQ(g_messages[1].first, LIBBPF_DEBUG);
}

TEST(Print, NullCallbackSilencesAndErrnoSurvives) {
  libbpf_print_fn_t old = libbpf_set_print(nullptr);
  errno = EXDEV;
  BPFXX_WARN("nobody hears this\n");
  EXPECT_EQ(errno, EXDEV);
  libbpf_set_print(old);
}

TEST(Print, BadOptsAreReportedThroughTheCallback) {
  g_messages.clear();
  libbpf_print_fn_t old = libbpf_set_print(capture);
  struct bpf_map_create_opts opts;
  std::memset(&opts, 0, sizeof(opts));
  opts.sz = 1;
  int rc = bpf_map_create(BPF_MAP_TYPE_ARRAY, "x", 4, 4, 1, &opts);
  libbpf_set_print(old);
  EXPECT_EQ(rc, -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  ASSERT_FALSE(g_messages.empty());
  EXPECT_NE(g_messages[0].second.find("bpf_map_create_opts"), std::string::npos) << g_messages[0].second;
}

TEST(Strerror, SystemAndLibbpfCodes) {
  char buf[128];
  ASSERT_EQ(libbpf_strerror(ENOENT, buf, sizeof(buf)), 0);
  EXPECT_STREQ(buf, strerror(ENOENT));
  ASSERT_EQ(libbpf_strerror(-ENOENT, buf, sizeof(buf)), 0);
  EXPECT_STREQ(buf, strerror(ENOENT));
  ASSERT_EQ(libbpf_strerror(LIBBPF_ERRNO__VERIFY, buf, sizeof(buf)), 0);
  EXPECT_NE(std::string(buf).find("verifier"), std::string::npos) << buf;
  EXPECT_EQ(libbpf_strerror(__LIBBPF_ERRNO__END + 5, buf, sizeof(buf)), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(std::string(buf).find("Unknown libbpf error"), std::string::npos);
}

TEST(Strerror, TruncationAndBadArguments) {
  char small[4];
  EXPECT_EQ(libbpf_strerror(ENOENT, small, sizeof(small)), -ERANGE);
  EXPECT_EQ(std::strlen(small), 3u);
  EXPECT_EQ(libbpf_strerror(ENOENT, nullptr, 10), -EINVAL);
  EXPECT_EQ(libbpf_strerror(ENOENT, small, 0), -EINVAL);
}

TEST(Versions, AreLibbpf18) {
  EXPECT_EQ(libbpf_major_version(), 1u);
  EXPECT_EQ(libbpf_minor_version(), 8u);
  EXPECT_STREQ(libbpf_version_string(), "v1.8");
}

TEST(GetError, FollowsLibbpf10Semantics) {
  int x = 0;
  EXPECT_EQ(libbpf_get_error(&x), 0);
  errno = ENOMEM;
  EXPECT_EQ(libbpf_get_error(nullptr), -ENOMEM);
  EXPECT_EQ(libbpf_set_strict_mode(LIBBPF_STRICT_ALL), 0);
}

TEST(PossibleCpus, PositiveAndStable) {
  int n = libbpf_num_possible_cpus();
  EXPECT_GE(n, 1);
  EXPECT_EQ(libbpf_num_possible_cpus(), n);
}

}  // namespace
