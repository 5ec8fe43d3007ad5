// Collecting the skeleton's contents from an opened object (object_model.h).
#include "gen/object_model.h"

#include "gen/identifiers.h"

#include <linux/bpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace bpfxx::gen {
namespace {

// The section part of an internal map's name ("obj.data.foo" ->
// ".data.foo"); empty when the map is not one the skeleton knows. The
// earliest suffix wins: ".rodata.data" is a .rodata.* section, not .data.
std::string_view internal_section(std::string_view map_name) {
  size_t first = std::string_view::npos;
  for (std::string_view sfx : {".data", ".rodata", ".bss", ".kconfig"}) {
    first = std::min(first, map_name.find(sfx));
  }
  return first == std::string_view::npos ? std::string_view() : map_name.substr(first);
}

// The data ident of an internal map: "obj.data.foo" -> "data_foo".
std::string internal_ident(std::string_view map_name) {
  std::string_view sec = internal_section(map_name);
  return sec.empty() ? std::string() : sanitize_identifier(sec.substr(1));
}

// The DATASEC named sec_name (the arena's ".addr_space.1"), or 0.
uint32_t find_datasec(const ::btf* types, std::string_view sec_name) {
  if (types == nullptr) return 0;
  const uint32_t n = btf__type_cnt(types);
  for (uint32_t id = 1; id < n; id++) {
    const btf_type* t = btf__type_by_id(types, id);
    if (t == nullptr || btf_kind(t) != BTF_KIND_DATASEC) continue;
    const char* name = btf__name_by_offset(types, t->name_off);
    if (name != nullptr && name == sec_name) return id;
  }
  return 0;
}

// The map's own DATASEC: identifiers may collide (".data.a-b" and
// ".data.a_b" both clean to "data_a_b"), the value type never does.
uint32_t own_datasec(const ::btf* types, const bpf_map* map) {
  const uint32_t id = bpf_map__btf_value_type_id(map);
  if (types == nullptr || id == 0) return 0;
  const btf_type* t = btf__type_by_id(types, id);
  return t != nullptr && btf_kind(t) == BTF_KIND_DATASEC ? id : 0;
}

}  // namespace

std::string object_name_from_path(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.size() > 2 && base.substr(base.size() - 2) == ".o") base.remove_suffix(2);
  // bpftool keeps at most 63 characters of the name.
  if (base.size() > 63) base = base.substr(0, 63);
  return sanitize_identifier(base);
}

Result<ObjectModel> build_model(std::span<const uint8_t> elf, const std::string& object_name,
                                bool section_names) {
  ObjectModel model;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = object_name.c_str());
  model.obj.reset(bpf_object__open_mem(elf.data(), elf.size(), &opts));
  if (!model.obj) {
    const int e = errno != 0 ? errno : EINVAL;
    char why[128];
    libbpf_strerror(e, why, sizeof why);
    return fail(e, "cannot open the BPF object: " + std::string(why));
  }
  model.types = bpf_object__btf(model.obj.get());

  IdentScope map_scope;
  IdentScope data_scope;
  // Members of the skeleton struct itself that data sections must avoid.
  for (const char* fixed : {"skeleton", "obj", "maps", "progs", "links", "struct_ops"}) data_scope.reserve(fixed);
  IdentScope shadow_scope;

  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, model.obj.get()) {
    MapEntry e;
    e.map = map;
    e.name = bpf_map__name(map);
    std::string ident = e.name;
    if (bpf_map__is_internal(map)) {
      ident = internal_ident(e.name);
      if (ident.empty()) continue;  // a section the skeleton has no name for
      if (section_names) e.name = std::string(internal_section(e.name));
      e.mmaped = (bpf_map__map_flags(map) & BPF_F_MMAPABLE) != 0;
      e.kconfig = ident == "kconfig";
    } else if (bpf_map__type(map) == BPF_MAP_TYPE_ARENA) {
      size_t globals = 0;
      e.mmaped = bpf_map__initial_value(map, &globals) != nullptr && globals > 0;
    }
    e.ident = map_scope.claim(ident);
    if (e.mmaped) {
      const bool internal = bpf_map__is_internal(map);
      e.datasec_id = internal ? own_datasec(model.types, map) : find_datasec(model.types, ".addr_space.1");
      e.data_ident = data_scope.claim(internal ? ident : std::string("arena"));
    }
    e.struct_ops = bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS;
    if (e.struct_ops) e.shadow_ident = shadow_scope.claim(e.ident);
    model.maps.push_back(std::move(e));
  }

  IdentScope prog_scope;
  IdentScope link_scope;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, model.obj.get()) {
    ProgEntry p;
    p.name = bpf_program__name(prog);
    p.ident = prog_scope.claim(p.name);
    p.link_ident = link_scope.claim(p.name);
    model.progs.push_back(std::move(p));
  }
  // struct_ops maps have their links after the programs' (as bpftool).
  for (MapEntry& e : model.maps) {
    if (e.struct_ops) e.link_ident = link_scope.claim(e.ident);
  }
  return model;
}

}  // namespace bpfxx::gen
