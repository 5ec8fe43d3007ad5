// USDT probes through the libbpf API. The probes are real SystemTap SDT
// probes (<sys/sdt.h>) compiled into this test binary: register, constant,
// memory (base+offset and scale-index-base) arguments of 1 to 8 bytes, each
// with a semaphore; and libstdc++'s libstdcxx:throw probe in a shared
// library. Each test proves what the BPF side read through
// <bpf/usdt.bpf.h> (exact argument values, sizes, the USDT cookie), and
// that a destroyed link stops the hits and drops the semaphore again.
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

#include "link_support.h"
#include "sys/features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <typeinfo>

// The semaphores <sys/sdt.h> names <provider>_<name>_semaphore; the kernel
// counts them up while a uprobe with a reference counter is attached.
extern "C" {
unsigned short bpfxx_test_args3_semaphore __attribute__((section(".probes"), used)) = 0;
unsigned short bpfxx_test_mixed_semaphore __attribute__((section(".probes"), used)) = 0;
unsigned short bpfxx_test_sib_semaphore __attribute__((section(".probes"), used)) = 0;
unsigned short bpfxx_test_gated_semaphore __attribute__((section(".probes"), used)) = 0;
unsigned short bpfxx_test_twice_semaphore __attribute__((section(".probes"), used)) = 0;

// -4@%edi -4@$-7 -8@(%rsi) with GCC -O2.
__attribute__((noinline)) void bpfxx_usdt_args3(int x, const long* mem) {
  DTRACE_PROBE3(bpfxx_test, args3, x, -7, *mem);
}
// -1@%dil 2@%si -8@-8(%rsp) 8@%rcx: narrow registers and a stack slot.
__attribute__((noinline)) void bpfxx_usdt_mixed(signed char c, unsigned short s, long v, uint64_t big) {
  volatile long local = v;
  DTRACE_PROBE4(bpfxx_test, mixed, c, s, local, big);
}
// -8@(%rdi,%rsi,8) -8@16(%rdi,%rsi,8): scale-index-base memory operands.
__attribute__((noinline)) void bpfxx_usdt_sib(const long* arr, long i) {
  DTRACE_PROBE2(bpfxx_test, sib, arr[i], arr[i + 2]);
}
// One probe at two sites with the same argument spec (-4@%edi).
// Identical functions must stay two (GCC folds identical ones at -O2).
#if defined(__clang__)
#define BPFXX_NO_FOLD __attribute__((noinline))
#else
#define BPFXX_NO_FOLD __attribute__((noipa))
#endif
BPFXX_NO_FOLD void bpfxx_usdt_twice_a(int v) { DTRACE_PROBE1(bpfxx_test, twice, v); }
BPFXX_NO_FOLD void bpfxx_usdt_twice_b(int v) { DTRACE_PROBE1(bpfxx_test, twice, v); }
// Fires only while someone is attached (the semaphore is non-zero).
__attribute__((noinline)) int bpfxx_usdt_gated(int v) {
  if (bpfxx_test_gated_semaphore != 0) {
    DTRACE_PROBE1(bpfxx_test, gated, v);
    return 1;
  }
  return 0;
}
}

