// struct btf: the BTF object behind the C API.
//
// Two forms, one interface:
//  - a zero-copy view over a validated blob in host byte order (an mmapped
//    file, a buffer read once, or a copy of the caller's bytes); type
//    records are read in place through a flat array of offsets;
//  - an owned, growable form, which the object switches to on the first
//    modification (btf__add_*(), btf__add_str()): types and strings are
//    copied into vectors and appended to from then on.
// Split BTF references its base (not owned) and continues its type ids and
// string offsets. The name index (name -> ids) is a flat open-addressing
// table built lazily, once, under a mutex; queries on one object may run
// from several threads, modifications need exclusive access.
#pragma once

#include <bpf/btf.h>
#include <bpfxx/result.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bpfxx::btf {

// Bytes of kind-specific data after the btf_type record of a known kind
// with vlen entries; -1 for kinds this library does not know.
inline long kind_extra_size(uint32_t kind, uint32_t vlen) noexcept {
  // Per kind: fixed bytes, bytes per vlen entry (facts of the format).
  static constexpr uint8_t fixed[] = {0, 4, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 4, 0, 0};
  static constexpr uint8_t per[] = {0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12};
  if (kind == 0 || kind >= sizeof fixed) return -1;
  return static_cast<long>(fixed[kind]) + static_cast<long>(vlen) * per[kind];
}
// "struct", "typedef", ... for messages; "unknown" otherwise.
const char* kind_name(uint32_t kind) noexcept;

// Whether info's kind stores a size (true) or a type id (false) in
// size_or_type.
bool kind_has_size(uint32_t kind) noexcept;

// Byte-swaps every 32-bit word of n bytes in place (n % 4 == 0).
void swap_words(void* data, size_t n) noexcept;

// Options for parsing.
struct ParseOptions {
  const ::btf* base = nullptr;  // split BTF over this base (not owned)
  // Keeps the bytes alive when the object may view them in place; when
  // null, the bytes are copied.
  std::shared_ptr<const void> keepalive;
  // Object name for messages ("vmlinux", a path, ...); may be empty.
  std::string name;
};

}  // namespace bpfxx::btf

struct btf {
 public:
  using Result = bpfxx::Result<std::unique_ptr<::btf>>;

  // Parses and validates a raw blob. Warns through the print callback and
  // fails with EINVAL (or ENOMEM) on malformed input.
  static Result parse(std::span<const uint8_t> data, const bpfxx::btf::ParseOptions& opts);
  // An empty object: only void, or nothing over a base.
  static std::unique_ptr<::btf> create_empty(const ::btf* base, bool add_layout);

  btf(const btf&) = delete;
  btf& operator=(const btf&) = delete;
  ~btf();

  // ---- queries ----
  uint32_t type_cnt() const noexcept { return start_id_ + static_cast<uint32_t>(offs_.size()); }
  uint32_t start_id() const noexcept { return start_id_; }
  uint32_t start_str_off() const noexcept { return start_str_off_; }
  uint32_t own_type_cnt() const noexcept { return static_cast<uint32_t>(offs_.size()); }
  const ::btf* base() const noexcept { return base_; }
  // nullptr for an id out of range; the void record for id 0.
  const btf_type* type_by_id(uint32_t id) const noexcept {
    if (id == 0) return &void_type_;
    if (id >= type_cnt()) return nullptr;
    return type_unchecked(id);
  }
  // Faster variant for ids known to be in range.
  const btf_type* type_unchecked(uint32_t id) const noexcept {
    if (id >= start_id_) return reinterpret_cast<const btf_type*>(types_ + offs_[id - start_id_]);
    return id == 0 ? &void_type_ : base_->type_unchecked(id);
  }
  // nullptr for a bad offset.
  const char* str_by_offset(uint32_t off) const noexcept {
    if (off >= start_str_off_ && off - start_str_off_ < strs_len_) return strs_ + (off - start_str_off_);
    return str_by_offset_slow(off);
  }
  // Total bytes of strings including the base's (next offset add_str uses).
  uint32_t str_end() const noexcept { return start_str_off_ + static_cast<uint32_t>(strs_len_); }
  std::string_view own_strings() const noexcept { return {strs_, strs_len_}; }
  std::span<const uint8_t> own_types() const noexcept { return {types_, types_len_}; }
  // Byte size of a type record (header + kind data).
  size_t type_size(const btf_type* t) const noexcept;

