// `bpfxx btf dump`: BTF as C (a vmlinux.h) or as a raw listing of type
// records, from a file (raw BTF or an ELF object) or from a BTF object
// loaded in the kernel.
//
//   bpfxx btf dump file PATH [format c|raw] [id N]...
//   bpfxx btf dump id BTF_ID [format c|raw] [id N]...
//
// Module BTF (/sys/kernel/btf/<module>, or a kernel BTF object that is not
// vmlinux) is read as split BTF over the running kernel's. The output is
// built in memory and written with one call.
#include "commands.h"
#include "json_writer.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;

const char* kind_label(uint32_t kind) {
  static const char* const kLabels[] = {
      "UNKNOWN", "INT",  "PTR",        "ARRAY", "STRUCT",  "UNION", "ENUM",  "FWD",      "TYPEDEF",  "VOLATILE",
      "CONST",   "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
  };
  return kind < sizeof(kLabels) / sizeof(kLabels[0]) ? kLabels[kind] : "UNKNOWN";
}

const char* int_encoding(uint32_t enc) {
  switch (enc) {
    case 0:
      return "(none)";
    case BTF_INT_SIGNED:
      return "SIGNED";
    case BTF_INT_CHAR:
      return "CHAR";
    case BTF_INT_BOOL:
      return "BOOL";
    default:
      return "UNKN";
  }
}

const char* var_linkage(uint32_t l) {
  switch (l) {
    case BTF_VAR_STATIC:
      return "static";
    case BTF_VAR_GLOBAL_ALLOCATED:
      return "global";
    case BTF_VAR_GLOBAL_EXTERN:
      return "extern";
    default:
      return "(unknown)";
  }
}

const char* func_linkage(uint32_t l) {
  switch (l) {
    case BTF_FUNC_STATIC:
      return "static";
    case BTF_FUNC_GLOBAL:
      return "global";
    case BTF_FUNC_EXTERN:
      return "extern";
    default:
      return "(unknown)";
  }
}

// Text built in memory; printf-style appends.
class Out {
 public:
  void add(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    va_list ap;
    va_start(ap, fmt);
    vadd(fmt, ap);
    va_end(ap);
  }
  void vadd(const char* fmt, va_list ap) {
    // The dumper hands over whole chunks with "%s": append them directly.
    if (fmt[0] == '%' && fmt[1] == 's' && fmt[2] == 0) {
      text.append(va_arg(ap, const char*));
      return;
    }
    va_list copy;
    va_copy(copy, ap);
    char buf[256];
    int n = std::vsnprintf(buf, sizeof(buf), fmt, copy);
    va_end(copy);
    if (n < 0) return;
    if (static_cast<size_t>(n) < sizeof(buf)) {
      text.append(buf, static_cast<size_t>(n));
    } else {
      size_t old = text.size();
      text.resize(old + static_cast<size_t>(n) + 1);
      std::vsnprintf(&text[old], static_cast<size_t>(n) + 1, fmt, ap);
      text.resize(old + static_cast<size_t>(n));
    }
  }
  std::string text;
};

void dump_printf(void* ctx, const char* fmt, va_list args) { static_cast<Out*>(ctx)->vadd(fmt, args); }

const char* name_or_anon(const struct btf* btf, uint32_t off) {
  if (off == 0) return "(anon)";
  const char* s = btf__name_by_offset(btf, off);
  return s != nullptr ? s : "(invalid)";
}

