// Resolving an object's externs against the running kernel, and patching
// the instructions that use them.
//
//   kconfig (.kconfig): values from the kconfig open option first, then the
//     kernel's config (/proc/config.gz or /boot/config-<release>), written
//     into the .kconfig map before it is created; LINUX_KERNEL_VERSION and
//     the LINUX_HAS_* feature flags computed here. Uses become
//     BPF_PSEUDO_MAP_VALUE loads of that map.
//   typeless ksyms (`extern const void x __ksym`): addresses from
//     /proc/kallsyms, loaded as 64-bit constants.
//   typed ksyms and kfuncs: found by name in vmlinux BTF, then in module
//     BTFs (a kfunc's name without its ___flavor suffix, a variable's
//     whole, as libbpf does), the local type checked compatible;
//     variables become BPF_PSEUDO_BTF_ID loads, kfunc calls
//     BPF_PSEUDO_KFUNC_CALL with the kernel's FUNC id and, for modules, an
//     fd_array index.
// A weak extern that cannot be found reads 0 (a kfunc call keeps imm 0 so
// the verifier drops it as dead code under bpf_ksym_exists()); a strong
// one fails the load with a message naming it.
#include "object/externs.h"

#include "base/log.h"
#include "btf/load.h"
#include "btf/module_cache.h"
#include "object/btf_fixup.h"
#include "object/load.h"
#include "relo/essential_name.h"
#include "sys/features.h"
#include "sys/kallsyms.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include <cstring>
#include <map>

