// Parsing access strings and following them through a target type.
#include "relo/spec.h"

#include <cerrno>
#include <cstring>

#include "relo/compat.h"
#include "relo/core_kind.h"
#include "relo/essential_name.h"

namespace bpfxx::relo {
namespace {

uint32_t kind_of(const btf_type* t) noexcept { return BTF_INFO_KIND(t->info); }
bool is_composite(const btf_type* t) noexcept {
  return kind_of(t) == BTF_KIND_STRUCT || kind_of(t) == BTF_KIND_UNION;
}
bool is_any_enum(const btf_type* t) noexcept {
  return kind_of(t) == BTF_KIND_ENUM || kind_of(t) == BTF_KIND_ENUM64;
}
const btf_member* members_of(const btf_type* t) noexcept {
  return reinterpret_cast<const btf_member*>(t + 1);
}
uint32_t member_bit_offset(const btf_type* t, uint32_t i) noexcept {
  const uint32_t off = members_of(t)[i].offset;
  return BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(off) : off;
}
uint32_t enum_name_off(const btf_type* t, uint32_t i) noexcept {
  if (kind_of(t) == BTF_KIND_ENUM) return reinterpret_cast<const struct btf_enum*>(t + 1)[i].name_off;
  return reinterpret_cast<const struct btf_enum64*>(t + 1)[i].name_off;
}

// A zero-length array that is the last member reached by prev: indexing
// it past 0 is how flexible array members are used.
bool is_flex_array(const ::btf& b, const Accessor* prev, const struct btf_array* a) {
  if (prev == nullptr || prev->name == nullptr || a->nelems > 0) return false;
  const btf_type* t = b.type_by_id(prev->type_id);
  return t != nullptr && prev->idx + 1 == BTF_INFO_VLEN(t->info);
}

int bad(std::string* why, std::string msg, int err = EINVAL) {
  if (why != nullptr) *why = std::move(msg);
  return -err;
}

// Finds local accessor la's member in target composite targ_id, searching
// through anonymous members. On 1, the accessor is pushed onto out and
// *next_id is the member's type.
int match_member(const ::btf& lb, const Accessor& la, const ::btf& tb, uint32_t targ_id, Spec& out,
                 uint32_t* next_id, int depth) {
  if (depth > static_cast<int>(kMaxSpecLen)) return -E2BIG;
  const btf_type* lt = lb.type_by_id(la.type_id);
  const btf_type* tt = skip_mods_and_typedefs(tb, targ_id, &targ_id);
  if (lt == nullptr || tt == nullptr) return -EINVAL;
  if (!is_composite(tt)) return 0;
  const btf_member& lm = members_of(lt)[la.idx];
  const uint32_t n = BTF_INFO_VLEN(tt->info);
  for (uint32_t i = 0; i < n; i++) {
    if (out.raw_len == kMaxSpecLen) return -E2BIG;
    const btf_member& tm = members_of(tt)[i];
    const uint32_t bit_off = member_bit_offset(tt, i);
    // Assume this member is the way and undo if not.
    out.bit_offset += bit_off;
    out.raw[out.raw_len++] = i;
    // strcmp, not string_view: most members differ in their first bytes,
    // and the kernel's big structs would otherwise cost a strlen each.
    const char* tname = tb.str_by_offset(tm.name_off);
    if (tname == nullptr || *tname == '\0') {
      const int r = match_member(lb, la, tb, tm.type, out, next_id, depth + 1);
      if (r != 0) return r;
    } else if (std::strcmp(tname, la.name) == 0) {
      Accessor& ta = out.acc[out.len++];
      ta.type_id = targ_id;
      ta.idx = i;
      ta.name = tb.str_by_offset(tm.name_off);
      *next_id = tm.type;
      const int r = fields_compat(lb, lm.type, tb, tm.type);
      if (r <= 0) out.len--;
      // A namesake of another kind ends the search: names are unique.
      return r;
    }
    out.bit_offset -= bit_off;
    out.raw_len--;
  }
  return 0;
}

}  // namespace

int parse_spec(const ::btf& b, const btf::CoreRelo& rec, Spec& s, std::string* why) {
  s.btf = &b;
  s.root_type_id = rec.type_id;
  s.kind = rec.kind;
  s.len = s.raw_len = 0;
  s.bit_offset = 0;
  const char* str = b.str_by_offset(rec.access_str_off);
  if (str == nullptr || *str == '\0' || *str == ':') return bad(why, "empty or malformed access string");
  if (b.type_by_id(rec.type_id) == nullptr)
    return bad(why, "type id " + std::to_string(rec.type_id) + " out of range");
  if (is_type_kind(rec.kind)) {
    if (std::strcmp(str, "0") != 0)
      return bad(why, std::string("type relocation with access string '") + str + "' (expected \"0\")");
    return 0;
  }
  for (const char* p = str; *p != '\0';) {
    if (*p == ':') p++;
    if (*p < '0' || *p > '9') return bad(why, std::string("malformed access string '") + str + "'");
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
      v = v * 10 + static_cast<uint64_t>(*p++ - '0');
      if (v > INT32_MAX) return bad(why, std::string("index too large in access string '") + str + "'");
    }
    if (*p != '\0' && *p != ':') return bad(why, std::string("malformed access string '") + str + "'");
    if (s.raw_len == kMaxSpecLen) return bad(why, "access string too long", E2BIG);
    s.raw[s.raw_len++] = static_cast<uint32_t>(v);
  }
  if (s.raw_len == 0) return bad(why, "empty access string");

