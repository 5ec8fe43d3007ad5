// Attaching programs to cgroups (bpf_program__attach_cgroup), and the link
// every fd-targeted family shares: a program attached with
// BPF_LINK_CREATE to a target named by an fd or an ifindex (cgroup, XDP,
// tcx, netkit, netfilter, netns, sockmap). Closing the link's fd ends the
// attachment, so the base bpf_link's detach() is all they need.
#pragma once

#include "link/link.h"

#include <bpf/bpf.h>
#include <bpfxx/result.hpp>

#include <memory>
#include <string>

struct bpf_program;

namespace bpfxx::link {

// A BPF link of one program; describe() names the family, the program and
// the target ("cgroup link of prog 'x' to cgroup fd 5").
class ProgramLink final : public bpf_link {
 public:
  ProgramLink(int fd, std::string what) noexcept : bpf_link(fd), what_(std::move(what)) {}
  std::string describe() const override { return what_ + " (link fd " + std::to_string(fd()) + ")"; }

 private:
  std::string what_;
};

// BPF_LINK_CREATE of prog to target with the given attach type and
// options; family and target_desc name the attachment in messages
// ("cgroup", "cgroup fd 5"). The program must be loaded.
Result<std::unique_ptr<bpf_link>> create_program_link(const bpf_program& prog, int target,
                                                      enum bpf_attach_type type,
                                                      const struct bpf_link_create_opts* opts,
                                                      const char* family, const std::string& target_desc);

// Where a cgroup link goes among the cgroup's programs of the same hook:
// before or after another program (by fd or id, BPF_F_BEFORE/AFTER in
// flags), with the revision the caller expects (0: any).
struct CgroupOrder {
  __u32 flags = 0;
  __u32 relative_fd = 0;
  __u32 relative_id = 0;
  __u64 expected_revision = 0;
};

// The part of an ordered link that is the same for every family: refuses
// an anchor named by both fd and id, sets order's flags in opts and creates
// the link at prog's expected attach type.
Result<std::unique_ptr<bpf_link>> create_ordered_link_with(const bpf_program& prog, int target,
                                                           const CgroupOrder& order, struct bpf_link_create_opts& opts,
                                                           const char* family, const std::string& target_desc);

// A link of prog placed by order among the other programs on target's hook
// (cgroup, tcx, netkit). anchor is the family's member of
// bpf_link_create_opts (&bpf_link_create_opts::cgroup, ::tcx, ::netkit):
// they are separate structs with the same fields.
template <auto anchor>
Result<std::unique_ptr<bpf_link>> create_ordered_link(const bpf_program& prog, int target, const CgroupOrder& order,
                                                      const char* family, const std::string& target_desc) {
  LIBBPF_OPTS(bpf_link_create_opts, opts);
  (opts.*anchor).relative_fd = order.relative_fd;
  (opts.*anchor).relative_id = order.relative_id;
  (opts.*anchor).expected_revision = order.expected_revision;
  return create_ordered_link_with(prog, target, order, opts, family, target_desc);
}

// bpf_program__attach_cgroup(_opts): a link of prog, at its expected
// attach type, to the cgroup open as cgroup_fd.
Result<std::unique_ptr<bpf_link>> attach_cgroup(const bpf_program& prog, int cgroup_fd,
                                                const CgroupOrder& order = {});

}  // namespace bpfxx::link
