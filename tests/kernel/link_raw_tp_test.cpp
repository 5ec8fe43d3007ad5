// bpf_raw_tracepoint_open(_opts) on "sys_enter": the attached program
// counts syscalls; bpf_task_fd_query names the tracepoint; closing the link
// stops the counting.
#include "bpf_test_util.h"
#include "link_support.h"
#include "sys/features.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace bpfxx::test {
namespace {

void make_syscalls(int n) {
  for (int i = 0; i < n; i++) (void)::syscall(SYS_getppid);
}

void sleep_ms(int ms) {
  timespec ts{0, ms * 1000000L};
  ::nanosleep(&ts, nullptr);
}

struct LinkRawTp : testing::Test {
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    counter = create_counter_map("rtp_cnt");
    ASSERT_TRUE(counter.valid()) << "expected the counter map: " << errno_str(errno);
    std::string log;
    prog = load_prog_logged(BPF_PROG_TYPE_RAW_TRACEPOINT, "rtp_count",
                            insn::count_into_array(counter.get(), 0), nullptr, &log);
    ASSERT_TRUE(prog.valid()) << "expected the raw tracepoint program to load: " << log;
  }
  UniqueFd counter, prog;
};

TEST_F(LinkRawTp, OpenCountsSyscallsAndCloseStops) {
  __u64 before = read_counter(counter.get());
  EXPECT_EQ(before, 0u) << "expected no counts before attaching";
  UniqueFd link(bpf_raw_tracepoint_open("sys_enter", prog.get()));
  BPFXX_ASSERT_FD(link, "bpf_raw_tracepoint_open(sys_enter)");
  make_syscalls(100);
  __u64 attached = read_counter(counter.get());
  EXPECT_GE(attached, 100u) << "expected at least our 100 syscalls to be counted";

  link.reset();
  sleep_ms(20);  // let programs already running on other CPUs finish
  __u64 closed = read_counter(counter.get());
  make_syscalls(100);
  EXPECT_EQ(read_counter(counter.get()), closed) << "expected no counting after the link was closed";
}

TEST_F(LinkRawTp, OpenOptsWithCookieAndLinkInfo) {
  LIBBPF_OPTS(bpf_raw_tp_opts, opts);
  opts.tp_name = "sys_enter";
  opts.cookie = 0x1234567;
  const bool cookies = bpfxx::sys::has_feature(bpfxx::sys::Feature::RawTpCookie);
  if (!cookies) {
    // Like libbpf, the cookie is passed on, and a kernel without raw
    // tracepoint cookies refuses it; the same open without one works.
    BPFXX_EXPECT_ERR(bpf_raw_tracepoint_open_opts(prog.get(), &opts), EINVAL);
    opts.cookie = 0;
  }
  UniqueFd link(bpf_raw_tracepoint_open_opts(prog.get(), &opts));
  BPFXX_ASSERT_FD(link, "bpf_raw_tracepoint_open_opts(sys_enter)");
  make_syscalls(10);
  EXPECT_GE(read_counter(counter.get()), 10u) << "expected the program to count syscalls";

  char name[64] = {};
  bpf_link_info info;
  std::memset(&info, 0, sizeof(info));
  info.raw_tracepoint.tp_name = reinterpret_cast<__u64>(name);
  info.raw_tracepoint.tp_name_len = sizeof(name);
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, static_cast<__u32>(BPF_LINK_TYPE_RAW_TRACEPOINT));
  EXPECT_EQ(info.prog_id, prog_id(prog.get())) << "expected the link's program";
  EXPECT_STREQ(name, "sys_enter") << "expected the link info to name the tracepoint";
  EXPECT_EQ(info.raw_tracepoint.tp_name_len, sizeof("sys_enter")) << "expected the name length with NUL";
  // Link info reports the cookie only on kernels whose bpf_link_info has it
  // (it came after the attach-time cookie).
  const bool reported = cookies && kernel_member_has_field("bpf_link_info", "raw_tracepoint", "cookie");
  EXPECT_EQ(info.raw_tracepoint.cookie, reported ? 0x1234567u : 0u) << "expected the cookie we attached with";
}

TEST_F(LinkRawTp, TaskFdQueryNamesTheTracepoint) {
  UniqueFd link(bpf_raw_tracepoint_open("sys_enter", prog.get()));
  BPFXX_ASSERT_FD(link, "bpf_raw_tracepoint_open(sys_enter)");
  char buf[64] = {};
  __u32 len = sizeof(buf);
  __u32 qprog = 0, fd_type = 0xff;
  __u64 offset = 1, addr = 1;
  BPFXX_ASSERT_OK(bpf_task_fd_query(::getpid(), link.get(), 0, buf, &len, &qprog, &fd_type, &offset, &addr));
  EXPECT_STREQ(buf, "sys_enter") << "expected task_fd_query to name the tracepoint";
  EXPECT_EQ(len, std::strlen("sys_enter")) << "expected buf_len to be the name's length";
  EXPECT_EQ(qprog, prog_id(prog.get())) << "expected the attached program's id";
  EXPECT_EQ(fd_type, static_cast<__u32>(BPF_FD_TYPE_RAW_TRACEPOINT)) << "expected BPF_FD_TYPE_RAW_TRACEPOINT";
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(addr, 0u);

  // A buffer too small: ENOSPC, truncated name, full length reported.
  char small[4] = {};
  len = sizeof(small);
  BPFXX_EXPECT_ERR(bpf_task_fd_query(::getpid(), link.get(), 0, small, &len, &qprog, &fd_type, &offset, &addr),
                   ENOSPC);
  EXPECT_EQ(len, std::strlen("sys_enter")) << "expected the full length despite ENOSPC";
  EXPECT_STREQ(small, "sys") << "expected the truncated, NUL-terminated name";

  // An fd that is neither a tracepoint link nor a perf event: the kernel
  // answers with its internal ENOTSUPP (524); errno must carry it too.
  len = sizeof(buf);
  errno = 0;
  int rc = bpf_task_fd_query(::getpid(), counter.get(), 0, buf, &len, &qprog, &fd_type, &offset, &addr);
  EXPECT_LT(rc, 0) << "expected a map fd to be refused";
  EXPECT_EQ(errno, -rc) << "expected errno to match the returned error";
  // Unknown flags.
  BPFXX_EXPECT_ERR(bpf_task_fd_query(::getpid(), link.get(), 1, buf, &len, &qprog, &fd_type, &offset, &addr),
                   EINVAL);
}

TEST_F(LinkRawTp, UnknownTracepointIsEnoent) {
  errno = 0;
  int fd = bpf_raw_tracepoint_open("bpfxx_no_such_tracepoint", prog.get());
  EXPECT_EQ(fd, -ENOENT) << "expected an unknown tracepoint to give -ENOENT";
  EXPECT_EQ(errno, ENOENT);
  if (fd >= 0) close(fd);
  BPFXX_EXPECT_ERR(bpf_raw_tracepoint_open("sys_enter", -1), EBADF);
}

}  // namespace
}  // namespace bpfxx::test
