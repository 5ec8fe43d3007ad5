// NAME.skel.h: the skeleton header (skeleton.h).
//
// The text follows bpftool's layout so that users of either tool see the
// same API; the runtime it calls (bpf_object__open_skeleton() ...) is
// libbpf's. Differences on purpose: identifiers that are keywords or that
// clash get a suffix, the map skeleton stride is written as an expression
// rather than a number taken from the generating host, and the assert
// function checks offsets as well as sizes.
#include "gen/skeleton.h"

#include "gen/object_model.h"
#include "gen/identifiers.h"
#include "gen/type_text.h"

#include <algorithm>
#include <cctype>

namespace bpfxx::gen {
namespace {

// Appends tmpl with every "@" replaced by the object's name.
void put(std::string& out, std::string_view tmpl, const std::string& name) {
  for (char c : tmpl) {
    if (c == '@') out += name;
    else out.push_back(c);
  }
}

Result<void> check_name(const std::string& name) {
  if (!is_identifier(name) || name.size() > 63) {
    return fail(EINVAL, "invalid skeleton name '" + name + "': need a C identifier of at most 63 characters");
  }
  if (is_keyword(name)) return fail(EINVAL, "invalid skeleton name '" + name + "': it is a C or C++ keyword");
  return {};
}

void emit_struct_members(const ObjectModel& m, std::string& out) {
  if (!m.maps.empty()) {
    out += "\tstruct {\n";
    for (const MapEntry& e : m.maps) out += "\t\tstruct bpf_map *" + e.ident + ";\n";
    out += "\t} maps;\n";
  }
}

void emit_progs_links(const ObjectModel& m, std::string& out) {
  if (!m.progs.empty()) {
    out += "\tstruct {\n";
    for (const ProgEntry& p : m.progs) out += "\t\tstruct bpf_program *" + p.ident + ";\n";
    out += "\t} progs;\n";
  }
  const bool any_ops = std::any_of(m.maps.begin(), m.maps.end(), [](const MapEntry& e) { return e.struct_ops; });
  if (!m.progs.empty() || any_ops) {
    out += "\tstruct {\n";
    for (const ProgEntry& p : m.progs) out += "\t\tstruct bpf_link *" + p.link_ident + ";\n";
    for (const MapEntry& e : m.maps) {
      if (e.struct_ops) out += "\t\tstruct bpf_link *" + e.link_ident + ";\n";
    }
    out += "\t} links;\n";
  }
}

// The maps and programs of bpf_object_skeleton (or _subskeleton: no
// mmaped pointers, no links).
void emit_skeleton_tables(const ObjectModel& m, bool subskel, std::string& out) {
  if (!m.maps.empty()) {
    const bool any_ops =
        !subskel && std::any_of(m.maps.begin(), m.maps.end(), [](const MapEntry& e) { return e.struct_ops; });
    out += "\n\t/* maps */\n";
    out += "\ts->map_cnt = " + std::to_string(m.maps.size()) + ";\n";
    // Without struct_ops maps the stride stops before `link` (added in
    // libbpf 1.5), so older runtimes accept the skeleton too.
    if (any_ops) out += "\ts->map_skel_sz = (int)sizeof(*s->maps);\n";
    else out += "\ts->map_skel_sz = (int)(3 * sizeof(void *));\n";
    out +=
        "\ts->maps = (struct bpf_map_skeleton *)calloc(s->map_cnt, sizeof(*s->maps));\n"
        "\tif (!s->maps) {\n"
        "\t\terr = -ENOMEM;\n"
        "\t\tgoto err;\n"
        "\t}\n";
    for (size_t i = 0; i < m.maps.size(); i++) {
      const MapEntry& e = m.maps[i];
      out += "\n\tmap = (struct bpf_map_skeleton *)((char *)s->maps + " + std::to_string(i) + " * s->map_skel_sz);\n";
      out += "\tmap->name = \"" + e.name + "\";\n";
      out += "\tmap->map = &obj->maps." + e.ident + ";\n";
      if (!subskel && e.mmaped) out += "\tmap->mmaped = (void **)&obj->" + e.data_ident + ";\n";
      if (!subskel && e.struct_ops) out += "\tmap->link = &obj->links." + e.link_ident + ";\n";
    }
  }
  if (!m.progs.empty()) {
    out += "\n\t/* programs */\n";
    out += "\ts->prog_cnt = " + std::to_string(m.progs.size()) + ";\n";
    out +=
        "\ts->prog_skel_sz = sizeof(*s->progs);\n"
        "\ts->progs = (struct bpf_prog_skeleton *)calloc(s->prog_cnt, s->prog_skel_sz);\n"
        "\tif (!s->progs) {\n"
        "\t\terr = -ENOMEM;\n"
        "\t\tgoto err;\n"
        "\t}\n";
    for (size_t i = 0; i < m.progs.size(); i++) {
      const ProgEntry& p = m.progs[i];
      const std::string at = "\ts->progs[" + std::to_string(i) + "].";
      out += "\n" + at + "name = \"" + p.name + "\";\n";
      out += at + "prog = &obj->progs." + p.ident + ";\n";
      if (!subskel) out += at + "link = &obj->links." + p.link_ident + ";\n";
    }
  }
}

}  // namespace

std::string skeleton_name_for(std::string_view path) { return object_name_from_path(path); }

std::string header_guard(const std::string& name, std::string_view kind) {
  std::string guard = "__" + name + "_" + std::string(kind) + "__";
  for (char& c : guard) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return guard;
}

Result<std::string> generate_skeleton(std::span<const uint8_t> elf, const std::string& name) {
  if (auto r = check_name(name); !r) return r.failure();
  auto model_or = build_model(elf, name);
  if (!model_or) return model_or.failure();
  const ObjectModel& m = *model_or;
  const std::string guard = header_guard(name, "SKEL_H");

  std::string out;
  out.reserve(elf.size() * 4 + 8192);
  out +=
      "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
      "\n"
      "/* THIS FILE IS AUTOGENERATED BY BPFXX! */\n";
  out += "#ifndef " + guard + "\n#define " + guard + "\n";
  out +=
      "\n"
      "#include <errno.h>\n"
      "#include <stdlib.h>\n"
      "#include <bpf/libbpf.h>\n"
      "\n"
      "#define BPF_SKEL_SUPPORTS_MAP_AUTO_ATTACH 1\n"
      "\n";
  put(out,
      "struct @ {\n"
      "\tstruct bpf_object_skeleton *skeleton;\n"
      "\tstruct bpf_object *obj;\n",
      name);
  emit_struct_members(m, out);
  if (auto r = emit_struct_ops_shadows(m, name, out); !r) return r.failure();
  emit_progs_links(m, out);
  if (auto r = emit_datasec_structs(m, name, false, out); !r) return r.failure();

  put(out,
      "\n"
      "#ifdef __cplusplus\n"
      "\tstatic inline struct @ *open(const struct bpf_object_open_opts *opts = nullptr);\n"
      "\tstatic inline struct @ *open_and_load();\n"
      "\tstatic inline int load(struct @ *skel);\n"
      "\tstatic inline int attach(struct @ *skel);\n"
      "\tstatic inline void detach(struct @ *skel);\n"
      "\tstatic inline void destroy(struct @ *skel);\n"
      "\tstatic inline const void *elf_bytes(size_t *sz);\n"
      "#endif /* __cplusplus */\n"
      "};\n"
      "\n"
      "static void\n"
      "@__destroy(struct @ *obj)\n"
      "{\n"
      "\tif (!obj)\n"
      "\t\treturn;\n"
      "\tif (obj->skeleton)\n"
      "\t\tbpf_object__destroy_skeleton(obj->skeleton);\n"
      "\tfree(obj);\n"
      "}\n"
      "\n"
      "static inline int\n"
      "@__create_skeleton(struct @ *obj);\n"
      "\n"
      "static inline struct @ *\n"
      "@__open_opts(const struct bpf_object_open_opts *opts)\n"
      "{\n"
      "\tstruct @ *obj;\n"
      "\tint err;\n"
      "\n"
      "\tobj = (struct @ *)calloc(1, sizeof(*obj));\n"
      "\tif (!obj) {\n"
      "\t\terrno = ENOMEM;\n"
      "\t\treturn NULL;\n"
      "\t}\n"
      "\n"
      "\terr = @__create_skeleton(obj);\n"
      "\tif (err)\n"
      "\t\tgoto err_out;\n"
      "\n"
      "\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n"
      "\tif (err)\n"
      "\t\tgoto err_out;\n"
      "\n",
      name);
  for (const MapEntry& e : m.maps) {
    if (!e.struct_ops) continue;
    out += "\tobj->struct_ops." + e.shadow_ident + " = (__typeof__(obj->struct_ops." + e.shadow_ident + "))\n";
    out += "\t\tbpf_map__initial_value(obj->maps." + e.ident + ", NULL);\n\n";
  }
  put(out,
      "\treturn obj;\n"
      "err_out:\n"
      "\t@__destroy(obj);\n"
      "\terrno = -err;\n"
      "\treturn NULL;\n"
      "}\n"
      "\n"
      "static inline struct @ *\n"
      "@__open(void)\n"
      "{\n"
      "\treturn @__open_opts(NULL);\n"
      "}\n"
      "\n"
      "static inline int\n"
      "@__load(struct @ *obj)\n"
      "{\n"
      "\treturn bpf_object__load_skeleton(obj->skeleton);\n"
      "}\n"
      "\n"
      "static inline struct @ *\n"
      "@__open_and_load(void)\n"
      "{\n"
      "\tstruct @ *obj;\n"
      "\tint err;\n"
      "\n"
      "\tobj = @__open();\n"
      "\tif (!obj)\n"
      "\t\treturn NULL;\n"
      "\terr = @__load(obj);\n"
      "\tif (err) {\n"
      "\t\t@__destroy(obj);\n"
      "\t\terrno = -err;\n"
      "\t\treturn NULL;\n"
      "\t}\n"
      "\treturn obj;\n"
      "}\n"
      "\n"
      "static inline int\n"
      "@__attach(struct @ *obj)\n"
      "{\n"
      "\treturn bpf_object__attach_skeleton(obj->skeleton);\n"
      "}\n"
      "\n"
      "static inline void\n"
      "@__detach(struct @ *obj)\n"
      "{\n"
      "\tbpf_object__detach_skeleton(obj->skeleton);\n"
      "}\n"
      "\n"
      "static inline const void *@__elf_bytes(size_t *sz);\n"
      "\n"
      "static inline int\n"
      "@__create_skeleton(struct @ *obj)\n"
      "{\n"
      "\tstruct bpf_object_skeleton *s;\n"
      "\tstruct bpf_map_skeleton *map __attribute__((unused));\n"
      "\tint err;\n"
      "\n"
      "\ts = (struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
      "\tif (!s)\t{\n"
      "\t\terr = -ENOMEM;\n"
      "\t\tgoto err;\n"
      "\t}\n"
      "\n"
      "\ts->sz = sizeof(*s);\n"
      "\ts->name = \"@\";\n"
      "\ts->obj = &obj->obj;\n",
      name);
  emit_skeleton_tables(m, false, out);
  put(out,
      "\n"
      "\ts->data = @__elf_bytes(&s->data_sz);\n"
      "\n"
      "\tobj->skeleton = s;\n"
      "\treturn 0;\n"
      "err:\n"
      "\tbpf_object__destroy_skeleton(s);\n"
      "\treturn err;\n"
      "}\n"
      "\n"
      "static inline const void *@__elf_bytes(size_t *sz)\n"
      "{\n"
      "\tstatic const char data[] __attribute__((__aligned__(8))) = \"\\\n",
      name);
  append_string_literal(elf, out);
  put(out,
      "\";\n"
      "\n"
      "\t*sz = sizeof(data) - 1;\n"
      "\treturn (const void *)data;\n"
      "}\n"
      "\n"
      "#ifdef __cplusplus\n"
      "struct @ *@::open(const struct bpf_object_open_opts *opts) { return @__open_opts(opts); }\n"
      "struct @ *@::open_and_load() { return @__open_and_load(); }\n"
      "int @::load(struct @ *skel) { return @__load(skel); }\n"
      "int @::attach(struct @ *skel) { return @__attach(skel); }\n"
      "void @::detach(struct @ *skel) { @__detach(skel); }\n"
      "void @::destroy(struct @ *skel) { @__destroy(skel); }\n"
      "const void *@::elf_bytes(size_t *sz) { return @__elf_bytes(sz); }\n"
      "#endif /* __cplusplus */\n",
      name);
  if (m.types != nullptr) emit_asserts(m, name, out);
  out += "\n#endif /* " + guard + " */\n";
  return out;
}

Result<std::string> generate_subskeleton(std::span<const uint8_t> elf, const std::string& name) {
  if (auto r = check_name(name); !r) return r.failure();
  // Internal maps are named by their sections (".data"): how the runtime
  // finds them in any object the library was linked into.
  auto model_or = build_model(elf, name, true);
  if (!model_or) return model_or.failure();
  const ObjectModel& m = *model_or;
  if (m.types == nullptr) return fail(EINVAL, "the object has no BTF: a subskeleton needs its variables' types");
  const std::string guard = header_guard(name, "SUBSKEL_H");

  std::string out;
  out +=
      "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */\n"
      "\n"
      "/* THIS FILE IS AUTOGENERATED BY BPFXX! */\n";
  out += "#ifndef " + guard + "\n#define " + guard + "\n";
  out +=
      "\n"
      "#include <errno.h>\n"
      "#include <stdlib.h>\n"
      "#include <bpf/libbpf.h>\n"
      "\n";
  put(out,
      "struct @ {\n"
      "\tstruct bpf_object *obj;\n"
      "\tstruct bpf_object_subskeleton *subskel;\n",
      name);
  emit_struct_members(m, out);
  if (!m.progs.empty()) {
    out += "\tstruct {\n";
    for (const ProgEntry& p : m.progs) out += "\t\tstruct bpf_program *" + p.ident + ";\n";
    out += "\t} progs;\n";
  }
  if (auto r = emit_datasec_structs(m, name, true, out); !r) return r.failure();

  size_t var_cnt = 0;
  for (const MapEntry& e : m.maps) {
    if (e.mmaped) var_cnt += datasec_vars(m, e).size();
  }
  put(out,
      "\n"
      "#ifdef __cplusplus\n"
      "\tstatic inline struct @ *open(const struct bpf_object *src);\n"
      "\tstatic inline void destroy(struct @ *skel);\n"
      "#endif /* __cplusplus */\n"
      "};\n"
      "\n"
      "static inline void\n"
      "@__destroy(struct @ *skel)\n"
      "{\n"
      "\tif (!skel)\n"
      "\t\treturn;\n"
      "\tif (skel->subskel)\n"
      "\t\tbpf_object__destroy_subskeleton(skel->subskel);\n"
      "\tfree(skel);\n"
      "}\n"
      "\n"
      "static inline struct @ *\n"
      "@__open(const struct bpf_object *src)\n"
      "{\n"
      "\tstruct @ *obj;\n"
      "\tstruct bpf_object_subskeleton *s;\n"
      "\tstruct bpf_map_skeleton *map __attribute__((unused));\n"
      "\tint err;\n"
      "\n"
      "\tobj = (struct @ *)calloc(1, sizeof(*obj));\n"
      "\tif (!obj) {\n"
      "\t\terr = -ENOMEM;\n"
      "\t\tgoto err;\n"
      "\t}\n"
      "\ts = (struct bpf_object_subskeleton *)calloc(1, sizeof(*s));\n"
      "\tif (!s) {\n"
      "\t\terr = -ENOMEM;\n"
      "\t\tgoto err;\n"
      "\t}\n"
      "\ts->sz = sizeof(*s);\n"
      "\ts->obj = src;\n"
      "\ts->var_skel_sz = sizeof(*s->vars);\n"
      "\tobj->subskel = s;\n"
      "\n"
      "\t/* vars */\n",
      name);
  out += "\ts->var_cnt = " + std::to_string(var_cnt) + ";\n";
  out +=
      "\ts->vars = (struct bpf_var_skeleton *)calloc(s->var_cnt ? s->var_cnt : 1, sizeof(*s->vars));\n"
      "\tif (!s->vars) {\n"
      "\t\terr = -ENOMEM;\n"
      "\t\tgoto err;\n"
      "\t}\n";
  size_t idx = 0;
  for (const MapEntry& e : m.maps) {
    if (!e.mmaped) continue;
    for (const VarEntry& v : datasec_vars(m, e)) {
      const std::string at = "\ts->vars[" + std::to_string(idx++) + "].";
      out += "\n" + at + "name = \"" + v.name + "\";\n";
      out += at + "map = &obj->maps." + e.ident + ";\n";
      out += at + "addr = (void **)&obj->" + e.data_ident + "." + v.ident + ";\n";
    }
  }
  emit_skeleton_tables(m, true, out);
  put(out,
      "\n"
      "\terr = bpf_object__open_subskeleton(s);\n"
      "\tif (err)\n"
      "\t\tgoto err;\n"
      "\n"
      "\treturn obj;\n"
      "err:\n"
      "\t@__destroy(obj);\n"
      "\terrno = -err;\n"
      "\treturn NULL;\n"
      "}\n"
      "\n"
      "#ifdef __cplusplus\n"
      "struct @ *@::open(const struct bpf_object *src) { return @__open(src); }\n"
      "void @::destroy(struct @ *skel) { @__destroy(skel); }\n"
      "#endif /* __cplusplus */\n",
      name);
  out += "\n#endif /* " + guard + " */\n";
  return out;
}

}  // namespace bpfxx::gen
