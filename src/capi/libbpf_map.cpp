// The C API of struct bpf_map: definition getters, the setters allowed
// before the map is created, initial values, pinning paths, inner maps and
// fd reuse.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "object/object.h"
#include "sys/kernel.h"

#include <cerrno>
#include <climits>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;

namespace {

// Setters refuse once the map exists in the kernel or the object is loaded.
bool busy(const bpf_map* map) { return map->created() || (map->obj != nullptr && map->obj->loaded()); }

}  // namespace

extern "C" {

const char* bpf_map__name(const struct bpf_map* map) {
  return map != nullptr ? map->name.c_str() : nullptr;
}

int bpf_map__fd(const struct bpf_map* map) {
  if (map == nullptr) return err(-EINVAL);
  return map->created() ? map->fd : -1;
}

enum bpf_map_type bpf_map__type(const struct bpf_map* map) { return static_cast<bpf_map_type>(map->type); }

int bpf_map__set_type(struct bpf_map* map, enum bpf_map_type type) {
  if (busy(map)) return err(-EBUSY);
  map->type = type;
  return 0;
}

__u32 bpf_map__key_size(const struct bpf_map* map) { return map->key_size; }

int bpf_map__set_key_size(struct bpf_map* map, __u32 size) {
  if (busy(map)) return err(-EBUSY);
  map->key_size = size;
  return 0;
}

__u32 bpf_map__value_size(const struct bpf_map* map) { return map->value_size; }

int bpf_map__set_value_size(struct bpf_map* map, __u32 size) {
  if (busy(map)) return err(-EBUSY);
  if (map->is_internal()) {
    // The initial value follows the new size: grown with zeroes, or cut.
    // (The section's BTF is adjusted by the load phase.)
    if (size == 0) return err(-EINVAL);
    const int rc = guard([&] {
      map->initial.resize(size, 0);
      return 0;
    });
    if (rc < 0) return rc;
  }
  map->value_size = size;
  return 0;
}

__u32 bpf_map__max_entries(const struct bpf_map* map) { return map->max_entries; }

int bpf_map__set_max_entries(struct bpf_map* map, __u32 max_entries) {
  if (busy(map)) return err(-EBUSY);
  map->max_entries = max_entries;
  return 0;
}

__u32 bpf_map__map_flags(const struct bpf_map* map) { return map->map_flags; }

int bpf_map__set_map_flags(struct bpf_map* map, __u32 flags) {
  if (busy(map)) return err(-EBUSY);
  map->map_flags = flags;
  return 0;
}

__u32 bpf_map__numa_node(const struct bpf_map* map) { return map->numa_node; }

int bpf_map__set_numa_node(struct bpf_map* map, __u32 numa_node) {
  if (busy(map)) return err(-EBUSY);
  map->numa_node = numa_node;
  return 0;
}

__u64 bpf_map__map_extra(const struct bpf_map* map) { return map->map_extra; }

int bpf_map__set_map_extra(struct bpf_map* map, __u64 map_extra) {
  if (busy(map)) return err(-EBUSY);
  map->map_extra = map_extra;
  return 0;
}

__u32 bpf_map__ifindex(const struct bpf_map* map) { return map->ifindex; }

int bpf_map__set_ifindex(struct bpf_map* map, __u32 ifindex) {
  if (busy(map)) return err(-EBUSY);
  map->ifindex = ifindex;
  return 0;
}

__u32 bpf_map__btf_key_type_id(const struct bpf_map* map) {
  return map != nullptr ? map->btf_key_type_id : 0;
}

__u32 bpf_map__btf_value_type_id(const struct bpf_map* map) {
  return map != nullptr ? map->btf_value_type_id : 0;
}

bool bpf_map__is_internal(const struct bpf_map* map) { return map->is_internal(); }

bool bpf_map__autocreate(const struct bpf_map* map) { return map->autocreate; }

int bpf_map__set_autocreate(struct bpf_map* map, bool autocreate) {
  if (busy(map)) return err(-EBUSY);
  map->autocreate = autocreate;
  return 0;
}

bool bpf_map__autoattach(const struct bpf_map* map) { return map->autoattach; }

int bpf_map__set_autoattach(struct bpf_map* map, bool autoattach) {
  map->autoattach = autoattach;
  return 0;
}

void* bpf_map__initial_value(const struct bpf_map* map, size_t* psize) {
  // Before load: the object's own copy; after load the load phase points
  // this at the live mmapped region.
  if (map == nullptr || !map->is_internal() || map->initial.empty()) return nullptr;
  if (psize != nullptr) *psize = map->initial.size();
  return const_cast<uint8_t*>(map->initial.data());
}

int bpf_map__set_initial_value(struct bpf_map* map, const void* data, size_t size) {
  if (map == nullptr) return err(-EINVAL);
  if (busy(map) || map->reused) return err(-EBUSY);
  if (!map->is_internal() || map->initial.empty()) return err(-EINVAL);
  if (size != map->value_size || size != map->initial.size() || data == nullptr) return err(-EINVAL);
  std::memcpy(map->initial.data(), data, size);
  return 0;
}

int bpf_map__set_pin_path(struct bpf_map* map, const char* path) {
  if (map == nullptr) return err(-EINVAL);
  return guard([&] {
    if (path == nullptr) map->pin_path.clear();
    else map->pin_path = path;
    return 0;
  });
}

const char* bpf_map__pin_path(const struct bpf_map* map) {
  return map->pin_path.empty() ? nullptr : map->pin_path.c_str();
}

const char* bpf_map__get_pin_path(const struct bpf_map* map) { return bpf_map__pin_path(map); }

bool bpf_map__is_pinned(const struct bpf_map* map) { return map->pinned; }

struct bpf_map* bpf_map__inner_map(struct bpf_map* map) {
  if (map == nullptr || !map->inner) return err_ptr<bpf_map>(-EINVAL);
  return map->inner.get();
}

int bpf_map__set_inner_map_fd(struct bpf_map* map, int fd) {
  if (map == nullptr || fd < 0) return err(-EINVAL);
  if (map->type != BPF_MAP_TYPE_ARRAY_OF_MAPS && map->type != BPF_MAP_TYPE_HASH_OF_MAPS) {
    BPFXX_WARN("map '%s': only map-in-maps take an inner map fd\n", map->name.c_str());
    return err(-EINVAL);
  }
  if (map->inner_map_fd >= 0) {
    BPFXX_WARN("map '%s': the inner map fd is already set\n", map->name.c_str());
    return err(-EINVAL);
  }
  if (busy(map)) return err(-EBUSY);
  // The given map replaces the BTF-declared template at creation.
  map->inner.reset();
  map->inner_map_fd = fd;
  return 0;
}

int bpf_map__reuse_fd(struct bpf_map* map, int fd) {
  if (map == nullptr || fd < 0) return err(-EINVAL);
  if (busy(map)) return err(-EBUSY);
  return guard([&]() -> int {
    struct bpf_map_info info;
    std::memset(&info, 0, sizeof info);
    __u32 len = sizeof info;
    if (int rc = bpf_map_get_info_by_fd(fd, &info, &len); rc < 0) return err(rc);
    // Our own descriptor, close-on-exec; closed by the load phase's owner.
    const int dup = bpfxx::sys::kernel().dup_cloexec(fd, 0);
    if (dup < 0) return err(dup);
    map->fd = dup;
    map->reused = true;
    map->type = info.type;
    map->key_size = info.key_size;
    map->value_size = info.value_size;
    map->max_entries = info.max_entries;
    map->map_flags = info.map_flags;
    map->map_extra = info.map_extra;
    map->btf_key_type_id = info.btf_key_type_id;
    map->btf_value_type_id = info.btf_value_type_id;
    // The kernel keeps 15 characters of a name: a longer name of ours that
    // starts with them stays, any other name becomes the kernel's.
    const size_t klen = strnlen(info.name, sizeof info.name);
    if (!(klen == sizeof info.name - 1 && map->name.compare(0, klen, info.name, klen) == 0))
      map->name.assign(info.name, klen);
    return 0;
  });
}

}  // extern "C"
