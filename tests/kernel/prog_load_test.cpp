// bpf_prog_load with hand-assembled programs: socket filter, XDP and
// syscall programs, with and without a verifier log; a program the verifier
// refuses, its log at levels 1, 2 and 4 (stats); log_true_size; a log buffer
// too small for the log.
#include "bpf_test_util.h"
#include "sys/features.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

using namespace insn;

// Kernel verifier log levels (not part of the uapi header).
constexpr __u32 kLogLevel1 = 1;
constexpr __u32 kLogLevel2 = 2;
constexpr __u32 kLogStats = 4;
constexpr __u32 kLogFixed = 8;  // keep the head of an overlong log, not the tail

// Kernels with the reworked verifier log report the size the whole log
// needs; older ones leave log_true_size at 0, which libbpf and the library
// hand back as is.
bool kernel_reports_log_size() { return bpfxx::sys::has_feature(bpfxx::sys::Feature::ProgLogTrueSize); }

__u32 expected_true_size(size_t log_len) {
  return kernel_reports_log_size() ? static_cast<__u32>(log_len + 1) : 0u;
}

// return skb->len
Program skb_len_prog() {
  return Program{ldx_mem(BPF_W, R0, R1, offsetof(__sk_buff, len)), exit_insn()};
}

TEST(ProgLoad, SocketFilterWithoutLog) {
  BPFXX_REQUIRE_ROOT();
  Program p = skb_len_prog();
  UniqueFd fd = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "sock_len", p);
  BPFXX_ASSERT_FD(fd, "loading a socket filter");
  EXPECT_GT(fd.get(), 2) << "expected a program fd outside the standard streams";
  int rc = -1;
  bpf_prog_info info = prog_info(fd.get(), &rc);
  ASSERT_EQ(rc, 0) << "expected bpf_prog_get_info_by_fd to succeed";
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_PROG_TYPE_SOCKET_FILTER)) << "expected the program type";
  EXPECT_STREQ(info.name, "sock_len") << "expected the program name";
  EXPECT_EQ(info.xlated_prog_len, p.size() * sizeof(bpf_insn))
      << "expected the translated program to keep its " << p.size() << " instructions";
  EXPECT_NE(info.id, 0u) << "expected a program id";
}

TEST(ProgLoad, XdpWithLogLevel1) {
  BPFXX_REQUIRE_ROOT();
  std::vector<char> log(4096, 'x');
  log[0] = 0;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = log.data();
  opts.log_size = static_cast<__u32>(log.size());
  opts.log_level = kLogLevel1;
  Program p = return_imm(XDP_PASS);
  UniqueFd fd = load_prog(BPF_PROG_TYPE_XDP, "xdp_pass", p, &opts);
  BPFXX_ASSERT_FD(fd, "loading an XDP program with a log") << " log: " << log.data();
  EXPECT_EQ(prog_info(fd.get()).type, static_cast<__u32>(BPF_PROG_TYPE_XDP));
  ASSERT_LT(std::strlen(log.data()), log.size()) << "expected a NUL-terminated log";
  EXPECT_EQ(opts.log_true_size, expected_true_size(std::strlen(log.data())))
      << "expected log_true_size to be the log's length plus its NUL (0 if the kernel does not say)";
}

TEST(ProgLoad, XdpWithLogLevel2ShowsInstructions) {
  BPFXX_REQUIRE_ROOT();
  std::vector<char> log(65536);
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = log.data();
  opts.log_size = static_cast<__u32>(log.size());
  opts.log_level = kLogLevel2;
  Program p = return_imm(XDP_PASS);
  UniqueFd fd = load_prog(BPF_PROG_TYPE_XDP, "xdp_pass", p, &opts);
  BPFXX_ASSERT_FD(fd, "loading an XDP program with a level-2 log") << " log: " << log.data();
  std::string text = log.data();
  EXPECT_NE(text.find("r0 = 2"), std::string::npos)
      << "expected the level-2 log to trace the instruction 'r0 = 2', got: " << text;
  EXPECT_EQ(opts.log_true_size, expected_true_size(text.size())) << "expected log_true_size = strlen(log) + 1";
}

