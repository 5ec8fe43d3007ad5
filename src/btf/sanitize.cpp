// Loading BTF into the kernel, rewritten for what the running kernel knows.
//
// Each kind (or flavour) newer than the kernel is replaced by one it
// accepts, with a record of the same size so no type id moves:
//   FUNC_PROTO -> ENUM (params read as values), FUNC -> TYPEDEF  (no BTF func)
//   FUNC global linkage -> static                           (no global funcs)
//   VAR -> INT, DATASEC -> STRUCT of its variables          (no datasec)
//   "?..." datasec names -> "_..."                          (no "?" names)
//   FLOAT -> empty STRUCT of the same size                  (no float)
//   DECL_TAG -> INT                                         (no decl tags)
//   TYPE_TAG -> CONST                                       (no type tags)
//   ENUM64 -> UNION of one-byte members                     (no enum64)
// The object itself is left untouched: only the uploaded bytes change.
#include "btf/load.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace bpfxx::btf {
namespace {

using sys::Feature;

uint32_t info_of(uint32_t kind, uint32_t vlen, bool kflag) {
  return (kflag ? 0x80000000u : 0u) | (kind << 24) | (vlen & 0xffffffu);
}

}  // namespace

SanitizeNeeds needs_for_running_kernel() {
  SanitizeNeeds n{};
  n.func = !sys::has_feature(Feature::BtfFunc);
  n.global_func = !n.func && !sys::has_feature(Feature::BtfGlobalFunc);
  n.datasec = !sys::has_feature(Feature::BtfDatasec);
  n.qmark = !n.datasec && !sys::has_feature(Feature::BtfQmarkDatasec);
  n.flt = !sys::has_feature(Feature::BtfFloat);
  n.decl_tag = !sys::has_feature(Feature::BtfDeclTag);
  n.type_tag = !sys::has_feature(Feature::BtfTypeTag);
  n.enum64 = !sys::has_feature(Feature::BtfEnum64);
  return n;
}

std::vector<uint8_t> sanitized_for_kernel(const ::btf& b) {
  return sanitize(b, needs_for_running_kernel());
}

