// Building BTF: the owned, growable form, the string set, and every
// btf__add_*() operation.
#include "btf/build.h"

#include "btf/visit.h"

#include "base/log.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <new>
#include <string>
#include <vector>

using namespace bpfxx::btf;  // NOLINT

namespace {

constexpr uint32_t kMaxId = 0x7fffffffu;
constexpr uint32_t kMaxVlen = 0xffffu;  // vlen is a 16-bit field

uint32_t make_info(uint32_t kind, uint32_t vlen, bool kflag) {
  return (kflag ? 0x80000000u : 0u) | (kind << 24) | (vlen & 0xffffffu);
}

bool empty_name(const char* s) { return s == nullptr || *s == 0; }

}  // namespace

// ---- string set ------------------------------------------------------------

void btf::str_index_insert(uint32_t own_off) const {
  if ((str_count_ + 1) * 2 > str_slots_.size()) {
    // Grow and re-insert everything.
    size_t cap = str_slots_.empty() ? 64 : str_slots_.size() * 2;
    std::vector<uint32_t> old;
    old.swap(str_slots_);
    str_slots_.assign(cap, 0);
    str_count_ = 0;
    for (uint32_t v : old) {
      if (v != 0) str_index_insert(v - 1);
    }
  }
  const char* s = strs_ + own_off;
  const size_t mask = str_slots_.size() - 1;
  size_t i = name_hash(s) & mask;
  while (str_slots_[i] != 0) i = (i + 1) & mask;
  str_slots_[i] = own_off + 1;
  str_count_++;
}

void btf::ensure_str_index() const {
  if (str_index_built_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(str_mu_);
  if (str_index_built_.load(std::memory_order_relaxed)) return;
  build_str_index();
  str_index_built_.store(true, std::memory_order_release);
}

void btf::build_str_index() const {
  str_slots_.clear();
  str_count_ = 0;
  size_t off = 0;
  while (off < strs_len_) {
    const size_t len = std::strlen(strs_ + off);
    if (len != 0) str_index_insert(static_cast<uint32_t>(off));
    off += len + 1;
  }
}

int64_t btf::str_index_find(std::string_view s) const {
  if (str_slots_.empty()) return -1;
  const size_t mask = str_slots_.size() - 1;
  for (size_t i = name_hash(s) & mask;; i = (i + 1) & mask) {
    const uint32_t v = str_slots_[i];
    if (v == 0) return -1;
    const char* cand = strs_ + (v - 1);
    if (std::strncmp(cand, s.data(), s.size()) == 0 && cand[s.size()] == 0) return v - 1;
  }
}

int btf::find_str(std::string_view s) const {
  if (s.find('\0') != std::string_view::npos) return -EINVAL;
  if (s.empty()) return 0;
  if (base_ != nullptr) {
    int off = base_->find_str(s);
    if (off >= 0) return off;
  }
  ensure_str_index();
  const int64_t off = str_index_find(s);
  return off < 0 ? -ENOENT : static_cast<int>(start_str_off_ + off);
}

int btf::add_str(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) return -EINVAL;
  if (s.empty()) return 0;
  if (base_ != nullptr) {
    int off = base_->find_str(s);
    if (off >= 0) return off;
  }
  // s may view this object's own bytes (a name returned by
  // btf__name_by_offset()): the first modification releases the backing
  // and a later one may reallocate the strings, so work on a copy then.
  const bool aliases = !owned_ || (s.data() >= strs_ && s.data() <= strs_ + strs_len_);
  if (aliases) {
    std::string copy(s);
    if (!make_writable()) return -ENOMEM;
    return add_str_owned(copy);
  }
  return add_str_owned(s);
}

int btf::add_str_owned(std::string_view s) {
  ensure_str_index();
  int64_t found = str_index_find(s);
  if (found >= 0) return static_cast<int>(start_str_off_ + found);
  if (uint64_t{start_str_off_} + owned_strs_.size() + s.size() + 1 > kMaxId) return -E2BIG;
  const uint32_t own_off = static_cast<uint32_t>(owned_strs_.size());
  try {
    owned_strs_.insert(owned_strs_.end(), s.begin(), s.end());
    owned_strs_.push_back('\0');
    repoint();
    str_index_insert(own_off);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  }
  invalidate_raw();
  return static_cast<int>(start_str_off_ + own_off);
}

