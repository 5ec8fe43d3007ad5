// BTF to C definitions: the order types must be defined in, forward
// declarations where a pointer is enough, names made unique with ___N
// suffixes, and struct layouts reproduced exactly (explicit padding,
// packed and aligned attributes) so that clang sees BTF's offsets.
#include "btf/dump.h"

#include "base/log.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdarg>
#include <cstring>

namespace bpfxx::btf {

std::string_view NameArena::keep(std::string_view s) {
  if (s.size() + 1 > cap_ - used_) {
    const size_t block = std::max<size_t>(64 * 1024, s.size() + 1);
    blocks_.push_back(std::make_unique<char[]>(block));
    used_ = 0;
    cap_ = block;
  }
  char* dst = blocks_.back().get() + used_;
  std::memcpy(dst, s.data(), s.size());
  dst[s.size()] = 0;
  used_ += s.size() + 1;
  return {dst, s.size()};
}

namespace {

uint64_t hash_name(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h | 1;  // 0 marks an empty slot
}

}  // namespace

void NameCounts::reserve(size_t n) {
  size_t want = 4096;
  while (want < (used_ + n) * 2) want *= 2;
  if (want > slots_.size()) grow(want);
}

void NameCounts::grow(size_t cap) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(cap != 0 ? cap : old.empty() ? 4096 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& o : old) {
    if (o.hash == 0) continue;
    size_t i = o.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = o;
  }
}

uint32_t NameCounts::bump(std::string_view name, NameArena& arena) {
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const uint64_t h = hash_name(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.hash == 0) {
      std::string_view kept = arena.keep(name);
      s = Slot{h, kept.data(), static_cast<uint32_t>(kept.size()), 1};
      used_++;
      return 1;
    }
    if (s.hash == h && s.len == name.size() && std::memcmp(s.key, name.data(), name.size()) == 0) return ++s.count;
  }
}

}  // namespace bpfxx::btf

namespace {

// Deepest nesting the dumper follows (embedded structs, declarator chains
// inside anonymous types); well-formed C never comes close.
constexpr int kMaxDepth = 256;
// Work and output one public call may do: far above what a kernel needs
// (at most ~4,000 steps per btf_dump__dump_type() call in a full 6.18
// vmlinux dump; any single type's whole closure from a fresh dumper fits
// too; a whole vmlinux.h is ~3 MB), low enough that hostile BTF
// (anonymous types nested 2^n ways, 4 GB holes) fails fast.
constexpr uint64_t kMaxWork = uint64_t{1} << 20;
constexpr size_t kMaxOutput = size_t{64} << 20;
// Widest hole filled with padding bitfields (1 MB).
constexpr uint64_t kMaxPadBits = uint64_t{8} << 20;

const btf_type kVoidType{};

void call_printf(btf_dump_printf_fn_t fn, void* ctx, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fn(ctx, fmt, ap);
  va_end(ap);
}

uint64_t round_up(uint64_t v, uint64_t a) { return a == 0 ? v : (v + a - 1) / a * a; }

}  // namespace

btf_dump::btf_dump(const ::btf* btf, btf_dump_printf_fn_t fn, void* ctx)
    : btf_(btf), printf_fn_(fn), ctx_(ctx) {
  size_t ps = btf__pointer_size(btf);
  ptr_sz_ = ps != 0 ? static_cast<uint32_t>(ps) : static_cast<uint32_t>(sizeof(void*));
  states_.resize(1);
  states_[0].order = kOrdered;
  states_[0].emit = kEmitted;
}

const btf_type* btf_dump::type(uint32_t id) const noexcept {
  if (id == 0 || id >= nr_types_) return &kVoidType;
  const btf_type* t = btf__type_by_id(btf_, id);
  return t != nullptr ? t : &kVoidType;
}

const char* btf_dump::str(uint32_t off) const noexcept {
  const char* s = btf__name_by_offset(btf_, off);
  return s != nullptr ? s : "";
}

void btf_dump::flush() {
  if (out_.empty()) return;
  call_printf(printf_fn_, ctx_, "%s", out_.c_str());
  out_.clear();
}

void btf_dump::start_work(uint64_t limit) {
  work_ = 0;
  work_limit_ = std::min(limit, kMaxWork);
}