namespace bpfxx::test {
namespace {

constexpr int kSeenArgs = 6;

// struct seen of attach_usdt.bpf.c.
struct Seen {
  uint64_t hits;
  long cookie;
  long arg_cnt;
  long sizes[kSeenArgs];
  long vals[kSeenArgs];
  long errs[kSeenArgs];
};

// Calls through volatile pointers, so they stay real calls.
void fire_args3(int x, long m) {
  void (*volatile fn)(int, const long*) = bpfxx_usdt_args3;
  fn(x, &m);
}
void fire_mixed(signed char c, unsigned short s, long v, uint64_t big) {
  void (*volatile fn)(signed char, unsigned short, long, uint64_t) = bpfxx_usdt_mixed;
  fn(c, s, v, big);
}
void fire_sib(const long* arr, long i) {
  void (*volatile fn)(const long*, long) = bpfxx_usdt_sib;
  fn(arr, i);
}
void fire_twice(int v) {
  void (*volatile a)(int) = bpfxx_usdt_twice_a;
  void (*volatile b)(int) = bpfxx_usdt_twice_b;
  a(v);
  b(v + 1000);
}
int fire_gated(int v) {
  int (*volatile fn)(int) = bpfxx_usdt_gated;
  return fn(v);
}

int open_fd_count() {
  int n = 0;
  for (int fd = 0; fd < 4096; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) n++;
  }
  return n;
}

std::set<int> open_fds() {
  std::set<int> fds;
  for (int fd = 0; fd < 4096; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) fds.insert(fd);
  }
  return fds;
}

// Closes fds nobody owns any more (those of disconnected probe links),
// which detaches their probes.
struct OrphanFds {
  std::set<int> fds;
  ~OrphanFds() {
    for (int fd : fds) close(fd);
  }
};

class LinkUsdt : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_usdt"));
    autoload_off({"bad_section"});
  }

  Seen seen(int slot) { return element<Seen>("seen", static_cast<size_t>(slot)); }
  long global(const char* name) { return ProgObjectTest::global<long>(name); }

  LinkPtr attach(const char* prog_name, const char* probe, uint64_t cookie, pid_t pid = 0) {
    LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = cookie);
    return LinkPtr(bpf_program__attach_usdt(prog(prog_name), pid, "/proc/self/exe", "bpfxx_test", probe, &opts));
  }
};

TEST_F(LinkUsdt, RegisterConstantAndMemoryArgumentsWithCookie) {
  load();
  EXPECT_EQ(bpfxx_test_args3_semaphore, 0);
  LinkPtr link = attach("on_usdt", "args3", 0xc001);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_EQ(bpfxx_test_args3_semaphore, 1) << "the semaphore is counted once while attached";

  fire_args3(11, 1000);
  fire_args3(-42, 0x123456789a);
  Seen s = seen(1);
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.cookie, 0xc001);
  EXPECT_EQ(s.arg_cnt, 3);
  EXPECT_EQ(s.sizes[0], 4);
  EXPECT_EQ(s.sizes[1], 4);
  EXPECT_EQ(s.sizes[2], 8);
  EXPECT_EQ(s.errs[0], 0);
  EXPECT_EQ(s.errs[1], 0);
  EXPECT_EQ(s.errs[2], 0);
  EXPECT_EQ(s.vals[0], -42) << "a signed 32-bit register, sign-extended";
  EXPECT_EQ(s.vals[1], -7) << "a constant";
  EXPECT_EQ(s.vals[2], 0x123456789a) << "memory at (%rsi)";
  EXPECT_EQ(s.sizes[3], -ENOENT) << "no fourth argument";
  EXPECT_EQ(s.errs[3], -ENOENT);

  link.reset();
  EXPECT_EQ(bpfxx_test_args3_semaphore, 0) << "the semaphore drops with the link";
  fire_args3(1, 2);
  EXPECT_EQ(seen(1).hits, 2u) << "no hits after the link is destroyed";
}

TEST_F(LinkUsdt, NarrowRegistersAndStackMemory) {
  load();
  LinkPtr link = attach("on_usdt", "mixed", 2);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  fire_mixed(-5, 60000, -123456789, uint64_t{1} << 40 | 7);
  const Seen s = seen(2);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.arg_cnt, 4);
  EXPECT_EQ(s.sizes[0], 1);
  EXPECT_EQ(s.sizes[1], 2);
  EXPECT_EQ(s.sizes[2], 8);
  EXPECT_EQ(s.sizes[3], 8);
  EXPECT_EQ(s.vals[0], -5) << "signed byte register";
  EXPECT_EQ(s.vals[1], 60000) << "unsigned 16-bit register, not sign-extended";
  EXPECT_EQ(s.vals[2], -123456789) << "a stack slot";
  EXPECT_EQ(s.vals[3], (long{1} << 40) | 7);
}

