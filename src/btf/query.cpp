// Queries: the name index and look-ups by name, sizes, alignment, the
// resolution of typedef/modifier chains, the target's pointer size.
#include "btf/btf.h"

#include "base/log.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <unordered_map>

using namespace bpfxx::btf;  // NOLINT

namespace {

// Deepest typedef/modifier/array chain followed before giving up (a loop
// in unvalidated input, or absurd nesting).
constexpr int kMaxDepth = 32;

}  // namespace

void btf::build_name_index() const {
  // First the hashes, in id order (sequential reads); then the inserts,
  // prefetching the slot a few entries ahead: the table is larger than the
  // caches and the slots are random.
  const uint32_t own = own_type_cnt();
  struct Entry {
    uint32_t hash, idx;
  };
  std::vector<Entry> entries;
  entries.reserve(own);
  for (uint32_t i = 0; i < own; i++) {
    const auto* t = reinterpret_cast<const btf_type*>(types_ + offs_[i]);
    if (t->name_off == 0) continue;
    const char* n = str_by_offset(t->name_off);
    if (n == nullptr || *n == 0) continue;
    entries.push_back({name_hash(n, std::strlen(n)), i});
  }
  size_t cap = 16;
  while (cap < entries.size() * 2 + 2) cap <<= 1;
  name_count_ = entries.size();
  name_slots_.assign(cap, 0);
  name_hash_.assign(cap, 0);
  const size_t mask = cap - 1;
  constexpr size_t kAhead = 8;
  for (size_t k = 0; k < entries.size(); k++) {
    if (k + kAhead < entries.size()) {
      __builtin_prefetch(&name_slots_[entries[k + kAhead].hash & mask], 1);
      __builtin_prefetch(&name_hash_[entries[k + kAhead].hash & mask], 1);
    }
    size_t s = entries[k].hash & mask;
    while (name_slots_[s] != 0) s = (s + 1) & mask;
    name_slots_[s] = entries[k].idx + 1;
    name_hash_[s] = entries[k].hash;
  }
}

void btf::name_index_add(uint32_t id) {
  // Called with the index built: keep it current instead of rebuilding.
  const auto* t = type_unchecked(id);
  if (t->name_off == 0) return;
  const char* n = str_by_offset(t->name_off);
  if (n == nullptr || *n == 0) return;
  if ((name_count_ + 1) * 2 > name_slots_.size()) {
    build_name_index();  // grows; includes id (already appended)
    return;
  }
  const size_t mask = name_slots_.size() - 1;
  const uint32_t h = name_hash(n, std::strlen(n));
  size_t s = h & mask;
  while (name_slots_[s] != 0) s = (s + 1) & mask;
  name_slots_[s] = id - start_id_ + 1;
  name_hash_[s] = h;
  name_count_++;
}

void btf::ensure_name_index() const {
  if (index_ready_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (index_ready_.load(std::memory_order_relaxed)) return;
  build_name_index();
  index_ready_.store(true, std::memory_order_release);
}

int32_t btf::find_in_index(std::string_view name, int kind) const {
  ensure_name_index();
  if (name_slots_.empty()) return -ENOENT;
  const uint32_t h = name_hash(name);
  const size_t mask = name_slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t v = name_slots_[i];
    if (v == 0) return -ENOENT;
    if (name_hash_[i] != h) continue;
    const auto* t = reinterpret_cast<const btf_type*>(types_ + offs_[v - 1]);
    if (kind >= 0 && BTF_INFO_KIND(t->info) != static_cast<uint32_t>(kind)) continue;
    const char* n = strs_ + (t->name_off - start_str_off_);
    if (t->name_off < start_str_off_) n = str_by_offset(t->name_off);
    if (std::strncmp(n, name.data(), name.size()) == 0 && n[name.size()] == 0)
      return static_cast<int32_t>(start_id_ + v - 1);
  }
}

bool btf::for_each_named_impl(std::string_view name, bool (*cb)(void*, uint32_t),
                              void* ctx) const {
  if (base_ != nullptr && !base_->for_each_named_impl(name, cb, ctx)) return false;
  ensure_name_index();
  if (name_slots_.empty()) return true;
  const uint32_t h = name_hash(name);
  const size_t mask = name_slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t v = name_slots_[i];
    if (v == 0) return true;
    if (name_hash_[i] != h) continue;
    const uint32_t id = start_id_ + v - 1;
    const char* n = str_by_offset(type_unchecked(id)->name_off);
    if (n != nullptr && name == n && !cb(ctx, id)) return false;
  }
}

int32_t btf::find_by_name_kind_own(std::string_view name, int kind) const {
  if (kind == BTF_KIND_UNKN || name == "void") return 0;
  return find_in_index(name, kind);
}

int32_t btf::find_by_name_kind(std::string_view name, int kind) const {
  if (kind == BTF_KIND_UNKN || name == "void") return 0;
  if (base_ != nullptr) {
    int32_t id = base_->find_by_name_kind(name, kind);
    if (id >= 0) return id;
  }
  return find_in_index(name, kind);
}

