// btf__permute(): this object's own types put in a new order, with every
// type id that refers to them (in the types and in a .BTF.ext) following.
#include "base/log.h"
#include "btf/btf.h"
#include "btf/ext.h"
#include "btf/visit.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <vector>

int btf::permute(std::span<const uint32_t> id_map, ::btf_ext* ext) {
  const uint32_t own = own_type_cnt();
  const uint32_t end = type_cnt();
  if (id_map.size() != own) {
    BPFXX_WARN("btf__permute: %zu ids given for %u types (ids %u to %u)\n", id_map.size(), own, start_id_, end - 1);
    return -EINVAL;
  }
  // old_at[new id - start_id] = old id - start_id.
  constexpr uint32_t kUnset = UINT32_MAX;
  std::vector<uint32_t> old_at(own, kUnset);
  for (uint32_t i = 0; i < own; i++) {
    const uint32_t to = id_map[i];
    if (to < start_id_ || to >= end) {
      BPFXX_WARN("btf__permute: type [%u] mapped to %u, outside %u..%u\n", start_id_ + i, to, start_id_, end - 1);
      return -EINVAL;
    }
    if (old_at[to - start_id_] != kUnset) {
      BPFXX_WARN("btf__permute: types [%u] and [%u] both mapped to %u\n", start_id_ + old_at[to - start_id_],
                 start_id_ + i, to);
      return -EINVAL;
    }
    old_at[to - start_id_] = i;
  }
  // Ids below start_id (void, the base's) stay; own ids move.
  auto remap = [&](uint32_t& id) {
    if (id < start_id_) return true;
    if (id >= end) return false;
    id = id_map[id - start_id_];
    return true;
  };

  if (!make_writable()) return -ENOMEM;
  std::vector<uint32_t> types;  // the records in the new order (word-aligned)
  std::vector<uint32_t> offs(own);
  try {
    types.reserve(owned_types_.size());
    for (uint32_t slot = 0; slot < own; slot++) {
      const btf_type* t = type_unchecked(start_id_ + old_at[slot]);
      const size_t size = type_size(t);  // a multiple of 4 (validated)
      offs[slot] = static_cast<uint32_t>(types.size() * sizeof(uint32_t));
      types.resize(types.size() + size / sizeof(uint32_t));
      auto* copy = reinterpret_cast<btf_type*>(types.data() + offs[slot] / sizeof(uint32_t));
      std::memcpy(copy, t, size);
      bool ok = true;
      bpfxx::btf::for_each_type_id(copy, [&](uint32_t& id) { ok = remap(id) && ok; });
      if (!ok) {
        BPFXX_WARN("btf__permute: type [%u] refers to a type id past the last one (%u)\n", start_id_ + old_at[slot],
                   end - 1);
        return -EINVAL;
      }
    }
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  }
  if (ext != nullptr && !ext->remap_type_ids(remap)) {
    BPFXX_WARN("btf__permute: .BTF.ext refers to a type id past the last one (%u)\n", end - 1);
    return -EINVAL;
  }
  owned_types_ = std::move(types);
  offs_ = std::move(offs);
  repoint();
  invalidate();
  return 0;
}