TEST_F(LinkUsdt, ScaleIndexBaseMemory) {
  load();
  LinkPtr link = attach("on_usdt", "sib", 3);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const long arr[] = {10, 20, 30, 40, 50, 60};
  fire_sib(arr, 1);
  const Seen s = seen(3);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.arg_cnt, 2);
  EXPECT_EQ(s.vals[0], 20);
  EXPECT_EQ(s.vals[1], 40);
}

TEST_F(LinkUsdt, SemaphoreGatedProbeFiresOnlyWhileAttached) {
  load();
  EXPECT_EQ(fire_gated(1), 0) << "nobody attached yet";
  LinkPtr link = attach("on_usdt", "gated", 0);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  EXPECT_EQ(fire_gated(77), 1);
  EXPECT_EQ(seen(0).hits, 1u);
  EXPECT_EQ(seen(0).vals[0], 77);
  ASSERT_EQ(bpf_link__destroy(link.release()), 0);
  EXPECT_EQ(fire_gated(2), 0) << "the semaphore is back to 0";
  EXPECT_EQ(seen(0).hits, 1u);
}

TEST_F(LinkUsdt, BpfUsdtMacroSeesTypedArguments) {
  load();
  LinkPtr link = attach("on_args3", "args3", 0);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  fire_args3(-3, 987654321012);
  EXPECT_EQ(global("macro_hits"), 1);
  EXPECT_EQ(global("macro_x"), -3);
  EXPECT_EQ(global("macro_k"), -7);
  EXPECT_EQ(global("macro_m"), 987654321012);
}

TEST_F(LinkUsdt, TwoLinksOfOneProgramKeepTheirOwnSpecs) {
  load();
  LinkPtr a = attach("on_usdt", "args3", 1);
  LinkPtr b = attach("on_usdt", "mixed", 2);
  ASSERT_NE(a, nullptr) << std::strerror(errno);
  ASSERT_NE(b, nullptr) << std::strerror(errno);
  fire_mixed(1, 2, 3, 4);
  fire_args3(5, 6);
  EXPECT_EQ(seen(1).hits, 1u);
  EXPECT_EQ(seen(1).vals[0], 5);
  EXPECT_EQ(seen(2).hits, 1u);
  EXPECT_EQ(seen(2).vals[3], 4);
}

TEST_F(LinkUsdt, PidFilter) {
  load();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  // Every process counts on the BPF side; the kernel filters by pid.
  set_global<int>("target_pid", 0);
  LinkPtr other = attach("on_usdt", "args3", 1, child);
  ASSERT_NE(other, nullptr) << std::strerror(errno);
  fire_args3(1, 1);
  EXPECT_EQ(seen(1).hits, 0u) << "attached to another process only";
  other.reset();
  LinkPtr self = attach("on_usdt", "args3", 1, getpid());
  ASSERT_NE(self, nullptr) << std::strerror(errno);
  fire_args3(1, 1);
  EXPECT_EQ(seen(1).hits, 1u);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST_F(LinkUsdt, AutoAttachToSharedLibraryProbe) {
  load();
  LinkPtr link(bpf_program__attach(prog("on_throw")));
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  try {
    throw 5;
  } catch (int) {
  }
  EXPECT_GE(global("throw_hits"), 1);
  EXPECT_EQ(global("throw_tinfo"), reinterpret_cast<long>(&typeid(int)))
      << "libstdcxx:throw's second argument is the thrown type's type_info";
  const long hits = global("throw_hits");
  link.reset();
  try {
    throw 6;
  } catch (int) {
  }
  EXPECT_EQ(global("throw_hits"), hits);
}

TEST_F(LinkUsdt, UprobeMultiLinkWhenLoadedForIt) {
  if (!sys::has_feature(sys::Feature::UprobeMultiLink)) {
    GTEST_SKIP() << "this kernel has no uprobe.multi links";
  }
  ASSERT_EQ(bpf_program__set_expected_attach_type(prog("on_usdt"), BPF_TRACE_UPROBE_MULTI), 0);
  load();
  LinkPtr link = attach("on_usdt", "args3", 1);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  ASSERT_GE(bpf_link__fd(link.get()), 0) << "one uprobe.multi link";
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_UPROBE_MULTI);
  EXPECT_GT(bpfxx_test_args3_semaphore, 0);
  fire_args3(9, 99);
  EXPECT_EQ(seen(1).hits, 1u);
  EXPECT_EQ(seen(1).cookie, 1);
  EXPECT_EQ(seen(1).vals[0], 9);
  EXPECT_EQ(seen(1).vals[2], 99);
  link.reset();
  EXPECT_EQ(bpfxx_test_args3_semaphore, 0);
  fire_args3(9, 99);
  EXPECT_EQ(seen(1).hits, 1u);
}