TEST(ProgLoad, SyscallProgramNeedsSleepable) {
  BPFXX_REQUIRE_ROOT();
  Program p = return_imm(0);
  std::string log;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  errno = 0;
  UniqueFd bad = load_prog_logged(BPF_PROG_TYPE_SYSCALL, "sys_nosleep", p, &opts, &log);
  EXPECT_FALSE(bad.valid()) << "expected a syscall program without BPF_F_SLEEPABLE to be refused";
  EXPECT_EQ(bad.get(), -EINVAL) << "expected -EINVAL";
  EXPECT_EQ(errno, EINVAL) << "expected errno EINVAL";
  EXPECT_NE(log.find("leepable"), std::string::npos)
      << "expected the verifier to say syscall programs must be sleepable, got: " << log;

  opts.prog_flags = BPF_F_SLEEPABLE;
  UniqueFd good = load_prog_logged(BPF_PROG_TYPE_SYSCALL, "sys_sleep", p, &opts, &log);
  BPFXX_ASSERT_FD(good, "loading a sleepable syscall program") << " log: " << log;
  EXPECT_EQ(prog_info(good.get()).type, static_cast<__u32>(BPF_PROG_TYPE_SYSCALL));
}

// The verifier refuses the program; returns the log.
std::string load_invalid(__u32 level, int* rc, int* err, __u32* true_size, size_t buf = 65536) {
  std::vector<char> log(buf, 'Z');
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = log.data();
  opts.log_size = static_cast<__u32>(log.size());
  opts.log_level = level;
  opts.log_true_size = 0xdeadbeef;
  Program p = reads_uninitialized_r2();
  errno = 0;
  *rc = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bad", "GPL", p.data(), p.size(), &opts);
  *err = errno;
  *true_size = opts.log_true_size;
  if (*rc >= 0) close(*rc);
  // The kernel always NUL-terminates what it wrote.
  if (std::find(log.begin(), log.end(), '\0') == log.end()) return "<log not NUL-terminated>";
  return log.data();
}

TEST(ProgLoad, InvalidProgramLevel1LogHasVerifierMessage) {
  BPFXX_REQUIRE_ROOT();
  int rc, e;
  __u32 true_size;
  std::string log = load_invalid(kLogLevel1, &rc, &e, &true_size);
  EXPECT_EQ(rc, -EACCES) << "expected the verifier to refuse reading r2 with -EACCES";
  EXPECT_EQ(e, EACCES) << "expected errno EACCES";
  EXPECT_NE(log.find("R2 !read_ok"), std::string::npos)
      << "expected the verifier's 'R2 !read_ok' in the level-1 log, got: " << log;
  EXPECT_EQ(true_size, expected_true_size(log.size())) << "expected log_true_size = strlen(log) + 1";
}

TEST(ProgLoad, InvalidProgramLevel2LogHasInstructionTrace) {
  BPFXX_REQUIRE_ROOT();
  int rc, e;
  __u32 true_size;
  std::string log = load_invalid(kLogLevel2, &rc, &e, &true_size);
  EXPECT_EQ(rc, -EACCES) << "expected -EACCES";
  EXPECT_EQ(e, EACCES) << "expected errno EACCES";
  EXPECT_NE(log.find("R2 !read_ok"), std::string::npos)
      << "expected 'R2 !read_ok' in the level-2 log, got: " << log;
  EXPECT_NE(log.find("r0 = r2"), std::string::npos)
      << "expected the level-2 log to show the failing instruction 'r0 = r2', got: " << log;
  EXPECT_EQ(true_size, expected_true_size(log.size())) << "expected log_true_size = strlen(log) + 1";
}

TEST(ProgLoad, StatsLogLevelReportsProcessedInstructions) {
  BPFXX_REQUIRE_ROOT();
  int rc, e;
  __u32 true_size;
  std::string log = load_invalid(kLogStats, &rc, &e, &true_size);
  EXPECT_EQ(rc, -EACCES) << "expected -EACCES";
  EXPECT_EQ(e, EACCES) << "expected errno EACCES";
  EXPECT_NE(log.find("processed"), std::string::npos)
      << "expected the stats log (level 4) to report processed instructions, got: " << log;

  // Level 1 | 4: the message and the statistics.
  log = load_invalid(kLogLevel1 | kLogStats, &rc, &e, &true_size);
  EXPECT_NE(log.find("R2 !read_ok"), std::string::npos) << "expected the message, got: " << log;
  EXPECT_NE(log.find("processed"), std::string::npos) << "expected the statistics, got: " << log;

  // A good program with stats only.
  std::vector<char> buf(4096);
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = buf.data();
  opts.log_size = static_cast<__u32>(buf.size());
  opts.log_level = kLogStats;
  UniqueFd fd = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "good", return_imm(0), &opts);
  BPFXX_ASSERT_FD(fd, "loading a good program with a stats log");
  EXPECT_NE(std::string(buf.data()).find("processed 2 insns"), std::string::npos)
      << "expected 'processed 2 insns' for a two-instruction program, got: " << buf.data();
}

