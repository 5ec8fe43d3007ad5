// The kernel-config parser, value decoding, gunzip, the kernel version
// code (Ubuntu and Debian quirks), the /proc/kallsyms parser and
// read_file()'s size limit.
#include "sys/kallsyms.h"
#include "sys/files.h"
#include "sys/kconfig.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>

#include <string>
#include <utility>
#include <vector>

namespace bpfxx::sys {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Result<Pairs> parse(std::string_view text) {
  Pairs out;
  Result<void> r = for_each_kconfig(text, [&](std::string_view n, std::string_view v) -> Result<void> {
    out.emplace_back(std::string(n), std::string(v));
    return {};
  });
  if (!r) return r.failure();
  return out;
}

TEST(Kconfig, AssignmentsAreReportedAndEverythingElseIgnored) {
  Result<Pairs> p = parse(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
      "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
      "\n"
      "CONFIG_BPF_SYSCALL=y\n"
      "# CONFIG_BPF_PRELOAD is not set\n"
      "CONFIG_HZ=250\r\n"
      "NOT_A_CONFIG=1\n"
      "CONFIG_LAST=m");
  ASSERT_TRUE(p) << p.message();
  EXPECT_EQ(*p, (Pairs{{"CONFIG_CC_VERSION_TEXT", "\"gcc (Debian 12.2.0-14) 12.2.0\""},
                       {"CONFIG_BPF_SYSCALL", "y"},
                       {"CONFIG_HZ", "250"},
                       {"CONFIG_LAST", "m"}}));
}

TEST(Kconfig, ALineWithoutSeparatorOrValueIsAnErrorNamingTheLine) {
  Result<Pairs> p = parse("CONFIG_A=y\nCONFIG_BROKEN\n");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error(), EINVAL);
  EXPECT_NE(p.message().find("line 2"), std::string::npos) << p.message();
  p = parse("CONFIG_EMPTY=\n");
  ASSERT_FALSE(p);
  EXPECT_NE(p.message().find("CONFIG_EMPTY has no value"), std::string::npos) << p.message();
}

TEST(Kconfig, ACallbackFailureStopsTheWalk) {
  int calls = 0;
  Result<void> r = for_each_kconfig("CONFIG_A=1\nCONFIG_B=2\n", [&](std::string_view, std::string_view) -> Result<void> {
    calls++;
    return fail(ERANGE, "no");
  });
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), ERANGE);
  EXPECT_EQ(calls, 1);
}

TEST(KconfigValue, Tristates) {
  for (char c : {'y', 'n', 'm'}) {
    Result<KconfigValue> v = decode_kconfig_value(std::string(1, c));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->kind, KconfigValue::Kind::kTristate);
    EXPECT_EQ(v->tristate, c);
  }
  EXPECT_FALSE(decode_kconfig_value("yes")) << "only single letters are tristates";
}

TEST(KconfigValue, QuotedStrings) {
  Result<KconfigValue> v = decode_kconfig_value("\"(none)\"");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, KconfigValue::Kind::kString);
  EXPECT_EQ(v->str, "(none)");
  v = decode_kconfig_value("\"\"");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->str, "");
  EXPECT_FALSE(decode_kconfig_value("\"unterminated"));
  EXPECT_FALSE(decode_kconfig_value("\""));
}

TEST(KconfigValue, NumbersInEveryBase) {
  struct Case {
    const char* text;
    uint64_t num;
    bool negative;
  } cases[] = {{"250", 250, false},     {"0x1F", 31, false},   {"017", 15, false},
               {"0", 0, false},         {"-1", ~uint64_t{0}, true},
               {"18446744073709551615", ~uint64_t{0}, false},
               {"-9223372036854775808", uint64_t{1} << 63, true}};
  for (const Case& c : cases) {
    Result<KconfigValue> v = decode_kconfig_value(c.text);
    ASSERT_TRUE(v) << c.text << ": " << v.message();
    EXPECT_EQ(v->kind, KconfigValue::Kind::kNumber) << c.text;
    EXPECT_EQ(v->num, c.num) << c.text;
    EXPECT_EQ(v->negative, c.negative) << c.text;
  }
}

TEST(KconfigValue, BadNumbersAndOverflowAreRefused) {
  for (const char* bad : {"", "12abc", "0x", "08", "1.5", "--1", "18446744073709551616", "0x10000000000000000"})
    EXPECT_FALSE(decode_kconfig_value(bad)) << bad;
  Result<KconfigValue> v = decode_kconfig_value("-9223372036854775809");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error(), ERANGE);
}

