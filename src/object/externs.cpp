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
//   typed ksyms and kfuncs: found by name (without a ___flavor suffix) in
//     vmlinux BTF, then in module BTFs, the local type checked compatible;
//     variables become BPF_PSEUDO_BTF_ID loads, kfunc calls
//     BPF_PSEUDO_KFUNC_CALL with the kernel's FUNC id and, for modules, an
//     fd_array index.
// A weak extern that cannot be found reads 0 (a kfunc call keeps imm 0 so
// the verifier drops it as dead code under bpf_ksym_exists()); a strong
// one fails the load with a message naming it.
#include "object/externs.h"

#include "base/log.h"
#include "btf/load.h"
#include "object/btf_fixup.h"
#include "object/load.h"
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

// The name BTF is searched by: without a "___flavor" suffix.
std::string essential_name(const std::string& name) {
  const size_t p = name.find("___");
  return p == std::string::npos || p == 0 ? name : name.substr(0, p);
}

bool compatible_at(const ::btf& lb, uint32_t lid, const ::btf& tb, uint32_t tid, int depth) {
  if (depth <= 0) return false;
  const btf_type* l = nullptr;
  const btf_type* t = nullptr;
  lid = skip_mods(lb, lid, &l);
  tid = skip_mods(tb, tid, &t);
  if (l == nullptr || t == nullptr) return false;
  if (btf_is_any_enum(l) && btf_is_any_enum(t)) return true;
  // A forward declaration ("struct task_struct;") stands for the kernel's
  // struct or union: kfunc declarations rarely spell the whole type.
  const bool l_aggr = btf_is_fwd(l) || btf_is_composite(l);
  if (l_aggr && (btf_is_fwd(t) || btf_is_composite(t)) && (btf_is_fwd(l) || btf_is_fwd(t))) return true;
  if (btf_kind(l) != btf_kind(t)) return false;
  switch (btf_kind(l)) {
    case BTF_KIND_UNKN:
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_FWD:
    case BTF_KIND_FLOAT:
      return true;
    case BTF_KIND_INT:
      // Any integers match, except the bitfield-style ones with an offset.
      return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
    case BTF_KIND_PTR:
      return compatible_at(lb, l->type, tb, t->type, depth - 1);
    case BTF_KIND_ARRAY:
      return compatible_at(lb, btf_array(l)->type, tb, btf_array(t)->type, depth - 1);
    case BTF_KIND_FUNC_PROTO: {
      if (btf_vlen(l) != btf_vlen(t)) return false;
      if (!compatible_at(lb, l->type, tb, t->type, depth - 1)) return false;
      const btf_param* lp = btf_params(l);
      const btf_param* tp = btf_params(t);
      for (uint16_t i = 0; i < btf_vlen(l); i++) {
        if (!compatible_at(lb, lp[i].type, tb, tp[i].type, depth - 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// kconfig

Result<void> set_linux_value(const bpf_object& obj, const Extern& e, const KconfigSlot& slot,
                             std::span<uint8_t> dst) {
  uint64_t value;
  if (e.name == "LINUX_KERNEL_VERSION") {
    value = sys::kernel_version_code();
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

// A kernel BTF to search: vmlinux, or one module's (fd kept while needed).
struct KernelBtf {
  std::string name;
  std::shared_ptr<const ::btf> btf;
  std::shared_ptr<const int> fd;  // modules only
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
      auto it = wanted.find(s.name);
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
    const std::string name = essential_name(e.name);
    if (auto r = load_vmlinux(); !r) return r;
    for (size_t i = 0;; i++) {
      if (i == kernels_.size()) {
        if (modules_listed_) break;
        if (auto r = list_modules(); !r) return r;
        if (i == kernels_.size()) break;
      }
      const KernelBtf& k = kernels_[i];
      const int32_t id = btf__find_by_name_kind(k.btf.get(), name.c_str(), kind);
      if (id <= 0) continue;
      // A module's own types only: vmlinux was searched already.
      if (k.fd && static_cast<uint32_t>(id) < k.btf->start_id()) continue;
      const btf_type* kt = btf__type_by_id(k.btf.get(), static_cast<uint32_t>(id));
      if (!types_compatible(local, lt->type, *k.btf, kt->type)) {
        // A weak kfunc of another prototype stays unresolved: flavors
        // (name___old, name___new) declare each prototype a kernel may have
        // and bpf_ksym_exists() picks the one that resolved.
        if (e.is_weak && kind == BTF_KIND_FUNC) {
          BPFXX_DEBUG("%s: the kernel's [%d] in %s has another prototype; weak, left unresolved\n",
                      label(e).c_str(), id, k.name.c_str());
          return {};
        }
        return bad(obj_, EINVAL, label(e) + ": its declared type does not match the kernel's [" +
                                     std::to_string(id) + "] in " + k.name);
      }
      e.resolved = true;
      e.kernel_btf_id = static_cast<uint32_t>(id);
      if (k.fd) {
        e.module_btf = k.fd;
        e.kernel_btf_fd = *k.fd;
        e.fd_array_idx = k.fd_array_idx;
      }
      BPFXX_DEBUG("%s: %s is [%d] of %s\n", obj_.name.c_str(), label(e).c_str(), id, k.name.c_str());
      return {};
    }
    return {};
  }

  Result<void> load_vmlinux() {
    if (!kernels_.empty()) return {};
    Result<std::shared_ptr<const ::btf>> v = btf::vmlinux();
    if (!v) return bad(obj_, v.error(), "ksyms need the kernel's BTF: " + v.message());
    kernels_.push_back(KernelBtf{"vmlinux", *v, nullptr, 0});
    return {};
  }

  // Adds every loaded module's BTF (split over vmlinux) after vmlinux.
  Result<void> list_modules() {
    modules_listed_ = true;
    if (!sys::has_feature(sys::Feature::ModuleBtf)) return {};
    int16_t next_idx = 1;
    uint32_t id = 0;
    while (bpf_btf_get_next_id(id, &id) == 0) {
      bpf_get_fd_by_id_opts o{};
      o.sz = sizeof o;
      if (obj_.token_fd > 0) {
        o.token_fd = static_cast<uint32_t>(obj_.token_fd);
        o.open_flags = BPF_F_TOKEN_FD;
      }
      const int fd = bpf_btf_get_fd_by_id_opts(id, &o);
      if (fd < 0) continue;  // gone meanwhile
      std::shared_ptr<const int> owned(new int(fd), close_fd);
      char name[64] = {};
      bpf_btf_info info{};
      info.name = reinterpret_cast<uintptr_t>(name);
      info.name_len = sizeof name;
      uint32_t len = sizeof info;
      if (bpf_btf_get_info_by_fd(fd, &info, &len) != 0) continue;
      name[sizeof name - 1] = 0;
      if (info.kernel_btf == 0 || std::strcmp(name, "vmlinux") == 0 || name[0] == 0) continue;
      ::btf::Result mb = btf::load_from_kernel_by_id(id, kernels_[0].btf.get());
      if (!mb) {
        BPFXX_DEBUG("%s: BTF of module '%s' cannot be read: %s\n", obj_.name.c_str(), name, mb.message().c_str());
        continue;
      }
      // The module's BTF uses vmlinux's as its base: keep that alive too.
      auto base = kernels_[0].btf;
      std::shared_ptr<const ::btf> split(mb->release(), [base](const ::btf* b) { btf__free(const_cast<::btf*>(b)); });
      kernels_.push_back(KernelBtf{std::string("module '") + name + "'", std::move(split), owned, next_idx++});
    }
    return {};
  }

  bpf_object& obj_;
  std::vector<KernelBtf> kernels_;  // vmlinux first, then modules
  bool modules_listed_ = false;
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

bool types_compatible(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id) {
  return compatible_at(local, local_id, targ, targ_id, 32);
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
