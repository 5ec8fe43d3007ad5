// netkit: programs on the primary or peer device of a netkit pair through
// BPF links (BPF_NETKIT_PRIMARY/PEER), ordered like tcx.
#pragma once

#include "link/tcx.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_netkit(const bpf_program& prog, int ifindex, const MprogOrder& order);

}  // namespace bpfxx::link
