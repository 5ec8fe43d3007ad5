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

Result<std::unique_ptr<bpf_link>> attach_cgroup(const bpf_program& prog, int cgroup_fd, const CgroupOrder& order) {
  if (order.relative_fd != 0 && order.relative_id != 0) {
    BPFXX_WARN("prog '%s': a cgroup anchor is named by fd or by id, not both\n", prog.name.c_str());
    return fail(EINVAL, "prog '" + prog.name + "': relative_fd and relative_id both set");
  }
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  opts.flags = order.flags;
  opts.cgroup.relative_fd = order.relative_fd;
  opts.cgroup.relative_id = order.relative_id;
  opts.cgroup.expected_revision = order.expected_revision;
  return create_program_link(prog, cgroup_fd, static_cast<bpf_attach_type>(prog.expected_attach_type), &opts,
                             "cgroup", "cgroup fd " + std::to_string(cgroup_fd));
}

}  // namespace bpfxx::link