bool btf_dump::step() {
  if (++work_ <= work_limit_ && out_.size() <= kMaxOutput) return true;
  if (err_ == 0) {
    BPFXX_WARN("btf_dump: giving up: the BTF asks for more work or output than any real type needs\n");
    err_ = -E2BIG;
  }
  return false;
}

void btf_dump::put_uint(uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, r.ptr);
}

void btf_dump::put_int(int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, r.ptr);
}

void btf_dump::put_tabs(int n) {
  if (n > 0) out_.append(static_cast<size_t>(n), '\t');
}

// Marks the types other types reference and checks that every reference
// points at a type that exists. Anonymous enums nobody references are
// top-level constant lists and get printed on their own.
int btf_dump::refresh() {
  const uint32_t cnt = btf__type_cnt(btf_);
  if (cnt <= nr_types_) return 0;
  states_.resize(cnt);
  auto ref = [&](uint32_t id) {
    if (id >= cnt) return false;
    states_[id].referenced = true;
    return true;
  };
  size_t tags = 0, idents = 0;  // names the two namespaces may see
  for (uint32_t id = nr_types_; id < cnt; id++) {
    const btf_type* t = btf__type_by_id(btf_, id);
    if (t == nullptr) return -EINVAL;
    const uint32_t vlen = btf_vlen(t);
    bool ok = true;
    switch (btf_kind(t)) {
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        idents += vlen;
        tags++;
        break;
      case BTF_KIND_INT:
        tags++;
        break;
      case BTF_KIND_FWD:
      case BTF_KIND_FLOAT:
        break;
      case BTF_KIND_TYPEDEF:
        idents++;
        ok = ref(t->type);
        break;
      case BTF_KIND_PTR:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_FUNC:
      case BTF_KIND_VAR:
      case BTF_KIND_DECL_TAG:
      case BTF_KIND_TYPE_TAG:
        ok = ref(t->type);
        break;
      case BTF_KIND_ARRAY:
        ok = ref(btf_array(t)->index_type) && ref(btf_array(t)->type);
        break;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        if (t->name_off != 0) tags++;
        for (uint32_t i = 0; i < vlen && ok; i++) ok = ref(btf_members(t)[i].type);
        break;
      case BTF_KIND_FUNC_PROTO:
        ok = ref(t->type);
        for (uint32_t i = 0; i < vlen && ok; i++) ok = ref(btf_params(t)[i].type);
        break;
      case BTF_KIND_DATASEC:
        for (uint32_t i = 0; i < vlen && ok; i++) ok = ref(btf_var_secinfos(t)[i].type);
        break;
      default:
        // A kind this library does not know: skipped here; dumping a type
        // that reaches it fails then (order_type, the declaration walk).
        BPFXX_DEBUG("btf_dump: type [%u] has unknown kind %u, skipped\n", id, btf_kind(t));
        break;
    }
    if (!ok) {
      BPFXX_WARN("btf_dump: type [%u] references a type id out of range\n", id);
      return -EINVAL;
    }
  }
  nr_types_ = cnt;
  type_names_.reserve(tags);
  ident_names_.reserve(idents);
  return 0;
}

// ---- public operations --------------------------------------------------

int btf_dump::dump_type(uint32_t id) {
  int err = refresh();
  if (err != 0) return err;
  if (id >= nr_types_) return -EINVAL;
  queue_.clear();
  err_ = 0;
  start_work(kMaxWork);
  err = order_type(id, false, 0);
  if (err < 0) return err;
  for (uint32_t q : queue_) emit_type(q, 0, 0);
  flush();
  return err_;
}

int btf_dump::emit_type_decl(uint32_t id, const char* field_name, int indent, bool strip_mods) {
  int err = refresh();
  if (err != 0) return err;
  if (id >= nr_types_) return -EINVAL;
  err_ = 0;
  start_work(kMaxWork);
  strip_mods_ = strip_mods;
  emit_decl(id, field_name != nullptr ? field_name : "", indent);
  strip_mods_ = false;
  flush();
  return err_;
}

// ---- ordering -----------------------------------------------------------
//
// A depth-first walk that queues every named type after the types it
// needs. It returns 1 when the walk went through a "strong" link (the
// type must be complete where it is used: embedded by value, or inside an
// anonymous type that gets defined inline) and 0 for a "weak" one (reached
// through a pointer to a named type: a forward declaration will do).

