// sockmap links: the map fd is the target, the attach type the program's.
#include "link/sockmap.h"

#include "object/program.h"

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> attach_sockmap(const bpf_program& prog, int map_fd) {
  return create_program_link(prog, map_fd, static_cast<bpf_attach_type>(prog.expected_attach_type), nullptr,
                             "sockmap", "map fd " + std::to_string(map_fd));
}

}  // namespace bpfxx::link
