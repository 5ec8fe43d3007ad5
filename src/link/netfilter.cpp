// netfilter links: no target fd; the hook is described by the options.
#include "link/netfilter.h"

#include "object/program.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_netfilter(const bpf_program& prog, const NetfilterHook& hook) {
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.netfilter.pf = hook.pf;
  opts.netfilter.hooknum = hook.hooknum;
  opts.netfilter.priority = hook.priority;
  opts.netfilter.flags = hook.flags;
  return create_program_link(prog, 0, BPF_NETFILTER, &opts, "netfilter",
                             "netfilter pf " + std::to_string(hook.pf) + " hook " + std::to_string(hook.hooknum) +
                                 " priority " + std::to_string(hook.priority));
}

}  // namespace bpfxx::link