namespace bpfxx::object {
namespace {

constexpr std::string_view kKconfigSec = ".kconfig";
// Values of enum libbpf_tristate.
constexpr uint8_t kTriNo = 0, kTriYes = 1, kTriModule = 2;

Failure bad(const bpf_object& obj, int err, const std::string& what) {
  BPFXX_WARN("%s: %s\n", obj.name.c_str(), what.c_str());
  return fail(err, obj.name + ": " + what);
}

const char* kind_label(const Extern& e) {
  switch (e.kind) {
    case ExternKind::kKconfig: return "kconfig extern";
    case ExternKind::kKsymVar: return "ksym";
    case ExternKind::kKsymFunc: return "kfunc";
    case ExternKind::kUnknown: break;
  }
  return "extern";
}

std::string label(const Extern& e) { return std::string(kind_label(e)) + " '" + e.name + "'"; }

// Type id after modifiers and typedefs; *t set to its type (void: kind 0).
uint32_t skip_mods(const ::btf& b, uint32_t id, const btf_type** t) {
  for (int depth = 0; depth < 64; depth++) {
    const btf_type* x = btf__type_by_id(&b, id);
    if (x == nullptr) break;
    if (!btf_is_mod(x) && !btf_is_typedef(x)) {
      *t = x;
      return id;
    }
    id = x->type;
  }
  *t = nullptr;
  return id;
}

// "struct task_struct", "int", "pointer" ... for messages.
std::string type_word(const ::btf& b, const btf_type* t) {
  if (t == nullptr) return "an unreadable type";
  if (btf_kind(t) == BTF_KIND_UNKN) return "void";
  std::string w = btf::kind_name(btf_kind(t));
  const char* n = btf__name_by_offset(&b, t->name_off);
  if (n != nullptr && *n != 0) {
    if (btf_is_int(t) || btf_is_float(t)) return n;
    w += ' ';
    w += n;
  }
  return w;
}

// Why local type lid is not compatible with targ type tid in libbpf's sense
// (its CO-RE "types are compatible" rule, which kfunc prototypes and typed
// ksyms are checked with), or empty when it is. After modifiers and
// typedefs the kinds must be equal -- any enum matching any enum -- and
// then: structs, unions, enums and void match whatever their names and
// sizes; integers of any size and sign match (not the old bitfield ones);
// pointers and arrays are compared through; prototypes by argument count,
// each argument and the return type. Anything else (float, ...) does not
// match. One leniency of ours: a forward declaration matches a struct or
// union of its own kind ("struct task_struct;" is how kfunc declarations
// are often written without vmlinux.h); libbpf refuses it.
std::string mismatch_at(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, int depth) {
  const btf_type* l = nullptr;
  const btf_type* t = nullptr;
  skip_mods(lb, lid, &l);
  skip_mods(tb, tid, &t);
  if (l == nullptr || t == nullptr) return "types that cannot be read";
  const std::string both = type_word(lb, l) + " here, " + type_word(tb, t) + " in the kernel";
  if (depth <= 0) return "types nested too deeply (" + both + ")";
  if (btf_is_any_enum(l) && btf_is_any_enum(t)) return {};
  if (btf_is_fwd(l) != btf_is_fwd(t)) {
    const btf_type* fwd = btf_is_fwd(l) ? l : t;
    const btf_type* full = btf_is_fwd(l) ? t : l;
    const bool fwd_union = btf_kflag(fwd);
    if ((btf_is_struct(full) && !fwd_union) || (btf_is_union(full) && fwd_union)) return {};
    return both;
  }
  if (btf_kind(l) != btf_kind(t)) return both;
  switch (btf_kind(l)) {
    case BTF_KIND_UNKN:
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_FWD:
      return {};
    case BTF_KIND_INT:
      if (btf_int_offset(l) != 0 || btf_int_offset(t) != 0) return "a bitfield-style integer (" + both + ")";
      return {};
    case BTF_KIND_PTR: {
      std::string why = mismatch_at(lb, l->type, tb, t->type, depth - 1);
      return why.empty() ? why : "pointers to different types: " + why;
    }
    case BTF_KIND_ARRAY: {
      std::string why = mismatch_at(lb, btf_array(l)->type, tb, btf_array(t)->type, depth - 1);
      return why.empty() ? why : "arrays of different types: " + why;
    }
    case BTF_KIND_FUNC_PROTO: {
      if (btf_vlen(l) != btf_vlen(t))
        return std::to_string(btf_vlen(l)) + " argument(s) here, " + std::to_string(btf_vlen(t)) +
               " in the kernel";
      const btf_param* lp = btf_params(l);
      const btf_param* tp = btf_params(t);
      for (uint16_t i = 0; i < btf_vlen(l); i++) {
        std::string why = mismatch_at(lb, lp[i].type, tb, tp[i].type, depth - 1);
        if (why.empty()) continue;
        const char* kname = btf__name_by_offset(&tb, tp[i].name_off);
        return "argument #" + std::to_string(i + 1) +
               (kname != nullptr && *kname != 0 ? std::string(" ('") + kname + "')" : std::string()) + ": " +
               why;
      }
      std::string why = mismatch_at(lb, l->type, tb, t->type, depth - 1);
      return why.empty() ? why : "return value: " + why;
    }
    default:
      return "a kind kernel symbols cannot be matched by (" + both + ")";
  }
}

// ---------------------------------------------------------------------------
// kconfig

Result<void> set_linux_value(const bpf_object& obj, const Extern& e, const KconfigSlot& slot,
                             std::span<uint8_t> dst) {
  uint64_t value;
  if (e.name == "LINUX_KERNEL_VERSION") {
    value = sys::kernel_version_code();
    // As libbpf: a program asking for the version must not read 0.
    if (value == 0)
      return bad(obj, EINVAL, label(e) + ": the running kernel's version cannot be determined (uname "
                                         "release and /proc/version_signature give none)");
  } else if (e.name == "LINUX_HAS_BPF_COOKIE") {
    value = sys::has_feature(sys::Feature::BpfCookie) ? 1 : 0;
  } else if (e.name == "LINUX_HAS_SYSCALL_WRAPPER") {
    value = sys::has_feature(sys::Feature::SyscallWrapper) ? 1 : 0;
  } else if (e.is_weak) {
    // Written for a newer loader: a weak one it does not know reads 0.
    BPFXX_DEBUG("%s is unknown to this loader; weak, so it reads 0\n", label(e).c_str());
    value = 0;
  } else {
    return bad(obj, EINVAL, label(e) + " is not a value this loader knows (LINUX_KERNEL_VERSION, "
                                       "LINUX_HAS_BPF_COOKIE, LINUX_HAS_SYSCALL_WRAPPER)");
  }
  if (slot.type != KconfigType::kInt && slot.type != KconfigType::kBool && slot.type != KconfigType::kChar)
    return bad(obj, EINVAL, label(e) + " must be an integer or bool");
  sys::KconfigValue v;
  v.kind = sys::KconfigValue::Kind::kNumber;
  v.num = value;
  if (auto r = store_kconfig_value(e.name, slot, v, dst); !r) return bad(obj, r.error(), r.message());
  return {};
}

class KconfigResolver {
 public:
  explicit KconfigResolver(bpf_object& obj) : obj_(obj) {}

