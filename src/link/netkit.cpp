// netkit links (BPF_LINK_CREATE with BPF_NETKIT_PRIMARY or BPF_NETKIT_PEER).
#include "link/netkit.h"

#include "base/log.h"
#include "object/program.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_netkit(const bpf_program& prog, int ifindex, const MprogOrder& order) {
  if (ifindex <= 0) {
    BPFXX_WARN("prog '%s': netkit needs an interface index, got %d\n", prog.name.c_str(), ifindex);
    return fail(EINVAL, "prog '" + prog.name + "': bad ifindex");
  }
  return create_ordered_link<&bpf_link_create_opts::netkit>(prog, ifindex, order, "netkit",
                                                            "ifindex " + std::to_string(ifindex));
}

}  // namespace bpfxx::link
