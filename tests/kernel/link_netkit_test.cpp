// netkit: a netkit pair made with raw rtnetlink (iproute2 6.1 cannot), the
// primary device in test namespace a and its peer in b, both in L3 mode;
// programs attached with bpf_program__attach_netkit() to the primary and
// to the peer are proven by the IPv4 packets they drop and count. Where
// the kernel has no netkit driver, creating the pair fails and the tests
// skip with that reason, after checking the attach error users see.
#include "link_support.h"
#include "netns.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <bpfxx/unique_fd.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

// uapi facts (include/uapi/linux/if_link.h), absent from older headers.
constexpr unsigned short kNetkitPeerInfo = 1;  // IFLA_NETKIT_PEER_INFO
constexpr unsigned short kNetkitMode = 5;      // IFLA_NETKIT_MODE
constexpr __u32 kNetkitL3 = 1;                 // NETKIT_L3

// A netlink request under construction: attributes appended, nests closed.
class NlRequest {
 public:
  NlRequest(__u16 type, __u16 flags) {
    buf_.resize(NLMSG_HDRLEN);
    hdr()->nlmsg_type = type;
    hdr()->nlmsg_flags = static_cast<__u16>(NLM_F_REQUEST | NLM_F_ACK | flags);
    hdr()->nlmsg_seq = 1;
  }
  template <typename T>
  void put_struct(const T& v) {
    append(&v, sizeof v);
  }
  void put(unsigned short type, const void* data, size_t len) {
    rtattr a{};
    a.rta_type = type;
    a.rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
    append(&a, sizeof a);
    append(data, len);
  }
  void put_str(unsigned short type, const std::string& s) { put(type, s.c_str(), s.size() + 1); }
  template <typename T>
  void put_val(unsigned short type, T v) {
    put(type, &v, sizeof v);
  }
  size_t begin_nest(unsigned short type) {
    const size_t at = buf_.size();
    put(type, nullptr, 0);
    return at;
  }
  void end_nest(size_t at) {
    rtattr a{};
    std::memcpy(&a, buf_.data() + at, sizeof a);
    a.rta_len = static_cast<unsigned short>(buf_.size() - at);
    std::memcpy(buf_.data() + at, &a, sizeof a);
  }
  // Sends the request on a new rtnetlink socket of the calling thread's
  // namespace; returns 0 or the kernel's -errno.
  int send() {
    hdr()->nlmsg_len = static_cast<__u32>(buf_.size());
    UniqueFd s(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!s.valid()) return -errno;
    if (::send(s.get(), buf_.data(), buf_.size(), 0) < 0) return -errno;
    char reply[4096];
    const ssize_t n = ::recv(s.get(), reply, sizeof reply, 0);
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN + sizeof(nlmsgerr))) return -EIO;
    nlmsghdr h{};
    std::memcpy(&h, reply, sizeof h);
    if (h.nlmsg_type != NLMSG_ERROR) return -EIO;
    nlmsgerr e{};
    std::memcpy(&e, reply + NLMSG_HDRLEN, sizeof e);
    return e.error;
  }

 private:
  nlmsghdr* hdr() { return reinterpret_cast<nlmsghdr*>(buf_.data()); }
  void append(const void* data, size_t len) {
    const size_t at = buf_.size();
    buf_.resize(at + NLMSG_ALIGN(len));
    if (len != 0) std::memcpy(buf_.data() + at, data, len);
  }
  std::vector<char> buf_;
};

// Creates primary (in the calling thread's namespace) and peer (in the
// namespace open as peer_ns_fd), L3 mode. Returns 0 or -errno.
int create_netkit_pair(const std::string& primary, const std::string& peer, int peer_ns_fd) {
  NlRequest req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  req.put_struct(ifinfomsg{});
  req.put_str(IFLA_IFNAME, primary);
  const size_t linkinfo = req.begin_nest(IFLA_LINKINFO);
  req.put_str(IFLA_INFO_KIND, "netkit");
  const size_t data = req.begin_nest(IFLA_INFO_DATA);
  req.put_val<__u32>(kNetkitMode, kNetkitL3);
  const size_t peer_info = req.begin_nest(kNetkitPeerInfo);
  req.put_struct(ifinfomsg{});
  req.put_str(IFLA_IFNAME, peer);
  req.put_val<__u32>(IFLA_NET_NS_FD, static_cast<__u32>(peer_ns_fd));
  req.end_nest(peer_info);
  req.end_nest(data);
  req.end_nest(linkinfo);
  return req.send();
}

class LinkNetkit : public ::testing::Test {
 protected:
  static constexpr const char* kAddrPrimary = "10.98.0.1";
  static constexpr const char* kAddrPeer = "10.98.0.2";