  Result<void> run() {
    bpf_map* map = kconfig_map(obj_);
    if (map == nullptr || map->initial.size() < map->value_size)
      return bad(obj_, ENOMEM, "kconfig externs are used but the .kconfig map could not be made");
    data_ = std::span<uint8_t>(map->initial.data(), map->value_size);
    std::memset(data_.data(), 0, data_.size());
    const ::btf& b = *obj_.btf_data;
    bool need_config = false;
    for (Extern& e : obj_.externs) {
      if (e.kind != ExternKind::kKconfig) continue;
      Result<uint32_t> off = kconfig_var_offset(b, e.btf_id);
      if (!off) return bad(obj_, EINVAL, label(e) + " is not laid out in the .kconfig map");
      e.kconfig_off = *off;
      Slot s{&e, kconfig_slot(b, e.btf_id)};
      if (s.slot.type == KconfigType::kUnknown)
        return bad(obj_, EINVAL, label(e) + " has a type kconfig values cannot take (bool, char, "
                                            "enum libbpf_tristate, an integer or a char array)");
      const uint64_t end = uint64_t{e.kconfig_off} + bytes_of(s.slot);
      if (end > data_.size()) return bad(obj_, EINVAL, label(e) + " lies outside the .kconfig map");
      if (e.name.starts_with("LINUX_")) {
        if (auto r = set_linux_value(obj_, e, s.slot, dst(s)); !r) return r;
        e.resolved = true;
      } else if (e.name.starts_with("CONFIG_")) {
        by_name_.emplace(e.name, s);
        need_config = true;
      } else {
        return bad(obj_, EINVAL, label(e) + ": kconfig externs are named CONFIG_* or LINUX_*");
      }
    }
    if (need_config && obj_.opts.has_kconfig) {
      if (auto r = apply(obj_.opts.kconfig, "the kconfig open option"); !r) return r;
      need_config = !all_set();
    }
    if (need_config) {
      Result<std::string> text = sys::read_kernel_config();
      if (text) {
        if (auto r = apply(*text, "the kernel config"); !r) return r;
      } else {
        BPFXX_INFO("%s: the kernel config cannot be read: %s\n", obj_.name.c_str(), text.message().c_str());
        config_error_ = text.message();
      }
    }
    for (auto& [name, s] : by_name_) {
      if (s.ext->resolved) continue;
      if (!s.ext->is_weak)
        return bad(obj_, ESRCH, label(*s.ext) + " has no value in the kernel config" +
                                    (config_error_.empty() ? std::string() : " (" + config_error_ + ")") +
                                    "; declare it __weak to read 0 instead");
      BPFXX_DEBUG("%s: weak %s not set in the kernel config: 0\n", obj_.name.c_str(), label(*s.ext).c_str());
    }
    return {};
  }

 private:
  struct Slot {
    Extern* ext;
    KconfigSlot slot;
  };

  static uint32_t bytes_of(const KconfigSlot& s) { return s.size; }
  std::span<uint8_t> dst(const Slot& s) { return data_.subspan(s.ext->kconfig_off, bytes_of(s.slot)); }

  bool all_set() const {
    for (const auto& [name, s] : by_name_) {
      if (!s.ext->resolved) return false;
    }
    return true;
  }