// One type record in bpftool's raw format, or as a JSON object.
void raw_type(const struct btf* btf, uint32_t id, Out& out, JsonWriter* w) {
  const btf_type* t = btf__type_by_id(btf, id);
  if (t == nullptr) return;
  const uint32_t kind = btf_kind(t);
  const uint32_t vlen = btf_vlen(t);
  const char* name = name_or_anon(btf, t->name_off);
  if (w != nullptr) {
    w->begin_object();
    w->key("id");
    w->number(id);
    w->key("kind");
    w->string(kind_label(kind));
    w->key("name");
    w->string(name);
  } else {
    out.add("[%u] %s '%s'", id, kind_label(kind), name);
  }
  auto field = [&](const char* key, int64_t v) {
    if (w != nullptr) {
      w->key(key);
      w->number(v);
    }
  };
  auto sfield = [&](const char* key, const char* v) {
    if (w != nullptr) {
      w->key(key);
      w->string(v);
    }
  };
  switch (kind) {
    case BTF_KIND_INT: {
      const uint32_t v = *reinterpret_cast<const uint32_t*>(t + 1);
      if (w != nullptr) {
        field("size", t->size);
        field("bits_offset", BTF_INT_OFFSET(v));
        field("nr_bits", BTF_INT_BITS(v));
        sfield("encoding", int_encoding(BTF_INT_ENCODING(v)));
      } else {
        out.add(" size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size, BTF_INT_OFFSET(v), BTF_INT_BITS(v),
                int_encoding(BTF_INT_ENCODING(v)));
      }
      break;
    }
    case BTF_KIND_PTR:
    case BTF_KIND_CONST:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_TYPE_TAG:
      if (w != nullptr)
        field("type_id", t->type);
      else
        out.add(" type_id=%u", t->type);
      break;
    case BTF_KIND_ARRAY: {
      const struct btf_array* a = btf_array(t);
      if (w != nullptr) {
        field("type_id", a->type);
        field("index_type_id", a->index_type);
        field("nr_elems", a->nelems);
      } else {
        out.add(" type_id=%u index_type_id=%u nr_elems=%u", a->type, a->index_type, a->nelems);
      }
      break;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      if (w != nullptr) {
        field("size", t->size);
        field("vlen", vlen);
        w->key("members");
        w->begin_array();
      } else {
        out.add(" size=%u vlen=%u", t->size, vlen);
      }
      for (uint32_t i = 0; i < vlen; i++) {
        const btf_member* m = btf_members(t) + i;
        const uint32_t off = btf_member_bit_offset(t, i);
        const uint32_t bits = btf_member_bitfield_size(t, i);
        if (w != nullptr) {
          w->begin_object();
          sfield("name", name_or_anon(btf, m->name_off));
          field("type_id", m->type);
          field("bits_offset", off);
          if (bits != 0) field("bitfield_size", bits);
          w->end_object();
        } else {
          out.add("\n\t'%s' type_id=%u bits_offset=%u", name_or_anon(btf, m->name_off), m->type, off);
          if (bits != 0) out.add(" bitfield_size=%u", bits);
        }
      }
      if (w != nullptr) w->end_array();
      break;
    }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      const bool is_signed = btf_kflag(t);
      const char* enc = is_signed ? "SIGNED" : "UNSIGNED";
      if (w != nullptr) {
        sfield("encoding", enc);
        field("size", t->size);
        field("vlen", vlen);
        w->key("values");
        w->begin_array();
      } else {
        out.add(" encoding=%s size=%u vlen=%u", enc, t->size, vlen);
      }
      for (uint32_t i = 0; i < vlen; i++) {
        uint32_t name_off;
        uint64_t raw;
        if (kind == BTF_KIND_ENUM) {
          name_off = btf_enum(t)[i].name_off;
          raw = static_cast<uint32_t>(btf_enum(t)[i].val);
        } else {
          const auto* e = reinterpret_cast<const uint32_t*>(t + 1) + 3 * i;
          name_off = e[0];
          raw = (static_cast<uint64_t>(e[2]) << 32) | e[1];
        }
        const char* vname = name_or_anon(btf, name_off);
        if (w != nullptr) {
          w->begin_object();
          sfield("name", vname);
          w->key("val");
          if (kind == BTF_KIND_ENUM)
            w->number(is_signed ? static_cast<int32_t>(raw) : static_cast<int64_t>(raw));
          else if (is_signed || raw <= static_cast<uint64_t>(INT64_MAX))
            w->number(static_cast<int64_t>(raw));
          else
            w->string(std::to_string(raw));
          w->end_object();
        } else if (kind == BTF_KIND_ENUM) {
          if (is_signed)
            out.add("\n\t'%s' val=%d", vname, static_cast<int32_t>(raw));
          else
            out.add("\n\t'%s' val=%u", vname, static_cast<uint32_t>(raw));
        } else if (is_signed) {
          out.add("\n\t'%s' val=%lldLL", vname, static_cast<long long>(raw));
        } else {
          out.add("\n\t'%s' val=%lluULL", vname, static_cast<unsigned long long>(raw));
        }
      }
      if (w != nullptr) w->end_array();
      break;
    }
    case BTF_KIND_FWD: {
      const char* fk = btf_kflag(t) ? "union" : "struct";
      if (w != nullptr)
        sfield("fwd_kind", fk);
      else
        out.add(" fwd_kind=%s", fk);
      break;
    }
    case BTF_KIND_FUNC:
      if (w != nullptr) {
        field("type_id", t->type);
        sfield("linkage", func_linkage(vlen));
      } else {
        out.add(" type_id=%u linkage=%s", t->type, func_linkage(vlen));
      }
      break;
    case BTF_KIND_FUNC_PROTO: {
      if (w != nullptr) {
        field("ret_type_id", t->type);
        field("vlen", vlen);
        w->key("params");
        w->begin_array();
      } else {
        out.add(" ret_type_id=%u vlen=%u", t->type, vlen);
      }
      for (uint32_t i = 0; i < vlen; i++) {
        const btf_param* p = btf_params(t) + i;
        if (w != nullptr) {
          w->begin_object();
          sfield("name", name_or_anon(btf, p->name_off));
          field("type_id", p->type);
          w->end_object();
        } else {
          out.add("\n\t'%s' type_id=%u", name_or_anon(btf, p->name_off), p->type);
        }
      }
      if (w != nullptr) w->end_array();
      break;
    }
    case BTF_KIND_VAR: {
      const char* l = var_linkage(btf_var(t)->linkage);
      if (w != nullptr) {
        field("type_id", t->type);
        sfield("linkage", l);
      } else {
        out.add(" type_id=%u, linkage=%s", t->type, l);
      }
      break;
    }
    case BTF_KIND_DATASEC: {
      if (w != nullptr) {
        field("size", t->size);
        field("vlen", vlen);
        w->key("vars");
        w->begin_array();
      } else {
        out.add(" size=%u vlen=%u", t->size, vlen);
      }
      for (uint32_t i = 0; i < vlen; i++) {
        const btf_var_secinfo* v = btf_var_secinfos(t) + i;
        if (w != nullptr) {
          w->begin_object();
          field("type_id", v->type);
          field("offset", v->offset);
          field("size", v->size);
          w->end_object();
        } else {
          out.add("\n\ttype_id=%u offset=%u size=%u", v->type, v->offset, v->size);
          if (v->type < btf__type_cnt(btf)) {
            const btf_type* vt = btf__type_by_id(btf, v->type);
            if (vt != nullptr) out.add(" (%s '%s')", kind_label(btf_kind(vt)), name_or_anon(btf, vt->name_off));
          }
        }
      }
      if (w != nullptr) w->end_array();
      break;
    }
    case BTF_KIND_FLOAT:
      if (w != nullptr)
        field("size", t->size);
      else
        out.add(" size=%u", t->size);
      break;
    case BTF_KIND_DECL_TAG: {
      const int32_t idx = *reinterpret_cast<const int32_t*>(t + 1);
      if (w != nullptr) {
        field("type_id", t->type);
        field("component_idx", idx);
      } else {
        out.add(" type_id=%u component_idx=%d", t->type, idx);
      }
      break;
    }
    default:
      break;
  }
  if (w != nullptr)
    w->end_object();
  else
    out.add("\n");
}