  // Lowest id with this name (and kind, when kind >= 0), the base's types
  // first; -ENOENT when none. "void" (or kind 0) maps to 0.
  int32_t find_by_name_kind(std::string_view name, int kind) const;
  // Same, over this object's own types only (not the base's).
  int32_t find_by_name_kind_own(std::string_view name, int kind) const;
  // Calls fn(id) for every type with this name (base first), until fn
  // returns false.
  template <class Fn>
  void for_each_named(std::string_view name, Fn&& fn) const;
  // The same with a plain callback; returns false once cb has said stop.
  bool for_each_named_impl(std::string_view name, bool (*cb)(void*, uint32_t), void* ctx) const;

  int64_t resolve_size(uint32_t id) const;
  int resolve_type(uint32_t id) const noexcept;
  int align_of(uint32_t id) const;
  size_t pointer_size() const;  // 0 when unknown
  int set_pointer_size(size_t sz) noexcept;
  // The pointer size to compute with: the known one, else the host's.
  size_t ptr_size_or_host() const;

  // ---- raw data and endianness ----
  enum btf_endianness endianness() const noexcept { return endian_; }
  int set_endianness(enum btf_endianness e) noexcept;
  // Serialized blob in the chosen byte order (cached until modified).
  bpfxx::Result<std::span<const uint8_t>> raw_data() const;
  // A freshly serialized blob: header, [layout], types, strings; in host
  // order or in the chosen byte order.
  std::vector<uint8_t> serialize(bool host_order, bool with_layout) const;
  bool has_layout() const noexcept { return !layout_.empty(); }

  // ---- kernel fd ----
  int fd() const noexcept { return fd_; }
  void set_fd(int fd) noexcept { fd_ = fd; }

  // ---- building ----
  int find_str(std::string_view s) const;       // offset or -ENOENT
  int add_str(std::string_view s);               // offset or -errno
  // Appends a raw record (header + kind data, host order, names already
  // offsets in this object); returns the new id or -errno.
  int append_type(const void* rec, size_t size);
  // Mutable access to the last type record (for add_field & co.).
  btf_type* last_type_mut() noexcept;
  // Grows the last type record by n bytes (appended zeroed); returns a
  // pointer to the new bytes, or nullptr on failure.
  void* extend_last_type(size_t n);
  // In-place access to one of this object's own types (never the base's),
  // for edits such as fixing a DATASEC's size or a FUNC's linkage: the
  // object switches to its owned form and drops every derived cache (an
  // edit may rename the type). nullptr for ids out of range, of the base,
  // or when memory runs out. The pointer stays valid until the next type is
  // appended; the record's kind and vlen must not be changed through it.
  btf_type* type_mut(uint32_t id);
  // Ensures the owned form; returns false on allocation failure.
  bool make_writable();
  // Drops caches derived from the contents (raw data, name index).
  void invalidate() noexcept;
  // Drops the serialized raw data only.
  void invalidate_raw() noexcept;
  // Reorders this object's own types: own type start_id + i becomes
  // id_map[i], and every type id that refers to an own type, here and in
  // ext's function info and CO-RE relocations, follows it. 0, or -EINVAL
  // (a count other than own_type_cnt(), a new id out of range or given
  // twice, a reference past the last type; warned) or -ENOMEM. Nothing
  // changes on failure.
  int permute(std::span<const uint32_t> id_map, ::btf_ext* ext);
  // Restores a checkpoint (for all-or-nothing btf__add_btf()).
  struct Checkpoint {
    size_t types_len, strs_len, nr_types;
  };
  Checkpoint checkpoint() const noexcept { return {types_len_, strs_len_, offs_.size()}; }
  void rollback(const Checkpoint& cp);