  // Values of text for externs not set yet (the option wins over the
  // kernel's file because it is applied first).
  Result<void> apply(std::string_view text, const char* source) {
    Result<void> r = sys::for_each_kconfig(text, [&](std::string_view name, std::string_view raw) -> Result<void> {
      auto it = by_name_.find(std::string(name));
      if (it == by_name_.end() || it->second.ext->resolved) return {};
      Result<sys::KconfigValue> v = sys::decode_kconfig_value(raw);
      if (!v) return fail(v.error(), label(*it->second.ext) + ": " + v.message());
      if (auto s = store_kconfig_value(it->second.ext->name, it->second.slot, *v, dst(it->second)); !s) return s;
      it->second.ext->resolved = true;
      return {};
    });
    if (!r) return bad(obj_, r.error(), std::string(source) + ": " + r.message());
    return {};
  }

  bpf_object& obj_;
  std::span<uint8_t> data_;
  std::map<std::string, Slot> by_name_;
  std::string config_error_;
};

// ---------------------------------------------------------------------------
// ksyms

void close_fd(const int* fd) {
  if (*fd >= 0) sys::kernel().close(*fd);
  delete fd;
}

// A kernel BTF to search: vmlinux, or one module's (from the process's
// cache; no fd until an extern resolves into it).
struct KernelBtf {
  std::string name;
  std::shared_ptr<const ::btf> btf;
  std::shared_ptr<const btf::ModuleBtf> module;  // null for vmlinux
};

// What an object holds of one module its externs resolved into: the fd
// given to the kernel (ld_imm64 of typed ksyms, fd_array of kfunc calls),
// shared by those externs, and its fd_array index.
struct ModuleFd {
  std::shared_ptr<const int> fd;
  int16_t fd_array_idx = 0;
};

class KsymResolver {
 public:
  explicit KsymResolver(bpf_object& obj) : obj_(obj) {}

  Result<void> run() {
    bool any_typeless = false;
    for (Extern& e : obj_.externs) {
      if (e.kind == ExternKind::kKsymVar) {
        const btf_type* t = nullptr;
        const btf_type* v = btf__type_by_id(obj_.btf_data.get(), e.btf_id);
        if (v == nullptr) return bad(obj_, EINVAL, label(e) + " has no BTF");
        skip_mods(*obj_.btf_data, v->type, &t);
        e.typeless = t != nullptr && btf_kind(t) == BTF_KIND_UNKN;
        any_typeless |= e.typeless;
        if (!e.typeless) {
          if (auto r = resolve_btf(e, BTF_KIND_VAR); !r) return r;
        }
      } else if (e.kind == ExternKind::kKsymFunc) {
        if (auto r = resolve_btf(e, BTF_KIND_FUNC); !r) return r;
      }
    }
    if (any_typeless) {
      if (auto r = resolve_typeless(); !r) return r;
    }
    for (const Extern& e : obj_.externs) {
      if ((e.kind != ExternKind::kKsymVar && e.kind != ExternKind::kKsymFunc) || e.resolved) continue;
      if (!e.is_weak)
        return bad(obj_, ESRCH, label(e) + " is not in the running kernel (" +
                                    (e.typeless ? "/proc/kallsyms" : "vmlinux or module BTF") +
                                    "); declare it __weak and test bpf_ksym_exists() to run without it");
      BPFXX_DEBUG("%s: weak %s not found: 0\n", obj_.name.c_str(), label(e).c_str());
    }
    return {};
  }

 private:
  Result<void> resolve_typeless() {
    Result<std::string> text = sys::read_kallsyms();
    if (!text) return bad(obj_, text.error(), "cannot read /proc/kallsyms for typeless ksyms: " + text.message());
    std::map<std::string_view, Extern*> wanted;
    for (Extern& e : obj_.externs) {
      if (e.kind == ExternKind::kKsymVar && e.typeless) wanted.emplace(e.name, &e);
    }
    std::string ambiguous;
    Result<void> r = sys::for_each_kallsym(*text, [&](const sys::Kallsym& s) {
      auto it = wanted.find(sys::kallsym_match_name(s));
      if (it == wanted.end()) return true;
      Extern& e = *it->second;
      if (e.resolved && e.addr != s.addr) {
        ambiguous = e.name;
        return false;
      }
      e.addr = s.addr;
      e.resolved = true;
      return true;
    });
    if (!r) return bad(obj_, r.error(), "/proc/kallsyms: " + r.message());
    if (!ambiguous.empty())
      return bad(obj_, EINVAL, "ksym '" + ambiguous + "' has several addresses in /proc/kallsyms");
    return {};
  }

