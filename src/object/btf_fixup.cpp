// BTF fix-ups of the load phase: DATASEC sizes and offsets from the ELF,
// .kconfig layout, hidden globals made static, data map resizing, and the
// .ksyms rewrite of the uploaded copy.
#include "object/btf_fixup.h"

#include "base/log.h"
#include "btf/btf.h"
#include "elf/elf_reader.h"
#include "object/load.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bpfxx::object {
namespace {

constexpr std::string_view kKconfigSec = ".kconfig";
constexpr std::string_view kKsymsSec = ".ksyms";
constexpr uint8_t kStvInternal = 1;  // ELF visibility, restricted like hidden

uint32_t func_info(uint32_t linkage) { return (BTF_KIND_FUNC << 24) | linkage; }

std::string name_of(const ::btf& b, const btf_type* t) {
  const char* n = b.str_by_offset(t->name_off);
  return n != nullptr ? n : "";
}

// Fails with err after printing "<obj>: <what>".
Failure bad(const bpf_object& obj, int err, const std::string& what) {
  BPFXX_WARN("%s: %s\n", obj.name.c_str(), what.c_str());
  return fail(err, obj.name + ": " + what);
}

// The object's ELF, re-read from obj.bytes the first time a fix-up needs
// it, with its data symbols indexed by name.
class ElfIndex {
 public:
  explicit ElfIndex(const bpf_object& obj) : obj_(obj) {}

  Result<const elf::Reader*> reader() {
    if (!reader_) {
      Result<elf::Reader> r = elf::Reader::open(obj_.bytes, obj_.name);
      if (!r) return r.failure();
      reader_.emplace(std::move(*r));
      const size_t n = reader_->symbol_count();
      for (size_t i = 1; i < n; i++) {
        Result<elf::Symbol> s = reader_->symbol(i);
        if (!s) return s.failure();
        if (s->type() != elf::kSttObject || s->name.empty()) continue;
        syms_[s->name].push_back(*s);
      }
    }
    return &*reader_;
  }

  // The object symbol `name` in section shndx (any section when 0):
  // global ones when want_global, local ones otherwise.
  const elf::Symbol* find(std::string_view name, uint32_t shndx, bool want_global) const {
    auto it = syms_.find(name);
    if (it == syms_.end()) return nullptr;
    for (const elf::Symbol& s : it->second) {
      const bool global = s.bind() == elf::kStbGlobal || s.bind() == elf::kStbWeak;
      if (global == want_global && (shndx == 0 || s.shndx == shndx)) return &s;
    }
    return nullptr;
  }