  const std::string& name() const noexcept { return name_; }

 private:
  btf() = default;
  bpfxx::Result<void> init_from(std::span<const uint8_t> data, const bpfxx::btf::ParseOptions& opts);
  bool index_types();
  // Walks the chains starting at candidates (own indexes of chain kinds).
  bool check_chains(const std::vector<uint32_t>& candidates) const;
  void build_name_index() const;
  void ensure_name_index() const;
  int32_t find_in_index(std::string_view name, int kind) const;
  void repoint() noexcept;
  const char* str_by_offset_slow(uint32_t off) const noexcept;
  static const btf_type void_type_;
  void build_str_index() const;
  int add_str_owned(std::string_view s);  // add_str once owned, s not aliasing
  void ensure_str_index() const;
  void str_index_insert(uint32_t own_off) const;
  void name_index_add(uint32_t id);
  int64_t str_index_find(std::string_view s) const;

  const ::btf* base_ = nullptr;
  uint32_t start_id_ = 1;
  uint32_t start_str_off_ = 0;
  std::string name_;

  // Current contents (host byte order), viewed or owned.
  const uint8_t* types_ = nullptr;
  size_t types_len_ = 0;
  const char* strs_ = nullptr;
  size_t strs_len_ = 0;
  std::vector<uint32_t> offs_;  // offset of each own type in types_

  // Kind layout section (entries of struct btf_layout), if any.
  std::vector<btf_layout> layout_;
  uint8_t hdr_flags_ = 0;

  // Zero-copy backing.
  std::shared_ptr<const void> backing_;
  std::span<const uint8_t> orig_raw_;  // the original blob (host order) while unmodified

  // Owned form.
  bool owned_ = false;
  std::vector<uint32_t> owned_types_;  // word-aligned storage for records
  std::vector<char> owned_strs_;
  // Open-addressing set of own string offsets (+1) for dedup in add_str,
  // built on first use; str_count_ counts its entries.
  // Mutable: a base BTF, shared and const, builds it on the first look-up
  // (under str_mu_); the owned form then keeps it up to date.
  mutable std::vector<uint32_t> str_slots_;
  mutable size_t str_count_ = 0;
  mutable std::atomic<bool> str_index_built_{false};
  mutable std::mutex str_mu_;

  enum btf_endianness endian_ = BTF_LITTLE_ENDIAN;
  enum btf_endianness source_endian_ = BTF_LITTLE_ENDIAN;
  mutable std::atomic<int> ptr_sz_{0};  // 0 unknown yet, -1 undeterminable
  int fd_ = -1;

  // Caches.
  mutable std::mutex cache_mu_;
  mutable std::vector<uint8_t> raw_cache_;
  mutable bool raw_cache_valid_ = false;
  mutable std::atomic<bool> index_ready_{false};
  mutable std::vector<uint32_t> name_slots_;  // id - start_id + 1, 0 empty
  mutable std::vector<uint32_t> name_hash_;   // hash per slot (fast reject)
  mutable size_t name_count_ = 0;
};

namespace bpfxx::btf {

// Hash of a name for the name and string indexes: 8 bytes per step
// (multiply and xor-shift mixing), then the tail.
inline uint32_t name_hash(const char* p, size_t n) noexcept {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  return static_cast<uint32_t>(h) ^ static_cast<uint32_t>(h >> 32);
}
inline uint32_t name_hash(std::string_view s) noexcept { return name_hash(s.data(), s.size()); }

}  // namespace bpfxx::btf

template <class Fn>
void btf::for_each_named(std::string_view name, Fn&& fn) const {
  using F = std::remove_reference_t<Fn>;
  auto thunk = [](void* ctx, uint32_t id) { return static_cast<bool>((*static_cast<F*>(ctx))(id)); };
  for_each_named_impl(name, thunk, const_cast<void*>(static_cast<const void*>(&fn)));
}