  Result<void> resolve_btf(Extern& e, int kind) {
    const ::btf& local = *obj_.btf_data;
    const btf_type* lt = btf__type_by_id(&local, e.btf_id);
    if (lt == nullptr) return bad(obj_, EINVAL, label(e) + " has no BTF");
    const std::string_view name = kernel_lookup_name(e);
    if (auto r = load_vmlinux(); !r) return r;
    for (size_t i = 0;; i++) {
      if (i == kernels_.size()) {
        if (modules_listed_) break;
        list_modules();
        if (i == kernels_.size()) break;
      }
      const KernelBtf& k = kernels_[i];
      // A module's own types only: vmlinux was searched already.
      const int32_t id = k.module ? k.btf->find_by_name_kind_own(name, kind) : k.btf->find_by_name_kind(name, kind);
      if (id <= 0) continue;
      const btf_type* kt = btf__type_by_id(k.btf.get(), static_cast<uint32_t>(id));
      const std::string why = type_mismatch(local, lt->type, *k.btf, kt->type);
      if (!why.empty()) {
        // A weak kfunc of another prototype stays unresolved: flavors
        // (name___old, name___new) declare each prototype a kernel may have
        // and bpf_ksym_exists() picks the one that resolved.
        if (e.is_weak && kind == BTF_KIND_FUNC) {
          BPFXX_DEBUG("%s: the kernel's [%d] in %s has another prototype (%s); weak, left unresolved\n",
                      label(e).c_str(), id, k.name.c_str(), why.c_str());
          return {};
        }
        return bad(obj_, EINVAL, label(e) + ": its declared " + (kind == BTF_KIND_FUNC ? "prototype" : "type") +
                                     " does not match the kernel's [" + std::to_string(id) + "] in " + k.name +
                                     ": " + why);
      }
      if (k.module) {
        const ModuleFd* m = module_fd(*k.module);
        if (m == nullptr) continue;  // unloaded meanwhile
        e.module_btf = m->fd;
        e.kernel_btf_fd = *m->fd;
        e.fd_array_idx = m->fd_array_idx;
      }
      e.resolved = true;
      e.kernel_btf_id = static_cast<uint32_t>(id);
      BPFXX_DEBUG("%s: %s is [%d] of %s\n", obj_.name.c_str(), label(e).c_str(), id, k.name.c_str());
      return {};
    }
    return {};
  }

  // The object's fd of module m, opened on its first extern; null when the
  // module cannot be opened any more.
  const ModuleFd* module_fd(const btf::ModuleBtf& m) {
    auto it = fds_.find(m.id());
    if (it != fds_.end()) return &it->second;
    const int fd = btf::open_kernel_btf(m.id(), obj_.token_fd);
    if (fd < 0) {
      BPFXX_DEBUG("%s: BTF of module '%s' cannot be opened: %s\n", obj_.name.c_str(), m.name().c_str(),
                  std::strerror(-fd));
      return nullptr;
    }
    ModuleFd mf{std::shared_ptr<const int>(new int(fd), close_fd), static_cast<int16_t>(fds_.size() + 1)};
    return &fds_.emplace(m.id(), std::move(mf)).first->second;
  }

  Result<void> load_vmlinux() {
    if (!kernels_.empty()) return {};
    Result<std::shared_ptr<const ::btf>> v = btf::vmlinux();
    if (!v) return bad(obj_, v.error(), "ksyms need the kernel's BTF: " + v.message());
    kernels_.push_back(KernelBtf{"vmlinux", *v, nullptr});
    return {};
  }

  // Adds every loaded module's BTF after vmlinux (the shared cache parses
  // each once per process; unreadable ones are skipped).
  void list_modules() {
    modules_listed_ = true;
    if (!sys::has_feature(sys::Feature::ModuleBtf)) return;
    auto mods = btf::ModuleCache::process().loaded(obj_.token_fd);
    if (!mods) return;
    for (std::shared_ptr<const btf::ModuleBtf>& m : *mods) {
      std::shared_ptr<const ::btf> b = m->btf();
      if (!b) continue;
      kernels_.push_back(KernelBtf{"module '" + m->name() + "'", std::move(b), std::move(m)});
    }
  }

