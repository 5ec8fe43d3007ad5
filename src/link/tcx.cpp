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
  return create_ordered_link<&bpf_link_create_opts::tcx>(prog, ifindex, order, "tcx",
                                                         "ifindex " + std::to_string(ifindex));
}

}  // namespace bpfxx::link
