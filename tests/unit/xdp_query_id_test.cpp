// bpf_xdp_query_id() over a faked rtnetlink answer: an interface with XDP
// programs in several modes at once (driver and hardware offload), which no
// test machine without an offloading NIC can produce. libbpf's answers:
// with no mode named, 0; with modes named, the driver program first, then
// the hardware one, then the generic one.
#include "fake_kernel.h"

#include <bpf/libbpf.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kIfindex = 42;
constexpr __u32 kDrvId = 5, kHwId = 7;

// Answers one RTM_GETLINK with an RTM_NEWLINK holding IFLA_XDP (attached
// in several modes), then an ACK; fails everything else.
class MultiModeXdpKernel : public FakeKernel {
 public:
  int socket(int domain, int, int) override { return domain == AF_NETLINK ? 77 : -ENOSYS; }
  int setsockopt(int, int, int, const void*, socklen_t) override { return 0; }
  ssize_t sendmsg(int, const struct msghdr* msg, int) override {
    nlmsghdr h{};
    std::memcpy(&h, msg->msg_iov[0].iov_base, sizeof h);
    seq_ = h.nlmsg_seq;
    return static_cast<ssize_t>(msg->msg_iov[0].iov_len);
  }
  ssize_t recvmsg(int, struct msghdr* msg, int) override {
    std::vector<char> out;
    // RTM_NEWLINK: ifinfomsg, IFLA_XDP { ATTACHED, DRV_PROG_ID, HW_PROG_ID }.
    const size_t xdp_len = RTA_LENGTH(RTA_ALIGN(RTA_LENGTH(1)) + 2 * RTA_ALIGN(RTA_LENGTH(4)));
    const size_t link_len = NLMSG_LENGTH(NLMSG_ALIGN(sizeof(ifinfomsg)) + xdp_len);
    out.resize(NLMSG_ALIGN(link_len) + NLMSG_LENGTH(sizeof(nlmsgerr)));
    char* p = out.data();
    nlmsghdr h{};
    h.nlmsg_len = static_cast<__u32>(link_len);
    h.nlmsg_type = RTM_NEWLINK;
    h.nlmsg_seq = seq_;
    std::memcpy(p, &h, sizeof h);
    ifinfomsg ifi{};
    ifi.ifi_index = kIfindex;
    std::memcpy(p + NLMSG_HDRLEN, &ifi, sizeof ifi);
    char* a = p + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg));
    a = put_attr(a, IFLA_XDP, nullptr, xdp_len - RTA_LENGTH(0));
    const __u8 mode = XDP_ATTACHED_MULTI;
    char* inner = a - (xdp_len - RTA_LENGTH(0));
    inner = put_attr(inner, IFLA_XDP_ATTACHED, &mode, 1);
    inner = put_attr(inner, IFLA_XDP_DRV_PROG_ID, &kDrvId, 4);
    put_attr(inner, IFLA_XDP_HW_PROG_ID, &kHwId, 4);
    char* ack = p + NLMSG_ALIGN(link_len);
    h.nlmsg_len = static_cast<__u32>(NLMSG_LENGTH(sizeof(nlmsgerr)));
    h.nlmsg_type = NLMSG_ERROR;
    std::memcpy(ack, &h, sizeof h);
    std::memset(ack + NLMSG_HDRLEN, 0, sizeof(nlmsgerr));
    std::memcpy(msg->msg_iov[0].iov_base, out.data(), out.size());
    msg->msg_flags = 0;
    return static_cast<ssize_t>(out.size());
  }

 private:
  // Writes an attribute header (and data when given) at p; returns where
  // the data starts when data is null (a nest), else the next attribute.
  static char* put_attr(char* p, unsigned short type, const void* data, size_t len) {
    rtattr r{};
    r.rta_type = type;
    r.rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
    std::memcpy(p, &r, sizeof r);
    if (data == nullptr) return p + RTA_LENGTH(len);
    std::memcpy(p + RTA_LENGTH(0), data, len);
    return p + RTA_ALIGN(RTA_LENGTH(len));
  }
  __u32 seq_ = 0;
};

TEST(XdpQueryId, SeveralModesFollowLibbpf) {
  MultiModeXdpKernel k;
  ScopedKernel scope(&k);
  __u32 id = 99;
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, 0, &id), 0);
  EXPECT_EQ(id, 0u) << "no mode named while programs sit in several: 0, as libbpf";
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, XDP_FLAGS_HW_MODE, &id), 0);
  EXPECT_EQ(id, kHwId);
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, XDP_FLAGS_DRV_MODE, &id), 0);
  EXPECT_EQ(id, kDrvId);
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, XDP_FLAGS_DRV_MODE | XDP_FLAGS_HW_MODE, &id), 0);
  EXPECT_EQ(id, kDrvId) << "driver mode wins when several are named";
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, XDP_FLAGS_SKB_MODE | XDP_FLAGS_HW_MODE, &id), 0);
  EXPECT_EQ(id, kHwId);
  ASSERT_EQ(bpf_xdp_query_id(kIfindex, XDP_FLAGS_SKB_MODE, &id), 0);
  EXPECT_EQ(id, 0u);
  LIBBPF_OPTS(bpf_xdp_query_opts, q);
  q.sz = offsetof(bpf_xdp_query_opts, attach_mode) + sizeof q.attach_mode;
  ASSERT_EQ(bpf_xdp_query(kIfindex, 0, &q), 0);
  EXPECT_EQ(q.attach_mode, XDP_ATTACHED_MULTI);
}

}  // namespace
}  // namespace bpfxx::test
