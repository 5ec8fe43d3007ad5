// cgroup links, and the BPF_LINK_CREATE step shared by the families that
// attach to an fd or an ifindex.
#include "link/cgroup.h"

#include "base/log.h"
#include <bpf/libbpf.h>
#include "object/program.h"

#include <cerrno>
#include <cstring>

namespace bpfxx::link {

Result<std::unique_ptr<bpf_link>> create_program_link(const bpf_program& prog, int target,
                                                      enum bpf_attach_type type,
                                                      const struct bpf_link_create_opts* opts,
                                                      const char* family, const std::string& target_desc) {
  if (prog.fd < 0) {
    BPFXX_WARN("prog '%s': not loaded, so it cannot be attached to %s\n", prog.name.c_str(), target_desc.c_str());
    return fail(EINVAL, "prog '" + prog.name + "': not loaded");
  }
  const int fd = bpf_link_create(prog.fd, target, type, opts);
  if (fd < 0) {
    const int e = errno;
    BPFXX_WARN("prog '%s': attaching to %s (%s, attach type %s) failed: %s\n", prog.name.c_str(),
               target_desc.c_str(), family, libbpf_bpf_attach_type_str(type) ? libbpf_bpf_attach_type_str(type) : "?",
               std::strerror(e));
    return fail(e, "prog '" + prog.name + "': attaching to " + target_desc);
  }
  std::string what = std::string(family) + " link of prog '" + prog.name + "' to " + target_desc;
  return std::unique_ptr<bpf_link>(std::make_unique<ProgramLink>(fd, std::move(what)));
}

Result<std::unique_ptr<bpf_link>> create_ordered_link_with(const bpf_program& prog, int target,
                                                           const CgroupOrder& order, struct bpf_link_create_opts& opts,
                                                           const char* family, const std::string& target_desc) {
  if (order.relative_fd != 0 && order.relative_id != 0) {
    BPFXX_WARN("prog '%s': a %s anchor is named by fd or by id, not both\n", prog.name.c_str(), family);
    return fail(EINVAL, "prog '" + prog.name + "': relative_fd and relative_id both set");
  }
  opts.flags = order.flags;
  return create_program_link(prog, target, static_cast<bpf_attach_type>(prog.expected_attach_type), &opts, family,
                             target_desc);
}

Result<std::unique_ptr<bpf_link>> attach_cgroup(const bpf_program& prog, int cgroup_fd, const CgroupOrder& order) {
  return create_ordered_link<&bpf_link_create_opts::cgroup>(prog, cgroup_fd, order, "cgroup",
                                                            "cgroup fd " + std::to_string(cgroup_fd));
}

}  // namespace bpfxx::link
