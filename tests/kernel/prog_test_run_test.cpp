// bpf_prog_test_run_opts: data in/out, retval, repeat, duration, ctx_in,
// and the effects the programs leave in maps.
#include "bpf_test_util.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bpfxx::test {
namespace {

using namespace insn;

constexpr __u8 kMark = 0xab;

// XDP: if the packet has a byte, overwrite it with kMark; return XDP_TX.
Program xdp_mark_first_byte() {
  Program p;
  p << ldx_mem(BPF_W, R2, R1, offsetof(xdp_md, data))       // r2 = data
    << ldx_mem(BPF_W, R3, R1, offsetof(xdp_md, data_end))   // r3 = data_end
    << mov64_reg(R4, R2) << alu64_imm(BPF_ADD, R4, 1)       // r4 = data + 1
    << jmp_reg(BPF_JGT, R4, R3, 1)                          // too short: skip the store
    << st_mem(BPF_B, R2, 0, kMark)                          // data[0] = kMark
    << mov64_imm(R0, XDP_TX) << exit_insn();
  return p;
}

std::vector<__u8> test_packet(size_t n) {
  std::vector<__u8> pkt(n);
  for (size_t i = 0; i < n; i++) pkt[i] = static_cast<__u8>(i);
  return pkt;
}

TEST(ProgTestRun, XdpWritesIntoThePacket) {
  BPFXX_REQUIRE_ROOT();
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_XDP, "xdp_mark", xdp_mark_first_byte(), nullptr, &log);
  BPFXX_ASSERT_FD(prog, "loading the XDP program") << " log: " << log;

  std::vector<__u8> in = test_packet(64), out(128, 0);
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = in.data();
  opts.data_size_in = static_cast<__u32>(in.size());
  opts.data_out = out.data();
  opts.data_size_out = static_cast<__u32>(out.size());
  opts.repeat = 3;
  opts.retval = 0xdeadbeef;
  opts.duration = 0xdeadbeef;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  EXPECT_EQ(opts.retval, static_cast<__u32>(XDP_TX)) << "expected the program's return value XDP_TX";
  EXPECT_EQ(opts.data_size_out, in.size()) << "expected data_size_out = the packet size";
  EXPECT_EQ(out[0], kMark) << "expected the program's store to show in data_out";
  for (size_t i = 1; i < in.size(); i++) {
    ASSERT_EQ(out[i], in[i]) << "expected byte " << i << " to pass through unchanged";
  }
  EXPECT_EQ(in[0], 0) << "expected data_in itself to be left alone";
  EXPECT_NE(opts.duration, 0xdeadbeefu) << "expected duration to be written by the kernel";
  EXPECT_LT(opts.duration, 1000000000u) << "expected a plausible per-run duration (< 1 s)";
}

TEST(ProgTestRun, TooSmallDataOutIsEnospcWithFullSize) {
  BPFXX_REQUIRE_ROOT();
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_XDP, "xdp_mark", xdp_mark_first_byte(), nullptr, &log);
  BPFXX_ASSERT_FD(prog, "loading the XDP program") << " log: " << log;
  std::vector<__u8> in = test_packet(64), out(16, 0);
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = in.data();
  opts.data_size_in = static_cast<__u32>(in.size());
  opts.data_out = out.data();
  opts.data_size_out = static_cast<__u32>(out.size());
  BPFXX_EXPECT_ERR(bpf_prog_test_run_opts(prog.get(), &opts), ENOSPC);
  EXPECT_EQ(opts.data_size_out, in.size()) << "expected data_size_out to report the full output size";
  EXPECT_EQ(out[0], kMark) << "expected the part that fits to be copied";
  EXPECT_EQ(out[15], in[15]) << "expected the part that fits to be copied";
}

TEST(ProgTestRun, SocketFilterReturnsPacketLength) {
  BPFXX_REQUIRE_ROOT();
  Program p{ldx_mem(BPF_W, R0, R1, offsetof(__sk_buff, len)), exit_insn()};
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "sock_len", p);
  BPFXX_ASSERT_FD(prog, "loading the socket filter");
  for (__u32 size : {14u, 60u, 200u}) {
    std::vector<__u8> in = test_packet(size), out(512, 0);
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    opts.data_in = in.data();
    opts.data_size_in = size;
    opts.data_out = out.data();
    opts.data_size_out = static_cast<__u32>(out.size());
    BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
    // A socket filter sees the packet after its 14-byte Ethernet header.
    EXPECT_EQ(opts.retval, size - 14)
        << "expected the filter to return skb->len (size - 14) for a " << size << "-byte packet";
    EXPECT_EQ(opts.data_size_out, size) << "expected the packet back out";
    // The kernel hands the packet back with the Ethernet header zeroed
    // (it was pulled for the filter and pushed back empty).
    std::vector<__u8> expected = in;
    std::fill(expected.begin(), expected.begin() + 14, 0);
    EXPECT_EQ(std::vector<__u8>(out.begin(), out.begin() + size), expected)
        << "expected the packet in data_out, behind a zeroed Ethernet header";
  }
}