// ---- type records ----------------------------------------------------------

int btf::append_type(const void* rec, size_t size) {
  if (size % 4 != 0 || size < sizeof(btf_type)) return -EINVAL;
  if (type_cnt() >= kMaxId) return -E2BIG;
  if (!make_writable()) return -ENOMEM;
  const uint32_t off = static_cast<uint32_t>(types_len_);
  try {
    owned_types_.resize((types_len_ + size) / 4);
    offs_.push_back(off);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  }
  std::memcpy(reinterpret_cast<uint8_t*>(owned_types_.data()) + off, rec, size);
  types_len_ += size;
  repoint();
  invalidate_raw();
  // Keep a built name index current (the caller has exclusive access).
  if (index_ready_.load(std::memory_order_acquire)) name_index_add(type_cnt() - 1);
  return static_cast<int>(type_cnt() - 1);
}

btf_type* btf::last_type_mut() noexcept {
  if (!owned_ || offs_.empty()) return nullptr;
  return reinterpret_cast<btf_type*>(reinterpret_cast<uint8_t*>(owned_types_.data()) +
                                     offs_.back());
}

btf_type* btf::type_mut(uint32_t id) {
  if (id < start_id_ || id >= type_cnt()) return nullptr;
  if (!make_writable()) return nullptr;
  // The caller writes through the pointer afterwards: the serialized blob
  // and the name index must be rebuilt from the edited record.
  invalidate();
  return reinterpret_cast<btf_type*>(reinterpret_cast<uint8_t*>(owned_types_.data()) +
                                     offs_[id - start_id_]);
}

