// Indexing and validating the type records of an untrusted blob, in one
// pass over the bytes: record bounds, kinds, sizes, string offsets,
// referenced type ids (against the final count, checked at the end),
// data section entries, decl tag targets, and loops in type chains. Every
// complaint names the type id.
#include "btf/btf.h"
#include "btf/visit.h"

#include "base/log.h"

#include <climits>
#include <vector>

using namespace bpfxx::btf;  // NOLINT

namespace {

bool valid_int_size(uint32_t sz) { return sz == 1 || sz == 2 || sz == 4 || sz == 8 || sz == 16; }
bool valid_enum_size(uint32_t sz) { return sz == 1 || sz == 2 || sz == 4 || sz == 8; }
bool valid_float_size(uint32_t sz) {
  return sz == 2 || sz == 4 || sz == 8 || sz == 12 || sz == 16;
}

// Kinds whose size_or_type is the next link of a chain that must end.
bool is_chain_kind(uint32_t kind) {
  switch (kind) {
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
    case BTF_KIND_VAR:
    case BTF_KIND_ARRAY:
      return true;
    default:
      return false;
  }
}

constexpr uint32_t kMaxTypes = 0x7fffffffu;

}  // namespace

#define BAD(fmt, ...)                                                                         \
  do {                                                                                        \
    BPFXX_WARN("%s: BTF type [%u] (%s): " fmt "\n", who, id, kind_name(kind), ##__VA_ARGS__); \
    return false;                                                                             \
  } while (0)

bool btf::index_types() {
  const char* who = name_.empty() ? "BTF" : name_.c_str();
  const uint32_t str_end = this->str_end();
  offs_.clear();
  // Records average ~16 bytes in vmlinux: one reservation, no regrowth.
  offs_.reserve(types_len_ / 16 + 16);
  // The largest type id referenced, checked against the final count; ids
  // whose target kind matters, checked once all records are known.
  uint32_t max_ref = 0;
  std::vector<uint32_t> deferred;
  std::vector<uint32_t> chains;  // own indexes of chain-kind types
  auto ref = [&](uint32_t r) {
    if (r > max_ref) max_ref = r;
  };

  size_t off = 0;
  while (off < types_len_) {
    const uint32_t id = start_id_ + static_cast<uint32_t>(offs_.size());
    uint32_t kind = BTF_MAX_KIND + 1;  // "unknown" until the record is read
    if (types_len_ - off < sizeof(btf_type)) BAD("record truncated at end of type section");
    const auto* t = reinterpret_cast<const btf_type*>(types_ + off);
    kind = BTF_INFO_KIND(t->info);
    const uint32_t vlen = BTF_INFO_VLEN(t->info);
    const bool kflag = BTF_INFO_KFLAG(t->info) != 0;
    long extra = kind_extra_size(kind, vlen);
    if (kind == BTF_KIND_UNKN) BAD("kind 0 (void) is not allowed in the type section");
    if (extra < 0) {
      if (kind >= layout_.size()) BAD("unknown kind %u", kind);
      extra = static_cast<long>(layout_[kind].info_sz) +
              static_cast<long>(vlen) * static_cast<long>(layout_[kind].elem_sz);
    }
    const size_t rec = sizeof(btf_type) + static_cast<size_t>(extra);
    if (rec > types_len_ - off) BAD("vlen %u runs past the end of the type section", vlen);
    if (rec % 4 != 0) BAD("record size %zu is not a multiple of 4", rec);
    if (uint64_t{id} >= kMaxTypes) BAD("too many types");
    offs_.push_back(static_cast<uint32_t>(off));
    off += rec;
    if (is_chain_kind(kind)) chains.push_back(id - start_id_);
    if (t->name_off >= str_end) BAD("invalid string offset %u", t->name_off);
    if (kind > BTF_KIND_MAX) continue;  // described by the layout section only
    switch (kind) {
      case BTF_KIND_INT: {
        if (vlen != 0 || kflag) BAD("vlen and kind_flag must be 0");
        if (!valid_int_size(t->size)) BAD("invalid size %u", t->size);
        const uint32_t word = *reinterpret_cast<const uint32_t*>(t + 1);
        const uint32_t bits = BTF_INT_BITS(word), boff = BTF_INT_OFFSET(word);
        const uint32_t enc = BTF_INT_ENCODING(word);
        if (word & 0xf000ff00u) BAD("reserved bits set in 0x%08x", word);
        if (bits == 0 || bits > 128 || boff + bits > t->size * 8)
          BAD("bits %u at offset %u do not fit in %u bytes", bits, boff, t->size);
        if (enc & ~uint32_t{BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL})
          BAD("unknown encoding 0x%x", enc);
        break;
      }
      case BTF_KIND_PTR:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
        if (vlen != 0 || kflag) BAD("vlen and kind_flag must be 0");
        ref(t->type);
        break;
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_TYPE_TAG:
        if (vlen != 0) BAD("vlen must be 0");
        if (t->name_off == 0) BAD("needs a name");
        ref(t->type);
        break;
      case BTF_KIND_FWD:
        if (vlen != 0) BAD("vlen must be 0");
        if (t->name_off == 0) BAD("needs a name");
        break;
      case BTF_KIND_ARRAY: {
        if (vlen != 0 || kflag) BAD("vlen and kind_flag must be 0");
        const auto* a = reinterpret_cast<const struct btf_array*>(t + 1);
        if (a->type == 0) BAD("element type is void");
        ref(a->type);
        ref(a->index_type);
        break;
      }
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION: {
        const auto* m = reinterpret_cast<const btf_member*>(t + 1);
        const uint64_t size_bits = uint64_t{t->size} * 8;
        for (uint32_t i = 0; i < vlen; i++) {
          if (m[i].name_off >= str_end) BAD("invalid string offset %u", m[i].name_off);
          if (m[i].type == 0) BAD("member %u has type void", i);
          ref(m[i].type);
          const uint32_t bit_off = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) : m[i].offset;
          const uint32_t bits = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;
          if (uint64_t{bit_off} + bits > size_bits)
            BAD("member %u (bit offset %u, %u bits) lies outside the %u-byte type", i, bit_off,
                bits, t->size);
        }
        break;
      }
      case BTF_KIND_ENUM: {
        if (!valid_enum_size(t->size)) BAD("invalid size %u", t->size);
        const auto* e = reinterpret_cast<const struct btf_enum*>(t + 1);
        for (uint32_t i = 0; i < vlen; i++) {
          if (e[i].name_off >= str_end) BAD("invalid string offset %u", e[i].name_off);
          if (e[i].name_off == 0) BAD("value %u has no name", i);
        }
        break;
      }
      case BTF_KIND_ENUM64: {
        if (!valid_enum_size(t->size)) BAD("invalid size %u", t->size);
        const auto* e = reinterpret_cast<const struct btf_enum64*>(t + 1);
        for (uint32_t i = 0; i < vlen; i++) {
          if (e[i].name_off >= str_end) BAD("invalid string offset %u", e[i].name_off);
          if (e[i].name_off == 0) BAD("value %u has no name", i);
        }
        break;
      }
      case BTF_KIND_FUNC:
        if (vlen > BTF_FUNC_EXTERN) BAD("invalid linkage %u", vlen);
        if (t->name_off == 0) BAD("needs a name");
        ref(t->type);
        deferred.push_back(id);
        break;
      case BTF_KIND_FUNC_PROTO: {
        ref(t->type);
        const auto* p = reinterpret_cast<const btf_param*>(t + 1);
        for (uint32_t i = 0; i < vlen; i++) {
          if (p[i].name_off >= str_end) BAD("invalid string offset %u", p[i].name_off);
          ref(p[i].type);
          if (p[i].type == 0 && (i + 1 != vlen || p[i].name_off != 0))
            BAD("parameter %u is void but not a trailing unnamed vararg marker", i);
        }
        break;
      }
      case BTF_KIND_VAR: {
        if (vlen != 0) BAD("vlen must be 0");
        if (t->name_off == 0) BAD("needs a name");
        const uint32_t linkage = reinterpret_cast<const struct btf_var*>(t + 1)->linkage;
        if (linkage > BTF_VAR_GLOBAL_EXTERN) BAD("invalid linkage %u", linkage);
        if (t->type == 0) BAD("variable of type void");
        ref(t->type);
        deferred.push_back(id);
        break;
      }
      case BTF_KIND_DATASEC: {
        if (t->name_off == 0) BAD("needs a name");
        const auto* v = reinterpret_cast<const btf_var_secinfo*>(t + 1);
        for (uint32_t i = 0; i < vlen; i++) {
          ref(v[i].type);
          if (uint64_t{v[i].offset} + v[i].size > UINT32_MAX)
            BAD("entry %u offset %u + size %u overflows", i, v[i].offset, v[i].size);
          if (t->size != 0 && v[i].offset + v[i].size > t->size)
            BAD("entry %u (offset %u, size %u) lies outside the %u-byte section", i, v[i].offset,
                v[i].size, t->size);
        }
        if (vlen != 0) deferred.push_back(id);
        break;
      }
      case BTF_KIND_FLOAT:
        if (vlen != 0 || kflag) BAD("vlen and kind_flag must be 0");
        if (!valid_float_size(t->size)) BAD("invalid size %u", t->size);
        break;
      case BTF_KIND_DECL_TAG: {
        if (vlen != 0) BAD("vlen must be 0");
        if (t->name_off == 0) BAD("needs a value");
        ref(t->type);
        const int32_t idx = reinterpret_cast<const struct btf_decl_tag*>(t + 1)->component_idx;
        if (idx < -1) BAD("invalid component index %d", idx);
        if (idx >= 0) deferred.push_back(id);
        break;
      }
      default:
        break;
    }
  }

  const uint32_t cnt = type_cnt();
  if (max_ref >= cnt) {
    // Name the first offender.
    for (uint32_t id = start_id_; id < cnt; id++) {
      const uint32_t kind = BTF_INFO_KIND(type_unchecked(id)->info);
      uint32_t bad = 0;
      bool found = false;
      for_each_type_id(type_unchecked(id), [&](const uint32_t& r) {
        if (!found && r >= cnt) {
          found = true;
          bad = r;
        }
      });
      if (found) BAD("references type id %u, beyond the last type %u", bad, cnt - 1);
    }
  }
  for (uint32_t id : deferred) {
    const btf_type* t = type_unchecked(id);
    const uint32_t kind = BTF_INFO_KIND(t->info);
    if (kind == BTF_KIND_FUNC) {
      const uint32_t pk = BTF_INFO_KIND(type_unchecked(t->type)->info);
      if (pk != BTF_KIND_FUNC_PROTO) BAD("type %u is not a func_proto", t->type);
    } else if (kind == BTF_KIND_DATASEC) {
      const auto* v = reinterpret_cast<const btf_var_secinfo*>(t + 1);
      for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
        const uint32_t vk = BTF_INFO_KIND(type_unchecked(v[i].type)->info);
        if (vk != BTF_KIND_VAR && vk != BTF_KIND_FUNC)
          BAD("entry %u refers to type %u of kind %s, not a var", i, v[i].type, kind_name(vk));
      }
    } else if (kind == BTF_KIND_VAR) {
      // A variable's type must be a data type (no sections, variables,
      // functions or tags), or data dumps and size queries loop.
      const uint32_t vk = BTF_INFO_KIND(type_unchecked(t->type)->info);
      if (vk == BTF_KIND_VAR || vk == BTF_KIND_DATASEC || vk == BTF_KIND_FUNC ||
          vk == BTF_KIND_FUNC_PROTO || vk == BTF_KIND_DECL_TAG)
        BAD("variable of type [%u], a %s, not a data type", t->type, kind_name(vk));
    } else {  // decl tag on a component
      const int32_t idx = reinterpret_cast<const struct btf_decl_tag*>(t + 1)->component_idx;
      const btf_type* target = type_unchecked(t->type);
      const uint32_t tk = BTF_INFO_KIND(target->info);
      uint32_t n = 0;
      if (tk == BTF_KIND_STRUCT || tk == BTF_KIND_UNION) {
        n = BTF_INFO_VLEN(target->info);
      } else if (tk == BTF_KIND_FUNC) {
        const btf_type* proto = type_by_id(target->type);
        n = proto != nullptr ? BTF_INFO_VLEN(proto->info) : 0;
      } else {
        BAD("component index %d on a %s", idx, kind_name(tk));
      }
      if (static_cast<uint32_t>(idx) >= n)
        BAD("component index %d out of range (%u components)", idx, n);
    }
  }
  return check_chains(chains);
}

