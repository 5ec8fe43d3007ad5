// Registering a struct_ops map with the kernel (bpf_map__attach_struct_ops)
// and the link that undoes it.
//
// The map's value -- the kernel value prepared at load, with program fds --
// is written into the map (BPF_MAP_UPDATE_ELEM, key 0). For a plain
// .struct_ops map that write registers the ops, and the link's detach
// deletes the element again (unregisters); the link has no kernel link of
// its own and keeps a duplicate of the map's fd for that. For a
// .struct_ops.link map (BPF_F_LINK) the write only fills the map; a BPF
// link (BPF_LINK_CREATE, BPF_STRUCT_OPS) registers it, detaching closes
// that link, and bpf_link__update_map() moves the link to another map of
// the same type (BPF_LINK_UPDATE).
#pragma once

#include "link/link.h"

#include <bpfxx/result.hpp>

#include <memory>
#include <string>

struct bpf_map;

namespace bpfxx::link {

class StructOpsLink final : public bpf_link {
 public:
  // link_fd: the BPF link (owned), or -1 for a plain map; map_dup: an fd
  // of the map owned by this link (plain maps), or -1.
  StructOpsLink(int link_fd, int map_dup, std::string map_name) noexcept;
  ~StructOpsLink() override;

  int fd() const noexcept override { return owned_fd() >= 0 ? owned_fd() : map_dup_; }
  Result<void> detach() override;
  Result<void> update_map(const bpf_map& map) override;
  // A struct_ops link switches maps, not programs: EINVAL.
  Result<void> update_program(int prog_fd, const std::string& prog_name) override;
  // A plain map (no BPF link) has nothing to detach: EINVAL.
  Result<void> detach_in_kernel() override;
  std::string describe() const override;

 private:
  int map_dup_ = -1;
  std::string map_name_;
};

// bpf_map__attach_struct_ops(): the map must be a loaded struct_ops map.
Result<std::unique_ptr<StructOpsLink>> attach_struct_ops(const bpf_map& map);

}  // namespace bpfxx::link
