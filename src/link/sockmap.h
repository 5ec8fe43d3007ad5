// sockmap/sockhash links: sk_msg and sk_skb programs attached to a
// SOCKMAP or SOCKHASH map (BPF_SK_MSG_VERDICT, BPF_SK_SKB_VERDICT,
// BPF_SK_SKB_STREAM_PARSER/VERDICT), as links (kernel 6.10+).
#pragma once

#include "link/cgroup.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_sockmap(const bpf_program& prog, int map_fd);

}  // namespace bpfxx::link