TEST_F(LinkUsdt, SpecSlotsRunOutAndComeBack) {
  bpf_map* specs = bpf_object__find_map_by_name(obj_.get(), "__bpf_usdt_specs");
  ASSERT_NE(specs, nullptr);
  ASSERT_EQ(bpf_map__set_max_entries(specs, 2), 0);
  load();
  LinkPtr a = attach("on_usdt", "args3", 1);
  LinkPtr b = attach("on_usdt", "mixed", 2);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  {
    FullPrintCapture cap;
    LinkPtr c = attach("on_usdt", "sib", 3);
    EXPECT_EQ(c, nullptr);
    EXPECT_EQ(errno, E2BIG);
    EXPECT_NE(cap.text().find("all 2 slots of __bpf_usdt_specs are in use"), std::string::npos) << cap.text();
  }
  a.reset();
  LinkPtr c = attach("on_usdt", "sib", 3);
  ASSERT_NE(c, nullptr) << "the slot of the destroyed link is reused";
  const long arr[] = {1, 2, 3, 4};
  fire_sib(arr, 0);
  fire_mixed(1, 2, 3, 4);
  EXPECT_EQ(seen(3).vals[1], 3);
  EXPECT_EQ(seen(2).vals[2], 3) << "the other link's spec is untouched";
}

TEST_F(LinkUsdt, TwoSitesWithOneSpecShareASlot) {
  bpf_map* specs = bpf_object__find_map_by_name(obj_.get(), "__bpf_usdt_specs");
  ASSERT_NE(specs, nullptr);
  ASSERT_EQ(bpf_map__set_max_entries(specs, 1), 0);
  load();
  LinkPtr link = attach("on_usdt", "twice", 1);
  ASSERT_NE(link, nullptr) << "both sites fit in one slot: " << std::strerror(errno);
  EXPECT_EQ(bpfxx_test_twice_semaphore, 2) << "the kernel counts the semaphore once per probed site";
  fire_twice(5);
  EXPECT_EQ(seen(1).hits, 2u) << "both sites probed";
  EXPECT_EQ(seen(1).vals[0], 5 + 1000) << "the second site ran last";
  link.reset();
  EXPECT_EQ(bpfxx_test_twice_semaphore, 0);
}

