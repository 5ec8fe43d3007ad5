// tcx: programs on a device's ingress or egress through BPF links
// (BPF_TCX_INGRESS/EGRESS), ordered among each other by before/after
// anchors. The direction comes from the program's expected attach type.
#pragma once

#include "link/cgroup.h"

namespace bpfxx::link {

// The ordering of a multi-program attachment (tcx, netkit): as for cgroups.
using MprogOrder = CgroupOrder;

Result<std::unique_ptr<bpf_link>> attach_tcx(const bpf_program& prog, int ifindex, const MprogOrder& order);

}  // namespace bpfxx::link
