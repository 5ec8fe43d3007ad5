// netns links: the attach type is the program's expected one.
#include "link/netns.h"

#include "object/program.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_netns(const bpf_program& prog, int netns_fd) {
  return create_program_link(prog, netns_fd, static_cast<bpf_attach_type>(prog.expected_attach_type), nullptr,
                             "netns", "netns fd " + std::to_string(netns_fd));
}

}  // namespace bpfxx::link