int dump_raw(const struct btf* btf, const std::vector<uint32_t>& ids, const Options& options, Out& out) {
  std::unique_ptr<JsonWriter> w;
  if (options.json) {
    w = std::make_unique<JsonWriter>(options.pretty);
    w->begin_object();
    w->key("types");
    w->begin_array();
  }
  if (!ids.empty()) {
    for (uint32_t id : ids) raw_type(btf, id, out, w.get());
  } else {
    const struct btf* base = btf__base_btf(btf);
    const uint32_t start = base != nullptr ? btf__type_cnt(base) : 1;
    for (uint32_t id = start, n = btf__type_cnt(btf); id < n; id++) raw_type(btf, id, out, w.get());
  }
  if (w) {
    w->end_array();
    w->end_object();
    out.text = w->text();
    out.text += '\n';
  }
  return 0;
}

// extern declarations of the kfuncs (functions with a "bpf_kfunc"
// declaration tag), sorted by name, as bpftool prints them.
int dump_kfuncs(const struct btf* btf, struct btf_dump* d, Out& out) {
  struct Kfunc {
    std::string name;
    uint32_t func_id;
    bool fastcall;
  };
  std::vector<Kfunc> kfuncs;
  std::vector<uint32_t> fastcalls;
  for (uint32_t id = 1, n = btf__type_cnt(btf); id < n; id++) {
    const btf_type* t = btf__type_by_id(btf, id);
    if (t == nullptr || !btf_is_decl_tag(t)) continue;
    if (*reinterpret_cast<const int32_t*>(t + 1) != -1) continue;
    const btf_type* ft = btf__type_by_id(btf, t->type);
    if (ft == nullptr || !btf_is_func(ft)) continue;
    const char* tag = btf__name_by_offset(btf, t->name_off);
    if (tag == nullptr) continue;
    if (std::strcmp(tag, "bpf_kfunc") == 0) {
      const char* fname = btf__name_by_offset(btf, ft->name_off);
      kfuncs.push_back({fname != nullptr ? fname : "", t->type, false});
    } else if (std::strcmp(tag, "bpf_fastcall") == 0) {
      fastcalls.push_back(t->type);
    }
  }
  for (Kfunc& k : kfuncs) k.fastcall = std::find(fastcalls.begin(), fastcalls.end(), k.func_id) != fastcalls.end();
  std::stable_sort(kfuncs.begin(), kfuncs.end(), [](const Kfunc& a, const Kfunc& b) { return a.name < b.name; });

  out.add("\n/* BPF kfuncs */\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n");
  for (const Kfunc& k : kfuncs) {
    out.add("extern %s", k.fastcall ? "__bpf_fastcall " : "");
    LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts);
    opts.field_name = k.name.c_str();
    const btf_type* ft = btf__type_by_id(btf, k.func_id);
    int err = btf_dump__emit_type_decl(d, ft->type, &opts);
    if (err != 0) return err;
    out.add(" __weak __ksym;\n");
  }
  out.add("#endif\n\n");
  return 0;
}

