// Socket-level attachments, each proven by what happens to real traffic:
// an sk_skb stream verdict redirecting the bytes one TCP connection
// receives onto another connection (sockmap), an sk_reuseport program
// choosing which listener of a SO_REUSEPORT group gets a connection, and a
// flow dissector attached to a test network namespace that the kernel runs
// on packets sent there.
#include "link_support.h"
#include "netns.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <bpfxx/unique_fd.hpp>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr const char* kObj = "attach_sock";

class LinkSock : public ProgObjectTest {
 protected:
  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    ASSERT_NO_FATAL_FAILURE(open_object(kObj));
  }
};

// A connected loopback TCP pair: client and the accepted server end.
struct TcpPair {
  UniqueFd client, server;
};

TcpPair tcp_pair() {
  TcpPair p;
  UniqueFd listener = tcp_listener();
  sockaddr_in a = loopback(bound_port(listener.get()));
  p.client.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_EQ(::connect(p.client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  p.server.reset(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  EXPECT_TRUE(p.server.valid()) << std::strerror(errno);
  return p;
}

// Up to want bytes arriving on fd within a second.
std::string recv_some(int fd, size_t want) {
  std::string got;
  while (got.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) != 1) break;
    char buf[64];
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

bool kernel_has_sockmap_links() { return kernel_has_enumerator("bpf_link_type", "BPF_LINK_TYPE_SOCKMAP"); }

TEST_F(LinkSock, StreamVerdictRedirectsToAnotherConnection) {
  load();
  const int socks = map_fd("redir_socks");
  bpf_program* verdict = prog("redirect_verdict");
  // A socket takes the map's programs when it is added: attach first.
  LinkPtr link;
  if (kernel_has_sockmap_links()) {
    link.reset(bpf_program__attach_sockmap(verdict, socks));
    ASSERT_TRUE(link) << std::strerror(errno);
  } else {
    ASSERT_EQ(bpf_prog_attach(bpf_program__fd(verdict), socks, BPF_SK_SKB_STREAM_VERDICT, 0), 0)
        << std::strerror(errno);
  }
  TcpPair a = tcp_pair();
  TcpPair b = tcp_pair();
  // What a's server end receives goes out of b's client end, to b's server.
  __u32 key = 0;
  __u64 fd = static_cast<__u64>(a.server.get());
  ASSERT_EQ(bpf_map_update_elem(socks, &key, &fd, BPF_ANY), 0) << std::strerror(errno);
  key = 1;
  fd = static_cast<__u64>(b.client.get());
  ASSERT_EQ(bpf_map_update_elem(socks, &key, &fd, BPF_ANY), 0) << std::strerror(errno);

  ASSERT_EQ(::send(a.client.get(), "redirected", 10, 0), 10);
  EXPECT_EQ(recv_some(b.server.get(), 10), "redirected");
  EXPECT_GE(global<__u64>("verdict_runs"), 1u);
  char c;
  EXPECT_EQ(::recv(a.server.get(), &c, 1, MSG_DONTWAIT), -1) << "the bytes also reached their own socket";

  // Removing the sockets from the map ends the redirect.
  key = 0;
  EXPECT_EQ(bpf_map_delete_elem(socks, &key), 0);
  key = 1;
  EXPECT_EQ(bpf_map_delete_elem(socks, &key), 0);
  ASSERT_EQ(::send(a.client.get(), "direct", 6, 0), 6);
  EXPECT_EQ(recv_some(a.server.get(), 6), "direct");
  if (link) {
    link.reset();
  } else {
    EXPECT_EQ(bpf_prog_detach2(bpf_program__fd(verdict), socks, BPF_SK_SKB_STREAM_VERDICT), 0);
  }
}

TEST_F(LinkSock, ReuseportProgramPicksTheListener) {
  constexpr int kListeners = 3;
  constexpr __u32 kChosen = 2;
  set_global<__u32>("reuse_target", kChosen);
  load();
  std::array<UniqueFd, kListeners> listeners;
  uint16_t port = 0;
  for (int i = 0; i < kListeners; i++) {
    listeners[i].reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    ASSERT_TRUE(listeners[i].valid());
    const int one = 1;
    ASSERT_EQ(::setsockopt(listeners[i].get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one), 0);
    sockaddr_in a = loopback(port);
    ASSERT_EQ(::bind(listeners[i].get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
    if (i == 0) {
      // The group's program: every later member shares it.
      const int prog_fd = bpf_program__fd(prog("select_listener"));
      ASSERT_EQ(::setsockopt(listeners[i].get(), SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, &prog_fd, sizeof prog_fd), 0)
          << std::strerror(errno);
      port = bound_port(listeners[i].get());
    }
    ASSERT_EQ(::listen(listeners[i].get(), 8), 0);
    const __u32 key = static_cast<__u32>(i);
    const __u64 fd = static_cast<__u64>(listeners[i].get());
    ASSERT_EQ(bpf_map_update_elem(map_fd("reuse_socks"), &key, &fd, BPF_ANY), 0) << std::strerror(errno);
  }

  constexpr int kConnections = 6;
  std::vector<UniqueFd> clients;
  for (int i = 0; i < kConnections; i++) {
    clients.emplace_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a = loopback(port);
    ASSERT_EQ(::connect(clients.back().get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  }
  std::array<int, kListeners> accepted{};
  for (int i = 0; i < kListeners; i++) {
    for (;;) {
      UniqueFd conn(::accept4(listeners[i].get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!conn.valid()) break;
      accepted[i]++;
    }
  }
  EXPECT_EQ(accepted[kChosen], kConnections) << "every connection should reach listener " << kChosen;
  EXPECT_EQ(accepted[0] + accepted[1], 0);
  EXPECT_EQ(global<__u64>("reuse_runs"), static_cast<__u64>(kConnections));
  for (__u32 key = 0; key < kListeners; key++) EXPECT_EQ(bpf_map_delete_elem(map_fd("reuse_socks"), &key), 0);
}

// Sends one UDP-in-IPv4 Ethernet frame out of ifname through a packet
// socket; the kernel dissects a raw frame it is given to find its
// transport header, running the namespace's flow dissector.
bool send_raw_udp_frame(const std::string& ifname) {
  UniqueFd s(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
  if (!s.valid()) return false;
  std::array<uint8_t, 14 + 20 + 8 + 4> frame{};
  std::memset(frame.data(), 0xff, 6);  // broadcast destination
  frame[6] = 0x02;                      // locally administered source
  frame[12] = 0x08;                     // ETH_P_IP
  uint8_t* ip = frame.data() + 14;
  ip[0] = 0x45;        // IPv4, 20-byte header
  ip[3] = 20 + 8 + 4;  // total length
  ip[8] = 64;          // ttl
  ip[9] = IPPROTO_UDP;
  const uint32_t src = htonl(0x0a630001), dst = htonl(0x0a630002);
  std::memcpy(ip + 12, &src, 4);
  std::memcpy(ip + 16, &dst, 4);
  uint8_t* udp = ip + 20;
  const uint16_t sport = htons(12345), dport = htons(53), udp_len = htons(8 + 4);
  std::memcpy(udp, &sport, 2);
  std::memcpy(udp + 2, &dport, 2);
  std::memcpy(udp + 4, &udp_len, 2);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  return ::sendto(s.get(), frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) ==
         static_cast<ssize_t>(frame.size());
}

TEST_F(LinkSock, FlowDissectorRunsInItsNamespace) {
  load();
  bpf_program* dissect = prog("dissect");
  // Run directly, the program fills the flow keys of a UDP packet.
  {
    std::array<uint8_t, 14 + 20 + 8> pkt{};
    pkt[12] = 0x08;
    pkt[14] = 0x45;
    pkt[14 + 9] = IPPROTO_UDP;
    pkt[14 + 20 + 1] = 7;  // source port 7
    pkt[14 + 20 + 3] = 9;  // destination port 9
    bpf_flow_keys keys{};
    LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt.data(), .data_out = &keys,
                .data_size_in = static_cast<__u32>(pkt.size()), .data_size_out = sizeof keys);
    ASSERT_EQ(bpf_prog_test_run_opts(bpf_program__fd(dissect), &run), 0) << std::strerror(errno);
    EXPECT_EQ(run.retval, static_cast<__u32>(BPF_OK));
    EXPECT_EQ(keys.ip_proto, IPPROTO_UDP);
    EXPECT_EQ(keys.thoff, 14 + 20);
    EXPECT_EQ(ntohs(keys.sport), 7);
    EXPECT_EQ(ntohs(keys.dport), 9);
  }
  const __u64 direct_runs = global<__u64>("dissect_runs");

  BPFXX_NETNS_PAIR(net);
  LinkPtr link;
  in_netns(net.fd_a(), [&] {
    UniqueFd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    link.reset(bpf_program__attach_netns(dissect, self.get()));
  });
  ASSERT_TRUE(link) << std::strerror(errno);
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(link.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_NETNS);
  EXPECT_EQ(info.netns.attach_type, BPF_FLOW_DISSECTOR);

  const __u64 udp_before = global<__u64>("dissect_udp");
  ASSERT_TRUE(in_netns(net.fd_a(), [&] { return send_raw_udp_frame(net.if_a()); })) << std::strerror(errno);
  EXPECT_GT(global<__u64>("dissect_runs"), direct_runs) << "the kernel never ran the namespace's flow dissector";
  EXPECT_GT(global<__u64>("dissect_udp"), udp_before);

  link.reset();
  const __u64 after = global<__u64>("dissect_runs");
  ASSERT_TRUE(in_netns(net.fd_a(), [&] { return send_raw_udp_frame(net.if_a()); }));
  EXPECT_EQ(global<__u64>("dissect_runs"), after) << "the dissector still ran after its link was destroyed";
}

}  // namespace
}  // namespace bpfxx::test