TEST_F(LinkUsdt, ErrorsNameTheProblem) {
  load();
  const int fds = open_fd_count();
  {
    FullPrintCapture cap;
    EXPECT_EQ(attach("on_usdt", "no_such_probe", 0), nullptr);
    EXPECT_EQ(errno, ENOENT);
    EXPECT_NE(cap.text().find("has no USDT probe bpfxx_test:no_such_probe"), std::string::npos) << cap.text();
  }
  {
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach_usdt(prog("on_usdt"), 0, "/proc/self/exe", "bpfxx_test", "", nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
  }
  {
    LIBBPF_OPTS(bpf_usdt_opts, opts);
    EXPECT_EQ(bpf_program__attach_usdt(prog("on_usdt"), 0, "/no/such/binary", "p", "n", &opts), nullptr);
    EXPECT_EQ(errno, ENOENT);
  }
  {
    // A bad tail of an opts struct from a newer caller.
    struct {
      bpf_usdt_opts o;
      uint64_t extra;
    } big{};
    big.o.sz = sizeof big;
    big.extra = 1;
    EXPECT_EQ(bpf_program__attach_usdt(prog("on_usdt"), 0, "/proc/self/exe", "bpfxx_test", "args3", &big.o),
              nullptr);
    EXPECT_EQ(errno, EINVAL);
  }
  EXPECT_EQ(open_fd_count(), fds) << "failed attaches leave no fd behind";
}

TEST_F(LinkUsdt, BadSectionAndUnloadedProgram) {
  bpf_program__set_autoload(prog("bad_section"), true);
  bpf_program__set_autoload(prog("on_throw"), false);
  load();
  {
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach(prog("bad_section")), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("is not of the form usdt/<path>:<provider>:<name>"), std::string::npos) << cap.text();
  }
  {
    FullPrintCapture cap;
    EXPECT_EQ(bpf_program__attach_usdt(prog("on_throw"), 0, "/proc/self/exe", "bpfxx_test", "args3", nullptr),
              nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(cap.text().find("not loaded"), std::string::npos) << cap.text();
  }
}

TEST_F(LinkUsdt, ObjectWithoutUsdtMapsIsRefused) {
  ObjectPtr other = open_prog_object("attach_probe");
  ASSERT_NE(other, nullptr);
  autoload_only(other.get(), {"on_target_entry"});
  bpf_program* target = must_find_program(other.get(), "on_target_entry");
  ASSERT_EQ(bpf_object__load(other.get()), 0) << std::strerror(errno);
  FullPrintCapture cap;
  EXPECT_EQ(bpf_program__attach_usdt(target, 0, "/proc/self/exe", "bpfxx_test", "args3", nullptr), nullptr);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_NE(cap.text().find("include <bpf/usdt.bpf.h>"), std::string::npos) << cap.text();
}

TEST_F(LinkUsdt, LinkOutlivesItsObject) {
  load();
  LinkPtr link = attach("on_usdt", "args3", 1);
  ASSERT_NE(link, nullptr);
  obj_.reset();
  fire_args3(1, 2);  // the program still runs; nothing to read any more
  EXPECT_GT(bpfxx_test_args3_semaphore, 0);
  link.reset();
  EXPECT_EQ(bpfxx_test_args3_semaphore, 0);
}

TEST_F(LinkUsdt, DisconnectedLinkKeepsItsSpecSlot) {
  load();
  const std::set<int> before = open_fds();
  bpf_link* a = attach("on_usdt", "args3", 1).release();
  ASSERT_NE(a, nullptr) << std::strerror(errno);
  bpf_link__disconnect(a);
  ASSERT_EQ(bpf_link__destroy(a), 0);
  // A's probes stay attached through fds nobody owns now (as with libbpf);
  // the test closes them at the end, which detaches them.
  OrphanFds orphans;
  for (int fd : open_fds()) {
    if (before.count(fd) == 0) orphans.fds.insert(fd);
  }
  EXPECT_FALSE(orphans.fds.empty()) << "the disconnected probes keep their fds";
  EXPECT_EQ(bpfxx_test_args3_semaphore, 1) << "A's probe is still attached";

  // B has another spec and cookie; it must not reuse A's slot.
  LinkPtr b = attach("on_usdt", "mixed", 2);
  ASSERT_NE(b, nullptr) << std::strerror(errno);
  fire_args3(-9, 0x55aa55aa55);
  fire_mixed(3, 4, 5, 6);
  const Seen sa = seen(1);
  EXPECT_EQ(sa.hits, 1u);
  EXPECT_EQ(sa.cookie, 1) << "A's cookie, not B's";
  EXPECT_EQ(sa.arg_cnt, 3);
  EXPECT_EQ(sa.vals[0], -9);
  EXPECT_EQ(sa.vals[1], -7);
  EXPECT_EQ(sa.vals[2], 0x55aa55aa55);
  const Seen sb = seen(2);
  EXPECT_EQ(sb.hits, 1u);
  EXPECT_EQ(sb.arg_cnt, 4);
  EXPECT_EQ(sb.vals[3], 6);

  b.reset();
  for (int fd : orphans.fds) close(fd);
  orphans.fds.clear();
  EXPECT_EQ(bpfxx_test_args3_semaphore, 0) << "closing the orphaned fds detached A's probe";
  fire_args3(1, 2);
  EXPECT_EQ(seen(1).hits, 1u);
}

TEST_F(LinkUsdt, ObjectsUseLibbpf17SpecLayout) {
  load();
  EXPECT_EQ(bpf_map__value_size(bpf_object__find_map_by_name(obj_.get(), "__bpf_usdt_specs")), 304u)
      << "<bpf/usdt.bpf.h> declares libbpf 1.7's 24-byte argument spec";
}

// An object built with the older 208-byte spec (as with libbpf <= 1.6's
// header) is given specs in that layout.
class LinkUsdtCompact : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object_for_this_process("attach_usdt_compact"));
  }
  long global(const char* name, size_t index = 0) { return element<long>(name, index); }
  LinkPtr attach(const char* probe, uint64_t cookie) {
    LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = cookie);
    return LinkPtr(
        bpf_program__attach_usdt(prog("on_usdt_compact"), 0, "/proc/self/exe", "bpfxx_test", probe, &opts));
  }
};

