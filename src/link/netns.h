// Network namespace links: sk_lookup and flow_dissector programs attached
// to a netns open as an fd (BPF_SK_LOOKUP, BPF_FLOW_DISSECTOR).
#pragma once

#include "link/cgroup.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_netns(const bpf_program& prog, int netns_fd);

}  // namespace bpfxx::link