std::vector<uint8_t> sanitize(const ::btf& b, const SanitizeNeeds& n) {
  std::vector<uint8_t> raw = b.serialize(true, false);
  if (!(n.func || n.global_func || n.datasec || n.qmark || n.flt || n.decl_tag || n.type_tag ||
        n.enum64))
    return raw;

  btf_header hdr{};
  std::memcpy(&hdr, raw.data(), offsetof(btf_header, layout_off));
  uint8_t* types = raw.data() + hdr.hdr_len + hdr.type_off;
  char* strs = reinterpret_cast<char*>(raw.data() + hdr.hdr_len + hdr.str_off);
  const uint32_t own_str_base = b.start_str_off();
  bool need_byte_int = false;
  const uint32_t byte_int_id = b.type_cnt();  // appended below when needed
  // Strings appended after the existing ones (offsets continue them).
  std::string extra_strs;
  auto extra_str = [&](const char* s) {
    const uint32_t off = own_str_base + hdr.str_len + static_cast<uint32_t>(extra_strs.size());
    extra_strs += s;
    extra_strs.push_back('\0');
    return off;
  };
  uint32_t unnamed_off = 0;

  // Records are found through the object's own offsets (the serialized
  // types are its records verbatim), never by re-sizing the bytes.
  const uint8_t* own_base = b.own_types().data();
  for (uint32_t i = 0; i < b.own_type_cnt(); i++) {
    const auto* orig = reinterpret_cast<const uint8_t*>(b.type_by_id(b.start_id() + i));
    const size_t off = static_cast<size_t>(orig - own_base);
    auto* t = reinterpret_cast<btf_type*>(types + off);
    const uint32_t kind = BTF_INFO_KIND(t->info);
    const uint32_t vlen = BTF_INFO_VLEN(t->info);
    switch (kind) {
      case BTF_KIND_FUNC_PROTO:
        if (n.func) {
          // Parameters (name, type) read as enum values (name, value);
          // enum values need names, so unnamed ones get a placeholder.
          t->info = info_of(BTF_KIND_ENUM, vlen, false);
          t->size = sizeof(int);
          auto* p = reinterpret_cast<btf_param*>(t + 1);
          for (uint32_t k = 0; k < vlen; k++) {
            if (p[k].name_off != 0) continue;
            if (unnamed_off == 0) unnamed_off = extra_str("__unnamed_arg");
            p[k].name_off = unnamed_off;
          }
        }
        break;
      case BTF_KIND_FUNC:
        if (n.func) {
          t->info = info_of(BTF_KIND_TYPEDEF, 0, false);
        } else if (n.global_func && vlen == BTF_FUNC_GLOBAL) {
          t->info = info_of(BTF_KIND_FUNC, BTF_FUNC_STATIC, false);
        }
        break;
      case BTF_KIND_VAR:
        if (n.datasec) {
          t->info = info_of(BTF_KIND_INT, 0, false);
          t->size = 1;
          const uint32_t word = 8;  // 8 bits, no encoding
          std::memcpy(t + 1, &word, 4);
        }
        break;
      case BTF_KIND_DATASEC:
        if (n.datasec) {
          // Struct names may not hold dots: the section name is rewritten.
          if (t->name_off >= own_str_base) {
            for (char* c = strs + (t->name_off - own_str_base); *c != 0; c++) {
              if (*c == '.' || *c == '?') *c = '_';
            }
          }
          t->info = info_of(BTF_KIND_STRUCT, vlen, false);
          auto* v = reinterpret_cast<btf_var_secinfo*>(t + 1);
          auto* m = reinterpret_cast<btf_member*>(t + 1);
          for (uint32_t k = 0; k < vlen; k++) {
            const btf_type* var = b.type_by_id(v[k].type);
            btf_member mm{};
            mm.name_off = var != nullptr ? var->name_off : 0;
            mm.type = var != nullptr ? var->type : 0;
            mm.offset = v[k].offset * 8;
            std::memcpy(&m[k], &mm, sizeof mm);
          }
        } else if (n.qmark && t->name_off >= own_str_base) {
          char* c = strs + (t->name_off - own_str_base);
          if (*c == '?') *c = '_';
        }
        break;
      case BTF_KIND_FLOAT:
        if (n.flt) t->info = info_of(BTF_KIND_STRUCT, 0, false);
        break;
      case BTF_KIND_DECL_TAG:
        if (n.decl_tag) {
          t->name_off = 0;
          t->info = info_of(BTF_KIND_INT, 0, false);
          t->size = 1;
          const uint32_t word = 8;
          std::memcpy(t + 1, &word, 4);
        }
        break;
      case BTF_KIND_TYPE_TAG:
        if (n.type_tag) {
          t->name_off = 0;
          t->info = info_of(BTF_KIND_CONST, 0, false);
        }
        break;
      case BTF_KIND_ENUM64:
        if (n.enum64) {
          // Values become members of one byte each, all at offset 0.
          t->info = info_of(BTF_KIND_UNION, vlen, false);
          auto* m = reinterpret_cast<btf_member*>(t + 1);
          for (uint32_t k = 0; k < vlen; k++) {
            m[k].type = byte_int_id;
            m[k].offset = 0;
          }
          need_byte_int = need_byte_int || vlen != 0;
        }
        break;
      default:
        break;
    }
  }

  if (need_byte_int || !extra_strs.empty()) {
    // Append "unsigned char" (string, then type) for the enum64 stand-ins,
    // and the extra strings.
    const uint32_t name_off = need_byte_int ? extra_str("unsigned char") : 0;
    btf_type t{};
    t.name_off = name_off;
    t.info = info_of(BTF_KIND_INT, 0, false);
    t.size = 1;
    const uint32_t word = 8;
    std::vector<uint8_t> out;
    out.reserve(raw.size() + sizeof t + 4 + extra_strs.size());
    out.insert(out.end(), raw.begin(), raw.begin() + hdr.hdr_len + hdr.type_off + hdr.type_len);
    if (need_byte_int) {
      const auto* tp = reinterpret_cast<const uint8_t*>(&t);
      out.insert(out.end(), tp, tp + sizeof t);
      const auto* wp = reinterpret_cast<const uint8_t*>(&word);
      out.insert(out.end(), wp, wp + 4);
      hdr.type_len += sizeof t + 4;
    }
    out.insert(out.end(), raw.begin() + hdr.hdr_len + hdr.str_off,
               raw.begin() + hdr.hdr_len + hdr.str_off + hdr.str_len);
    out.insert(out.end(), extra_strs.begin(), extra_strs.end());
    hdr.str_off = hdr.type_off + hdr.type_len;
    hdr.str_len += static_cast<uint32_t>(extra_strs.size());
    std::memcpy(out.data(), &hdr, offsetof(btf_header, layout_off));
    return out;
  }
  return raw;
}

int load_into_kernel(::btf& b) {
  if (b.fd() >= 0) {
    BPFXX_WARN("BTF: already loaded into the kernel (fd %d)\n", b.fd());
    return -EEXIST;
  }
  std::vector<uint8_t> raw;
  try {
    raw = sanitized_for_kernel(b);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  }
  auto attempt = [&](char* log, uint32_t log_size, uint32_t level) {
    union bpf_attr attr {};
    attr.btf = reinterpret_cast<uintptr_t>(raw.data());
    attr.btf_size = static_cast<uint32_t>(raw.size());
    attr.btf_log_buf = reinterpret_cast<uintptr_t>(log);
    attr.btf_log_size = log_size;
    attr.btf_log_level = level;
    return sys::bpf_fd(BPF_BTF_LOAD, &attr, BPFXX_ATTR_SIZE(btf_log_true_size));
  };
  int fd = attempt(nullptr, 0, 0);
  if (fd < 0) {
    // Again, with the kernel's explanation.
    std::vector<char> log(1u << 20);
    const int err = fd;
    int fd2 = attempt(log.data(), static_cast<uint32_t>(log.size()), 1);
    if (fd2 >= 0) {
      fd = fd2;
    } else {
      log.back() = 0;
      BPFXX_WARN("BTF: loading %s into the kernel failed: %s\n-- BEGIN BTF LOAD LOG ---\n%s\n"
                 "-- END BTF LOAD LOG --\n",
                 b.name().empty() ? "BTF" : b.name().c_str(), std::strerror(-err), log.data());
      return err;
    }
  }
  b.set_fd(fd);
  return 0;
}

}  // namespace bpfxx::btf