int btf_dump::order_type(uint32_t id, bool through_ptr, int depth) {
  if (!step()) return err_;
  if (depth > kMaxDepth) {
    BPFXX_WARN("btf_dump: type [%u] nests too deeply\n", id);
    return -ELOOP;
  }
  TypeState& st = states_[id];
  if (st.order == kOrdered) return 1;
  const btf_type* t = type(id);
  if (st.order == kOrdering) {
    if (btf_is_composite(t) && through_ptr && t->name_off != 0) return 0;
    BPFXX_WARN("btf_dump: type [%u] is part of a cycle C cannot express\n", id);
    return -ELOOP;
  }
  switch (btf_kind(t)) {
    case BTF_KIND_INT:
    case BTF_KIND_FLOAT:
      states_[id].order = kOrdered;
      return 0;
    case BTF_KIND_PTR: {
      int r = order_type(t->type, true, depth + 1);
      states_[id].order = kOrdered;
      return r;
    }
    case BTF_KIND_ARRAY:
      return order_type(btf_array(t)->type, false, depth + 1);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      if (through_ptr && t->name_off != 0) return 0;
      states_[id].order = kOrdering;
      const btf_member* m = btf_members(t);
      for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
        int r = order_type(m[i].type, false, depth + 1);
        if (r < 0) return r;
      }
      if (t->name_off != 0) queue_.push_back(id);
      states_[id].order = kOrdered;
      return 1;
    }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
    case BTF_KIND_FWD:
      if (t->name_off != 0 || !states_[id].referenced) queue_.push_back(id);
      states_[id].order = kOrdered;
      return 1;
    case BTF_KIND_TYPEDEF: {
      int r = order_type(t->type, through_ptr, depth + 1);
      if (r < 0) return r;
      if (through_ptr && r == 0) return 0;
      queue_.push_back(id);
      states_[id].order = kOrdered;
      return 1;
    }
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      return order_type(t->type, through_ptr, depth + 1);
    case BTF_KIND_FUNC_PROTO: {
      int r = order_type(t->type, through_ptr, depth + 1);
      if (r < 0) return r;
      bool strong = r > 0;
      const btf_param* p = btf_params(t);
      for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
        r = order_type(p[i].type, through_ptr, depth + 1);
        if (r < 0) return r;
        strong = strong || r > 0;
      }
      return strong ? 1 : 0;
    }
    case BTF_KIND_FUNC:
    case BTF_KIND_VAR:
    case BTF_KIND_DATASEC:
    case BTF_KIND_DECL_TAG:
      states_[id].order = kOrdered;
      return 0;
    default:
      if (id == 0) return 1;
      BPFXX_WARN("btf_dump: type [%u] has unknown kind %u\n", id, btf_kind(t));
      return -EINVAL;
  }
}

// ---- emission -----------------------------------------------------------
//
// cont_id is the named struct/union whose definition is being printed (0
// at top level): a reference back to it needs no forward declaration.

bool btf_dump::is_builtin_typedef(uint32_t id) const {
  // __builtin_va_list is the compiler's own; redefining it breaks the build
  // with another compiler than the one that built the kernel.
  const btf_type* t = type(id);
  return t->name_off != 0 && std::strcmp(str(t->name_off), "__builtin_va_list") == 0;
}

