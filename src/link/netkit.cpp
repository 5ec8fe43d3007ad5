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
  if (order.relative_fd != 0 && order.relative_id != 0) {
    BPFXX_WARN("prog '%s': a netkit anchor is named by fd or by id, not both\n", prog.name.c_str());
    return fail(EINVAL, "prog '" + prog.name + "': relative_fd and relative_id both set");
  }
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = order.flags;
  opts.netkit.relative_fd = order.relative_fd;
  opts.netkit.relative_id = order.relative_id;
  opts.netkit.expected_revision = order.expected_revision;
  return create_program_link(prog, ifindex, static_cast<bpf_attach_type>(prog.expected_attach_type), &opts,
                             "netkit", "ifindex " + std::to_string(ifindex));
}

}  // namespace bpfxx::link
