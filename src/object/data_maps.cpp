// Internal maps of global data (.data, .rodata, .bss and dotted variants),
// and the .kconfig map of kconfig externs.
#include "object/data_maps.h"

#include "base/log.h"
#include "object/externs.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

namespace bpfxx::object {
namespace {

constexpr size_t kObjNameLen = 16;  // BPF_OBJ_NAME_LEN, NUL included
// Far above what the kernel accepts for an array value (KMALLOC_MAX_SIZE,
// a few MiB on x86-64): a larger data section is a corrupt size, refused
// before the initial value is allocated.
constexpr uint64_t kMaxDataSection = 256ull << 20;

bool is_or_under(std::string_view name, std::string_view base) {
  return name == base || (name.size() > base.size() && name.starts_with(base) && name[base.size()] == '.');
}

// Whether any variable of the section's DATASEC is not static: user space
// then needs to reach it, so the map is created mmapable (libbpf's rule).
bool has_global_vars(const ::btf* b, uint32_t datasec_id) {
  const btf_type* t = btf__type_by_id(b, datasec_id);
  if (t == nullptr || !btf_is_datasec(t)) return false;
  const btf_var_secinfo* vsi = btf_var_secinfos(t);
  for (uint16_t i = 0; i < btf_vlen(t); i++) {
    const btf_type* v = btf__type_by_id(b, vsi[i].type);
    if (v != nullptr && btf_is_var(v) && btf_var(v)->linkage != BTF_VAR_STATIC) return true;
  }
  return false;
}

}  // namespace

DataSecKind classify_data_section(const elf::Section& s) noexcept {
  if ((s.flags & elf::kShfExecinstr) != 0) return DataSecKind::kNone;
  if (s.type == elf::kShtProgbits) {
    if (is_or_under(s.name, ".data")) return DataSecKind::kData;
    if (is_or_under(s.name, ".rodata")) return DataSecKind::kRodata;
    if (s.name == ".struct_ops" || s.name == ".struct_ops.link") return DataSecKind::kStructOps;
    if (s.name == ".addr_space.1") return DataSecKind::kArena;
  } else if (s.type == elf::kShtNobits) {
    if (is_or_under(s.name, ".bss")) return DataSecKind::kBss;
    if (s.name == ".addr_space.1") return DataSecKind::kArena;
  }
  return DataSecKind::kNone;
}

std::string internal_map_name(std::string_view obj_name, std::string_view sec_name) {
  // The section name keeps at least 7 characters of room (".rodata"), and
  // the whole must fit the kernel's 15-character map names. Names with a
  // second dot (".data.custom") carry no object prefix.
  size_t sfx = std::max<size_t>(7, sec_name.size());
  sfx = std::min(sfx, kObjNameLen - 1);
  size_t pfx = 0;
  if (sec_name.size() < 2 || sec_name.find('.', 1) == std::string_view::npos)
    pfx = std::min(kObjNameLen - 1 - sfx, obj_name.size());
  std::string out(obj_name.substr(0, pfx));
  out += sec_name.substr(0, std::min(sfx, sec_name.size()));
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
  }
  return out;
}

Result<void> add_data_maps(bpf_object& obj, const elf::Reader& elf) {
  for (const elf::Section& s : elf.sections()) {
    const DataSecKind kind = classify_data_section(s);
    MapKind mk;
    switch (kind) {
      case DataSecKind::kData: mk = MapKind::kData; break;
      case DataSecKind::kRodata: mk = MapKind::kRodata; break;
      case DataSecKind::kBss: mk = MapKind::kBss; break;
      default: continue;
    }
    if (s.size == 0) continue;  // nothing to hold: no map (the kernel refuses empty values)
    if (s.size > kMaxDataSection) {
      BPFXX_WARN("elf: %s: section '%.*s' is too large for a map value (%llu bytes)\n",
                 obj.name.c_str(), static_cast<int>(s.name.size()), s.name.data(),
                 static_cast<unsigned long long>(s.size));
      return fail(E2BIG, obj.name + ": section " + std::string(s.name) + " too large");
    }
    auto map = std::make_unique<bpf_map>();
    map->obj = &obj;
    map->kind = mk;
    map->real_name = std::string(s.name);
    map->name = internal_map_name(obj.name, s.name);
    map->sec_idx = s.index;
    map->type = BPF_MAP_TYPE_ARRAY;
    map->key_size = 4;
    map->value_size = static_cast<uint32_t>(s.size);
    map->max_entries = 1;
    map->map_flags = mk == MapKind::kRodata ? BPF_F_RDONLY_PROG : 0;
    // Page-backed so the address can later become the map's memory.
    Result<MapData> bytes = MapData::allocate(static_cast<size_t>(s.size));
    if (!bytes) {
      BPFXX_WARN("map '%s': %s\n", map->name.c_str(), bytes.message().c_str());
      return bytes.failure();
    }
    map->initial = std::move(*bytes);
    if (mk != MapKind::kBss) {
      Result<std::span<const uint8_t>> d = elf.data(s);
      if (!d) return d.failure();
      std::memcpy(map->initial.data(), d->data(), d->size());
    }
    BPFXX_DEBUG("map '%s' (global data): section '%s', size %u, flags 0x%x\n", map->name.c_str(),
                map->real_name.c_str(), map->value_size, map->map_flags);
    obj.maps.push_back(std::move(map));
  }
  return {};
}

void settle_data_maps(bpf_object& obj) {
  if (!obj.btf_data) return;
  // .kconfig has no ELF section: its size is known only now. A failure was
  // reported; the load then refuses the kconfig externs by name.
  (void)add_kconfig_map(obj);
  const ::btf* b = obj.btf_data.get();
  for (auto& map : obj.maps) {
    if (!map->is_internal()) continue;
    const int id = btf__find_by_name_kind(b, map->real_name.c_str(), BTF_KIND_DATASEC);
    if (id <= 0) continue;
    // finalize_btf() sized every DATASEC after its section: one that still
    // disagrees lies, and the map goes without BTF.
    const btf_type* t = btf__type_by_id(b, static_cast<uint32_t>(id));
    if (t->size != map->value_size) {
      BPFXX_WARN("map '%s': BTF DATASEC '%s' has size %u, the section %u bytes; creating the map "
                 "without BTF\n", map->name.c_str(), map->real_name.c_str(), t->size, map->value_size);
      continue;
    }
    map->btf_value_type_id = static_cast<uint32_t>(id);
    map->btf_var_id = static_cast<uint32_t>(id);
    if (has_global_vars(b, map->btf_value_type_id)) {
      map->mmapable = true;
      map->map_flags |= BPF_F_MMAPABLE;
    }
  }
}

}  // namespace bpfxx::object