void* btf::extend_last_type(size_t n) {
  if (!owned_ || offs_.empty() || n % 4 != 0) return nullptr;
  try {
    owned_types_.resize((types_len_ + n) / 4, 0);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  auto* p = reinterpret_cast<uint8_t*>(owned_types_.data()) + types_len_;
  std::memset(p, 0, n);
  types_len_ += n;
  repoint();
  invalidate_raw();
  return p;
}

void btf::rollback(const Checkpoint& cp) {
  if (!owned_) return;
  types_len_ = cp.types_len;
  owned_types_.resize(types_len_ / 4);
  offs_.resize(cp.nr_types);
  owned_strs_.resize(cp.strs_len);
  repoint();
  str_slots_.clear();
  str_count_ = 0;
  str_index_built_.store(false);
  invalidate();
}

// ---- the add operations -----------------------------------------------------

namespace bpfxx::btf {
namespace {

// Only the range is checked: a type may refer to one appended later
// (struct list { struct list *next; } needs that).
bool valid_id(const ::btf&, int id) { return id >= 0 && static_cast<uint32_t>(id) <= kMaxId; }

// Adds the name (may be empty when allowed) and returns its offset.
int name_off(::btf& b, const char* name) { return empty_name(name) ? 0 : b.add_str(name); }

int append(::btf& b, const btf_type& t, const void* extra = nullptr, size_t extra_len = 0) {
  uint32_t buf[8];
  std::memcpy(buf, &t, sizeof t);
  if (extra_len != 0) std::memcpy(reinterpret_cast<uint8_t*>(buf) + sizeof t, extra, extra_len);
  return b.append_type(buf, sizeof t + extra_len);
}

// The last type, if it has the given kind (or either of two kinds).
btf_type* last_of_kind(::btf& b, uint32_t k1, uint32_t k2) {
  if (b.own_type_cnt() == 0) return nullptr;
  if (!b.make_writable()) return nullptr;
  btf_type* t = b.last_type_mut();
  if (t == nullptr) return nullptr;
  const uint32_t k = BTF_INFO_KIND(t->info);
  return (k == k1 || k == k2) ? t : nullptr;
}

}  // namespace

int add_int(::btf& b, const char* name, size_t byte_sz, int encoding) {
  if (empty_name(name)) return -EINVAL;
  if (byte_sz != 1 && byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 16) return -EINVAL;
  if (encoding & ~(BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL)) return -EINVAL;
  int off = b.add_str(name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_INT, 0, false);
  t.size = static_cast<uint32_t>(byte_sz);
  const uint32_t word = (static_cast<uint32_t>(encoding) << 24) | static_cast<uint32_t>(byte_sz * 8);
  return append(b, t, &word, 4);
}

int add_float(::btf& b, const char* name, size_t byte_sz) {
  if (empty_name(name)) return -EINVAL;
  if (byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 12 && byte_sz != 16) return -EINVAL;
  int off = b.add_str(name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_FLOAT, 0, false);
  t.size = static_cast<uint32_t>(byte_sz);
  return append(b, t);
}

int add_ref(::btf& b, uint32_t kind, const char* name, int ref_type_id, bool kflag) {
  if (!valid_id(b, ref_type_id)) return -EINVAL;
  const bool needs_name = kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_TYPE_TAG;
  if (needs_name && empty_name(name)) return -EINVAL;
  int off = name_off(b, name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(kind, 0, kflag);
  t.type = static_cast<uint32_t>(ref_type_id);
  return append(b, t);
}

int add_array(::btf& b, int index_type_id, int elem_type_id, uint32_t nr_elems) {
  if (!valid_id(b, index_type_id) || !valid_id(b, elem_type_id)) return -EINVAL;
  btf_type t{};
  t.info = make_info(BTF_KIND_ARRAY, 0, false);
  struct btf_array a{static_cast<uint32_t>(elem_type_id), static_cast<uint32_t>(index_type_id), nr_elems};
  return append(b, t, &a, sizeof a);
}

int add_composite(::btf& b, uint32_t kind, const char* name, uint32_t size) {
  int off = name_off(b, name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(kind, 0, false);
  t.size = size;
  return append(b, t);
}

int add_field(::btf& b, const char* name, int type_id, uint32_t bit_offset, uint32_t bit_size) {
  btf_type* t = last_of_kind(b, BTF_KIND_STRUCT, BTF_KIND_UNION);
  if (t == nullptr) return -EINVAL;
  if (BTF_INFO_VLEN(t->info) >= kMaxVlen) return -E2BIG;
  if (!valid_id(b, type_id)) return -EINVAL;
  const bool bitfield = bit_size != 0 || bit_offset % 8 != 0;
  if (bitfield && (bit_size == 0 || bit_size > 255 || bit_offset > 0xffffff)) return -EINVAL;
  if (BTF_INFO_KIND(t->info) == BTF_KIND_UNION && bit_offset != 0) return -EINVAL;
  int off = name_off(b, name);
  if (off < 0) return off;
  auto* m = static_cast<btf_member*>(b.extend_last_type(sizeof(btf_member)));
  if (m == nullptr) return -ENOMEM;
  m->name_off = static_cast<uint32_t>(off);
  m->type = static_cast<uint32_t>(type_id);
  m->offset = bit_offset | (bit_size << 24);
  t = b.last_type_mut();
  t->info = make_info(BTF_INFO_KIND(t->info), BTF_INFO_VLEN(t->info) + 1,
                      bitfield || BTF_INFO_KFLAG(t->info));
  return 0;
}

int add_enum(::btf& b, const char* name, uint32_t size, bool is64, bool is_signed) {
  if (size != 1 && size != 2 && size != 4 && size != 8) return -EINVAL;
  int off = name_off(b, name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(is64 ? BTF_KIND_ENUM64 : BTF_KIND_ENUM, 0, is_signed);
  t.size = size;
  return append(b, t);
}

int add_enum_value(::btf& b, const char* name, int64_t value) {
  btf_type* t = last_of_kind(b, BTF_KIND_ENUM, BTF_KIND_ENUM);
  if (t == nullptr || empty_name(name)) return -EINVAL;
  if (BTF_INFO_VLEN(t->info) >= kMaxVlen) return -E2BIG;
  if (value < INT_MIN || value > static_cast<int64_t>(UINT_MAX)) return -E2BIG;
  int off = b.add_str(name);
  if (off < 0) return off;
  auto* e = static_cast<struct btf_enum*>(b.extend_last_type(sizeof(struct btf_enum)));
  if (e == nullptr) return -ENOMEM;
  e->name_off = static_cast<uint32_t>(off);
  e->val = static_cast<int32_t>(static_cast<uint32_t>(value));
  t = b.last_type_mut();
  t->info = make_info(BTF_KIND_ENUM, BTF_INFO_VLEN(t->info) + 1,
                      BTF_INFO_KFLAG(t->info) || value < 0);
  return 0;
}

int add_enum64_value(::btf& b, const char* name, uint64_t value) {
  btf_type* t = last_of_kind(b, BTF_KIND_ENUM64, BTF_KIND_ENUM64);
  if (t == nullptr || empty_name(name)) return -EINVAL;
  if (BTF_INFO_VLEN(t->info) >= kMaxVlen) return -E2BIG;
  int off = b.add_str(name);
  if (off < 0) return off;
  auto* e = static_cast<struct btf_enum64*>(b.extend_last_type(sizeof(struct btf_enum64)));
  if (e == nullptr) return -ENOMEM;
  e->name_off = static_cast<uint32_t>(off);
  e->val_lo32 = static_cast<uint32_t>(value);
  e->val_hi32 = static_cast<uint32_t>(value >> 32);
  t = b.last_type_mut();
  t->info = make_info(BTF_KIND_ENUM64, BTF_INFO_VLEN(t->info) + 1, BTF_INFO_KFLAG(t->info));
  return 0;
}

int add_fwd(::btf& b, const char* name, int fwd_kind) {
  if (empty_name(name)) return -EINVAL;
  switch (fwd_kind) {
    case BTF_FWD_STRUCT:
    case BTF_FWD_UNION: {
      int off = b.add_str(name);
      if (off < 0) return off;
      btf_type t{};
      t.name_off = static_cast<uint32_t>(off);
      t.info = make_info(BTF_KIND_FWD, 0, fwd_kind == BTF_FWD_UNION);
      return append(b, t);
    }
    case BTF_FWD_ENUM:
      // An enum forward declaration is an enum without values.
      return add_enum(b, name, sizeof(int), false, false);
    default:
      return -EINVAL;
  }
}

int add_func(::btf& b, const char* name, int linkage, int proto_type_id) {
  if (empty_name(name)) return -EINVAL;
  if (linkage != BTF_FUNC_STATIC && linkage != BTF_FUNC_GLOBAL && linkage != BTF_FUNC_EXTERN)
    return -EINVAL;
  if (!valid_id(b, proto_type_id)) return -EINVAL;
  int off = b.add_str(name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_FUNC, static_cast<uint32_t>(linkage), false);
  t.type = static_cast<uint32_t>(proto_type_id);
  return append(b, t);
}

int add_func_proto(::btf& b, int ret_type_id) {
  if (!valid_id(b, ret_type_id)) return -EINVAL;
  btf_type t{};
  t.info = make_info(BTF_KIND_FUNC_PROTO, 0, false);
  t.type = static_cast<uint32_t>(ret_type_id);
  return append(b, t);
}

int add_func_param(::btf& b, const char* name, int type_id) {
  btf_type* t = last_of_kind(b, BTF_KIND_FUNC_PROTO, BTF_KIND_FUNC_PROTO);
  if (t == nullptr || !valid_id(b, type_id)) return -EINVAL;
  if (BTF_INFO_VLEN(t->info) >= kMaxVlen) return -E2BIG;
  int off = name_off(b, name);
  if (off < 0) return off;
  auto* p = static_cast<btf_param*>(b.extend_last_type(sizeof(btf_param)));
  if (p == nullptr) return -ENOMEM;
  p->name_off = static_cast<uint32_t>(off);
  p->type = static_cast<uint32_t>(type_id);
  t = b.last_type_mut();
  t->info = make_info(BTF_KIND_FUNC_PROTO, BTF_INFO_VLEN(t->info) + 1, false);
  return 0;
}

int add_var(::btf& b, const char* name, int linkage, int type_id) {
  if (empty_name(name)) return -EINVAL;
  if (linkage != BTF_VAR_STATIC && linkage != BTF_VAR_GLOBAL_ALLOCATED &&
      linkage != BTF_VAR_GLOBAL_EXTERN)
    return -EINVAL;
  if (!valid_id(b, type_id)) return -EINVAL;
  int off = b.add_str(name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_VAR, 0, false);
  t.type = static_cast<uint32_t>(type_id);
  struct btf_var v{static_cast<uint32_t>(linkage)};
  return append(b, t, &v, sizeof v);
}

int add_datasec(::btf& b, const char* name, uint32_t size) {
  if (empty_name(name)) return -EINVAL;
  int off = b.add_str(name);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_DATASEC, 0, false);
  t.size = size;
  return append(b, t);
}

int add_datasec_var_info(::btf& b, int var_type_id, uint32_t offset, uint32_t size) {
  btf_type* t = last_of_kind(b, BTF_KIND_DATASEC, BTF_KIND_DATASEC);
  if (t == nullptr || !valid_id(b, var_type_id)) return -EINVAL;
  if (BTF_INFO_VLEN(t->info) >= kMaxVlen) return -E2BIG;
  auto* v = static_cast<btf_var_secinfo*>(b.extend_last_type(sizeof(btf_var_secinfo)));
  if (v == nullptr) return -ENOMEM;
  v->type = static_cast<uint32_t>(var_type_id);
  v->offset = offset;
  v->size = size;
  t = b.last_type_mut();
  t->info = make_info(BTF_KIND_DATASEC, BTF_INFO_VLEN(t->info) + 1, false);
  return 0;
}

int add_decl_tag(::btf& b, const char* value, int ref_type_id, int component_idx, bool kflag) {
  if (empty_name(value) || component_idx < -1 || !valid_id(b, ref_type_id)) return -EINVAL;
  int off = b.add_str(value);
  if (off < 0) return off;
  btf_type t{};
  t.name_off = static_cast<uint32_t>(off);
  t.info = make_info(BTF_KIND_DECL_TAG, 0, kflag);
  t.type = static_cast<uint32_t>(ref_type_id);
  struct btf_decl_tag d{component_idx};
  return append(b, t, &d, sizeof d);
}

namespace {

// Copies src_type into a scratch buffer with its strings re-added to b and
// its type ids passed through remap.
template <class Remap>
int copy_record(::btf& b, const ::btf& src, const btf_type* src_type, Remap&& remap) {
  // The record is copied before anything is added: src may be b itself,
  // whose storage moves on its first modification.
  const size_t size = src.type_size(src_type);
  if (size < sizeof(btf_type) || size % 4 != 0) return -EINVAL;
  std::vector<uint32_t> rec(size / 4);
  std::memcpy(rec.data(), src_type, size);
  auto* t = reinterpret_cast<btf_type*>(rec.data());
  // A kind only src's layout section describes cannot be sized in b.
  if (b.type_size(t) != size) return -EINVAL;
  int err = 0;
  for_each_str_off(t, [&](uint32_t& off) {
    if (err != 0 || off == 0) return;
    const char* s = src.str_by_offset(off);
    if (s == nullptr) {
      err = -EINVAL;
      return;
    }
    int n = b.add_str(s);
    if (n < 0) err = n;
    else off = static_cast<uint32_t>(n);
  });
  if (err != 0) return err;
  for_each_type_id(t, [&](uint32_t& id) { remap(id); });
  return b.append_type(rec.data(), size);
}

}  // namespace

int add_type(::btf& b, const ::btf& src, const btf_type* src_type) {
  if (src_type == nullptr) return -EINVAL;
  return copy_record(b, src, src_type, [](uint32_t&) {});
}

int add_btf(::btf& b, const ::btf& src) {
  if (src.base() != nullptr) return -EOPNOTSUPP;
  if (!b.make_writable()) return -ENOMEM;
  const auto cp = b.checkpoint();
  const uint32_t first = b.type_cnt();
  const uint32_t shift = first - 1;  // src id 1 becomes `first`
  const uint32_t src_cnt = src.type_cnt();  // src may be b itself
  for (uint32_t id = 1; id < src_cnt; id++) {
    int rc = copy_record(b, src, src.type_unchecked(id), [&](uint32_t& ref) {
      if (ref != 0) ref += shift;
    });
    if (rc < 0) {
      b.rollback(cp);
      return rc;
    }
  }
  return static_cast<int>(first);
}

}  // namespace bpfxx::btf