  uint32_t id = 0;
  const btf_type* t = skip_mods_and_typedefs(b, rec.type_id, &id);
  if (t == nullptr) return bad(why, "unresolvable root type");
  Accessor& root = s.acc[s.len++];
  root.type_id = id;
  root.idx = s.raw[0];
  root.name = nullptr;

  if (is_enumval_kind(rec.kind)) {
    if (!is_any_enum(t)) return bad(why, "enum value relocation on a type that is not an enum");
    if (s.raw_len > 1 || root.idx >= BTF_INFO_VLEN(t->info))
      return bad(why, "enumerator index " + std::to_string(root.idx) + " out of range");
    root.name = b.str_by_offset(enum_name_off(t, root.idx));
    if (root.name == nullptr) return bad(why, "enumerator without a name");
    return 0;
  }
  if (!is_field_kind(rec.kind)) return bad(why, "unknown relocation kind " + std::to_string(rec.kind));

  int64_t sz = b.resolve_size(id);
  if (sz < 0) return bad(why, "root type has no size", static_cast<int>(-sz));
  s.bit_offset = uint64_t{root.idx} * static_cast<uint64_t>(sz) * 8;
  for (uint32_t i = 1; i < s.raw_len; i++) {
    t = skip_mods_and_typedefs(b, id, &id);
    if (t == nullptr) return bad(why, "unresolvable type [" + std::to_string(id) + "]");
    const uint32_t idx = s.raw[i];
    if (is_composite(t)) {
      if (idx >= BTF_INFO_VLEN(t->info))
        return bad(why,
                   "member index " + std::to_string(idx) + " out of range of [" + std::to_string(id) + "]");
      s.bit_offset += member_bit_offset(t, idx);
      const btf_member& m = members_of(t)[idx];
      if (m.name_off != 0) {
        const char* name = b.str_by_offset(m.name_off);
        if (name == nullptr || *name == '\0') return bad(why, "member with a bad name");
        s.acc[s.len++] = Accessor{id, idx, name};
      }
      id = m.type;
    } else if (kind_of(t) == BTF_KIND_ARRAY) {
      const auto* a = reinterpret_cast<const struct btf_array*>(t + 1);
      const bool flex = is_flex_array(b, &s.acc[s.len - 1], a);
      t = skip_mods_and_typedefs(b, a->type, &id);
      if (t == nullptr) return bad(why, "unresolvable array element type");
      if (!flex && idx >= a->nelems) return bad(why, "array index " + std::to_string(idx) + " out of range");
      s.acc[s.len++] = Accessor{id, idx, nullptr};
      sz = b.resolve_size(id);
      if (sz < 0) return bad(why, "array element has no size", static_cast<int>(-sz));
      s.bit_offset += uint64_t{idx} * static_cast<uint64_t>(sz) * 8;
    } else {
      return bad(why, std::string("access index ") + std::to_string(i) + " goes into [" + std::to_string(id) +
                          "], a " + btf::kind_name(kind_of(t)) + ", which has no members or elements");
    }
  }
  return 0;
}

