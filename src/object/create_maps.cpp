// The map step of the load phase (load.h): every map the object will use is
// made to exist in the kernel, in the object's order.
//
//   1. each map with autocreate: when it has a pin path, a map pinned there
//      is reused if compatible (else the load fails naming the attribute)
//      -- even over an fd given by bpf_map__reuse_fd(), as in libbpf 1.8;
//      a map given by bpf_map__reuse_fd() is kept, any other is created
//      (its inner-map template first, BTF types attached when the kernel
//      takes them); global data is written into it, .rodata frozen, and
//      the bytes behind bpf_map__initial_value() become the map's memory;
//      then it is pinned if it wants a pin (losing a race to another loader
//      pinning first means reusing its map), so that its fd is final
//      before any map-in-map slot takes it;
//   2. map-in-maps with static slots: the slots are filled once every map
//      exists, whatever the declaration order, and only then is the outer
//      map pinned (nobody sees it half filled).
// Program-array slots wait for the programs (fill_prog_slots()).
#include "object/load.h"

#include "base/log.h"
#include "object/arena.h"
#include "object/pin.h"
#include "sys/cpus.h"
#include "sys/features.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::object {
namespace {

std::string label(const bpf_map& m) { return "map '" + m.name + "'"; }

bool is_map_in_map(uint32_t type) {
  return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

// Map types the kernel refuses BTF key/value types for (program arrays
// too, which libbpf leaves to a failed first attempt and a retry).
bool takes_no_btf_types(uint32_t type) {
  switch (type) {
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_STACK_TRACE:
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_HASH_OF_MAPS:
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_DEVMAP_HASH:
    case BPF_MAP_TYPE_CPUMAP:
    case BPF_MAP_TYPE_XSKMAP:
    case BPF_MAP_TYPE_SOCKMAP:
    case BPF_MAP_TYPE_SOCKHASH:
    case BPF_MAP_TYPE_QUEUE:
    case BPF_MAP_TYPE_STACK:
    case BPF_MAP_TYPE_ARENA:
      return true;
    default:
      return false;
  }
}

// Definitions the kernel would refuse as written but libbpf completes: a
// perf event array of 0 entries gets one per possible CPU.
Result<void> complete_definition(bpf_map& m) {
  if (m.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && m.max_entries == 0) {
    Result<int> cpus = sys::num_possible_cpus();
    if (!cpus) {
      BPFXX_WARN("%s: cannot size it by the number of CPUs: %s\n", label(m).c_str(), cpus.message().c_str());
      return cpus.failure();
    }
    BPFXX_DEBUG("%s: max_entries set to %d (possible CPUs)\n", label(m).c_str(), *cpus);
    m.max_entries = static_cast<uint32_t>(*cpus);
  }
  return {};
}

// Creates the kernel map for m's definition; returns its fd. A map-in-map's
// inner template is created for the call and closed again.
Result<int> create_kernel_map(bpf_object& obj, bpf_map& m) {
  LIBBPF_OPTS(bpf_map_create_opts, o);
  o.map_flags = m.map_flags;
  o.numa_node = m.numa_node;  // the kernel reads it with BPF_F_NUMA_NODE only
  o.map_extra = m.map_extra;
  o.map_ifindex = m.ifindex;
  if (obj.token_fd > 0) {
    o.token_fd = obj.token_fd;
    o.map_flags |= BPF_F_TOKEN_FD;
  }
  if (takes_no_btf_types(m.type)) {
    m.btf_key_type_id = m.btf_value_type_id = 0;
  }
  const int btf_fd = obj.btf_data ? btf__fd(obj.btf_data.get()) : -1;
  if (m.st_ops) {
    // The value is the kernel's type; the object's BTF must still be given
    // (the kernel finds the struct_ops programs' types through it).
    o.btf_fd = btf_fd >= 0 ? static_cast<__u32>(btf_fd) : 0;
    o.btf_vmlinux_value_type_id = m.st_ops->kern_value_type_id;
  } else if (btf_fd >= 0 && (m.btf_key_type_id != 0 || m.btf_value_type_id != 0)) {
    o.btf_fd = static_cast<__u32>(btf_fd);
    o.btf_key_type_id = m.btf_key_type_id;
    o.btf_value_type_id = m.btf_value_type_id;
  }

  int inner_fd = -1;  // a template created here, closed before returning
  if (is_map_in_map(m.type)) {
    if (m.inner_map_fd >= 0) {
      o.inner_map_fd = static_cast<__u32>(m.inner_map_fd);
    } else if (m.inner) {
      if (auto r = complete_definition(*m.inner); !r) return r.failure();
      Result<int> fd = create_kernel_map(obj, *m.inner);
      if (!fd) {
        BPFXX_WARN("%s: creating its inner map failed: %s\n", label(m).c_str(), std::strerror(fd.error()));
        return fd.failure();
      }
      inner_fd = *fd;
      o.inner_map_fd = static_cast<__u32>(inner_fd);
    }
  }

  const char* name = sys::has_feature(sys::Feature::ProgName) ? m.name.c_str() : nullptr;
  int fd = bpf_map_create(static_cast<bpf_map_type>(m.type), name, m.key_size, m.value_size,
                          m.max_entries, &o);
  if (fd < 0 && (o.btf_key_type_id != 0 || o.btf_value_type_id != 0)) {
    // Older kernels refuse some BTF types; the map works without them.
    BPFXX_WARN("%s: the kernel refused its BTF key/value types (%s); retrying without them\n",
               label(m).c_str(), std::strerror(-fd));
    o.btf_fd = 0;
    o.btf_key_type_id = o.btf_value_type_id = 0;
    m.btf_key_type_id = m.btf_value_type_id = 0;
    fd = bpf_map_create(static_cast<bpf_map_type>(m.type), name, m.key_size, m.value_size, m.max_entries,
                        &o);
  }
  if (inner_fd >= 0) sys::kernel().close(inner_fd);
  if (fd < 0) {
    BPFXX_WARN("%s: creating it failed (type %u, key %u, value %u, max_entries %u, flags 0x%x): %s\n",
               label(m).c_str(), m.type, m.key_size, m.value_size, m.max_entries, m.map_flags,
               std::strerror(-fd));
    return fail(-fd, label(m) + ": create");
  }
  return fd;
}

// The first attribute in which a pinned map differs from m, or "".
std::string pinned_mismatch(const bpf_map& m, const bpf_map_info& info) {
  uint32_t want_flags = m.map_flags;
  // The kernel reports device maps with BPF_F_RDONLY_PROG, which a
  // definition never carries.
  if (m.type == BPF_MAP_TYPE_DEVMAP || m.type == BPF_MAP_TYPE_DEVMAP_HASH) want_flags |= BPF_F_RDONLY_PROG;
  auto diff = [](const char* attr, unsigned long long have, unsigned long long want, bool hex) {
    char buf[160];
    std::snprintf(buf, sizeof buf, hex ? "%s 0x%llx, object wants 0x%llx" : "%s %llu, object wants %llu", attr,
                  have, want);
    return std::string(buf);
  };
  if (info.type != m.type) return diff("type", info.type, m.type, false);
  if (info.key_size != m.key_size) return diff("key_size", info.key_size, m.key_size, false);
  if (info.value_size != m.value_size) return diff("value_size", info.value_size, m.value_size, false);
  if (info.max_entries != m.max_entries) return diff("max_entries", info.max_entries, m.max_entries, false);
  if (info.map_flags != want_flags) return diff("map_flags", info.map_flags, want_flags, true);
  if (info.map_extra != m.map_extra) return diff("map_extra", info.map_extra, m.map_extra, false);
  return {};
}

// Reuses the map pinned at m's pin path when there is one; nothing pinned
// there is not an error (the map is created and pinned instead).
Result<void> reuse_pinned(bpf_map& m) {
  const int pin_fd = bpf_obj_get(m.pin_path.c_str());
  if (pin_fd < 0) {
    if (pin_fd == -ENOENT) {
      BPFXX_DEBUG("%s: nothing pinned at '%s' to reuse\n", label(m).c_str(), m.pin_path.c_str());
      return {};
    }
    BPFXX_WARN("%s: cannot open the pinned map at '%s': %s\n", label(m).c_str(), m.pin_path.c_str(),
               std::strerror(-pin_fd));
    return fail(-pin_fd, label(m) + ": open pin " + m.pin_path);
  }
  struct bpf_map_info info;
  std::memset(&info, 0, sizeof info);
  __u32 len = sizeof info;
  Result<void> r;
  if (const int rc = bpf_map_get_info_by_fd(pin_fd, &info, &len); rc < 0) {
    BPFXX_WARN("%s: cannot inspect the pinned map at '%s': %s\n", label(m).c_str(), m.pin_path.c_str(),
               std::strerror(-rc));
    r = fail(-rc, label(m) + ": info of pin " + m.pin_path);
  } else if (const std::string why = pinned_mismatch(m, info); !why.empty()) {
    BPFXX_WARN("%s: pinned map at %s has %s\n", label(m).c_str(), m.pin_path.c_str(), why.c_str());
    r = fail(EINVAL, label(m) + ": pinned map at " + m.pin_path + " has " + why);
  } else {
    r = adopt_map_fd(m, pin_fd, info);
    if (r) {
      m.pinned = true;
      BPFXX_DEBUG("%s: reusing the map pinned at '%s'\n", label(m).c_str(), m.pin_path.c_str());
    }
  }
  sys::kernel().close(pin_fd);
  return r;
}

// Global data: the bytes go into the map, .rodata is frozen, and the
// object's bytes become the map's memory where the map is mmapable.
Result<void> populate_data_map(bpf_map& m) {
  if (m.initial.empty() || m.initial.size() != m.value_size) {
    BPFXX_WARN("%s: its data (%zu bytes) does not match value_size %u\n", label(m).c_str(), m.initial.size(),
               m.value_size);
    return fail(EINVAL, label(m) + ": data size");
  }
  const uint32_t zero = 0;
  if (const int rc = bpf_map_update_elem(m.fd, &zero, m.initial.data(), 0); rc < 0) {
    BPFXX_WARN("%s: writing its initial contents failed: %s\n", label(m).c_str(), std::strerror(-rc));
    return fail(-rc, label(m) + ": initial contents");
  }
  const bool frozen = m.kind == MapKind::kRodata;
  if (frozen) {
    if (const int rc = bpf_map_freeze(m.fd); rc < 0) {
      BPFXX_WARN("%s: freezing it read-only failed: %s\n", label(m).c_str(), std::strerror(-rc));
      return fail(-rc, label(m) + ": freeze");
    }
  }
  if ((m.map_flags & BPF_F_MMAPABLE) != 0) {
    if (auto r = m.initial.map_kernel(m.fd, frozen); !r) {
      BPFXX_WARN("%s: mapping its memory at the initial value's address failed: %s\n", label(m).c_str(),
                 r.message().c_str());
      return r;
    }
  }
  return {};
}

// Undoes the creation of m (the pin race of pin_wanted()).
void drop_kernel_map(bpf_map& m) {
  if (auto r = m.initial.make_private(); !r)
    BPFXX_WARN("%s: %s\n", label(m).c_str(), r.message().c_str());
  m.arena_mapping.reset();
  if (m.fd >= 0) sys::kernel().close(m.fd);
  m.fd = -1;
}

Result<void> create_or_reuse(bpf_object& obj, bpf_map& m) {
  if (auto r = complete_definition(m); !r) return r;
  if (m.type == BPF_MAP_TYPE_RINGBUF || m.type == BPF_MAP_TYPE_USER_RINGBUF) {
    // The same rounding bpf_map__set_max_entries() applies.
    m.max_entries = ringbuf_size(m.max_entries);
  }
  if (m.is_internal() && (m.map_flags & BPF_F_MMAPABLE) != 0 && !sys::has_feature(sys::Feature::ArrayMmap)) {
    BPFXX_DEBUG("%s: the kernel cannot mmap arrays; its data is copied in instead\n", label(m).c_str());
    m.map_flags &= ~static_cast<uint32_t>(BPF_F_MMAPABLE);
  }
  if (!m.pin_path.empty()) {
    // Also over a map given by bpf_map__reuse_fd(): the pinned map wins
    // (libbpf 1.8), after the same compatibility check.
    if (auto r = reuse_pinned(m); !r) return r;
  }
  if (m.created()) {
    BPFXX_DEBUG("%s: reusing fd %d instead of creating it\n", label(m).c_str(), m.fd);
    return {};
  }
  Result<int> fd = create_kernel_map(obj, m);
  if (!fd) return fd.failure();
  m.fd = *fd;
  BPFXX_DEBUG("%s: created, fd %d\n", label(m).c_str(), m.fd);
  if (m.is_internal()) return populate_data_map(m);
  // Before any program loads: the first mmap fixes the arena's user
  // address, which the kernel builds into the programs (arena.h).
  if (m.type == BPF_MAP_TYPE_ARENA) {
    m.arena_globals_at_end = sys::has_feature(sys::Feature::Ldimm64FullRangeOff);
    return map_arena(m);
  }
  return {};
}

// The target of a map-in-map slot; NULL (after a warning) if the index
// from open names no map.
const bpf_map* slot_map(const bpf_object& obj, const bpf_map& m, const InitSlot& slot) {
  if (slot.target < obj.maps.size()) return obj.maps[slot.target].get();
  BPFXX_WARN("%s: slot [%u] refers to map #%zu, which does not exist\n", label(m).c_str(), slot.index,
             slot.target);
  return nullptr;
}

Result<void> fill_map_slots(bpf_object& obj, bpf_map& m) {
  for (const InitSlot& slot : m.init_slots) {
    if (slot.is_prog) continue;
    const bpf_map* target = slot_map(obj, m, slot);
    if (target == nullptr) return fail(EINVAL, label(m) + ": slot " + std::to_string(slot.index));
    if (!target->created()) {
      BPFXX_WARN("%s: slot [%u] holds map '%s', which was not created (autocreate is off)\n",
                 label(m).c_str(), slot.index, target->name.c_str());
      return fail(EINVAL, label(m) + ": slot " + std::to_string(slot.index));
    }
    const uint32_t key = slot.index;
    const int value = target->fd;
    if (const int rc = bpf_map_update_elem(m.fd, &key, &value, 0); rc < 0) {
      BPFXX_WARN("%s: setting slot [%u] to map '%s' failed: %s\n", label(m).c_str(), slot.index,
                 target->name.c_str(), std::strerror(-rc));
      return fail(-rc, label(m) + ": slot " + std::to_string(slot.index));
    }
    BPFXX_DEBUG("%s: slot [%u] holds map '%s'\n", label(m).c_str(), slot.index, target->name.c_str());
  }
  return {};
}

// The kernel's id of the map behind fd; 0 if it cannot be read.
uint32_t kernel_map_id(int fd) {
  struct bpf_map_info info;
  std::memset(&info, 0, sizeof info);
  __u32 len = sizeof info;
  if (bpf_map_get_info_by_fd(fd, &info, &len) < 0) return 0;
  return info.id;
}

// Whether the object pinned at path is the map behind fd.
bool pinned_is(const std::string& path, int fd) {
  const int pin_fd = bpf_obj_get(path.c_str());
  if (pin_fd < 0) return false;
  const uint32_t pinned_id = kernel_map_id(pin_fd);
  sys::kernel().close(pin_fd);
  return pinned_id != 0 && pinned_id == kernel_map_id(fd);
}

// Pins m at its pin path if it wants a pin and has none yet.
Result<void> pin_wanted(bpf_map& m) {
  if (m.pin_path.empty() || m.pinned) return {};
  Result<void> r = pin_map(m, nullptr, /*warn_exists=*/false);
  if (r) {
    m.pinned_by_load = true;
    return {};
  }
  if (r.error() != EEXIST) {
    BPFXX_WARN("%s: pinning at '%s' during load failed\n", label(m).c_str(), m.pin_path.c_str());
    return r;
  }
  if (pinned_is(m.pin_path, m.fd)) {
    // Our own map is pinned there already (pinned since we looked, e.g.
    // by whoever gave its fd): it is pinned, though not by this load.
    BPFXX_DEBUG("%s: already pinned at '%s'\n", label(m).c_str(), m.pin_path.c_str());
    m.pinned = true;
    return {};
  }
  // Another loader pinned its map at the path since we looked: use that
  // one instead of ours (once: a second race is an error).
  BPFXX_DEBUG("%s: '%s' was pinned meanwhile; reusing that map\n", label(m).c_str(), m.pin_path.c_str());
  drop_kernel_map(m);
  if (auto rr = reuse_pinned(m); !rr) return rr;
  if (!m.created()) {
    BPFXX_WARN("%s: the map pinned at '%s' disappeared\n", label(m).c_str(), m.pin_path.c_str());
    return fail(ENOENT, label(m) + ": pin " + m.pin_path);
  }
  return {};
}

// A map-in-map this load created with static slots to fill.
bool has_map_slots(const bpf_map& m) {
  if (!m.created() || m.reused || m.type == BPF_MAP_TYPE_PROG_ARRAY) return false;
  for (const InitSlot& slot : m.init_slots)
    if (!slot.is_prog) return true;
  return false;
}

}  // namespace

uint32_t ringbuf_size(uint32_t max_entries) {
  // The kernel wants a power-of-two number of pages; anything else is
  // rounded up to the next such size, when one fits in 32 bits.
  const uint64_t page = page_size();
  if (max_entries == 0) return 0;
  if (max_entries % page == 0) {
    const uint64_t pages = max_entries / page;
    if ((pages & (pages - 1)) == 0) return max_entries;
  }
  for (uint64_t size = page; size <= UINT32_MAX; size <<= 1)
    if (size > max_entries) return static_cast<uint32_t>(size);
  return max_entries;
}

Result<void> adopt_map_fd(bpf_map& map, int fd, const struct bpf_map_info& info) {
  // Our own descriptor, close-on-exec and above the standard streams.
  const int dup = sys::kernel().dup_cloexec(fd, 3);
  if (dup < 0) {
    BPFXX_WARN("%s: duplicating fd %d failed: %s\n", label(map).c_str(), fd, std::strerror(-dup));
    return fail(-dup, label(map) + ": dup");
  }
  if (map.fd >= 0) sys::kernel().close(map.fd);
  map.fd = dup;
  map.reused = true;
  map.type = info.type;
  map.key_size = info.key_size;
  map.value_size = info.value_size;
  map.max_entries = info.max_entries;
  map.map_flags = info.map_flags;
  map.map_extra = info.map_extra;
  map.btf_key_type_id = info.btf_key_type_id;
  map.btf_value_type_id = info.btf_value_type_id;
  // The kernel keeps 15 characters of a name: a longer name of ours that
  // starts with them stays, any other name becomes the kernel's.
  const size_t klen = strnlen(info.name, sizeof info.name);
  if (!(klen == sizeof info.name - 1 && map.name.compare(0, klen, info.name, klen) == 0))
    map.name.assign(info.name, klen);
  return {};
}

std::string default_pin_path(const bpf_object& obj, const bpf_map& map) {
  std::string path = obj.opts.pin_root_path + "/" + map.name;
  if (path.size() >= PATH_MAX) {
    BPFXX_WARN("%s: pin path under '%s' is longer than PATH_MAX\n", label(map).c_str(),
               obj.opts.pin_root_path.c_str());
    return {};
  }
  return path;
}

Result<void> create_maps(bpf_object& obj) {
  std::vector<bpf_map*> outer_maps;
  for (auto& mp : obj.maps) {
    bpf_map& m = *mp;
    if (m.is_internal() && m.autocreate && !sys::has_feature(sys::Feature::GlobalData)) {
      // Programs that use global data then fail to load, naming the map.
      BPFXX_DEBUG("%s: the kernel has no global data; not creating it\n", label(m).c_str());
      m.autocreate = false;
    }
    if (!m.autocreate) {
      BPFXX_DEBUG("%s: autocreate is off; not creating it\n", label(m).c_str());
      continue;
    }
    if (auto r = create_or_reuse(obj, m); !r) return r;
    if (has_map_slots(m)) {
      outer_maps.push_back(&m);  // pinned once its slots are filled
      continue;
    }
    // Settled now: a pin race may still replace the fd, and slots must
    // get the final one.
    if (auto r = pin_wanted(m); !r) return r;
  }
  for (bpf_map* m : outer_maps) {
    if (auto r = fill_map_slots(obj, *m); !r) return r;
    if (auto r = pin_wanted(*m); !r) return r;
  }
  return {};
}

Result<void> fill_prog_slots(bpf_object& obj) {
  for (auto& mp : obj.maps) {
    bpf_map& m = *mp;
    if (!m.created() || m.reused || m.type != BPF_MAP_TYPE_PROG_ARRAY) continue;
    for (const InitSlot& slot : m.init_slots) {
      if (!slot.is_prog) continue;
      if (slot.target >= obj.programs.size()) {
        BPFXX_WARN("%s: slot [%u] refers to program #%zu, which does not exist\n", label(m).c_str(),
                   slot.index, slot.target);
        return fail(EINVAL, label(m) + ": slot " + std::to_string(slot.index));
      }
      const bpf_program& prog = *obj.programs[slot.target];
      if (prog.fd < 0) {
        // libbpf 1.8 stores the program's fd whatever it is, so a program
        // left unloaded (autoload off) fails the load with the kernel's
        // EBADF; the same outcome, said plainly.
        BPFXX_WARN("%s: slot [%u] holds program '%s', which is not loaded%s\n", label(m).c_str(), slot.index,
                   prog.name.c_str(), prog.autoload ? "" : " (autoload is off)");
        return fail(EBADF, label(m) + ": slot " + std::to_string(slot.index) + ": program '" + prog.name +
                               "' not loaded");
      }
      const uint32_t key = slot.index;
      const int value = prog.fd;
      if (const int rc = bpf_map_update_elem(m.fd, &key, &value, 0); rc < 0) {
        BPFXX_WARN("%s: setting slot [%u] to program '%s' failed: %s\n", label(m).c_str(), slot.index,
                   prog.name.c_str(), std::strerror(-rc));
        return fail(-rc, label(m) + ": slot " + std::to_string(slot.index));
      }
      BPFXX_DEBUG("%s: slot [%u] holds program '%s'\n", label(m).c_str(), slot.index, prog.name.c_str());
    }
  }
  return {};
}

void release_maps(bpf_object& obj) {
  for (auto& mp : obj.maps) {
    bpf_map& m = *mp;
    if (m.pinned_by_load) {
      if (auto r = unpin_path(m.pin_path); !r)
        BPFXX_WARN("%s: removing the pin '%s' this load made failed: %s\n", label(m).c_str(), m.pin_path.c_str(),
                   r.message().c_str());
      m.pinned = false;
      m.pinned_by_load = false;
    }
    // Back to private memory first: the pointer users hold keeps the last
    // contents, and the mapping no longer keeps the map alive.
    if (auto r = m.initial.make_private(); !r)
      BPFXX_WARN("%s: %s\n", label(m).c_str(), r.message().c_str());
    m.arena_mapping.reset();
    if (m.inner && m.inner->fd >= 0) {
      sys::kernel().close(m.inner->fd);
      m.inner->fd = -1;
    }
    if (m.fd >= 0) sys::kernel().close(m.fd);
    m.fd = -1;
  }
}

}  // namespace bpfxx::object