  void SetUp() override {
    BPFXX_REQUIRE_ROOT();
    net_ = std::make_unique<NetnsPair>();
    ASSERT_TRUE(net_->ok()) << net_->error();
    const std::string tag = std::to_string(::getpid() % 100000);
    primary_ = "nkp" + tag;
    peer_ = "nkq" + tag;
    create_rc_ = in_netns(net_->fd_a(), [&] { return create_netkit_pair(primary_, peer_, net_->fd_b()); });
    if (create_rc_ != 0) return;
    const std::string steps[] = {
        "ip -n " + net_->ns_a() + " addr add " + kAddrPrimary + "/32 peer " + kAddrPeer + " dev " + primary_,
        "ip -n " + net_->ns_b() + " addr add " + kAddrPeer + "/32 peer " + kAddrPrimary + " dev " + peer_,
        "ip -n " + net_->ns_a() + " link set " + primary_ + " up",
        "ip -n " + net_->ns_b() + " link set " + peer_ + " up",
    };
    for (const auto& s : steps) ASSERT_TRUE(run_quiet(s)) << s;
    primary_ifindex_ = in_netns(net_->fd_a(), [&] { return static_cast<int>(::if_nametoindex(primary_.c_str())); });
    ASSERT_GT(primary_ifindex_, 0);
    elf_ = prog_bytes("attach_netkit");
    obj_ = open_prog_object("attach_netkit");
    ASSERT_TRUE(obj_);
    ASSERT_EQ(bpf_object__load(obj_.get()), 0) << std::strerror(errno);
  }

  bool have_netkit() const { return create_rc_ == 0; }
  std::string why_not() const { return "cannot create a netkit device: " + std::string(std::strerror(-create_rc_)); }

  __u64 global(const char* name) { return read_initial<__u64>(obj_.get(), find_global(elf_, name)); }

  // Sends a datagram from the namespace open as from_fd to addr:port in
  // the other one, where a socket listens; true if it arrived.
  bool udp_crosses(int from_fd, int to_fd, const char* to_addr) {
    UniqueFd rx(in_netns(to_fd, [] { return ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0); }));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    ::inet_pton(AF_INET, to_addr, &a.sin_addr);
    if (::bind(rx.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return false;
    socklen_t len = sizeof a;
    ::getsockname(rx.get(), reinterpret_cast<sockaddr*>(&a), &len);
    in_netns(from_fd, [&] {
      UniqueFd tx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
      static_cast<void>(::sendto(tx.get(), "nk", 2, 0, reinterpret_cast<sockaddr*>(&a), sizeof a));
    });
    pollfd p{rx.get(), POLLIN, 0};
    return ::poll(&p, 1, 300) == 1;
  }

  std::unique_ptr<NetnsPair> net_;
  std::string primary_, peer_;
  int create_rc_ = -EOPNOTSUPP;
  int primary_ifindex_ = 0;
  std::vector<uint8_t> elf_;
  ObjectPtr obj_;
};

TEST_F(LinkNetkit, AttachToANonNetkitDeviceFailsCleanly) {
  ObjectPtr obj = open_prog_object("attach_netkit");
  ASSERT_TRUE(obj);
  ASSERT_EQ(bpf_object__load(obj.get()), 0) << std::strerror(errno);
  FullPrintCapture cap;
  // The veth end is no netkit device.
  LinkPtr link;
  int error = 0;
  in_netns(net_->fd_a(), [&] {
    errno = 0;
    link.reset(bpf_program__attach_netkit(must_find_program(obj.get(), "nk_primary"), net_->ifindex_a(), nullptr));
    error = errno;
  });
  EXPECT_FALSE(link);
  EXPECT_NE(error, 0);
  EXPECT_NE(cap.text().find("prog 'nk_primary'"), std::string::npos) << cap.text();
}

TEST_F(LinkNetkit, PrimaryAndPeerProgramsDropIpv4) {
  if (!have_netkit()) GTEST_SKIP() << "kernel feature missing: " << why_not();
  ASSERT_TRUE(udp_crosses(net_->fd_a(), net_->fd_b(), kAddrPeer)) << "no traffic over the netkit pair";
  ASSERT_TRUE(udp_crosses(net_->fd_b(), net_->fd_a(), kAddrPrimary));

  LinkPtr primary, peer;
  in_netns(net_->fd_a(), [&] {
    primary.reset(bpf_program__attach_netkit(must_find_program(obj_.get(), "nk_primary"), primary_ifindex_, nullptr));
    // The peer's program is attached through the primary device too.
    peer.reset(bpf_program__attach_netkit(must_find_program(obj_.get(), "nk_peer"), primary_ifindex_, nullptr));
  });
  ASSERT_TRUE(primary && peer) << std::strerror(errno);
  bpf_link_info info;
  ASSERT_TRUE(link_info_of(primary.get(), &info));
  EXPECT_EQ(info.type, BPF_LINK_TYPE_NETKIT);
  EXPECT_EQ(info.netkit.attach_type, BPF_NETKIT_PRIMARY);

  // What the primary sends meets the primary's program, and the peer's
  // the peer's.
  EXPECT_FALSE(udp_crosses(net_->fd_a(), net_->fd_b(), kAddrPeer));
  EXPECT_GE(global("primary_drops"), 1u);
  EXPECT_FALSE(udp_crosses(net_->fd_b(), net_->fd_a(), kAddrPrimary));
  EXPECT_GE(global("peer_drops"), 1u);

  primary.reset();
  peer.reset();
  const __u64 primary_drops = global("primary_drops"), peer_drops = global("peer_drops");
  EXPECT_TRUE(udp_crosses(net_->fd_a(), net_->fd_b(), kAddrPeer));
  EXPECT_TRUE(udp_crosses(net_->fd_b(), net_->fd_a(), kAddrPrimary));
  EXPECT_EQ(global("primary_drops"), primary_drops) << "the primary's program ran after its link was destroyed";
  EXPECT_EQ(global("peer_drops"), peer_drops);
}

}  // namespace
}  // namespace bpfxx::test
