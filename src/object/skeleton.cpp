// What skeletons see of an object's maps (skeleton.h).
#include "object/skeleton.h"

#include "base/log.h"
#include "object/arena.h"
#include "object/object.h"

#include <bpf/btf.h>

#include <string>

namespace bpfxx::object {
namespace {

constexpr std::string_view kKconfigSec = ".kconfig";
constexpr std::string_view kArenaSec = ".addr_space.1";

bool is_arena(const bpf_map& map) noexcept { return map.type == BPF_MAP_TYPE_ARENA; }

// The arena's globals: inside the live mapping once it exists, else the
// private copy that load copies there.
uint8_t* arena_globals(const bpf_map& map) noexcept {
  if (map.arena_mapping.empty()) return map.initial.data();
  Result<uint64_t> off = arena_globals_offset(map);
  if (!off || *off >= map.arena_mapping.size()) return nullptr;
  return map.arena_mapping.data() + *off;
}

// The DATASEC describing map's data: the map's own value type for data
// sections, the .addr_space.1 section for the arena; 0 if none.
uint32_t data_datasec(const bpf_map& map) noexcept {
  if (map.obj == nullptr || !map.obj->btf_data) return 0;
  if (is_arena(map)) {
    const int id = btf__find_by_name_kind(map.obj->btf_data.get(), std::string(kArenaSec).c_str(), BTF_KIND_DATASEC);
    return id > 0 ? static_cast<uint32_t>(id) : 0;
  }
  return map.is_internal() ? map.btf_value_type_id : 0;
}

}  // namespace

void* skeleton_data(const bpf_map& map, SkeletonPhase phase) noexcept {
  if (map.initial.empty()) return nullptr;
  if (is_arena(map)) return arena_globals(map);
  if (!map.is_internal()) return nullptr;
  // The kconfig values are the kernel's, written at load: nothing for the
  // user to preset, so libbpf hands the pointer out only after load.
  if (phase == SkeletonPhase::kOpen && map.real_name == kKconfigSec) return nullptr;
  return map.initial.data();
}

Result<void*> skeleton_var_address(const bpf_map& map, std::string_view var_name) {
  const std::string want(var_name);
  uint8_t* base = is_arena(map) ? arena_globals(map) : (map.is_internal() ? map.initial.data() : nullptr);
  const uint32_t sec_id = data_datasec(map);
  const ::btf* b = map.obj != nullptr ? map.obj->btf_data.get() : nullptr;
  const btf_type* sec = b != nullptr && sec_id != 0 ? btf__type_by_id(b, sec_id) : nullptr;
  if (base == nullptr || sec == nullptr || !btf_is_datasec(sec)) {
    BPFXX_WARN(
        "map '%s': holds no global data described by BTF, so it has no "
        "variable '%s'\n",
        map.name.c_str(), want.c_str());
    return fail(EINVAL, "map '" + map.name + "': no global data for variable '" + want + "'");
  }
  const btf_var_secinfo* vsi = btf_var_secinfos(sec);
  for (uint16_t i = 0; i < btf_vlen(sec); i++) {
    const btf_type* v = btf__type_by_id(b, vsi[i].type);
    if (v == nullptr) continue;
    const char* name = btf__name_by_offset(b, v->name_off);
    if (name == nullptr || want != name) continue;
    if (uint64_t{vsi[i].offset} + vsi[i].size > map.initial.size()) {
      BPFXX_WARN(
          "map '%s': variable '%s' (offset %u, %u bytes) lies outside "
          "its %zu bytes of data\n",
          map.name.c_str(), name, vsi[i].offset, vsi[i].size, map.initial.size());
      return fail(EINVAL, "map '" + map.name + "': variable '" + want + "' out of bounds");
    }
    return static_cast<void*>(base + vsi[i].offset);
  }
  BPFXX_WARN("map '%s': its section has no variable '%s'\n", map.name.c_str(), want.c_str());
  return fail(ESRCH, "map '" + map.name + "': no variable '" + want + "'");
}

}  // namespace bpfxx::object