void btf_dump::emit_type(uint32_t id, uint32_t cont_id, int depth) {
  if (!step()) return;
  if (depth > kMaxDepth) {
    err_ = -ELOOP;
    return;
  }
  TypeState* st = &states_[id];
  if (st->emit == kEmitted) return;
  const btf_type* t = type(id);
  const bool top = cont_id == 0;
  const uint32_t kind = btf_kind(t);

  if (st->emit == kEmitting) {
    // A type that refers back to one being printed.
    if (st->fwd_emitted) return;
    if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) {
      if (id == cont_id) return;
      if (t->name_off == 0) {
        BPFXX_WARN("btf_dump: anonymous struct/union [%u] contains itself\n", id);
        return;
      }
      emit_struct_fwd(id, t);
      put(";\n\n");
      states_[id].fwd_emitted = true;
    } else if (kind == BTF_KIND_TYPEDEF) {
      // The typedef stands in for its own forward declaration: usable
      // through pointers from here on.
      if (!is_builtin_typedef(id)) {
        emit_typedef_def(id, t, 0);
        put(";\n\n");
      }
      states_[id].fwd_emitted = true;
    }
    return;
  }

  switch (kind) {
    case BTF_KIND_INT:
      emit_missing_alias(id);
      states_[id].emit = kEmitted;
      break;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      if (top) {
        emit_enum_def(id, t, 0);
        put(";\n\n");
      }
      states_[id].emit = kEmitted;
      break;
    case BTF_KIND_PTR:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      emit_type(t->type, cont_id, depth + 1);
      break;
    case BTF_KIND_ARRAY:
      emit_type(btf_array(t)->type, cont_id, depth + 1);
      break;
    case BTF_KIND_FWD:
      emit_fwd(id, t);
      put(";\n\n");
      states_[id].emit = kEmitted;
      break;
    case BTF_KIND_TYPEDEF:
      states_[id].emit = kEmitting;
      emit_type(t->type, id, depth + 1);
      st = &states_[id];
      if (!st->fwd_emitted && !is_builtin_typedef(id)) {
        emit_typedef_def(id, t, 0);
        put(";\n\n");
      }
      states_[id].emit = kEmitted;
      break;
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      states_[id].emit = kEmitting;
      if (top || t->name_off == 0) {
        // Its members will be spelled out: what they use must be declared.
        const uint32_t inner = t->name_off == 0 ? cont_id : id;
        const btf_member* m = btf_members(t);
        for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) emit_type(m[i].type, inner, depth + 1);
      } else if (!states_[id].fwd_emitted && id != cont_id) {
        emit_struct_fwd(id, t);
        put(";\n\n");
        states_[id].fwd_emitted = true;
      }
      if (top) {
        emit_struct_def(id, t, 0);
        put(";\n\n");
        states_[id].emit = kEmitted;
      } else {
        states_[id].emit = kNotEmitted;
      }
      break;
    case BTF_KIND_FUNC_PROTO: {
      emit_type(t->type, cont_id, depth + 1);
      const btf_param* p = btf_params(t);
      for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) emit_type(p[i].type, cont_id, depth + 1);
      break;
    }
    default:
      break;
  }
}

// ---- names --------------------------------------------------------------

uint32_t btf_dump::count_name(bpfxx::btf::NameCounts& counts, std::string_view name) {
  return counts.bump(name, arena_);
}

std::string_view btf_dump::resolve_name(uint32_t id, bpfxx::btf::NameCounts& counts) {
  const btf_type* t = type(id);
  if (t->name_off == 0) return {};
  std::string_view name = str(t->name_off);
  TypeState& st = states_[id];
  if (st.name_resolved) {
    if (auto it = dup_names_.find(id); it != dup_names_.end()) return it->second;
    return name;
  }
  st.name_resolved = true;
  // Forward declarations and empty enums name something defined elsewhere.
  if (btf_is_fwd(t) || (btf_is_enum(t) && btf_vlen(t) == 0)) return name;
  const uint32_t n = count_name(counts, name);
  if (n <= 1) return name;
  std::string renamed(name);
  renamed += "___";
  renamed += std::to_string(n);
  return dup_names_.emplace(id, std::move(renamed)).first->second;
}

// ---- layout of the emitted C ---------------------------------------------

uint32_t btf_dump::resolved_bytes(uint32_t id) {
  const int64_t sz = btf__resolve_size(btf_, id);
  return sz > 0 && sz < (int64_t{1} << 32) ? static_cast<uint32_t>(sz) : 0;
}

// Alignment clang gives the type as this dumper prints it: natural
// alignment of scalars, the members' maximum for records, 1 for packed
// records, N for records printed with aligned(N).
uint32_t btf_dump::natural_align(uint32_t id, int depth) {
  for (int hops = 0; hops < kMaxDepth; hops++) {
    const btf_type* t = type(id);
    switch (btf_kind(t)) {
      case BTF_KIND_INT:
      case BTF_KIND_FLOAT:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64: {
        uint32_t sz = t->size;
        if (sz == 16 && ptr_sz_ == 8 && btf_kind(t) == BTF_KIND_INT) return 16;
        sz = std::min(sz, ptr_sz_);
        return sz == 0 ? 1 : sz;
      }
      case BTF_KIND_PTR:
        return ptr_sz_;
      case BTF_KIND_ARRAY:
        id = btf_array(t)->type;
        continue;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        if (depth > kMaxDepth) return 1;
        layout(id, t, depth + 1);
        return 1u << states_[id].align_log2;
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG:
        id = t->type;
        continue;
      default:
        return 1;
    }
  }
  return 1;
}

