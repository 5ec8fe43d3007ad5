// bpf_map__attach_struct_ops() and the struct_ops link (struct_ops_link.h).
#include "link/struct_ops_link.h"

#include "base/log.h"
#include "object/object.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <cstring>

namespace bpfxx::link {
namespace {

Failure map_bad(const bpf_map& m, int err, const std::string& what) {
  BPFXX_WARN("map '%s': %s\n", m.name.c_str(), what.c_str());
  return fail(err, "map '" + m.name + "': " + what);
}

// The checks both attach and update_map make: a struct_ops map whose
// object is loaded (so that its kernel value holds program fds).
Result<void> check_ready(const bpf_map& map) {
  if (map.type != BPF_MAP_TYPE_STRUCT_OPS || !map.st_ops)
    return map_bad(map, EINVAL, "not a struct_ops map");
  if (!map.created()) return map_bad(map, EINVAL, "the map was not created (is the object loaded? autocreate off?)");
  if (map.obj == nullptr || !map.obj->loaded() || map.st_ops->kern_value.empty())
    return map_bad(map, EINVAL, "its programs are not loaded yet (load the object first)");
  return {};
}

// Writes the kernel value; a map already used by a link refuses a second
// write with EBUSY, which link maps tolerate (the value cannot change).
Result<void> write_value(const bpf_map& map) {
  const uint32_t zero = 0;
  const int rc = bpf_map_update_elem(map.fd, &zero, map.st_ops->kern_value.data(), 0);
  if (rc == 0 || (rc == -EBUSY && (map.map_flags & BPF_F_LINK) != 0)) return {};
  return map_bad(map, -rc, std::string("registering its value with the kernel failed: ") + std::strerror(-rc));
}

}  // namespace

StructOpsLink::StructOpsLink(int link_fd, int map_dup, std::string map_name) noexcept
    : bpf_link(link_fd), map_dup_(map_dup), map_name_(std::move(map_name)) {}

StructOpsLink::~StructOpsLink() {
  // The duplicate only served detach(): a plain map stays registered
  // whatever fds are open.
  if (map_dup_ >= 0) sys::kernel().close(map_dup_);
}

Result<void> StructOpsLink::detach() {
  if (owned_fd() >= 0) return close_fd();
  if (map_dup_ < 0) return {};
  const uint32_t zero = 0;
  const int rc = bpf_map_delete_elem(map_dup_, &zero);
  if (rc < 0) {
    BPFXX_WARN("%s: unregistering failed: %s\n", describe().c_str(), std::strerror(-rc));
    return fail(-rc, describe() + ": unregister");
  }
  return {};
}

Result<void> StructOpsLink::update_map(const bpf_map& map) {
  if (auto r = check_ready(map); !r) return r;
  if (owned_fd() < 0) {
    BPFXX_WARN("%s: not a BPF link (the map has no BPF_F_LINK): it cannot be switched to map '%s'\n",
               describe().c_str(), map.name.c_str());
    return fail(EINVAL, describe() + ": not a BPF link");
  }
  if (auto r = write_value(map); !r) return r;
  if (const int rc = bpf_link_update(owned_fd(), map.fd, nullptr); rc < 0) {
    BPFXX_WARN("%s: switching to map '%s' failed: %s\n", describe().c_str(), map.name.c_str(), std::strerror(-rc));
    return fail(-rc, describe() + ": update to map '" + map.name + "'");
  }
  map_name_ = map.name;
  return {};
}

Result<void> StructOpsLink::update_program(int, const std::string& prog_name) {
  BPFXX_WARN("%s: a struct_ops link switches maps (bpf_link__update_map), not programs: not to prog '%s'\n",
             describe().c_str(), prog_name.c_str());
  return fail(EINVAL, describe() + ": update_program");
}

Result<void> StructOpsLink::detach_in_kernel() {
  if (owned_fd() >= 0) return bpf_link::detach_in_kernel();
  BPFXX_WARN("%s: not a BPF link (the map has no BPF_F_LINK): nothing to detach (destroy the link instead)\n",
             describe().c_str());
  return fail(EINVAL, describe() + ": detach");
}

std::string StructOpsLink::describe() const { return "struct_ops link of map '" + map_name_ + "'"; }

Result<std::unique_ptr<StructOpsLink>> attach_struct_ops(const bpf_map& map) {
  if (auto r = check_ready(map); !r) return r.failure();
  if (auto r = write_value(map); !r) return r.failure();
  if ((map.map_flags & BPF_F_LINK) == 0) {
    // Registered by the write; the link keeps a map fd to undo it even if
    // the object is closed first.
    const int dup = sys::kernel().dup_cloexec(map.fd, 3);
    if (dup < 0) {
      const uint32_t zero = 0;
      bpf_map_delete_elem(map.fd, &zero);
      return map_bad(map, -dup, "duplicating its fd failed");
    }
    return std::make_unique<StructOpsLink>(-1, dup, map.name);
  }
  const int fd = bpf_link_create(map.fd, 0, BPF_STRUCT_OPS, nullptr);
  if (fd < 0) return map_bad(map, -fd, std::string("creating its BPF link failed: ") + std::strerror(-fd));
  return std::make_unique<StructOpsLink>(fd, -1, map.name);
}

}  // namespace bpfxx::link