TEST(ProgLoad, TooSmallLogBufferIsEnospcWithTruncatedLog) {
  BPFXX_REQUIRE_ROOT();
  int rc, e;
  __u32 full_size;
  std::string full = load_invalid(kLogLevel2, &rc, &e, &full_size);
  ASSERT_GT(full.size(), 40u) << "expected a level-2 log longer than the small buffer";

  __u32 true_size;
  if (!kernel_reports_log_size()) {
    // Older kernels know no BPF_LOG_FIXED and want at least 128 bytes: both
    // are refused with EINVAL. A log that does not fit keeps its head.
    std::string refused = load_invalid(kLogLevel2 | kLogFixed, &rc, &e, &true_size, 4096);
    EXPECT_EQ(rc, -EINVAL) << "expected BPF_LOG_FIXED to be refused";
    EXPECT_EQ(e, EINVAL);
    refused = load_invalid(kLogLevel2, &rc, &e, &true_size, 32);
    EXPECT_EQ(rc, -EINVAL) << "expected a 32-byte log buffer to be refused";
    EXPECT_EQ(e, EINVAL);
    constexpr size_t kOldMinimum = 128;
    ASSERT_GT(full.size(), kOldMinimum) << "expected a level-2 log longer than 128 bytes";
    std::string head = load_invalid(kLogLevel2, &rc, &e, &true_size, kOldMinimum);
    EXPECT_EQ(rc, -ENOSPC) << "expected -ENOSPC when the log does not fit";
    EXPECT_EQ(e, ENOSPC) << "expected errno ENOSPC";
    EXPECT_EQ(head.size(), kOldMinimum - 1) << "expected the buffer filled up to its NUL";
    EXPECT_EQ(full.substr(0, head.size()), head) << "expected the truncated log to be the full log's head";
    EXPECT_EQ(true_size, 0u) << "expected no log_true_size from this kernel";
    return;
  }

  // Fixed mode keeps the head of the log.
  constexpr size_t kSmall = 32;
  std::string head = load_invalid(kLogLevel2 | kLogFixed, &rc, &e, &true_size, kSmall);
  EXPECT_EQ(rc, -ENOSPC) << "expected -ENOSPC when the log does not fit";
  EXPECT_EQ(e, ENOSPC) << "expected errno ENOSPC";
  EXPECT_EQ(head.size(), kSmall - 1) << "expected the buffer filled up to its NUL";
  EXPECT_EQ(full.substr(0, head.size()), head) << "expected the truncated fixed log to be the full log's head";
  EXPECT_EQ(true_size, full_size) << "expected log_true_size to give the size the full log needs";

  // The default (rotating) mode keeps the tail.
  std::string tail = load_invalid(kLogLevel2, &rc, &e, &true_size, kSmall);
  EXPECT_EQ(rc, -ENOSPC) << "expected -ENOSPC when the log does not fit";
  EXPECT_EQ(e, ENOSPC) << "expected errno ENOSPC";
  EXPECT_EQ(tail.size(), kSmall - 1) << "expected the buffer filled up to its NUL";
  EXPECT_EQ(full.substr(full.size() - tail.size()), tail)
      << "expected the truncated rotating log to be the full log's tail";
  EXPECT_EQ(true_size, full_size) << "expected log_true_size to give the size the full log needs";
}

TEST(ProgLoad, LogBufferWithLevelZeroIsFilledOnFailureOnly) {
  BPFXX_REQUIRE_ROOT();
  // libbpf's rule: a buffer with log_level 0 gets the level-1 log when the
  // load fails, and stays untouched when it succeeds.
  int rc, e;
  __u32 true_size;
  std::string log = load_invalid(0, &rc, &e, &true_size);
  EXPECT_EQ(rc, -EACCES) << "expected -EACCES";
  EXPECT_EQ(e, EACCES) << "expected errno EACCES";
  EXPECT_NE(log.find("R2 !read_ok"), std::string::npos)
      << "expected the retry at level 1 to fill the log, got: " << log;

  std::vector<char> buf(4096, 0);
  std::strcpy(buf.data(), "untouched");
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = buf.data();
  opts.log_size = static_cast<__u32>(buf.size());
  UniqueFd fd = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "good", return_imm(0), &opts);
  BPFXX_ASSERT_FD(fd, "loading a good program with a level-0 log buffer");
  EXPECT_STREQ(buf.data(), "untouched") << "expected no log for a successful level-0 load";
}

