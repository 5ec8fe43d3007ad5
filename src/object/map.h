// struct bpf_map: a map an object declares.
//
// User maps are the variables of the BTF-described .maps section; internal
// maps hold the object's global data (one per data section, value = the
// section's bytes). Definitions may be changed by the setters until load;
// the load phase creates the map from them (or reuses a given fd).
#pragma once

#include "object/map_data.h"
#include "object/struct_ops.h"

#include <bpf/libbpf.h>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct bpf_object;

namespace bpfxx::object {

enum class MapKind : uint8_t {
  kUser,       // BTF-defined, from .maps
  kData,       // .data and .data.*
  kRodata,     // .rodata and .rodata.*
  kBss,        // .bss
  kInner,      // the inner-map template of a map-in-map (__array(values, ...))
  kStructOps,  // a variable of .struct_ops / .struct_ops.link (struct_ops.h)
};

// A slot of a map-in-map or program array filled statically in the
// definition (`.values = { [1] = &inner, ... }`), applied after load.
// The target is an index, fixed at open like a relocation's map_idx: names
// may change before load (bpf_map__reuse_fd() takes the kernel's name).
struct InitSlot {
  uint32_t index = 0;
  // Index into obj->maps (a map-in-map) or obj->programs (a program array).
  size_t target = 0;
  bool is_prog = false;
};

}  // namespace bpfxx::object

struct bpf_map {
  bpf_object* obj = nullptr;
  // The name the kernel gets: the variable name for user maps, the object-
  // prefixed section name (<= 15 chars) for internal maps. bpf_map__name()
  // reports it, except real_name for custom .data.*/.rodata.* sections.
  std::string name;
  // The full name: the variable, or the section name of an internal map.
  std::string real_name;
  bpfxx::object::MapKind kind = bpfxx::object::MapKind::kUser;
  uint32_t sec_idx = 0;
  uint64_t sec_offset = 0;  // of the variable inside .maps
  uint64_t var_size = 0;    // of the variable inside .maps

  uint32_t type = BPF_MAP_TYPE_UNSPEC;  // enum bpf_map_type (any value a file or caller gives)
  uint32_t key_size = 0;
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  uint32_t map_flags = 0;
  uint32_t numa_node = 0;
  uint64_t map_extra = 0;
  uint32_t pinning = 0;  // enum libbpf_pin_type
  uint32_t ifindex = 0;
  uint32_t btf_key_type_id = 0;
  uint32_t btf_value_type_id = 0;
  // BTF VAR of a user map (or DATASEC of an internal one); 0 if none.
  uint32_t btf_var_id = 0;

  // Internal maps: the value, value_size bytes (.bss zeroed) at an address
  // that never changes between open and close except by a resize before
  // load. After load it is the live map memory when the map is mmapable
  // (libbpf 1.8), else the object's copy; empty for other maps.
  bpfxx::object::MapData initial;
  bool mmapable = false;

  bool autocreate = true;
  bool autoattach = true;
  std::string pin_path;
  bool pinned = false;
  // The pin at pin_path was made by the running load (not reused, not made
  // by bpf_map__pin()): a failed load removes it again.
  bool pinned_by_load = false;

  // Map-in-map: the inner-map template parsed from __array(values, ...).
  std::unique_ptr<bpf_map> inner;
  // bpf_map__set_inner_map_fd(): fd of an existing map to use as template.
  int inner_map_fd = -1;
  std::vector<bpfxx::object::InitSlot> init_slots;
  // Byte offset of the `values` member in the definition; -1 without one.
  int64_t values_off = -1;

  // The kernel's fd once created or reused; -1 before. Closed with the map.
  int fd = -1;
  bool reused = false;

  // Arena map (arena.h): the whole arena mapped into this process once the
  // map is created; empty before and after release. `initial` then holds
  // the private copy of the `.addr_space.1` globals.
  bpfxx::object::ArenaMapping arena_mapping;
  // Where the arena's globals go (arena.h): its last pages, or offset 0 on
  // kernels that refuse map-value offsets of 512 MiB and more. Set at create.
  bool arena_globals_at_end = true;

  // struct_ops maps (kind kStructOps): shadow data and kernel value.
  std::unique_ptr<bpfxx::object::StructOps> st_ops;

  bpf_map() = default;
  bpf_map(const bpf_map&) = delete;
  bpf_map& operator=(const bpf_map&) = delete;
  ~bpf_map();

  bool is_internal() const noexcept {
    return kind != bpfxx::object::MapKind::kUser && kind != bpfxx::object::MapKind::kInner &&
           kind != bpfxx::object::MapKind::kStructOps;
  }
  // Whether the map exists in the kernel (created or reused): setters
  // refuse with -EBUSY from then on.
  bool created() const noexcept { return fd >= 0; }
};

namespace bpfxx::object {

// Makes map use the existing kernel map behind fd (bpf_map__reuse_fd(),
// pinned-map reuse): fd is duplicated (close-on-exec, above the standard
// streams) and the definition taken from info, the kernel's description of
// it. Any fd the map had is closed.
Result<void> adopt_map_fd(bpf_map& map, int fd, const struct bpf_map_info& info);

// A ring buffer's max_entries as the kernel wants it: a power-of-two number
// of pages, rounded up (libbpf adjusts it the same way); 0 stays 0.
uint32_t ringbuf_size(uint32_t max_entries);

}  // namespace bpfxx::object
