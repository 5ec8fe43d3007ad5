// Declarators: a chain of BTF types around a name, in C syntax.
//
// BTF lists a declaration from the outside in (typedef -> array -> pointer
// -> const -> int); C writes the innermost type first, qualifiers of
// pointers after the star, arrays and parameter lists after the name, and
// parentheses where a pointer applies to an array or a function. The
// chain is collected on stack_ (outermost first) and printed from its top
// (innermost) down; arrays and function prototypes recurse on what is
// left below them. Nested declarations (parameters, members of anonymous
// types) use the part of stack_ above their caller's.
#include "btf/btf.h"
#include "btf/dump.h"

#include "base/log.h"

#include <cerrno>

namespace {

constexpr int kMaxDeclDepth = 64;
constexpr size_t kMaxChain = 1024;

}  // namespace

void btf_dump::emit_decl(uint32_t id, std::string_view fname, int lvl) {
  if (!step()) return;
  if (decl_depth_ >= kMaxDeclDepth) {
    if (err_ == 0) BPFXX_WARN("btf_dump: declaration of type [%u] nests too deeply\n", id);
    err_ = -ELOOP;
    return;
  }
  const size_t lo = stack_.size();
  for (;;) {
    if (stack_.size() - lo > kMaxChain) {
      BPFXX_WARN("btf_dump: type [%u] starts an endless declaration chain\n", id);
      err_ = -ELOOP;
      stack_.resize(lo);
      return;
    }
    const btf_type* t = type(id);
    if (!(strip_mods_ && btf_is_mod(t))) stack_.push_back(id);
    if (id == 0) break;
    bool done = false;
    switch (btf_kind(t)) {
      case BTF_KIND_PTR:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_CONST:
      case BTF_KIND_RESTRICT:
      case BTF_KIND_FUNC_PROTO:
      case BTF_KIND_TYPE_TAG:
        id = t->type;
        break;
      case BTF_KIND_ARRAY:
        id = btf_array(t)->type;
        break;
      case BTF_KIND_INT:
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
      case BTF_KIND_FWD:
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
      case BTF_KIND_TYPEDEF:
      case BTF_KIND_FLOAT:
        done = true;
        break;
      default:
        BPFXX_WARN("btf_dump: type [%u] of kind %u cannot be part of a declaration\n", id,
                   btf_kind(t));
        if (bpfxx::btf::kind_extra_size(btf_kind(t), 0) < 0 && id != 0) err_ = -EINVAL;
        done = true;
        break;
    }
    if (done) break;
  }
  decl_depth_++;
  size_t top = stack_.size();
  emit_chain(lo, top, fname, lvl);
  decl_depth_--;
  stack_.resize(lo);
}

// Qualifiers written before a base type ("const int").
void btf_dump::emit_mods(size_t lo, size_t& top) {
  while (top > lo) {
    const btf_type* t = type(stack_[top - 1]);
    switch (btf_kind(t)) {
      case BTF_KIND_VOLATILE:
        put("volatile ");
        break;
      case BTF_KIND_CONST:
        put("const ");
        break;
      case BTF_KIND_RESTRICT:
        put("restrict ");
        break;
      default:
        return;
    }
    top--;
  }
}

// Qualifiers C has no place for (on arrays, on functions): dropped.
void btf_dump::drop_mods(size_t lo, size_t& top) {
  while (top > lo && btf_is_mod(type(stack_[top - 1]))) top--;
}

void btf_dump::emit_name(std::string_view name, bool last_was_ptr) {
  if (!name.empty() && !last_was_ptr) put(' ');
  put(name);
}