TEST(ProgLoad, LogLevelWithoutBufferIsHarmless) {
  BPFXX_REQUIRE_ROOT();
  // Like libbpf, the level is passed on; a kernel with the reworked log
  // then loads without a log (and a refused program reports its error, not
  // a log problem).
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_level = kLogLevel1;
  Program p = return_imm(0);
  UniqueFd fd(bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "x", "GPL", p.data(), p.size(), &opts));
  if (!kernel_reports_log_size()) {
    // Older kernels insist on a buffer for a log level: EINVAL, as libbpf
    // gets there too.
    EXPECT_EQ(fd.get(), -EINVAL) << "expected -EINVAL for a log level without a buffer";
    return;
  }
  BPFXX_ASSERT_FD(fd, "loading with log_level 1 and no buffer");
  Program bad = reads_uninitialized_r2();
  errno = 0;
  int rc = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "x", "GPL", bad.data(), bad.size(), &opts);
  EXPECT_EQ(rc, -EACCES) << "expected the verifier's -EACCES";
  EXPECT_EQ(errno, EACCES);
  if (rc >= 0) close(rc);
}

TEST(ProgLoad, UnknownOpcodeIsEinval) {
  BPFXX_REQUIRE_ROOT();
  Program p{make(0xff, 0, 0, 0, 0), exit_insn()};
  std::string log;
  errno = 0;
  UniqueFd fd = load_prog_logged(BPF_PROG_TYPE_SOCKET_FILTER, "bad", p, nullptr, &log);
  EXPECT_EQ(fd.get(), -EINVAL) << "expected an unknown opcode to be refused with -EINVAL; log: " << log;
  EXPECT_EQ(errno, EINVAL) << "expected errno EINVAL";
  EXPECT_NE(log.find("unknown opcode"), std::string::npos)
      << "expected the verifier to name the unknown opcode, got: " << log;
}

TEST(ProgLoad, GplOnlyHelperNeedsGplLicense) {
  BPFXX_REQUIRE_ROOT();
  // bpf_get_current_task is GPL-only: the verdict proves the license
  // string reached the kernel.
  Program p{call_helper(BPF_FUNC_get_current_task), mov64_imm(R0, 0), exit_insn()};
  std::vector<char> log(65536);
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.log_buf = log.data();
  opts.log_size = static_cast<__u32>(log.size());
  opts.log_level = kLogLevel1;
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "tp", "Proprietary", p.data(), p.size(), &opts);
  EXPECT_LT(fd, 0) << "expected a GPL-only helper to be refused under a non-GPL license";
  EXPECT_NE(std::string(log.data()).find("GPL"), std::string::npos)
      << "expected the verifier to mention the GPL requirement, got: " << log.data();
  if (fd >= 0) close(fd);
  UniqueFd ok(bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "tp", "GPL", p.data(), p.size(), &opts));
  BPFXX_ASSERT_FD(ok, "loading the same program under the GPL") << " log: " << log.data();
}

TEST(ProgLoad, ProgramUsingMapListsItsId) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_counter_map("prog_map");
  BPFXX_ASSERT_FD(map, "creating the counter map");
  Program p = count_into_array(map.get(), 0);
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_SOCKET_FILTER, "uses_map", p, nullptr, &log);
  BPFXX_ASSERT_FD(prog, "loading a program that uses a map") << " log: " << log;

  __u32 ids[4] = {0, 0, 0, 0};
  bpf_prog_info info;
  std::memset(&info, 0, sizeof(info));
  info.nr_map_ids = 4;
  info.map_ids = reinterpret_cast<__u64>(ids);
  __u32 len = sizeof(info);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(prog.get(), &info, &len));
  EXPECT_EQ(info.nr_map_ids, 1u) << "expected the program to use exactly one map";
  EXPECT_EQ(ids[0], map_id(map.get())) << "expected map_ids[0] to be our map's id";
  EXPECT_STREQ(info.name, "uses_map");
}

TEST(ProgLoad, LongNameIsTruncated) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd fd = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "a_very_long_program_name", return_imm(0));
  BPFXX_ASSERT_FD(fd, "loading with a long name");
  EXPECT_STREQ(prog_info(fd.get()).name, "a_very_long_pro")
      << "expected the name cut to BPF_OBJ_NAME_LEN - 1 characters";
}

}  // namespace
}  // namespace bpfxx::test