namespace {

// Bit offset and bitfield width of member i (0 for a plain member); the
// old encoding keeps bitfields in the int type itself.
void member_bits(const btf_type* t, uint32_t i, const btf_type* mt, uint64_t* off, uint32_t* bits) {
  const btf_member* m = btf_members(t) + i;
  if (btf_kflag(t)) {
    *off = BTF_MEMBER_BIT_OFFSET(m->offset);
    *bits = BTF_MEMBER_BITFIELD_SIZE(m->offset);
    return;
  }
  *off = m->offset;
  *bits = 0;
  if (btf_is_int(mt)) {
    const uint32_t nr = btf_int_bits(mt);
    if (nr != 0 && nr != mt->size * 8u) {
      *bits = nr;
      *off += btf_int_offset(mt);
    }
  }
}

int log2_of(uint32_t v) {
  int l = 0;
  while ((1u << l) < v && l < 31) l++;
  return l;
}

}  // namespace

void btf_dump::layout(uint32_t id, const btf_type* t, int depth) {
  if (states_[id].layout_done) return;
  states_[id].layout_done = true;  // also breaks loops of bad input
  const bool is_struct = btf_is_struct(t);
  uint32_t max_align = 1;
  uint64_t max_bytes = 0;
  bool packed = false;
  for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
    const uint32_t mid = btf_members(t)[i].type;
    const btf_type* mt = type(mid);
    uint64_t off;
    uint32_t bits;
    member_bits(t, i, mt, &off, &bits);
    const uint32_t a = natural_align(mid, depth);
    if (bits == 0) {
      if (off % (8ull * a) != 0) packed = true;
      max_bytes = std::max<uint64_t>(max_bytes, resolved_bytes(mid));
    } else {
      // A bitfield must sit inside one aligned unit of its type.
      const uint64_t unit = 8ull * resolved_bytes(mid);
      if (unit != 0 && (off % unit) + bits > unit) packed = true;
      max_bytes = std::max<uint64_t>(max_bytes, (bits + 7) / 8);
    }
    max_align = std::max(max_align, a);
  }
  if (t->size % max_align != 0) packed = true;
  TypeState& st = states_[id];
  st.packed = packed;
  st.align_log2 = packed ? 0 : static_cast<uint8_t>(log2_of(max_align));
  st.attr_align_log2 = 0;
  st.union_pad_bytes = 0;
  if (!is_struct && !packed && t->size > round_up(max_bytes, max_align)) {
    // A union larger than its members (BTF keeps no alignment): grow it
    // with an alignment that rounds its members' size up to BTF's, or
    // else with an unnamed bitfield member of the whole size.
    for (uint32_t a = max_align * 2; max_bytes != 0 && a <= 4096; a *= 2) {
      if (round_up(max_bytes, a) == t->size) {
        st.attr_align_log2 = static_cast<uint8_t>(log2_of(a));
        st.align_log2 = st.attr_align_log2;
        break;
      }
    }
    if (st.attr_align_log2 == 0 && t->size <= ptr_sz_) st.union_pad_bytes = static_cast<uint8_t>(t->size);
    if (st.attr_align_log2 == 0 && st.union_pad_bytes == 0)
      BPFXX_WARN("btf_dump: union [%u] of %u bytes cannot be reproduced in C\n", id, t->size);
  }
}

uint64_t btf_dump::place(uint64_t cur, uint32_t type_id, uint32_t bits, bool packed) {
  if (bits == 0) return round_up(cur, packed ? 8 : 8ull * natural_align(type_id));
  if (packed) return cur;
  const uint64_t unit = 8ull * resolved_bytes(type_id);
  if (unit == 0 || (cur % unit) + bits <= unit) return cur;
  return round_up(cur, 8ull * natural_align(type_id));
}

// ---- definitions --------------------------------------------------------

void btf_dump::emit_struct_fwd(uint32_t id, const btf_type* t) {
  put(btf_is_struct(t) ? "struct" : "union");
  if (t->name_off != 0) {
    put(' ');
    put(type_name(id));
  }
}