TEST(ProgTestRun, RepeatRunsTheProgramNTimes) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_counter_map("runs");
  BPFXX_ASSERT_FD(map, "creating the counter map");
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_SOCKET_FILTER, "count",
                                   count_into_array(map.get(), 7), nullptr, &log);
  BPFXX_ASSERT_FD(prog, "loading the counting program") << " log: " << log;

  std::vector<__u8> in = test_packet(64);
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = in.data();
  opts.data_size_in = static_cast<__u32>(in.size());
  opts.repeat = 1000;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  EXPECT_EQ(opts.retval, 7u) << "expected the counting program's return value";
  EXPECT_EQ(read_counter(map.get()), 1000u) << "expected repeat=1000 to run the program 1000 times";

  // repeat 0 means once.
  opts.repeat = 0;
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  EXPECT_EQ(read_counter(map.get()), 1001u) << "expected repeat=0 to run the program once";
}

TEST(ProgTestRun, SyscallProgramWritesCtxValueIntoMap) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_map(BPF_MAP_TYPE_ARRAY, "sys_out", 4, 8, 1);
  BPFXX_ASSERT_FD(map, "creating the result map");
  // r6 = ((u32 *)ctx)[1]; *(u64 *)&map[0] = r6 via a direct value load
  // (BPF_PSEUDO_MAP_VALUE); return ((u32 *)ctx)[0].
  Program p;
  p << ldx_mem(BPF_W, R6, R1, 4) << ldx_mem(BPF_W, R7, R1, 0)
    << ld_map_value(R2, map.get(), 0) << stx_mem(BPF_DW, R2, R6, 0)
    << mov64_reg(R0, R7) << exit_insn();
  LIBBPF_OPTS(bpf_prog_load_opts, lopts);
  lopts.prog_flags = BPF_F_SLEEPABLE;
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_SYSCALL, "sys_write", p, &lopts, &log);
  BPFXX_ASSERT_FD(prog, "loading the syscall program") << " log: " << log;

  __u32 ctx[2] = {17, 0x5eed};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.ctx_in = ctx;
  opts.ctx_size_in = sizeof(ctx);
  BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  EXPECT_EQ(opts.retval, 17u) << "expected the program to return ctx[0]";
  EXPECT_EQ(read_counter(map.get()), 0x5eedu) << "expected the map value written from ctx[1]";

  // A syscall program cannot be given packet data.
  __u8 data[16] = {};
  opts.data_in = data;
  opts.data_size_in = sizeof(data);
  BPFXX_EXPECT_ERR(bpf_prog_test_run_opts(prog.get(), &opts), EINVAL);
}

TEST(ProgTestRun, SyscallProgramUsesMapThroughHelper) {
  BPFXX_REQUIRE_ROOT();
  UniqueFd map = create_counter_map("sys_cnt");
  BPFXX_ASSERT_FD(map, "creating the counter map");
  LIBBPF_OPTS(bpf_prog_load_opts, lopts);
  lopts.prog_flags = BPF_F_SLEEPABLE;
  std::string log;
  UniqueFd prog = load_prog_logged(BPF_PROG_TYPE_SYSCALL, "sys_count", count_into_array(map.get(), 0),
                                   &lopts, &log);
  BPFXX_ASSERT_FD(prog, "loading the syscall counter") << " log: " << log;
  for (int i = 0; i < 3; i++) {
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    BPFXX_ASSERT_OK(bpf_prog_test_run_opts(prog.get(), &opts));
  }
  EXPECT_EQ(read_counter(map.get()), 3u) << "expected three test runs to count to three";
}

TEST(ProgTestRun, BadFdAndNonProgramFd) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  BPFXX_EXPECT_ERR(bpf_prog_test_run_opts(-1, &opts), EBADF);
  UniqueFd map = create_counter_map();
  BPFXX_ASSERT_FD(map, "creating a map");
  BPFXX_EXPECT_ERR(bpf_prog_test_run_opts(map.get(), &opts), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