TEST_F(LinkUsdtCompact, RegisterConstantAndMemoryArguments) {
  load();
  EXPECT_EQ(bpf_map__value_size(bpf_object__find_map_by_name(obj_.get(), "__bpf_usdt_specs")), 208u);
  LinkPtr link = attach("args3", 0xabc);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  fire_args3(-42, 0x123456789a);
  EXPECT_EQ(global("hits"), 1);
  EXPECT_EQ(global("cookie"), 0xabc);
  EXPECT_EQ(global("arg_cnt"), 3);
  EXPECT_EQ(global("errs", 0), 0);
  EXPECT_EQ(global("vals", 0), -42);
  EXPECT_EQ(global("vals", 1), -7);
  EXPECT_EQ(global("vals", 2), 0x123456789a);
}

TEST_F(LinkUsdtCompact, ScaleIndexBaseMemory) {
  load();
  LinkPtr link = attach("sib", 5);
  ASSERT_NE(link, nullptr) << std::strerror(errno);
  const long arr[] = {10, 20, 30, 40, 50, 60};
  fire_sib(arr, 2);
  EXPECT_EQ(global("hits"), 1);
  EXPECT_EQ(global("cookie"), 5);
  EXPECT_EQ(global("arg_cnt"), 2);
  EXPECT_EQ(global("errs", 0), 0);
  EXPECT_EQ(global("errs", 1), 0);
  EXPECT_EQ(global("vals", 0), 30);
  EXPECT_EQ(global("vals", 1), 50);
}

TEST_F(LinkUsdtCompact, UnknownSpecSizeIsRefused) {
  bpf_map* specs = bpf_object__find_map_by_name(obj_.get(), "__bpf_usdt_specs");
  ASSERT_NE(specs, nullptr);
  ASSERT_EQ(bpf_map__set_value_size(specs, 256), 0);
  load();
  FullPrintCapture cap;
  EXPECT_EQ(attach("args3", 1), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("value size 256"), std::string::npos) << cap.text();
}

}  // namespace
}  // namespace bpfxx::test
