// bpf_prog_attach / bpf_prog_query(_opts) / bpf_prog_detach(2, _opts) on a
// cgroup v2 directory the test creates; the attached program proves it runs
// by counting the packets a socket in that cgroup receives.
#include "bpf_test_util.h"
#include "cgroup.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <vector>

namespace bpfxx::test {
namespace {

using namespace insn;

UniqueFd load_cgroup_skb(int counter_fd, bpf_attach_type expected, const char* name,
                         std::string* log) {
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = expected;
  // Count, then allow the packet (1).
  return load_prog_logged(BPF_PROG_TYPE_CGROUP_SKB, name, count_into_array(counter_fd, 1), &opts, log);
}

// Sends one UDP datagram from a socket to itself over loopback and receives
// it. Returns false when a socket call fails.
bool udp_to_self(int sock) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return false;
  socklen_t len = sizeof(addr);
  if (::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;
  const char msg[] = "ping";
  if (::sendto(sock, msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&addr), len) !=
      static_cast<ssize_t>(sizeof(msg)))
    return false;
  char buf[16];
  return ::recv(sock, buf, sizeof(buf), 0) == static_cast<ssize_t>(sizeof(msg));
}

// A UDP socket created while this process sits in cg (sockets belong to
// the cgroup of their creator).
UniqueFd socket_in_cgroup(const TempCgroup& cg, std::string* error) {
  ScopedCgroupMove move(cg);
  if (!move.ok()) {
    *error = move.error();
    return UniqueFd();
  }
  return UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

std::vector<__u32> query_ids(int cg_fd, bpf_attach_type type, __u32* attach_flags = nullptr) {
  __u32 ids[8] = {};
  __u32 cnt = 8;
  __u32 flags = 0xdead;
  int rc = bpf_prog_query(cg_fd, type, 0, &flags, ids, &cnt);
  EXPECT_EQ(rc, 0) << "expected bpf_prog_query to succeed: " << errno_str(errno);
  if (attach_flags != nullptr) *attach_flags = flags;
  return std::vector<__u32>(ids, ids + (rc == 0 ? cnt : 0));
}

TEST(ProgAttachCgroup, AttachQueryRunDetach) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  UniqueFd counter = create_counter_map("cg_pkts");
  BPFXX_ASSERT_FD(counter, "creating the counter map");
  std::string log;
  UniqueFd prog = load_cgroup_skb(counter.get(), BPF_CGROUP_INET_INGRESS, "cg_ingress", &log);
  BPFXX_ASSERT_FD(prog, "loading the cgroup_skb program") << " log: " << log;

  EXPECT_TRUE(query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS).empty()) << "expected a fresh cgroup to have no programs";

  BPFXX_ASSERT_OK(bpf_prog_attach(prog.get(), cg.fd(), BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI));
  __u32 flags = 0;
  std::vector<__u32> ids = query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS, &flags);
  ASSERT_EQ(ids.size(), 1u) << "expected one attached program";
  EXPECT_EQ(ids[0], prog_id(prog.get())) << "expected our program's id";
  EXPECT_EQ(flags, static_cast<__u32>(BPF_F_ALLOW_MULTI)) << "expected the attach flags we used";

  // The program runs for a socket of this cgroup.
  std::string err;
  UniqueFd sock = socket_in_cgroup(cg, &err);
  ASSERT_TRUE(sock.valid()) << "expected a socket created inside the cgroup: " << err;
  ASSERT_TRUE(udp_to_self(sock.get())) << "expected a loopback UDP round trip: " << errno_str(errno);
  EXPECT_GE(read_counter(counter.get()), 1u) << "expected the ingress program to count the datagram";
  __u64 after_first = read_counter(counter.get());

  // A socket outside the cgroup is not counted.
  UniqueFd outside(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(outside.valid());
  ASSERT_TRUE(udp_to_self(outside.get())) << "expected a loopback UDP round trip";
  EXPECT_EQ(read_counter(counter.get()), after_first) << "expected no count for a socket outside the cgroup";

  BPFXX_ASSERT_OK(bpf_prog_detach2(prog.get(), cg.fd(), BPF_CGROUP_INET_INGRESS));
  EXPECT_TRUE(query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS).empty()) << "expected detach2 to empty the list";

  // Detached: the cgroup's socket is no longer counted.
  UniqueFd sock2 = socket_in_cgroup(cg, &err);
  ASSERT_TRUE(sock2.valid()) << err;
  ASSERT_TRUE(udp_to_self(sock2.get()));
  EXPECT_EQ(read_counter(counter.get()), after_first) << "expected no count after detaching";
  BPFXX_EXPECT_ERR(bpf_prog_detach2(prog.get(), cg.fd(), BPF_CGROUP_INET_INGRESS), ENOENT);
}