void btf_dump::emit_chain(size_t lo, size_t& top, std::string_view fname, int lvl) {
  // True at the start so that a lone pointer prints as "*name" / "(*)".
  bool last_was_ptr = true;
  while (top > lo) {
    const uint32_t id = stack_[--top];
    if (id == 0) {
      emit_mods(lo, top);
      put("void");
      last_was_ptr = false;
      continue;
    }
    const btf_type* t = type(id);
    const uint32_t kind = btf_kind(t);
    switch (kind) {
      case BTF_KIND_INT:
      case BTF_KIND_FLOAT:
        emit_mods(lo, top);
        put(str(t->name_off));
        break;
      case BTF_KIND_STRUCT:
      case BTF_KIND_UNION:
        emit_mods(lo, top);
        if (t->name_off == 0 && !skip_anon_defs_ && !states_[id].inline_active) {
          // Printed inline; an anonymous type inside itself (bad BTF) is
          // cut short instead of recursing forever.
          states_[id].inline_active = true;
          emit_struct_def(id, t, lvl);
          states_[id].inline_active = false;
        } else {
          if (t->name_off == 0 && !skip_anon_defs_) err_ = -ELOOP;
          emit_struct_fwd(id, t);
        }
        break;
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        emit_mods(lo, top);
        if (t->name_off == 0 && !skip_anon_defs_)
          emit_enum_def(id, t, lvl);
        else
          emit_enum_fwd(id);
        break;
      case BTF_KIND_FWD:
        emit_mods(lo, top);
        emit_fwd(id, t);
        break;
      case BTF_KIND_TYPEDEF:
        emit_mods(lo, top);
        put(ident_name(id));
        break;
      case BTF_KIND_PTR:
        put(last_was_ptr ? "*" : " *");
        break;
      case BTF_KIND_VOLATILE:
        put(" volatile");
        break;
      case BTF_KIND_CONST:
        put(" const");
        break;
      case BTF_KIND_RESTRICT:
        put(" restrict");
        break;
      case BTF_KIND_TYPE_TAG:
        emit_mods(lo, top);
        if (btf_kflag(t)) {
          // A type attribute in general, spelled as it is.
          put(" __attribute__((");
          put(str(t->name_off));
          put("))");
        } else {
          put(" __attribute__((btf_type_tag(\"");
          put(str(t->name_off));
          put("\")))");
        }
        break;
      case BTF_KIND_ARRAY: {
        const uint32_t nelems = btf_array(t)->nelems;
        drop_mods(lo, top);
        if (top == lo) {
          emit_name(fname, last_was_ptr);
        } else {
          // An array of arrays needs no parentheses; anything else below
          // (a pointer, a function) binds tighter than the brackets.
          const bool multidim = btf_is_array(type(stack_[top - 1]));
          if (!fname.empty() && !last_was_ptr) put(' ');
          if (!multidim) put('(');
          emit_chain(lo, top, fname, lvl);
          if (!multidim) put(')');
        }
        put('[');
        put_uint(nelems);
        put(']');
        return;
      }
      case BTF_KIND_FUNC_PROTO: {
        const btf_param* p = btf_params(t);
        const uint32_t vlen = btf_vlen(t);
        drop_mods(lo, top);
        if (top > lo) {
          put(" (");
          emit_chain(lo, top, fname, lvl);
          put(')');
        } else {
          emit_name(fname, last_was_ptr);
        }
        put('(');
        // No parameters, or clang's single void one: (void).
        if (vlen == 0 || (vlen == 1 && p[0].type == 0)) {
          put("void)");
          return;
        }
        for (uint32_t i = 0; i < vlen; i++) {
          if (i > 0) put(", ");
          if (i == vlen - 1 && p[i].type == 0) {
            put("...");
            break;
          }
          emit_decl(p[i].type, str(p[i].name_off), lvl);
        }
        put(')');
        return;
      }
      default:
        BPFXX_WARN("btf_dump: type [%u] of kind %u cannot be part of a declaration\n", id, kind);
        if (bpfxx::btf::kind_extra_size(kind, 0) < 0 && id != 0) err_ = -EINVAL;
        return;
    }
    last_was_ptr = kind == BTF_KIND_PTR;
  }
  emit_name(fname, last_was_ptr);
}
