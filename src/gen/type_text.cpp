// Typed data sections, struct_ops shadows and layout asserts (type_text.h).
#include "gen/type_text.h"

#include "btf/dump.h"
#include "gen/identifiers.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace bpfxx::gen {
namespace {

void append_vprintf(void* ctx, const char* fmt, va_list args) {
  auto* out = static_cast<std::string*>(ctx);
  va_list again;
  va_copy(again, args);
  char small[256];
  int n = std::vsnprintf(small, sizeof small, fmt, args);
  if (n >= 0 && static_cast<size_t>(n) < sizeof small) {
    out->append(small, static_cast<size_t>(n));
  } else if (n > 0) {
    std::string big(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(big.data(), big.size(), fmt, again);
    out->append(big.data(), static_cast<size_t>(n));
  }
  va_end(again);
}

// One dumper per generated header, printing into a string.
class Printer {
 public:
  explicit Printer(const ::btf* types) : dump_(types, append_vprintf, &text_) {}
  // The declaration of type id named field, or a failure naming what.
  Result<void> decl(uint32_t id, const std::string& field, int indent, bool strip_mods, std::string& out,
                    const std::string& what) {
    text_.clear();
    int err = dump_.emit_type_decl(id, field.c_str(), indent, strip_mods);
    if (err != 0) return fail(-err, "cannot print the type of " + what);
    out += text_;
    return {};
  }

 private:
  std::string text_;
  btf_dump dump_;
};

uint32_t skip_mods_typedefs(const ::btf* types, uint32_t id) {
  for (int depth = 0; depth < 64; depth++) {
    const btf_type* t = btf__type_by_id(types, id);
    if (t == nullptr) return 0;
    switch (btf_kind(t)) {
      case BTF_KIND_CONST:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_TYPE_TAG:
        id = t->type;
        break;
      default:
        return id;
    }
  }
  return 0;
}

bool is_func_ptr(const ::btf* types, uint32_t id) {
  const btf_type* t = btf__type_by_id(types, id);
  if (t == nullptr || btf_kind(t) != BTF_KIND_PTR) return false;
  uint32_t target = skip_mods_typedefs(types, t->type);
  const btf_type* f = target != 0 ? btf__type_by_id(types, target) : nullptr;
  return f != nullptr && btf_kind(f) == BTF_KIND_FUNC_PROTO;
}

// True when member i of st does not own whole bytes: a bitfield size in
// the member (kind_flag set), an INT narrower than its storage or shifted
// (the older encoding), or an offset that is not on a byte boundary.
bool is_bitfield(const btf_type* st, uint16_t i, const btf_type* member_type) {
  if (btf_member_bitfield_size(st, i) != 0 || btf_member_bit_offset(st, i) % 8 != 0) return true;
  if (btf_kind(member_type) != BTF_KIND_INT) return false;
  return btf_int_offset(member_type) != 0 || btf_int_bits(member_type) != member_type->size * 8;
}

}  // namespace

std::vector<VarEntry> datasec_vars(const ObjectModel& m, const MapEntry& e) {
  std::vector<VarEntry> vars;
  if (m.types == nullptr || e.datasec_id == 0) return vars;
  const btf_type* sec = btf__type_by_id(m.types, e.datasec_id);
  if (sec == nullptr) return vars;
  const btf_var_secinfo* info = btf_var_secinfos(sec);
  IdentScope scope;
  for (uint16_t i = 0; i < btf_vlen(sec); i++) {
    const btf_type* var = btf__type_by_id(m.types, info[i].type);
    if (var == nullptr || btf_kind(var) != BTF_KIND_VAR) continue;
    // Static variables are private to the BPF side.
    if (btf_var(var)->linkage == BTF_VAR_STATIC) continue;
    const char* name = btf__name_by_offset(m.types, var->name_off);
    VarEntry v;
    v.name = name != nullptr ? name : "";
    v.type_id = var->type;
    v.offset = info[i].offset;
    v.size = info[i].size;
    vars.push_back(std::move(v));
  }
  // Clang orders a section's variables as it likes; the struct needs them
  // by offset (ties, e.g. empty variables, keep the BTF order).
  std::vector<size_t> order(vars.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::sort(order.begin(), order.end(), [&vars](size_t a, size_t b) {
    return vars[a].offset != vars[b].offset ? vars[a].offset < vars[b].offset : a < b;
  });
  std::vector<VarEntry> sorted;
  sorted.reserve(vars.size());
  for (size_t i : order) sorted.push_back(std::move(vars[i]));
  for (VarEntry& v : sorted) v.ident = scope.claim(v.name);
  return sorted;
}

Result<void> emit_datasec_structs(const ObjectModel& m, const std::string& obj_name, bool subskel,
                                  std::string& out) {
  Printer printer(m.types);
  for (const MapEntry& e : m.maps) {
    if (!e.mmaped) continue;
    if (subskel && e.datasec_id == 0) continue;
    out += "\tstruct " + obj_name + "__" + e.data_ident + " {\n";
    uint32_t off = 0;
    int pad = 0;
    for (const VarEntry& v : datasec_vars(m, e)) {
      const std::string what = "variable '" + v.name + "' of map '" + e.name + "'";
      if (subskel) {
        // A subskeleton points at each variable where the final object
        // put it. Arrays and function pointers would need declarator
        // surgery, so they go through typeof; anything else keeps its
        // plain spelling (C++ refuses type definitions inside typeof).
        const uint32_t resolved = skip_mods_typedefs(m.types, v.type_id);
        const btf_type* rt = resolved != 0 ? btf__type_by_id(m.types, resolved) : nullptr;
        const bool use_typeof = rt != nullptr && (btf_kind(rt) == BTF_KIND_ARRAY || is_func_ptr(m.types, resolved));
        out += use_typeof ? "\t\t__typeof__(" : "\t\t";
        auto r = printer.decl(v.type_id, "", 2, !e.kconfig, out, what);
        if (!r) return r;
        out += use_typeof ? ") *" + v.ident + ";\n" : " *" + v.ident + ";\n";
        continue;
      }
      if (v.offset < off) return fail(EINVAL, what + " overlaps the previous one");
      int align = btf__align_of(m.types, v.type_id);
      if (align <= 0) return fail(EINVAL, "cannot tell the alignment of " + what);
      // A 32-bit host aligns 8-byte types to 4: pad explicitly so the
      // struct matches the BPF layout on every host.
      const uint32_t host_align = static_cast<uint32_t>(std::min(align, 4));
      const uint32_t natural = (off + host_align - 1) / host_align * host_align;
      if (natural != v.offset) {
        out += "\t\tchar __pad" + std::to_string(pad++) + "[" + std::to_string(v.offset - off) + "];\n";
      }
      out += "\t\t";
      auto r = printer.decl(v.type_id, v.ident, 2, !e.kconfig, out, what);
      if (!r) return r;
      out += ";\n";
      off = v.offset + v.size;
    }
    out += subskel ? "\t} " + e.data_ident + ";\n" : "\t} *" + e.data_ident + ";\n";
  }
  return {};
}

Result<void> emit_struct_ops_shadows(const ObjectModel& m, const std::string& obj_name, std::string& out) {
  bool any = false;
  Printer printer(m.types);
  for (const MapEntry& e : m.maps) {
    if (!e.struct_ops || m.types == nullptr) continue;
    const uint32_t value_id = bpf_map__btf_value_type_id(e.map);
    const btf_type* st = value_id != 0 ? btf__type_by_id(m.types, value_id) : nullptr;
    if (st == nullptr || btf_kind(st) != BTF_KIND_STRUCT) {
      return fail(EINVAL, "struct_ops map '" + e.name + "' has no struct type");
    }
    if (!any) out += "\tstruct {\n";
    any = true;
    const char* type_name = btf__name_by_offset(m.types, st->name_off);
    out += "\t\tstruct " + obj_name + "__" + e.shadow_ident + "__" + sanitize_identifier(type_name ? type_name : "") +
           " {\n";
    IdentScope scope;
    uint32_t next = 0;
    const btf_member* mem = btf_members(st);
    for (uint16_t i = 0; i < btf_vlen(st); i++) {
      const char* mname = btf__name_by_offset(m.types, mem[i].name_off);
      const std::string what = "member '" + std::string(mname ? mname : "") + "' of struct_ops map '" + e.name + "'";
      const uint32_t off = btf_member_bit_offset(st, i) / 8;
      const uint32_t id = skip_mods_typedefs(m.types, mem[i].type);
      const btf_type* t = id != 0 ? btf__type_by_id(m.types, id) : nullptr;
      const long long size = id != 0 ? btf__resolve_size(m.types, id) : -1;
      if (t == nullptr || size < 0) return fail(EINVAL, "cannot tell the size of " + what);
      // A bitfield has no byte of its own to point at, and a member that
      // overlaps the previous one would shift everything after it: both
      // are left to the padding before the next member (or __padding_end).
      if (is_bitfield(st, i, t) || off < next) continue;
      if (next < off) out += "\t\t\tchar __padding_" + std::to_string(i) + "[" + std::to_string(off - next) + "];\n";
      const int kind = btf_kind(t);
      const bool scalar = kind == BTF_KIND_INT || kind == BTF_KIND_FLOAT || kind == BTF_KIND_ENUM ||
                          kind == BTF_KIND_ENUM64;
      if (scalar) {
        out += "\t\t\t";
        auto r = printer.decl(id, scope.claim(mname ? mname : ""), 3, true, out, what);
        if (!r) return r;
        out += ";\n";
      } else if (is_func_ptr(m.types, id)) {
        out += "\t\t\tstruct bpf_program *" + scope.claim(mname ? mname : "") + ";\n";
      } else {
        out += "\t\t\tchar __unsupported_" + std::to_string(i) + "[" + std::to_string(size) + "];\n";
      }
      next = off + static_cast<uint32_t>(size);
    }
    const long long total = btf__resolve_size(m.types, value_id);
    if (total > static_cast<long long>(next)) {
      out += "\t\t\tchar __padding_end[" + std::to_string(total - next) + "];\n";
    }
    out += "\t\t} *" + e.shadow_ident + ";\n";
  }
  if (any) out += "\t} struct_ops;\n";
  return {};
}

void emit_asserts(const ObjectModel& m, const std::string& obj_name, std::string& out) {
  out += "\n__attribute__((unused)) static void\n" + obj_name + "__assert(struct " + obj_name +
         " *s __attribute__((unused)))\n{\n#ifdef __cplusplus\n#define _Static_assert static_assert\n#endif\n";
  for (const MapEntry& e : m.maps) {
    if (!e.mmaped) continue;
    for (const VarEntry& v : datasec_vars(m, e)) {
      const long long size = btf__resolve_size(m.types, v.type_id);
      if (size < 0) continue;
      out += "\t_Static_assert(sizeof(s->" + e.data_ident + "->" + v.ident + ") == " + std::to_string(size) +
             ", \"unexpected size of '" + v.ident + "'\");\n";
      out += "\t_Static_assert(__builtin_offsetof(__typeof__(*s->" + e.data_ident + "), " + v.ident +
             ") == " + std::to_string(v.offset) + ", \"unexpected offset of '" + v.ident + "'\");\n";
    }
  }
  out += "#ifdef __cplusplus\n#undef _Static_assert\n#endif\n}\n";
}

}  // namespace bpfxx::gen