 private:
  const bpf_object& obj_;
  std::optional<elf::Reader> reader_;
  std::unordered_map<std::string_view, std::vector<elf::Symbol>> syms_;
};

// Sorts a DATASEC's entries by offset (stable: equal offsets keep order).
void sort_entries(btf_type* t) {
  auto* v = reinterpret_cast<btf_var_secinfo*>(t + 1);
  std::stable_sort(v, v + BTF_INFO_VLEN(t->info),
                   [](const btf_var_secinfo& a, const btf_var_secinfo& b) { return a.offset < b.offset; });
}

// Lays the .kconfig DATASEC out as the map holding the values will be.
Result<void> layout_kconfig(const bpf_object& obj, ::btf& b, uint32_t sec_id) {
  btf_type* t = b.type_mut(sec_id);
  if (t == nullptr) return bad(obj, ENOMEM, "out of memory");
  auto* vsi = reinterpret_cast<btf_var_secinfo*>(t + 1);
  const uint32_t n = BTF_INFO_VLEN(t->info);
  struct Item {
    uint32_t idx;
    std::string name;
    uint32_t size, align;
  };
  std::vector<Item> items;
  for (uint32_t i = 0; i < n; i++) {
    btf_type* v = b.type_mut(vsi[i].type);
    if (v == nullptr || BTF_INFO_KIND(v->info) != BTF_KIND_VAR)
      return bad(obj, EINVAL, "BTF DATASEC '.kconfig': entry #" + std::to_string(i) + " is not a VAR");
    const int64_t size = b.resolve_size(v->type);
    const int align = b.align_of(v->type);
    if (size <= 0 || align <= 0 || size > UINT32_MAX)
      return bad(obj, EINVAL, "kconfig extern '" + name_of(b, v) + "': its type has no usable size");
    items.push_back({i, name_of(b, v), static_cast<uint32_t>(size), static_cast<uint32_t>(align)});
    // The kernel knows no extern VARs: this one is backed by the map.
    btf_var(v)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
  }
  // Largest alignment first wastes the least padding; then size and name
  // make the order independent of the declaration order.
  std::vector<Item> order = items;
  std::sort(order.begin(), order.end(), [](const Item& a, const Item& c) {
    if (a.align != c.align) return a.align > c.align;
    if (a.size != c.size) return a.size < c.size;
    return a.name < c.name;
  });
  uint64_t off = 0;
  for (const Item& it : order) {
    off = (off + it.align - 1) / it.align * it.align;
    vsi[it.idx].offset = static_cast<uint32_t>(off);
    vsi[it.idx].size = it.size;
    off += it.size;
  }
  if (off > UINT32_MAX) return bad(obj, E2BIG, "BTF DATASEC '.kconfig' is too large");
  t->size = static_cast<uint32_t>(off);
  sort_entries(t);
  return {};
}

Result<void> fixup_datasec(const bpf_object& obj, ::btf& b, uint32_t id, ElfIndex& elf) {
  btf_type* t = b.type_mut(id);
  if (t == nullptr) return bad(obj, ENOMEM, "out of memory");
  const std::string sec = name_of(b, t);
  if (sec.empty()) return bad(obj, EINVAL, "BTF DATASEC [" + std::to_string(id) + "] has no name");
  if (sec == kKconfigSec) return layout_kconfig(obj, b, id);
  // The uploaded copy gets its .ksyms rewritten (ksyms_for_kernel()).
  if (sec == kKsymsSec) return {};

  Result<const elf::Reader*> r = elf.reader();
  if (!r) return r.failure();
  const elf::Section* es = (*r)->find_section(sec);
  const std::string what = "BTF DATASEC '" + sec + "'";
  const bool fix_offsets = t->size == 0;
  if (fix_offsets) {
    if (es == nullptr || es->size == 0)
      return bad(obj, ENOENT, what + ": no ELF section of that name gives its size");
    if (es->size > UINT32_MAX) return bad(obj, E2BIG, what + ": section too large");
    t->size = static_cast<uint32_t>(es->size);
  }
  const uint32_t shndx = es != nullptr ? es->index : 0;
  auto* vsi = reinterpret_cast<btf_var_secinfo*>(t + 1);
  const uint32_t n = BTF_INFO_VLEN(t->info);
  for (uint32_t i = 0; i < n; i++) {
    btf_type* v = b.type_mut(vsi[i].type);
    if (v == nullptr || BTF_INFO_KIND(v->info) != BTF_KIND_VAR)
      return bad(obj, EINVAL, what + ": entry #" + std::to_string(i) + " is not a VAR");
    auto* var = btf_var(v);
    if (var->linkage == BTF_VAR_GLOBAL_EXTERN) continue;  // resolved by the extern step
    const std::string vname = name_of(b, v);
    const bool is_static = var->linkage == BTF_VAR_STATIC;
    const elf::Symbol* sym = elf.find(vname, shndx, !is_static);
    if (sym == nullptr && !is_static)
      return bad(obj, ENOENT, what + ": no ELF symbol for variable '" + vname + "'");
    if (sym == nullptr) continue;  // a static's offset from clang is right
    if (fix_offsets) {
      if (sym->value > UINT32_MAX) return bad(obj, EINVAL, what + ": variable '" + vname + "' offset too large");
      vsi[i].offset = static_cast<uint32_t>(sym->value);
    }
    const uint8_t vis = sym->visibility();
    if (!is_static && (vis == elf::kStvHidden || vis == kStvInternal)) var->linkage = BTF_VAR_STATIC;
  }
  sort_entries(t);
  for (uint32_t i = 0; i < n; i++) {
    if (uint64_t{vsi[i].offset} + vsi[i].size > t->size) {
      const btf_type* v = b.type_by_id(vsi[i].type);
      return bad(obj, EINVAL,
                 what + ": variable '" + name_of(b, v) + "' (offset " + std::to_string(vsi[i].offset) +
                     ", size " + std::to_string(vsi[i].size) + ") lies outside the section's " +
                     std::to_string(t->size) + " bytes");
    }
  }
  return {};
}

// Subprograms hidden from other objects need not be verified as global
// functions: their FUNC becomes static (entry programs keep theirs).
void hide_static_subprogs(bpf_object& obj, ::btf& b) {
  for (const auto& p : obj.programs) {
    if (!p->is_subprog || !p->mark_btf_static) continue;
    // Found first, edited after: an edit drops the name index being walked.
    uint32_t found = 0;
    b.for_each_named(p->name, [&](uint32_t id) {
      const btf_type* t = b.type_by_id(id);
      if (BTF_INFO_KIND(t->info) != BTF_KIND_FUNC || BTF_INFO_VLEN(t->info) != BTF_FUNC_GLOBAL) return true;
      found = id;
      return false;
    });
    btf_type* m = found != 0 ? b.type_mut(found) : nullptr;
    if (m != nullptr) m->info = func_info(BTF_FUNC_STATIC);
    else BPFXX_DEBUG("prog '%s': no global BTF FUNC to make static\n", p->name.c_str());
  }
}

}  // namespace

