// The object's arena: its map, its globals, its user-space mapping (arena.h).
#include "object/arena.h"

#include "base/log.h"
#include "object/map_data.h"

#include <cstring>
#include <string>

namespace bpfxx::object {
namespace {

// The kernel's limit on an arena: 4 GiB, so arena addresses are 32-bit
// offsets.
constexpr uint64_t kMaxArenaBytes = 1ull << 32;

std::string arena_label(const bpf_object& obj) { return "object '" + obj.name + "': .addr_space.1"; }

uint64_t round_up_pages(uint64_t n) {
  const uint64_t page = page_size();
  return (n + page - 1) / page * page;
}

}  // namespace

bpf_map* arena_map(const bpf_object& obj) noexcept {
  if (obj.arena_map_idx < 0 || static_cast<size_t>(obj.arena_map_idx) >= obj.maps.size()) return nullptr;
  return obj.maps[static_cast<size_t>(obj.arena_map_idx)].get();
}

uint64_t arena_size(const bpf_map& map) noexcept { return uint64_t{map.max_entries} * page_size(); }

size_t arena_globals_size(const bpf_map& map) noexcept {
  if (map.type != BPF_MAP_TYPE_ARENA) return 0;
  return map.initial.size();
}

Result<uint64_t> arena_globals_offset(const bpf_map& map) {
  const uint64_t size = arena_size(map);
  const uint64_t globals = round_up_pages(arena_globals_size(map));
  if (globals > size) {
    BPFXX_WARN("map '%s': the arena (%u pages, %llu bytes) is too small for its %zu bytes of __arena "
               "globals\n", map.name.c_str(), map.max_entries, static_cast<unsigned long long>(size),
               arena_globals_size(map));
    return fail(E2BIG, "map '" + map.name + "': arena too small for its globals");
  }
  // libbpf 1.8: the last pages where the kernel takes such offsets (arena.h).
  return map.arena_globals_at_end ? size - globals : 0;
}

Result<void> setup_arena(bpf_object& obj, const elf::Reader& elf) {
  // One arena per object, with or without globals (libbpf's rule).
  int found = -1;
  for (size_t i = 0; i < obj.maps.size(); i++) {
    const bpf_map& m = *obj.maps[i];
    if (m.kind != MapKind::kUser || m.type != BPF_MAP_TYPE_ARENA) continue;
    if (found >= 0) {
      BPFXX_WARN("%s: only one arena map is supported, but maps '%s' and '%s' are both arenas\n",
                 arena_label(obj).c_str(), obj.maps[static_cast<size_t>(found)]->name.c_str(), m.name.c_str());
      return fail(EINVAL, arena_label(obj) + ": two arena maps");
    }
    found = static_cast<int>(i);
  }
  if (obj.arena_shndx == 0) return {};
  const elf::Section* sec = elf.section(obj.arena_shndx);
  if (sec == nullptr) return {};
  if (found < 0) {
    BPFXX_WARN("%s: __arena globals need a BPF_MAP_TYPE_ARENA map declared in .maps, and there is none\n",
               arena_label(obj).c_str());
    return fail(ENOENT, arena_label(obj) + ": no arena map");
  }
  bpf_map& map = *obj.maps[static_cast<size_t>(found)];
  obj.arena_map_idx = found;
  for (auto& p : obj.programs)
    for (Relocation& r : p->relos)
      if (r.kind == RelocKind::kArena) r.map_idx = found;
  if (sec->size == 0) return {};
  if (sec->size > kMaxArenaBytes || round_up_pages(sec->size) > arena_size(map)) {
    BPFXX_WARN("%s: %llu bytes of __arena globals do not fit in arena map '%s' (%u pages, %llu bytes)\n",
               arena_label(obj).c_str(), static_cast<unsigned long long>(sec->size), map.name.c_str(),
               map.max_entries, static_cast<unsigned long long>(arena_size(map)));
    return fail(E2BIG, arena_label(obj) + ": larger than arena map '" + map.name + "'");
  }
  Result<MapData> bytes = MapData::allocate(static_cast<size_t>(sec->size));
  if (!bytes) {
    BPFXX_WARN("%s: %s\n", arena_label(obj).c_str(), bytes.message().c_str());
    return bytes.failure();
  }
  if (sec->type != elf::kShtNobits) {
    Result<std::span<const uint8_t>> d = elf.data(*sec);
    if (!d) return d.failure();
    std::memcpy(bytes->data(), d->data(), std::min<size_t>(d->size(), bytes->size()));
  }
  map.initial = std::move(*bytes);
  BPFXX_DEBUG("map '%s': arena of %u pages holds %llu bytes of globals\n", map.name.c_str(), map.max_entries,
              static_cast<unsigned long long>(sec->size));
  return {};
}

Result<void> map_arena(bpf_map& map) {
  if (map.type != BPF_MAP_TYPE_ARENA || !map.created()) return {};
  const uint64_t size = arena_size(map);
  if (size == 0 || size > kMaxArenaBytes) {
    BPFXX_WARN("map '%s': an arena of %u pages cannot be mapped\n", map.name.c_str(), map.max_entries);
    return fail(EINVAL, "map '" + map.name + "': arena size");
  }
  Result<uint64_t> off = arena_globals_offset(map);
  if (!off) return off.failure();
  const size_t globals = arena_globals_size(map);
  if (globals != 0 && (map.map_flags & BPF_F_SEGV_ON_FAULT) != 0) {
    // The pages of the globals do not exist yet, and with this flag user
    // space may not fault them in: the copy below would crash.
    BPFXX_WARN("map '%s': has BPF_F_SEGV_ON_FAULT, so user space cannot write its %zu bytes of __arena "
               "globals\n", map.name.c_str(), globals);
    return fail(EINVAL, "map '" + map.name + "': BPF_F_SEGV_ON_FAULT with arena globals");
  }
  Result<ArenaMapping> m = ArenaMapping::map(map.fd, map.map_extra, static_cast<size_t>(size));
  if (!m) {
    BPFXX_WARN("map '%s': mapping the arena (%llu bytes at 0x%llx) failed: %s\n", map.name.c_str(),
               static_cast<unsigned long long>(size), static_cast<unsigned long long>(map.map_extra),
               m.message().c_str());
    return m.failure();
  }
  map.arena_mapping = std::move(*m);
  // Touching the pages faults them into the arena: only the globals'.
  if (globals != 0) std::memcpy(map.arena_mapping.data() + *off, map.initial.data(), globals);
  BPFXX_DEBUG("map '%s': arena mapped at %p (%llu bytes), globals at offset 0x%llx\n", map.name.c_str(),
              static_cast<void*>(map.arena_mapping.data()), static_cast<unsigned long long>(size),
              static_cast<unsigned long long>(*off));
  return {};
}

}  // namespace bpfxx::object
