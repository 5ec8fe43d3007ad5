// uprobes through the libbpf API: on a function of this test binary found
// by name (argument and return value seen by the programs), by raw file
// offset with a cookie, on a libc function named by library, and
// uprobe.multi. Each test proves the hits and that a destroyed link stops
// them.
#include "elf/elf_reader.h"
#include "elf/func_offset.h"
#include "link_support.h"
#include "sys/features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

// The probed functions: noinline and with a side effect the compiler
// cannot drop, so each call really runs them.
extern "C" {
__attribute__((noinline)) int bpfxx_uprobe_target(int x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}
__attribute__((noinline)) int bpfxx_uprobe_multi_a(int x) {
  asm volatile("" ::: "memory");
  return x + 1;
}
__attribute__((noinline)) int bpfxx_uprobe_multi_b(int x) {
  asm volatile("" ::: "memory");
  return x + 2;
}
}

namespace bpfxx::test {
namespace {

// The calls go through a volatile pointer, so they stay real calls.
int call_target(int x) {
  int (*volatile fn)(int) = bpfxx_uprobe_target;
  return fn(x);
}

std::string self_exe() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

class LinkUprobe : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_probe"));
    // Only the uprobe programs: the kprobe ones belong to link_probe_test.
    autoload_off({"on_openat", "on_openat_ret", "on_getppid", "on_openat_multi"});
    if (!sys::has_feature(sys::Feature::UprobeMultiLink)) autoload_off({"on_multi"});
    load();
  }
};

TEST_F(LinkUprobe, EntryAndReturnOfATestFunctionByName) {
  LIBBPF_OPTS(bpf_uprobe_opts, entry_opts, .bpf_cookie = 0x5150, .func_name = "bpfxx_uprobe_target");
  LinkPtr entry(bpf_program__attach_uprobe_opts(prog("on_target_entry"), 0, "/proc/self/exe", 0, &entry_opts));
  ASSERT_NE(entry, nullptr) << std::strerror(errno);
  LIBBPF_OPTS(bpf_uprobe_opts, ret_opts, .retprobe = true, .func_name = "bpfxx_uprobe_target");
  LinkPtr ret(bpf_program__attach_uprobe_opts(prog("on_target_return"), -1, self_exe().c_str(), 0, &ret_opts));
  ASSERT_NE(ret, nullptr) << std::strerror(errno);

  EXPECT_EQ(call_target(14), 43);
  EXPECT_EQ(call_target(20), 61);
  EXPECT_EQ(global("up_hits"), 2u);
  EXPECT_EQ(global("up_arg"), 20u);
  EXPECT_EQ(global("up_cookie"), 0x5150u);
  EXPECT_EQ(global("uret_hits"), 2u);
  EXPECT_EQ(global("uret_value"), 61u);

  entry.reset();
  ret.reset();
  call_target(1);
  EXPECT_EQ(global("up_hits"), 2u) << "the uprobe still fired after its link was destroyed";
  EXPECT_EQ(global("uret_hits"), 2u);
}

TEST_F(LinkUprobe, ByFileOffsetTheResolverAgreesWith) {
  // The offset an independent read of the symbol table gives, attached raw.
  // Read in one piece: a character-by-character read of the 100 MB test
  // binary takes seconds.
  std::ifstream in(self_exe(), std::ios::binary | std::ios::ate);
  std::vector<uint8_t> bytes(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  ASSERT_TRUE(in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())));
  auto elf = elf::Reader::open(bytes, "self");
  ASSERT_TRUE(elf) << elf.message();
  auto off = elf::func_file_offset(*elf, "bpfxx_uprobe_target");
  ASSERT_TRUE(off) << off.message();
  LinkPtr link(bpf_program__attach_uprobe(prog("on_target_entry"), false, 0, self_exe().c_str(), *off));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  call_target(5);
  EXPECT_EQ(global("up_hits"), 1u);
  EXPECT_EQ(global("up_arg"), 5u);
}

TEST_F(LinkUprobe, LibcFunctionByLibraryNameThroughAutoAttach) {
  LinkPtr link(bpf_program__attach(prog("on_libc_getpid")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  for (int i = 0; i < 4; i++) getpid();
  EXPECT_GE(global("libc_hits"), 4u);
  const __u64 hits = global("libc_hits");
  link.reset();
  getpid();
  EXPECT_EQ(global("libc_hits"), hits);
}

TEST_F(LinkUprobe, LibcFunctionByNameExplicitly) {
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "getpid");
  LinkPtr link(bpf_program__attach_uprobe_opts(prog("on_libc_getpid"), 0, "libc.so.6", 0, &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  for (int i = 0; i < 3; i++) getpid();
  EXPECT_EQ(global("libc_hits"), 3u);
}

TEST_F(LinkUprobe, UnknownFunctionAndLibraryAreNamed) {
  FullPrintCapture capture;
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "bpfxx_no_such_function");
  EXPECT_EQ(bpf_program__attach_uprobe_opts(prog("on_target_entry"), 0, "/proc/self/exe", 0, &opts), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("prog 'on_target_entry'"), std::string::npos) << capture.text();
  EXPECT_NE(capture.text().find("no function 'bpfxx_no_such_function'"), std::string::npos) << capture.text();
  LIBBPF_OPTS(bpf_uprobe_opts, lib_opts, .func_name = "f");
  EXPECT_EQ(bpf_program__attach_uprobe_opts(prog("on_target_entry"), 0, "libbpfxx_nowhere.so", 0, &lib_opts),
            nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(capture.text().find("library 'libbpfxx_nowhere.so' not found"), std::string::npos) << capture.text();
}

TEST_F(LinkUprobe, MultiOnTwoFunctionsWithCookies) {
  if (!sys::has_feature(sys::Feature::UprobeMultiLink)) {
    GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::UprobeMultiLink);
  }
  const char* syms[] = {"bpfxx_uprobe_multi_a", "bpfxx_uprobe_multi_b"};
  const __u64 cookies[] = {10, 200};
  LIBBPF_OPTS(bpf_uprobe_multi_opts, opts, .syms = syms, .cookies = cookies, .cnt = 2);
  LinkPtr link(bpf_program__attach_uprobe_multi(prog("on_multi"), getpid(), self_exe().c_str(), nullptr, &opts));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  int (*volatile a)(int) = bpfxx_uprobe_multi_a;
  int (*volatile b)(int) = bpfxx_uprobe_multi_b;
  EXPECT_EQ(a(1) + b(1), 5);
  EXPECT_EQ(global("multi_hits"), 2u);
  EXPECT_EQ(global("multi_cookie_sum"), 210u);
  link.reset();
  a(1);
  EXPECT_EQ(global("multi_hits"), 2u);
}

TEST_F(LinkUprobe, MultiByPattern) {
  if (!sys::has_feature(sys::Feature::UprobeMultiLink)) {
    GTEST_SKIP() << "kernel feature missing: " << sys::feature_description(sys::Feature::UprobeMultiLink);
  }
  LinkPtr link(bpf_program__attach_uprobe_multi(prog("on_multi"), -1, self_exe().c_str(), "bpfxx_uprobe_multi_?",
                                                nullptr));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  int (*volatile a)(int) = bpfxx_uprobe_multi_a;
  int (*volatile b)(int) = bpfxx_uprobe_multi_b;
  a(0);
  b(0);
  b(0);
  EXPECT_EQ(global("multi_hits"), 3u);
}

}  // namespace
}  // namespace bpfxx::test