// Fills the gap between bit cur (where the previous member ended) and
// target (where BTF has the next member) with unnamed bitfields, unless
// clang would put the next member there by itself (next_at). The filler
// is the widest of long/int/short/char that reaches an aligned boundary
// inside the gap; a zero-width one (an exact width within a run of
// bitfields) gets there first when the fillers would not. Packed records
// get exact widths only.
void btf_dump::emit_padding(uint64_t cur, uint64_t target, int lvl, bool packed, bool in_bitfield,
                            uint64_t next_at) {
  if (cur >= target || next_at == target) return;
  if (target - cur > kMaxPadBits) {
    if (err_ == 0) BPFXX_WARN("btf_dump: a hole of %llu bits is too large to pad\n",
                              static_cast<unsigned long long>(target - cur));
    err_ = -E2BIG;
    return;
  }
  struct Pad {
    const char* name;
    uint32_t bits;
  };
  const Pad pads[] = {{"long", ptr_sz_ * 8}, {"int", 32}, {"short", 16}, {"char", 8}};
  auto smallest_for = [&](uint64_t bits) -> const Pad& {
    for (int i = 3; i > 0; i--)
      if (pads[i].bits >= bits) return pads[i];
    return pads[0];
  };
  auto line = [&](const char* name, uint64_t bits) {
    put('\n');
    put_tabs(lvl);
    put(name);
    put(": ");
    put_uint(bits);
    put(';');
  };

  if (packed) {
    // Nothing moves by itself in a packed record: exact widths, widest
    // first.
    while (cur < target) {
      const uint64_t bits = std::min<uint64_t>(target - cur, pads[0].bits);
      line(smallest_for(bits).name, bits);
      cur += bits;
    }
    return;
  }
  const Pad* pad = &pads[3];
  uint64_t aligned = cur;
  for (const Pad& p : pads) {
    aligned = round_up(cur, p.bits);
    pad = &p;
    if (aligned <= target) break;
  }
  if (aligned > target) aligned = cur;  // cannot happen with char; be safe
  if (aligned > cur) {
    // Would the first filler land on the boundary by itself?
    const uint64_t first = std::min<uint64_t>(target - aligned, pad->bits);
    bool needed = true;
    if (first != 0) {
      const Pad& f = first == pad->bits ? *pad : smallest_for(first);
      const bool fits = (cur % f.bits) + first <= f.bits;
      needed = fits || round_up(cur, f.bits) != aligned;
    }
    if (needed) line(pad->name, in_bitfield ? aligned - cur : 0);
    cur = aligned;
  }
  while (cur < target) {
    const uint64_t bits = std::min<uint64_t>(target - cur, pad->bits);
    const Pad& p = bits == pad->bits ? *pad : smallest_for(bits);
    line(p.name, bits);
    cur += bits;
  }
}

void btf_dump::emit_struct_def(uint32_t id, const btf_type* t, int lvl) {
  layout(id, t, 0);
  const bool is_struct = btf_is_struct(t);
  const bool packed = states_[id].packed;
  const uint32_t attr_align = states_[id].attr_align_log2 != 0 ? 1u << states_[id].attr_align_log2 : 0;
  const uint32_t align = 1u << states_[id].align_log2;
  const uint32_t vlen = btf_vlen(t);

  emit_struct_fwd(id, t);
  put(" {");
  uint64_t cur = 0;
  bool prev_bitfield = false;
  for (uint32_t i = 0; i < vlen; i++) {
    const btf_member* m = btf_members(t) + i;
    const btf_type* mt = type(m->type);
    uint64_t off;
    uint32_t bits;
    member_bits(t, i, mt, &off, &bits);
    if (is_struct) {
      emit_padding(cur, off, lvl + 1, packed, prev_bitfield && bits != 0, place(cur, m->type, bits, packed));
    }
    put('\n');
    put_tabs(lvl + 1);
    emit_decl(m->type, str(m->name_off), lvl + 1);
    if (bits != 0) {
      put(": ");
      put_uint(bits);
      cur = off + bits;
      prev_bitfield = true;
    } else {
      cur = off + 8ull * resolved_bytes(m->type);
      prev_bitfield = false;
    }
    put(';');
  }
  if (const uint32_t pad = states_[id].union_pad_bytes; pad != 0) {
    put('\n');
    put_tabs(lvl + 1);
    put(pad * 8 > 32 ? "long: " : pad * 8 > 16 ? "int: " : pad * 8 > 8 ? "short: " : "char: ");
    put_uint(pad * 8);
    put(';');
  }
  if (is_struct) {
    const uint64_t end = round_up(cur, 8ull * align);
    emit_padding(cur, 8ull * t->size, lvl + 1, packed, false, end);
  }
  if (vlen != 0 || t->size != 0) {
    put('\n');
    put_tabs(lvl);
  }
  put('}');
  if (packed) put(" __attribute__((packed))");
  if (attr_align != 0) {
    put(" __attribute__((aligned(");
    put_uint(attr_align);
    put(")))");
  }
}

