// bpf_prog_stream_read and bpf_prog_assoc_struct_ops against this kernel:
// streams of a freshly loaded program are empty; errors are reported with
// errno == -ret; the struct_ops association either works or fails cleanly.
#include "bpf_test_util.h"

#include "sys/features.h"

namespace bpfxx::test {
namespace {

using bpfxx::sys::Feature;

std::string feature_reason(Feature f) {
  const char* d = bpfxx::sys::feature_description(f);
  return std::string("kernel lacks ") + (d != nullptr ? d : bpfxx::sys::feature_name(f));
}

TEST(ProgStream, FreshProgramStreamsAreEmpty) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(Feature::StreamRead)) GTEST_SKIP() << feature_reason(Feature::StreamRead);
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "streams", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading a program");
  char buf[256];
  std::memset(buf, 'S', sizeof(buf));
  errno = 0;
  EXPECT_EQ(bpf_prog_stream_read(prog.get(), BPF_STREAM_STDOUT, buf, sizeof(buf), nullptr), 0)
      << "expected 0 bytes from the stdout stream: " << errno_str(errno);
  LIBBPF_OPTS(bpf_prog_stream_read_opts, opts);
  EXPECT_EQ(bpf_prog_stream_read(prog.get(), BPF_STREAM_STDERR, buf, sizeof(buf), &opts), 0)
      << "expected 0 bytes from the stderr stream: " << errno_str(errno);
  EXPECT_EQ(buf[0], 'S') << "expected the buffer untouched when nothing was read";

  // Running the program writes nothing to its streams either.
  __u8 pkt[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, ropts);
  ropts.data_in = pkt;
  ropts.data_size_in = sizeof(pkt);
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &ropts));
  EXPECT_EQ(bpf_prog_stream_read(prog.get(), BPF_STREAM_STDERR, buf, sizeof(buf), nullptr), 0)
      << "expected nothing on stderr after a clean run";
}

TEST(ProgStream, BadFdIsEbadf) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(Feature::StreamRead)) GTEST_SKIP() << feature_reason(Feature::StreamRead);
  char buf[16];
  BPFXX_EXPECT_ERR(bpf_prog_stream_read(-1, BPF_STREAM_STDOUT, buf, sizeof(buf), nullptr), EBADF);
  BPFXX_EXPECT_ERR(bpf_prog_stream_read(-1, BPF_STREAM_STDERR, buf, sizeof(buf), nullptr), EBADF);
}

TEST(ProgStream, UnknownStreamAndNonProgramFdFailCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(Feature::StreamRead)) GTEST_SKIP() << feature_reason(Feature::StreamRead);
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "streams", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading a program");
  char buf[16];
  errno = 0;
  int rc = bpf_prog_stream_read(prog.get(), 99, buf, sizeof(buf), nullptr);
  EXPECT_LT(rc, 0) << "expected stream id 99 to be refused";
  EXPECT_EQ(errno, -rc) << "expected errno to match the returned error";
  UniqueFd map = create_counter_map();
  BPFXX_ASSERT_FD(map, "creating a map");
  errno = 0;
  rc = bpf_prog_stream_read(map.get(), BPF_STREAM_STDOUT, buf, sizeof(buf), nullptr);
  EXPECT_EQ(rc, -EINVAL) << "expected a map fd to be refused as a program";
  EXPECT_EQ(errno, EINVAL);
}

TEST(ProgStream, MissingCommandIsReportedCleanly) {
  BPFXX_REQUIRE_ROOT();
  if (bpfxx::sys::has_feature(Feature::StreamRead)) GTEST_SKIP() << "this kernel has BPF_PROG_STREAM_READ_BY_FD";
  char buf[16];
  errno = 0;
  int rc = bpf_prog_stream_read(-1, BPF_STREAM_STDOUT, buf, sizeof(buf), nullptr);
  EXPECT_EQ(rc, -EINVAL) << "expected the kernel's -EINVAL for an unknown command";
  EXPECT_EQ(errno, EINVAL);
}

// ---- struct_ops association -------------------------------------------------

TEST(ProgAssocStructOps, ErrorIsReportedCleanly) {
  BPFXX_REQUIRE_ROOT();
  // Whatever this kernel does with the command, a socket filter and an
  // array map are not a struct_ops pair: the call must fail with
  // errno == -ret and no crash.
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "assoc", insn::return_imm(0));
  BPFXX_ASSERT_FD(prog, "loading a program");
  UniqueFd map = create_counter_map();
  BPFXX_ASSERT_FD(map, "creating a map");
  errno = 0;
  int rc = bpf_prog_assoc_struct_ops(prog.get(), map.get(), nullptr);
  int e = errno;
  EXPECT_LT(rc, 0) << "expected association of a socket filter with an array map to fail";
  EXPECT_EQ(e, -rc) << "expected errno to match the returned error";
  if (!bpfxx::sys::has_feature(Feature::AssocStructOps)) {
    EXPECT_EQ(rc, -EINVAL) << "expected -EINVAL, the kernel's answer to an unknown command";
  }
  LIBBPF_OPTS(bpf_prog_assoc_struct_ops_opts, opts);
  errno = 0;
  rc = bpf_prog_assoc_struct_ops(-1, -1, &opts);
  EXPECT_LT(rc, 0) << "expected bad fds to be refused";
  EXPECT_EQ(errno, -rc) << "expected errno to match the returned error";
}

TEST(ProgAssocStructOps, CommandReachesTheKernel) {
  BPFXX_REQUIRE_ROOT();
  if (!bpfxx::sys::has_feature(Feature::AssocStructOps)) {
    GTEST_SKIP() << feature_reason(Feature::AssocStructOps);
  }
  // The command exists: bad fds are EBADF, a non-struct_ops map is EINVAL.
  // (Associating a real struct_ops map needs a struct_ops object; the
  // struct_ops loader tests cover that.)
  BPFXX_EXPECT_ERR(bpf_prog_assoc_struct_ops(-1, -1, nullptr), EBADF);
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "assoc", insn::return_imm(0));
  UniqueFd map = create_counter_map();
  BPFXX_ASSERT_FD(prog, "loading a program");
  BPFXX_ASSERT_FD(map, "creating a map");
  BPFXX_EXPECT_ERR(bpf_prog_assoc_struct_ops(prog.get(), map.get(), nullptr), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
