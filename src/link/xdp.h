// XDP: a program on a network device, either as a BPF link
// (bpf_program__attach_xdp, BPF_LINK_CREATE with BPF_XDP) or through
// rtnetlink (bpf_xdp_attach/detach/query: IFLA_XDP of an RTM_SETLINK or
// RTM_GETLINK), plus the device's XDP features (netdev generic netlink).
#pragma once

#include "link/cgroup.h"

#include <cstdint>

namespace bpfxx::link {

// A BPF link of an XDP program to ifindex; flags are XDP_FLAGS_* modes.
Result<std::unique_ptr<bpf_link>> attach_xdp(const bpf_program& prog, int ifindex, __u32 flags = 0);

// Sets (prog_fd >= 0) or removes (prog_fd -1) the netlink XDP program of
// ifindex; with XDP_FLAGS_REPLACE, only when old_prog_fd is the current one.
Result<void> xdp_set(int ifindex, int prog_fd, __u32 flags, int old_prog_fd);

// What IFLA_XDP of a device reports, and its XDP features.
struct XdpState {
  __u32 prog_id = 0;
  __u32 drv_prog_id = 0;
  __u32 hw_prog_id = 0;
  __u32 skb_prog_id = 0;
  __u8 attach_mode = 0;  // XDP_ATTACHED_*
  __u64 feature_flags = 0;
  __u32 xdp_zc_max_segs = 0;
};

// Reads the device's XDP state; with features, also its XDP features when
// the kernel has the netdev family (left 0 otherwise).
Result<XdpState> xdp_query(int ifindex, bool features);

}  // namespace bpfxx::link
