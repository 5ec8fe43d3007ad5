// XDP through BPF links and through rtnetlink (IFLA_XDP), and the device's
// XDP features through the "netdev" generic netlink family.
#include "link/xdp.h"

#include "base/log.h"
#include "object/program.h"
#include "sys/netlink.h"

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>

namespace bpfxx::link {

namespace {

// The netdev family's numbers (uapi linux/netdev.h, absent from older
// system headers).
constexpr uint8_t kNetdevCmdDevGet = 1;
constexpr uint16_t kNetdevAttrIfindex = 1;
constexpr uint16_t kNetdevAttrXdpFeatures = 3;
constexpr uint16_t kNetdevAttrXdpZcMaxSegs = 4;

std::string device(int ifindex) { return "ifindex " + std::to_string(ifindex); }

// Fills the features of state from the netdev family; a kernel without the
// family leaves them 0.
Result<void> read_features(int ifindex, XdpState& state) {
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_GENERIC); !r) return r;
  auto family = sys::genl_family_id(sock, "netdev");
  if (!family) return family.error() == ENOENT ? Result<void>{} : Result<void>{family.failure()};
  sys::NetlinkMessage msg(*family, 0);
  genlmsghdr g{};
  g.cmd = kNetdevCmdDevGet;
  g.version = 1;
  msg.put_body(&g, sizeof g);
  msg.put<uint32_t>(kNetdevAttrIfindex, static_cast<uint32_t>(ifindex));
  return sock.request(msg, device(ifindex) + ": reading XDP features", [&](const nlmsghdr& h) {
    constexpr size_t kHead = NLMSG_HDRLEN + GENL_HDRLEN;
    if (h.nlmsg_len < kHead) return;
    sys::for_each_attr(reinterpret_cast<const uint8_t*>(&h) + kHead, h.nlmsg_len - kHead,
                       [&](uint16_t type, const uint8_t* data, size_t len) {
                         if (type == kNetdevAttrXdpFeatures && len >= 8) std::memcpy(&state.feature_flags, data, 8);
                         if (type == kNetdevAttrXdpZcMaxSegs && len >= 4) std::memcpy(&state.xdp_zc_max_segs, data, 4);
                       });
  });
}

}  // namespace

Result<std::unique_ptr<bpf_link>> attach_xdp(const bpf_program& prog, int ifindex, __u32 flags) {
  if (ifindex <= 0) {
    BPFXX_WARN("prog '%s': XDP needs an interface index, got %d\n", prog.name.c_str(), ifindex);
    return fail(EINVAL, "prog '" + prog.name + "': bad ifindex");
  }
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = flags;
  return create_program_link(prog, ifindex, BPF_XDP, &opts, "xdp", device(ifindex));
}

Result<void> xdp_set(int ifindex, int prog_fd, __u32 flags, int old_prog_fd) {
  if (ifindex <= 0) {
    BPFXX_WARN("XDP: bad interface index %d\n", ifindex);
    return fail(EINVAL, "bad ifindex");
  }
  if ((flags & ~static_cast<__u32>(XDP_FLAGS_MASK)) != 0) {
    BPFXX_WARN("%s: unknown XDP flags 0x%x\n", device(ifindex).c_str(), flags & ~static_cast<__u32>(XDP_FLAGS_MASK));
    return fail(EINVAL, "unknown XDP flags");
  }
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r;
  sys::NetlinkMessage msg(RTM_SETLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  msg.put_body(&ifi, sizeof ifi);
  const size_t nest = msg.begin_nest(IFLA_XDP);
  msg.put<int32_t>(IFLA_XDP_FD, prog_fd);
  if (flags != 0) msg.put<uint32_t>(IFLA_XDP_FLAGS, flags);
  if ((flags & XDP_FLAGS_REPLACE) != 0) msg.put<int32_t>(IFLA_XDP_EXPECTED_FD, old_prog_fd);
  msg.end_nest(nest);
  return sock.request(msg, device(ifindex) + (prog_fd >= 0 ? ": attaching XDP" : ": detaching XDP"));
}

Result<XdpState> xdp_query(int ifindex, bool features) {
  if (ifindex <= 0) {
    BPFXX_WARN("XDP: bad interface index %d\n", ifindex);
    return fail(EINVAL, "bad ifindex");
  }
  XdpState state;
  sys::NetlinkSocket sock;
  if (auto r = sock.open(NETLINK_ROUTE); !r) return r.failure();
  sys::NetlinkMessage msg(RTM_GETLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  msg.put_body(&ifi, sizeof ifi);
  const uint32_t ext_mask = RTEXT_FILTER_SKIP_STATS;
  msg.put(IFLA_EXT_MASK, ext_mask);
  auto r = sock.request(msg, device(ifindex) + ": querying XDP", [&](const nlmsghdr& h) {
    constexpr size_t kHead = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifinfomsg));
    if (h.nlmsg_type != RTM_NEWLINK || h.nlmsg_len < kHead) return;
    sys::for_each_attr(reinterpret_cast<const uint8_t*>(&h) + kHead, h.nlmsg_len - kHead,
                       [&](uint16_t type, const uint8_t* data, size_t len) {
                         if (type != IFLA_XDP) return;
                         sys::for_each_attr(data, len, [&](uint16_t t, const uint8_t* d, size_t l) {
                           auto u32 = [&](__u32& out) {
                             if (l >= 4) std::memcpy(&out, d, 4);
                           };
                           if (t == IFLA_XDP_ATTACHED && l >= 1) state.attach_mode = d[0];
                           if (t == IFLA_XDP_PROG_ID) u32(state.prog_id);
                           if (t == IFLA_XDP_DRV_PROG_ID) u32(state.drv_prog_id);
                           if (t == IFLA_XDP_SKB_PROG_ID) u32(state.skb_prog_id);
                           if (t == IFLA_XDP_HW_PROG_ID) u32(state.hw_prog_id);
                         });
                       });
  });
  if (!r) return r.failure();
  if (features) {
    if (auto f = read_features(ifindex, state); !f) return f.failure();
  }
  return state;
}

}  // namespace bpfxx::link
