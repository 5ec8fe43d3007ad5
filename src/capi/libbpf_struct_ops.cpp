// The C API of struct_ops maps beyond the map getters: registering a map
// (bpf_map__attach_struct_ops) and associating a program with one
// (bpf_program__assoc_struct_ops, the seed's BPF_PROG_ASSOC_STRUCT_OPS).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "link/struct_ops_link.h"
#include "object/object.h"
#include "sys/features.h"

#include <cerrno>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;
using bpfxx::capi::guard_ptr;

extern "C" {

struct bpf_link* bpf_map__attach_struct_ops(const struct bpf_map* map) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (map == nullptr) return err_ptr<bpf_link>(-EINVAL);
    auto link = bpfxx::link::attach_struct_ops(*map);
    if (!link) return err_ptr<bpf_link>(-link.error());
    return link->release();
  });
}

int bpf_program__assoc_struct_ops(struct bpf_program* prog, struct bpf_map* map,
                                  struct bpf_prog_assoc_struct_ops_opts* opts) {
  return guard([&]() -> int {
    if (prog == nullptr || map == nullptr) return err(-EINVAL);
    // The kernel's own refusals, said before any system call: struct_ops
    // programs are tied to their maps by the map update already.
    if (prog->type == BPF_PROG_TYPE_STRUCT_OPS) {
      BPFXX_WARN("prog '%s': a struct_ops program cannot be associated with a struct_ops map (its own "
                 "maps associate it when registered)\n", prog->name.c_str());
      return err(-EINVAL);
    }
    if (map->type != BPF_MAP_TYPE_STRUCT_OPS) {
      BPFXX_WARN("map '%s': not a struct_ops map; prog '%s' can only be associated with one\n",
                 map->name.c_str(), prog->name.c_str());
      return err(-EINVAL);
    }
    if (prog->fd < 0) {
      BPFXX_WARN("prog '%s': not loaded (load its object first)\n", prog->name.c_str());
      return err(-EINVAL);
    }
    if (!map->created()) {
      BPFXX_WARN("map '%s': not created (load its object first; autocreate off?)\n", map->name.c_str());
      return err(-EINVAL);
    }
    if (!bpfxx::sys::has_feature(bpfxx::sys::Feature::AssocStructOps)) {
      BPFXX_WARN("prog '%s': this kernel has no BPF_PROG_ASSOC_STRUCT_OPS command (newer kernels have it), so "
                 "it cannot be associated with map '%s'\n", prog->name.c_str(), map->name.c_str());
      return err(-EOPNOTSUPP);
    }
    const int rc = bpf_prog_assoc_struct_ops(prog->fd, map->fd, opts);
    if (rc < 0) {
      const int e = errno;
      BPFXX_WARN("prog '%s': associating it with map '%s' failed: %s\n", prog->name.c_str(), map->name.c_str(),
                 std::strerror(e));
      return err(-e);
    }
    return 0;
  });
}

}  // extern "C"