int match_spec(const Spec& ls, const ::btf& tb, uint32_t targ_id, Spec& ts) {
  ts.btf = &tb;
  ts.root_type_id = targ_id;
  ts.kind = ls.kind;
  ts.len = ts.raw_len = 0;
  ts.bit_offset = 0;
  if (is_type_kind(ls.kind)) {
    if (ls.kind == kTypeMatches) return types_match(*ls.btf, ls.root_type_id, tb, targ_id);
    return types_compat(*ls.btf, ls.root_type_id, tb, targ_id);
  }
  const Accessor& lroot = ls.acc[0];
  if (is_enumval_kind(ls.kind)) {
    const btf_type* t = skip_mods_and_typedefs(tb, targ_id, &targ_id);
    if (t == nullptr) return -EINVAL;
    if (!is_any_enum(t)) return 0;
    const std::string_view want = essential_name(lroot.name);
    for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
      const std::string_view n = name_of(tb, enum_name_off(t, i));
      if (essential_name(n) != want) continue;
      ts.acc[0] = Accessor{targ_id, i, tb.str_by_offset(enum_name_off(t, i))};
      ts.len = 1;
      ts.raw[0] = i;
      ts.raw_len = 1;
      return 1;
    }
    return 0;
  }
  if (!is_field_kind(ls.kind)) return -EINVAL;
  for (uint32_t i = 0; i < ls.len; i++) {
    const Accessor& la = ls.acc[i];
    const btf_type* tt = skip_mods_and_typedefs(tb, targ_id, &targ_id);
    if (tt == nullptr) return -EINVAL;
    if (la.name != nullptr) {
      const int r = match_member(*ls.btf, la, tb, targ_id, ts, &targ_id, 0);
      if (r <= 0) return r;
      continue;
    }
    // The root index treats the root as an array of itself; later
    // indices need an array here.
    if (i > 0) {
      if (kind_of(tt) != BTF_KIND_ARRAY) return 0;
      const auto* a = reinterpret_cast<const struct btf_array*>(tt + 1);
      if (!is_flex_array(tb, &ts.acc[ts.len - 1], a) && la.idx >= a->nelems) return 0;
      if (skip_mods_and_typedefs(tb, a->type, &targ_id) == nullptr) return -EINVAL;
    }
    if (ts.raw_len == kMaxSpecLen) return -E2BIG;
    ts.acc[ts.len++] = Accessor{targ_id, la.idx, nullptr};
    ts.raw[ts.raw_len++] = la.idx;
    const int64_t sz = tb.resolve_size(targ_id);
    if (sz < 0) return static_cast<int>(sz);
    ts.bit_offset += uint64_t{la.idx} * static_cast<uint64_t>(sz) * 8;
  }
  return 1;
}

std::string describe_spec(const Spec& s) {
  const ::btf& b = *s.btf;
  std::string out = "[" + std::to_string(s.root_type_id) + "] ";
  const btf_type* t = b.type_by_id(s.root_type_id);
  if (t != nullptr) {
    out += btf::kind_name(kind_of(t));
    out += ' ';
    const std::string_view n = name_of(b, t->name_off);
    out += n.empty() ? std::string_view("<anon>") : n;
  }
  if (is_type_kind(s.kind)) return out;
  for (uint32_t i = 0; i < s.len; i++) {
    const Accessor& a = s.acc[i];
    if (a.name != nullptr) {
      out += is_enumval_kind(s.kind) ? "::" : ".";
      out += a.name;
    } else if (i > 0 || a.idx != 0) {
      out += "[" + std::to_string(a.idx) + "]";
    }
  }
  out += " (";
  for (uint32_t i = 0; i < s.raw_len; i++) out += (i ? ":" : "") + std::to_string(s.raw[i]);
  out += ")";
  return out;
}

}  // namespace bpfxx::relo