  bpf_object& obj_;
  std::vector<KernelBtf> kernels_;  // vmlinux first, then modules
  bool modules_listed_ = false;
  std::map<uint32_t, ModuleFd> fds_;  // by module BTF id
};

// ---------------------------------------------------------------------------
// patching

Failure patch_bad(const bpf_object& obj, const Relocation& r, int err, const std::string& what) {
  return bad(obj, err, "instruction #" + std::to_string(r.insn_idx) + " (extern '" + r.sym_name + "'): " + what);
}

void set_ld_imm64(bpf_insn* in, uint8_t src_reg, uint32_t lo, uint32_t hi) {
  in[0].src_reg = src_reg & 0xf;
  in[0].imm = static_cast<int32_t>(lo);
  in[1].imm = static_cast<int32_t>(hi);
}

}  // namespace

bpf_map* kconfig_map(const bpf_object& obj) {
  for (const auto& m : obj.maps) {
    if (m->kind == MapKind::kRodata && m->real_name == kKconfigSec) return m.get();
  }
  return nullptr;
}

KconfigSlot kconfig_slot(const ::btf& b, uint32_t var_id) {
  KconfigSlot s;
  const btf_type* v = btf__type_by_id(&b, var_id);
  if (v == nullptr || !btf_is_var(v)) return s;
  const btf_type* t = nullptr;
  skip_mods(b, v->type, &t);
  if (t == nullptr) return s;
  if (btf_is_int(t)) {
    const uint8_t enc = btf_int_encoding(t);
    s.size = t->size;
    s.is_signed = (enc & BTF_INT_SIGNED) != 0;
    if (btf_int_offset(t) != 0 || btf_int_bits(t) != t->size * 8) return s;
    if ((enc & BTF_INT_BOOL) != 0) {
      if (t->size == 1) s.type = KconfigType::kBool;
    } else if (t->size == 1) {
      s.type = KconfigType::kChar;
    } else if (t->size == 2 || t->size == 4 || t->size == 8) {
      s.type = KconfigType::kInt;
    }
    return s;
  }
  if (btf_is_enum(t)) {
    const char* n = btf__name_by_offset(&b, t->name_off);
    if (n != nullptr && std::strcmp(n, "libbpf_tristate") == 0 && t->size >= 1 && t->size <= 8) {
      s.type = KconfigType::kTristate;
      s.size = t->size;
    }
    return s;
  }
  if (btf_is_array(t)) {
    const struct btf_array* a = btf_array(t);
    const btf_type* el = nullptr;
    skip_mods(b, a->type, &el);
    if (el != nullptr && btf_is_int(el) && el->size == 1 && (btf_int_encoding(el) & BTF_INT_BOOL) == 0 &&
        a->nelems > 0) {
      s.type = KconfigType::kCharArray;
      s.size = a->nelems;
    }
  }
  return s;
}

Result<void> store_kconfig_value(std::string_view name, const KconfigSlot& slot, const sys::KconfigValue& v,
                                 std::span<uint8_t> dst) {
  const std::string who = "kconfig extern '" + std::string(name) + "'";
  if (dst.size() < slot.size) return fail(EINVAL, who + ": no room for its value");
  using Kind = sys::KconfigValue::Kind;
  switch (v.kind) {
    case Kind::kTristate: {
      uint8_t byte;
      if (slot.type == KconfigType::kChar) {
        byte = static_cast<uint8_t>(v.tristate);
      } else if (slot.type == KconfigType::kBool) {
        if (v.tristate == 'm') return fail(EINVAL, who + ": value 'm' for a bool (use enum libbpf_tristate)");
        byte = v.tristate == 'y' ? 1 : 0;
      } else if (slot.type == KconfigType::kTristate) {
        byte = v.tristate == 'y' ? kTriYes : v.tristate == 'm' ? kTriModule : kTriNo;
        std::memset(dst.data(), 0, slot.size);
      } else {
        return fail(EINVAL, who + ": value '" + std::string(1, v.tristate) +
                                "' needs a bool, char or enum libbpf_tristate");
      }
      dst[0] = byte;  // little-endian: the low byte first
      return {};
    }
    case Kind::kString: {
      if (slot.type != KconfigType::kCharArray)
        return fail(EINVAL, who + ": a string value needs a char array");
      size_t n = v.str.size();
      if (n >= slot.size) {
        BPFXX_WARN("%s: value \"%.*s\" does not fit in %u bytes; truncated\n", who.c_str(),
                   static_cast<int>(v.str.size()), v.str.data(), slot.size);
        n = slot.size - 1;
      }
      std::memcpy(dst.data(), v.str.data(), n);
      std::memset(dst.data() + n, 0, slot.size - n);
      return {};
    }
    case Kind::kNumber: {
      if (slot.type != KconfigType::kInt && slot.type != KconfigType::kChar && slot.type != KconfigType::kBool)
        return fail(EINVAL, who + ": a number needs an integer, char or bool");
      const unsigned bits = slot.size * 8;
      bool fits;
      if (slot.type == KconfigType::kBool) {
        fits = v.num <= 1;
      } else if (bits >= 64) {
        // Any 64-bit pattern fits; a negative one only a signed type.
        fits = slot.is_signed || !v.negative;
      } else if (slot.is_signed) {
        fits = v.num + (uint64_t{1} << (bits - 1)) < (uint64_t{1} << bits);
      } else {
        fits = !v.negative && (v.num >> bits) == 0;
      }
      if (!fits)
        return fail(ERANGE, who + ": value " +
                                (v.negative ? std::to_string(static_cast<int64_t>(v.num)) : std::to_string(v.num)) +
                                " does not fit its " + std::to_string(slot.size) + "-byte " +
                                (slot.is_signed ? "signed" : "unsigned") + " type");
      std::memcpy(dst.data(), &v.num, slot.size);  // little-endian host and target
      return {};
    }
  }
  return fail(EINVAL, who + ": bad value");
}

std::string type_mismatch(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id) {
  return mismatch_at(local, local_id, targ, targ_id, 32);
}

bool types_compatible(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id) {
  return type_mismatch(local, local_id, targ, targ_id).empty();
}

Result<void> add_kconfig_map(bpf_object& obj) {
  if (!obj.btf_data || kconfig_map(obj) != nullptr) return {};
  const ::btf* b = obj.btf_data.get();
  const int id = btf__find_by_name_kind(b, std::string(kKconfigSec).c_str(), BTF_KIND_DATASEC);
  if (id <= 0) return {};
  const btf_type* t = btf__type_by_id(b, static_cast<uint32_t>(id));
  if (t->size == 0) return {};
  auto map = std::make_unique<bpf_map>();
  map->obj = &obj;
  map->kind = MapKind::kRodata;  // read-only for programs and frozen, like .rodata
  map->real_name = std::string(kKconfigSec);
  map->name = internal_map_name(obj.name, kKconfigSec);
  map->type = BPF_MAP_TYPE_ARRAY;
  map->key_size = 4;
  map->value_size = t->size;
  map->max_entries = 1;
  map->map_flags = BPF_F_RDONLY_PROG | BPF_F_MMAPABLE;
  map->mmapable = true;
  Result<MapData> bytes = MapData::allocate(t->size);
  if (!bytes) return bad(obj, bytes.error(), "map '" + map->name + "': " + bytes.message());
  map->initial = std::move(*bytes);
  BPFXX_DEBUG("map '%s' (kconfig externs): size %u\n", map->name.c_str(), map->value_size);
  obj.maps.push_back(std::move(map));
  return {};
}

Result<void> resolve_externs(bpf_object& obj) {
  if (obj.externs.empty()) return {};
  release_externs(obj);
  if (obj.has_kconfig_externs) {
    if (auto r = KconfigResolver(obj).run(); !r) return r;
  }
  for (const Extern& e : obj.externs) {
    if (e.kind == ExternKind::kKsymVar || e.kind == ExternKind::kKsymFunc) return KsymResolver(obj).run();
  }
  return {};
}

Result<void> patch_extern(const bpf_object& obj, const Relocation& r, bpf_insn* in) {
  if (r.ext_idx < 0 || static_cast<size_t>(r.ext_idx) >= obj.externs.size())
    return patch_bad(obj, r, LIBBPF_ERRNO__RELOC, "no such extern");
  const Extern& e = obj.externs[static_cast<size_t>(r.ext_idx)];
  if (r.kind == RelocKind::kExternCall) {
    if (e.kind != ExternKind::kKsymFunc)
      return patch_bad(obj, r, LIBBPF_ERRNO__RELOC, "called, but not declared as a kfunc (a __ksym function)");
    if (!e.resolved && !e.is_weak) return patch_bad(obj, r, ESRCH, "kfunc not resolved");
    in->src_reg = BPF_PSEUDO_KFUNC_CALL;
    // Unresolved weak: imm 0 / off 0, which the verifier accepts only as
    // dead code.
    in->imm = e.resolved ? static_cast<int32_t>(e.kernel_btf_id) : 0;
    in->off = e.resolved ? e.fd_array_idx : 0;
    return {};
  }
  switch (e.kind) {
    case ExternKind::kKconfig: {
      const bpf_map* map = kconfig_map(obj);
      if (map == nullptr || !map->created())
        return patch_bad(obj, r, LIBBPF_ERRNO__RELOC, "the .kconfig map was not created");
      const int64_t off = int64_t{e.kconfig_off} + in[0].imm;
      if (off < 0 || off >= map->value_size)
        return patch_bad(obj, r, LIBBPF_ERRNO__RELOC, "offset " + std::to_string(off) + " is outside the .kconfig map");
      set_ld_imm64(in, BPF_PSEUDO_MAP_VALUE, static_cast<uint32_t>(map->fd), static_cast<uint32_t>(off));
      return {};
    }
    case ExternKind::kKsymVar:
    case ExternKind::kKsymFunc:
      if (!e.resolved) {
        if (!e.is_weak) return patch_bad(obj, r, ESRCH, "ksym not resolved");
        set_ld_imm64(in, 0, 0, 0);
      } else if (e.kind == ExternKind::kKsymVar && e.typeless) {
        set_ld_imm64(in, 0, static_cast<uint32_t>(e.addr), static_cast<uint32_t>(e.addr >> 32));
      } else {
        set_ld_imm64(in, BPF_PSEUDO_BTF_ID, e.kernel_btf_id, static_cast<uint32_t>(e.kernel_btf_fd));
      }
      return {};
    case ExternKind::kUnknown:
      break;
  }
  return patch_bad(obj, r, LIBBPF_ERRNO__RELOC,
                   "an undefined symbol that is neither __kconfig nor __ksym (is its declaration missing "
                   "from .kconfig / .ksyms, or was the object built without BTF?)");
}

std::vector<int> extern_fd_array(const bpf_object& obj) {
  std::vector<int> out;
  for (const Extern& e : obj.externs) {
    if (!e.resolved || e.fd_array_idx <= 0) continue;
    const size_t i = static_cast<size_t>(e.fd_array_idx);
    if (out.size() <= i) out.resize(i + 1, 0);
    out[i] = e.kernel_btf_fd;
  }
  return out;
}

std::string_view kernel_lookup_name(const Extern& e) {
  if (e.kind == ExternKind::kKsymFunc) return relo::essential_name(e.name);
  return e.name;
}

void close_extern_btf_fds(bpf_object& obj) {
  for (Extern& e : obj.externs) {
    e.module_btf.reset();
    e.kernel_btf_fd = 0;
  }
}

void release_externs(bpf_object& obj) {
  for (Extern& e : obj.externs) {
    e.resolved = false;
    e.typeless = false;
    e.kconfig_off = 0;
    e.addr = 0;
    e.kernel_btf_id = 0;
    e.kernel_btf_fd = 0;
    e.fd_array_idx = 0;
    e.module_btf.reset();
  }
}

}  // namespace bpfxx::object