bool btf::check_chains(const std::vector<uint32_t>& candidates) const {
  // Chains (typedef, modifiers, var, array element) must end: a loop would
  // send resolve_size() and friends round forever.
  const char* who = name_.empty() ? "BTF" : name_.c_str();
  const uint32_t own = own_type_cnt();
  std::vector<uint8_t> state(own, 0);  // 0 unseen, 1 on the current walk, 2 known to end
  std::vector<uint32_t> walk;
  for (uint32_t i : candidates) {
    if (state[i] != 0) continue;
    walk.clear();
    uint32_t cur = start_id_ + i;
    for (;;) {
      if (cur < start_id_) break;  // void or base: ends
      const uint32_t ci = cur - start_id_;
      if (state[ci] == 2) break;
      const btf_type* t = reinterpret_cast<const btf_type*>(types_ + offs_[ci]);
      const uint32_t k = BTF_INFO_KIND(t->info);
      if (state[ci] == 1) {
        const uint32_t id = cur, kind = k;
        BAD("type chain loops back to itself");
      }
      if (!is_chain_kind(k)) {
        state[ci] = 2;
        break;
      }
      state[ci] = 1;
      walk.push_back(ci);
      cur = k == BTF_KIND_ARRAY ? reinterpret_cast<const struct btf_array*>(t + 1)->type : t->type;
    }
    for (uint32_t w : walk) state[w] = 2;
  }
  return true;
}
#undef BAD