int dump_c(const struct btf* btf, const std::vector<uint32_t>& ids, Out& out) {
  struct btf_dump* d = btf_dump__new(btf, dump_printf, &out, nullptr);
  if (d == nullptr) return -errno;
  out.text.reserve(8u << 20);
  out.add(
      "#ifndef __VMLINUX_H__\n"
      "#define __VMLINUX_H__\n"
      "\n"
      "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
      "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
      "#endif\n"
      "\n"
      "#ifndef __ksym\n"
      "#define __ksym __attribute__((section(\".ksyms\")))\n"
      "#endif\n"
      "\n"
      "#ifndef __weak\n"
      "#define __weak __attribute__((weak))\n"
      "#endif\n"
      "\n"
      "#ifndef __bpf_fastcall\n"
      "#if __has_attribute(bpf_fastcall)\n"
      "#define __bpf_fastcall __attribute__((bpf_fastcall))\n"
      "#else\n"
      "#define __bpf_fastcall\n"
      "#endif\n"
      "#endif\n"
      "\n");
  int err = 0;
  if (!ids.empty()) {
    for (uint32_t id : ids) {
      err = btf_dump__dump_type(d, id);
      if (err != 0) break;
    }
  } else {
    for (uint32_t id = 1, n = btf__type_cnt(btf); id < n && err == 0; id++) err = btf_dump__dump_type(d, id);
    if (err == 0) err = dump_kfuncs(btf, d, out);
  }
  if (err == 0) {
    out.add(
        "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
        "#pragma clang attribute pop\n"
        "#endif\n"
        "\n"
        "#endif /* __VMLINUX_H__ */\n");
  }
  btf_dump__free(d);
  return err;
}

bool parse_u32(const std::string& s, uint32_t* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long x = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != 0 || x > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(x);
  return true;
}

void btf_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx btf dump file PATH [format c|raw] [id TYPE_ID]...\n"
               "       bpfxx btf dump id BTF_ID [format c|raw] [id TYPE_ID]...\n"
               "\n"
               "  file PATH   raw BTF (such as /sys/kernel/btf/vmlinux) or an ELF object;\n"
               "              /sys/kernel/btf/<module> is read over the kernel's BTF\n"
               "  id BTF_ID   a BTF object loaded in the kernel\n"
               "  format c    C definitions: a vmlinux.h\n"
               "  format raw  one line per type record (the default); -j for JSON\n"
               "  id TYPE_ID  only these types (and, for C, what they need)\n");
}