size_t btf::pointer_size() const {
  if (ptr_sz_.load(std::memory_order_relaxed) == 0) {
    // Guess from the size of "long" (any spelling), as compilers emit it.
    static const char* const longs[] = {
        "long",          "long int",          "int long",          "unsigned long",
        "long unsigned", "unsigned long int", "unsigned int long", "long unsigned int",
        "long int unsigned", "int unsigned long", "int long unsigned"};
    int guess = -1;
    for (const char* n : longs) {
      int32_t id = find_by_name_kind(n, BTF_KIND_INT);
      if (id <= 0) continue;
      uint32_t sz = type_unchecked(static_cast<uint32_t>(id))->size;
      if (sz == 4 || sz == 8) {
        guess = static_cast<int>(sz);
        break;
      }
    }
    ptr_sz_.store(guess, std::memory_order_relaxed);
  }
  const int sz = ptr_sz_.load(std::memory_order_relaxed);
  return sz < 0 ? 0 : static_cast<size_t>(sz);
}

size_t btf::ptr_size_or_host() const {
  size_t sz = pointer_size();
  return sz != 0 ? sz : sizeof(void*);
}

int btf::set_pointer_size(size_t sz) noexcept {
  if (sz != 4 && sz != 8) return -EINVAL;
  ptr_sz_ = static_cast<int>(sz);
  return 0;
}

int64_t btf::resolve_size(uint32_t id) const {
  uint64_t nelems = 1;
  for (int depth = 0; depth < kMaxDepth; depth++) {
    const btf_type* t = type_by_id(id);
    if (t == nullptr) return -EINVAL;
    uint64_t size;
    switch (BTF_INFO_KIND(t->info)) {
      case BTF_KIND_INT:
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
      case BTF_KIND_DATASEC:
      case BTF_KIND_FLOAT:
        size = t->size;
        break;
      case BTF_KIND_PTR:
        size = ptr_size_or_host();
        break;
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_VAR:
      case BTF_KIND_DECL_TAG:
      case BTF_KIND_TYPE_TAG:
        id = t->type;
        continue;
      case BTF_KIND_ARRAY: {
        const auto* a = reinterpret_cast<const struct btf_array*>(t + 1);
        nelems *= a->nelems;
        if (nelems > UINT32_MAX) return -E2BIG;
        id = a->type;
        continue;
      }
      default:
        return -EINVAL;
    }
    const uint64_t total = nelems * size;
    if (nelems != 0 && total / nelems != size) return -E2BIG;
    if (total > UINT32_MAX) return -E2BIG;
    return static_cast<int64_t>(total);
  }
  BPFXX_WARN("BTF type [%u]: type chain deeper than %d (loop?)\n", id, kMaxDepth);
  return -EINVAL;
}

int btf::resolve_type(uint32_t id) const noexcept {
  for (int depth = 0; depth < kMaxDepth; depth++) {
    const btf_type* t = type_by_id(id);
    // void, and a forward declaration (an incomplete, void-like type),
    // resolve to nothing.
    if (t == nullptr || id == 0 || BTF_INFO_KIND(t->info) == BTF_KIND_FWD) return -EINVAL;
    switch (BTF_INFO_KIND(t->info)) {
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
      case BTF_KIND_VAR:
        id = t->type;
        continue;
      default:
        return static_cast<int>(id);
    }
  }
  BPFXX_WARN("BTF type [%u]: type chain deeper than %d (loop?)\n", id, kMaxDepth);
  return -EINVAL;
}

namespace {

// memo: id -> alignment of the structs and unions already computed in this
// call, so that a type used many times (nested structs) is visited once.
int align_of_depth(const ::btf& b, uint32_t id, int depth, std::unordered_map<uint32_t, int>& memo) {
  if (depth > kMaxDepth) {
    BPFXX_WARN("BTF type [%u]: nesting deeper than %d (loop?)\n", id, kMaxDepth);
    return -EINVAL;
  }
  const btf_type* t = b.type_by_id(id);
  if (t == nullptr) return -EINVAL;
  const uint32_t kind = BTF_INFO_KIND(t->info);
  switch (kind) {
    case BTF_KIND_INT:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
    case BTF_KIND_FLOAT:
      return static_cast<int>(std::min<size_t>(b.ptr_size_or_host(), t->size));
    case BTF_KIND_PTR:
      return static_cast<int>(b.ptr_size_or_host());
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      return align_of_depth(b, t->type, depth + 1, memo);
    case BTF_KIND_ARRAY:
      return align_of_depth(b, reinterpret_cast<const struct btf_array*>(t + 1)->type, depth + 1, memo);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      if (auto it = memo.find(id); it != memo.end()) return it->second;
      const auto* m = reinterpret_cast<const btf_member*>(t + 1);
      const bool kflag = BTF_INFO_KFLAG(t->info) != 0;
      int max_align = 1;
      bool packed = false;
      for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
        int a = align_of_depth(b, m[i].type, depth + 1, memo);
        if (a <= 0) return a;
        max_align = std::max(max_align, a);
        const uint32_t bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;
        const uint32_t off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
        // A plain member at an offset its type's alignment does not allow:
        // the struct must be packed.
        if (bits == 0 && off % (8u * static_cast<uint32_t>(a)) != 0) packed = true;
      }
      const int result = (packed || t->size % static_cast<uint32_t>(max_align) != 0) ? 1 : max_align;
      memo.emplace(id, result);
      return result;
    }
    default:
      // Like libbpf: 0 (the C API sets errno to EINVAL) for kinds without
      // an alignment.
      BPFXX_WARN("BTF type [%u]: alignment of a %s is undefined\n", id, kind_name(kind));
      return 0;
  }
}

}  // namespace

int btf::align_of(uint32_t id) const {
  std::unordered_map<uint32_t, int> memo;
  return align_of_depth(*this, id, 0, memo);
}
