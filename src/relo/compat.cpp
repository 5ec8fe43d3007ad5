// CO-RE type compatibility (see compat.h for the three strengths).
#include "relo/compat.h"

#include <cerrno>

#include "relo/essential_name.h"

namespace bpfxx::relo {
namespace {

// Longest typedef/modifier chain and deepest nesting followed.
constexpr int kMaxDepth = 32;

uint32_t kind_of(const btf_type* t) noexcept { return BTF_INFO_KIND(t->info); }
bool is_any_enum(const btf_type* t) noexcept {
  return kind_of(t) == BTF_KIND_ENUM || kind_of(t) == BTF_KIND_ENUM64;
}
bool is_composite(const btf_type* t) noexcept {
  return kind_of(t) == BTF_KIND_STRUCT || kind_of(t) == BTF_KIND_UNION;
}
uint32_t int_data(const btf_type* t) noexcept { return *reinterpret_cast<const uint32_t*>(t + 1); }
uint32_t int_bit_offset(const btf_type* t) noexcept { return BTF_INT_OFFSET(int_data(t)); }
const struct btf_array* array_of(const btf_type* t) noexcept {
  return reinterpret_cast<const struct btf_array*>(t + 1);
}
const struct btf_param* params_of(const btf_type* t) noexcept {
  return reinterpret_cast<const struct btf_param*>(t + 1);
}

// Essential names equal, or one of them anonymous.
bool essential_names_compat(std::string_view a, std::string_view b) {
  const std::string_view ea = essential_name(a), eb = essential_name(b);
  return ea.empty() || eb.empty() || ea == eb;
}

// Both anonymous, or the same essential name.
bool names_match(const ::btf& lb, uint32_t loff, const ::btf& tb, uint32_t toff) {
  const std::string_view l = name_of(lb, loff), t = name_of(tb, toff);
  if (t.empty()) return l.empty();
  return essential_name(l) == essential_name(t);
}

uint32_t enum_name_off(const btf_type* t, uint32_t i) noexcept {
  if (kind_of(t) == BTF_KIND_ENUM) return reinterpret_cast<const struct btf_enum*>(t + 1)[i].name_off;
  return reinterpret_cast<const struct btf_enum64*>(t + 1)[i].name_off;
}

int types_compat_rec(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, int level);
int types_match_rec(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, bool behind_ptr, int level);

// Every local enumerator has a namesake in the target, and sizes agree.
int enums_match(const ::btf& lb, const btf_type* lt, const ::btf& tb, const btf_type* tt) {
  const uint32_t ln = BTF_INFO_VLEN(lt->info), tn = BTF_INFO_VLEN(tt->info);
  if (lt->size != tt->size || ln > tn) return 0;
  for (uint32_t i = 0; i < ln; i++) {
    bool found = false;
    for (uint32_t j = 0; j < tn && !found; j++)
      found = names_match(lb, enum_name_off(lt, i), tb, enum_name_off(tt, j));
    if (!found) return 0;
  }
  return 1;
}

// Every local member has a namesake in the target whose type matches.
int composites_match(const ::btf& lb, const btf_type* lt, const ::btf& tb, const btf_type* tt,
                     bool behind_ptr, int level) {
  const uint32_t ln = BTF_INFO_VLEN(lt->info), tn = BTF_INFO_VLEN(tt->info);
  if (ln > tn) return 0;
  const auto* lm = reinterpret_cast<const btf_member*>(lt + 1);
  const auto* tm = reinterpret_cast<const btf_member*>(tt + 1);
  for (uint32_t i = 0; i < ln; i++) {
    bool found = false;
    for (uint32_t j = 0; j < tn && !found; j++) {
      if (!names_match(lb, lm[i].name_off, tb, tm[j].name_off)) continue;
      const int r = types_match_rec(lb, lm[i].type, tb, tm[j].type, behind_ptr, level - 1);
      if (r < 0) return r;
      found = r > 0;
    }
    if (!found) return 0;
  }
  return 1;
}

}  // namespace

const btf_type* skip_mods_and_typedefs(const ::btf& b, uint32_t id, uint32_t* out_id) {
  for (int depth = 0; depth < kMaxDepth * 8; depth++) {
    const btf_type* t = b.type_by_id(id);
    if (t == nullptr) return nullptr;
    switch (kind_of(t)) {
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPE_TAG: id = t->type; continue;
      default:
        if (out_id != nullptr) *out_id = id;
        return t;
    }
  }
  return nullptr;
}

bool kinds_compat(const btf_type* a, const btf_type* b) noexcept {
  return kind_of(a) == kind_of(b) || (is_any_enum(a) && is_any_enum(b));
}

int fields_compat(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid) {
  for (int depth = 0; depth < kMaxDepth; depth++) {
    const btf_type* lt = skip_mods_and_typedefs(lb, lid, &lid);
    const btf_type* tt = skip_mods_and_typedefs(tb, tid, &tid);
    if (lt == nullptr || tt == nullptr) return -EINVAL;
    // A struct read where a union now is (or the reverse) still has its
    // members checked by the next accessor.
    if (is_composite(lt) && is_composite(tt)) return 1;
    if (!kinds_compat(lt, tt)) return 0;
    switch (kind_of(lt)) {
      case BTF_KIND_PTR:
      case BTF_KIND_FLOAT: return 1;
      case BTF_KIND_FWD:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        return essential_names_compat(name_of(lb, lt->name_off), name_of(tb, tt->name_off)) ? 1 : 0;
      case BTF_KIND_INT:
        // Old-style bitfield integers (a bit offset in the INT) are not
        // relocatable; all other integers are, whatever their size.
        return int_bit_offset(lt) == 0 && int_bit_offset(tt) == 0 ? 1 : 0;
      case BTF_KIND_ARRAY:
        lid = array_of(lt)->type;
        tid = array_of(tt)->type;
        continue;
      default: return 0;
    }
  }
  return -EINVAL;
}

namespace {

int types_compat_rec(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, int level) {
  if (level <= 0) return -EINVAL;
  for (int depth = 0; depth < kMaxDepth; depth++) {
    const btf_type* lt = skip_mods_and_typedefs(lb, lid, &lid);
    const btf_type* tt = skip_mods_and_typedefs(tb, tid, &tid);
    if (lt == nullptr || tt == nullptr) return -EINVAL;
    if (!kinds_compat(lt, tt)) return 0;
    switch (kind_of(lt)) {
      case BTF_KIND_UNKN:
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
      case BTF_KIND_FWD:
      case BTF_KIND_FLOAT: return 1;
      case BTF_KIND_INT: return int_bit_offset(lt) == 0 && int_bit_offset(tt) == 0 ? 1 : 0;
      case BTF_KIND_PTR:
        lid = lt->type;
        tid = tt->type;
        continue;
      case BTF_KIND_ARRAY:
        lid = array_of(lt)->type;
        tid = array_of(tt)->type;
        continue;
      case BTF_KIND_FUNC_PROTO: {
        const uint32_t n = BTF_INFO_VLEN(lt->info);
        if (n != BTF_INFO_VLEN(tt->info)) return 0;
        for (uint32_t i = 0; i < n; i++) {
          const int r = types_compat_rec(lb, params_of(lt)[i].type, tb, params_of(tt)[i].type, level - 1);
          if (r <= 0) return r;
        }
        lid = lt->type;  // then the return type
        tid = tt->type;
        continue;
      }
      default: return 0;
    }
  }
  return -EINVAL;
}

int types_match_rec(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, bool behind_ptr,
                    int level) {
  if (level <= 0) return -EINVAL;
  for (int depth = 0; depth < kMaxDepth; depth++) {
    const btf_type* lt = skip_mods_and_typedefs(lb, lid, &lid);
    const btf_type* tt = skip_mods_and_typedefs(tb, tid, &tid);
    if (lt == nullptr || tt == nullptr) return -EINVAL;
    if (!names_match(lb, lt->name_off, tb, tt->name_off)) return 0;
    const uint32_t lk = kind_of(lt), tk = kind_of(tt);
    switch (lk) {
      case BTF_KIND_UNKN: return lk == tk ? 1 : 0;
      case BTF_KIND_FWD: {
        const bool lunion = BTF_INFO_KFLAG(lt->info);
        if (tk == BTF_KIND_FWD) return lunion == static_cast<bool>(BTF_INFO_KFLAG(tt->info)) ? 1 : 0;
        // Behind a pointer a forward declaration stands for its definition.
        if (!behind_ptr) return 0;
        return (tk == BTF_KIND_STRUCT && !lunion) || (tk == BTF_KIND_UNION && lunion) ? 1 : 0;
      }
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        if (!is_any_enum(tt)) return 0;
        return enums_match(lb, lt, tb, tt);
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        if (behind_ptr) {
          if (lk == tk) return 1;
          if (tk != BTF_KIND_FWD) return 0;
          return (lk == BTF_KIND_UNION) == static_cast<bool>(BTF_INFO_KFLAG(tt->info)) ? 1 : 0;
        }
        if (lk != tk) return 0;
        return composites_match(lb, lt, tb, tt, behind_ptr, level);
      case BTF_KIND_INT:
        if (lk != tk) return 0;
        return lt->size == tt->size && (BTF_INT_ENCODING(int_data(lt)) & BTF_INT_SIGNED) ==
                                           (BTF_INT_ENCODING(int_data(tt)) & BTF_INT_SIGNED)
                   ? 1
                   : 0;
      case BTF_KIND_FLOAT: return lk == tk && lt->size == tt->size ? 1 : 0;
      case BTF_KIND_PTR:
        if (lk != tk) return 0;
        behind_ptr = true;
        lid = lt->type;
        tid = tt->type;
        continue;
      case BTF_KIND_ARRAY:
        if (lk != tk || array_of(lt)->nelems != array_of(tt)->nelems) return 0;
        lid = array_of(lt)->type;
        tid = array_of(tt)->type;
        continue;
      case BTF_KIND_FUNC_PROTO: {
        if (lk != tk) return 0;
        const uint32_t n = BTF_INFO_VLEN(lt->info);
        if (n != BTF_INFO_VLEN(tt->info)) return 0;
        for (uint32_t i = 0; i < n; i++) {
          const int r =
              types_match_rec(lb, params_of(lt)[i].type, tb, params_of(tt)[i].type, behind_ptr, level - 1);
          if (r <= 0) return r;
        }
        lid = lt->type;
        tid = tt->type;
        continue;
      }
      default: return 0;
    }
  }
  return -EINVAL;
}

}  // namespace

int types_compat(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid) {
  const btf_type* lt = lb.type_by_id(lid);
  const btf_type* tt = tb.type_by_id(tid);
  if (lt == nullptr || tt == nullptr) return -EINVAL;
  // The root's own kind counts (a typedef matches only a typedef).
  if (!kinds_compat(lt, tt)) return 0;
  return types_compat_rec(lb, lid, tb, tid, kMaxDepth);
}

int types_match(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid) {
  return types_match_rec(lb, lid, tb, tid, false, kMaxDepth);
}

}  // namespace bpfxx::relo