Result<void> finalize_btf(bpf_object& obj) {
  if (!obj.btf_data) return {};
  ::btf& b = *obj.btf_data;
  // BPF is a 64-bit target whatever the host.
  b.set_pointer_size(8);
  ElfIndex elf(obj);
  for (uint32_t id = b.start_id(); id < b.type_cnt(); id++) {
    if (BTF_INFO_KIND(b.type_unchecked(id)->info) != BTF_KIND_DATASEC) continue;
    if (auto r = fixup_datasec(obj, b, id, elf); !r) return r;
  }
  hide_static_subprogs(obj, b);
  return {};
}

Result<void> resize_data_btf(bpf_object& obj, bpf_map& map, uint32_t new_size) {
  if (!obj.btf_data || map.btf_value_type_id == 0)
    return fail(ENOENT, "map '" + map.name + "': no BTF to resize");
  ::btf& b = *obj.btf_data;
  const uint32_t sec_id = map.btf_value_type_id;
  auto refuse = [&](const std::string& why) {
    BPFXX_WARN("map '%s': cannot be resized: %s\n", map.name.c_str(), why.c_str());
    return fail(EINVAL, "map '" + map.name + "': cannot be resized: " + why);
  };
  const btf_type* t = b.type_by_id(sec_id);
  if (t == nullptr || BTF_INFO_KIND(t->info) != BTF_KIND_DATASEC)
    return refuse("its BTF value type is not a DATASEC");
  // The offsets are needed now: fix this DATASEC up if finalize_btf() has
  // not run yet (it leaves a sized DATASEC as it is).
  if (t->size == 0) {
    ElfIndex elf(obj);
    if (auto r = fixup_datasec(obj, b, sec_id, elf); !r) return r;
    t = b.type_by_id(sec_id);
  }
  const uint32_t n = BTF_INFO_VLEN(t->info);
  if (n == 0) return refuse("its DATASEC has no variables");
  const btf_var_secinfo last = reinterpret_cast<const btf_var_secinfo*>(t + 1)[n - 1];
  const btf_type* v = b.type_by_id(last.type);
  if (v == nullptr || BTF_INFO_KIND(v->info) != BTF_KIND_VAR) return refuse("its last DATASEC entry is not a VAR");
  const std::string vname = name_of(b, v);
  // The array may hide behind typedefs and qualifiers.
  const btf_type* at = btf__type_by_id(&b, v->type);
  while (at != nullptr && (btf_is_mod(at) || btf_is_typedef(at))) at = btf__type_by_id(&b, at->type);
  if (at == nullptr || !btf_is_array(at)) return refuse("its last variable '" + vname + "' is not an array");
  const struct btf_array arr = *btf_array(at);
  const int64_t elem = b.resolve_size(arr.type);
  if (elem <= 0) return refuse("the element size of array '" + vname + "' is unknown");
  if (new_size <= last.offset || (new_size - last.offset) % elem != 0)
    return refuse("array '" + vname + "' at offset " + std::to_string(last.offset) + " with " +
                  std::to_string(elem) + "-byte elements cannot end at " + std::to_string(new_size) +
                  " bytes");
  const uint32_t nelems = static_cast<uint32_t>((new_size - last.offset) / elem);
  const int new_id = btf__add_array(&b, static_cast<int>(arr.index_type), static_cast<int>(arr.type), nelems);
  if (new_id < 0) return fail(-new_id, "map '" + map.name + "': cannot add the resized array type");
  // Appending moved the records: look them up again.
  btf_type* sec = b.type_mut(sec_id);
  btf_type* var = b.type_mut(last.type);
  if (sec == nullptr || var == nullptr) return fail(ENOMEM, "out of memory");
  sec->size = new_size;
  reinterpret_cast<btf_var_secinfo*>(sec + 1)[n - 1].size = new_size - last.offset;
  var->type = static_cast<uint32_t>(new_id);
  BPFXX_DEBUG("map '%s': BTF resized to %u bytes (%s[%u])\n", map.name.c_str(), new_size, vname.c_str(),
              nelems);
  return {};
}

