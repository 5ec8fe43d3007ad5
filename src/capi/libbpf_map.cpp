// The C API of struct bpf_map: definition getters, the setters allowed
// before the map is created, initial values, pinning paths, inner maps and
// fd reuse.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "object/arena.h"
#include "object/btf_fixup.h"
#include "object/object.h"
#include "sys/kernel.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <string_view>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;

namespace {

// Setters refuse once the map exists in the kernel or the object is
// prepared (libbpf's "map is created": maps exist from prepare on).
bool busy(const bpf_map* map) {
  return map->created() || map->reused ||
         (map->obj != nullptr && map->obj->state >= bpfxx::object::State::kPrepared);
}

bool is_percpu(uint32_t type) {
  return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

// The checks of the typed element operations: the map exists, and the
// caller's buffers have the sizes the kernel will read and write (which
// the raw commands cannot check: a short buffer means memory corruption).
// Returns 0 or a negative errno, after saying what is wrong.
int check_elem_op(const bpf_map* map, size_t key_sz, bool has_value, size_t value_sz, __u64 flags) {
  if (map == nullptr) return -EINVAL;
  const bool exists =
      map->created() || map->reused || (map->obj != nullptr && map->obj->state >= bpfxx::object::State::kPrepared);
  if (!exists) {
    BPFXX_WARN("map '%s': not created yet (load the object first)\n", map->name.c_str());
    return -ENOENT;
  }
  if (key_sz != map->key_size) {
    BPFXX_WARN("map '%s': key of %zu bytes given, its key size is %u\n", map->name.c_str(), key_sz, map->key_size);
    return -EINVAL;
  }
  if (map->fd < 0) {
    BPFXX_WARN("map '%s': has no fd (autocreate off?)\n", map->name.c_str());
    return -EINVAL;
  }
  if (!has_value) return 0;
  if (!is_percpu(map->type)) {
    if (value_sz != map->value_size) {
      BPFXX_WARN("map '%s': value of %zu bytes given, its value size is %u\n", map->name.c_str(), value_sz,
                 map->value_size);
      return -EINVAL;
    }
    return 0;
  }
  const int cpus = libbpf_num_possible_cpus();
  if (cpus < 0) return cpus;
  if ((flags & (BPF_F_CPU | BPF_F_ALL_CPUS)) != 0) {
    // One CPU's value (or one value for all CPUs): a single element.
    if ((flags & BPF_F_CPU) != 0 && (flags & BPF_F_ALL_CPUS) != 0) {
      BPFXX_WARN("map '%s': BPF_F_CPU and BPF_F_ALL_CPUS exclude each other\n", map->name.c_str());
      return -EINVAL;
    }
    if ((flags & BPF_F_CPU) != 0 && (flags >> 32) >= static_cast<__u64>(cpus)) {
      BPFXX_WARN("map '%s': CPU %llu given in the flags, the system has %d possible CPUs\n", map->name.c_str(),
                 static_cast<unsigned long long>(flags >> 32), cpus);
      return -ERANGE;
    }
    if (value_sz != map->value_size) {
      BPFXX_WARN("map '%s': value of %zu bytes given for one CPU, its value size is %u\n", map->name.c_str(),
                 value_sz, map->value_size);
      return -EINVAL;
    }
    return 0;
  }
  const size_t elem = (static_cast<size_t>(map->value_size) + 7) / 8 * 8;
  const size_t want = elem * static_cast<size_t>(cpus);
  if (value_sz != want) {
    BPFXX_WARN("map '%s': value of %zu bytes given for a per-CPU map, expected %d CPUs * %zu = %zu\n",
               map->name.c_str(), value_sz, cpus, elem, want);
    return -EINVAL;
  }
  return 0;
}

// Custom data sections (".data.foo", ".rodata.foo") are known to users by
// their full section name, which the kernel's 15-character name may cut;
// plain .data/.rodata/.bss/.kconfig keep the object-prefixed kernel name.
// This matches libbpf, whose find_map_by_name() also takes the full name.
bool reports_section_name(const struct bpf_map& map) {
  if (map.kind != bpfxx::object::MapKind::kData && map.kind != bpfxx::object::MapKind::kRodata) return false;
  const std::string_view sec = map.real_name;
  return sec.starts_with(".data.") || sec.starts_with(".rodata.");
}

}  // namespace

extern "C" {

int bpf_map__lookup_elem(const struct bpf_map* map, const void* key, size_t key_sz, void* value,
                         size_t value_sz, __u64 flags) {
  if (int rc = check_elem_op(map, key_sz, true, value_sz, flags); rc < 0) return err(rc);
  return bpf_map_lookup_elem_flags(map->fd, key, value, flags);
}

int bpf_map__update_elem(const struct bpf_map* map, const void* key, size_t key_sz, const void* value,
                         size_t value_sz, __u64 flags) {
  if (int rc = check_elem_op(map, key_sz, true, value_sz, flags); rc < 0) return err(rc);
  return bpf_map_update_elem(map->fd, key, value, flags);
}

int bpf_map__delete_elem(const struct bpf_map* map, const void* key, size_t key_sz, __u64 flags) {
  if (int rc = check_elem_op(map, key_sz, false, 0, flags); rc < 0) return err(rc);
  return bpf_map_delete_elem_flags(map->fd, key, flags);
}

int bpf_map__lookup_and_delete_elem(const struct bpf_map* map, const void* key, size_t key_sz, void* value,
                                    size_t value_sz, __u64 flags) {
  if (int rc = check_elem_op(map, key_sz, true, value_sz, flags); rc < 0) return err(rc);
  return bpf_map_lookup_and_delete_elem_flags(map->fd, key, value, flags);
}

int bpf_map__get_next_key(const struct bpf_map* map, const void* cur_key, void* next_key, size_t key_sz) {
  if (int rc = check_elem_op(map, key_sz, false, 0, 0); rc < 0) return err(rc);
  return bpf_map_get_next_key(map->fd, cur_key, next_key);
}


const char* bpf_map__name(const struct bpf_map* map) {
  if (map == nullptr) return nullptr;
  return reports_section_name(*map) ? map->real_name.c_str() : map->name.c_str();
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
  if (!map->initial.empty()) {
    // Global data: the bytes follow the new size (grown with zeroes, or
    // cut), which may move them, as in libbpf.
    if (map->type != BPF_MAP_TYPE_ARRAY) {
      BPFXX_WARN("map '%s': only an array's global data can be resized\n", map->name.c_str());
      return err(-EOPNOTSUPP);
    }
    if (size == 0) {
      BPFXX_WARN("map '%s': global data cannot have value size 0\n", map->name.c_str());
      return err(-EINVAL);
    }
    const int rc = guard([&] {
      bpfxx::Result<void> r = map->initial.resize(size);
      if (!r) {
        BPFXX_WARN("map '%s': resizing its global data failed: %s\n", map->name.c_str(), r.message().c_str());
        return err(-r.error());
      }
      return 0;
    });
    if (rc < 0) return rc;
    if (map->obj != nullptr) {
      // The section's BTF follows; a map whose BTF cannot describe the new
      // size loses its BTF types instead (libbpf's rule).
      const int brc = guard([&] {
        bpfxx::Result<void> r = bpfxx::object::resize_data_btf(*map->obj, *map, size);
        return r ? 0 : -r.error();
      });
      if (brc < 0 && brc != -ENOENT) {
        BPFXX_WARN("map '%s': its BTF cannot follow the new size; dropping its BTF key/value types\n",
                   map->name.c_str());
        map->btf_key_type_id = 0;
        map->btf_value_type_id = 0;
      }
    }
  }
  map->value_size = size;
  return 0;
}

__u32 bpf_map__max_entries(const struct bpf_map* map) { return map->max_entries; }

int bpf_map__set_max_entries(struct bpf_map* map, __u32 max_entries) {
  if (busy(map)) return err(-EBUSY);
  map->max_entries = max_entries;
  // Ring buffers need a power-of-two number of pages: rounded up, as libbpf does.
  if (map->type == BPF_MAP_TYPE_RINGBUF || map->type == BPF_MAP_TYPE_USER_RINGBUF)
    map->max_entries = bpfxx::object::ringbuf_size(max_entries);
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
  // The same address from open to close: the object's bytes before load,
  // the map's own memory after it when the map is mmapable (libbpf 1.8).
  if (map == nullptr) return nullptr;
  if (map->st_ops) {
    // struct_ops: the shadow (object layout, program pointers in the
    // function-pointer members; struct_ops.h).
    if (psize != nullptr) *psize = map->st_ops->shadow.size();
    return map->st_ops->shadow.data();
  }
  if (!map->arena_mapping.empty()) {
    // libbpf 1.8: the start of the mapped arena with the globals' size;
    // the globals themselves are at arena_globals_offset() (arena.h).
    if (psize != nullptr) *psize = bpfxx::object::arena_globals_size(*map);
    return map->arena_mapping.data();
  }
  if (map->initial.empty()) return nullptr;
  if (psize != nullptr) *psize = map->initial.size();
  return map->initial.data();
}

int bpf_map__set_initial_value(struct bpf_map* map, const void* data, size_t size) {
  if (map == nullptr) return err(-EINVAL);
  if (busy(map)) return err(-EBUSY);
  if (map->is_internal() && map->real_name == ".kconfig") {
    // Load writes the kernel's configuration there.
    BPFXX_WARN("map '%s': its value comes from the kernel configuration\n", map->name.c_str());
    return err(-EINVAL);
  }
  if (map->initial.empty()) {
    BPFXX_WARN("map '%s': has no global data to set\n", map->name.c_str());
    return err(-EINVAL);
  }
  // An arena's value is its globals (value_size is 0 for arenas).
  const size_t want = map->type == BPF_MAP_TYPE_ARENA ? map->initial.size() : map->value_size;
  if (size != want || size != map->initial.size() || data == nullptr) {
    BPFXX_WARN("map '%s': initial value of %zu bytes given, value size is %zu\n", map->name.c_str(), size,
               want);
    return err(-EINVAL);
  }
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
  // Unlike the setters, a reused map may be given another fd until the
  // object is prepared (libbpf 1.8): the earlier duplicate is closed.
  if (map->obj != nullptr && map->obj->state >= bpfxx::object::State::kPrepared) {
    BPFXX_WARN("map '%s': cannot reuse an fd once the object is prepared or loaded\n", map->name.c_str());
    return err(-EBUSY);
  }
  return guard([&]() -> int {
    struct bpf_map_info info;
    std::memset(&info, 0, sizeof info);
    __u32 len = sizeof info;
    if (int rc = bpf_map_get_info_by_fd(fd, &info, &len); rc < 0) {
      BPFXX_WARN("map '%s': fd %d is not a map to reuse: %s\n", map->name.c_str(), fd, std::strerror(-rc));
      return err(rc);
    }
    bpfxx::Result<void> r = bpfxx::object::adopt_map_fd(*map, fd, info);
    return r ? 0 : err(-r.error());
  });
}

}  // extern "C"
