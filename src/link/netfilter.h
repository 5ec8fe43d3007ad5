// netfilter: a program on a netfilter hook (protocol family, hook number,
// priority) through a BPF link (BPF_NETFILTER).
#pragma once

#include "link/cgroup.h"

namespace bpfxx::link {

struct NetfilterHook {
  __u32 pf = 0;       // NFPROTO_IPV4 or NFPROTO_IPV6
  __u32 hooknum = 0;  // NF_INET_PRE_ROUTING ...
  __s32 priority = 0;
  __u32 flags = 0;    // BPF_F_NETFILTER_IP_DEFRAG
};

Result<std::unique_ptr<bpf_link>> attach_netfilter(const bpf_program& prog, const NetfilterHook& hook);

}  // namespace bpfxx::link