Result<uint32_t> kconfig_var_offset(const ::btf& b, uint32_t var_id) {
  const int32_t sec = b.find_by_name_kind_own(kKconfigSec, BTF_KIND_DATASEC);
  if (sec <= 0) return fail(ENOENT, "no .kconfig DATASEC");
  const btf_type* t = b.type_by_id(static_cast<uint32_t>(sec));
  const auto* vsi = reinterpret_cast<const btf_var_secinfo*>(t + 1);
  for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
    if (vsi[i].type == var_id) return vsi[i].offset;
  }
  return fail(ENOENT, "variable not in .kconfig");
}

bool has_ksyms_datasec(const ::btf& b) { return b.find_by_name_kind_own(kKsymsSec, BTF_KIND_DATASEC) > 0; }

Result<void> ksyms_for_kernel(::btf& b) {
  const int32_t sec_id = b.find_by_name_kind_own(kKsymsSec, BTF_KIND_DATASEC);
  if (sec_id <= 0) return {};
  // Some 32-bit int to type the stand-in variables with.
  int int_id = 0;
  for (uint32_t id = 1; id < b.type_cnt() && int_id == 0; id++) {
    const btf_type* t = b.type_unchecked(id);
    if (BTF_INFO_KIND(t->info) == BTF_KIND_INT && t->size == 4 && btf_int_bits(t) == 32 && btf_int_offset(t) == 0)
      int_id = static_cast<int>(id);
  }
  if (int_id == 0) int_id = btf__add_int(&b, "int", 4, BTF_INT_SIGNED);
  if (int_id < 0) return fail(-int_id, ".ksyms: cannot add an int type");
  bool has_func = false;
  {
    const btf_type* t = b.type_by_id(static_cast<uint32_t>(sec_id));
    const auto* vsi = reinterpret_cast<const btf_var_secinfo*>(t + 1);
    for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
      const btf_type* e = b.type_by_id(vsi[i].type);
      has_func = has_func || (e != nullptr && BTF_INFO_KIND(e->info) == BTF_KIND_FUNC);
    }
  }
  int dummy_id = 0;
  uint32_t dummy_name = 0;
  if (has_func) {
    dummy_id = btf__add_var(&b, "dummy_ksym", BTF_VAR_GLOBAL_ALLOCATED, int_id);
    if (dummy_id < 0) return fail(-dummy_id, ".ksyms: cannot add the kfunc stand-in variable");
    dummy_name = b.type_by_id(static_cast<uint32_t>(dummy_id))->name_off;
  }
  btf_type* t = b.type_mut(static_cast<uint32_t>(sec_id));
  if (t == nullptr) return fail(ENOMEM, "out of memory");
  auto* vsi = reinterpret_cast<btf_var_secinfo*>(t + 1);
  const uint32_t n = BTF_INFO_VLEN(t->info);
  for (uint32_t i = 0; i < n; i++) {
    btf_type* e = b.type_mut(vsi[i].type);
    if (e == nullptr) return fail(EINVAL, ".ksyms: entry #" + std::to_string(i) + " has a bad type");
    const uint32_t kind = BTF_INFO_KIND(e->info);
    if (kind == BTF_KIND_FUNC) {
      if (btf_type* proto = b.type_mut(e->type); proto != nullptr && BTF_INFO_KIND(proto->info) == BTF_KIND_FUNC_PROTO) {
        auto* p = reinterpret_cast<btf_param*>(proto + 1);
        for (uint32_t k = 0; k < BTF_INFO_VLEN(proto->info); k++) {
          if (p[k].type != 0 && p[k].name_off == 0) p[k].name_off = dummy_name;
        }
      }
      e->info = func_info(BTF_FUNC_GLOBAL);
      vsi[i].type = static_cast<uint32_t>(dummy_id);
    } else if (kind == BTF_KIND_VAR) {
      btf_var(e)->linkage = BTF_VAR_GLOBAL_ALLOCATED;
      e->type = static_cast<uint32_t>(int_id);
    } else {
      return fail(EINVAL, ".ksyms: entry #" + std::to_string(i) + " is neither a VAR nor a FUNC");
    }
    vsi[i].offset = i * 4;
    vsi[i].size = 4;
  }
  t->size = n * 4;
  return {};
}

}  // namespace bpfxx::object