TEST(ProgAttachCgroup, QueryOptsListsProgramsAndFlagsInOrder) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  UniqueFd counter = create_counter_map();
  BPFXX_ASSERT_FD(counter, "creating the counter map");
  std::string log;
  UniqueFd p1 = load_cgroup_skb(counter.get(), BPF_CGROUP_INET_EGRESS, "cg_one", &log);
  UniqueFd p2 = load_cgroup_skb(counter.get(), BPF_CGROUP_INET_EGRESS, "cg_two", &log);
  BPFXX_ASSERT_FD(p1, "loading program one") << log;
  BPFXX_ASSERT_FD(p2, "loading program two") << log;

  LIBBPF_OPTS(bpf_prog_query_opts, before);
  BPFXX_ASSERT_OK(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &before));
  EXPECT_EQ(before.prog_cnt, 0u) << "expected no programs before attaching";

  LIBBPF_OPTS(bpf_prog_attach_opts, aopts);
  aopts.flags = BPF_F_ALLOW_MULTI;
  BPFXX_ASSERT_OK(bpf_prog_attach_opts(p1.get(), cg.fd(), BPF_CGROUP_INET_EGRESS, &aopts));
  BPFXX_ASSERT_OK(bpf_prog_attach_opts(p2.get(), cg.fd(), BPF_CGROUP_INET_EGRESS, &aopts));

  __u32 ids[4] = {}, pflags[4] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, q);
  q.prog_ids = ids;
  q.prog_attach_flags = pflags;
  q.prog_cnt = 4;
  BPFXX_ASSERT_OK(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &q));
  ASSERT_EQ(q.prog_cnt, 2u) << "expected two attached programs";
  EXPECT_EQ(ids[0], prog_id(p1.get())) << "expected attach order: program one first";
  EXPECT_EQ(ids[1], prog_id(p2.get())) << "expected attach order: program two second";
  EXPECT_EQ(q.attach_flags, static_cast<__u32>(BPF_F_ALLOW_MULTI)) << "expected BPF_F_ALLOW_MULTI";
  EXPECT_EQ(pflags[0], static_cast<__u32>(BPF_F_ALLOW_MULTI)) << "expected per-program attach flags";
  EXPECT_EQ(pflags[1], static_cast<__u32>(BPF_F_ALLOW_MULTI)) << "expected per-program attach flags";
  if (before.revision != 0) {
    EXPECT_GT(q.revision, before.revision) << "expected the attachment revision to grow";
  }

  // Too little room: ENOSPC, with the real count reported.
  __u32 one[1] = {};
  LIBBPF_OPTS(bpf_prog_query_opts, small);
  small.prog_ids = one;
  small.prog_cnt = 1;
  BPFXX_EXPECT_ERR(bpf_prog_query_opts(cg.fd(), BPF_CGROUP_INET_EGRESS, &small), ENOSPC);
  EXPECT_EQ(small.prog_cnt, 2u) << "expected the full count despite ENOSPC";

  // Count only (no id array).
  __u32 cnt = 0;
  BPFXX_ASSERT_OK(bpf_prog_query(cg.fd(), BPF_CGROUP_INET_EGRESS, 0, nullptr, nullptr, &cnt));
  EXPECT_EQ(cnt, 2u) << "expected the count without an id array";

  LIBBPF_OPTS(bpf_prog_detach_opts, dopts);
  BPFXX_ASSERT_OK(bpf_prog_detach_opts(p1.get(), cg.fd(), BPF_CGROUP_INET_EGRESS, &dopts));
  std::vector<__u32> left = query_ids(cg.fd(), BPF_CGROUP_INET_EGRESS);
  ASSERT_EQ(left.size(), 1u) << "expected one program left";
  EXPECT_EQ(left[0], prog_id(p2.get())) << "expected program two to remain";
  BPFXX_ASSERT_OK(bpf_prog_detach_opts(p2.get(), cg.fd(), BPF_CGROUP_INET_EGRESS, nullptr));
  EXPECT_TRUE(query_ids(cg.fd(), BPF_CGROUP_INET_EGRESS).empty()) << "expected the list empty";
}

TEST(ProgAttachCgroup, SingleProgramDetachByType) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  UniqueFd counter = create_counter_map();
  std::string log;
  UniqueFd prog = load_cgroup_skb(counter.get(), BPF_CGROUP_INET_INGRESS, "cg_single", &log);
  BPFXX_ASSERT_FD(prog, "loading the program") << log;
  BPFXX_ASSERT_OK(bpf_prog_attach(prog.get(), cg.fd(), BPF_CGROUP_INET_INGRESS, 0));
  __u32 flags = 0xff;
  EXPECT_EQ(query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS, &flags).size(), 1u);
  EXPECT_EQ(flags, 0u) << "expected no attach flags";
  BPFXX_ASSERT_OK(bpf_prog_detach(cg.fd(), BPF_CGROUP_INET_INGRESS));
  EXPECT_TRUE(query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS).empty()) << "expected bpf_prog_detach to remove it";
}

TEST(ProgAttachCgroup, WrongProgramTypeIsRefused) {
  BPFXX_REQUIRE_ROOT();
  BPFXX_TEMP_CGROUP(cg);
  UniqueFd prog = load_prog(BPF_PROG_TYPE_SOCKET_FILTER, "not_cg", return_imm(1));
  BPFXX_ASSERT_FD(prog, "loading a socket filter");
  // A socket filter cannot be a cgroup ingress program.
  BPFXX_EXPECT_ERR(bpf_prog_attach(prog.get(), cg.fd(), BPF_CGROUP_INET_INGRESS, BPF_F_ALLOW_MULTI), EINVAL);
  EXPECT_TRUE(query_ids(cg.fd(), BPF_CGROUP_INET_INGRESS).empty()) << "expected nothing attached";
  // Bad target fd.
  UniqueFd counter = create_counter_map();
  std::string log;
  UniqueFd cgprog = load_cgroup_skb(counter.get(), BPF_CGROUP_INET_EGRESS, "cg_egress", &log);
  BPFXX_ASSERT_FD(cgprog, "loading the program") << log;
  BPFXX_EXPECT_ERR(bpf_prog_attach(cgprog.get(), -1, BPF_CGROUP_INET_EGRESS, 0), EBADF);
  // Unknown attach flags.
  BPFXX_EXPECT_ERR(bpf_prog_attach(cgprog.get(), cg.fd(), BPF_CGROUP_INET_EGRESS, 0x40000000u), EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