std::string gzip(const std::string& plain) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(compressBound(plain.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(Gunzip, RoundTripTruncationCorruptionAndLimit) {
  std::string plain;
  for (int i = 0; i < 20000; i++) plain += "CONFIG_OPTION_" + std::to_string(i) + "=y\n";
  const std::string gz = gzip(plain);
  Result<std::string> back = gunzip(gz);
  ASSERT_TRUE(back) << back.message();
  EXPECT_EQ(*back, plain);
  EXPECT_FALSE(gunzip(gz.substr(0, gz.size() / 2))) << "truncated";
  std::string corrupt = gz;
  corrupt[corrupt.size() / 2] ^= 0x55;
  EXPECT_FALSE(gunzip(corrupt));
  EXPECT_FALSE(gunzip("not gzip at all"));
  Result<std::string> small = gunzip(gz, 1000);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error(), EFBIG);
}

TEST(KernelVersion, ReleaseUbuntuAndDebian) {
  EXPECT_EQ(kernel_version_code("", "6.18.44-fc-v669", "#1 SMP PREEMPT_DYNAMIC @0"), (6u << 16) + (18u << 8) + 44);
  EXPECT_EQ(kernel_version_code("", "4.19.300", ""), (4u << 16) + (19u << 8) + 255) << "patch capped at 255";
  EXPECT_EQ(kernel_version_code("Ubuntu 5.4.0-42.46-generic 5.4.44\n", "5.4.0-42-generic", "#46-Ubuntu SMP"),
            (5u << 16) + (4u << 8) + 44);
  EXPECT_EQ(kernel_version_code("", "6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"),
            (6u << 16) + (1u << 8) + 76);
  EXPECT_EQ(kernel_version_code("", "garbage", ""), 0u);
}

TEST(Kallsyms, LinesWithAndWithoutModules) {
  std::vector<Kallsym> got;
  std::vector<std::string> names, mods;
  Result<void> r = for_each_kallsym(
      "ffffffff81000000 T _stext\n"
      "ffffffff81512bf0 t bpf_task_from_pid\n"
      "\n"
      "ffffffffc0a01000 t veth_open\t[veth]\n",
      [&](const Kallsym& s) {
        got.push_back(s);
        names.emplace_back(s.name);
        mods.emplace_back(s.module);
        return true;
      });
  ASSERT_TRUE(r) << r.message();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].addr, 0xffffffff81000000ull);
  EXPECT_EQ(got[0].type, 'T');
  EXPECT_EQ(names, (std::vector<std::string>{"_stext", "bpf_task_from_pid", "veth_open"}));
  EXPECT_EQ(mods, (std::vector<std::string>{"", "", "veth"}));
}

TEST(Kallsyms, LtoRenamedLocalDataMatchesThePlainName) {
  std::vector<std::string> seen;
  const char* text =
      "ffffffff82000000 d bpf_cookie.llvm.1234567890\n"
      "ffffffff81000000 t helper.llvm.99\n"
      "ffffffff83000000 D plain\n";
  ASSERT_TRUE(for_each_kallsym(text, [&](const Kallsym& s) {
    seen.emplace_back(kallsym_match_name(s));
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"bpf_cookie", "helper.llvm.99", "plain"}))
      << "only local data ('d') is matched without its .llvm. suffix, as libbpf does";
}

// read_file() never returns a cut content: past max_bytes it fails.
TEST(ReadFile, ALargerFileIsEfbigNotTruncated) {
  char path[] = "/tmp/bpfxx_read_file_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string content(10000, 'x');
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
  Result<std::string> whole = read_file(path, 10000);
  ASSERT_TRUE(whole) << whole.message();
  EXPECT_EQ(*whole, content) << "exactly max_bytes fits";
  Result<std::string> cut = read_file(path, 9999);
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error(), EFBIG);
  EXPECT_NE(cut.message().find(path), std::string::npos) << cut.message();
  Result<std::string> small = read_file(path, 100);
  EXPECT_EQ(small.error(), EFBIG) << "more than one read past the limit";
  unlink(path);
}

TEST(Kallsyms, MalformedLinesAreErrorsAndTheWalkCanStop) {
  for (const char* bad : {"zzzz T name\n", "ffff\n", "ffff TT name\n", "ffff T\n", "11112222333344445 T x\n"}) {
    Result<void> r = for_each_kallsym(bad, [](const Kallsym&) { return true; });
    EXPECT_FALSE(r) << bad;
  }
  int n = 0;
  EXPECT_TRUE(for_each_kallsym("1 T a\n2 T b\n3 T c\n", [&](const Kallsym&) { return ++n < 2; }));
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace bpfxx::sys
