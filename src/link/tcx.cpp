// tcx links (BPF_LINK_CREATE with BPF_TCX_INGRESS or BPF_TCX_EGRESS).
#include "link/tcx.h"

#include "base/log.h"
#include "object/program.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_tcx(const bpf_program& prog, int ifindex, const MprogOrder& order) {
  if (ifindex <= 0) {
    BPFXX_WARN("prog '%s': tcx needs an interface index, got %d\n", prog.name.c_str(), ifindex);
    return fail(EINVAL, "prog '" + prog.name + "': bad ifindex");
  }
  if (order.relative_fd != 0 && order.relative_id != 0) {
    BPFXX_WARN("prog '%s': a tcx anchor is named by fd or by id, not both\n", prog.name.c_str());
    return fail(EINVAL, "prog '" + prog.name + "': relative_fd and relative_id both set");
  }
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = order.flags;
  opts.tcx.relative_fd = order.relative_fd;
  opts.tcx.relative_id = order.relative_id;
  opts.tcx.expected_revision = order.expected_revision;
  return create_program_link(prog, ifindex, static_cast<bpf_attach_type>(prog.expected_attach_type), &opts, "tcx",
                             "ifindex " + std::to_string(ifindex));
}

}  // namespace bpfxx::link
