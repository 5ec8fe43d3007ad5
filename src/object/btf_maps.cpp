// BTF-defined maps (.maps): attributes decoded from each map variable's
// BTF struct, inner-map templates, and static `values` initialisation.
//
// Encoding (facts of the bpf_helpers.h macros): __uint(name, N) is a member
// `int (*name)[N]` (pointer to an array of N elements: N is the value);
// __type(name, T) is `T *name` (the pointee is the type); __array(name, T)
// is `T *name[]` (a zero-length array of pointers to T).
#include "object/btf_maps.h"
#include "object/load.h"

#include "base/log.h"

#include <bpf/btf.h>

#include <cstring>
#include <string>

namespace bpfxx::object {
namespace {

constexpr int kFormat = LIBBPF_ERRNO__FORMAT;

// Skips typedefs and qualifiers; NULL on a bad id or a cycle.
const btf_type* skip_mods(const ::btf* b, uint32_t id, uint32_t* res_id = nullptr) {
  for (int depth = 0; depth < 32; depth++) {
    const btf_type* t = btf__type_by_id(b, id);
    if (t == nullptr) return nullptr;
    switch (btf_kind(t)) {
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
        id = t->type;
        continue;
      default:
        if (res_id != nullptr) *res_id = id;
        return t;
    }
  }
  return nullptr;
}

std::string str(const ::btf* b, uint32_t off) {
  const char* s = btf__name_by_offset(b, off);
  return s != nullptr ? s : "";
}

struct Ctx {
  const ::btf* b;
  const std::string& obj;
  const std::string& map;
};

Failure bad(const Ctx& c, const std::string& what, int err = kFormat) {
  BPFXX_WARN("map '%s' in %s: %s\n", c.map.c_str(), c.obj.c_str(), what.c_str());
  return fail(err, c.obj + ": map '" + c.map + "': " + what);
}

// Value of an __uint() member.
Result<uint32_t> uint_member(const Ctx& c, const btf_member& m, const std::string& field) {
  const btf_type* t = skip_mods(c.b, m.type);
  if (t == nullptr || !btf_is_ptr(t)) return bad(c, "attribute '" + field + "' is not an __uint()");
  const btf_type* arr = btf__type_by_id(c.b, t->type);
  if (arr == nullptr || btf_kind(arr) != BTF_KIND_ARRAY)
    return bad(c, "attribute '" + field + "' is not an __uint()");
  return btf_array(arr)->nelems;
}

// Pointee of a __type() member: the type id and its size.
Result<std::pair<uint32_t, uint32_t>> type_member(const Ctx& c, const btf_member& m,
                                                  const std::string& field) {
  const btf_type* t = skip_mods(c.b, m.type);
  if (t == nullptr || !btf_is_ptr(t)) return bad(c, "attribute '" + field + "' is not a __type()");
  const int64_t sz = btf__resolve_size(c.b, t->type);
  if (sz < 0 || sz > UINT32_MAX)
    return bad(c, "cannot determine the size of the type of '" + field + "'");
  return std::pair<uint32_t, uint32_t>(t->type, static_cast<uint32_t>(sz));
}

bool is_map_in_map(uint32_t t) {
  return t == BPF_MAP_TYPE_ARRAY_OF_MAPS || t == BPF_MAP_TYPE_HASH_OF_MAPS;
}

// Fills map's definition from the struct def_id. inner: this is the
// template of a map-in-map (no `values` of its own).
Result<void> parse_def(const Ctx& c, uint32_t def_id, bpf_map& map, bool inner, bool relaxed) {
  const btf_type* def = skip_mods(c.b, def_id);
  if (def == nullptr || !btf_is_struct(def)) return bad(c, "definition is not a struct");
  const btf_member* m = btf_members(def);
  int values_idx = -1;
  for (uint16_t i = 0; i < btf_vlen(def); i++) {
    const std::string field = str(c.b, m[i].name_off);
    if (field.empty()) return bad(c, "unnamed attribute");
    if (field == "type" || field == "max_entries" || field == "map_flags" ||
        field == "numa_node" || field == "key_size" || field == "value_size" ||
        field == "pinning" || field == "map_extra") {
      Result<uint32_t> v = uint_member(c, m[i], field);
      if (!v) return v.failure();
      if (field == "type") map.type = *v;
      else if (field == "max_entries") map.max_entries = *v;
      else if (field == "map_flags") map.map_flags = *v;
      else if (field == "numa_node") map.numa_node = *v;
      else if (field == "map_extra") map.map_extra = *v;
      else if (field == "pinning") {
        if (*v != LIBBPF_PIN_NONE && *v != LIBBPF_PIN_BY_NAME)
          return bad(c, "invalid pinning value " + std::to_string(*v), EINVAL);
        if (inner && *v != LIBBPF_PIN_NONE) return bad(c, "inner maps cannot be pinned", EINVAL);
        map.pinning = *v;
      } else {
        uint32_t& slot = field == "key_size" ? map.key_size : map.value_size;
        if (slot != 0 && slot != *v)
          return bad(c, "conflicting " + field + " " + std::to_string(slot) + " != " +
                            std::to_string(*v), EINVAL);
        slot = *v;
      }
    } else if (field == "key" || field == "value") {
      Result<std::pair<uint32_t, uint32_t>> v = type_member(c, m[i], field);
      if (!v) return v.failure();
      uint32_t& size = field == "key" ? map.key_size : map.value_size;
      uint32_t& id = field == "key" ? map.btf_key_type_id : map.btf_value_type_id;
      if (size != 0 && size != v->second)
        return bad(c, "conflicting " + field + " size " + std::to_string(size) + " != " +
                          std::to_string(v->second), EINVAL);
      size = v->second;
      id = v->first;
    } else if (field == "values") {
      if (inner) return bad(c, "multi-level inner maps are not supported", EOPNOTSUPP);
      values_idx = i;
    } else if (relaxed) {
      BPFXX_DEBUG("map '%s': ignoring unknown attribute '%s'\n", c.map.c_str(), field.c_str());
    } else {
      return bad(c, "unknown attribute '" + field + "'", EOPNOTSUPP);
    }
  }
  if (map.type == BPF_MAP_TYPE_UNSPEC) return bad(c, "map type is not set", EINVAL);
  if (map.type == BPF_MAP_TYPE_RINGBUF || map.type == BPF_MAP_TYPE_USER_RINGBUF) {
    // Every definition, inner templates included, so that
    // bpf_map__max_entries() shows from open on the size the kernel gets
    // (libbpf adjusts it at open too), and a template matches the rounded
    // ring buffers its slots hold.
    map.max_entries = ringbuf_size(map.max_entries);
  }
  if (values_idx < 0) return {};

  // __array(values, T): T a map definition (map-in-map) or a function
  // prototype (program array).
  const btf_member& vm = m[values_idx];
  const btf_type* arr = skip_mods(c.b, vm.type);
  if (arr == nullptr || btf_kind(arr) != BTF_KIND_ARRAY)
    return bad(c, "'values' is not an __array()");
  if (btf_array(arr)->nelems != 0) return bad(c, "'values' must be a zero-sized array", EINVAL);
  const btf_type* ptr = skip_mods(c.b, btf_array(arr)->type);
  if (ptr == nullptr || !btf_is_ptr(ptr)) return bad(c, "'values' elements are not pointers");
  uint32_t target_id = 0;
  const btf_type* target = skip_mods(c.b, ptr->type, &target_id);
  if (target == nullptr) return bad(c, "'values' element type is invalid");
  if (btf_member_bit_offset(def, static_cast<uint32_t>(values_idx)) % 8 != 0)
    return bad(c, "'values' is not byte-aligned");
  map.values_off = btf_member_bit_offset(def, static_cast<uint32_t>(values_idx)) / 8;
  if (is_map_in_map(map.type)) {
    if (!btf_is_struct(target)) return bad(c, "map-in-map 'values' must point to a map definition");
    if (map.value_size != 0 && map.value_size != 4)
      return bad(c, "map-in-map value size must be 4, not " + std::to_string(map.value_size), EINVAL);
    map.value_size = 4;
    auto in = std::make_unique<bpf_map>();
    in->obj = map.obj;
    in->kind = MapKind::kInner;
    in->name = map.name + ".inner";
    in->real_name = in->name;
    in->sec_idx = map.sec_idx;
    const std::string inner_name = in->name;
    Ctx ic{c.b, c.obj, inner_name};
    Result<void> r = parse_def(ic, target_id, *in, true, relaxed);
    if (!r) return r;
    map.inner = std::move(in);
  } else if (map.type == BPF_MAP_TYPE_PROG_ARRAY) {
    if (btf_kind(target) != BTF_KIND_FUNC_PROTO)
      return bad(c, "program array 'values' must point to a function prototype");
    if (map.value_size != 0 && map.value_size != 4)
      return bad(c, "program array value size must be 4, not " + std::to_string(map.value_size), EINVAL);
    map.value_size = 4;
  } else {
    return bad(c, "'values' is only allowed in map-in-maps and program arrays (type " +
                      std::to_string(map.type) + ")", EOPNOTSUPP);
  }
  return {};
}

}  // namespace

Result<void> parse_btf_maps(bpf_object& obj, const elf::Reader& elf) {
  if (obj.maps_shndx == 0) return {};
  const elf::Section* sec = elf.section(obj.maps_shndx);
  if (sec == nullptr) return {};
  if (!obj.btf_data) {
    BPFXX_WARN("elf: %s: .maps section needs BTF, but the object has none\n", obj.name.c_str());
    return fail(kFormat, obj.name + ": .maps without .BTF");
  }
  const ::btf* b = obj.btf_data.get();
  const int ds_id = btf__find_by_name_kind(b, ".maps", BTF_KIND_DATASEC);
  if (ds_id <= 0) {
    BPFXX_WARN("elf: %s: no BTF DATASEC '.maps' describing the .maps section\n", obj.name.c_str());
    return fail(kFormat, obj.name + ": .maps has no BTF description");
  }
  const btf_type* ds = btf__type_by_id(b, static_cast<uint32_t>(ds_id));
  const btf_var_secinfo* vsi = btf_var_secinfos(ds);
  for (uint16_t i = 0; i < btf_vlen(ds); i++) {
    const btf_type* var = btf__type_by_id(b, vsi[i].type);
    if (var == nullptr || !btf_is_var(var)) {
      BPFXX_WARN("elf: %s: .maps entry #%u is not a variable\n", obj.name.c_str(), i);
      return fail(kFormat, obj.name + ": bad .maps entry");
    }
    const std::string name = str(b, var->name_off);
    if (name.empty()) {
      BPFXX_WARN("elf: %s: .maps entry #%u has no name\n", obj.name.c_str(), i);
      return fail(kFormat, obj.name + ": unnamed map");
    }
    Ctx c{b, obj.name, name};
    auto map = std::make_unique<bpf_map>();
    map->obj = &obj;
    map->kind = MapKind::kUser;
    map->name = name;
    map->real_name = name;
    map->sec_idx = obj.maps_shndx;
    map->btf_var_id = vsi[i].type;
    map->sec_offset = vsi[i].offset;
    map->var_size = vsi[i].size;
    // The ELF symbol is the authority for the variable's place.
    for (size_t s = 1; s < elf.symbol_count(); s++) {
      Result<elf::Symbol> sym = elf.symbol(s);
      if (sym && sym->shndx == obj.maps_shndx && sym->name == name) {
        map->sec_offset = sym->value;
        if (sym->size != 0) map->var_size = sym->size;
        break;
      }
    }
    if (map->sec_offset > sec->size || map->var_size > sec->size - map->sec_offset)
      return bad(c, "variable lies outside the .maps section");
    Result<void> r = parse_def(c, var->type, *map, false, obj.opts.relaxed_maps);
    if (!r) return r;
    if (map->pinning == LIBBPF_PIN_BY_NAME) {
      map->pin_path = default_pin_path(obj, *map);
      if (map->pin_path.empty()) return fail(ENAMETOOLONG, obj.name + ": map '" + name + "': pin path too long");
    }
    BPFXX_DEBUG("map '%s': type %u, key %u, value %u, max_entries %u, flags 0x%x\n",
                name.c_str(), map->type, map->key_size, map->value_size, map->max_entries,
                map->map_flags);
    obj.maps.push_back(std::move(map));
  }
  return {};
}

Result<void> parse_map_init_relos(bpf_object& obj, const elf::Reader& elf,
                                  const elf::Section& rel_sec) {
  Result<std::vector<elf::Relocation>> relos = elf.relocations(rel_sec);
  if (!relos) return relos.failure();
  for (size_t i = 0; i < relos->size(); i++) {
    const elf::Relocation& r = (*relos)[i];
    auto relo_fail = [&](const std::string& what, int err = LIBBPF_ERRNO__RELOC) -> Failure {
      BPFXX_WARN("elf: %s: .maps relo #%zu: %s\n", obj.name.c_str(), i, what.c_str());
      return fail(err, obj.name + ": .maps relo: " + what);
    };
    Result<elf::Symbol> sym = elf.symbol(r.sym);
    if (!sym) return relo_fail("bad symbol index " + std::to_string(r.sym));
    bpf_map* outer = nullptr;
    for (auto& m : obj.maps) {
      if (m->kind == MapKind::kUser && r.offset >= m->sec_offset &&
          r.offset - m->sec_offset < m->var_size) {
        outer = m.get();
        break;
      }
    }
    if (outer == nullptr) return relo_fail("no map at offset " + std::to_string(r.offset));
    const std::string outer_label = "map '" + outer->name + "'";
    // Only these two kinds of maps hold other objects; an initialiser of
    // any other map would have nowhere to go (libbpf refuses it too).
    const bool map_in_map = is_map_in_map(outer->type);
    if (!map_in_map && outer->type != BPF_MAP_TYPE_PROG_ARRAY)
      return relo_fail(outer_label + ": static 'values' need a map-in-map or program array, not map type " +
                           std::to_string(outer->type),
                       EINVAL);
    if (outer->values_off < 0) return relo_fail(outer_label + " has no 'values' to initialise");
    const uint64_t rel = r.offset - outer->sec_offset;
    if (rel < static_cast<uint64_t>(outer->values_off) || (rel - outer->values_off) % 8 != 0)
      return relo_fail(outer_label + ": relocation outside 'values'");
    InitSlot slot;
    slot.index = static_cast<uint32_t>((rel - outer->values_off) / 8);
    const std::string sym_name(sym->name);
    if (map_in_map) {
      if (sym->shndx != obj.maps_shndx) return relo_fail("'" + sym_name + "' is not a map");
      if (outer->type == BPF_MAP_TYPE_HASH_OF_MAPS && outer->key_size != 4)
        return relo_fail(outer_label + ": a statically initialised hash of maps needs 4-byte keys, not " +
                             std::to_string(outer->key_size),
                         EINVAL);
      // By the variable's name: what the symbol names at open, before any
      // setter or reuse can rename a map.
      size_t idx = 0;
      while (idx < obj.maps.size() &&
             !(obj.maps[idx]->kind == MapKind::kUser && obj.maps[idx]->real_name == sym_name))
        idx++;
      if (idx == obj.maps.size()) return relo_fail("map '" + sym_name + "' not found");
      slot.target = idx;
    } else {
      const elf::Section* ts = elf.section(sym->shndx);
      if (sym->type() != elf::kSttFunc || ts == nullptr || (ts->flags & elf::kShfExecinstr) == 0)
        return relo_fail("'" + sym_name + "' is not a program");
      // The entry program that starts at the symbol (a subprogram cannot
      // be the target of a tail call).
      size_t idx = 0;
      while (idx < obj.programs.size() &&
             !(obj.programs[idx]->sec_idx == sym->shndx &&
               uint64_t{obj.programs[idx]->sec_insn_off} * 8 == sym->value))
        idx++;
      if (idx == obj.programs.size() || obj.programs[idx]->is_subprog)
        return relo_fail(outer_label + ": '" + sym_name + "' is not an entry program");
      slot.target = idx;
      slot.is_prog = true;
    }
    outer->init_slots.push_back(slot);
  }
  return {};
}

}  // namespace bpfxx::object