void btf_dump::emit_enum_fwd(uint32_t id) {
  put("enum ");
  put(type_name(id));
}

void btf_dump::emit_enum_def(uint32_t id, const btf_type* t, int lvl) {
  const uint32_t vlen = btf_vlen(t);
  put("enum");
  if (t->name_off != 0) {
    put(' ');
    put(type_name(id));
  }
  if (vlen == 0) return;
  put(" {");
  const bool is_signed = btf_kflag(t);
  // Range of the values, to know whether clang would pick a 32-bit type.
  __int128 lo = 0, hi = 0;
  for (uint32_t i = 0; i < vlen; i++) {
    uint32_t name_off;
    uint64_t raw;
    if (btf_is_enum(t)) {
      name_off = btf_enum(t)[i].name_off;
      raw = static_cast<uint32_t>(btf_enum(t)[i].val);
    } else {
      const auto* e = reinterpret_cast<const uint32_t*>(btf_enum64(t)) + 3 * i;
      name_off = e[0];
      raw = (static_cast<uint64_t>(e[2]) << 32) | e[1];
      const __int128 v = is_signed ? static_cast<__int128>(static_cast<int64_t>(raw)) : static_cast<__int128>(raw);
      if (i == 0 || v < lo) lo = v;
      if (i == 0 || v > hi) hi = v;
    }
    std::string_view name = str(name_off);
    const uint32_t dups = count_name(ident_names_, name);
    put('\n');
    put_tabs(lvl + 1);
    put(name);
    if (dups > 1) {
      put("___");
      put_uint(dups);
    }
    put(" = ");
    if (btf_is_enum(t)) {
      if (is_signed)
        put_int(static_cast<int32_t>(static_cast<uint32_t>(raw)));
      else
        put_uint(raw);
    } else if (is_signed) {
      put_int(static_cast<int64_t>(raw));
      put("LL");
    } else {
      put_uint(raw);
      put("ULL");
    }
    put(',');
  }
  put('\n');
  put_tabs(lvl);
  put('}');
  // Sizes other than int's need an explicit machine mode.
  if (t->size == 1) {
    put(" __attribute__((mode(byte)))");
  } else if (t->size == 2) {
    put(" __attribute__((mode(HI)))");
  } else if (t->size == 8 && ptr_sz_ == 8) {
    // A 64-bit enum whose values all fit in int or unsigned int would
    // shrink to 4 bytes.
    const bool fits32 = (lo >= INT32_MIN && hi <= INT32_MAX) || (lo >= 0 && hi <= UINT32_MAX);
    if (btf_is_enum(t) || fits32) put(" __attribute__((mode(word)))");
  }
}

void btf_dump::emit_fwd(uint32_t id, const btf_type* t) {
  put(btf_kflag(t) ? "union " : "struct ");
  put(type_name(id));
}

void btf_dump::emit_typedef_def(uint32_t id, const btf_type* t, int lvl) {
  std::string_view name = ident_name(id);
  // Old GCC describes __gnuc_va_list as a typedef of void.
  if (t->type == 0 && name == "__gnuc_va_list") {
    put("typedef __builtin_va_list __gnuc_va_list");
    return;
  }
  put("typedef ");
  emit_decl(t->type, name, lvl);
}

// GCC's internal polynomial types of Arm SIMD code have no C spelling:
// define them as the integers they are.
void btf_dump::emit_missing_alias(uint32_t id) {
  static constexpr const char* kAliases[][2] = {
      {"__Poly8_t", "unsigned char"},
      {"__Poly16_t", "unsigned short"},
      {"__Poly64_t", "unsigned long long"},
      {"__Poly128_t", "unsigned __int128"},
  };
  // Integer names take part in the tag namespace's duplicate counting
  // (as libbpf's do), so that renamed types come out the same.
  std::string_view name = type_name(id);
  if (name.size() < 8 || name.substr(0, 6) != "__Poly") return;
  for (const auto& a : kAliases) {
    if (name == a[0]) {
      put("typedef ");
      put(a[1]);
      put(' ');
      put(type_name(id));
      put(";\n\n");
      return;
    }
  }
}