bool is_module_path(const std::string& path) {
  const std::string dir = "/sys/kernel/btf/";
  return path.compare(0, dir.size(), dir) == 0 && path.substr(dir.size()) != "vmlinux";
}

}  // namespace

int btf_main(const std::vector<std::string>& args, const Options& options) {
  if (args.empty() || args[0] == "help") {
    btf_usage(args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] != "dump") {
    std::fprintf(stderr, "bpfxx btf: unknown command '%s'\n", args[0].c_str());
    btf_usage(stderr);
    return kExitUsage;
  }
  if (args.size() < 3 || (args[1] != "file" && args[1] != "id")) {
    btf_usage(stderr);
    return kExitUsage;
  }
  const bool from_file = args[1] == "file";
  const std::string source = args[2];
  bool c_format = false;
  std::vector<uint32_t> ids;
  for (size_t i = 3; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "bpfxx btf dump: '%s' needs a value\n", args[i].c_str());
      return kExitUsage;
    }
    const std::string& key = args[i];
    const std::string& val = args[i + 1];
    if (key == "format") {
      if (val == "c") {
        c_format = true;
      } else if (val == "raw") {
        c_format = false;
      } else {
        std::fprintf(stderr, "bpfxx btf dump: unknown format '%s' (c or raw)\n", val.c_str());
        return kExitUsage;
      }
    } else if (key == "id" || key == "root_id") {
      uint32_t id;
      if (!parse_u32(val, &id)) {
        std::fprintf(stderr, "bpfxx btf dump: bad type id '%s'\n", val.c_str());
        return kExitUsage;
      }
      ids.push_back(id);
    } else {
      std::fprintf(stderr, "bpfxx btf dump: unknown argument '%s'\n", key.c_str());
      return kExitUsage;
    }
  }
  if (c_format && options.json) {
    std::fprintf(stderr, "bpfxx btf dump: JSON output is only for the raw format\n");
    return kExitUsage;
  }

  BtfPtr base;
  BtfPtr btf;
  if (from_file) {
    if (is_module_path(source)) {
      base.reset(btf__parse("/sys/kernel/btf/vmlinux", nullptr));
      if (!base) {
        std::fprintf(stderr, "bpfxx btf dump: cannot read the kernel's BTF: %s\n", std::strerror(errno));
        return kExitFailure;
      }
      btf.reset(btf__parse_split(source.c_str(), base.get()));
    } else {
      btf.reset(btf__parse(source.c_str(), nullptr));
    }
  } else {
    uint32_t obj_id;
    if (!parse_u32(source, &obj_id)) {
      std::fprintf(stderr, "bpfxx btf dump: bad BTF object id '%s'\n", source.c_str());
      return kExitUsage;
    }
    btf.reset(btf__load_from_kernel_by_id(obj_id));
    if (!btf) {
      // Module BTF only parses over the kernel's own.
      base.reset(btf__load_vmlinux_btf());
      if (base) btf.reset(btf__load_from_kernel_by_id_split(obj_id, base.get()));
    }
  }
  if (!btf) {
    std::fprintf(stderr, "bpfxx btf dump: cannot read BTF from %s: %s\n", source.c_str(), std::strerror(errno));
    return kExitFailure;
  }
  for (uint32_t id : ids) {
    if (id >= btf__type_cnt(btf.get())) {
      std::fprintf(stderr, "bpfxx btf dump: type id %u is out of range (last is %u)\n", id,
                   btf__type_cnt(btf.get()) - 1);
      return kExitFailure;
    }
  }

  Out out;
  int err = c_format ? dump_c(btf.get(), ids, out) : dump_raw(btf.get(), ids, options, out);
  if (err != 0) {
    std::fprintf(stderr, "bpfxx btf dump: %s\n", std::strerror(-err));
    return kExitFailure;
  }
  if (std::fwrite(out.text.data(), 1, out.text.size(), stdout) != out.text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "bpfxx btf dump: cannot write the output: %s\n", std::strerror(errno));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace bpfxx::tool
